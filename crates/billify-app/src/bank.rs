//! Bank data use cases: importing statement files and reading accounts and transactions.

use std::sync::Arc;

use uuid::Uuid;

use super::Actor;
use super::audit::entry;
use billify_ports::audit::{AuditAction, AuditTarget};
use billify_ports::bank::{
    BankRepository, BankSource, BankTransactionPage, BankTransactionQuery, ImportedStatement, StatementReader,
    StoredBankAccount, UpsertCounts,
};
use billify_ports::jobs::JobQueue;
use billify_ports::{Clock, RepositoryError};

/// Why a bank use case failed.
#[derive(Debug, thiserror::Error)]
pub enum BankServiceError {
    /// The actor's role does not allow this.
    #[error("your role does not allow importing bank data")]
    Forbidden,
    /// The statement file is malformed; the message names the line or element.
    #[error("{0}")]
    Unreadable(String),
    /// Storage failed.
    #[error(transparent)]
    Repository(#[from] RepositoryError),
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportSummary {
    /// Each account in the file: its id and whether it was new.
    pub accounts: Vec<(Uuid, bool)>,
    /// What happened to the transactions.
    pub transactions: UpsertCounts,
}

/// The accounts and the transaction counts of an import.
fn summarise(imported: &[ImportedStatement]) -> ImportSummary {
    let mut summary = ImportSummary { accounts: Vec::new(), transactions: UpsertCounts::default() };
    for statement in imported {
        summary.accounts.push((statement.account_id, statement.new));
        summary.transactions.new += statement.transactions.new;
        summary.transactions.changed += statement.transactions.changed;
        summary.transactions.unchanged += statement.transactions.unchanged;
    }
    summary
}

/// The ports the bank data use cases need.
pub struct BankPorts {
    /// Accounts and transactions.
    pub bank: Arc<dyn BankRepository>,
    /// Reads statement files (CODA, CAMT.053).
    pub statements: Arc<dyn StatementReader>,
    /// The time.
    pub clock: Arc<dyn Clock>,
    /// The job queue a reconciliation run is queued on after each import with new transactions.
    pub jobs: Arc<dyn JobQueue>,
    /// Live events (`forecast.changed` after an import that changed transactions).
    pub events: Arc<dyn billify_ports::EventLog>,
}

/// Bank data use cases.
pub struct BankService {
    bank: Arc<dyn BankRepository>,
    statements: Arc<dyn StatementReader>,
    clock: Arc<dyn Clock>,
    jobs: Arc<dyn JobQueue>,
    events: crate::events::EventPublisher,
}

impl BankService {
    /// Wires the service to its ports.
    pub fn new(ports: BankPorts) -> Self {
        let BankPorts { bank, statements, clock, jobs, events } = ports;
        let events = crate::events::EventPublisher::new(events, clock.clone());
        BankService { bank, statements, clock, jobs, events }
    }

    /// Imports a CODA or CAMT.053 statement file. Idempotent: importing the same file again
    /// adds nothing. Every account with its transactions and the audit entry are stored in one
    /// transaction, so an interrupted import stores nothing; importing the file again makes it.
    pub fn import_statement(&self, actor: &Actor, bytes: &[u8]) -> Result<ImportSummary, BankServiceError> {
        if !actor.role.can(billify_domain::Permission::ImportBankData) {
            return Err(BankServiceError::Forbidden);
        }
        let statements = self.statements.read(bytes).map_err(BankServiceError::Unreadable)?;
        let now = self.clock.now();
        let audit = |imported: &[ImportedStatement]| {
            let summary = summarise(imported);
            let after = serde_json::json!({
                "accounts": summary.accounts.iter().map(|(id, new)| serde_json::json!({"id": id.to_string(), "new": new})).collect::<Vec<_>>(),
                "transactions": {"new": summary.transactions.new, "changed": summary.transactions.changed, "unchanged": summary.transactions.unchanged},
            });
            let target = AuditTarget::unnamed("bank_statement");
            entry(actor, AuditAction::StatementImported, target, now, None, Some(after))
        };
        let summary = summarise(&self.bank.import_statements(actor.organisation_id, &statements, now, &audit)?);
        if summary.transactions.new > 0 || summary.transactions.changed > 0 {
            self.events.forecast_changed(actor.organisation_id, "bank");
        }
        if summary.transactions.new > 0
            && let Err(e) = crate::reconciliation::queue_run(self.jobs.as_ref(), actor.organisation_id, now)
        {
            log::warn!("cannot queue the reconciliation of {}: {e}", actor.organisation_id);
        }
        log::info!(
            "statement import for {}: {} accounts, {} new transactions",
            actor.organisation_id,
            summary.accounts.len(),
            summary.transactions.new
        );
        Ok(summary)
    }

    /// Stores an account's transactions as a statement import would, without a file: bulk loads
    /// (`billify seed`). No audit entry, no live event; the caller refreshes the statistics
    /// after the last batch ([`crate::InvoiceService::refresh_statistics`]).
    pub fn import_transactions(
        &self,
        actor: &Actor,
        account: &billify_domain::BankAccount,
        transactions: &[billify_domain::BankTransaction],
    ) -> Result<UpsertCounts, BankServiceError> {
        if !actor.role.can(billify_domain::Permission::ImportBankData) {
            return Err(BankServiceError::Forbidden);
        }
        let now = self.clock.now();
        let (id, _) = self.bank.upsert_bank_account(actor.organisation_id, BankSource::Statement, account, now)?;
        Ok(self.bank.upsert_bank_transactions(actor.organisation_id, id, transactions, now)?)
    }

    /// The organisation's bank accounts.
    pub fn accounts(&self, actor: &Actor) -> Result<Vec<StoredBankAccount>, BankServiceError> {
        Ok(self.bank.bank_accounts(actor.organisation_id)?)
    }

    /// A page of the organisation's transactions, newest first.
    pub fn transactions(
        &self,
        actor: &Actor,
        query: &BankTransactionQuery,
    ) -> Result<BankTransactionPage, BankServiceError> {
        Ok(self.bank.bank_transactions(actor.organisation_id, query)?)
    }
}
