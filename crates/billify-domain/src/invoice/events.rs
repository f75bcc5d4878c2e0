//! What happened to an invoice: the events its methods return for use cases to store.

use time::{Date, OffsetDateTime};

use crate::{InvoiceId, Money, OrganisationId};

/// Something that happened to an invoice, for use cases to persist and publish.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceEvent {
    /// The organisation that owns the invoice.
    pub organisation_id: OrganisationId,
    /// The invoice.
    pub invoice_id: InvoiceId,
    /// When it happened.
    pub occurred_at: OffsetDateTime,
    /// What happened.
    pub kind: InvoiceEventKind,
}

/// The kinds of invoice events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InvoiceEventKind {
    /// The invoice was created.
    Created,
    /// Fields changed.
    Updated {
        /// The names of the changed fields.
        changed: Vec<&'static str>,
    },
    /// A payment was recorded that leaves the invoice open.
    PartiallyPaid {
        /// The total paid so far.
        amount_paid: Money,
    },
    /// The invoice became fully paid (InvoicePaid).
    Paid {
        /// The total paid.
        amount_paid: Money,
    },
    /// The due date passed without full payment (InvoiceBecameOverdue).
    BecameOverdue {
        /// The due date that passed.
        due_date: Date,
    },
    /// The due date moved into the future again.
    NoLongerOverdue {
        /// The new due date.
        due_date: Date,
    },
    /// A paid invoice was reopened.
    Reopened {
        /// Why, in the user's words.
        reason: String,
    },
    /// The invoice was deleted.
    Deleted,
}

impl InvoiceEventKind {
    /// The stable machine code, e.g. `"invoice.paid"`.
    pub fn code(&self) -> &'static str {
        match self {
            InvoiceEventKind::Created => "invoice.created",
            InvoiceEventKind::Updated { .. } => "invoice.updated",
            InvoiceEventKind::PartiallyPaid { .. } => "invoice.partially_paid",
            InvoiceEventKind::Paid { .. } => "invoice.paid",
            InvoiceEventKind::BecameOverdue { .. } => "invoice.became_overdue",
            InvoiceEventKind::NoLongerOverdue { .. } => "invoice.no_longer_overdue",
            InvoiceEventKind::Reopened { .. } => "invoice.reopened",
            InvoiceEventKind::Deleted => "invoice.deleted",
        }
    }
}
