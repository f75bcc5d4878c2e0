//! A run of the rules: new transactions batch by batch, then the transactions left unmatched
//! against the invoices stored since the last run; each batch read with only the open items it
//! may name, proposed by the domain's [`Matcher`] and stored atomically.

use std::collections::{HashMap, HashSet};

use billify_domain::{Allocation, CandidateKeys, InvoiceId, Matcher, OrganisationId, PaymentFacts, Proposal};
use billify_ports::bank::StoredBankTransaction;
use billify_ports::reconciliation::{ReconciliationOutcome, StoredMatch, StoredSuggestion, SuggestionStatus};
use uuid::Uuid;

use super::{BATCH, RECHECK_INVOICES, ReconciliationError, ReconciliationService, RunSummary, Touched, money};

impl ReconciliationService {
    /// Runs the rules over every transaction of the organisation they have not looked at yet,
    /// batch by batch, then compares the invoices stored since the last run (created, confirmed,
    /// imported) with the transactions left unmatched; each batch is stored atomically. Running
    /// again on the same data changes nothing, and an undone match or a rejected candidate is
    /// never proposed again.
    pub fn run(&self, organisation: OrganisationId) -> Result<RunSummary, ReconciliationError> {
        let mut summary = RunSummary::default();
        loop {
            let transactions = self.repo.transactions_to_reconcile(organisation, BATCH)?;
            if transactions.is_empty() {
                break;
            }
            let mut matcher = self.matcher_for(organisation, &transactions)?;
            let ids: Vec<Uuid> = transactions.iter().map(|t| t.id).collect();
            self.examine(organisation, &mut matcher, &transactions, ids, &mut summary)?;
        }
        self.recheck(organisation, &mut summary)?;
        if summary.transactions > 0 || summary.rechecked > 0 {
            log::info!(
                "reconciliation of {organisation}: {} transactions, {} re-examined, {} matches, {} suggestions, {} invoices paid",
                summary.transactions,
                summary.rechecked,
                summary.matches,
                summary.suggestions,
                summary.invoices_paid
            );
        }
        Ok(summary)
    }

    /// Compares the invoices not yet compared with the transactions the rules left unmatched
    /// (no active match, no pending suggestion), booked from the date window before the oldest
    /// new invoice's issue date on, then marks those invoices compared. A transaction that now
    /// fits is matched or suggested like a new one; one that still fits nothing stays as it is.
    ///
    /// The matcher of each page of transactions reads every open item the page may name, not only
    /// the new invoices, so one pass over the transactions compares them with all the invoices
    /// waiting (up to [`RECHECK_INVOICES`] at a time): the transactions are read once, not once per
    /// batch of invoices. Only the invoices listed before the pass are marked; one stored meanwhile
    /// (whose queued run this one may stand for) gets a pass of its own before the run ends, and a
    /// crash before the marks leaves them all waiting.
    fn recheck(&self, organisation: OrganisationId, summary: &mut RunSummary) -> Result<(), ReconciliationError> {
        loop {
            let mut waiting = Vec::new();
            let mut cursor = None;
            while waiting.len() < RECHECK_INVOICES {
                let page = self.repo.invoices_to_reconcile(organisation, cursor, BATCH)?;
                let Some(&(last, issued)) = page.last() else { break };
                cursor = Some((issued, last));
                let full = page.len() == BATCH as usize;
                waiting.extend(page);
                if !full {
                    break;
                }
            }
            // Listed in issue-date order: the first is the oldest.
            let Some(&(_, oldest)) = waiting.first() else { break };
            let since = oldest.saturating_sub(time::Duration::days(self.settings.date_window_days.max(0)));
            let mut after = None;
            loop {
                let page = self.repo.unmatched_transactions(organisation, since, after, BATCH)?;
                let Some(last) = page.last() else { break };
                after = Some((last.transaction.execution_date(), last.id));
                let mut matcher = self.matcher_for(organisation, &page)?;
                summary.rechecked += u32::try_from(page.len()).unwrap_or(u32::MAX);
                let mut found = RunSummary::default();
                self.examine(organisation, &mut matcher, &page, Vec::new(), &mut found)?;
                summary.matches += found.matches;
                summary.suggestions += found.suggestions;
                summary.invoices_paid += found.invoices_paid;
                summary.overpayments += found.overpayments;
                if page.len() < BATCH as usize {
                    break;
                }
            }
            for chunk in waiting.chunks(BATCH as usize) {
                let compared = ReconciliationOutcome {
                    reconciled_invoices: chunk.iter().map(|(id, _)| *id).collect(),
                    ..Default::default()
                };
                self.repo.save_outcome(organisation, &compared, self.clock.now())?;
            }
        }
        Ok(())
    }

    /// The rules over the open items these transactions may pay: those they name by reference
    /// or number, those whose open amount they equal, and those credit notes correct (read by
    /// index, so a batch costs the same whatever the number of open invoices); every open item
    /// when the amount tolerance is too wide to list the amounts.
    fn matcher_for(
        &self,
        organisation: OrganisationId,
        transactions: &[StoredBankTransaction],
    ) -> Result<Matcher, ReconciliationError> {
        let facts: Vec<PaymentFacts> =
            transactions.iter().filter_map(|t| PaymentFacts::from_transaction(&t.transaction)).collect();
        let items = match CandidateKeys::of(&facts, &self.settings) {
            Some(keys) => self.repo.open_items_for(organisation, &keys)?,
            None => self.repo.open_items(organisation)?,
        };
        Ok(Matcher::new(items, self.settings))
    }

    /// Proposes what each transaction pays and stores the matches, suggestions and payments in
    /// one outcome, claiming `claim` (the transactions looked at for the first time).
    fn examine(
        &self,
        organisation: OrganisationId,
        matcher: &mut Matcher,
        transactions: &[StoredBankTransaction],
        claim: Vec<Uuid>,
        summary: &mut RunSummary,
    ) -> Result<(), ReconciliationError> {
        let ids: Vec<Uuid> = transactions.iter().map(|t| t.id).collect();
        let mut excluded: HashMap<Uuid, HashSet<InvoiceId>> = HashMap::new();
        for (transaction, invoice) in self.repo.excluded_invoices(organisation, &ids)? {
            excluded.entry(transaction).or_default().insert(invoice);
        }
        let now = self.clock.now();
        let today = crate::calendar::today_of(self.accounts.as_ref(), self.clock.as_ref(), organisation)?;
        let mut outcome = ReconciliationOutcome { reconciled_transactions: claim, ..Default::default() };
        let mut touched = Touched::default();
        let none = HashSet::new();
        let mut proposals = Vec::with_capacity(transactions.len());
        for stored in transactions {
            let Some(facts) = PaymentFacts::from_transaction(&stored.transaction) else { continue };
            let exclude = excluded.get(&stored.id).unwrap_or(&none);
            proposals.push((stored, matcher.propose(&facts, exclude)));
        }
        // The invoices to pay, read at once.
        let mut paid_ids: Vec<InvoiceId> = proposals
            .iter()
            .filter_map(|(_, p)| match p {
                Proposal::Apply { allocations, .. } => Some(allocations.iter().map(|a| a.invoice_id)),
                _ => None,
            })
            .flatten()
            .collect();
        paid_ids.sort();
        paid_ids.dedup();
        if !paid_ids.is_empty() {
            touched.preload(self.repo.invoices_by_id(organisation, &paid_ids)?, now);
        }
        for (stored, proposal) in proposals {
            match proposal {
                Proposal::Apply { allocations, overpayment_minor } => {
                    let last = allocations.len().saturating_sub(1);
                    for (n, Allocation { invoice_id, amount_minor, explanation }) in allocations.into_iter().enumerate()
                    {
                        let amount = money(amount_minor, stored.transaction.amount())?;
                        touched.pay(self.invoices.as_ref(), organisation, invoice_id, &amount, now, today)?;
                        let over = if n == last { overpayment_minor } else { 0 };
                        summary.overpayments += u32::from(over > 0);
                        outcome.matches.push(StoredMatch {
                            id: Uuid::now_v7(),
                            transaction_id: stored.id,
                            invoice_id,
                            overpayment: money(over, &amount)?,
                            amount,
                            explanation,
                            applied_by: None,
                            suggestion_id: None,
                            created_at: now,
                            undone_at: None,
                            undone_by: None,
                        });
                    }
                }
                Proposal::Suggest { rule, reason, candidates } => {
                    outcome.suggestions.push(StoredSuggestion {
                        id: Uuid::now_v7(),
                        transaction_id: stored.id,
                        rule,
                        reason,
                        candidates,
                        status: SuggestionStatus::Pending,
                        created_at: now,
                        decided_at: None,
                        decided_by: None,
                    });
                }
                Proposal::Nothing => {}
            }
        }
        if !outcome.reconciled_transactions.is_empty() {
            summary.transactions += u32::try_from(transactions.len()).unwrap_or(u32::MAX);
        }
        summary.matches += u32::try_from(outcome.matches.len()).unwrap_or(u32::MAX);
        summary.suggestions += u32::try_from(outcome.suggestions.len()).unwrap_or(u32::MAX);
        summary.invoices_paid += self.store(organisation, outcome, touched, None, now)?;
        Ok(())
    }
}
