//! Template-free field extraction from positioned text.
//!
//! The text is cut into *cells*: runs of words on one line without a wide gap. A cell that
//! starts with a known label (see [`labels`]) takes its value from the rest of the cell, from
//! the next cell to its right, or from the cell below it. Candidates are scored by where the
//! value was found and how specific the label is; amounts are then chosen as a set, preferring
//! subtotal + VAT = total exactly; identifiers must pass the domain types' checksums.

mod labels;
mod text;

use std::str::FromStr;
use std::sync::LazyLock;

use bigdecimal::{BigDecimal, RoundingMode, Zero};
use billify_domain::{Bic, Currency, Iban, PaymentReference, StructuredReference, VatNumber};
use billify_ports::intake::{
    Confidence, DocumentKind, Extracted, ExtractedInvoice, ExtractedParty, ExtractionMethod, OwnParty,
};
use regex::Regex;
use time::{Date, Duration};

use crate::TextDocument;
use labels::{Kind, LEGAL_FORMS, match_label};
use text::{find_amounts, find_date, find_percents, norm, skip_chars, trim_sep};

/// A run of words on one line, without a gap wider than about one em between them.
#[derive(Debug, Clone)]
struct Cell {
    page: usize,
    line: usize,
    text: String,
    norm: String,
    x0: f32,
    x1: f32,
    y: f32,
    size: f32,
    label: Option<(Kind, usize)>,
}

/// Where a value was found relative to its label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    Same,
    Right,
    Below,
}

impl Place {
    fn bonus(self) -> i32 {
        match self {
            Place::Same => 3,
            Place::Right => 2,
            Place::Below => 1,
        }
    }
}

struct Ctx {
    cells: Vec<Cell>,
    /// Cell indices per global line.
    lines: Vec<Vec<usize>>,
}

fn pct(v: u8) -> Confidence {
    Confidence::percent(v)
}

impl Ctx {
    fn new(doc: &TextDocument) -> Self {
        let mut cells = Vec::new();
        let mut lines = Vec::new();
        for page in &doc.pages {
            for line in &page.lines {
                let line_idx = lines.len();
                let mut idx = Vec::new();
                let mut cur: Option<Cell> = None;
                for w in &line.words {
                    match cur.as_mut() {
                        Some(c) if w.x - c.x1 <= 1.1 * w.font_size.max(c.size) => {
                            c.text.push(' ');
                            c.text.push_str(&w.text);
                            c.x1 = w.right();
                            c.size = c.size.max(w.font_size);
                        }
                        _ => {
                            if let Some(c) = cur.take() {
                                idx.push(cells.len());
                                cells.push(c);
                            }
                            cur = Some(Cell {
                                page: page.number,
                                line: line_idx,
                                text: w.text.clone(),
                                norm: String::new(),
                                x0: w.x,
                                x1: w.right(),
                                y: line.y,
                                size: w.font_size,
                                label: None,
                            });
                        }
                    }
                }
                if let Some(c) = cur.take() {
                    idx.push(cells.len());
                    cells.push(c);
                }
                lines.push(idx);
            }
        }
        for c in &mut cells {
            c.norm = norm(&c.text);
            c.label = match_label(&c.norm);
            if let Some((Kind::To, n)) = c.label {
                let rest = skip_chars(&c.norm, n).trim_start();
                if !(rest.is_empty() || rest.starts_with(':')) {
                    c.label = None;
                }
            }
        }
        Ctx { cells, lines }
    }

    /// The value candidates of the label cell `i`: the rest of the cell, the next cells on the
    /// line, and the cells below it.
    fn values(&self, i: usize, below: bool) -> Vec<(String, Place, usize)> {
        let c = &self.cells[i];
        let mut out = Vec::new();
        let label_len = c.label.map_or(0, |l| l.1);
        let rest = trim_sep(skip_chars(&c.text, label_len));
        if !rest.is_empty() {
            out.push((rest.to_string(), Place::Same, i));
        }
        for &j in &self.lines[c.line] {
            let o = &self.cells[j];
            if o.x0 > c.x1 {
                if o.label.is_some() {
                    // The next cell is another label: stop looking right.
                    break;
                }
                out.push((trim_sep(&o.text).to_string(), Place::Right, j));
            }
        }
        if below {
            let mut seen_lines = 0;
            for line in self.lines.iter().skip(c.line + 1) {
                let Some(&first) = line.first() else { continue };
                let f = &self.cells[first];
                if f.page != c.page || c.y - f.y > 4.0 * c.size {
                    break;
                }
                seen_lines += 1;
                if seen_lines > 3 {
                    break;
                }
                for &j in line {
                    let o = &self.cells[j];
                    let overlap = o.x0 < c.x1 + c.size && o.x1 > c.x0 - c.size;
                    if overlap {
                        if o.label.is_some_and(|(k, _)| k != Kind::Other) {
                            return out;
                        }
                        out.push((trim_sep(&o.text).to_string(), Place::Below, j));
                    }
                }
            }
        }
        out
    }

    fn labelled(&self, kinds: &[Kind]) -> impl Iterator<Item = (usize, Kind)> + '_ {
        let kinds = kinds.to_vec();
        self.cells
            .iter()
            .enumerate()
            .filter_map(move |(i, c)| c.label.filter(|(k, _)| kinds.contains(k)).map(|(k, _)| (i, k)))
    }
}

/// A scored candidate.
#[derive(Debug, Clone)]
struct Cand<T> {
    value: T,
    score: i32,
    /// Reading order: larger is later in the document.
    order: usize,
    cell: usize,
}

fn best<T: Clone>(cands: &[Cand<T>]) -> Option<&Cand<T>> {
    cands.iter().max_by(|a, b| a.score.cmp(&b.score).then(b.order.cmp(&a.order)))
}

/// Extracts the invoice fields.
pub(crate) fn extract_fields(doc: &TextDocument, own: &OwnParty, today: Date) -> ExtractedInvoice {
    let ctx = Ctx::new(doc);
    let mut inv = ExtractedInvoice::empty(ExtractionMethod::PdfText);

    inv.kind = Some(Extracted::new(document_kind(&ctx), pct(70)));
    inv.invoice_number = invoice_number(&ctx);
    let issue = dates(&ctx, &[Kind::IssueDate]);
    inv.issue_date = issue.clone().or_else(|| fallback_issue_date(&ctx));
    inv.due_date = dates(&ctx, &[Kind::DueDate]);
    let (terms, due_from_terms) = payment_terms(&ctx, inv.issue_date.as_ref().map(|d| d.value), today);
    inv.payment_terms = terms;
    if inv.due_date.is_none() {
        inv.due_date = due_from_terms;
    }
    amounts(&ctx, &mut inv);
    inv.payment_reference = payment_reference(&ctx);
    parties(&ctx, own, &mut inv);
    inv
}

fn document_kind(ctx: &Ctx) -> DocumentKind {
    let credit = ["credit note", "creditnota", "note de credit", "gutschrift", "credit nota"];
    let head = ctx.cells.iter().take(60);
    for c in head {
        if credit.iter().any(|w| c.norm.starts_with(w)) {
            return DocumentKind::CreditNote;
        }
    }
    DocumentKind::Invoice
}

/// An invoice number: a token with a digit, of letters, digits and `-_/.`.
fn parse_invoice_number(s: &str) -> Option<String> {
    let mut tokens =
        s.split_whitespace().filter(|t| !matches!(*t, "#" | ":" | "no" | "No" | "nr" | "Nr" | "n°" | "N°"));
    let tok = tokens.next()?;
    let tok = tok.trim_start_matches(['#', ':']).trim_end_matches(['.', ',', ';', ':', ')']);
    if tok.is_empty() || tok.len() > 40 || !tok.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    if !tok.chars().all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '/' | '.')) {
        return None;
    }
    if find_date(tok).is_some() || !find_amounts(tok).is_empty() {
        return None;
    }
    Some(tok.to_string())
}

fn invoice_number(ctx: &Ctx) -> Option<Extracted<String>> {
    let mut cands = Vec::new();
    for (i, kind) in ctx.labelled(&[Kind::InvoiceNumber, Kind::InvoiceWord]) {
        let generic = kind == Kind::InvoiceWord;
        for (text, place, cell) in ctx.values(i, !generic) {
            if generic && place == Place::Right {
                // "INVOICE ... <far right cell>" is a title, not a label.
                let c = &ctx.cells[i];
                let o = &ctx.cells[cell];
                if o.x0 - c.x1 > 6.0 * c.size {
                    continue;
                }
            }
            if let Some(v) = parse_invoice_number(&text) {
                let score = if generic { 4 } else { 10 } + place.bonus();
                cands.push(Cand { value: v, score, order: i, cell });
                break;
            }
        }
    }
    best(&cands).map(|c| Extracted::new(c.value.clone(), pct(if c.score >= 10 { 95 } else { 75 })))
}

fn dates(ctx: &Ctx, kinds: &[Kind]) -> Option<Extracted<Date>> {
    let mut cands = Vec::new();
    for (i, _) in ctx.labelled(kinds) {
        let generic = matches!(ctx.cells[i].norm.as_str(), n if n.starts_with("date") && !n.starts_with("date d") || n.starts_with("datum"));
        for (text, place, cell) in ctx.values(i, true) {
            if let Some(d) = find_date(&text) {
                let score = if generic { 6 } else { 10 } + place.bonus();
                cands.push(Cand { value: d, score, order: i, cell });
                break;
            }
        }
    }
    best(&cands).map(|c| Extracted::new(c.value, pct(if c.score >= 10 { 95 } else { 80 })))
}

/// The first date on the first page outside line items, when no label names the issue date.
fn fallback_issue_date(ctx: &Ctx) -> Option<Extracted<Date>> {
    for line in &ctx.lines {
        for &i in line {
            let c = &ctx.cells[i];
            if c.page != 1 {
                return None;
            }
            if c.label.is_some_and(|(k, _)| matches!(k, Kind::DueDate | Kind::Other)) {
                continue;
            }
            if let Some(d) = find_date(&c.text)
                && find_amounts(&c.text).is_empty()
            {
                return Some(Extracted::new(d, pct(40)));
            }
        }
    }
    None
}

static TERMS: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"(?:\b(?:net|netto)\s*(?P<n1>\d{1,3})\b(?:\s*(?:days?|dagen|jours?|tage?n?))?|(?:\b[aà]\s+)?\b(?P<n2>\d{1,3})\s*(?:days?|dagen|dag|jours?|tage?n?)\b(?:\s+(?:net|netto|nach rechnungsdatum|na factuurdatum|date de facture|after invoice date))?)(?P<eom>\s*(?:einde (?:van de )?maand|end of month|fin de mois|monatsende|ende des monats|eom))?",
    )
    .ok()
});

const TERMS_CONTEXT: &[&str] = &[
    "pay",
    "betal",
    "paie",
    "regle",
    "zahl",
    "due",
    "echeance",
    "termijn",
    "terms",
    "conditions",
    "delai",
    "net",
    "binnen",
    "within",
    "innerhalb",
    "vervalt",
    "fallig",
    "a 30",
    "a 60",
    "a 15",
];

/// Payment terms such as "30 dagen", "net 30", "à 30 jours" and the due date they give.
fn payment_terms(ctx: &Ctx, issue: Option<Date>, today: Date) -> (Option<Extracted<String>>, Option<Extracted<Date>>) {
    let Some(re) = TERMS.as_ref() else { return (None, None) };
    let mut found: Option<(String, i64, bool, i32)> = None;
    for line in &ctx.lines {
        let line_norm: String = line.iter().map(|&i| ctx.cells[i].norm.as_str()).collect::<Vec<_>>().join(" ");
        let line_text: String = line.iter().map(|&i| ctx.cells[i].text.as_str()).collect::<Vec<_>>().join(" ");
        let labelled = line.iter().any(|&i| ctx.cells[i].label.is_some_and(|(k, _)| k == Kind::Terms));
        if !labelled && !TERMS_CONTEXT.iter().any(|w| line_norm.contains(w)) {
            continue;
        }
        if let Some(c) = re.captures(&line_norm) {
            let Some(n) = c.name("n1").or_else(|| c.name("n2")).and_then(|m| m.as_str().parse::<i64>().ok()) else {
                continue;
            };
            if !(1..=365).contains(&n) {
                continue;
            }
            let m = c.get(0).map_or(0..0, |m| m.range());
            // Map byte offsets of the normalised text back to the original (same char count).
            let start_chars = line_norm[..m.start].chars().count();
            let len_chars = line_norm[m.clone()].chars().count();
            let phrase: String = line_text.chars().skip(start_chars).take(len_chars).collect();
            let score = if labelled { 10 } else { 5 };
            if found.as_ref().is_none_or(|f| score > f.3) {
                found = Some((phrase.trim().to_string(), n, c.name("eom").is_some(), score));
            }
        }
    }
    let Some((phrase, days, eom, score)) = found else { return (None, None) };
    let base = issue.unwrap_or(today);
    let mut due = base.checked_add(Duration::days(days));
    if eom && let Some(d) = due {
        due = Some(d.replace_day(d.month().length(d.year())).unwrap_or(d));
    }
    let conf = if issue.is_some() { if score >= 10 { 85 } else { 75 } } else { 50 };
    (Some(Extracted::new(phrase, pct(conf + 5))), due.map(|d| Extracted::new(d, pct(conf))))
}

/// An amount candidate.
#[derive(Debug, Clone)]
struct Amount {
    value: BigDecimal,
    currency: Option<Currency>,
    rate: Option<BigDecimal>,
}

/// A consistent (score, subtotal, VAT, total) choice.
type Triple<'a> = (i32, &'a Cand<Amount>, &'a Cand<Amount>, &'a Cand<Amount>);

fn amounts(ctx: &Ctx, inv: &mut ExtractedInvoice) {
    let mut subtotal: Vec<Cand<Amount>> = Vec::new();
    let mut vat: Vec<Cand<Amount>> = Vec::new();
    let mut total: Vec<Cand<Amount>> = Vec::new();
    let mut due: Vec<Cand<Amount>> = Vec::new();
    let mut prepaid: Vec<Cand<Amount>> = Vec::new();
    static RATE_FIRST: LazyLock<Option<Regex>> = LazyLock::new(|| {
        Regex::new(r"^(\d{1,2}(?:[.,]\d{1,2})?)\s?%\s*(?:btw|vat|tva|mwst\.?|ust\.?|tax|umsatzsteuer)\b").ok()
    });
    for (i, c) in ctx.cells.iter().enumerate() {
        let mut kind = c.label.map(|l| l.0);
        let rate_first = RATE_FIRST.as_ref().and_then(|re| re.captures(&c.norm)).is_some();
        if rate_first {
            kind = Some(Kind::Vat);
        }
        let Some(kind) = kind else { continue };
        if !matches!(kind, Kind::Subtotal | Kind::Vat | Kind::Total | Kind::Due | Kind::Prepaid) {
            continue;
        }
        let label_len = c.label.map_or(0, |l| l.1);
        let rest_norm = trim_sep(skip_chars(&c.norm, label_len));
        if kind == Kind::Vat
            && ["number", "nummer", "nr", "no", "id", "n°", "reg", "identification", "registration"]
                .iter()
                .any(|w| rest_norm.starts_with(w))
        {
            continue;
        }
        let mut rate = find_percents(&c.text).into_iter().next();
        let mut kind = kind;
        if kind == Kind::Total && rate.is_some() {
            // "TOTAL 21%": the VAT of one rate.
            kind = Kind::Vat;
        }
        let mut found: Option<(Amount, Place, usize)> = None;
        for (text, place, cell) in ctx.values(i, true) {
            if rate.is_none() && place != Place::Below {
                rate = find_percents(&text).into_iter().next();
            }
            let list = find_amounts(&text);
            // On the label's line the rightmost amount is the column total.
            if let Some(a) = list.last() {
                let amount = Amount { value: a.value.clone(), currency: a.currency, rate: None };
                found = Some((amount, place, cell));
                if place == Place::Right {
                    // Keep looking right for a later amount on the same line.
                    continue;
                }
                break;
            } else if found.is_some() {
                break;
            }
        }
        let Some((mut amount, place, cell)) = found else { continue };
        if kind == Kind::Vat {
            amount.rate = rate;
        }
        let generic = matches!(c.norm.as_str(), n if n == "total" || n.starts_with("total ") && kind == Kind::Total);
        let score = 10 + place.bonus() - i32::from(generic);
        let cand = Cand { value: amount, score, order: i, cell };
        match kind {
            Kind::Subtotal => subtotal.push(cand),
            Kind::Vat => vat.push(cand),
            Kind::Total => total.push(cand),
            Kind::Due => due.push(cand),
            _ => prepaid.push(cand),
        }
    }

    // Several VAT rates: their sum is a VAT total candidate too.
    let rated: Vec<&Cand<Amount>> = vat.iter().filter(|c| c.value.rate.is_some()).collect();
    if rated.len() >= 2 {
        let sum = rated.iter().fold(BigDecimal::zero(), |acc, c| acc + &c.value.value);
        let order = rated.iter().map(|c| c.order).max().unwrap_or(0);
        vat.push(Cand {
            value: Amount { value: sum, currency: rated[0].value.currency, rate: None },
            score: 8,
            order,
            cell: rated[0].cell,
        });
    }

    // The best consistent triple: subtotal + VAT = total (or amount due).
    let mut triple: Option<Triple<'_>> = None;
    for t in total.iter().chain(due.iter()) {
        for s in &subtotal {
            for v in &vat {
                if &s.value.value + &v.value.value == t.value.value && !t.value.value.is_zero() {
                    let score = s.score + v.score + t.score;
                    let better = match &triple {
                        None => true,
                        Some((bs, _, _, bt)) => score > *bs || (score == *bs && t.order > bt.order),
                    };
                    if better {
                        triple = Some((score, s, v, t));
                    }
                }
            }
        }
    }

    let mut chosen_total: Option<&Cand<Amount>> = None;
    if let Some((_, s, v, t)) = triple {
        inv.subtotal = Some(Extracted::new(s.value.value.clone(), pct(95)));
        inv.vat_amount = Some(Extracted::new(v.value.value.clone(), pct(95)));
        // The total is the labelled total equal to t when there is one.
        let t = total.iter().filter(|c| c.value.value == t.value.value).max_by_key(|c| (c.score, c.order)).unwrap_or(t);
        inv.total = Some(Extracted::new(t.value.value.clone(), pct(95)));
        chosen_total = Some(t);
        if let Some(rate) = v.value.rate.clone().or_else(|| single_rate(&vat)) {
            let ok = rate_matches(&s.value.value, &rate, &v.value.value);
            inv.vat_rate = Some(Extracted::new(rate, pct(if ok { 95 } else { 70 })));
        } else if let Some(rate) = derive_rate(&s.value.value, &v.value.value) {
            inv.vat_rate = Some(Extracted::new(rate, pct(75)));
        }
    } else {
        let t = best(&total).or_else(|| best(&due));
        let s = best(&subtotal);
        let v = best(&vat);
        if let Some(t) = t {
            inv.total = Some(Extracted::new(t.value.value.clone(), pct(70)));
            chosen_total = Some(t);
        }
        match (s, v, t) {
            (Some(s), None, Some(t)) => {
                inv.subtotal = Some(Extracted::new(s.value.value.clone(), pct(60)));
                let v = &t.value.value - &s.value.value;
                inv.vat_amount = Some(Extracted::new(v, pct(45)));
            }
            (None, Some(v), Some(t)) => {
                inv.vat_amount = Some(Extracted::new(v.value.value.clone(), pct(60)));
                let s = &t.value.value - &v.value.value;
                inv.subtotal = Some(Extracted::new(s, pct(45)));
            }
            _ => {
                inv.subtotal = s.map(|s| Extracted::new(s.value.value.clone(), pct(55)));
                inv.vat_amount = v.map(|v| Extracted::new(v.value.value.clone(), pct(55)));
            }
        }
        if let Some(v) = v
            && let Some(rate) = v.value.rate.clone()
        {
            inv.vat_rate = Some(Extracted::new(rate, pct(60)));
        }
    }

    // Amount due: prefer an "amount due" label, the last one in the document.
    if let Some(d) = due.iter().max_by(|a, b| a.score.cmp(&b.score).then(a.order.cmp(&b.order))) {
        let agrees = inv.total.as_ref().is_some_and(|t| t.value == d.value.value);
        inv.amount_due = Some(Extracted::new(d.value.value.clone(), pct(if agrees { 95 } else { 75 })));
        if inv.total.is_none() {
            inv.total = Some(Extracted::new(d.value.value.clone(), pct(60)));
            chosen_total = Some(d);
        }
    } else if let Some(t) = &inv.total {
        inv.amount_due = Some(Extracted::new(t.value.clone(), t.confidence));
    }
    if let Some(p) = best(&prepaid)
        && !p.value.value.is_zero()
    {
        inv.prepaid = Some(Extracted::new(p.value.value.clone(), pct(70)));
    }

    // Currency: the one printed with the total, else the most common one.
    let mut counts: Vec<(Currency, usize)> = Vec::new();
    for c in subtotal.iter().chain(&vat).chain(&total).chain(&due) {
        if let Some(cur) = c.value.currency {
            match counts.iter_mut().find(|(k, _)| *k == cur) {
                Some((_, n)) => *n += 1,
                None => counts.push((cur, 1)),
            }
        }
    }
    if let Some(cur) = chosen_total.and_then(|t| t.value.currency) {
        inv.currency = Some(Extracted::new(cur, pct(95)));
    } else if let Some((cur, _)) = counts.iter().max_by_key(|(_, n)| *n) {
        inv.currency = Some(Extracted::new(*cur, pct(85)));
    } else {
        let all: String = ctx.cells.iter().map(|c| c.text.as_str()).collect::<Vec<_>>().join(" ");
        if all.contains('€') || all.split(|c: char| !c.is_alphanumeric()).any(|w| w == "EUR") {
            inv.currency = Some(Extracted::new(Currency::EUR, pct(70)));
        }
    }
}

fn single_rate(vat: &[Cand<Amount>]) -> Option<BigDecimal> {
    let mut rates: Vec<BigDecimal> = vat.iter().filter_map(|c| c.value.rate.clone()).collect();
    rates.sort();
    rates.dedup();
    if rates.len() == 1 { rates.pop() } else { None }
}

fn round2(v: &BigDecimal) -> BigDecimal {
    v.with_scale_round(2, RoundingMode::HalfUp)
}

fn rate_matches(subtotal: &BigDecimal, rate: &BigDecimal, vat: &BigDecimal) -> bool {
    let expected = round2(&(subtotal * rate / BigDecimal::from(100)));
    let diff = (&expected - vat).abs();
    diff <= BigDecimal::new(1.into(), 2)
}

/// The standard rate that explains `vat` on `subtotal`, if one does.
fn derive_rate(subtotal: &BigDecimal, vat: &BigDecimal) -> Option<BigDecimal> {
    const RATES: &[&str] = &["0", "5.5", "6", "7", "9", "10", "12", "19", "20", "21"];
    if subtotal.is_zero() {
        return None;
    }
    RATES.iter().filter_map(|r| BigDecimal::from_str(r).ok()).find(|r| rate_matches(subtotal, r, vat))
}

static OGM: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"(?:\+{3}|\*{3})\s*(\d{3})\s*/\s*(\d{4})\s*/\s*(\d{5})\s*(?:\+{3}|\*{3})").ok());
static OGM_BARE: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"\b(\d{3})/(\d{4})/(\d{5})\b").ok());

fn payment_reference(ctx: &Ctx) -> Option<Extracted<PaymentReference>> {
    // A structured reference anywhere, with valid check digits.
    if let Some(re) = OGM.as_ref() {
        for c in &ctx.cells {
            for m in re.captures_iter(&c.text) {
                let digits = format!("{}{}{}", &m[1], &m[2], &m[3]);
                if let Ok(r) = StructuredReference::parse(&digits) {
                    return Some(Extracted::new(PaymentReference::Structured(r), pct(95)));
                }
            }
        }
    }
    let mut cands: Vec<Cand<PaymentReference>> = Vec::new();
    for (i, kind) in ctx.labelled(&[Kind::PaymentRef, Kind::Reference]) {
        for (text, place, cell) in ctx.values(i, true) {
            if place == Place::Below && kind == Kind::Reference {
                break;
            }
            if let Some(re) = OGM_BARE.as_ref()
                && let Some(m) = re.captures(&text)
                && let Ok(r) = StructuredReference::parse(&format!("{}{}{}", &m[1], &m[2], &m[3]))
            {
                cands.push(Cand { value: PaymentReference::Structured(r), score: 20, order: i, cell });
                break;
            }
            let t = text.trim();
            if t.chars().count() > 60 || t.split_whitespace().count() > 4 {
                continue;
            }
            if let Ok(r) = PaymentReference::parse(t) {
                let score = if kind == Kind::PaymentRef { 10 } else { 6 } + place.bonus();
                cands.push(Cand { value: r, score, order: i, cell });
                break;
            }
        }
    }
    best(&cands).map(|c| {
        let conf = match c.value {
            PaymentReference::Structured(_) => 90,
            PaymentReference::Creditor(_) => 90,
            PaymentReference::Free(_) => {
                if c.score >= 10 {
                    85
                } else {
                    70
                }
            }
        };
        Extracted::new(c.value.clone(), pct(conf))
    })
}

static IBAN_RE: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"\b([A-Z]{2}\d{2}(?: ?[A-Z0-9]){10,30})").ok());
static VAT_RE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"\b(AT|BE|BG|CH|CY|CZ|DE|DK|EE|EL|GR|ES|FI|FR|GB|HR|HU|IE|IT|LT|LU|LV|MT|NL|NO|PL|PT|RO|SE|SI|SK|XI)[ .\-]?([0-9][0-9A-Z .\-]{1,18}|[0-9A-Z]{2}[0-9 .]{9,12})").ok()
});
static BE_ENTERPRISE: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"\b([01]\d{3}[. ]?\d{3}[. ]?\d{3})\b").ok());

/// Words before an IBAN that make it the account to pay to.
const IBAN_WORDS: &[&str] = &["iban", "rekening", "account", "compte", "konto", "bank"];

/// Words before an IBAN that make it the payer's account (direct debit), not the payee's.
const PAYER_ACCOUNT: &[&str] = &[
    "uw rekening",
    "your account",
    "votre compte",
    "ihrem konto",
    "ihr konto",
    "gedomicilieerd",
    "domiciliering",
    "domiciliation",
    "direct debit",
    "lastschrift",
    "prelevement",
];

/// Valid IBANs in a cell, with their byte ranges.
fn ibans_in(text: &str) -> Vec<(Iban, std::ops::Range<usize>)> {
    let Some(re) = IBAN_RE.as_ref() else { return Vec::new() };
    let upper = text.to_ascii_uppercase();
    let mut out = Vec::new();
    for m in re.find_iter(&upper) {
        let compact: String = m.as_str().chars().filter(|c| !c.is_whitespace()).collect();
        for len in (15..=compact.len().min(34)).rev() {
            if let Ok(iban) = Iban::parse(&compact[..len]) {
                out.push((iban, m.range()));
                break;
            }
        }
    }
    out
}

/// Valid VAT numbers in a cell. Countries checked for shape only need a VAT label nearby.
fn vats_in(text: &str, labelled: bool, ibans: &[(Iban, std::ops::Range<usize>)]) -> Vec<VatNumber> {
    let mut out = Vec::new();
    let upper = text.to_ascii_uppercase();
    if let Some(re) = VAT_RE.as_ref() {
        for m in re.captures_iter(&upper) {
            let Some(whole) = m.get(0) else { continue };
            if ibans.iter().any(|(_, r)| r.start < whole.end() && whole.start() < r.end) {
                continue;
            }
            let country = &m[1];
            let checked = matches!(country, "BE" | "NL" | "DE" | "FR");
            if !checked && !labelled {
                continue;
            }
            let body: Vec<char> = m[2].chars().collect();
            for end in (1..=body.len()).rev() {
                if !body[end - 1].is_ascii_alphanumeric() {
                    continue;
                }
                let candidate: String = body[..end].iter().collect();
                if let Ok(v) = VatNumber::parse(&format!("{country}{candidate}")) {
                    if !out.contains(&v) {
                        out.push(v);
                    }
                    break;
                }
            }
        }
    }
    if out.is_empty()
        && labelled
        && let Some(re) = BE_ENTERPRISE.as_ref()
    {
        for m in re.find_iter(text) {
            if let Ok(v) = VatNumber::parse(&format!("BE{}", m.as_str())) {
                out.push(v);
            }
        }
    }
    out
}

fn compact_name(s: &str) -> String {
    norm(s).chars().filter(|c| c.is_alphanumeric()).collect()
}

fn has_legal_form(text: &str) -> bool {
    let n = norm(text);
    n.split(|c: char| c.is_whitespace() || c == ',').any(|w| LEGAL_FORMS.contains(&w))
}

/// A party as found: a name cell and the cells of its block (address, VAT, ...).
#[derive(Debug, Clone)]
struct Block {
    name_cell: usize,
    cells: Vec<usize>,
    label: Option<Kind>,
}

fn name_like(c: &Cell) -> bool {
    let letters = c.text.chars().filter(|ch| ch.is_alphabetic()).count();
    letters >= 2 && c.label.is_none() && find_date(&c.text).is_none() && find_amounts(&c.text).is_empty()
}

/// Blocks of left-aligned cells on consecutive lines, each headed by a name.
fn blocks(ctx: &Ctx) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::new();
    let mut used = vec![false; ctx.cells.len()];
    for (i, c) in ctx.cells.iter().enumerate() {
        if used[i] {
            continue;
        }
        // The head: a party label alone ("Bill to"), or a name.
        let mut label = None;
        let mut head = i;
        let inline_label = c.label.filter(|(k, _)| matches!(k, Kind::Seller | Kind::Buyer | Kind::To | Kind::Payee));
        if let Some((k, n)) = inline_label {
            let rest = trim_sep(skip_chars(&c.text, n));
            label = Some(k);
            if rest.is_empty() {
                // The name is the next cell below (or to the right).
                let next = ctx.values(i, true).into_iter().find(|(t, _, _)| !t.is_empty());
                match next {
                    Some((_, _, j)) if name_like(&ctx.cells[j]) => head = j,
                    _ => continue,
                }
            }
        } else if !(name_like(c) && has_legal_form(&c.text)) {
            continue;
        }
        let mut cells = vec![head];
        used[head] = true;
        let mut last = head;
        for line in ctx.lines.iter().skip(ctx.cells[head].line + 1) {
            let l = &ctx.cells[last];
            let Some(&first) = line.first() else { continue };
            if ctx.cells[first].page != l.page || l.y - ctx.cells[first].y > 2.2 * l.size {
                break;
            }
            let next = line.iter().copied().find(|&j| (ctx.cells[j].x0 - ctx.cells[head].x0).abs() <= 0.8 * l.size);
            // Lines of another column in between are skipped.
            if let Some(j) = next {
                let stops = ctx.cells[j].label.is_some_and(|(k, _)| {
                    matches!(
                        k,
                        Kind::Seller
                            | Kind::Buyer
                            | Kind::To
                            | Kind::Payee
                            | Kind::InvoiceNumber
                            | Kind::InvoiceWord
                            | Kind::IssueDate
                            | Kind::DueDate
                    )
                });
                if used[j] || cells.len() >= 8 || stops {
                    break;
                }
                used[j] = true;
                cells.push(j);
                last = j;
            }
        }
        out.push(Block { name_cell: head, cells, label });
    }
    out
}

/// The party name of a cell, without a leading label.
fn name_text(ctx: &Ctx, i: usize) -> String {
    let c = &ctx.cells[i];
    let n = c.label.map_or(0, |l| l.1);
    trim_sep(skip_chars(&c.text, n)).trim_end_matches(['.', ',']).to_string()
}

fn address_of(ctx: &Ctx, b: &Block) -> Option<String> {
    let parts: Vec<String> = b
        .cells
        .iter()
        .skip(1)
        .map(|&i| &ctx.cells[i])
        .filter(|c| c.label.is_none())
        .filter(|c| !c.text.contains('@') && !c.norm.starts_with("tel") && !c.norm.starts_with("www"))
        .filter(|c| {
            let ib = ibans_in(&c.text);
            ib.is_empty() && vats_in(&c.text, true, &ib).is_empty()
        })
        .map(|c| c.text.trim_end_matches(['.', ',']).to_string())
        .take(4)
        .collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}

fn parties(ctx: &Ctx, own: &OwnParty, inv: &mut ExtractedInvoice) {
    // Identifiers anywhere, with their cells.
    let mut ibans: Vec<(usize, Iban, bool)> = Vec::new();
    let mut payer_ibans: Vec<Iban> = Vec::new();
    let mut vats: Vec<(usize, VatNumber, bool)> = Vec::new();
    for (i, c) in ctx.cells.iter().enumerate() {
        let found = ibans_in(&c.text);
        let left_label = |kinds: &[Kind]| {
            c.label.is_some_and(|(k, _)| kinds.contains(&k))
                || ctx.lines[c.line].iter().any(|&j| {
                    j != i && ctx.cells[j].x1 <= c.x0 && ctx.cells[j].label.is_some_and(|(k, _)| kinds.contains(&k))
                })
                || above_label(ctx, i, kinds)
        };
        for (iban, range) in &found {
            if !ibans.iter().any(|(_, x, _)| x == iban) {
                // The words before the IBAN in its cell say whose account it is.
                let before = norm(c.text.get(..range.start).unwrap_or(""));
                let payer_side = PAYER_ACCOUNT.iter().any(|w| before.contains(w));
                let labelled =
                    !payer_side && (left_label(&[Kind::Iban]) || IBAN_WORDS.iter().any(|w| before.contains(w)));
                if payer_side {
                    payer_ibans.push(iban.clone());
                }
                ibans.push((i, iban.clone(), labelled));
            }
        }
        let labelled = left_label(&[Kind::VatId, Kind::Vat]);
        for v in vats_in(&c.text, labelled, &found) {
            if !vats.iter().any(|(_, x, _)| *x == v) {
                vats.push((i, v, labelled));
            }
        }
    }

    // Payee names ("To:" in payment details, "Beneficiary", "t.n.v.").
    let mut payees: Vec<String> = Vec::new();
    for (i, kind) in ctx.labelled(&[Kind::Payee, Kind::To]) {
        let c = &ctx.cells[i];
        let near_iban = ibans.iter().any(|(j, _, _)| {
            let o = &ctx.cells[*j];
            o.page == c.page && (o.line as isize - c.line as isize).abs() <= 5
        });
        if kind == Kind::To && !near_iban {
            continue;
        }
        if let Some((text, _, _)) = ctx.values(i, false).into_iter().next()
            && text.chars().filter(|ch| ch.is_alphabetic()).count() >= 2
        {
            payees.push(text.trim_end_matches(['.', ',']).to_string());
        }
    }

    let mut blocks = blocks(ctx);
    // A "To:" block next to bank details is the payee line, not the buyer.
    blocks.retain(|b| {
        !(b.label == Some(Kind::To)
            && payees.iter().any(|p| compact_name(p) == compact_name(&name_text(ctx, b.name_cell))))
    });
    let own_names: Vec<String> = own.names.iter().map(|n| compact_name(n)).filter(|n| !n.is_empty()).collect();
    let is_own = |b: &Block| {
        let name = compact_name(&name_text(ctx, b.name_cell));
        own_names
            .iter()
            .any(|o| !name.is_empty() && (name == *o || name.starts_with(o.as_str()) || o.starts_with(name.as_str())))
            || b.cells.iter().any(|&i| {
                vats.iter().any(|(j, v, _)| *j == i && own.vat_numbers.contains(v))
                    || ibans.iter().any(|(j, x, _)| *j == i && own.ibans.contains(x))
            })
    };
    let payment_iban = ibans
        .iter()
        .filter(|(_, x, _)| !payer_ibans.contains(x))
        .max_by_key(|(i, _, labelled)| (*labelled, std::cmp::Reverse(*i)))
        .map(|(_, x, _)| x.clone());
    let own_is_payee = payment_iban.as_ref().is_some_and(|i| own.ibans.contains(i));

    // Roles.
    let mut seller: Option<(usize, u8)> = None;
    let mut buyer: Option<(usize, u8)> = None;
    for (bi, b) in blocks.iter().enumerate() {
        match b.label {
            Some(Kind::Seller) if seller.is_none() => seller = Some((bi, 90)),
            Some(Kind::Buyer) | Some(Kind::To) if buyer.is_none() => buyer = Some((bi, 90)),
            _ => {}
        }
    }
    if seller.is_none() {
        let name_of = |b: &Block| compact_name(&name_text(ctx, b.name_cell));
        if let Some(bi) = blocks.iter().position(|b| payees.iter().any(|p| compact_name(p) == name_of(b))) {
            if buyer.is_none_or(|(x, _)| x != bi) {
                seller = Some((bi, 90));
            }
        }
    }
    if let Some(bi) = blocks.iter().position(&is_own) {
        let taken = seller.is_some_and(|(x, _)| x == bi) || buyer.is_some_and(|(x, _)| x == bi);
        if !taken {
            if own_is_payee {
                if seller.is_none() {
                    seller = Some((bi, 85));
                }
            } else if buyer.is_none() {
                buyer = Some((bi, 85));
            }
        }
    }
    let free = |s: &Option<(usize, u8)>, b: &Option<(usize, u8)>, bi: usize| {
        s.is_none_or(|(x, _)| x != bi) && b.is_none_or(|(x, _)| x != bi)
    };
    // Prefer blocks that hold the payment IBAN as the seller.
    if seller.is_none()
        && let Some(bi) = blocks.iter().enumerate().position(|(bi, b)| {
            free(&seller, &buyer, bi)
                && b.cells.iter().any(|&i| ibans.iter().any(|(j, x, _)| *j == i && Some(x) == payment_iban.as_ref()))
        })
    {
        seller = Some((bi, 75));
    }
    if seller.is_none()
        && let Some(bi) = (0..blocks.len()).find(|&bi| free(&seller, &buyer, bi) && !is_own(&blocks[bi]))
    {
        seller = Some((bi, if buyer.is_some() { 75 } else { 55 }));
    }
    if buyer.is_none()
        && let Some(bi) = (0..blocks.len()).find(|&bi| free(&seller, &buyer, bi))
    {
        buyer = Some((bi, if seller.is_some_and(|(_, c)| c >= 75) { 75 } else { 55 }));
    }

    let mut seller_party = ExtractedParty::default();
    let mut buyer_party = ExtractedParty::default();
    let mut seller_cells: Vec<usize> = Vec::new();
    let mut buyer_cells: Vec<usize> = Vec::new();
    if let Some((bi, conf)) = seller {
        let b = &blocks[bi];
        seller_party.name = Some(Extracted::new(name_text(ctx, b.name_cell), pct(conf)));
        seller_party.address = address_of(ctx, b).map(|a| Extracted::new(a, pct(conf.saturating_sub(10))));
        seller_cells = b.cells.clone();
    } else if let Some(p) = payees.first() {
        seller_party.name = Some(Extracted::new(p.clone(), pct(70)));
    }
    if let Some((bi, conf)) = buyer {
        let b = &blocks[bi];
        buyer_party.name = Some(Extracted::new(name_text(ctx, b.name_cell), pct(conf)));
        buyer_party.address = address_of(ctx, b).map(|a| Extracted::new(a, pct(conf.saturating_sub(10))));
        buyer_cells = b.cells.clone();
    }
    let seller_is_own = seller.is_some_and(|(bi, _)| is_own(&blocks[bi]));

    // VAT numbers: inside a block, the block's; otherwise by labels and the own party.
    const BUYER_WORDS: &[&str] =
        &["client", "customer", "klant", "kunde", "acheteur", "buyer", "your", "uw ", "votre", "ihre"];
    let mut seller_vats: Vec<(VatNumber, u8)> = Vec::new();
    let mut buyer_vats: Vec<(VatNumber, u8)> = Vec::new();
    for (i, v, labelled) in &vats {
        let context: String = ctx.lines[ctx.cells[*i].line]
            .iter()
            .map(|&j| ctx.cells[j].norm.as_str())
            .chain(above_cell(ctx, *i).map(|j| ctx.cells[j].norm.as_str()))
            .collect::<Vec<_>>()
            .join(" ");
        let is_own_vat = own.vat_numbers.contains(v);
        if seller_cells.contains(i) {
            seller_vats.push((v.clone(), 90));
        } else if buyer_cells.contains(i) {
            buyer_vats.push((v.clone(), 90));
        } else if is_own_vat {
            if seller_is_own { seller_vats.push((v.clone(), 85)) } else { buyer_vats.push((v.clone(), 85)) }
        } else if BUYER_WORDS.iter().any(|w| context.contains(w)) {
            buyer_vats.push((v.clone(), 75));
        } else {
            seller_vats.push((v.clone(), if *labelled { 85 } else { 70 }));
        }
    }
    if let Some((v, c)) = seller_vats.into_iter().max_by_key(|(_, c)| *c) {
        seller_party.vat_number = Some(Extracted::new(v, pct(c)));
    }
    if let Some((v, c)) = buyer_vats.into_iter().max_by_key(|(_, c)| *c) {
        buyer_party.vat_number = Some(Extracted::new(v, pct(c)));
    }

    // The IBAN to pay to is the seller's: not in the buyer's block, not ours unless we sell.
    let seller_iban = ibans
        .iter()
        .filter(|(i, x, _)| !buyer_cells.contains(i) && !payer_ibans.contains(x))
        .filter(|(_, x, _)| seller_is_own || !own.ibans.contains(x) || own.ibans.is_empty())
        .max_by_key(|(i, _, labelled)| (*labelled, seller_cells.contains(i), std::cmp::Reverse(*i)));
    if let Some((cell, iban, labelled)) = seller_iban {
        seller_party.iban = Some(Extracted::new(iban.clone(), pct(if *labelled { 95 } else { 80 })));
        seller_party.bic = bic(ctx, Some((*cell, iban)));
    } else {
        seller_party.bic = bic(ctx, None);
    }

    inv.seller = seller_party;
    inv.buyer = buyer_party;
}

/// The cell right above cell `i` in the same column, if any.
fn above_cell(ctx: &Ctx, i: usize) -> Option<usize> {
    let c = &ctx.cells[i];
    let line = c.line.checked_sub(1)?;
    for l in (line.saturating_sub(2)..=line).rev() {
        for &j in &ctx.lines[l] {
            let o = &ctx.cells[j];
            if o.page == c.page && o.y - c.y <= 3.0 * c.size && o.x0 < c.x1 && o.x1 > c.x0 {
                return Some(j);
            }
        }
    }
    None
}

fn above_label(ctx: &Ctx, i: usize, kinds: &[Kind]) -> bool {
    above_cell(ctx, i).is_some_and(|j| ctx.cells[j].label.is_some_and(|(k, _)| kinds.contains(&k)))
}

fn bic(ctx: &Ctx, iban: Option<(usize, &Iban)>) -> Option<Extracted<Bic>> {
    let parse = |text: &str| {
        text.split(|c: char| c.is_whitespace() || matches!(c, ':' | ',' | ';' | '(' | ')' | '/'))
            .filter(|t| t.len() == 8 || t.len() == 11)
            .filter(|t| t.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()))
            .find_map(|t| Bic::parse(t).ok())
    };
    let mut cands: Vec<Cand<Bic>> = Vec::new();
    for (i, _) in ctx.labelled(&[Kind::Bic]) {
        for (text, place, cell) in ctx.values(i, true) {
            if let Some(b) = parse(&text) {
                let matches_iban = iban.is_some_and(|(_, x)| x.country() == b.country());
                cands.push(Cand { value: b, score: 10 + place.bonus() + i32::from(matches_iban), order: i, cell });
                break;
            }
        }
    }
    if let Some(c) = best(&cands) {
        return Some(Extracted::new(c.value.clone(), pct(90)));
    }
    // Unlabelled: on the IBAN's line, with the IBAN's country.
    let (cell, iban) = iban?;
    let line = ctx.cells[cell].line;
    for &j in &ctx.lines[line] {
        if let Some(b) = parse(&ctx.cells[j].text)
            && b.country() == iban.country()
        {
            return Some(Extracted::new(b, pct(70)));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ibans_and_vats_validate() {
        let ib = ibans_in("IBAN: BE71 0018 6092 2869 BIC GEBABEBB");
        assert_eq!(ib.len(), 1);
        assert_eq!(ib[0].0.as_str(), "BE71001860922869");
        assert!(ibans_in("BE71 0018 6092 2868").is_empty());
        let v = vats_in("BE 0628.719.851", false, &[]);
        assert_eq!(v[0].as_str(), "BE0628719851");
        assert!(vats_in("BE 0628.719.852", false, &[]).is_empty());
        assert_eq!(vats_in("BTW: 0662.970.353", true, &[])[0].as_str(), "BE0662970353");
        assert!(vats_in("IBAN BE71 0018 6092 2869", false, &ibans_in("IBAN BE71 0018 6092 2869")).is_empty());
    }

    fn doc(lines: &[&[(&str, f32)]]) -> TextDocument {
        use crate::{TextLine, TextPage, TextWord};
        let lines = lines
            .iter()
            .enumerate()
            .map(|(i, words)| {
                let y = 800.0 - 14.0 * i as f32;
                let words = words
                    .iter()
                    .flat_map(|(text, x)| {
                        let mut x = *x;
                        text.split(' ')
                            .map(|w| {
                                let width = 5.0 * w.chars().count() as f32;
                                let word = TextWord { text: w.into(), x, y, width, font_size: 10.0 };
                                x += width + 2.5;
                                word
                            })
                            .collect::<Vec<_>>()
                    })
                    .collect();
                TextLine { y, words }
            })
            .collect();
        TextDocument { pages: vec![TextPage { number: 1, width: 595.0, height: 842.0, lines }] }
    }

    #[test]
    fn two_label_value_pairs_on_one_line_stay_apart() {
        let d = doc(&[
            &[("Subtotal", 50.0), ("100,00", 150.0), ("VAT 21%", 300.0), ("21,00", 400.0)],
            &[("Total", 300.0), ("121,00 EUR", 400.0)],
        ]);
        let inv = extract_fields(&d, &OwnParty::default(), Date::MIN);
        assert_eq!(inv.subtotal.unwrap().value, BigDecimal::from(100));
        assert_eq!(inv.vat_amount.unwrap().value, BigDecimal::from(21));
        assert_eq!(inv.total.unwrap().value, BigDecimal::from(121));
        assert_eq!(inv.currency.unwrap().value, Currency::EUR);
    }

    #[test]
    fn payment_terms_from_the_issue_date_or_today() {
        let d = doc(&[&[("Factuurdatum: 31/01/2024", 50.0)], &[("Betaling binnen 30 dagen einde maand", 50.0)]]);
        let inv = extract_fields(&d, &OwnParty::default(), Date::MIN);
        assert_eq!(inv.payment_terms.unwrap().value, "30 dagen einde maand");
        assert_eq!(inv.due_date.unwrap().value, time::macros::date!(2024 - 03 - 31));
        let d = doc(&[&[("Paiement à 15 jours", 50.0)]]);
        let inv = extract_fields(&d, &OwnParty::default(), time::macros::date!(2024 - 06 - 01));
        assert_eq!(inv.due_date.unwrap().value, time::macros::date!(2024 - 06 - 16));
        assert_eq!(inv.payment_terms.unwrap().value, "à 15 jours");
    }

    #[test]
    fn invoice_numbers() {
        assert_eq!(parse_invoice_number("INV-SO-2023-2812").as_deref(), Some("INV-SO-2023-2812"));
        assert_eq!(parse_invoice_number("# 2024/0012").as_deref(), Some("2024/0012"));
        assert_eq!(parse_invoice_number("Date"), None);
        assert_eq!(parse_invoice_number("01/04/2023"), None);
    }
}
