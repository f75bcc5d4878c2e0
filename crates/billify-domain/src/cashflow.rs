//! Cash-flow rules: what is still open on an invoice once its payments and credit notes are
//! counted, the sign every amount carries in a cash position, when a bank balance is stale and
//! which bank transactions are transfers between the organisation's own accounts.
//!
//! The storage adapters compute the same rules in SQL over integer minor units, so a dashboard
//! over a million rows never loads them; the functions here are the reference those queries are
//! tested against.

use time::{Date, Duration, OffsetDateTime};

use crate::{Direction, Iban, Invoice, InvoiceKind, Money, MoneyError, UrgencyLevel};

/// The sign an amount carries in a cash position: receivables come in (+), payables go out (-),
/// and a credit note counts against its direction (a customer's credit note is money out, a
/// supplier's is money in).
pub fn cash_sign(direction: Direction, kind: InvoiceKind) -> i8 {
    match (direction, kind) {
        (Direction::Receivable, InvoiceKind::Invoice) | (Direction::Payable, InvoiceKind::CreditNote) => 1,
        (Direction::Payable, InvoiceKind::Invoice) | (Direction::Receivable, InvoiceKind::CreditNote) => -1,
    }
}

/// `amount` with the cash sign of `direction` and `kind`.
pub fn signed(direction: Direction, kind: InvoiceKind, amount: &Money) -> Money {
    if cash_sign(direction, kind) > 0 { amount.clone() } else { amount.negated() }
}

/// What is still open on one invoice and on the credit notes that correct it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreditSettlement {
    /// What the invoice still asks: its total minus its payments minus the credit applied
    /// (never below zero).
    pub invoice_open: Money,
    /// The part of the credit notes' unsettled amounts the invoice absorbed.
    pub credit_applied: Money,
    /// What the credit notes still give back once the invoice has absorbed what it could
    /// (a refund due); zero when the credit fits in what was open.
    pub credit_left: Money,
}

/// Settles an invoice against the credit notes linked to it.
///
/// A credit note's unsettled amount (its total minus what was refunded in cash) first reduces
/// what the invoice still asks; only what exceeds it stays open on the credit notes. So a credit
/// note for the full amount closes its invoice, and a credit note on an invoice already paid is
/// a refund due.
///
/// Credit notes in another currency than the invoice, of another direction, or that correct
/// another invoice are not linked to it and are left out (their amounts stay open on their own,
/// see [`unlinked_credit_open`]).
pub fn settle_credit(invoice: &Invoice, credit_notes: &[&Invoice]) -> Result<CreditSettlement, MoneyError> {
    let currency = invoice.currency();
    let mut available = Money::zero(currency);
    for note in credit_notes.iter().filter(|n| credits(n, invoice)) {
        available = available.checked_add(&note.unpaid_amount())?;
    }
    let due = if invoice.kind() == InvoiceKind::Invoice { invoice.unpaid_amount() } else { Money::zero(currency) };
    let applied = if available < due { available.clone() } else { due.clone() };
    Ok(CreditSettlement {
        invoice_open: due.checked_sub(&applied)?,
        credit_left: available.checked_sub(&applied)?,
        credit_applied: applied,
    })
}

/// How the credit notes linked to one invoice settle it, note by note: `unpaid` is what the
/// invoice still asks before credit (its total minus its payments; zero for anything but an
/// invoice), `notes` the unsettled amounts (total minus refunds) of its linked credit notes in
/// the order they absorb it (oldest first). Returns the credit the invoice absorbs and, for each
/// note, the part of it absorbed; what a note keeps beyond that is a refund due. The sums agree
/// with [`settle_credit`].
pub fn allocate_credit(unpaid: &Money, notes: &[Money]) -> Result<(Money, Vec<Money>), MoneyError> {
    let zero = Money::zero(unpaid.currency());
    let mut room = if unpaid.is_positive() { unpaid.clone() } else { zero.clone() };
    let mut applied = zero.clone();
    let mut parts = Vec::with_capacity(notes.len());
    for note in notes {
        let available = if note.is_positive() { note.clone() } else { Money::zero(note.currency()) };
        let part = if available < room { available } else { room.clone() };
        room = room.checked_sub(&part)?;
        applied = applied.checked_add(&part)?;
        parts.push(part);
    }
    Ok((applied, parts))
}

/// Whether `note` is a credit note linked to `invoice` (same currency and direction).
pub fn credits(note: &Invoice, invoice: &Invoice) -> bool {
    note.kind() == InvoiceKind::CreditNote
        && note.corrects() == Some(invoice.id())
        && note.currency() == invoice.currency()
        && note.direction() == invoice.direction()
        && invoice.kind() == InvoiceKind::Invoice
}

/// What is open on a credit note that corrects no invoice known in its currency and direction:
/// its total minus what was refunded.
pub fn unlinked_credit_open(note: &Invoice) -> Money {
    note.unpaid_amount()
}

/// Whether a balance synchronised at `synchronized_at` is older than `max_age` at `now`
/// (a balance never synchronised is stale).
pub fn is_stale(synchronized_at: Option<OffsetDateTime>, now: OffsetDateTime, max_age: Duration) -> bool {
    match synchronized_at {
        Some(at) => now - at > max_age,
        None => true,
    }
}

/// Whether a bank transaction is a transfer between the organisation's own accounts: its
/// counterparty's IBAN is one of them. Such transfers move no money in or out.
pub fn is_own_transfer(counterparty: Option<&Iban>, own_accounts: &[Iban]) -> bool {
    counterparty.is_some_and(|iban| own_accounts.contains(iban))
}

/// The effective urgency of an open item: a manual override, else from its due date and the
/// organisation's local `today`.
pub fn urgency_of(due_date: Date, manual: Option<UrgencyLevel>, today: Date) -> UrgencyLevel {
    manual.unwrap_or_else(|| UrgencyLevel::from_days_until_due((due_date - today).whole_days()))
}

/// The due dates that bound each urgency level for the local `today`, most urgent first:
/// an item is in a level when `from <= due_date <= to` (an absent bound is open). Storage uses
/// them to group by urgency in SQL.
pub fn urgency_due_bounds(today: Date) -> Vec<(UrgencyLevel, Option<Date>, Option<Date>)> {
    UrgencyLevel::ALL
        .into_iter()
        .map(|level| {
            let (lo, hi) = level.day_range();
            let at = |days: i64| today.checked_add(Duration::days(days));
            (level, lo.and_then(at), hi.and_then(at))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        Counterparty, Currency, InvoiceId, InvoiceNumber, InvoiceSource, NewInvoice, OrganisationId, ParseError,
        VatNumber,
    };
    use time::macros::{date, datetime};
    use uuid::Uuid;

    const NOW: OffsetDateTime = datetime!(2026-12-06 10:00 UTC);
    const TODAY: Date = date!(2026 - 12 - 06);

    fn eur(s: &str) -> Money {
        Money::parse(s, Currency::EUR).unwrap()
    }

    fn doc(
        n: u128,
        direction: Direction,
        kind: InvoiceKind,
        corrects: Option<u128>,
        total: Money,
        paid: &str,
    ) -> Invoice {
        let currency = total.currency();
        let new = NewInvoice {
            direction,
            kind,
            corrects: corrects.map(|c| InvoiceId::from_uuid(Uuid::from_u128(c))),
            invoice_number: InvoiceNumber::parse(&format!("N-{n}")).unwrap(),
            counterparty: Counterparty::new("Acme", Some(VatNumber::parse("BE0662970353").unwrap()), None, None)
                .unwrap(),
            issue_date: date!(2026 - 11 - 01),
            due_date: date!(2026 - 12 - 01),
            subtotal: None,
            vat_amount: None,
            total,
            amount_paid: Some(Money::parse(paid, currency).unwrap()),
            manual_urgency: None,
            payment_reference: None,
            source: InvoiceSource::Manual,
            external_reference: None,
        };
        let id = InvoiceId::from_uuid(Uuid::from_u128(n));
        Invoice::create(id, OrganisationId::from_uuid(Uuid::nil()), new, NOW, TODAY).unwrap().0
    }

    fn invoice(n: u128, total: &str, paid: &str) -> Invoice {
        doc(n, Direction::Receivable, InvoiceKind::Invoice, None, eur(total), paid)
    }

    fn note(n: u128, corrects: u128, total: &str, refunded: &str) -> Invoice {
        doc(n, Direction::Receivable, InvoiceKind::CreditNote, Some(corrects), eur(total), refunded)
    }

    #[test]
    fn signs_follow_direction_and_kind() {
        assert_eq!(signed(Direction::Receivable, InvoiceKind::Invoice, &eur("10")), eur("10"));
        assert_eq!(signed(Direction::Payable, InvoiceKind::Invoice, &eur("10")), eur("-10"));
        assert_eq!(signed(Direction::Receivable, InvoiceKind::CreditNote, &eur("10")), eur("-10"));
        assert_eq!(signed(Direction::Payable, InvoiceKind::CreditNote, &eur("10")), eur("10"));
    }

    #[test]
    fn open_is_total_minus_payments_without_credit() {
        let inv = invoice(1, "100", "30");
        let s = settle_credit(&inv, &[]).unwrap();
        assert_eq!((s.invoice_open, s.credit_applied, s.credit_left), (eur("70"), eur("0"), eur("0")));
    }

    #[test]
    fn a_credit_note_for_the_full_amount_closes_its_invoice() {
        let inv = invoice(1, "100", "0");
        let cn = note(2, 1, "100", "0");
        let s = settle_credit(&inv, &[&cn]).unwrap();
        assert_eq!((s.invoice_open, s.credit_applied, s.credit_left), (eur("0"), eur("100"), eur("0")));
    }

    #[test]
    fn partial_credit_and_partial_payment_add_up() {
        let inv = invoice(1, "100", "30");
        let a = note(2, 1, "20", "0");
        let b = note(3, 1, "15", "5");
        let s = settle_credit(&inv, &[&a, &b]).unwrap();
        assert_eq!((s.invoice_open, s.credit_applied, s.credit_left), (eur("40"), eur("30"), eur("0")));
    }

    #[test]
    fn credit_beyond_what_is_open_is_a_refund_due() {
        let inv = invoice(1, "100", "100");
        let cn = note(2, 1, "25", "0");
        let s = settle_credit(&inv, &[&cn]).unwrap();
        assert_eq!((s.invoice_open, s.credit_applied, s.credit_left), (eur("0"), eur("0"), eur("25")));
        let refunded = note(3, 1, "25", "25");
        let s = settle_credit(&inv, &[&refunded]).unwrap();
        assert_eq!((s.invoice_open, s.credit_left), (eur("0"), eur("0")), "a refunded credit note is settled");
        let inv = invoice(4, "100", "90");
        let cn = note(5, 4, "25", "0");
        let s = settle_credit(&inv, &[&cn]).unwrap();
        assert_eq!((s.invoice_open, s.credit_applied, s.credit_left), (eur("0"), eur("10"), eur("15")));
    }

    #[test]
    fn credit_notes_of_other_invoices_currencies_or_directions_do_not_count() {
        let inv = invoice(1, "100", "0");
        let other_invoice = note(2, 9, "50", "0");
        let usd = doc(
            3,
            Direction::Receivable,
            InvoiceKind::CreditNote,
            Some(1),
            Money::parse("50", Currency::parse("USD").unwrap()).unwrap(),
            "0",
        );
        let payable = doc(4, Direction::Payable, InvoiceKind::CreditNote, Some(1), eur("50"), "0");
        let s = settle_credit(&inv, &[&other_invoice, &usd, &payable]).unwrap();
        assert_eq!((s.invoice_open, s.credit_left), (eur("100"), eur("0")));
        assert_eq!(unlinked_credit_open(&other_invoice), eur("50"));
    }

    #[test]
    fn allocation_follows_the_settlement_note_by_note() {
        let (applied, parts) = allocate_credit(&eur("70"), &[eur("50"), eur("40"), eur("10")]).unwrap();
        assert_eq!((applied, parts), (eur("70"), vec![eur("50"), eur("20"), eur("0")]));
        let (applied, parts) = allocate_credit(&eur("0"), &[eur("25")]).unwrap();
        assert_eq!((applied, parts), (eur("0"), vec![eur("0")]), "a paid invoice absorbs nothing");
        let inv = invoice(1, "100", "30");
        let (a, b) = (note(2, 1, "20", "0"), note(3, 1, "15", "5"));
        let s = settle_credit(&inv, &[&a, &b]).unwrap();
        let (applied, _) = allocate_credit(&inv.open_amount(), &[a.open_amount(), b.open_amount()]).unwrap();
        assert_eq!(applied, s.credit_applied);
        let settled = inv.clone().with_credit_settled(applied);
        assert_eq!(settled.open_amount(), s.invoice_open);
        let full = invoice(4, "100", "0").with_credit_settled(eur("100"));
        assert_eq!(full.open_amount(), eur("0"), "a credit note for the full amount closes its invoice");
        assert!(full.is_settled() && full.urgency(TODAY).is_none());
    }

    #[test]
    fn stale_after_the_maximum_age() {
        let day = Duration::hours(24);
        assert!(!is_stale(Some(NOW - Duration::hours(24)), NOW, day));
        assert!(is_stale(Some(NOW - Duration::hours(24) - Duration::seconds(1)), NOW, day));
        assert!(is_stale(None, NOW, day));
    }

    #[test]
    fn own_transfers_are_recognised_by_iban() -> Result<(), ParseError> {
        let own = vec![Iban::parse("BE68539007547034")?, Iban::parse("NL91ABNA0417164300")?];
        assert!(is_own_transfer(Some(&Iban::parse("NL91 ABNA 0417 1643 00")?), &own));
        assert!(!is_own_transfer(Some(&Iban::parse("BE71096123456769")?), &own));
        assert!(!is_own_transfer(None, &own));
        Ok(())
    }

    #[test]
    fn urgency_bounds_agree_with_the_levels() {
        let bounds = urgency_due_bounds(TODAY);
        for days in -40..=40 {
            let due = TODAY + Duration::days(days);
            let expected = urgency_of(due, None, TODAY);
            let found: Vec<_> = bounds
                .iter()
                .filter(|(_, lo, hi)| lo.is_none_or(|lo| lo <= due) && hi.is_none_or(|hi| due <= hi))
                .map(|(level, _, _)| *level)
                .collect();
            assert_eq!(found, vec![expected], "{days} days");
        }
        assert_eq!(urgency_of(TODAY, Some(UrgencyLevel::Low), TODAY), UrgencyLevel::Low);
    }
}
