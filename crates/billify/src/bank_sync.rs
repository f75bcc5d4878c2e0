//! The bank sync engine of one process: its configuration (Ponto credentials, intervals), the
//! Ponto adapter, the scheduler thread and the worker threads.
//!
//! Every process runs a scheduler and workers; the job queue in the database makes that safe (on
//! PostgreSQL, `FOR UPDATE SKIP LOCKED` claims with leases), so scaling out is starting more
//! processes.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

use crate::outage::{MAX_BACKOFF, Outage, backoff};

use anyhow::Context as _;
use billify_app::AccountingSyncSettings;
use billify_app::{SyncService, SyncSettings};
use billify_ponto::{ClientCertificate, PontoClient, PontoConfig, RequestSigning};
use billify_yuki::{YukiClient, YukiConfig};

/// How to reach Ponto, when configured.
#[derive(Debug, Clone)]
pub struct PontoSettings {
    /// The adapter's configuration (its `Debug` hides the client secret).
    pub config: PontoConfig,
}

/// The sync engine's configuration.
#[derive(Debug, Clone)]
pub struct SyncConfig {
    /// Ponto, or `None` when `BILLIFY_PONTO_CLIENT_ID` is not set.
    pub ponto: Option<PontoSettings>,
    /// The engine's settings.
    pub settings: SyncSettings,
    /// Yuki's endpoints, or `None` when `BILLIFY_YUKI` is `off`.
    pub yuki: Option<YukiConfig>,
    /// Accounting syncs' settings.
    pub accounting: AccountingSyncSettings,
    /// Worker threads of this process (0: this process does not sync).
    pub workers: usize,
    /// How often an idle worker looks for work.
    pub poll: Duration,
    /// How often the scheduler looks for due integrations.
    pub schedule_every: Duration,
}

fn number(get: &dyn Fn(&str) -> Option<String>, name: &str, default: u64, max: u64) -> anyhow::Result<u64> {
    match get(name) {
        None => Ok(default),
        Some(text) => match text.trim().parse::<u64>() {
            Ok(n) if n <= max => Ok(n),
            _ => anyhow::bail!("invalid configuration: {name}: {text:?} is not a number from 0 to {max}"),
        },
    }
}

fn seconds(n: u64) -> time::Duration {
    time::Duration::seconds(i64::try_from(n).unwrap_or(i64::MAX))
}

impl SyncConfig {
    /// Reads the process environment.
    pub fn from_env() -> anyhow::Result<SyncConfig> {
        Self::from_lookup(&|name| std::env::var(name).ok().filter(|v| !v.trim().is_empty()))
    }

    /// Reads `BILLIFY_PONTO_*` and `BILLIFY_SYNC_*` through `get` (see `.env.example`).
    pub fn from_lookup(get: &dyn Fn(&str) -> Option<String>) -> anyhow::Result<SyncConfig> {
        let ponto = match get("BILLIFY_PONTO_CLIENT_ID") {
            None => None,
            Some(client_id) => {
                let secret = get("BILLIFY_PONTO_CLIENT_SECRET").context(
                    "invalid configuration: BILLIFY_PONTO_CLIENT_SECRET must be set with BILLIFY_PONTO_CLIENT_ID",
                )?;
                let redirect = get("BILLIFY_PONTO_REDIRECT_URI").context(
                    "invalid configuration: BILLIFY_PONTO_REDIRECT_URI must be set with BILLIFY_PONTO_CLIENT_ID",
                )?;
                let mut config = match get("BILLIFY_PONTO_ENV").as_deref().unwrap_or("live") {
                    "live" => PontoConfig::live(&client_id, &secret, &redirect),
                    "sandbox" => PontoConfig::sandbox(&client_id, &secret, &redirect),
                    other => {
                        anyhow::bail!("invalid configuration: BILLIFY_PONTO_ENV: {other:?} is not live or sandbox")
                    }
                };
                if let Some(url) = get("BILLIFY_PONTO_API_URL") {
                    config.api_base_url = url;
                }
                if let Some(url) = get("BILLIFY_PONTO_AUTHORIZATION_URL") {
                    config.authorization_url = url;
                }
                match (get("BILLIFY_PONTO_CERTIFICATE"), get("BILLIFY_PONTO_PRIVATE_KEY")) {
                    (Some(cert), Some(key)) => {
                        config.client_certificate = Some(ClientCertificate {
                            certificate_path: PathBuf::from(cert),
                            private_key_path: PathBuf::from(key),
                        })
                    }
                    (None, None) => {}
                    _ => anyhow::bail!(
                        "invalid configuration: BILLIFY_PONTO_CERTIFICATE and BILLIFY_PONTO_PRIVATE_KEY go together"
                    ),
                }
                match (get("BILLIFY_PONTO_SIGNING_KEY_ID"), get("BILLIFY_PONTO_SIGNING_KEY")) {
                    (Some(key_id), Some(key)) => {
                        config.signing = Some(RequestSigning { key_id, private_key_path: PathBuf::from(key) })
                    }
                    (None, None) => {}
                    _ => anyhow::bail!(
                        "invalid configuration: BILLIFY_PONTO_SIGNING_KEY_ID and BILLIFY_PONTO_SIGNING_KEY go together"
                    ),
                }
                config.root_certificates = get("BILLIFY_PONTO_CA_CERTIFICATES").map(PathBuf::from);
                Some(PontoSettings { config })
            }
        };
        let defaults = SyncSettings::default();
        let settings = SyncSettings {
            interval: seconds(number(get, "BILLIFY_SYNC_INTERVAL_SECONDS", 60, 86_400)?.max(1)),
            bank_sync_interval: seconds(60 * number(get, "BILLIFY_BANK_SYNC_INTERVAL_MINUTES", 30, 10_080)?),
            request_bank_syncs: number(get, "BILLIFY_BANK_SYNC_INTERVAL_MINUTES", 30, 10_080)? > 0,
            lease: seconds(number(get, "BILLIFY_SYNC_LEASE_SECONDS", 300, 86_400)?.max(1)),
            backoff_base: seconds(number(get, "BILLIFY_SYNC_BACKOFF_SECONDS", 30, 86_400)?.max(1)),
            write_batch: usize::try_from(number(get, "BILLIFY_SYNC_WRITE_BATCH", 1000, 100_000)?.max(1))
                .unwrap_or(1000),
            ..defaults
        };
        let yuki = match get("BILLIFY_YUKI").as_deref().map(str::trim) {
            None | Some("on") => {
                let mut yuki = YukiConfig::production();
                if let Some(url) = get("BILLIFY_YUKI_BASE_URL") {
                    yuki = YukiConfig::at(&url);
                }
                if let Some(url) = get("BILLIFY_YUKI_NL_URL") {
                    yuki.nl_base_url = url;
                }
                if let Some(url) = get("BILLIFY_YUKI_BE_URL") {
                    yuki.be_base_url = url;
                }
                for url in [&yuki.nl_base_url, &yuki.be_base_url] {
                    if !url.starts_with("https://") && !url.starts_with("http://") {
                        anyhow::bail!("invalid configuration: BILLIFY_YUKI_*_URL: {url:?} is not an http(s) URL");
                    }
                }
                Some(yuki)
            }
            Some("off") => None,
            Some(other) => anyhow::bail!("invalid configuration: BILLIFY_YUKI: {other:?} is not on or off"),
        };
        let accounting_defaults = AccountingSyncSettings::default();
        let accounting = AccountingSyncSettings {
            interval: seconds(60 * number(get, "BILLIFY_YUKI_SYNC_MINUTES", 15, 10_080)?.max(1)),
            daily_calls: u32::try_from(number(get, "BILLIFY_YUKI_DAILY_CALLS", 1000, 1_000_000)?.max(1))
                .unwrap_or(1000),
            budget_percent: u32::try_from(number(get, "BILLIFY_YUKI_BUDGET_PERCENT", 80, 100)?).unwrap_or(80),
            ..accounting_defaults
        };
        Ok(SyncConfig {
            ponto,
            settings,
            yuki,
            accounting,
            workers: usize::try_from(number(get, "BILLIFY_SYNC_WORKERS", 4, 256)?).unwrap_or(4),
            poll: Duration::from_millis(number(get, "BILLIFY_SYNC_POLL_MILLIS", 1000, 60_000)?.max(10)),
            schedule_every: Duration::from_secs(5),
        })
    }

    /// Builds the Yuki adapter, when enabled.
    pub fn yuki_provider(&self) -> Option<Arc<YukiClient>> {
        self.yuki.clone().map(|config| Arc::new(YukiClient::new(config)))
    }

    /// Builds the Ponto adapter, when configured.
    pub fn provider(&self) -> anyhow::Result<Option<Arc<PontoClient>>> {
        match &self.ponto {
            None => Ok(None),
            Some(p) => Ok(Some(Arc::new(PontoClient::new(p.config.clone()).context("configuring Ponto")?))),
        }
    }
}

/// The running scheduler and workers; they stop when [`SyncEngine::stop`] is called.
pub struct SyncEngine {
    stop: Arc<AtomicBool>,
    threads: Vec<JoinHandle<()>>,
}

/// Sleeps up to `total`, waking early when `stop` is set.
fn nap(stop: &AtomicBool, total: Duration) {
    let step = Duration::from_millis(50);
    let mut slept = Duration::ZERO;
    while slept < total && !stop.load(Ordering::Relaxed) {
        std::thread::sleep(step.min(total - slept));
        slept += step;
    }
}

impl SyncEngine {
    /// Starts the scheduler and `config.workers` workers over `sync`. While the storage is down
    /// (`outage`), they log it once and back off.
    pub fn start(sync: Arc<SyncService>, config: &SyncConfig, outage: Arc<Outage>) -> anyhow::Result<SyncEngine> {
        let stop = Arc::new(AtomicBool::new(false));
        let mut threads = Vec::new();
        if config.workers == 0 {
            log::info!("bank sync: no workers in this process (BILLIFY_SYNC_WORKERS=0)");
            return Ok(SyncEngine { stop, threads });
        }
        let every = config.schedule_every;
        let (s, st, out) = (sync.clone(), stop.clone(), outage.clone());
        threads.push(
            std::thread::Builder::new()
                .name("billify-sync-scheduler".into())
                .spawn(move || {
                    let mut last_purge: Option<std::time::Instant> = None;
                    let mut last_alerts: Option<std::time::Instant> = None;
                    while !st.load(Ordering::Relaxed) {
                        // The daily alerts: each organisation's once a local day, after its morning.
                        if last_alerts.is_none_or(|at| at.elapsed() >= Duration::from_secs(60)) {
                            match s.schedule_alerts() {
                                Ok(n) if n > 0 => log::info!("alerts: queued the daily alerts of {n} organisations"),
                                Ok(_) => {}
                                Err(e) => log::warn!("scheduling the daily alerts failed, will retry: {e}"),
                            }
                            last_alerts = Some(std::time::Instant::now());
                        }
                        if last_purge.is_none_or(|at| at.elapsed() >= Duration::from_secs(300)) {
                            match s.purge_history() {
                                Ok((jobs, runs)) if jobs + runs > 0 => {
                                    log::info!("sync history: removed {jobs} finished jobs and {runs} old sync runs")
                                }
                                Ok(_) => {}
                                Err(e) => {
                                    out.failed("purging the sync history", &e);
                                }
                            }
                            last_purge = Some(std::time::Instant::now());
                        }
                        let wait = match s.schedule_due(1000) {
                            Ok(n) => {
                                if n > 0 {
                                    log::debug!("sync scheduler: queued {n} integrations");
                                }
                                out.succeeded();
                                every
                            }
                            Err(e) if out.failed("the sync scheduler", &e) => every.min(MAX_BACKOFF),
                            Err(_) => every,
                        };
                        nap(&st, wait);
                    }
                })
                .context("starting the sync scheduler")?,
        );
        let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "host".into());
        for n in 0..config.workers {
            let (s, st, poll, out) = (sync.clone(), stop.clone(), config.poll, outage.clone());
            let worker = format!("{host}-{}-{n}", std::process::id());
            threads.push(
                std::thread::Builder::new()
                    .name(format!("billify-sync-{n}"))
                    .spawn(move || {
                        let mut failures = 0;
                        while !st.load(Ordering::Relaxed) {
                            let started = std::time::Instant::now();
                            match s.run_next_job(&worker) {
                                Ok(Some(report)) => {
                                    failures = 0;
                                    out.succeeded();
                                    let outcome = report
                                        .outcome
                                        .as_ref()
                                        .map_or_else(|| "nothing_to_do".to_owned(), crate::metrics::outcome_label);
                                    metrics::counter!("billify_jobs_total", "kind" => report.kind.clone(), "outcome" => outcome.clone())
                                        .increment(1);
                                    metrics::histogram!("billify_job_duration_seconds", "kind" => report.kind.clone())
                                        .record(started.elapsed().as_secs_f64());
                                    if report.kind == "bank.sync" {
                                        metrics::counter!("billify_sync_runs_total", "provider" => "ponto", "outcome" => outcome)
                                            .increment(1);
                                    }
                                    log::debug!(
                                        "worker {worker}: integration {} of {}: {:?}",
                                        report.integration_id,
                                        report.organisation_id,
                                        report.outcome
                                    )
                                }
                                Ok(None) => {
                                    failures = 0;
                                    out.succeeded();
                                    nap(&st, poll)
                                }
                                Err(e) => {
                                    // The job stays queued (its lease runs out), so nothing is lost;
                                    // the job queue never runs it twice at once.
                                    failures += 1;
                                    metrics::counter!("billify_job_errors_total", "pool" => "sync").increment(1);
                                    let down = out.failed(&format!("sync worker {worker}"), &e);
                                    nap(&st, if down { backoff(poll, failures) } else { poll });
                                }
                            }
                        }
                    })
                    .context("starting a sync worker")?,
            );
        }
        log::info!("bank sync: {} workers started", config.workers);
        Ok(SyncEngine { stop, threads })
    }

    /// Stops the threads after their current job and waits for them.
    pub fn stop(self) {
        self.stop.store(true, Ordering::Relaxed);
        for t in self.threads {
            if t.join().is_err() {
                log::error!("a sync thread panicked");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn with(vars: &[(&str, &str)]) -> anyhow::Result<SyncConfig> {
        let map: HashMap<String, String> = vars.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        SyncConfig::from_lookup(&|k| map.get(k).cloned())
    }

    #[test]
    fn ponto_is_off_without_a_client_id_and_complete_with_one() {
        let c = with(&[]).unwrap();
        assert!(c.ponto.is_none());
        assert_eq!(c.settings.interval, time::Duration::minutes(1));
        assert_eq!(c.workers, 4);
        let err = with(&[("BILLIFY_PONTO_CLIENT_ID", "id")]).unwrap_err().to_string();
        assert!(err.contains("BILLIFY_PONTO_CLIENT_SECRET"), "{err}");
        let c = with(&[
            ("BILLIFY_PONTO_CLIENT_ID", "id"),
            ("BILLIFY_PONTO_CLIENT_SECRET", "very-secret"),
            ("BILLIFY_PONTO_REDIRECT_URI", "https://billify.example/bank/callback"),
            ("BILLIFY_PONTO_ENV", "sandbox"),
        ])
        .unwrap();
        let ponto = c.ponto.as_ref().unwrap();
        assert!(ponto.config.authorization_url.contains("sandbox"));
        assert!(!format!("{c:?}").contains("very-secret"), "the client secret is never printed");
        assert!(c.provider().unwrap().is_some());
    }

    #[test]
    fn invalid_values_name_the_variable() {
        let err = with(&[("BILLIFY_SYNC_WORKERS", "many")]).unwrap_err().to_string();
        assert!(err.contains("BILLIFY_SYNC_WORKERS"), "{err}");
        let err = with(&[
            ("BILLIFY_PONTO_CLIENT_ID", "id"),
            ("BILLIFY_PONTO_CLIENT_SECRET", "s"),
            ("BILLIFY_PONTO_REDIRECT_URI", "https://x"),
            ("BILLIFY_PONTO_CERTIFICATE", "c.pem"),
        ])
        .unwrap_err()
        .to_string();
        assert!(err.contains("BILLIFY_PONTO_PRIVATE_KEY"), "{err}");
        assert!(!with(&[("BILLIFY_BANK_SYNC_INTERVAL_MINUTES", "0")]).unwrap().settings.request_bank_syncs);
    }
}
