//! One accounting sync: read the outstanding debtor and creditor items as a stream, make or
//! update an invoice of each, link invoices typed in or uploaded earlier, close the invoices
//! whose items are no longer outstanding, and keep every item (flagged when its data is bad).
//!
//! **Idempotent.** An item is remembered with a digest of its fields; an unchanged item costs
//! nothing, a changed one is written once. Every invoice is written with its audit entry in the
//! same transaction: a change through the audited repository methods, new invoices a batch at a
//! time (each with its own `invoice.created` entry; one commit per batch, not per invoice, or a
//! large administration's first sync waits minutes for the disk on PostgreSQL); the item
//! records follow in batches. A worker killed in between leaves invoices whose items are not yet remembered: the
//! next run finds them by direction, counterparty and number and links them, so nothing is
//! created twice.
//!
//! **Closing exactly once.** An item remembered as outstanding that both lists no longer carry
//! marks its invoice paid (an audited `invoice.paid`, dated by the sync) and is then remembered
//! as closed; marking paid is idempotent, so a run cut short in between closes nothing twice.
//! Only a complete read of both sides closes anything. An item that comes back reopens its
//! invoice through the audited reopen.
//!
//! **Bad data** is kept and flagged, never dropped: a missing due date (the document date is
//! used), an unknown currency (no invoice can hold it: the item alone is kept), a negative open
//! amount (a credit note), unreadable fields, a missing number or contact.

use std::collections::{HashMap, HashSet};
use std::ops::ControlFlow;

use billify_domain::{Invoice, InvoiceEvent, InvoiceId, InvoiceStatus, NewInvoice, OrganisationId};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use super::accounting::Accounting;
use super::engine::{equal_jitter, interrupted};
use super::mapping::{fingerprint, map_item, patch_for};
use super::{RunFailure, SyncService};
use crate::audit::{invoice_state, invoice_target};
use billify_ports::RepositoryError;
use billify_ports::accounting::{
    AccountingConnection, AccountingError, AccountingItem, AccountingSettings, AuditedInvoice, CallMeter, ItemSide,
    KnownItem, OutstandingItem,
};
use billify_ports::audit::{AuditAction, NewAuditEntry};
use billify_ports::bank::BankSource;
use billify_ports::integrations::{
    Integration, IntegrationStatus, SyncBatch, SyncFinish, SyncOutcome, SyncRun, SyncStart, tokens_context,
};
use billify_ports::jobs::Job;

/// Calls one sync spends at most: `Authenticate` (when the session is not kept), both lists, and
/// a renewed session once.
const CALLS_PER_SYNC: u32 = 4;

/// Why an accounting run stopped.
enum LedgerFailure {
    Run(RunFailure),
    Accounting(AccountingError),
}

impl From<RunFailure> for LedgerFailure {
    fn from(e: RunFailure) -> Self {
        LedgerFailure::Run(e)
    }
}

impl From<RepositoryError> for LedgerFailure {
    fn from(e: RepositoryError) -> Self {
        LedgerFailure::Run(RunFailure::Repository(e))
    }
}

/// What a run counted.
#[derive(Default)]
struct Counts {
    new_invoices: u32,
    changed_invoices: u32,
    closed_invoices: u32,
    flagged_items: u32,
}

/// The audit entry of a change the sync made.
fn audit(invoice: &Invoice, action: AuditAction, now: OffsetDateTime, run: Uuid, why: &str) -> NewAuditEntry {
    let mut after = invoice_state(invoice);
    if let Some(map) = after.as_object_mut() {
        map.insert("sync".into(), serde_json::json!({"provider": "yuki", "run": run.to_string(), "reason": why}));
    }
    NewAuditEntry {
        organisation_id: Some(invoice.organisation_id()),
        actor: None,
        action,
        target: invoice_target(invoice),
        occurred_at: now,
        ip: None,
        before: None,
        after: Some(after),
    }
}

/// A new invoice waiting for its batch to be stored.
struct Creation {
    invoice: Invoice,
    events: Vec<InvoiceEvent>,
    audit: NewAuditEntry,
    new: NewInvoice,
    /// Its item's place in `Ledger::pending`.
    item: usize,
}

/// A running accounting sync.
struct Ledger<'a> {
    service: &'a SyncService,
    accounting: &'a Accounting,
    job: &'a Job,
    worker: &'a str,
    organisation: OrganisationId,
    integration: Uuid,
    run: Uuid,
    today: Date,
    known: HashMap<String, KnownItem>,
    seen: HashSet<String>,
    pending: Vec<AccountingItem>,
    /// New invoices of the pending items, stored before them.
    creating: Vec<Creation>,
    counts: Counts,
    renew_at: OffsetDateTime,
}

impl Ledger<'_> {
    fn now(&self) -> OffsetDateTime {
        self.service.clock.now()
    }

    fn flush(&mut self) -> Result<(), LedgerFailure> {
        self.create_staged()?;
        self.accounting.repository.save_items(&self.pending)?;
        self.pending.clear();
        let now = self.now();
        if now >= self.renew_at {
            let lease = self.service.settings.lease;
            if !self.service.jobs.renew_lease(self.job, self.worker, now + lease)? {
                return Err(LedgerFailure::Run(RunFailure::Superseded));
            }
            self.renew_at = now + lease / 2;
        }
        Ok(())
    }

    /// Stores an invoice change with its audit entry; a concurrent edit is retried once on the
    /// fresh invoice.
    fn write(
        &mut self,
        mut invoice: Invoice,
        new: &NewInvoice,
        reopen: bool,
    ) -> Result<Option<InvoiceId>, LedgerFailure> {
        for attempt in 0..2 {
            let now = self.now();
            let mut events: Vec<InvoiceEvent> = Vec::new();
            let mut action = AuditAction::InvoiceUpdated;
            let mut why = "changed in the books";
            if reopen && invoice.status() == InvoiceStatus::Paid {
                match invoice.reopen("outstanding again in the books (Yuki)", now, self.today) {
                    Ok(e) => events.extend(e),
                    Err(e) => {
                        log::warn!("cannot reopen invoice {}: {e}", invoice.id());
                        return Ok(Some(invoice.id()));
                    }
                }
                action = AuditAction::InvoiceReopened;
                why = "outstanding again in the books";
            }
            let patch = patch_for(&invoice, new);
            if patch.is_empty() && events.is_empty() {
                return Ok(Some(invoice.id()));
            }
            if !patch.is_empty() {
                match invoice.apply(patch, now, self.today) {
                    Ok(e) => events.extend(e),
                    Err(e) => {
                        log::warn!("item {:?} cannot update invoice {}: {e}", new.external_reference, invoice.id());
                        return Ok(Some(invoice.id()));
                    }
                }
            }
            if invoice.status() == InvoiceStatus::Paid && action == AuditAction::InvoiceUpdated {
                action = AuditAction::InvoicePaid;
                why = "paid in the books";
            }
            invoice.advance_version(now);
            let record = audit(&invoice, action, now, self.run, why);
            match self.accounting.invoices.update_audited(&invoice, &events, &record) {
                Ok(()) => {
                    self.counts.changed_invoices += 1;
                    return Ok(Some(invoice.id()));
                }
                Err(RepositoryError::StaleVersion { .. }) if attempt == 0 => {
                    match self.accounting.invoices.get(self.organisation, invoice.id())? {
                        Some(fresh) => invoice = fresh,
                        None => return Ok(None),
                    }
                }
                Err(e) => return Err(e.into()),
            }
        }
        Ok(Some(invoice.id()))
    }

    /// Makes the invoice of a new item, to be stored with its batch.
    fn stage(&self, new: &NewInvoice) -> Option<Creation> {
        let now = self.now();
        let id = InvoiceId::from_uuid(Uuid::now_v7());
        let (invoice, events) = match Invoice::create(id, self.organisation, new.clone(), now, self.today) {
            Ok(created) => created,
            Err(e) => {
                log::warn!("item {:?} cannot become an invoice: {e}", new.external_reference);
                return None;
            }
        };
        let audit = audit(&invoice, AuditAction::InvoiceCreated, now, self.run, "outstanding in the books");
        Some(Creation { invoice, events, audit, new: new.clone(), item: usize::MAX })
    }

    /// Stores the staged invoices in one transaction; when one of them exists already (typed in
    /// meanwhile, or made by a run killed before it remembered its item), one at a time, linking
    /// that one.
    fn create_staged(&mut self) -> Result<(), LedgerFailure> {
        let staged = std::mem::take(&mut self.creating);
        let batch: Vec<AuditedInvoice<'_>> =
            staged.iter().map(|c| AuditedInvoice { invoice: &c.invoice, events: &c.events, audit: &c.audit }).collect();
        match self.accounting.repository.insert_invoices_audited(&batch) {
            Ok(()) => {
                self.counts.new_invoices += u32::try_from(staged.len()).unwrap_or(u32::MAX);
                return Ok(());
            }
            Err(RepositoryError::Conflict(_)) => {}
            Err(e) => return Err(e.into()),
        }
        drop(batch);
        for c in staged {
            let id = match self.accounting.invoices.insert_audited(&c.invoice, &c.events, &c.audit) {
                Ok(()) => {
                    self.counts.new_invoices += 1;
                    Some(c.invoice.id())
                }
                Err(RepositoryError::Conflict(_)) => self.link(&c.new, false)?,
                Err(e) => return Err(e.into()),
            };
            if let Some(item) = self.pending.get_mut(c.item) {
                item.invoice_id = id;
                // An item whose invoice could not be written is looked at again next time.
                if id.is_none() {
                    item.fingerprint = String::new();
                }
            }
        }
        Ok(())
    }

    /// Links the invoice with the item's direction, counterparty and number, updating it.
    fn link(&mut self, new: &NewInvoice, reopen: bool) -> Result<Option<InvoiceId>, LedgerFailure> {
        let existing = self.accounting.repository.invoice_by_number(
            self.organisation,
            new.direction,
            &new.counterparty.identity_key(),
            new.invoice_number.as_str(),
        )?;
        match existing {
            Some(invoice) => self.write(invoice, new, reopen),
            None => Ok(None),
        }
    }

    fn item(&mut self, side: ItemSide, item: OutstandingItem) -> Result<(), LedgerFailure> {
        let print = fingerprint(&item);
        let id = if item.id.is_empty() { format!("no-id:{}", &print[..16]) } else { item.id.clone() };
        if !self.seen.insert(id.clone()) {
            return Ok(());
        }
        let known = self.known.get(&id).cloned();
        if known.as_ref().is_some_and(|k| k.outstanding && k.fingerprint == print && k.side == side) {
            return Ok(());
        }
        let mapped = map_item(&item, side, self.today);
        let reopen = known.as_ref().is_some_and(|k| !k.outstanding) && !mapped.open_is_zero;
        let mut staged = None;
        let invoice_id = match &mapped.new {
            None => None,
            Some(new) => {
                let current = match known.as_ref().and_then(|k| k.invoice_id) {
                    Some(invoice) => self.accounting.invoices.get(self.organisation, invoice)?,
                    None => None,
                };
                match current {
                    Some(invoice) if invoice.currency() == new.total.currency() => self.write(invoice, new, reopen)?,
                    Some(invoice) => Some(invoice.id()),
                    None => match self.link(new, reopen)? {
                        Some(id) => Some(id),
                        None => {
                            staged = self.stage(new);
                            staged.as_ref().map(|c| c.invoice.id())
                        }
                    },
                }
            }
        };
        if !mapped.flags.is_empty() {
            self.counts.flagged_items += 1;
        }
        self.pending.push(AccountingItem {
            organisation_id: self.organisation,
            integration_id: self.integration,
            item_id: id,
            side,
            invoice_id,
            outstanding: true,
            // An item whose invoice could not be written is looked at again next time.
            fingerprint: if invoice_id.is_none() && mapped.new.is_some() { String::new() } else { print },
            flags: mapped.flags,
            reference: item.reference,
            open_amount: item.open_amount.map(|a| a.to_string()),
            original_amount: item.original_amount.map(|a| a.to_string()),
            currency: item.currency,
            last_seen_at: self.now(),
            closed_at: None,
        });
        if let Some(mut creation) = staged {
            creation.item = self.pending.len() - 1;
            self.creating.push(creation);
        }
        if self.pending.len() >= self.accounting.settings.write_batch.max(1) {
            self.flush()?;
        }
        Ok(())
    }

    /// Closes what both lists no longer carry: its invoice is marked paid, once.
    fn close_missing(&mut self) -> Result<(), LedgerFailure> {
        let gone: Vec<KnownItem> =
            self.known.values().filter(|k| k.outstanding && !self.seen.contains(&k.item_id)).cloned().collect();
        let mut closed = Vec::with_capacity(gone.len());
        for item in gone {
            if let Some(id) = item.invoice_id {
                for attempt in 0..2 {
                    let Some(mut invoice) = self.accounting.invoices.get(self.organisation, id)? else { break };
                    let now = self.now();
                    let events = match invoice.mark_paid(now, self.today) {
                        Ok(events) => events,
                        Err(e) => {
                            log::warn!("cannot mark invoice {id} paid: {e}");
                            break;
                        }
                    };
                    if events.is_empty() {
                        break;
                    }
                    invoice.advance_version(now);
                    let record =
                        audit(&invoice, AuditAction::InvoicePaid, now, self.run, "no longer outstanding in the books");
                    match self.accounting.invoices.update_audited(&invoice, &events, &record) {
                        Ok(()) => {
                            self.counts.closed_invoices += 1;
                            break;
                        }
                        Err(RepositoryError::StaleVersion { .. }) if attempt == 0 => continue,
                        Err(e) => return Err(e.into()),
                    }
                }
            }
            closed.push(item.item_id);
            if closed.len() >= self.accounting.settings.write_batch.max(1) {
                self.accounting.repository.close_items(self.organisation, self.integration, &closed, self.now())?;
                closed.clear();
            }
        }
        self.accounting.repository.close_items(self.organisation, self.integration, &closed, self.now())?;
        Ok(())
    }
}

impl SyncService {
    /// Runs the sync of a claimed job for an accounting integration; returns its outcome and
    /// whether its end completed the job.
    pub(super) fn run_accounting_sync(
        &self,
        job: &Job,
        mut integration: Integration,
        worker: &str,
    ) -> Result<(Option<SyncOutcome>, bool), super::SyncError> {
        let organisation = integration.organisation_id;
        let id = integration.id;
        let now = self.clock.now();
        let accounting = match (self.accounting.as_ref(), integration.accounting.clone()) {
            (Some(a), Some(settings)) if a.provider.is_some() => (a, settings),
            _ => {
                integration.status = IntegrationStatus::Failing;
                integration.last_error = Some("Yuki is not configured on this server".into());
                integration.next_sync_at = Some(now + self.settings.backoff_max);
                integration.updated_at = now;
                self.integrations.save_status(&integration)?;
                return Ok((None, false));
            }
        };
        let (accounting, settings) = accounting;
        let allowed = match accounting.breaker.lock() {
            Ok(mut breaker) => breaker.allow(now),
            Err(poisoned) => poisoned.into_inner().allow(now),
        };
        if let Err(until) = allowed {
            integration.status = IntegrationStatus::Failing;
            integration.last_error = Some(format!(
                "Yuki keeps failing, so Billify paused all Yuki syncs until {:02}:{:02}:{:02} UTC",
                until.hour(),
                until.minute(),
                until.second()
            ));
            integration.next_sync_at =
                Some(until + equal_jitter(self.settings.breaker_cooldown, self.random.fraction()));
            integration.updated_at = now;
            self.integrations.save_status(&integration)?;
            return Ok((None, false));
        }
        // The budget: a sync that could pass the scheduler's share waits for the next day.
        let day = self.budget_day(now);
        let used = if integration.calls_day == Some(day) { integration.calls_used } else { 0 };
        let budget = accounting.settings.budget();
        if used.saturating_add(CALLS_PER_SYNC) > budget {
            let resets = Self::budget_resets_at(day);
            integration.last_error = Some(format!(
                "Billify used {used} of its {budget} Yuki calls for today; syncs resume at {} UTC",
                resets.date()
            ));
            integration.next_sync_at = Some(resets);
            integration.updated_at = now;
            if let Ok(mut b) = accounting.breaker.lock() {
                b.release();
            }
            self.integrations.save_status(&integration)?;
            return Ok((None, false));
        }

        integration.status = IntegrationStatus::Syncing;
        integration.last_attempt_at = Some(now);
        integration.updated_at = now;
        let mut run = SyncRun::started(organisation, id, now);
        let mut meter = CallMeter::default();
        let mut counts = Counts::default();
        let result = self.ledger(job, worker, &mut integration, &settings, accounting, &run, &mut meter, &mut counts);
        // Every call counts against the budget, those of a failed run too.
        let used = match self.count_calls(accounting, organisation, id, &meter) {
            Ok(n) => n,
            Err(e) => {
                log::warn!("cannot count the Yuki calls of integration {id}: {e}");
                used + meter.calls
            }
        };
        integration.calls_day = Some(day);
        integration.calls_used = used;
        let end = self.clock.now();
        run.finished_at = Some(end);
        run.new_invoices = counts.new_invoices;
        run.changed_invoices = counts.changed_invoices;
        run.closed_invoices = counts.closed_invoices;
        run.flagged_items = counts.flagged_items;
        integration.updated_at = end;
        let with_breaker = |f: &dyn Fn(&mut super::breaker::Breaker)| {
            if let Ok(mut b) = accounting.breaker.lock() {
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
                // Spread the day's budget: never more often than the share allows.
                let spread = time::Duration::seconds(i64::from(86_400 * CALLS_PER_SYNC / budget.max(1)));
                integration.next_sync_at = Some(end + accounting.settings.interval.max(spread));
            }
            Err(LedgerFailure::Run(RunFailure::Gone)) => {
                with_breaker(&|b| b.release());
                return Ok((None, false));
            }
            Err(LedgerFailure::Run(RunFailure::Superseded)) => {
                with_breaker(&|b| b.release());
                run.outcome = SyncOutcome::Failed;
                run.error = Some("another worker took over this sync".into());
                let written = self.finish_accounting(job, worker, &run, None, end)?;
                return Ok((Some(SyncOutcome::Failed), written));
            }
            Err(LedgerFailure::Accounting(AccountingError::InvalidAccessKey { detail })) => {
                with_breaker(&|b| b.release());
                log::info!("integration {id} of {organisation}: Yuki refused the access key: {detail}");
                let message = "Yuki refused the access key: connect Yuki again with a new key.".to_owned();
                run.outcome = SyncOutcome::Failed;
                run.error = Some(message.clone());
                integration.status = IntegrationStatus::NeedsReconsent;
                integration.last_error = Some(message);
                integration.next_sync_at = None;
            }
            Err(LedgerFailure::Accounting(AccountingError::BudgetExceeded { .. })) => {
                with_breaker(&|b| b.release());
                // Yuki's own count is spent (other software may share the domain): wait for it.
                let _ = accounting.repository.count_calls(organisation, id, day, accounting.settings.daily_calls);
                let resets = Self::budget_resets_at(day);
                let message = format!(
                    "Yuki's daily call limit for this domain is reached; syncs resume at {} UTC",
                    resets.date()
                );
                run.outcome = SyncOutcome::Failed;
                run.error = Some(message.clone());
                integration.status = IntegrationStatus::Failing;
                integration.last_error = Some(message);
                integration.next_sync_at = Some(resets);
            }
            Err(failure) => {
                let message = match &failure {
                    LedgerFailure::Accounting(AccountingError::Administration(m)) => {
                        with_breaker(&|b| b.release());
                        m.clone()
                    }
                    LedgerFailure::Accounting(e) => {
                        with_breaker(&|b| {
                            b.failure(end, self.settings.breaker_threshold, self.settings.breaker_cooldown)
                        });
                        match e {
                            AccountingError::Transport(_) => "Yuki cannot be reached".to_owned(),
                            AccountingError::InvalidResponse(_) => "Yuki answered something Billify cannot read".into(),
                            other => format!("Yuki failed: {other}"),
                        }
                    }
                    LedgerFailure::Run(RunFailure::Secret(e)) => {
                        with_breaker(&|b| b.release());
                        format!("Billify cannot read the stored Yuki access key: {e}")
                    }
                    LedgerFailure::Run(other) => {
                        with_breaker(&|b| b.release());
                        if let RunFailure::Repository(e) = other {
                            log::warn!("accounting sync of integration {id} could not store data: {e}");
                        }
                        "Billify could not store the accounting data; it will retry".to_owned()
                    }
                };
                integration.consecutive_failures += 1;
                let delay = self.backoff(integration.consecutive_failures);
                log::warn!("accounting sync of integration {id} of {organisation} failed: {message}");
                run.outcome = SyncOutcome::Failed;
                run.error = Some(message.clone());
                integration.status = IntegrationStatus::Failing;
                integration.last_error = Some(message);
                integration.next_sync_at = Some(end + delay);
            }
        }
        let completed = self.finish_accounting(job, worker, &run, Some(&integration), end)?;
        if run.new_invoices > 0 || run.changed_invoices > 0 {
            // Invoices new or changed in the books may be what earlier bank transactions paid.
            crate::reconciliation::queue_after_new_invoice(self.jobs.as_ref(), organisation, end);
        }
        Ok((Some(run.outcome), completed))
    }

    fn finish_accounting(
        &self,
        job: &Job,
        worker: &str,
        run: &SyncRun,
        integration: Option<&Integration>,
        now: OffsetDateTime,
    ) -> Result<bool, super::SyncError> {
        let written = self.integrations.write_sync_batch(&SyncBatch {
            organisation_id: run.organisation_id,
            transactions: &[],
            watermarks: &[],
            finish: Some(SyncFinish { run, integration, job, worker, interrupted: interrupted(job) }),
            now,
        })?;
        Ok(written.job_completed)
    }

    #[allow(clippy::too_many_arguments, reason = "the parts of one run")]
    fn ledger(
        &self,
        job: &Job,
        worker: &str,
        integration: &mut Integration,
        settings: &AccountingSettings,
        accounting: &Accounting,
        run: &SyncRun,
        meter: &mut CallMeter,
        counts: &mut Counts,
    ) -> Result<(), LedgerFailure> {
        let organisation = integration.organisation_id;
        let Some((sealed, _)) = self.integrations.sealed_tokens(organisation, integration.id)? else {
            return Err(LedgerFailure::Accounting(AccountingError::InvalidAccessKey {
                detail: "no access key stored".into(),
            }));
        };
        let key =
            self.cipher.open(&sealed, &tokens_context(organisation, integration.id)).map_err(RunFailure::Secret)?;
        let provider = accounting.provider.as_ref().ok_or(LedgerFailure::Run(RunFailure::Gone))?;
        let connection = AccountingConnection { region: settings.region, access_key: key.expose() };
        if self
            .integrations
            .start_sync_run(&SyncStart {
                integration,
                run,
                interrupted: interrupted(job),
                source: BankSource::Ponto,
                accounts: &[],
                now: self.clock.now(),
            })?
            .is_none()
        {
            return Err(LedgerFailure::Run(RunFailure::Gone));
        }
        let Some(administration) = settings.administration_id.clone() else {
            return Err(LedgerFailure::Accounting(AccountingError::Administration(
                "The Yuki access key reads several administrations: choose one (PATCH the integration's \
                 administration_id)."
                    .into(),
            )));
        };
        let today = crate::calendar::today_of(accounting.accounts.as_ref(), self.clock.as_ref(), organisation)?;
        let known = accounting.repository.known_items(organisation, integration.id)?;
        let now = self.clock.now();
        let mut ledger = Ledger {
            service: self,
            accounting,
            job,
            worker,
            organisation,
            integration: integration.id,
            run: run.id,
            today,
            known: known.into_iter().map(|k| (k.item_id.clone(), k)).collect(),
            seen: HashSet::new(),
            pending: Vec::new(),
            creating: Vec::new(),
            counts: Counts::default(),
            renew_at: now + self.settings.lease / 2,
        };
        let mut outcome = Ok(());
        for side in [ItemSide::Debtor, ItemSide::Creditor] {
            let mut failure = None;
            let read = provider.outstanding_items(&connection, &administration, side, meter, &mut |item| match ledger
                .item(side, item)
            {
                Ok(()) => ControlFlow::Continue(()),
                Err(e) => {
                    failure = Some(e);
                    ControlFlow::Break(())
                }
            });
            if let Some(e) = failure {
                outcome = Err(e);
                break;
            }
            if let Err(e) = read {
                outcome = Err(LedgerFailure::Accounting(e));
                break;
            }
        }
        // What was read is stored in any case; only a complete read closes anything.
        let stored = ledger.flush();
        let result = outcome.and(stored).and_then(|()| ledger.close_missing());
        *counts = std::mem::take(&mut ledger.counts);
        result
    }
}
