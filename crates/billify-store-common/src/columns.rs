//! Flat column values for domain entities, shared by both Diesel backends.

use billify_domain::invoice::InvoiceRecord;
use billify_domain::{
    Bic, Counterparty, Currency, Direction, EmailAddress, Iban, Invoice, InvoiceEvent, InvoiceEventKind, InvoiceId,
    InvoiceKind, InvoiceNumber, InvoiceSource, InvoiceStatus, Membership, Money, Organisation, OrganisationCalendar,
    OrganisationId, OrganisationName, PaymentReference, PersonName, Role, TimeZoneName, UrgencyLevel, User, UserId,
    VatDeadlineDay, VatNumber,
};
use billify_ports::RepositoryError;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

fn corrupt(what: &str, detail: impl std::fmt::Display) -> RepositoryError {
    RepositoryError::Corrupt(format!("{what}: {detail}"))
}

/// Truncates a timestamp to whole microseconds in UTC, the precision both backends keep, so a
/// value reads back exactly as written.
pub fn storage_time(t: OffsetDateTime) -> OffsetDateTime {
    let t = t.to_offset(time::UtcOffset::UTC);
    t.replace_nanosecond(t.nanosecond() / 1_000 * 1_000).unwrap_or(t)
}

/// An invoice as column values; ids and timestamps stay typed, the backend maps them.
#[derive(Debug, Clone, PartialEq, Eq)]
#[allow(missing_docs)]
pub struct InvoiceColumns {
    pub organisation_id: Uuid,
    pub id: Uuid,
    pub direction: String,
    pub kind: String,
    pub corrects_invoice_id: Option<Uuid>,
    pub invoice_number: String,
    pub counterparty_key: String,
    pub counterparty_name: String,
    pub counterparty_vat: Option<String>,
    pub counterparty_iban: Option<String>,
    pub counterparty_bic: Option<String>,
    pub issue_date: Date,
    pub due_date: Date,
    pub currency: String,
    pub subtotal_minor: Option<i64>,
    pub vat_minor: Option<i64>,
    pub total_minor: i64,
    pub paid_minor: i64,
    pub status: String,
    pub manual_urgency: Option<String>,
    pub payment_reference: Option<String>,
    pub source: String,
    pub external_reference: Option<String>,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
    pub version: i64,
}

fn minor(m: &Money) -> Result<i64, RepositoryError> {
    m.to_minor_units().map_err(|e| corrupt("amount", e))
}

impl InvoiceColumns {
    /// The columns of an invoice.
    pub fn from_invoice(invoice: &Invoice) -> Result<Self, RepositoryError> {
        let r = invoice.record();
        Ok(InvoiceColumns {
            organisation_id: *r.organisation_id.as_uuid(),
            id: *r.id.as_uuid(),
            direction: r.direction.code().to_owned(),
            kind: r.kind.code().to_owned(),
            corrects_invoice_id: r.corrects.map(|i| *i.as_uuid()),
            invoice_number: r.invoice_number.as_str().to_owned(),
            counterparty_key: r.counterparty.identity_key(),
            counterparty_name: r.counterparty.name().to_owned(),
            counterparty_vat: r.counterparty.vat_number().map(|v| v.as_str().to_owned()),
            counterparty_iban: r.counterparty.iban().map(|v| v.as_str().to_owned()),
            counterparty_bic: r.counterparty.bic().map(|v| v.as_str().to_owned()),
            issue_date: r.issue_date,
            due_date: r.due_date,
            currency: r.total.currency().code().to_owned(),
            subtotal_minor: r.subtotal.as_ref().map(minor).transpose()?,
            vat_minor: r.vat_amount.as_ref().map(minor).transpose()?,
            total_minor: minor(&r.total)?,
            paid_minor: minor(&r.amount_paid)?,
            status: r.status.code().to_owned(),
            manual_urgency: r.manual_urgency.map(|u| u.code().to_owned()),
            payment_reference: r.payment_reference.as_ref().map(PaymentReference::to_display_string),
            source: r.source.code().to_owned(),
            external_reference: r.external_reference.clone(),
            created_at: storage_time(r.created_at),
            updated_at: storage_time(r.updated_at),
            version: r.version,
        })
    }

    /// Rebuilds the invoice, re-checking every domain rule.
    pub fn into_invoice(self) -> Result<Invoice, RepositoryError> {
        let id = self.id;
        let bad = |field: &str, e: &dyn std::fmt::Display| corrupt(&format!("invoice {id} {field}"), e);
        let currency = Currency::parse(&self.currency).map_err(|e| bad("currency", &e))?;
        let money = |units: i64| Money::from_minor_units(units, currency).map_err(|e| bad("amount", &e));
        let counterparty = Counterparty::new(
            &self.counterparty_name,
            self.counterparty_vat
                .as_deref()
                .map(VatNumber::parse)
                .transpose()
                .map_err(|e| bad("counterparty_vat", &e))?,
            self.counterparty_iban.as_deref().map(Iban::parse).transpose().map_err(|e| bad("counterparty_iban", &e))?,
            self.counterparty_bic.as_deref().map(Bic::parse).transpose().map_err(|e| bad("counterparty_bic", &e))?,
        )
        .map_err(|e| bad("counterparty_name", &e))?;
        let record = InvoiceRecord {
            id: InvoiceId::from_uuid(self.id),
            organisation_id: OrganisationId::from_uuid(self.organisation_id),
            direction: self.direction.parse::<Direction>().map_err(|e| bad("direction", &e))?,
            kind: self.kind.parse::<InvoiceKind>().map_err(|e| bad("kind", &e))?,
            corrects: self.corrects_invoice_id.map(InvoiceId::from_uuid),
            invoice_number: InvoiceNumber::parse(&self.invoice_number).map_err(|e| bad("invoice_number", &e))?,
            counterparty,
            issue_date: self.issue_date,
            due_date: self.due_date,
            subtotal: self.subtotal_minor.map(money).transpose()?,
            vat_amount: self.vat_minor.map(money).transpose()?,
            total: money(self.total_minor)?,
            amount_paid: money(self.paid_minor)?,
            status: self.status.parse::<InvoiceStatus>().map_err(|e| bad("status", &e))?,
            manual_urgency: self
                .manual_urgency
                .as_deref()
                .map(str::parse::<UrgencyLevel>)
                .transpose()
                .map_err(|e| bad("manual_urgency", &e))?,
            payment_reference: self
                .payment_reference
                .as_deref()
                .map(PaymentReference::parse)
                .transpose()
                .map_err(|e| bad("payment_reference", &e))?,
            source: self.source.parse::<InvoiceSource>().map_err(|e| bad("source", &e))?,
            external_reference: self.external_reference,
            created_at: self.created_at,
            updated_at: self.updated_at,
            version: self.version,
        };
        Invoice::restore(record).map_err(|e| bad("rules", &e))
    }
}

/// The details of an event as a JSON object, for the `invoice_events.details` column.
pub fn event_details(event: &InvoiceEvent) -> String {
    let details = match &event.kind {
        InvoiceEventKind::Created | InvoiceEventKind::Deleted => serde_json::json!({}),
        InvoiceEventKind::Updated { changed } => serde_json::json!({ "changed": changed }),
        InvoiceEventKind::PartiallyPaid { amount_paid } | InvoiceEventKind::Paid { amount_paid } => {
            serde_json::json!({ "amount_paid": amount_paid.to_plain_string(), "currency": amount_paid.currency().code() })
        }
        InvoiceEventKind::BecameOverdue { due_date } | InvoiceEventKind::NoLongerOverdue { due_date } => {
            serde_json::json!({ "due_date": due_date.to_string() })
        }
        InvoiceEventKind::Reopened { reason } => serde_json::json!({ "reason": reason }),
    };
    details.to_string()
}

/// Rebuilds an organisation from its columns.
pub fn organisation(
    id: Uuid,
    name: &str,
    vat_number: Option<&str>,
    calendar: (&str, &str, i32),
    created_at: OffsetDateTime,
) -> Result<Organisation, RepositoryError> {
    let (time_zone, vat_periodicity, vat_deadline_day) = calendar;
    let calendar = OrganisationCalendar {
        time_zone: TimeZoneName::parse(time_zone).map_err(|e| corrupt(&format!("organisation {id} time zone"), e))?,
        vat_periodicity: vat_periodicity
            .parse()
            .map_err(|e| corrupt(&format!("organisation {id} VAT periodicity"), e))?,
        vat_deadline_day: VatDeadlineDay::new(i64::from(vat_deadline_day))
            .map_err(|e| corrupt(&format!("organisation {id} VAT deadline day"), e))?,
    };
    Ok(Organisation {
        id: OrganisationId::from_uuid(id),
        name: OrganisationName::parse(name).map_err(|e| corrupt(&format!("organisation {id} name"), e))?,
        vat_number: vat_number
            .map(VatNumber::parse)
            .transpose()
            .map_err(|e| corrupt(&format!("organisation {id} VAT"), e))?,
        calendar,
        created_at,
    })
}

/// Rebuilds a user from its columns.
pub fn user(
    id: Uuid,
    email: &str,
    name: &str,
    password_hash: String,
    created_at: OffsetDateTime,
) -> Result<User, RepositoryError> {
    Ok(User {
        id: UserId::from_uuid(id),
        email: EmailAddress::parse(email).map_err(|e| corrupt(&format!("user {id} email"), e))?,
        name: PersonName::parse(name).map_err(|e| corrupt(&format!("user {id} name"), e))?,
        password_hash,
        created_at,
    })
}

/// Rebuilds a membership from its columns.
pub fn membership(
    organisation_id: Uuid,
    user_id: Uuid,
    role: &str,
    created_at: OffsetDateTime,
) -> Result<Membership, RepositoryError> {
    Ok(Membership {
        organisation_id: OrganisationId::from_uuid(organisation_id),
        user_id: UserId::from_uuid(user_id),
        role: role.parse::<Role>().map_err(|e| corrupt(&format!("membership of {user_id} role"), e))?,
        created_at,
    })
}

/// A `LIKE` pattern matching `text` anywhere, lower-cased, with `\` escaping `%`, `_` and `\`.
pub fn contains_pattern(text: &str) -> String {
    let mut pattern = String::with_capacity(text.len() + 2);
    pattern.push('%');
    for c in text.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_patterns_escape_wildcards() {
        assert_eq!(contains_pattern("50%_A\\b"), "%50\\%\\_a\\\\b%");
    }

    #[test]
    fn storage_time_truncates_to_microseconds_in_utc() {
        let t = time::macros::datetime!(2024-01-02 03:04:05.123456789 +02:00);
        assert_eq!(storage_time(t), time::macros::datetime!(2024-01-02 01:04:05.123456 UTC));
    }
}
