//! The invoice's value types: direction, status, kind, source, number and counterparty.

use std::fmt;
use std::str::FromStr;

use crate::{Bic, Iban, ParseError, VatNumber};

/// Which way the money flows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
pub enum Direction {
    /// A supplier's invoice that we must pay.
    Payable,
    /// Our invoice that a customer must pay.
    Receivable,
}

impl Direction {
    /// The stable machine code.
    pub fn code(&self) -> &'static str {
        match self {
            Direction::Payable => "payable",
            Direction::Receivable => "receivable",
        }
    }
}

impl FromStr for Direction {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "payable" => Ok(Direction::Payable),
            "receivable" => Ok(Direction::Receivable),
            _ => Err(ParseError::new("direction", "direction is payable or receivable")),
        }
    }
}

/// Where an invoice is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
pub enum InvoiceStatus {
    /// Open and not yet due.
    Pending,
    /// Open and past its due date.
    Overdue,
    /// Fully paid. Final, except through an explicit reopen.
    Paid,
}

impl InvoiceStatus {
    /// The stable machine code.
    pub fn code(&self) -> &'static str {
        match self {
            InvoiceStatus::Pending => "pending",
            InvoiceStatus::Overdue => "overdue",
            InvoiceStatus::Paid => "paid",
        }
    }

    /// The name shown to people.
    pub fn display_name(&self) -> &'static str {
        match self {
            InvoiceStatus::Pending => "Pending Payment",
            InvoiceStatus::Overdue => "Payment Overdue",
            InvoiceStatus::Paid => "Payment Received",
        }
    }

    /// Whether money is still expected to move.
    pub fn is_open(&self) -> bool {
        !matches!(self, InvoiceStatus::Paid)
    }
}

impl FromStr for InvoiceStatus {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "pending" => Ok(InvoiceStatus::Pending),
            "overdue" => Ok(InvoiceStatus::Overdue),
            "paid" => Ok(InvoiceStatus::Paid),
            _ => Err(ParseError::new("status", "status is pending, overdue or paid")),
        }
    }
}

/// Whether a document asks for money or gives it back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
pub enum InvoiceKind {
    /// An invoice: its total is owed.
    Invoice,
    /// A credit note: its total reduces what is owed (it counts negatively in cash flow).
    CreditNote,
}

impl InvoiceKind {
    /// The stable machine code: `invoice` or `credit_note`.
    pub fn code(&self) -> &'static str {
        match self {
            InvoiceKind::Invoice => "invoice",
            InvoiceKind::CreditNote => "credit_note",
        }
    }
}

impl FromStr for InvoiceKind {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "invoice" => Ok(InvoiceKind::Invoice),
            "credit_note" => Ok(InvoiceKind::CreditNote),
            _ => Err(ParseError::new("kind", "kind is invoice or credit_note")),
        }
    }
}

/// How an invoice entered Billify.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
pub enum InvoiceSource {
    /// A document uploaded and confirmed by a user.
    Upload,
    /// Typed in by a user.
    Manual,
    /// Read from the accounting package.
    Accounting,
    /// Imported from a file or another system.
    Import,
}

impl InvoiceSource {
    /// The stable machine code.
    pub fn code(&self) -> &'static str {
        match self {
            InvoiceSource::Upload => "upload",
            InvoiceSource::Manual => "manual",
            InvoiceSource::Accounting => "accounting",
            InvoiceSource::Import => "import",
        }
    }
}

impl FromStr for InvoiceSource {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "upload" => Ok(InvoiceSource::Upload),
            "manual" => Ok(InvoiceSource::Manual),
            "accounting" => Ok(InvoiceSource::Accounting),
            "import" => Ok(InvoiceSource::Import),
            _ => Err(ParseError::new("source", "source is upload, manual, accounting or import")),
        }
    }
}

/// An invoice number as printed: 1 to 100 characters, trimmed.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct InvoiceNumber(String);

impl InvoiceNumber {
    /// Parses an invoice number.
    pub fn parse(text: &str) -> Result<Self, ParseError> {
        let t = text.trim();
        if t.is_empty() {
            return Err(ParseError::new("invoice number", "the invoice number cannot be empty"));
        }
        if t.chars().count() > 100 {
            return Err(ParseError::new("invoice number", "the invoice number has at most 100 characters"));
        }
        if t.chars().any(char::is_control) {
            return Err(ParseError::new("invoice number", "the invoice number cannot contain control characters"));
        }
        Ok(InvoiceNumber(t.to_owned()))
    }

    /// The number.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for InvoiceNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The other party of an invoice: the supplier of a payable, the customer of a receivable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counterparty {
    name: String,
    vat_number: Option<VatNumber>,
    iban: Option<Iban>,
    bic: Option<Bic>,
}

impl Counterparty {
    /// Builds a counterparty; the name is 1 to 200 characters with whitespace collapsed.
    pub fn new(
        name: &str,
        vat_number: Option<VatNumber>,
        iban: Option<Iban>,
        bic: Option<Bic>,
    ) -> Result<Self, ParseError> {
        let collapsed = name.split_whitespace().collect::<Vec<_>>().join(" ");
        if collapsed.is_empty() {
            return Err(ParseError::new("counterparty name", "the counterparty name cannot be empty"));
        }
        if collapsed.chars().count() > 200 {
            return Err(ParseError::new("counterparty name", "the counterparty name has at most 200 characters"));
        }
        Ok(Counterparty { name: collapsed, vat_number, iban, bic })
    }

    /// The name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The VAT number, when known.
    pub fn vat_number(&self) -> Option<&VatNumber> {
        self.vat_number.as_ref()
    }

    /// The bank account, when known.
    pub fn iban(&self) -> Option<&Iban> {
        self.iban.as_ref()
    }

    /// The bank's BIC, when known.
    pub fn bic(&self) -> Option<&Bic> {
        self.bic.as_ref()
    }

    /// What identifies this counterparty for duplicate detection: its VAT number when known,
    /// otherwise its name in lower case.
    pub fn identity_key(&self) -> String {
        match &self.vat_number {
            Some(vat) => format!("vat:{vat}"),
            None => format!("name:{}", self.name.to_lowercase()),
        }
    }
}
