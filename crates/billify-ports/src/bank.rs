//! Stored bank data (accounts and transactions from any source) and statement files.

use billify_domain::{BankAccount, BankTransaction, OrganisationId};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::RepositoryError;
use crate::audit::NewAuditEntry;

/// Where bank data came from; a provider id is unique per organisation and source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BankSource {
    /// Ponto Connect.
    Ponto,
    /// An uploaded statement file (CODA, CAMT.053).
    Statement,
}

impl BankSource {
    /// The stable machine code.
    pub fn code(&self) -> &'static str {
        match self {
            BankSource::Ponto => "ponto",
            BankSource::Statement => "statement",
        }
    }

    /// Parses a code.
    pub fn parse(code: &str) -> Option<BankSource> {
        [BankSource::Ponto, BankSource::Statement].into_iter().find(|s| s.code() == code)
    }
}

/// A stored bank account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredBankAccount {
    /// Billify's id for it.
    pub id: Uuid,
    /// Where it came from.
    pub source: BankSource,
    /// The account.
    pub account: BankAccount,
    /// When it last changed.
    pub updated_at: OffsetDateTime,
}

/// A stored bank transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredBankTransaction {
    /// Billify's id for it.
    pub id: Uuid,
    /// The account it belongs to.
    pub account_id: Uuid,
    /// The transaction.
    pub transaction: BankTransaction,
}

/// How an idempotent write went.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct UpsertCounts {
    /// Rows that did not exist.
    pub new: u32,
    /// Rows that existed with other values.
    pub changed: u32,
    /// Rows that existed with the same values.
    pub unchanged: u32,
}

impl UpsertCounts {
    /// Adds another write's counts to these.
    pub fn add(&mut self, other: UpsertCounts) {
        self.new += other.new;
        self.changed += other.changed;
        self.unchanged += other.unchanged;
    }
}

/// A page request for transactions, newest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BankTransactionQuery {
    /// Only this account.
    pub account_id: Option<Uuid>,
    /// Executed on or after.
    pub from: Option<Date>,
    /// Executed on or before.
    pub to: Option<Date>,
    /// Continue after this (execution date, id).
    pub after: Option<(Date, Uuid)>,
    /// At most this many (1 to 200).
    pub limit: u32,
    /// Only transactions whose counterparty name, counterparty account, remittance information
    /// or description contains this text (case-insensitive for ASCII letters on every backend).
    pub text: Option<String>,
}

/// One page of transactions and where the next starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BankTransactionPage {
    /// Newest first.
    pub items: Vec<StoredBankTransaction>,
    /// The (execution date, id) to continue after.
    pub next: Option<(Date, Uuid)>,
}

/// Stores bank accounts and transactions. Every write is an idempotent upsert keyed by the
/// provider's ids, so replaying a sync or re-importing a file adds nothing.
pub trait BankRepository: Send + Sync {
    /// Inserts or updates the account with this source and provider id; returns its id and
    /// whether it was new.
    fn upsert_bank_account(
        &self,
        organisation: OrganisationId,
        source: BankSource,
        account: &BankAccount,
        now: OffsetDateTime,
    ) -> Result<(Uuid, bool), RepositoryError>;

    /// Inserts or updates transactions of an account, in one transaction.
    fn upsert_bank_transactions(
        &self,
        organisation: OrganisationId,
        account_id: Uuid,
        transactions: &[BankTransaction],
        now: OffsetDateTime,
    ) -> Result<UpsertCounts, RepositoryError>;

    /// Imports statements read from a file: each account (source [`BankSource::Statement`]) and
    /// its transactions, upserted like [`BankRepository::upsert_bank_account`] and
    /// [`BankRepository::upsert_bank_transactions`], and the audit entry `audit` builds from
    /// what was stored, all in one transaction (an interrupted import stores nothing).
    fn import_statements(
        &self,
        organisation: OrganisationId,
        statements: &[ParsedStatement],
        now: OffsetDateTime,
        audit: &dyn Fn(&[ImportedStatement]) -> NewAuditEntry,
    ) -> Result<Vec<ImportedStatement>, RepositoryError>;

    /// The organisation's accounts.
    fn bank_accounts(&self, organisation: OrganisationId) -> Result<Vec<StoredBankAccount>, RepositoryError>;

    /// A page of the organisation's transactions, newest first.
    fn bank_transactions(
        &self,
        organisation: OrganisationId,
        query: &BankTransactionQuery,
    ) -> Result<BankTransactionPage, RepositoryError>;
}

/// One account's statement as read from a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedStatement {
    /// The account with the closing balance.
    pub account: BankAccount,
    /// The booked transactions.
    pub transactions: Vec<BankTransaction>,
}

/// What importing one statement stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImportedStatement {
    /// The account's id.
    pub account_id: Uuid,
    /// Whether the account was new.
    pub new: bool,
    /// What happened to its transactions.
    pub transactions: UpsertCounts,
}

/// Reads bank statement files (CODA, CAMT.053).
pub trait StatementReader: Send + Sync {
    /// The statements in the file; the error message names the line or element at fault.
    fn read(&self, bytes: &[u8]) -> Result<Vec<ParsedStatement>, String>;
}
