//! Periodic background jobs of one process: the daily overdue transition, the purge of expired
//! sessions, of unconfirmed drafts past their lifetime and of live events past their retention. Both are idempotent and safe to run from several processes at once.

use std::sync::Arc;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::Duration;

use billify_app::{AccountService, EventService, IntakeService, InvoiceService};

/// Runs the jobs now and then every `interval` until `stop` receives a message or is dropped.
pub fn run(
    accounts: Arc<AccountService>,
    invoices: Arc<InvoiceService>,
    intake: Arc<IntakeService>,
    events: Arc<EventService>,
    interval: Duration,
    stop: Receiver<()>,
) {
    loop {
        match invoices.mark_overdue_invoices() {
            Ok(n) if n > 0 => log::info!("overdue job: {n} invoices became overdue"),
            Ok(_) => log::debug!("overdue job: nothing to do"),
            Err(e) => log::warn!("overdue job failed, will retry: {e}"),
        }
        match accounts.purge_expired_sessions() {
            Ok(n) if n > 0 => log::info!("session job: removed {n} expired sessions"),
            Ok(_) => {}
            Err(e) => log::warn!("session purge failed, will retry: {e}"),
        }
        if let Some(two_factor) = accounts.two_factor() {
            match two_factor.purge_expired_challenges() {
                Ok(n) if n > 0 => log::info!("session job: removed {n} expired login challenges"),
                Ok(_) => {}
                Err(e) => log::warn!("login challenge purge failed, will retry: {e}"),
            }
        }
        match intake.purge_expired_drafts() {
            Ok(n) if n > 0 => log::info!("draft job: removed {n} expired drafts"),
            Ok(_) => {}
            Err(e) => log::warn!("draft purge failed, will retry: {e}"),
        }
        match events.prune() {
            Ok(n) if n > 0 => log::info!("event job: removed {n} live events past their retention"),
            Ok(_) => {}
            Err(e) => log::warn!("live event prune failed, will retry: {e}"),
        }
        match stop.recv_timeout(interval) {
            Err(RecvTimeoutError::Timeout) => continue,
            Ok(()) | Err(RecvTimeoutError::Disconnected) => break,
        }
    }
    log::info!("background jobs stopped");
}
