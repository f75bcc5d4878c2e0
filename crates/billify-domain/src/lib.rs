//! Billify's domain core: the value objects, entities, rules and events of cash-flow management.
//!
//! This crate is pure: it performs no I/O, reads no clock and knows no framework.
//! Time enters only as arguments (`today`, `now`) supplied by the caller through the `Clock` port.
//!
//! **Must never depend on:** diesel, actix-web, ureq, lopdf, r2d2, env_logger or any other I/O or
//! framework crate. `serde` derives exist only behind the optional `serde` feature, for Rust programs
//! that exchange domain values as data. `cargo xtask tidy` enforces this.
//!
//! Values are parsed, not validated: every value object has a private representation and a
//! constructor that rejects invalid input, so a value that exists is a valid value.

pub mod account;
pub mod alerts;
pub mod bank;
pub mod bic;
pub mod calendar;
pub mod cashflow;
pub mod forecast;
pub mod iban;
pub mod ids;
pub mod invoice;
pub mod money;
pub mod reconcile;
pub mod reference;
#[cfg(feature = "serde")]
mod serde_impls;
pub mod urgency;
pub mod vat;

pub use account::{
    EmailAddress, INVITATION_LIFETIME, Invitation, Membership, Organisation, OrganisationName, Permission, PersonName,
    Role, User,
};
pub use alerts::{AlertSettings, Channel, ConsentAlert, NotificationKind};
pub use bank::{
    BankAccount, BankDataError, BankTransaction, NewBankAccount, NewBankTransaction, ProviderId, RemittanceType,
};
pub use bic::Bic;
pub use calendar::{
    CashflowRange, Interval, OrganisationCalendar, TimeZoneName, VatDeadlineDay, VatPeriod, VatPeriodicity,
};
pub use iban::Iban;
pub use ids::{InvitationId, InvoiceId, OrganisationId, SessionId, UserId};
pub use invoice::{
    Counterparty, Direction, Invoice, InvoiceError, InvoiceEvent, InvoiceEventKind, InvoiceKind, InvoiceNumber,
    InvoicePatch, InvoiceRecord, InvoiceSource, InvoiceStatus, NewInvoice, TotalsMismatch,
};
pub use money::{Currency, Money, MoneyError};
pub use reconcile::{
    Allocation, AllocationError, Candidate, CandidateKeys, Flow, MatchExplanation, MatchRule, MatchSettings, Matcher,
    OpenItem, PaymentFacts, Proposal,
};
pub use reference::{PaymentReference, StructuredReference};
pub use urgency::{Urgency, UrgencyLevel};
pub use vat::VatNumber;

/// Error returned when text cannot be parsed into a value object.
///
/// The message is meant for people: it says what was wrong with the input, without echoing
/// more of the input than needed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ParseError {
    /// Which kind of value was being parsed, e.g. `"IBAN"`.
    pub kind: &'static str,
    /// A human explanation of why the input was rejected.
    pub message: String,
}

impl ParseError {
    pub(crate) fn new(kind: &'static str, message: impl Into<String>) -> Self {
        Self { kind, message: message.into() }
    }
}

/// Computes `digits mod 97` for a string of ASCII digits of any length, without overflow.
pub(crate) fn mod97(digits: &str) -> u32 {
    digits.bytes().fold(0u32, |acc, b| (acc * 10 + u32::from(b - b'0')) % 97)
}
