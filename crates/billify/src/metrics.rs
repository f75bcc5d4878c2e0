//! `GET /metrics`: the `metrics` facade's Prometheus recorder, rendered in the text format on
//! the main address or, with `BILLIFY_METRICS_BIND`, on a separate one that need not be public.
//!
//! Recorded as things happen: HTTP requests by route template, method and status class with
//! latency histograms (`billify_web::observe`), background jobs by kind and outcome with
//! durations, bank sync runs by provider and outcome (the sync workers, `bank_sync`), document
//! reads by extraction method (`billify_web`'s upload), provider calls and errors by provider and
//! notifications sent by channel and outcome (the adapters' decorators in `metered`), and build
//! info. Sampled at each scrape ([`Sampler`]): the database pool, the job queue's depth and the
//! circuit breakers' states.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

use actix_web::{HttpResponse, web};
use billify_app::SyncService;
use billify_app::sync::CircuitState;
use billify_ports::jobs::JobQueue;
use billify_ports::{Clock, StorageHealth};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

/// Latency buckets, in seconds: 1 ms to 30 s.
const BUCKETS: &[f64] = &[0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0];

/// How often the histograms' recorded samples are folded into their buckets.
const UPKEEP_EVERY: std::time::Duration = std::time::Duration::from_secs(5);

/// Installs the process-wide recorder (once), records the build info, and starts the thread that
/// folds the histograms' samples into their buckets every [`UPKEEP_EVERY`]. The exporter keeps
/// every sample until that upkeep or a scrape: without it, a server nobody scraped kept about 8
/// bytes per request until the next scrape: 55 MiB resident after eight endpoints of the HTTP benchmark's load on
/// PostgreSQL, against 37 MiB with the upkeep (same binary otherwise, same run).
pub fn install() -> anyhow::Result<PrometheusHandle> {
    let handle = PrometheusBuilder::new()
        .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), BUCKETS)?
        .install_recorder()?;
    describe();
    let upkeep = handle.clone();
    std::thread::Builder::new().name("billify-metrics-upkeep".into()).spawn(move || {
        loop {
            std::thread::sleep(UPKEEP_EVERY);
            upkeep.run_upkeep();
        }
    })?;
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
    metrics::describe_counter!("billify_provider_calls_total", "Calls to a provider (ponto, yuki), by outcome.");
    metrics::describe_counter!("billify_provider_errors_total", "Failed provider calls, by provider and error kind.");
    metrics::describe_histogram!(
        "billify_provider_call_duration_seconds",
        metrics::Unit::Seconds,
        "Provider call durations (a paged read counts as one call)."
    );
    metrics::describe_counter!(
        "billify_notifications_sent_total",
        "Notifications sent by channel (webhook, email) and outcome (sent, rejected, transport, permanent)."
    );
    metrics::describe_histogram!(
        "billify_notification_duration_seconds",
        metrics::Unit::Seconds,
        "Sending one notification, by channel."
    );
    metrics::describe_gauge!(
        "billify_db_pool_max_connections",
        "The most connections a database pool opens (pool: main; on SQLite read, and write: its one write connection)."
    );
    metrics::describe_gauge!(
        "billify_db_pool_connections",
        "Database pool connections by pool and state (idle, in_use)."
    );
    metrics::describe_counter!("billify_db_pool_checkouts_total", "Connections handed out by the database pool.");
    metrics::describe_counter!(
        "billify_db_pool_waits_total",
        "Checkouts that waited more than a millisecond for a connection."
    );
    metrics::describe_gauge!(
        "billify_db_pool_wait_seconds_total",
        metrics::Unit::Seconds,
        "Time spent waiting for database connections, summed (only grows)."
    );
    metrics::describe_counter!("billify_db_pool_timeouts_total", "Requests for a connection that gave up waiting.");
    metrics::describe_gauge!(
        "billify_job_queue_depth",
        "Jobs by kind and state: due (waiting for a worker), scheduled (later), running."
    );
    metrics::describe_gauge!(
        "billify_circuit_breaker_state",
        "1 for the provider circuit breaker's current state (closed, open, half_open) in this process, else 0."
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

/// What is read at each scrape rather than recorded as it happens.
pub struct Sampler {
    /// The database, for its pool.
    pub health: Arc<dyn StorageHealth>,
    /// The job queue, for its depth.
    pub jobs: Arc<dyn JobQueue>,
    /// The sync engine, for its circuit breakers.
    pub sync: Arc<SyncService>,
    /// The time.
    pub clock: Arc<dyn Clock>,
    /// The job kinds reported so far, so that a kind whose jobs are gone reads 0.
    kinds: Mutex<BTreeSet<String>>,
}

impl Sampler {
    /// A sampler of these services.
    pub fn new(
        health: Arc<dyn StorageHealth>,
        jobs: Arc<dyn JobQueue>,
        sync: Arc<SyncService>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Sampler { health, jobs, sync, clock, kinds: Mutex::default() }
    }

    /// Sets the sampled gauges (blocking: the queue's depth is a query).
    pub fn sample(&self) {
        // One pool serves everything, or (SQLite) a read pool beside the one write connection.
        let write = self.health.write_pool();
        let read = self.health.pool().map(|p| (if write.is_some() { "read" } else { "main" }, p));
        for (name, pool) in read.into_iter().chain(write.map(|p| ("write", p))) {
            metrics::gauge!("billify_db_pool_max_connections", "pool" => name).set(f64::from(pool.max_size));
            metrics::gauge!("billify_db_pool_connections", "pool" => name, "state" => "idle").set(f64::from(pool.idle));
            metrics::gauge!("billify_db_pool_connections", "pool" => name, "state" => "in_use")
                .set(f64::from(pool.connections.saturating_sub(pool.idle)));
            metrics::counter!("billify_db_pool_checkouts_total", "pool" => name).absolute(pool.checkouts);
            metrics::counter!("billify_db_pool_waits_total", "pool" => name).absolute(pool.waits);
            metrics::gauge!("billify_db_pool_wait_seconds_total", "pool" => name).set(pool.wait_seconds);
            metrics::counter!("billify_db_pool_timeouts_total", "pool" => name).absolute(pool.timeouts);
        }
        match self.jobs.depth(self.clock.now()) {
            Ok(depths) => {
                let mut kinds = self.kinds.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                let now: BTreeSet<String> = depths.iter().map(|d| d.kind.clone()).collect();
                for gone in kinds.difference(&now) {
                    for state in ["due", "scheduled", "running"] {
                        metrics::gauge!("billify_job_queue_depth", "kind" => gone.clone(), "state" => state).set(0.0);
                    }
                }
                for d in depths {
                    for (state, n) in [("due", d.due), ("scheduled", d.scheduled), ("running", d.running)] {
                        #[allow(clippy::cast_precision_loss, reason = "a gauge; exact below 2^53 jobs")]
                        metrics::gauge!("billify_job_queue_depth", "kind" => d.kind.clone(), "state" => state)
                            .set(n as f64);
                    }
                }
                kinds.extend(now);
            }
            Err(e) => log::debug!("metrics: cannot read the job queue's depth: {e}"),
        }
        for (provider, current) in self.sync.circuits() {
            for state in CircuitState::ALL {
                metrics::gauge!("billify_circuit_breaker_state", "provider" => provider, "state" => state.code())
                    .set(if state == current { 1.0 } else { 0.0 });
            }
        }
    }
}

/// What `GET /metrics` serves: the recorder's handle and what it samples at each scrape.
pub struct Metrics {
    /// Renders the recorded metrics.
    pub handle: PrometheusHandle,
    /// Sets the sampled gauges before rendering.
    pub sampler: Option<Arc<Sampler>>,
}

/// `GET /metrics`.
pub async fn render(metrics: web::Data<Metrics>) -> HttpResponse {
    if let Some(sampler) = metrics.sampler.clone()
        && web::block(move || sampler.sample()).await.is_err()
    {
        log::warn!("metrics: sampling failed");
    }
    HttpResponse::Ok().content_type("text/plain; version=0.0.4; charset=utf-8").body(metrics.handle.render())
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
