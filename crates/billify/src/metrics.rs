//! `GET /metrics`: the `metrics` facade's Prometheus recorder, rendered in the text format on
//! the main address or, with `BILLIFY_METRICS_BIND`, on a separate one that need not be public.
//!
//! Recorded today: HTTP requests by route template, method and status class with latency
//! histograms (`billify_web::observe`), background jobs by kind and outcome with durations, bank
//! sync runs by provider and outcome (the sync workers, `bank_sync`), document reads by extraction
//! method (`billify_web`'s upload), and build info.

use actix_web::{HttpResponse, web};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

/// Latency buckets, in seconds: 1 ms to 30 s.
const BUCKETS: &[f64] = &[0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0];

/// Installs the process-wide recorder (once) and records the build info.
pub fn install() -> anyhow::Result<PrometheusHandle> {
    let handle = PrometheusBuilder::new()
        .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), BUCKETS)?
        .install_recorder()?;
    describe();
    Ok(handle)
}

fn describe() {
    metrics::describe_counter!(
        "billify_http_requests_total",
        "HTTP requests by route template, method and status class."
    );
    metrics::describe_histogram!(
        "billify_http_request_duration_seconds",
        metrics::Unit::Seconds,
        "HTTP request latency by route template, method and status class."
    );
    metrics::describe_counter!("billify_jobs_total", "Background jobs run, by kind and outcome.");
    metrics::describe_histogram!(
        "billify_job_duration_seconds",
        metrics::Unit::Seconds,
        "Background job durations, by kind."
    );
    metrics::describe_counter!("billify_sync_runs_total", "Bank sync runs by provider and outcome.");
    metrics::describe_counter!("billify_job_errors_total", "Jobs that failed and will be retried, by worker pool.");
    metrics::describe_histogram!(
        "billify_extraction_duration_seconds",
        metrics::Unit::Seconds,
        "Reading (and storing) a newly uploaded document, by extraction method."
    );
    metrics::describe_gauge!("billify_build_info", "Always 1; the labels name the build.");
    metrics::gauge!("billify_build_info", "version" => env!("CARGO_PKG_VERSION")).set(1.0);
}

/// A sync outcome as a label: its variant's name in snake case (`Completed` -> `completed`).
pub fn outcome_label(outcome: &impl std::fmt::Debug) -> String {
    let text = format!("{outcome:?}");
    let name: String = text.chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
    let mut label = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            label.push('_');
        }
        label.push(c.to_ascii_lowercase());
    }
    label
}

/// `GET /metrics`.
pub async fn render(handle: web::Data<PrometheusHandle>) -> HttpResponse {
    HttpResponse::Ok().content_type("text/plain; version=0.0.4; charset=utf-8").body(handle.render())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    #[allow(dead_code, reason = "only the Debug text is read")]
    enum Outcome {
        Completed,
        NeedsReconsent(u8),
        ProviderError { code: u16 },
    }

    #[test]
    fn outcome_labels_are_snake_case_variant_names() {
        assert_eq!(outcome_label(&Outcome::Completed), "completed");
        assert_eq!(outcome_label(&Outcome::NeedsReconsent(1)), "needs_reconsent");
        assert_eq!(outcome_label(&Outcome::ProviderError { code: 500 }), "provider_error");
    }
}
