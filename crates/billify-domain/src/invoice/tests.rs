//! The invoice entity's rules, tested through its methods.

use super::*;
use crate::VatNumber;
use time::macros::{date, datetime};
use uuid::Uuid;

fn eur(s: &str) -> Money {
    Money::parse(s, Currency::EUR).unwrap()
}

fn new_invoice() -> NewInvoice {
    NewInvoice {
        direction: Direction::Payable,
        kind: InvoiceKind::Invoice,
        corrects: None,
        invoice_number: InvoiceNumber::parse("INV-SO-2023-2812").unwrap(),
        counterparty: Counterparty::new("Bloc Group BV", Some(VatNumber::parse("BE0662970353").unwrap()), None, None)
            .unwrap(),
        issue_date: date!(2023 - 04 - 01),
        due_date: date!(2023 - 04 - 10),
        subtotal: Some(eur("315.75")),
        vat_amount: Some(eur("66.31")),
        total: eur("382.06"),
        amount_paid: None,
        manual_urgency: None,
        payment_reference: None,
        source: InvoiceSource::Manual,
        external_reference: None,
    }
}

const NOW: OffsetDateTime = datetime!(2023-04-02 10:00 UTC);

fn create(new: NewInvoice, today: Date) -> Result<(Invoice, Vec<InvoiceEvent>), InvoiceError> {
    Invoice::create(InvoiceId::from_uuid(Uuid::nil()), OrganisationId::from_uuid(Uuid::nil()), new, NOW, today)
}

#[test]
fn a_valid_invoice_starts_pending_with_a_created_event() {
    let (inv, events) = create(new_invoice(), date!(2023 - 04 - 02)).unwrap();
    assert_eq!(inv.status(), InvoiceStatus::Pending);
    assert_eq!(inv.version(), 1);
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].kind, InvoiceEventKind::Created);
    assert_eq!(inv.urgency(date!(2023 - 04 - 02)), Some(Urgency { level: UrgencyLevel::High, is_manual: false }));
    assert_eq!(inv.urgency(date!(2023 - 04 - 03)).unwrap().level, UrgencyLevel::Critical);
}

#[test]
fn totals_must_add_up_and_be_positive() {
    let mut n = new_invoice();
    n.vat_amount = Some(eur("66.30"));
    assert!(matches!(create(n, date!(2023 - 04 - 02)), Err(InvoiceError::TotalsDoNotAddUp(_))));
    let mut n = new_invoice();
    n.total = eur("0");
    n.subtotal = None;
    assert_eq!(create(n, date!(2023 - 04 - 02)).unwrap_err(), InvoiceError::NonPositiveTotal);
    let mut n = new_invoice();
    n.vat_amount = None;
    n.total = eur("400");
    assert!(create(n, date!(2023 - 04 - 02)).is_ok(), "only subtotal known: no sum rule");
}

#[test]
fn a_negative_subtotal_is_refused_even_when_the_vat_makes_the_total_positive() {
    let mut n = new_invoice();
    n.subtotal = Some(eur("-10.00"));
    n.vat_amount = Some(eur("20.00"));
    n.total = eur("10.00");
    assert_eq!(create(n, date!(2023 - 04 - 02)).unwrap_err(), InvoiceError::NegativeAmount { field: "subtotal" });
}

#[test]
fn due_date_cannot_precede_issue_date() {
    let mut n = new_invoice();
    n.due_date = date!(2023 - 03 - 31);
    assert!(matches!(create(n, date!(2023 - 04 - 02)), Err(InvoiceError::DueBeforeIssue { .. })));
}

#[test]
fn currencies_must_match() {
    let mut n = new_invoice();
    n.vat_amount = Some(Money::parse("66.31", Currency::parse("USD").unwrap()).unwrap());
    assert!(matches!(
        create(n, date!(2023 - 04 - 02)),
        Err(InvoiceError::CurrencyMismatch { field: "vat_amount", .. })
    ));
}

#[test]
fn pending_becomes_overdue_once_the_due_date_has_passed() {
    let (mut inv, _) = create(new_invoice(), date!(2023 - 04 - 02)).unwrap();
    assert!(inv.refresh_status(NOW, date!(2023 - 04 - 10)).is_empty(), "due today is not overdue");
    let events = inv.refresh_status(NOW, date!(2023 - 04 - 11));
    assert_eq!(inv.status(), InvoiceStatus::Overdue);
    assert_eq!(events[0].kind, InvoiceEventKind::BecameOverdue { due_date: date!(2023 - 04 - 10) });
    assert!(inv.refresh_status(NOW, date!(2023 - 04 - 12)).is_empty(), "the transition happens once");
    assert_eq!(inv.urgency(date!(2023 - 04 - 12)).unwrap().level, UrgencyLevel::Overdue);
}

#[test]
fn created_past_due_is_overdue_at_once() {
    let (inv, events) = create(new_invoice(), date!(2023 - 05 - 01)).unwrap();
    assert_eq!(inv.status(), InvoiceStatus::Overdue);
    assert_eq!(events.len(), 2);
}

#[test]
fn partial_payments_keep_it_open_and_the_full_amount_pays_it() {
    let today = date!(2023 - 04 - 02);
    let (mut inv, _) = create(new_invoice(), today).unwrap();
    let events = inv.record_payment(&eur("100"), NOW, today).unwrap();
    assert_eq!(inv.status(), InvoiceStatus::Pending);
    assert!(events.iter().any(|e| matches!(e.kind, InvoiceEventKind::PartiallyPaid { .. })));
    assert_eq!(inv.open_amount(), eur("282.06"));
    let events = inv.record_payment(&eur("282.06"), NOW, today).unwrap();
    assert_eq!(inv.status(), InvoiceStatus::Paid);
    assert!(events.iter().any(|e| e.kind == InvoiceEventKind::Paid { amount_paid: eur("382.06") }));
    assert_eq!(inv.urgency(today), None, "paid invoices have no urgency");
    assert!(inv.record_payment(&eur("1"), NOW, today).is_err());
}

#[test]
fn overpayment_is_refused() {
    let today = date!(2023 - 04 - 02);
    let (mut inv, _) = create(new_invoice(), today).unwrap();
    assert!(matches!(inv.record_payment(&eur("500"), NOW, today), Err(InvoiceError::Overpaid { .. })));
    assert_eq!(inv.amount_paid(), &eur("0"), "a refused change leaves the invoice untouched");
}

#[test]
fn paid_is_final_except_through_reopen() {
    let today = date!(2023 - 04 - 20);
    let (mut inv, _) = create(new_invoice(), date!(2023 - 04 - 02)).unwrap();
    inv.mark_paid(NOW, today).unwrap();
    let patch = InvoicePatch { due_date: Some(date!(2023 - 06 - 01)), ..Default::default() };
    assert_eq!(inv.apply(patch, NOW, today).unwrap_err(), InvoiceError::PaidIsFinal { field: "due_date" });
    assert!(inv.refresh_status(NOW, today).is_empty());
    assert_eq!(inv.status(), InvoiceStatus::Paid);
    let rename = InvoicePatch { invoice_number: Some(InvoiceNumber::parse("INV-2").unwrap()), ..Default::default() };
    assert_eq!(inv.apply(rename, NOW, today).unwrap().len(), 1, "descriptive fields may change");
    assert!(inv.reopen("  ", NOW, today).is_err());
    let events = inv.reopen("payment bounced", NOW, today).unwrap();
    assert_eq!(inv.status(), InvoiceStatus::Overdue);
    assert!(matches!(events[0].kind, InvoiceEventKind::Reopened { .. }));
    assert_eq!(inv.reopen("again", NOW, today).unwrap_err(), InvoiceError::NotPaid);
}

#[test]
fn moving_the_due_date_forward_ends_overdue() {
    let today = date!(2023 - 04 - 20);
    let (mut inv, _) = create(new_invoice(), today).unwrap();
    assert_eq!(inv.status(), InvoiceStatus::Overdue);
    let patch = InvoicePatch { due_date: Some(date!(2023 - 05 - 10)), ..Default::default() };
    let events = inv.apply(patch, NOW, today).unwrap();
    assert_eq!(inv.status(), InvoiceStatus::Pending);
    assert!(matches!(events.last().unwrap().kind, InvoiceEventKind::NoLongerOverdue { .. }));
    assert_eq!(inv.urgency(today).unwrap().level, UrgencyLevel::Medium);
}

#[test]
fn manual_urgency_overrides_and_clears() {
    let today = date!(2023 - 04 - 02);
    let (mut inv, _) = create(new_invoice(), today).unwrap();
    inv.apply(InvoicePatch { manual_urgency: Some(Some(UrgencyLevel::Low)), ..Default::default() }, NOW, today)
        .unwrap();
    assert_eq!(inv.urgency(today), Some(Urgency { level: UrgencyLevel::Low, is_manual: true }));
    inv.apply(InvoicePatch { manual_urgency: Some(None), ..Default::default() }, NOW, today).unwrap();
    assert_eq!(inv.urgency(today), Some(Urgency { level: UrgencyLevel::High, is_manual: false }));
}

#[test]
fn an_empty_or_unchanged_patch_emits_nothing() {
    let today = date!(2023 - 04 - 02);
    let (mut inv, _) = create(new_invoice(), today).unwrap();
    assert!(inv.apply(InvoicePatch::default(), NOW, today).unwrap().is_empty());
    let same = InvoicePatch { total: Some(eur("382.06")), ..Default::default() };
    assert!(inv.apply(same, NOW, today).unwrap().is_empty());
}

#[test]
fn restore_rejects_inconsistent_rows() {
    let (inv, _) = create(new_invoice(), date!(2023 - 04 - 02)).unwrap();
    let mut record = inv.record().clone();
    assert_eq!(Invoice::restore(record.clone()).unwrap(), inv);
    record.status = InvoiceStatus::Paid;
    assert!(Invoice::restore(record).is_err());
}

#[test]
fn credit_notes_count_negatively_and_only_they_correct() {
    let today = date!(2023 - 04 - 02);
    let (invoice, _) = create(new_invoice(), today).unwrap();
    assert_eq!(invoice.signed_total(), eur("382.06"));
    let mut n = new_invoice();
    n.kind = InvoiceKind::CreditNote;
    n.corrects = Some(InvoiceId::from_uuid(Uuid::from_u128(7)));
    let (credit, _) = create(n, today).unwrap();
    assert_eq!(credit.signed_total(), eur("-382.06"));
    assert_eq!(credit.corrects(), Some(InvoiceId::from_uuid(Uuid::from_u128(7))));
    let mut n = new_invoice();
    n.corrects = Some(InvoiceId::from_uuid(Uuid::from_u128(7)));
    assert_eq!(create(n, today).unwrap_err(), InvoiceError::CorrectionNotAllowed);
    let mut n = new_invoice();
    n.kind = InvoiceKind::CreditNote;
    n.corrects = Some(InvoiceId::from_uuid(Uuid::nil()));
    assert_eq!(create(n, today).unwrap_err(), InvoiceError::CorrectionNotAllowed, "not itself");
}

#[test]
fn counterparty_identity_prefers_vat_number() {
    let a = Counterparty::new("Bloc  Group BV", None, None, None).unwrap();
    assert_eq!(a.identity_key(), "name:bloc group bv");
    let b = Counterparty::new("Bloc", Some(VatNumber::parse("BE0662970353").unwrap()), None, None).unwrap();
    assert_eq!(b.identity_key(), "vat:BE0662970353");
}
