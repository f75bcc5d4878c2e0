//! How use cases describe what they record in the audit trail ([`billify_ports::audit`]).

use billify_domain::Invoice;
use serde_json::{Value, json};
use time::OffsetDateTime;

use super::Actor;
use billify_ports::audit::{AuditAction, AuditTarget, NewAuditEntry};

/// An organisation event by `actor`, at `now`, from the actor's IP address.
pub fn entry(
    actor: &Actor,
    action: AuditAction,
    target: AuditTarget,
    now: OffsetDateTime,
    before: Option<Value>,
    after: Option<Value>,
) -> NewAuditEntry {
    NewAuditEntry {
        organisation_id: Some(actor.organisation_id),
        actor: Some(actor.user_id),
        action,
        target,
        occurred_at: now,
        ip: actor.ip,
        before,
        after,
    }
}

/// The audited state of an invoice: what a change can touch, amounts as decimal text.
pub fn invoice_state(invoice: &Invoice) -> Value {
    let counterparty = invoice.counterparty();
    json!({
        "direction": invoice.direction().code(),
        "kind": invoice.kind().code(),
        "invoice_number": invoice.invoice_number().as_str(),
        "counterparty": {
            "name": counterparty.name(),
            "vat_number": counterparty.vat_number().map(|v| v.as_str().to_owned()),
            "iban": counterparty.iban().map(ToString::to_string),
        },
        "issue_date": invoice.issue_date().to_string(),
        "due_date": invoice.due_date().to_string(),
        "currency": invoice.currency().to_string(),
        "subtotal": invoice.subtotal().map(ToString::to_string),
        "vat_amount": invoice.vat_amount().map(ToString::to_string),
        "total": invoice.total().to_string(),
        "amount_paid": invoice.amount_paid().to_string(),
        "status": invoice.status().code(),
        "manual_urgency": invoice.manual_urgency().map(|u| u.code()),
        "payment_reference": invoice.payment_reference().map(ToString::to_string),
        "version": invoice.version(),
    })
}

/// The invoice as an audit target.
pub fn invoice_target(invoice: &Invoice) -> AuditTarget {
    AuditTarget::new("invoice", invoice.id())
}
