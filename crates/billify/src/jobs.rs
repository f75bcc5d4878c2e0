//! Periodic background jobs of one process: the daily overdue transition, the purge of expired
//! sessions, of unconfirmed drafts past their lifetime and of live events past their retention,
//! and the collection of stray document files. All are idempotent and safe to run from several
//! processes at once.

use std::sync::Arc;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::Duration;

use billify_app::{AccountService, EventService, IntakeService, InvoiceService};

use crate::outage::{Outage, backoff};

/// When the jobs run.
#[derive(Debug, Clone, Copy)]
pub struct Intervals {
    /// Between two runs.
    pub every: Duration,
    /// How old an unreferenced document file must be before it is collected.
    pub stray_document_grace: Duration,
}

/// Removes what crashes left in the document store (abandoned temporary files, files no draft or
/// invoice refers to, last written more than `grace` ago).
pub fn collect_stray_documents(intake: &IntakeService, grace: Duration, outage: &Outage) -> bool {
    match intake.collect_stray_documents(grace) {
        Ok(n) => {
            if n > 0 {
                log::info!("document job: removed {n} stray files");
            }
            true
        }
        Err(e) => {
            outage.failed("collecting stray documents", &e);
            false
        }
    }
}

/// Runs the jobs now and then every `interval` until `stop` receives a message or is dropped.
pub fn run(
    accounts: Arc<AccountService>,
    invoices: Arc<InvoiceService>,
    intake: Arc<IntakeService>,
    events: Arc<EventService>,
    intervals: Intervals,
    outage: Arc<Outage>,
    stop: Receiver<()>,
) {
    let Intervals { every: interval, stray_document_grace } = intervals;
    let mut failures = 0;
    loop {
        let mut ok = true;
        let mut report = |task: &str, result: Result<u64, String>, done: &str| match result {
            Ok(n) if n > 0 => log::info!("{task}: {n} {done}"),
            Ok(_) => {}
            Err(e) => {
                ok = false;
                outage.failed(task, &e);
            }
        };
        report(
            "overdue job",
            invoices.mark_overdue_invoices().map(|n| n as u64).map_err(|e| e.to_string()),
            "invoices became overdue",
        );
        report(
            "session purge",
            accounts.purge_expired_sessions().map_err(|e| e.to_string()),
            "expired sessions removed",
        );
        if let Some(two_factor) = accounts.two_factor() {
            report(
                "login challenge purge",
                two_factor.purge_expired_challenges().map_err(|e| e.to_string()),
                "expired login challenges removed",
            );
        }
        report(
            "draft purge",
            intake.purge_expired_drafts().map(|n| n as u64).map_err(|e| e.to_string()),
            "expired drafts removed",
        );
        report(
            "reading measure",
            intake.measure_confirmed_drafts().map(|n| n as u64).map_err(|e| e.to_string()),
            "confirmed drafts measured for reading accuracy",
        );
        let ok = collect_stray_documents(&intake, stray_document_grace, &outage) && ok;
        failures = if ok { 0 } else { failures + 1 };
        if ok {
            outage.succeeded();
        }
        match events.prune() {
            Ok(n) if n > 0 => log::info!("event job: removed {n} live events past their retention"),
            Ok(_) => {}
            Err(e) => log::warn!("live event prune failed, will retry: {e}"),
        }
        // While the storage is down, retry sooner than the interval (with backoff), so the jobs
        // resume soon after it returns.
        let wait =
            if outage.ongoing() { backoff(Duration::from_millis(500), failures).min(interval) } else { interval };
        match stop.recv_timeout(wait) {
            Err(RecvTimeoutError::Timeout) => continue,
            Ok(()) | Err(RecvTimeoutError::Disconnected) => break,
        }
    }
    log::info!("background jobs stopped");
}
