//! One sync run: claim a job, read accounts and transactions page by page, store them in
//! batches with the run's progress, renew the lease, and end the run with its outcome; transient
//! failures back off per integration.

use std::net::IpAddr;
use std::ops::ControlFlow;

use billify_domain::{BankTransaction, ProviderId};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use super::Breaker;
use super::tokens::LiveTokens;
use super::{JobReport, RunFailure, SYNC_JOB, SyncError, SyncService};
use billify_ports::RepositoryError;
use billify_ports::bank::{BankSource, UpsertCounts};
use billify_ports::banking::{BankingError, BankingProvider, SyncStatus, SyncSubtype};
use billify_ports::integrations::{
    Integration, IntegrationStatus, SyncBatch, SyncFinish, SyncOutcome, SyncRun, SyncStart, SyncWatermark,
    SyncedTransactions,
};
use billify_ports::jobs::Job;

/// What a run counted.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct RunCounts {
    pub(super) new_accounts: u32,
    pub(super) changed_accounts: u32,
    pub(super) transactions: UpsertCounts,
}

/// The error for runs a dead worker left running, or `None` on a job's first attempt: a run is
/// left running only by a worker that died holding the job, whose lease then expired and was
/// taken over.
pub(super) fn interrupted(job: &Job) -> Option<&'static str> {
    (job.attempts > 1).then_some("interrupted: the worker stopped before finishing; the next run replayed it")
}

/// A running sync's claim, what it has read and not yet stored, and what it has counted.
pub(super) struct RunState<'a> {
    pub(super) job: &'a Job,
    pub(super) worker: &'a str,
    pub(super) run: SyncRun,
    pub(super) counts: RunCounts,
    pub(super) transactions: Vec<SyncedTransactions>,
    pub(super) buffered: usize,
    pub(super) watermarks: Vec<(Uuid, SyncWatermark)>,
    /// When to extend the lease (half-way through it).
    pub(super) renew_at: OffsetDateTime,
}

/// `d` scaled by `factor` (a fraction drawn by [`billify_ports::Randomness`]).
pub(super) fn scaled(d: Duration, factor: f64) -> Duration {
    Duration::seconds_f64(d.as_seconds_f64() * factor.clamp(0.0, 1.0))
}

/// Exponential back-off with full jitter: uniformly between zero and `base * 2^(failures-1)`,
/// capped at `max`, for `fraction` in `[0, 1)`. Spreads the retries of many integrations that
/// failed together instead of sending them back in one wave.
pub(super) fn full_jitter(base: Duration, max: Duration, failures: i32, fraction: f64) -> Duration {
    let exponent = u32::try_from(failures.saturating_sub(1)).unwrap_or(0).min(30);
    let ceiling = base.saturating_mul(1_i32 << exponent).min(max);
    scaled(ceiling, fraction)
}

/// Equal jitter: between half of `d` and `d`, for waits that must not end at once (a job retried
/// after a storage failure, the end of a breaker's cool-down).
pub(super) fn equal_jitter(d: Duration, fraction: f64) -> Duration {
    scaled(d, 0.5 + fraction.clamp(0.0, 1.0) / 2.0)
}

impl SyncService {
    /// Claims one due job as `worker` and runs it; `None` when no job is due.
    pub fn run_next_job(&self, worker: &str) -> Result<Option<JobReport>, SyncError> {
        let now = self.clock.now();
        let Some(job) = self.jobs.claim(worker, now, self.settings.lease)? else { return Ok(None) };
        if job.kind == crate::reconciliation::RECONCILE_JOB
            && let Some(reconciliation) = &self.reconciliation
        {
            self.run_reconciliation(reconciliation, &job, worker)?;
            return Ok(Some(JobReport {
                kind: job.kind.clone(),
                organisation_id: job.organisation_id,
                integration_id: Uuid::nil(),
                outcome: None,
                new_transactions: 0,
                changed_transactions: 0,
            }));
        }
        if crate::alerts::handles(&job.kind)
            && let Some(alerts) = &self.alerts
        {
            match alerts.run_job(&job, worker) {
                Ok(outcome) => log::debug!("job {} ({}) of {}: {outcome:?}", job.id, job.kind, job.organisation_id),
                Err(e) => log::warn!(
                    "job {} ({}) of {} failed, it will be retried: {e}",
                    job.id,
                    job.kind,
                    job.organisation_id
                ),
            }
            return Ok(Some(JobReport {
                kind: job.kind.clone(),
                organisation_id: job.organisation_id,
                integration_id: Uuid::nil(),
                outcome: None,
                new_transactions: 0,
                changed_transactions: 0,
            }));
        }
        if job.kind != SYNC_JOB {
            self.jobs.fail(&job, worker, &format!("unknown job kind {}", job.kind), None, now)?;
            return Ok(Some(JobReport {
                kind: job.kind.clone(),
                organisation_id: job.organisation_id,
                integration_id: Uuid::nil(),
                outcome: None,
                new_transactions: 0,
                changed_transactions: 0,
            }));
        }
        let Ok(id) = Uuid::parse_str(&job.key) else {
            self.jobs.fail(&job, worker, "malformed integration id", None, now)?;
            return Ok(Some(JobReport {
                kind: job.kind.clone(),
                organisation_id: job.organisation_id,
                integration_id: Uuid::nil(),
                outcome: None,
                new_transactions: 0,
                changed_transactions: 0,
            }));
        };
        let (outcome, completed, counts) = match self.run_sync(&job, id, worker) {
            Ok(done) => done,
            Err(e) => {
                // Storage failed before the run could record anything: retry the job soon.
                let retry = now + equal_jitter(self.settings.backoff_base, self.random.fraction());
                if let Err(fail) = self.jobs.fail(&job, worker, &e.to_string(), Some(retry), self.clock.now()) {
                    log::warn!("cannot record the failure of job {}: {fail}", job.id);
                }
                return Err(e);
            }
        };
        if !completed {
            match self.jobs.complete(&job, worker, self.clock.now()) {
                Ok(()) | Err(RepositoryError::Conflict(_)) => {}
                Err(e) => return Err(e.into()),
            }
        }
        if let Some(outcome) = outcome.filter(|o| *o != SyncOutcome::Running) {
            self.events.sync_finished(job.organisation_id, id, outcome.code());
        }
        Ok(Some(JobReport {
            kind: job.kind.clone(),
            organisation_id: job.organisation_id,
            integration_id: id,
            outcome,
            new_transactions: counts.new,
            changed_transactions: counts.changed,
        }))
    }

    /// Runs a claimed reconciliation job: completed when it ran, queued again after a backoff
    /// when it failed (a conflict means another process changed the same rows meanwhile).
    fn run_reconciliation(
        &self,
        reconciliation: &crate::reconciliation::ReconciliationService,
        job: &Job,
        worker: &str,
    ) -> Result<(), SyncError> {
        match reconciliation.run_job(job) {
            Ok(_) => match self.jobs.complete(job, worker, self.clock.now()) {
                Ok(()) | Err(RepositoryError::Conflict(_)) => Ok(()),
                Err(e) => Err(e.into()),
            },
            Err(e) => {
                let now = self.clock.now();
                let retry = (job.attempts < 10).then(|| now + self.backoff(job.attempts));
                log::warn!("reconciliation of {} failed (attempt {}): {e}", job.organisation_id, job.attempts);
                match self.jobs.fail(job, worker, &e.to_string(), retry, now) {
                    Ok(()) | Err(RepositoryError::Conflict(_)) => Ok(()),
                    Err(e) => Err(e.into()),
                }
            }
        }
    }

    pub(super) fn backoff(&self, failures: i32) -> Duration {
        full_jitter(self.settings.backoff_base, self.settings.backoff_max, failures, self.random.fraction())
    }

    /// Runs the sync of a claimed job; returns its outcome and whether its end completed the job.
    /// The counts are the run's as stored: every batch's, the last one's (written with the end) too.
    pub(super) fn run_sync(
        &self,
        job: &Job,
        id: Uuid,
        worker: &str,
    ) -> Result<(Option<SyncOutcome>, bool, UpsertCounts), SyncError> {
        let organisation = job.organisation_id;
        let Some(mut integration) = self.integrations.integration(organisation, id)? else {
            return Ok((None, false, UpsertCounts::default()));
        };
        if !integration.status.is_syncable() {
            return Ok((None, false, UpsertCounts::default()));
        }
        if integration.provider.is_accounting() {
            // An accounting sync stores invoices, not bank transactions.
            let (outcome, completed) = self.run_accounting_sync(job, integration, worker)?;
            return Ok((outcome, completed, UpsertCounts::default()));
        }
        let Some(provider) = self.provider.clone() else {
            integration.status = IntegrationStatus::Failing;
            integration.last_error = Some("Ponto is not configured on this server".into());
            integration.next_sync_at = Some(self.clock.now() + self.settings.backoff_max);
            integration.updated_at = self.clock.now();
            self.integrations.save_status(&integration)?;
            return Ok((None, false, UpsertCounts::default()));
        };
        let now = self.clock.now();
        // A poisoned breaker (a worker panicked while holding it) must not stop every sync.
        let allowed = match self.breaker.lock() {
            Ok(mut breaker) => breaker.allow(now),
            Err(poisoned) => poisoned.into_inner().allow(now),
        };
        if let Err(until) = allowed {
            integration.status = IntegrationStatus::Failing;
            integration.last_error = Some(format!(
                "Ponto keeps failing, so Billify paused all Ponto syncs until {:02}:{:02}:{:02} UTC",
                until.hour(),
                until.minute(),
                until.second()
            ));
            integration.next_sync_at =
                Some(until + equal_jitter(self.settings.breaker_cooldown, self.random.fraction()));
            integration.updated_at = now;
            self.integrations.save_status(&integration)?;
            return Ok((None, false, UpsertCounts::default()));
        }
        let customer_ip: Option<IpAddr> = serde_json::from_str::<serde_json::Value>(&job.payload)
            .ok()
            .and_then(|v| v.get("customer_ip").and_then(|ip| ip.as_str()).and_then(|ip| ip.parse().ok()));

        integration.status = IntegrationStatus::Syncing;
        integration.last_attempt_at = Some(now);
        integration.updated_at = now;
        let run = SyncRun::started(organisation, id, now);
        let renew_at = now + self.settings.lease / 2;
        let mut state = RunState {
            job,
            worker,
            run,
            counts: RunCounts::default(),
            transactions: Vec::new(),
            buffered: 0,
            watermarks: Vec::new(),
            renew_at,
        };
        log::debug!("worker {worker} syncing integration {id} of {organisation}");
        let result = self.sync_integration(provider.as_ref(), &mut integration, customer_ip, &mut state);
        let end = self.clock.now();
        let mut run = state.run.clone();
        run.finished_at = Some(end);
        run.new_accounts = state.counts.new_accounts;
        run.changed_accounts = state.counts.changed_accounts;
        run.new_transactions = state.counts.transactions.new;
        run.changed_transactions = state.counts.transactions.changed;
        integration.updated_at = end;
        let breaker = &self.breaker;
        let with_breaker = |f: &dyn Fn(&mut Breaker)| {
            if let Ok(mut b) = breaker.lock() {
                f(&mut b);
            }
        };
        match result {
            Ok(()) => {
                with_breaker(&|b| b.success());
                run.outcome = SyncOutcome::Succeeded;
                integration.status = IntegrationStatus::Connected;
                integration.last_success_at = Some(end);
                integration.last_error = None;
                integration.consecutive_failures = 0;
                let next = if integration.pending_synchronizations.is_empty() {
                    self.settings.interval
                } else {
                    self.settings.pending_poll.min(self.settings.interval)
                };
                integration.next_sync_at = Some(end + next);
            }
            Err(RunFailure::Gone) => {
                with_breaker(&|b| b.release());
                return Ok((None, false, UpsertCounts::default()));
            }
            Err(RunFailure::Superseded) => {
                with_breaker(&|b| b.release());
                run.outcome = SyncOutcome::Failed;
                run.error = Some("another worker took over this sync".into());
                // What was read is stored (upserts are idempotent); the status is the new
                // owner's to write.
                let (written, counts) = self.finish(&state, &run, None, end)?;
                return Ok((Some(SyncOutcome::Failed), written, counts));
            }
            Err(RunFailure::Provider(BankingError::AuthorizationInvalid { detail })) => {
                with_breaker(&|b| b.release());
                log::info!("integration {id} of {organisation} needs re-consent: {detail}");
                run.outcome = SyncOutcome::Failed;
                let message = "The bank authorization expired or was revoked: connect Ponto again.".to_owned();
                run.error = Some(message.clone());
                integration.status = IntegrationStatus::NeedsReconsent;
                integration.last_error = Some(message);
                integration.next_sync_at = None;
            }
            Err(failure) => {
                let (message, retry_after) = match &failure {
                    RunFailure::Provider(e) => {
                        if !matches!(e, BankingError::NotFound { .. }) {
                            with_breaker(&|b| {
                                b.failure(end, self.settings.breaker_threshold, self.settings.breaker_cooldown)
                            });
                        } else {
                            with_breaker(&|b| b.release());
                        }
                        let retry_after = match e {
                            BankingError::RateLimited { retry_after } => {
                                retry_after.and_then(|d| Duration::try_from(d).ok())
                            }
                            _ => None,
                        };
                        (plain_words(e), retry_after)
                    }
                    RunFailure::Secret(e) => {
                        with_breaker(&|b| b.release());
                        (format!("Billify cannot read the stored bank tokens: {e}"), None)
                    }
                    RunFailure::Repository(e) => {
                        with_breaker(&|b| b.release());
                        log::warn!("sync of integration {id} could not store data: {e}");
                        ("Billify could not store the bank data; it will retry".to_owned(), None)
                    }
                    RunFailure::Superseded | RunFailure::Gone => (String::new(), None),
                };
                integration.consecutive_failures += 1;
                let delay = self.backoff(integration.consecutive_failures).max(retry_after.unwrap_or(Duration::ZERO));
                log::warn!(
                    "sync of integration {id} of {organisation} failed ({} in a row), retrying in {}s: {message}",
                    integration.consecutive_failures,
                    delay.whole_seconds()
                );
                run.outcome = SyncOutcome::Failed;
                run.error = Some(message.clone());
                integration.status = IntegrationStatus::Failing;
                integration.last_error = Some(message);
                integration.next_sync_at = Some(end + delay);
            }
        }
        // The last pages are written by `finish`, with the run's end: their counts come back from
        // that write and complete the run's (a small sync writes all of its pages there).
        let (completed, counts) = self.finish(&state, &run, Some(&integration), end)?;
        if counts.new > 0 || counts.changed > 0 {
            // New bookings may pay open invoices: reconcile them (one queued run per organisation).
            if let Err(e) = crate::reconciliation::queue_run(self.jobs.as_ref(), organisation, end) {
                log::warn!("cannot queue the reconciliation of {organisation}: {e}");
            }
        }
        Ok((Some(run.outcome), completed, counts))
    }

    /// Stores what the run read and not yet stored together with its end and the job's
    /// completion; returns whether the job was completed (`false`: the lease was lost) and the
    /// run's transaction counts, this last batch's included (as the store records them).
    pub(super) fn finish(
        &self,
        state: &RunState<'_>,
        run: &SyncRun,
        integration: Option<&Integration>,
        now: OffsetDateTime,
    ) -> Result<(bool, UpsertCounts), SyncError> {
        let written = self.integrations.write_sync_batch(&SyncBatch {
            organisation_id: run.organisation_id,
            transactions: &state.transactions,
            watermarks: &state.watermarks,
            finish: Some(SyncFinish {
                run,
                integration,
                job: state.job,
                worker: state.worker,
                interrupted: interrupted(state.job),
            }),
            now,
        })?;
        let mut counts = state.counts.transactions;
        counts.add(written.counts);
        Ok((written.job_completed, counts))
    }

    /// Keeps a page read by the run; stores the kept pages once there are `write_batch`
    /// transactions, and extends the job's lease half-way through it.
    pub(super) fn keep(
        &self,
        state: &mut RunState<'_>,
        account_id: Uuid,
        transactions: Vec<BankTransaction>,
    ) -> Result<(), RunFailure> {
        state.buffered += transactions.len();
        match state.transactions.last_mut() {
            Some(last) if last.account_id == account_id => last.transactions.extend(transactions),
            _ => state.transactions.push(SyncedTransactions { account_id, transactions }),
        }
        if state.buffered >= self.settings.write_batch.max(1) {
            self.flush(state)?;
        }
        let now = self.clock.now();
        if now >= state.renew_at {
            if !self.jobs.renew_lease(state.job, state.worker, now + self.settings.lease)? {
                return Err(RunFailure::Superseded);
            }
            state.renew_at = now + self.settings.lease / 2;
        }
        Ok(())
    }

    /// Stores the kept pages and the watermarks of the passes they complete.
    pub(super) fn flush(&self, state: &mut RunState<'_>) -> Result<(), RunFailure> {
        let written = self.integrations.write_sync_batch(&SyncBatch {
            organisation_id: state.run.organisation_id,
            transactions: &state.transactions,
            watermarks: &state.watermarks,
            finish: None,
            now: self.clock.now(),
        })?;
        state.counts.transactions.add(written.counts);
        state.transactions.clear();
        state.watermarks.clear();
        state.buffered = 0;
        Ok(())
    }

    pub(super) fn sync_integration(
        &self,
        provider: &dyn BankingProvider,
        integration: &mut Integration,
        customer_ip: Option<IpAddr>,
        state: &mut RunState<'_>,
    ) -> Result<(), RunFailure> {
        let mut live = self.load_tokens(integration)?;
        if live.tokens.expires_at - self.clock.now() < self.settings.refresh_margin {
            let before = live.tokens.clone();
            let refreshed = provider.refresh_tokens(&live.tokens);
            if let Ok(tokens) = &refreshed {
                live.tokens = tokens.clone();
            }
            self.persist_tokens(integration, &mut live, &before)?;
            refreshed?;
        }

        // Accounts: every one shared, stored by provider id when the run starts.
        let accounts = self.call(integration, &mut live, |t| provider.list_accounts(t))?;
        let now = self.clock.now();
        integration.consent_expires_at = accounts.iter().filter_map(|a| a.authorization_expires_at()).min();
        let Some(stored) = self.integrations.start_sync_run(&SyncStart {
            integration,
            run: &state.run,
            interrupted: interrupted(state.job),
            source: BankSource::Ponto,
            accounts: &accounts,
            now,
        })?
        else {
            return Err(RunFailure::Gone);
        };
        let mut ids = Vec::with_capacity(accounts.len());
        for (account, stored) in accounts.iter().zip(stored) {
            if stored.new {
                state.counts.new_accounts += 1;
            } else if stored.changed {
                state.counts.changed_accounts += 1;
            }
            ids.push((account.provider_id().clone(), stored.id, stored.watermark));
        }

        // Bank-side synchronisations requested earlier: read their results once finished.
        let mut still_pending = Vec::new();
        for sync_id in std::mem::take(&mut integration.pending_synchronizations) {
            let Ok(pid) = ProviderId::parse(&sync_id) else { continue };
            let sync = match self.call(integration, &mut live, |t| provider.synchronization(t, &pid)) {
                Ok(sync) => sync,
                Err(RunFailure::Provider(BankingError::NotFound { .. })) => continue,
                Err(e) => return Err(e),
            };
            if !sync.status.is_final() {
                still_pending.push(sync_id);
                continue;
            }
            if sync.needs_reauthorization() {
                return Err(RunFailure::Provider(BankingError::AuthorizationInvalid {
                    detail: "the bank refused the synchronisation: consent expired".into(),
                }));
            }
            if sync.status == SyncStatus::Success
                && sync.subtype == SyncSubtype::AccountTransactions
                && let Some((_, account_id, _)) = ids.iter().find(|(p, _, _)| p == &sync.account_id)
            {
                let account_id = *account_id;
                let mut failure = None;
                self.call(integration, &mut live, |t| {
                    provider.updated_transactions(t, &pid, None, &mut |page| match self.keep(
                        state,
                        account_id,
                        page.transactions,
                    ) {
                        Ok(()) => ControlFlow::Continue(()),
                        Err(e) => {
                            failure = Some(e);
                            ControlFlow::Break(())
                        }
                    })
                })?;
                if let Some(e) = failure {
                    return Err(e);
                }
            }
        }
        integration.pending_synchronizations = still_pending;

        // Transactions the provider holds, newest first, down to the last completed pass.
        for (provider_account, account_id, watermark) in &ids {
            self.sync_account(
                provider,
                integration,
                &mut live,
                provider_account,
                *account_id,
                watermark.as_ref(),
                state,
            )?;
        }

        // Ask the bank for fresh data, no more often than the provider allows.
        let due = integration.bank_sync_requested_at.is_none_or(|at| now - at >= self.settings.bank_sync_interval);
        if self.settings.request_bank_syncs && due && integration.pending_synchronizations.is_empty() {
            for (provider_account, _, _) in &ids {
                match self.call(integration, &mut live, |t| {
                    provider.create_synchronization(t, provider_account, SyncSubtype::AccountTransactions, customer_ip)
                }) {
                    Ok(sync) => integration.pending_synchronizations.push(sync.id.as_str().to_owned()),
                    // The provider may refuse a synchronisation it thinks too soon: read what it holds.
                    Err(RunFailure::Provider(
                        e @ (BankingError::Rejected { .. } | BankingError::RateLimited { .. }),
                    )) => {
                        log::info!("bank-side synchronisation of {provider_account} not started: {e}");
                    }
                    Err(e) => return Err(e),
                }
            }
            integration.bank_sync_requested_at = Some(now);
        }
        Ok(())
    }

    /// One pass over an account's transactions, newest first, down to the watermark the last
    /// completed pass left (plus the overlap). The new watermark is kept once the pass completes
    /// and stored with the next batch, so a pass cut short leaves the old one.
    #[allow(clippy::too_many_arguments, reason = "the parts of one pass")]
    pub(super) fn sync_account(
        &self,
        provider: &dyn BankingProvider,
        integration: &Integration,
        live: &mut LiveTokens,
        provider_account: &ProviderId,
        account_id: Uuid,
        watermark: Option<&SyncWatermark>,
        state: &mut RunState<'_>,
    ) -> Result<(), RunFailure> {
        let stop_before = watermark.map(|w| w.execution_date - Duration::days(self.settings.overlap_days));
        let mut top: Option<SyncWatermark> = None;
        let mut failure = None;
        let mut reached_watermark = false;
        self.call(integration, live, |t| {
            provider.transactions(t, provider_account, None, &mut |page| {
                let transactions = page.transactions;
                if top.is_none() {
                    top = transactions.first().map(|t: &BankTransaction| SyncWatermark {
                        transaction_id: t.provider_id().as_str().to_owned(),
                        execution_date: t.execution_date(),
                    });
                }
                if let Some(w) = watermark {
                    reached_watermark |= transactions
                        .iter()
                        .any(|t| t.provider_id().as_str() == w.transaction_id || t.execution_date() < w.execution_date);
                }
                let past_overlap = stop_before.is_some_and(|stop| {
                    transactions.last().is_some_and(|t: &BankTransaction| t.execution_date() < stop)
                });
                if let Err(e) = self.keep(state, account_id, transactions) {
                    failure = Some(e);
                    return ControlFlow::Break(());
                }
                if reached_watermark && past_overlap { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
            })
        })?;
        if let Some(e) = failure {
            return Err(e);
        }
        if let Some(top) = top
            && watermark != Some(&top)
        {
            state.watermarks.push((account_id, top));
        }
        Ok(())
    }
}

/// A provider error in words for the integration's status.
pub(super) fn plain_words(e: &BankingError) -> String {
    match e {
        BankingError::AuthorizationInvalid { .. } => "The bank authorization expired or was revoked".into(),
        BankingError::RateLimited { .. } => "Ponto asked Billify to slow down; the sync will resume shortly".into(),
        BankingError::NotFound { what } => format!("Ponto no longer shares {what}"),
        BankingError::Rejected { status, .. } => format!("Ponto refused a request (HTTP {status})"),
        BankingError::Server { status, .. } => format!("Ponto is failing (HTTP {status})"),
        BankingError::Transport(_) => "Ponto cannot be reached".into(),
        BankingError::InvalidResponse(_) => "Ponto answered something Billify cannot read".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn back_off_grows_exponentially_up_to_the_cap_with_full_jitter() {
        let (base, max) = (Duration::seconds(30), Duration::hours(1));
        assert_eq!(full_jitter(base, max, 1, 0.0), Duration::ZERO, "full jitter may retry at once");
        assert_eq!(full_jitter(base, max, 1, 0.5), Duration::seconds(15));
        assert_eq!(full_jitter(base, max, 3, 0.5), Duration::seconds(60), "30 s * 2^2, halved");
        assert_eq!(full_jitter(base, max, 20, 0.5), Duration::minutes(30), "capped at an hour, halved");
        assert_eq!(full_jitter(base, max, i32::MAX, 0.5), Duration::minutes(30), "no overflow");
        assert!(full_jitter(base, max, 4, 0.999_999) < Duration::seconds(240));
    }

    #[test]
    fn equal_jitter_keeps_at_least_half_the_wait() {
        let d = Duration::seconds(60);
        assert_eq!(equal_jitter(d, 0.0), Duration::seconds(30));
        assert_eq!(equal_jitter(d, 0.5), Duration::seconds(45));
        assert!(equal_jitter(d, 0.999_999) < d);
        assert_eq!(equal_jitter(d, 7.0), d, "a fraction out of range is clamped");
    }
}
