use super::*;
use time::macros::date;
use uuid::Uuid;

const EUR: Currency = Currency::EUR;

fn id(n: u128) -> InvoiceId {
    InvoiceId::from_uuid(Uuid::from_u128(n))
}

fn item(n: u128, number: &str, open: i64) -> OpenItem {
    OpenItem {
        invoice_id: id(n),
        flow: Flow::In,
        currency: EUR,
        open_minor: open,
        invoice_number: number.to_owned(),
        payment_reference: None,
        counterparty_name: "Bloc Group BV".to_owned(),
        counterparty_iban: None,
        due_date: date!(2026 - 11 - 30),
    }
}

fn with_ogm(mut item: OpenItem, ogm: &str) -> OpenItem {
    item.payment_reference = Some(PaymentReference::parse(ogm).unwrap());
    item
}

fn pay(amount: i64, text: &str) -> PaymentFacts {
    PaymentFacts {
        amount_minor: amount,
        currency: EUR,
        remittance: Some(text.to_owned()),
        structured_reference: None,
        counterparty_name: Some("Someone Else".to_owned()),
        counterparty_iban: None,
        booking_date: date!(2026 - 12 - 02),
    }
}

fn none() -> HashSet<InvoiceId> {
    HashSet::new()
}

fn applied(p: &Proposal) -> Vec<(InvoiceId, i64, MatchRule)> {
    match p {
        Proposal::Apply { allocations, .. } => {
            allocations.iter().map(|a| (a.invoice_id, a.amount_minor, a.explanation.rule)).collect()
        }
        other => panic!("expected Apply, got {other:?}"),
    }
}

fn suggested(p: &Proposal) -> Vec<InvoiceId> {
    match p {
        Proposal::Suggest { candidates, .. } => candidates.iter().map(|c| c.invoice_id).collect(),
        other => panic!("expected Suggest, got {other:?}"),
    }
}

fn ogm(n: u64) -> String {
    StructuredReference::from_number(n).unwrap().formatted()
}

#[test]
fn an_ogm_in_the_structured_field_with_the_exact_amount_is_applied() {
    let mut m = Matcher::new(
        vec![with_ogm(item(1, "F-1", 12_100), &ogm(1)), with_ogm(item(2, "F-2", 12_100), &ogm(2))],
        MatchSettings::default(),
    );
    let mut p = pay(12_100, "");
    p.remittance = Some(StructuredReference::from_number(2).unwrap().digits().to_owned());
    p.structured_reference = Some(StructuredReference::from_number(2).unwrap());
    let proposal = m.propose(&p, &none());
    assert_eq!(applied(&proposal), vec![(id(2), 12_100, MatchRule::StructuredReference)]);
    let Proposal::Apply { allocations, overpayment_minor } = proposal else { unreachable!() };
    assert_eq!(overpayment_minor, 0);
    assert_eq!(allocations[0].explanation.score, 100);
    assert_eq!(allocations[0].explanation.fields, vec!["structured_reference", "amount"]);
    assert_eq!(m.item(id(2)).unwrap().open_minor, 0, "applying lowers what is open");
}

#[test]
fn an_ogm_found_in_free_text_counts_and_a_wrong_check_digit_does_not() {
    let items = vec![with_ogm(item(1, "F-1", 5_000), "+++123/4567/89002+++")];
    let mut m = Matcher::new(items.clone(), MatchSettings::default());
    let p = pay(5_000, "betaling factuur +++123/4567/89002+++ dank u");
    assert_eq!(applied(&m.propose(&p, &none())), vec![(id(1), 5_000, MatchRule::StructuredReference)]);
    let mut m = Matcher::new(items, MatchSettings::default());
    assert_eq!(m.propose(&pay(5_000, "betaling +++123/4567/89003+++"), &none()), Proposal::Nothing);
}

#[test]
fn an_rf_reference_in_print_form_is_found_in_text() {
    let mut it = item(1, "F-1", 7_500);
    it.payment_reference = Some(PaymentReference::parse("RF18 5390 0754 7034").unwrap());
    let mut m = Matcher::new(vec![it.clone()], MatchSettings::default());
    let proposal = m.propose(&pay(7_500, "Ref RF18 5390 0754 7034 thanks"), &none());
    assert_eq!(applied(&proposal), vec![(id(1), 7_500, MatchRule::CreditorReference)]);
    let mut m = Matcher::new(vec![it], MatchSettings::default());
    assert_eq!(m.propose(&pay(7_500, "RF18539007547034"), &none()), applied_proposal(id(1), 7_500), "compact form");
    let mut it = item(2, "F-2", 7_500);
    it.payment_reference = Some(PaymentReference::parse("RF18 5390 0754 7034").unwrap());
    let mut m = Matcher::new(vec![it], MatchSettings::default());
    assert_eq!(m.propose(&pay(7_500, "RF19 5390 0754 7034"), &none()), Proposal::Nothing, "bad check digits");
}

fn applied_proposal(invoice: InvoiceId, amount: i64) -> Proposal {
    Proposal::Apply {
        allocations: vec![Allocation {
            invoice_id: invoice,
            amount_minor: amount,
            explanation: MatchExplanation::new(MatchRule::CreditorReference, &["creditor_reference", "amount"], 100),
        }],
        overpayment_minor: 0,
    }
}

#[test]
fn a_reference_with_a_smaller_amount_is_a_partial_payment_and_a_larger_one_is_flagged() {
    let mut m = Matcher::new(vec![with_ogm(item(1, "F-1", 10_000), &ogm(9))], MatchSettings::default());
    let proposal = m.propose(&pay(4_000, &ogm(9)), &none());
    assert_eq!(applied(&proposal), vec![(id(1), 4_000, MatchRule::StructuredReference)]);
    let Proposal::Apply { allocations, .. } = &proposal else { unreachable!() };
    assert!(allocations[0].explanation.fields.contains(&"partial_amount".to_owned()));
    // The second payment pays the rest, and its excess is kept as an over-payment.
    let proposal = m.propose(&pay(7_000, &ogm(9)), &none());
    assert_eq!(applied(&proposal), vec![(id(1), 6_000, MatchRule::StructuredReference)]);
    let Proposal::Apply { allocations, overpayment_minor } = &proposal else { unreachable!() };
    assert_eq!(*overpayment_minor, 1_000);
    assert!(allocations[0].explanation.fields.contains(&"overpayment".to_owned()));
    // Nothing is open any more: a third payment with the same reference finds nothing.
    assert_eq!(m.propose(&pay(100, &ogm(9)), &none()), Proposal::Nothing);
}

#[test]
fn the_invoice_number_is_found_whatever_its_case_spacing_or_dashes() {
    for text in ["Invoice INV-2026-0042", "inv 2026 0042", "pay INV20260042 now", "factuur: inv/2026/0042."] {
        let mut m = Matcher::new(vec![item(1, "INV-2026-0042", 9_999)], MatchSettings::default());
        assert_eq!(
            applied(&m.propose(&pay(9_999, text), &none())),
            vec![(id(1), 9_999, MatchRule::InvoiceNumber)],
            "{text}"
        );
    }
}

#[test]
fn an_invoice_number_must_stand_as_whole_words() {
    let mut m = Matcher::new(vec![item(1, "42", 100), item(2, "F-420", 100)], MatchSettings::default());
    assert_eq!(m.propose(&pay(100, "order 1420 and F4201"), &none()), Proposal::Nothing);
    assert!(number_key("42").is_none(), "two characters are too weak to look for");
    assert!(number_key("ABC").is_none(), "a number without digits is not looked for");
    assert_eq!(number_key(" Inv-2026 / 0042 ").as_deref(), Some("inv20260042"));
}

#[test]
fn a_number_with_another_amount_is_only_a_suggestion() {
    let mut m = Matcher::new(vec![item(1, "INV-7", 10_000)], MatchSettings::default());
    let proposal = m.propose(&pay(9_000, "INV-7"), &none());
    assert_eq!(suggested(&proposal), vec![id(1)]);
    assert_eq!(m.item(id(1)).unwrap().open_minor, 10_000, "a suggestion changes nothing");
}

#[test]
fn a_batch_remittance_pays_every_invoice_it_names_when_the_sum_fits() {
    let items = vec![item(1, "INV-101", 1_000), item(2, "INV-102", 2_500), with_ogm(item(3, "X-9", 500), &ogm(77))];
    let mut m = Matcher::new(items.clone(), MatchSettings::default());
    let text = format!("INV-101, INV 102 and {}", ogm(77));
    let got = applied(&m.propose(&pay(4_000, &text), &none()));
    assert_eq!(
        got,
        vec![
            (id(3), 500, MatchRule::StructuredReference),
            (id(1), 1_000, MatchRule::InvoiceNumber),
            (id(2), 2_500, MatchRule::InvoiceNumber)
        ]
    );
    let mut m = Matcher::new(items, MatchSettings::default());
    let mut ids = suggested(&m.propose(&pay(3_000, &text), &none()));
    ids.sort();
    assert_eq!(ids, vec![id(1), id(2), id(3)], "a sum that does not fit is for a person to decide");
}

#[test]
fn a_batch_of_references_pays_oldest_first_when_the_sum_falls_short() {
    let mut a = with_ogm(item(1, "A", 1_000), &ogm(1));
    a.due_date = date!(2026 - 12 - 10);
    let mut b = with_ogm(item(2, "B", 1_000), &ogm(2));
    b.due_date = date!(2026 - 11 - 10);
    let mut m = Matcher::new(vec![a, b], MatchSettings::default());
    let got = applied(&m.propose(&pay(1_500, &format!("{} {}", ogm(1), ogm(2))), &none()));
    assert_eq!(got, vec![(id(2), 1_000, MatchRule::StructuredReference), (id(1), 500, MatchRule::StructuredReference)]);
}

#[test]
fn several_transactions_pay_one_invoice_in_one_run() {
    let mut m = Matcher::new(vec![with_ogm(item(1, "F-1", 3_000), &ogm(5))], MatchSettings::default());
    assert_eq!(applied(&m.propose(&pay(1_000, &ogm(5)), &none()))[0].1, 1_000);
    assert_eq!(applied(&m.propose(&pay(2_000, &ogm(5)), &none()))[0].1, 2_000);
    assert_eq!(m.item(id(1)).unwrap().open_minor, 0);
}

#[test]
fn credits_pay_receivables_and_debits_pay_payables() {
    let mut payable = with_ogm(item(1, "P-1", 2_000), &ogm(11));
    payable.flow = Flow::Out;
    let receivable = with_ogm(item(2, "R-1", 2_000), &ogm(12));
    let mut m = Matcher::new(vec![payable, receivable], MatchSettings::default());
    assert_eq!(m.propose(&pay(2_000, &ogm(11)), &none()), Proposal::Nothing, "a credit never pays a payable");
    assert_eq!(m.propose(&pay(-2_000, &ogm(12)), &none()), Proposal::Nothing, "a debit never pays a receivable");
    assert_eq!(applied(&m.propose(&pay(-2_000, &ogm(11)), &none()))[0].0, id(1));
    assert_eq!(Flow::of_invoice(Direction::Payable, InvoiceKind::CreditNote), Flow::In);
    assert_eq!(Flow::of_invoice(Direction::Receivable, InvoiceKind::CreditNote), Flow::Out);
}

#[test]
fn other_currencies_and_excluded_invoices_never_match() {
    let items = vec![with_ogm(item(1, "F-1", 2_000), &ogm(3))];
    let mut m = Matcher::new(items.clone(), MatchSettings::default());
    let mut usd = pay(2_000, &ogm(3));
    usd.currency = Currency::parse("USD").unwrap();
    assert_eq!(m.propose(&usd, &none()), Proposal::Nothing);
    let excluded: HashSet<InvoiceId> = [id(1)].into_iter().collect();
    assert_eq!(m.propose(&pay(2_000, &ogm(3)), &excluded), Proposal::Nothing, "an undone match is not redone");
}

#[test]
fn a_reference_shared_by_two_open_invoices_is_a_suggestion() {
    let mut m = Matcher::new(
        vec![with_ogm(item(1, "F-1", 2_000), &ogm(3)), with_ogm(item(2, "F-2", 2_000), &ogm(3))],
        MatchSettings::default(),
    );
    let mut ids = suggested(&m.propose(&pay(2_000, &ogm(3)), &none()));
    ids.sort();
    assert_eq!(ids, vec![id(1), id(2)]);
}

#[test]
fn amount_and_counterparty_within_the_window_suggest_and_never_apply() {
    let mut by_iban = item(1, "F-1", 4_242);
    let iban = Iban::parse("BE71 0961 2345 6769").unwrap();
    by_iban.counterparty_iban = Some(iban.clone());
    by_iban.counterparty_name = "Unrelated NV".into();
    let by_name = item(2, "F-2", 4_242); // "Bloc Group BV"
    let mut too_late = item(3, "F-3", 4_242);
    too_late.due_date = date!(2026 - 06 - 01);
    let mut stranger = item(4, "F-4", 4_242);
    stranger.counterparty_name = "Other Company".into();
    let mut m = Matcher::new(vec![by_iban, by_name, too_late, stranger], MatchSettings::default());
    let mut p = pay(4_242, "thanks");
    p.counterparty_iban = Some(iban);
    p.counterparty_name = Some("BLOC GROUP".into());
    let proposal = m.propose(&p, &none());
    assert_eq!(suggested(&proposal), vec![id(1), id(2)], "IBAN scores above a similar name");
    let Proposal::Suggest { rule, candidates, .. } = proposal else { unreachable!() };
    assert_eq!(rule, MatchRule::AmountAndCounterparty);
    assert!(candidates.iter().all(|c| c.explanation.score < 90));
    assert!(candidates[0].explanation.fields.contains(&"counterparty_iban".to_owned()));
    // Without a counterparty that fits, an equal amount alone is not enough.
    let mut m = Matcher::new(vec![item(5, "F-5", 4_242)], MatchSettings::default());
    assert_eq!(m.propose(&pay(4_242, "thanks"), &none()), Proposal::Nothing);
}

#[test]
fn the_amount_tolerance_widens_rule_three_only() {
    let settings = MatchSettings { amount_tolerance_minor: 5, ..MatchSettings::default() };
    let mut m = Matcher::new(vec![item(1, "F-1", 1_000)], settings);
    let mut p = pay(1_003, "thanks");
    p.counterparty_name = Some("Bloc Group".into());
    assert_eq!(suggested(&m.propose(&p, &none())), vec![id(1)]);
    p.amount_minor = 1_006;
    assert_eq!(m.propose(&p, &none()), Proposal::Nothing);
    let mut m = Matcher::new(vec![item(1, "F-1", 1_000)], MatchSettings::default());
    p.amount_minor = 1_003;
    assert_eq!(m.propose(&p, &none()), Proposal::Nothing, "the default tolerance is zero");
}

#[test]
fn names_are_compared_without_case_punctuation_or_legal_form() {
    assert!(names_similar("Bloc Group BV", "BLOC-GROUP"));
    assert!(names_similar("Acme N.V.", "acme"));
    assert!(names_similar("Jan Peeters Bouw", "Peeters Bouw BVBA"));
    assert!(!names_similar("Acme", "Bloc Group"));
    assert!(!names_similar("BV", "NV"), "legal forms alone say nothing");
}

#[test]
fn a_person_s_allocation_is_checked_field_by_field() {
    let a = item(1, "F-1", 1_000);
    let b = item(2, "F-2", 500);
    let mut out = item(3, "P-3", 500);
    out.flow = Flow::Out;
    let p = pay(1_200, "");
    assert_eq!(check_allocation(&p, 1_200, &[(&a, 1_000), (&b, 200)]), Ok(()));
    let err = check_allocation(&p, 1_200, &[(&a, 1_000), (&b, 500)]).unwrap_err();
    assert_eq!(err.field(), "invoices[1].amount");
    assert!(matches!(err, AllocationError::AboveRemaining { remaining_minor: 1_200, .. }));
    let err = check_allocation(&p, 1_200, &[(&b, 501)]).unwrap_err();
    assert!(matches!(err, AllocationError::AboveOpen { open_minor: 500, .. }));
    let err = check_allocation(&p, 1_200, &[(&a, 100), (&out, 100)]).unwrap_err();
    assert_eq!(err.field(), "invoices[1].invoice_id");
    assert!(matches!(err, AllocationError::DirectionMismatch { .. }));
    assert!(matches!(check_allocation(&p, 0, &[(&a, 1)]), Err(AllocationError::FullyMatched { .. })));
    assert!(matches!(check_allocation(&p, 1_200, &[(&a, 0)]), Err(AllocationError::NotPositive { .. })));
    assert!(matches!(check_allocation(&p, 1_200, &[(&a, 1), (&a, 1)]), Err(AllocationError::Duplicate { .. })));
}

#[test]
fn match_rules_round_trip_through_their_codes() {
    for rule in MatchRule::ALL {
        assert_eq!(rule.code().parse::<MatchRule>().unwrap(), rule);
    }
    assert!("nope".parse::<MatchRule>().is_err());
}

#[test]
fn the_candidate_keys_of_a_batch_find_every_item_the_rules_would_propose() {
    // Many open items (numbers, OGMs, RF and free-text references, amounts) and a batch that
    // names some of them in every way the rules know: the rules over only the items the batch's
    // keys select decide exactly as the rules over every item.
    let mut items = Vec::new();
    for n in 0..400u128 {
        let mut it = item(n, &format!("INV-2026-{n:04}"), 10_000 + i64::try_from(n).unwrap() * 100);
        match n % 5 {
            0 => it = with_ogm(it, &ogm(u64::try_from(n).unwrap() + 1)),
            1 => it.payment_reference = Some(PaymentReference::parse("RF18 5390 0754 7034").unwrap()),
            2 => it.payment_reference = Some(PaymentReference::Free(format!("order {n} x"))),
            _ => {}
        }
        if n % 3 == 0 {
            it.flow = Flow::Out;
        }
        items.push(it);
    }
    let mut batch = Vec::new();
    for n in (0..400u64).step_by(7) {
        let amount = 10_000 + i64::try_from(n).unwrap() * 100;
        batch.push(pay(amount, &format!("invoice inv 2026 {n:04} thanks")));
        batch.push(pay(-amount, &format!("{} rest", ogm(n + 1))));
        batch.push(pay(amount + 1, "RF18 5390 0754 7034"));
        batch.push(pay(amount, &format!("Order {n} X")));
        let mut by_name = pay(amount, "no reference");
        by_name.counterparty_name = Some("bloc group".into());
        batch.push(by_name);
    }
    let settings = MatchSettings::default();
    let keys = CandidateKeys::of(&batch, &settings).expect("a narrow tolerance lists the amounts");
    let selected: Vec<OpenItem> = items
        .iter()
        .filter(|i| {
            number_key(&i.invoice_number).is_some_and(|k| keys.keys.binary_search(&k).is_ok())
                || i.payment_reference
                    .as_ref()
                    .and_then(reference_key)
                    .is_some_and(|k| keys.keys.binary_search(&k).is_ok())
                || keys.amounts.binary_search(&(i.flow, i.currency, i.open_minor)).is_ok()
        })
        .cloned()
        .collect();
    assert!(selected.len() < items.len(), "the keys select, they do not take everything");
    let mut all = Matcher::new(items.clone(), settings);
    let mut some = Matcher::new(selected, settings);
    let mut decided = 0;
    for payment in &batch {
        let (a, b) = (all.propose(payment, &none()), some.propose(payment, &none()));
        decided += usize::from(a != Proposal::Nothing);
        assert_eq!(a, b, "{payment:?}");
    }
    assert!(decided >= batch.len() / 4, "the batch names its invoices: {decided} of {}", batch.len());
    let wide = MatchSettings { amount_tolerance_minor: 10_000, ..settings };
    assert_eq!(CandidateKeys::of(&batch, &wide), None, "too wide a tolerance reads every item");
}
