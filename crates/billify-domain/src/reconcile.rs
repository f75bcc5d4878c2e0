//! Reconciliation rules: which open invoices a booked bank transaction pays.
//!
//! The rules, in order of strength:
//! 1. A Belgian structured reference (OGM/VCS) or an ISO 11649 creditor reference (RF), taken
//!    from the structured remittance field or found in free text, equal to an invoice's payment
//!    reference. Amount equal: applied automatically. A reference identifies its invoice beyond
//!    doubt, so a smaller amount is applied as a partial payment and a larger one is applied up
//!    to the open amount with the excess flagged as an over-payment.
//! 2. The invoice number (or a free-text payment reference) found in the remittance text,
//!    normalised (case, spaces, dashes and other punctuation ignored, whole words only). Amount
//!    equal: applied automatically; otherwise a suggestion.
//! 3. The amount equal within a tolerance, the counterparty IBAN equal or its name similar, and
//!    the booking date within a window around the due date: a suggestion, never applied alone.
//!
//! A remittance that names several invoices (a batch payment) pays them all when the amount is
//! their sum. Credits (money in) only pay receivables, debits only payables; credit notes flow
//! the other way. Everything here is pure: the caller loads the open items and the
//! transactions through ports and stores what the [`Matcher`] proposes.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::str::FromStr;

use time::Date;

use crate::{
    BankTransaction, Currency, Direction, Iban, Invoice, InvoiceId, InvoiceKind, ParseError, PaymentReference,
    StructuredReference, bank::scan_structured_references,
};

/// Which way money moves for the organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Flow {
    /// Money comes in (a credit on the bank account).
    In,
    /// Money goes out (a debit).
    Out,
}

impl Flow {
    /// How an invoice is settled: a receivable invoice and a supplier's credit note bring money
    /// in; a payable invoice and a credit note we issued take money out.
    pub fn of_invoice(direction: Direction, kind: InvoiceKind) -> Flow {
        match (direction, kind) {
            (Direction::Receivable, InvoiceKind::Invoice) | (Direction::Payable, InvoiceKind::CreditNote) => Flow::In,
            (Direction::Payable, InvoiceKind::Invoice) | (Direction::Receivable, InvoiceKind::CreditNote) => Flow::Out,
        }
    }

    /// The flow of a signed bank amount in minor units (positive: credit).
    pub fn of_amount(minor: i64) -> Flow {
        if minor >= 0 { Flow::In } else { Flow::Out }
    }

    /// The stable machine code: `in` or `out`.
    pub fn code(&self) -> &'static str {
        match self {
            Flow::In => "in",
            Flow::Out => "out",
        }
    }
}

/// The rule that tied a transaction to an invoice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MatchRule {
    /// Rule 1: a Belgian structured reference (OGM/VCS).
    StructuredReference,
    /// Rule 1: an ISO 11649 creditor reference (RF).
    CreditorReference,
    /// Rule 2: the invoice number (or free-text payment reference) in the remittance text.
    InvoiceNumber,
    /// Rule 3: amount, counterparty and dates; only ever a suggestion.
    AmountAndCounterparty,
    /// Chosen by a person.
    Manual,
}

impl MatchRule {
    /// Every rule, strongest first.
    pub const ALL: [MatchRule; 5] = [
        MatchRule::StructuredReference,
        MatchRule::CreditorReference,
        MatchRule::InvoiceNumber,
        MatchRule::AmountAndCounterparty,
        MatchRule::Manual,
    ];

    /// The stable machine code.
    pub fn code(&self) -> &'static str {
        match self {
            MatchRule::StructuredReference => "structured_reference",
            MatchRule::CreditorReference => "creditor_reference",
            MatchRule::InvoiceNumber => "invoice_number",
            MatchRule::AmountAndCounterparty => "amount_and_counterparty",
            MatchRule::Manual => "manual",
        }
    }

    fn is_reference(&self) -> bool {
        matches!(self, MatchRule::StructuredReference | MatchRule::CreditorReference)
    }
}

impl fmt::Display for MatchRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for MatchRule {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        MatchRule::ALL
            .into_iter()
            .find(|r| r.code() == s)
            .ok_or_else(|| ParseError::new("match rule", format!("{s:?} is not a match rule")))
    }
}

/// Why a transaction was tied to an invoice: the rule, the fields that matched and a score from
/// 0 to 100 (100: beyond doubt).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatchExplanation {
    /// The rule.
    pub rule: MatchRule,
    /// The fields that matched, e.g. `["structured_reference", "amount"]`.
    pub fields: Vec<String>,
    /// How sure the rule is, 0 to 100.
    pub score: u8,
}

impl MatchExplanation {
    fn new(rule: MatchRule, fields: &[&str], score: u8) -> Self {
        MatchExplanation { rule, fields: fields.iter().map(|f| (*f).to_owned()).collect(), score: score.min(100) }
    }

    /// The explanation of a match a person made.
    pub fn manual() -> Self {
        MatchExplanation::new(MatchRule::Manual, &["chosen_by_user"], 100)
    }
}

/// What the rules need to know of an open invoice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenItem {
    /// The invoice.
    pub invoice_id: InvoiceId,
    /// Which way its payment flows.
    pub flow: Flow,
    /// Its currency.
    pub currency: Currency,
    /// What is still to be paid, in minor units (positive).
    pub open_minor: i64,
    /// Its number as printed.
    pub invoice_number: String,
    /// The reference the payer must quote.
    pub payment_reference: Option<PaymentReference>,
    /// The other party's name.
    pub counterparty_name: String,
    /// The other party's IBAN, when known.
    pub counterparty_iban: Option<Iban>,
    /// When it is due.
    pub due_date: Date,
}

impl OpenItem {
    /// The open item of an invoice; `None` when nothing is open (paid).
    pub fn from_invoice(invoice: &Invoice) -> Option<OpenItem> {
        let open_minor = invoice.open_amount().to_minor_units().ok()?;
        if open_minor <= 0 || !invoice.status().is_open() {
            return None;
        }
        Some(OpenItem {
            invoice_id: invoice.id(),
            flow: Flow::of_invoice(invoice.direction(), invoice.kind()),
            currency: invoice.currency(),
            open_minor,
            invoice_number: invoice.invoice_number().as_str().to_owned(),
            payment_reference: invoice.payment_reference().cloned(),
            counterparty_name: invoice.counterparty().name().to_owned(),
            counterparty_iban: invoice.counterparty().iban().cloned(),
            due_date: invoice.due_date(),
        })
    }
}

/// What the rules need to know of a bank transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentFacts {
    /// The signed amount in minor units (positive: credit).
    pub amount_minor: i64,
    /// The currency.
    pub currency: Currency,
    /// The communication.
    pub remittance: Option<String>,
    /// The OGM the bank reported or that was found in the communication.
    pub structured_reference: Option<StructuredReference>,
    /// The other party's name.
    pub counterparty_name: Option<String>,
    /// The other party's IBAN.
    pub counterparty_iban: Option<Iban>,
    /// The booking date.
    pub booking_date: Date,
}

impl PaymentFacts {
    /// The facts of a booked transaction; `None` when its amount does not fit minor units.
    pub fn from_transaction(transaction: &BankTransaction) -> Option<PaymentFacts> {
        Some(PaymentFacts {
            amount_minor: transaction.amount().to_minor_units().ok()?,
            currency: transaction.amount().currency(),
            remittance: transaction.remittance_information().map(str::to_owned),
            structured_reference: transaction.structured_reference().cloned(),
            counterparty_name: transaction.counterparty_name().map(str::to_owned),
            counterparty_iban: transaction.counterparty_iban().cloned(),
            booking_date: transaction.execution_date(),
        })
    }

    /// Which way the money moved.
    pub fn flow(&self) -> Flow {
        Flow::of_amount(self.amount_minor)
    }
}

/// The tunable parts of the rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MatchSettings {
    /// Rule 3: how far, in minor units, an amount may differ from the open amount (default 0).
    pub amount_tolerance_minor: i64,
    /// Rule 3: how many days the booking date may lie before or after the due date (default 60).
    pub date_window_days: i64,
}

impl Default for MatchSettings {
    fn default() -> Self {
        MatchSettings { amount_tolerance_minor: 0, date_window_days: 60 }
    }
}

/// A part of a transaction applied to one invoice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Allocation {
    /// The invoice.
    pub invoice_id: InvoiceId,
    /// How much of the transaction goes to it, in minor units (positive).
    pub amount_minor: i64,
    /// Why.
    pub explanation: MatchExplanation,
}

/// An invoice proposed for a transaction, with how well it fits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// The invoice.
    pub invoice_id: InvoiceId,
    /// Its open amount when proposed, in minor units.
    pub open_minor: i64,
    /// Why it fits.
    pub explanation: MatchExplanation,
}

/// What the rules decided for one transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Proposal {
    /// Apply these allocations now. `overpayment_minor` is what the transaction paid beyond
    /// the open amounts (zero when none); it stays on the transaction, flagged.
    Apply {
        /// One per invoice paid.
        allocations: Vec<Allocation>,
        /// The excess paid, in minor units.
        overpayment_minor: i64,
    },
    /// Ask a person: these invoices may be what the transaction pays (best first).
    Suggest {
        /// The strongest rule that found them.
        rule: MatchRule,
        /// A sentence for people.
        reason: String,
        /// The candidates, best first.
        candidates: Vec<Candidate>,
    },
    /// No invoice fits.
    Nothing,
}

/// The rules over one organisation's open items, indexed for fast look-ups.
///
/// Applying a proposal lowers the open amounts it uses, so later transactions of the same run
/// see what earlier ones left open.
#[derive(Debug, Clone)]
pub struct Matcher {
    settings: MatchSettings,
    items: Vec<OpenItem>,
    by_structured: HashMap<String, Vec<usize>>,
    by_creditor: HashMap<String, Vec<usize>>,
    by_number: HashMap<String, Vec<usize>>,
    by_amount: BTreeMap<(Flow, Currency, i64), Vec<usize>>,
    by_id: HashMap<InvoiceId, usize>,
    longest_key: usize,
}

/// The longest run of consecutive words of a remittance tried as one invoice number.
const MAX_WORDS_PER_NUMBER: usize = 8;

impl Matcher {
    /// Indexes the open items.
    pub fn new(items: Vec<OpenItem>, settings: MatchSettings) -> Matcher {
        let mut matcher = Matcher {
            settings,
            items: Vec::new(),
            by_structured: HashMap::new(),
            by_creditor: HashMap::new(),
            by_number: HashMap::new(),
            by_amount: BTreeMap::new(),
            by_id: HashMap::new(),
            longest_key: 0,
        };
        for item in items.into_iter().filter(|i| i.open_minor > 0) {
            let at = matcher.items.len();
            match &item.payment_reference {
                Some(PaymentReference::Structured(s)) => {
                    matcher.by_structured.entry(s.digits().to_owned()).or_default().push(at)
                }
                Some(PaymentReference::Creditor(c)) => matcher.by_creditor.entry(c.clone()).or_default().push(at),
                Some(PaymentReference::Free(text)) => matcher.index_number(text, at),
                None => {}
            }
            let number = item.invoice_number.clone();
            matcher.index_number(&number, at);
            matcher.by_amount.entry((item.flow, item.currency, item.open_minor)).or_default().push(at);
            matcher.by_id.insert(item.invoice_id, at);
            matcher.items.push(item);
        }
        matcher
    }

    fn index_number(&mut self, text: &str, at: usize) {
        if let Some(key) = number_key(text) {
            self.longest_key = self.longest_key.max(key.len());
            let slot = self.by_number.entry(key).or_default();
            if !slot.contains(&at) {
                slot.push(at);
            }
        }
    }

    /// The open item of an invoice, as the matcher now sees it.
    pub fn item(&self, invoice: InvoiceId) -> Option<&OpenItem> {
        self.by_id.get(&invoice).map(|at| &self.items[*at])
    }

    /// Decides what a transaction pays, ignoring `excluded` invoices (matches a person undid,
    /// suggestions a person rejected). An `Apply` proposal lowers the open amounts it uses.
    pub fn propose(&mut self, payment: &PaymentFacts, excluded: &HashSet<InvoiceId>) -> Proposal {
        let proposal = self.decide(payment, excluded);
        if let Proposal::Apply { allocations, .. } = &proposal {
            for allocation in allocations {
                self.lower(allocation.invoice_id, allocation.amount_minor);
            }
        }
        proposal
    }

    fn lower(&mut self, invoice: InvoiceId, by: i64) {
        let Some(&at) = self.by_id.get(&invoice) else { return };
        let item = &self.items[at];
        let old_key = (item.flow, item.currency, item.open_minor);
        if let Some(slot) = self.by_amount.get_mut(&old_key) {
            slot.retain(|i| *i != at);
            if slot.is_empty() {
                self.by_amount.remove(&old_key);
            }
        }
        let item = &mut self.items[at];
        item.open_minor = (item.open_minor - by).max(0);
        if item.open_minor > 0 {
            self.by_amount.entry((item.flow, item.currency, item.open_minor)).or_default().push(at);
        }
    }

    fn eligible(&self, at: usize, payment: &PaymentFacts, excluded: &HashSet<InvoiceId>) -> bool {
        let item = &self.items[at];
        item.open_minor > 0
            && item.flow == payment.flow()
            && item.currency == payment.currency
            && !excluded.contains(&item.invoice_id)
    }

    /// Rules 1 and 2: the eligible invoices the remittance names, each with the strongest rule
    /// that found it, in the order found; and whether one reference or number fits several.
    fn identified(&self, payment: &PaymentFacts, excluded: &HashSet<InvoiceId>) -> (Vec<(usize, MatchRule)>, bool) {
        let mut found: Vec<(usize, MatchRule)> = Vec::new();
        let mut ambiguous = false;
        let mut take = |hits: Option<&Vec<usize>>, rule: MatchRule| {
            let hits: Vec<usize> = hits
                .map(|h| h.iter().copied().filter(|at| self.eligible(*at, payment, excluded)).collect())
                .unwrap_or_default();
            ambiguous |= hits.len() > 1;
            for at in hits {
                match found.iter_mut().find(|(f, _)| *f == at) {
                    Some(existing) if rule < existing.1 => existing.1 = rule,
                    Some(_) => {}
                    None => found.push((at, rule)),
                }
            }
        };
        let text = payment.remittance.as_deref().unwrap_or("");
        let mut ogms: Vec<StructuredReference> = payment.structured_reference.iter().cloned().collect();
        for ogm in scan_structured_references(text) {
            if !ogms.contains(&ogm) {
                ogms.push(ogm);
            }
        }
        for ogm in &ogms {
            take(self.by_structured.get(ogm.digits()), MatchRule::StructuredReference);
        }
        let words = words(text);
        for rf in creditor_references(&words) {
            take(self.by_creditor.get(&rf), MatchRule::CreditorReference);
        }
        if !self.by_number.is_empty() {
            let mut seen = HashSet::new();
            for start in 0..words.len() {
                let mut key = String::new();
                for word in words.iter().skip(start).take(MAX_WORDS_PER_NUMBER) {
                    key.push_str(word);
                    if key.len() > self.longest_key {
                        break;
                    }
                    if seen.insert(key.clone()) {
                        take(self.by_number.get(&key), MatchRule::InvoiceNumber);
                    }
                }
            }
        }
        (found, ambiguous)
    }

    fn decide(&self, payment: &PaymentFacts, excluded: &HashSet<InvoiceId>) -> Proposal {
        let amount = payment.amount_minor.checked_abs().unwrap_or(0);
        if amount == 0 {
            return Proposal::Nothing;
        }
        let (found, ambiguous) = self.identified(payment, excluded);
        if ambiguous {
            // One reference or number fits several open invoices: a person decides.
            let mut candidates: Vec<Candidate> =
                found.iter().map(|(at, rule)| self.candidate(*at, *rule, payment)).collect();
            sort_candidates(&mut candidates);
            let rule = found.iter().map(|(_, rule)| *rule).min().unwrap_or(MatchRule::InvoiceNumber);
            return Proposal::Suggest {
                rule,
                reason: "the same reference or number fits several open invoices".to_owned(),
                candidates,
            };
        }
        if found.is_empty() {
            return self.decide_by_amount(payment, amount, excluded);
        }
        self.decide_identified(payment, amount, found)
    }

    fn candidate(&self, at: usize, rule: MatchRule, payment: &PaymentFacts) -> Candidate {
        let item = &self.items[at];
        let amount = payment.amount_minor.checked_abs().unwrap_or(0);
        let mut fields = vec![match rule {
            MatchRule::StructuredReference => "structured_reference",
            MatchRule::CreditorReference => "creditor_reference",
            MatchRule::InvoiceNumber => "invoice_number",
            _ => "amount",
        }];
        let mut score: u8 = match rule {
            MatchRule::StructuredReference | MatchRule::CreditorReference => 70,
            MatchRule::InvoiceNumber => 60,
            _ => 40,
        };
        if rule != MatchRule::AmountAndCounterparty && item.open_minor == amount {
            fields.push("amount");
            score += 10;
        }
        if let (Some(a), Some(b)) = (&item.counterparty_iban, &payment.counterparty_iban)
            && a == b
        {
            fields.push("counterparty_iban");
            score += 15;
        }
        if payment.counterparty_name.as_deref().is_some_and(|n| names_similar(n, &item.counterparty_name)) {
            fields.push("counterparty_name");
            score += 10;
        }
        if (payment.booking_date - item.due_date).whole_days().abs() <= self.settings.date_window_days {
            fields.push("date");
            score += 4;
        }
        Candidate {
            invoice_id: item.invoice_id,
            open_minor: item.open_minor,
            explanation: MatchExplanation::new(rule, &fields, score.min(89)),
        }
    }

    fn decide_identified(&self, payment: &PaymentFacts, amount: i64, found: Vec<(usize, MatchRule)>) -> Proposal {
        let total_open: i64 = found.iter().map(|(at, _)| self.items[*at].open_minor).sum();
        let all_references = found.iter().all(|(_, rule)| rule.is_reference());
        let batch = found.len() > 1;
        if amount == total_open {
            let allocations = found
                .iter()
                .map(|(at, rule)| {
                    let item = &self.items[*at];
                    let (field, score) = match rule {
                        MatchRule::StructuredReference => ("structured_reference", 100),
                        MatchRule::CreditorReference => ("creditor_reference", 100),
                        _ => ("invoice_number", 95),
                    };
                    let fields: &[&str] = if batch { &[field, "batch_amount"] } else { &[field, "amount"] };
                    Allocation {
                        invoice_id: item.invoice_id,
                        amount_minor: item.open_minor,
                        explanation: MatchExplanation::new(*rule, fields, score),
                    }
                })
                .collect();
            return Proposal::Apply { allocations, overpayment_minor: 0 };
        }
        if all_references {
            // The references name the invoices beyond doubt: pay the oldest due first, and keep
            // what is left over as a flagged over-payment.
            let mut order = found.clone();
            order.sort_by_key(|(at, _)| (self.items[*at].due_date, *at));
            let mut left = amount;
            let mut allocations = Vec::new();
            for (at, rule) in order {
                if left == 0 {
                    break;
                }
                let item = &self.items[at];
                let part = left.min(item.open_minor);
                left -= part;
                let field =
                    if rule == MatchRule::StructuredReference { "structured_reference" } else { "creditor_reference" };
                let kind = if part < item.open_minor { "partial_amount" } else { "amount" };
                allocations.push(Allocation {
                    invoice_id: item.invoice_id,
                    amount_minor: part,
                    explanation: MatchExplanation::new(rule, &[field, kind], 90),
                });
            }
            if left > 0
                && let Some(last) = allocations.last_mut()
            {
                last.explanation.fields.push("overpayment".to_owned());
            }
            return Proposal::Apply { allocations, overpayment_minor: left };
        }
        let mut candidates: Vec<Candidate> =
            found.iter().map(|(at, rule)| self.candidate(*at, *rule, payment)).collect();
        sort_candidates(&mut candidates);
        Proposal::Suggest {
            rule: MatchRule::InvoiceNumber,
            reason: if batch {
                "the remittance names these invoices, but the amount is not their sum".to_owned()
            } else {
                "the remittance names this invoice, but the amount differs from what is open".to_owned()
            },
            candidates,
        }
    }

    fn decide_by_amount(&self, payment: &PaymentFacts, amount: i64, excluded: &HashSet<InvoiceId>) -> Proposal {
        let tolerance = self.settings.amount_tolerance_minor.max(0);
        let flow = payment.flow();
        let low = (flow, payment.currency, amount.saturating_sub(tolerance));
        let high = (flow, payment.currency, amount.saturating_add(tolerance));
        let mut candidates = Vec::new();
        for at in self.by_amount.range(low..=high).flat_map(|(_, v)| v.iter().copied()) {
            if !self.eligible(at, payment, excluded) {
                continue;
            }
            let item = &self.items[at];
            let days = (payment.booking_date - item.due_date).whole_days().abs();
            if days > self.settings.date_window_days {
                continue;
            }
            let iban = matches!((&item.counterparty_iban, &payment.counterparty_iban), (Some(a), Some(b)) if a == b);
            let name = payment.counterparty_name.as_deref().is_some_and(|n| names_similar(n, &item.counterparty_name));
            if !iban && !name {
                continue;
            }
            let mut fields = vec!["amount"];
            let mut score: i64 = if item.open_minor == amount { 45 } else { 35 };
            if iban {
                fields.push("counterparty_iban");
                score += 20;
            }
            if name {
                fields.push("counterparty_name");
                score += 10;
            }
            fields.push("date");
            // A point for each day closer than two weeks to the due date.
            score += (14 - days).max(0);
            candidates.push(Candidate {
                invoice_id: item.invoice_id,
                open_minor: item.open_minor,
                explanation: MatchExplanation::new(
                    MatchRule::AmountAndCounterparty,
                    &fields,
                    u8::try_from(score.clamp(0, 89)).unwrap_or(0),
                ),
            });
        }
        if candidates.is_empty() {
            return Proposal::Nothing;
        }
        sort_candidates(&mut candidates);
        let reason = if candidates.len() == 1 {
            "the amount and the counterparty fit this open invoice".to_owned()
        } else {
            format!("the amount and the counterparty fit {} open invoices", candidates.len())
        };
        Proposal::Suggest { rule: MatchRule::AmountAndCounterparty, reason, candidates }
    }
}

fn sort_candidates(candidates: &mut [Candidate]) {
    candidates.sort_by(|a, b| b.explanation.score.cmp(&a.explanation.score).then(a.invoice_id.cmp(&b.invoice_id)));
}

/// The normalised form an invoice number is compared in: letters and digits only, lower case
/// (so `INV 2023-0042`, `inv-2023/0042` and `INV20230042` are one). `None` for numbers too weak
/// to find in free text: shorter than three characters or without a digit.
pub fn number_key(text: &str) -> Option<String> {
    let key: String = text.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect();
    (key.chars().count() >= 3 && key.chars().any(|c| c.is_ascii_digit())).then_some(key)
}

/// The key a payment reference is looked up by: an OGM's twelve digits, an RF reference
/// compact and upper case, a free-text reference as [`number_key`] normalises it. Storage keeps
/// it beside the invoice, so the open items a batch of transactions may name are read by key
/// ([`CandidateKeys`]) rather than all at once.
pub fn reference_key(reference: &PaymentReference) -> Option<String> {
    match reference {
        PaymentReference::Structured(s) => Some(s.digits().to_owned()),
        PaymentReference::Creditor(c) => Some(c.clone()),
        PaymentReference::Free(text) => number_key(text),
    }
}

/// The longest normalised invoice number (or free-text reference) looked up, in bytes: longer
/// keys are never tried against a remittance's word runs.
pub const MAX_NUMBER_KEY: usize = 512;

/// What a batch of transactions may name, so that only the open items that may fit them are
/// read: the keys (OGM digits, RF references, normalised word runs) an open item's
/// [`number_key`] of its invoice number or [`reference_key`] of its payment reference must
/// equal, and the amounts (per flow and currency, within the tolerance) its open amount must
/// equal. An open item outside these cannot be proposed for any transaction of the batch.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CandidateKeys {
    /// Keys an open item's number key or reference key may equal, sorted, without repeats.
    pub keys: Vec<String>,
    /// Open amounts to look for, per flow and currency, in minor units, sorted, without
    /// repeats.
    pub amounts: Vec<(Flow, Currency, i64)>,
}

impl CandidateKeys {
    /// The keys and amounts of these transactions under `settings` (the amounts widened by the
    /// tolerance; `None` when the tolerance is too wide to list them, and every open item must be
    /// read).
    pub fn of(payments: &[PaymentFacts], settings: &MatchSettings) -> Option<CandidateKeys> {
        let tolerance = settings.amount_tolerance_minor.max(0);
        if tolerance > 100 {
            return None;
        }
        let mut found = CandidateKeys::default();
        for payment in payments {
            let amount = payment.amount_minor.checked_abs().unwrap_or(0);
            if amount == 0 {
                continue;
            }
            for a in amount.saturating_sub(tolerance)..=amount.saturating_add(tolerance) {
                found.amounts.push((payment.flow(), payment.currency, a));
            }
            let text = payment.remittance.as_deref().unwrap_or("");
            if let Some(ogm) = &payment.structured_reference {
                found.keys.push(ogm.digits().to_owned());
            }
            for ogm in scan_structured_references(text) {
                found.keys.push(ogm.digits().to_owned());
            }
            let words = words(text);
            found.keys.extend(creditor_references(&words));
            for start in 0..words.len() {
                let mut key = String::new();
                for word in words.iter().skip(start).take(MAX_WORDS_PER_NUMBER) {
                    key.push_str(word);
                    if key.len() > MAX_NUMBER_KEY {
                        break;
                    }
                    if let Some(k) = number_key(&key) {
                        found.keys.push(k);
                    }
                }
            }
        }
        found.keys.sort();
        found.keys.dedup();
        found.amounts.sort();
        found.amounts.dedup();
        Some(found)
    }
}

/// The words of a text: maximal runs of letters and digits, lower case.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.chars().flat_map(char::to_lowercase).collect())
        .collect()
}

/// Every valid RF creditor reference in a text's words (`RF18 5390 0754 7034` or compact),
/// compact and upper case.
fn creditor_references(words: &[String]) -> Vec<String> {
    let mut found = Vec::new();
    for (start, word) in words.iter().enumerate() {
        let b = word.as_bytes();
        if b.len() < 4 || &b[..2] != b"rf" || !b[2].is_ascii_digit() || !b[3].is_ascii_digit() {
            continue;
        }
        let mut compact = String::new();
        for next in &words[start..] {
            compact.push_str(&next.to_ascii_uppercase());
            if compact.len() > 25 {
                break;
            }
            if compact.len() >= 5
                && let Ok(PaymentReference::Creditor(rf)) = PaymentReference::parse(&compact)
                && !found.contains(&rf)
            {
                found.push(rf);
            }
        }
    }
    found
}

/// Words of a company name that say nothing about who it is (legal forms).
const LEGAL_FORMS: &[&str] = &[
    "bv", "bvba", "nv", "sa", "srl", "sprl", "vof", "cv", "cvba", "scrl", "comm", "commv", "vzw", "asbl", "ltd",
    "limited", "gmbh", "ag", "inc", "llc", "sas", "sarl", "bvba", "ebvba", "the", "de", "la", "le",
];

fn name_words(name: &str) -> HashSet<String> {
    words(name).into_iter().filter(|w| !LEGAL_FORMS.contains(&w.as_str())).collect()
}

/// Whether two counterparty names are alike: the same words once case, punctuation and legal
/// forms are set aside, one name's words all found in the other, or at least half the words
/// shared (Sørensen–Dice coefficient ≥ 0.5).
pub fn names_similar(a: &str, b: &str) -> bool {
    let (a, b) = (name_words(a), name_words(b));
    if a.is_empty() || b.is_empty() {
        return false;
    }
    let shared = a.intersection(&b).count();
    shared == a.len() || shared == b.len() || 4 * shared >= a.len() + b.len()
}

mod allocation;
pub use allocation::{AllocationError, check_allocation};

#[cfg(test)]
mod tests;
