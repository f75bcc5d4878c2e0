//! The accounting package as a port (Yuki): checking an access key, finding the administration,
//! and reading the outstanding (open) debtor and creditor items; and the store side of an
//! accounting sync: which items were seen, which invoice each one is, and the daily call budget.
//!
//! The port is what the sync needs and nothing of the provider's wire format (SOAP). The access
//! key belongs to the caller, who stores it sealed per integration; the adapter only uses it and
//! keeps the provider's session for its lifetime. Every provider call is counted in the caller's
//! [`CallMeter`], failed ones too, because the provider's daily budget counts them.

use std::fmt;
use std::ops::ControlFlow;

use bigdecimal::BigDecimal;
use billify_domain::{Direction, Invoice, InvoiceEvent, InvoiceId, OrganisationId};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::RepositoryError;
use crate::audit::NewAuditEntry;
use crate::integrations::Integration;
pub use crate::integrations::{AccountingRegion, AccountingSettings};

/// The provider's free daily call budget per domain (Yuki: 1,000 web-service calls a day).
pub const DEFAULT_DAILY_CALLS: u32 = 1000;

/// The access key and where it is used. Its `Debug` does not print the key.
#[derive(Clone, Copy)]
pub struct AccountingConnection<'a> {
    /// The domain's data centre.
    pub region: AccountingRegion,
    /// The web-service access key.
    pub access_key: &'a str,
}

impl fmt::Debug for AccountingConnection<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccountingConnection").field("region", &self.region).field("access_key", &"<redacted>").finish()
    }
}

/// Counts provider calls (each HTTP request), for the daily budget.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CallMeter {
    /// Calls made.
    pub calls: u32,
}

impl CallMeter {
    /// Counts one call.
    pub fn count(&mut self) {
        self.calls = self.calls.saturating_add(1);
    }
}

/// Why a call to the accounting provider failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AccountingError {
    /// The provider refused the access key: the credentials need renewing. Retrying will not help.
    #[error("the accounting access key was refused; it needs renewing: {detail}")]
    InvalidAccessKey {
        /// What the provider said, for logs.
        detail: String,
    },
    /// The domain's daily call budget is spent; calls resume after the provider's reset.
    #[error("the accounting provider's daily call budget is exceeded: {detail}")]
    BudgetExceeded {
        /// What the provider said.
        detail: String,
    },
    /// The administration is unknown to the key, or the key sees several and none is chosen.
    #[error("{0}")]
    Administration(String),
    /// The provider failed or refused the request (a SOAP fault); retrying later may help.
    #[error("the accounting provider failed: {detail}")]
    Server {
        /// The fault string or HTTP status, for logs.
        detail: String,
    },
    /// The provider could not be reached; retrying later may help.
    #[error("cannot reach the accounting provider: {0}")]
    Transport(String),
    /// The provider answered something this adapter cannot read.
    #[error("unexpected answer from the accounting provider: {0}")]
    InvalidResponse(String),
}

impl AccountingError {
    /// Whether the same call may succeed later without the user doing anything.
    pub fn is_transient(&self) -> bool {
        matches!(self, AccountingError::Server { .. } | AccountingError::Transport(_))
    }
}

/// An administration (a company's books) the access key can read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Administration {
    /// The provider's id (a GUID).
    pub id: String,
    /// Its name.
    pub name: String,
    /// Whether it is active (absent counts as active).
    pub active: bool,
}

/// Which ledger an outstanding item is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ItemSide {
    /// Debtors: receivables (sales invoices).
    Debtor,
    /// Creditors: payables (purchase invoices).
    Creditor,
}

impl ItemSide {
    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            ItemSide::Debtor => "debtor",
            ItemSide::Creditor => "creditor",
        }
    }

    /// Parses a code.
    pub fn parse(code: &str) -> Option<ItemSide> {
        match code {
            "debtor" => Some(ItemSide::Debtor),
            "creditor" => Some(ItemSide::Creditor),
            _ => None,
        }
    }

    /// The invoice direction of the side's items.
    pub fn direction(&self) -> Direction {
        match self {
            ItemSide::Debtor => Direction::Receivable,
            ItemSide::Creditor => Direction::Payable,
        }
    }
}

/// One outstanding item as the provider gave it: every field optional, amounts exact and with
/// their sign kept, and what could not be read named in `unreadable` (the item is never dropped).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OutstandingItem {
    /// The provider's item id.
    pub id: String,
    /// The document date.
    pub date: Option<Date>,
    /// The due date.
    pub due_date: Option<Date>,
    /// The description.
    pub description: Option<String>,
    /// The contact's name.
    pub contact: Option<String>,
    /// The contact's code in the books.
    pub contact_code: Option<String>,
    /// The contact's VAT number, as given.
    pub vat_number: Option<String>,
    /// The contact's bank account, when given.
    pub iban: Option<String>,
    /// What is still open, signed as given.
    pub open_amount: Option<BigDecimal>,
    /// The original amount, signed as given.
    pub original_amount: Option<BigDecimal>,
    /// The currency, when the provider names one (the administration's otherwise).
    pub currency: Option<String>,
    /// The invoice number.
    pub reference: Option<String>,
    /// The payment reference (OGM or RF), when given.
    pub payment_reference: Option<String>,
    /// The type's id (`Type@ID`; empty for payments).
    pub type_id: Option<String>,
    /// The type's localised label.
    pub type_label: Option<String>,
    /// The document's id in the provider's archive.
    pub document_id: Option<String>,
    /// Fields present but unreadable, as `field: text`.
    pub unreadable: Vec<String>,
}

/// The accounting package (Yuki).
///
/// The adapter keeps the provider's session per access key for its lifetime and renews it once
/// when the provider says it expired. Every HTTP request is counted in `meter`.
pub trait AccountingProvider: Send + Sync {
    /// Checks the access key (authenticates, keeping the session).
    fn authenticate(&self, connection: &AccountingConnection<'_>, meter: &mut CallMeter)
    -> Result<(), AccountingError>;

    /// The administrations the key can read.
    fn administrations(
        &self,
        connection: &AccountingConnection<'_>,
        meter: &mut CallMeter,
    ) -> Result<Vec<Administration>, AccountingError>;

    /// Every outstanding item of one side of an administration, one at a time as it is read
    /// (the answer is streamed: memory stays flat however many there are).
    fn outstanding_items(
        &self,
        connection: &AccountingConnection<'_>,
        administration_id: &str,
        side: ItemSide,
        meter: &mut CallMeter,
        on_item: &mut dyn FnMut(OutstandingItem) -> ControlFlow<()>,
    ) -> Result<(), AccountingError>;

    /// Forgets the session kept for this key (on disconnect).
    fn forget(&self, connection: &AccountingConnection<'_>);
}

/// What the store remembers of an item: enough to tell whether it changed and to close it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownItem {
    /// The provider's item id.
    pub item_id: String,
    /// Its side.
    pub side: ItemSide,
    /// The invoice it is, when one could be made or linked.
    pub invoice_id: Option<InvoiceId>,
    /// Whether it was outstanding at the last sync that saw it.
    pub outstanding: bool,
    /// A digest of the item's fields as last read.
    pub fingerprint: String,
}

/// An item as stored by a sync: kept even when no invoice could be made of it, with its flags.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountingItem {
    /// The organisation.
    pub organisation_id: OrganisationId,
    /// The integration.
    pub integration_id: Uuid,
    /// The provider's item id.
    pub item_id: String,
    /// Its side.
    pub side: ItemSide,
    /// The invoice it is, when one could be made or linked.
    pub invoice_id: Option<InvoiceId>,
    /// Whether it is outstanding.
    pub outstanding: bool,
    /// A digest of the item's fields as last read.
    pub fingerprint: String,
    /// What was wrong with it (`missing_due_date`, `unknown_currency`, ...); empty when nothing.
    pub flags: Vec<String>,
    /// The invoice number as given.
    pub reference: Option<String>,
    /// The open amount as given (exact text).
    pub open_amount: Option<String>,
    /// The original amount as given (exact text).
    pub original_amount: Option<String>,
    /// The currency as given.
    pub currency: Option<String>,
    /// When a sync last saw it outstanding.
    pub last_seen_at: OffsetDateTime,
    /// When a sync found it no longer outstanding.
    pub closed_at: Option<OffsetDateTime>,
}

/// An invoice a sync creates, with its events and its audit entry.
#[derive(Debug, Clone, Copy)]
pub struct AuditedInvoice<'a> {
    /// The new invoice.
    pub invoice: &'a Invoice,
    /// What creating it raised.
    pub events: &'a [InvoiceEvent],
    /// Its `invoice.created` entry.
    pub audit: &'a NewAuditEntry,
}

/// The store side of accounting integrations.
pub trait AccountingRepository: Send + Sync {
    /// Creates an accounting integration (status connected) with its sealed access key, and
    /// `audit`, in one transaction. `Conflict` (recording nothing) when the organisation already
    /// has a live integration with that provider.
    fn create_accounting_integration(
        &self,
        integration: &Integration,
        settings: &AccountingSettings,
        sealed_key: &str,
        audit: &NewAuditEntry,
    ) -> Result<(), RepositoryError>;

    /// Changes an accounting integration's settings and appends `audit` in the same
    /// transaction; `false` (recording nothing) when it is gone or disconnected.
    fn save_accounting_settings(
        &self,
        organisation: OrganisationId,
        id: Uuid,
        settings: &AccountingSettings,
        now: OffsetDateTime,
        audit: &NewAuditEntry,
    ) -> Result<bool, RepositoryError>;

    /// Adds `calls` to the integration's count for `day` (starting from zero on a new day) and
    /// returns the count for that day.
    fn count_calls(
        &self,
        organisation: OrganisationId,
        id: Uuid,
        day: Date,
        calls: u32,
    ) -> Result<u32, RepositoryError>;

    /// What the store remembers of the integration's items.
    fn known_items(&self, organisation: OrganisationId, integration: Uuid) -> Result<Vec<KnownItem>, RepositoryError>;

    /// Inserts or replaces items (by organisation, integration and item id), in one transaction.
    fn save_items(&self, items: &[AccountingItem]) -> Result<(), RepositoryError>;

    /// Marks items no longer outstanding (`outstanding = false`, `closed_at = now`), keeping the
    /// rest of what was stored of them.
    fn close_items(
        &self,
        organisation: OrganisationId,
        integration: Uuid,
        item_ids: &[String],
        now: OffsetDateTime,
    ) -> Result<(), RepositoryError>;

    /// The integration's items that carry a flag, by item id.
    fn flagged_items(
        &self,
        organisation: OrganisationId,
        integration: Uuid,
        limit: u32,
    ) -> Result<Vec<AccountingItem>, RepositoryError>;

    /// The invoice of the organisation with this direction, counterparty identity key and
    /// number (what makes an invoice unique), to link an outstanding item to it.
    fn invoice_by_number(
        &self,
        organisation: OrganisationId,
        direction: Direction,
        counterparty_key: &str,
        invoice_number: &str,
    ) -> Result<Option<Invoice>, RepositoryError>;

    /// Inserts the invoices a sync made, each with its events and its audit entry, in one
    /// transaction: all of them or none. `Conflict` when one duplicates an invoice (same
    /// direction, counterparty and number): nothing is stored, and the caller stores them one at
    /// a time to link that one.
    fn insert_invoices_audited(&self, invoices: &[AuditedInvoice<'_>]) -> Result<(), RepositoryError>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_access_key_never_reaches_debug_output() {
        let c = AccountingConnection { region: AccountingRegion::Be, access_key: "key-secret" };
        assert!(!format!("{c:?}").contains("secret"));
        assert_eq!(AccountingRegion::parse("nl"), Some(AccountingRegion::Nl));
        assert_eq!(ItemSide::parse(ItemSide::Creditor.code()), Some(ItemSide::Creditor));
        assert!(AccountingError::Server { detail: String::new() }.is_transient());
        assert!(!AccountingError::InvalidAccessKey { detail: String::new() }.is_transient());
    }
}
