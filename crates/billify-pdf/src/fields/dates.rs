//! Issue and due dates, and payment terms ("30 days", "net 30") that give a due date.

use std::sync::LazyLock;

use billify_ports::intake::Extracted;
use regex::Regex;
use time::{Date, Duration};

use super::labels::Kind;
use super::text::{find_amounts, find_date_order};
use super::{Cand, Ctx, best, pct};

/// Labels in other languages that name a date without saying which, like "Date" and "Datum".
const GENERIC_DATE_LABELS: &[&str] = &["data", "fecha", "dato"];

pub(super) fn dates(ctx: &Ctx, kinds: &[Kind]) -> Option<Extracted<Date>> {
    let mut cands = Vec::new();
    for (i, _) in ctx.labelled(kinds) {
        let c = &ctx.cells[i];
        let label: String = c.norm.chars().take(c.label.map_or(0, |(_, n)| n)).collect();
        let generic = c.norm.starts_with("date") && !c.norm.starts_with("date d")
            || c.norm.starts_with("datum")
            || GENERIC_DATE_LABELS.contains(&label.trim());
        for (text, place, cell) in ctx.values(i, true) {
            if let Some(d) = find_date_order(&text, ctx.month_first) {
                let score = if generic { 6 } else { 10 } + place.bonus();
                cands.push(Cand { value: d, score, order: i, cell });
                break;
            }
        }
    }
    best(&cands).map(|c| Extracted::new(c.value, pct(if c.score >= 10 { 95 } else { 80 })))
}

/// The first date on the first page outside line items, when no label names the issue date.
pub(super) fn fallback_issue_date(ctx: &Ctx) -> Option<Extracted<Date>> {
    for line in &ctx.lines {
        for &i in line {
            let c = &ctx.cells[i];
            if c.page != 1 {
                return None;
            }
            if c.label.is_some_and(|(k, _)| matches!(k, Kind::DueDate | Kind::Other)) {
                continue;
            }
            if let Some(d) = find_date_order(&c.text, ctx.month_first)
                && find_amounts(&c.text).is_empty()
            {
                return Some(Extracted::new(d, pct(40)));
            }
        }
    }
    None
}

pub(super) static TERMS: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"(?:\b(?:net|netto)\s*(?P<n1>\d{1,3})\b(?:\s*(?:days?|dagen|jours?|tage?n?|dias|giorni|gg|dni|dagar|dage|dager|dnu|dny|dana|nap|napon|paivaa|zile|dienu|dienos|dienas|paeva))?|(?:\b[aà]\s+)?\b(?P<n2>\d{1,3})\s*(?:days?|dagen|dag|jours?|tage?n?|dias|giorni|gg|dni|dagar|dage|dager|dnu|dny|dana|nap|napon|paivaa|zile|dienu|dienos|dienas|paeva)\b\.?(?:\s+(?:net|netto|nach rechnungsdatum|na factuurdatum|date de facture|after invoice date|d\.?f\.?|data fattura|fecha factura|od daty wystawienia|od wystawienia|fra fakturadato|efter fakturadatum|od vystaveni))?)(?P<eom>\s*(?:einde (?:van de )?maand|end of month|fin de mois|(?:zum )?monatsende|ende des monats|eom|fine mese|f\.?m\.?|fin de mes|fim do mes|lobende maned))?",
    )
    .ok()
});

pub(super) const TERMS_CONTEXT: &[&str] = &[
    "pay",
    "betal",
    "betaal",
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
    "uberweis",
    // "Bitte begleichen Sie den Rechnungsbetrag bis spätestens …", "het bedrag … vóór 7 juli
    // 2025 over te maken", "te voldoen vóór …".
    "begleich",
    "over te maken",
    "voldoen",
    "virement",
    "a 30",
    "a 60",
    "a 15",
    "pago",
    "pagament",
    "scadenz",
    "vencim",
    "platn",
    "zaplat",
    "splatn",
    "forfal",
    "entro",
    "dentro",
    "inom",
    "inden",
    "termin",
    // "Gelieve het bedrag te storten ... vóór 7 oktober", "merci de virer ... avant le".
    "storten",
    "overmaken",
    "overschrijven",
    "verser",
    "virer",
    "virement",
    "uberweisen",
    "transfer",
    "remit",
    "uplat",
    "placil",
    "placan",
    "fizet",
    "maksu",
    "apmaks",
    "apmok",
    "tasu",
];

const DUE_ON: &[&str] = &["due on ", "fallig am ", " du le ", "te betalen op ", "payable on "];

static UNTIL: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"\b(?:due on|fallig am|du le|te betalen op|payable on|bis zum|bis spatestens|bis|until|by|before|avant le|avant|jusqu'au|au plus tard le|uiterlijk op|uiterlijk|voor|antes del|hasta el|entro il|entro|ate|do dnia|do|senast|senest|nejpozdeji do|splatne do)\s+")
        .ok()
});

/// Whether line `li` continues a sentence about payment wrapped from the line above ("… Bitte
/// überweisen Sie den" / "Rechnungsbetrag bis zum 1. Februar 2016."): the line above, close
/// over it, names payment and ends without closing its sentence.
fn continues_terms(ctx: &Ctx, li: usize) -> bool {
    continued_from(ctx, li).is_some_and(|prev| TERMS_CONTEXT.iter().any(|w| prev.contains(w)))
}

/// The (normalised) text of the line above line `li` when `li` continues its sentence: close
/// over it on the same page, and not closed by a full stop or a colon.
fn continued_from(ctx: &Ctx, li: usize) -> Option<String> {
    let prev = ctx.lines.get(li.checked_sub(1)?)?;
    let (p, c) = (&ctx.cells[*prev.last()?], &ctx.cells[*ctx.lines.get(li)?.first()?]);
    let prev_norm: String = prev.iter().map(|&i| ctx.cells[i].norm.as_str()).collect::<Vec<_>>().join(" ");
    (p.page == c.page && p.y - c.y <= 1.8 * c.size && !prev_norm.trim_end().ends_with(['.', ':', '!', '?']))
        .then_some(prev_norm)
}

/// Words of a cash discount for early payment: its days and dates are not the due date's.
const DISCOUNT: &[&str] =
    &["skonto", "escompte", "discount", "korting", "remise", "sconto", "descuento", "rabat", "sleva"];

/// Whether the match at `range` of `line` stands in a clause about a cash discount (the text
/// since the last comma or semicolon names one).
fn in_discount_clause(line: &str, range: std::ops::Range<usize>) -> bool {
    let start = line[..range.start].rfind([',', ';']).map_or(0, |p| p + 1);
    DISCOUNT.iter().any(|w| line[start..range.end].contains(w))
}

/// A date as the value of a terms label: "Zahlungsziel : 24.09.26" names the day itself where
/// other invoices give a number of days.
pub(super) fn terms_label_date(ctx: &Ctx) -> Option<Extracted<Date>> {
    ctx.labelled(&[Kind::Terms]).find_map(|(i, _)| {
        let (text, _, _) = ctx.values(i, false).into_iter().find(|(_, place, _)| *place != super::Place::Below)?;
        let d = find_date_order(&text, ctx.month_first)?;
        // The value is the date alone, not a sentence with one in it.
        let words = text.split_whitespace().count();
        (words <= 4).then(|| Extracted::new(d, pct(80)))
    })
}

/// A due date written into the payment terms: "Zahlbar ohne Abzug bis zum 30.05.2017",
/// "payable by 12 March 2024", "à régler avant le 15/04/2024". A date in a clause about a cash
/// discount ("3 % Skonto bis 15.03.2018") is not the due date.
pub(super) fn due_in_terms(ctx: &Ctx) -> Option<Extracted<Date>> {
    let re = UNTIL.as_ref()?;
    for (li, line) in ctx.lines.iter().enumerate() {
        let line_norm: String = line.iter().map(|&i| ctx.cells[i].norm.as_str()).collect::<Vec<_>>().join(" ");
        let labelled =
            line.iter().any(|&i| ctx.cells[i].label.is_some_and(|(k, _)| matches!(k, Kind::Terms | Kind::DueDate)));
        // "TOTAL AMOUNT DUE ON 06/09/2024", "4.407,78 EUR fällig am 18.03.2025".
        let due_on = DUE_ON.iter().any(|w| line_norm.contains(w));
        if !labelled
            && !due_on
            && !TERMS_CONTEXT.iter().any(|w| line_norm.contains(w))
            && !line_norm.starts_with("bis ")
            && !continues_terms(ctx, li)
        {
            continue;
        }
        let mut line_text: String = line.iter().map(|&i| ctx.cells[i].text.as_str()).collect::<Vec<_>>().join(" ");
        let mut line_norm = line_norm;
        // "… ohne Abzug zahlbar bis zum" / "04.02.2023.": the date wrapped to the next line.
        let probe = format!("{line_norm} ");
        if re.find_iter(&probe).last().is_some_and(|m| m.end() == probe.len())
            && continued_from(ctx, li + 1).is_some()
            && let Some(next) = ctx.lines.get(li + 1)
        {
            for &i in next {
                line_norm = format!("{line_norm} {}", ctx.cells[i].norm);
                line_text = format!("{line_text} {}", ctx.cells[i].text);
            }
        } else if let (Some(&first), Some(next)) = (line.first(), ctx.lines.get(li + 1))
            && let Some(&n) = next.first()
            && ctx.cells[n].page == ctx.cells[first].page
            && ctx.cells[first].y - ctx.cells[n].y <= 2.0 * ctx.cells[first].size
        {
            // A sentence wrapped between the date's words ("… avant le 3 août" / "2024 avec …"):
            // the date after the word may run on into the next line.
            for &i in next {
                line_text.push(' ');
                line_text.push_str(&ctx.cells[i].text);
            }
        }
        let matches: Vec<std::ops::Range<usize>> = re.find_iter(&line_norm).map(|m| m.range()).collect();
        // A clause wrapped over lines: the last clause of the line above when this line
        // continues it, the first clause of the line below when that one continues this.
        let before_line = continued_from(ctx, li).map(|p| p[p.rfind([',', ';']).map_or(0, |q| q + 1)..].to_string());
        let after_line = continued_from(ctx, li + 1).and(ctx.lines.get(li + 1)).map(|next| {
            let n: String = next.iter().map(|&i| ctx.cells[i].norm.as_str()).collect::<Vec<_>>().join(" ");
            let end = [n.find([',', ';']), re.find(&n).map(|m| m.start())].into_iter().flatten().min();
            n[..end.unwrap_or(n.len())].to_string()
        });
        for (k, m) in matches.iter().enumerate() {
            let comma = line_norm[..m.start].rfind([',', ';']);
            let mut clause = line_norm[comma.map_or(0, |p| p + 1)..m.start].to_string();
            if comma.is_none() && k == 0 {
                clause.insert_str(0, before_line.as_deref().unwrap_or(""));
            }
            if DISCOUNT.iter().any(|w| clause.contains(w)) {
                continue;
            }
            // "Bei Zahlung bis zum 15.03.2018 gewähren wir 3 % Skonto, …": the discount named
            // after the date, before the next clause or the next date word.
            let tail_end = matches.get(k + 1).map_or(line_norm.len(), |n| n.start);
            let tail = &line_norm[m.end..tail_end];
            let cut = tail.find([',', ';']);
            let mut tail = tail[..cut.unwrap_or(tail.len())].to_string();
            if cut.is_none() && k + 1 == matches.len() {
                tail.push(' ');
                tail.push_str(after_line.as_deref().unwrap_or(""));
            }
            if DISCOUNT.iter().any(|w| tail.contains(w)) {
                continue;
            }
            let start_chars = line_norm[..m.end].chars().count();
            let after: String = line_text.chars().skip(start_chars).take(30).collect();
            // The date must follow the word at once ("bis 04.07.2018", "DUE ON AUG 7, 2024", not
            // "bis zu 3 %").
            let month_first_word = after
                .split_whitespace()
                .next()
                .is_some_and(|w| super::text::month_of(&super::text::norm(w.trim_end_matches(','))).is_some());
            if !after.chars().next().is_some_and(|c| c.is_ascii_digit()) && !month_first_word {
                continue;
            }
            if let Some(d) = find_date_order(&after, ctx.month_first) {
                return Some(Extracted::new(d, pct(80)));
            }
        }
    }
    None
}

/// Headings of a payment schedule, a table of instalments with their dates and amounts.
const SCHEDULE_HEADINGS: &[&str] = &[
    "payment term",
    "payment terms",
    "payment schedule",
    "instalments",
    "installments",
    "echeancier",
    "echeances",
    "zahlungsplan",
    "betalingsschema",
];

/// A payment schedule of one instalment ("Payment Term" / "Date  Amount" / "07/28/2023
/// $ 303.25", as Tryton prints it): its date is the due date. Several instalments name no one
/// due date.
pub(super) fn due_in_schedule(ctx: &Ctx) -> Option<Extracted<Date>> {
    let line_norm = |l: &[usize]| l.iter().map(|&i| ctx.cells[i].norm.as_str()).collect::<Vec<_>>().join(" ");
    for (li, line) in ctx.lines.iter().enumerate() {
        let heading = line_norm(line);
        if line.len() != 1 || !SCHEDULE_HEADINGS.contains(&heading.trim().trim_end_matches(':')) {
            continue;
        }
        let Some(header) = ctx.lines.get(li + 1) else { continue };
        let words: Vec<String> =
            line_norm(header).split_whitespace().map(|w| w.trim_end_matches(':').to_string()).collect();
        let has = |set: &[&str]| words.iter().any(|w| set.contains(&w.as_str()));
        if words.len() > 6
            || !has(&["date", "datum", "fecha", "data", "echeance"])
            || !has(&["amount", "montant", "bedrag", "betrag", "importe", "importo"])
        {
            continue;
        }
        let mut rows = Vec::new();
        let mut last = ctx.cells[*header.first()?].y;
        for row in ctx.lines.iter().skip(li + 2) {
            let first = &ctx.cells[*row.first()?];
            let text = row.iter().map(|&i| ctx.cells[i].text.as_str()).collect::<Vec<_>>().join(" ");
            let date = find_date_order(&text, ctx.month_first);
            if first.page != ctx.cells[header[0]].page || last - first.y > 2.5 * first.size || date.is_none() {
                break;
            }
            if find_amounts(&text).is_empty() {
                break;
            }
            rows.extend(date);
            last = first.y;
        }
        if let [due] = rows.as_slice() {
            return Some(Extracted::new(*due, pct(75)));
        }
    }
    None
}

/// Payment terms such as "30 dagen", "net 30", "à 30 jours" and the due date they give.
pub(super) fn payment_terms(
    ctx: &Ctx,
    issue: Option<Date>,
    today: Date,
) -> (Option<Extracted<String>>, Option<Extracted<Date>>) {
    let Some(re) = TERMS.as_ref() else { return (None, None) };
    let mut found: Option<(String, i64, bool, i32)> = None;
    for line in &ctx.lines {
        let line_norm: String = line.iter().map(|&i| ctx.cells[i].norm.as_str()).collect::<Vec<_>>().join(" ");
        let line_text: String = line.iter().map(|&i| ctx.cells[i].text.as_str()).collect::<Vec<_>>().join(" ");
        let labelled = line.iter().any(|&i| ctx.cells[i].label.is_some_and(|(k, _)| k == Kind::Terms));
        if !labelled && !TERMS_CONTEXT.iter().any(|w| line_norm.contains(w)) {
            continue;
        }
        // "2 % Skonto innerhalb 10 Tagen, 30 Tage netto": the days of a cash discount are not
        // the payment term.
        let c =
            re.captures_iter(&line_norm).find(|c| c.get(0).is_none_or(|m| !in_discount_clause(&line_norm, m.range())));
        if let Some(c) = c {
            let Some(n) = c.name("n1").or_else(|| c.name("n2")).and_then(|m| m.as_str().parse::<i64>().ok()) else {
                continue;
            };
            if !(1..=365).contains(&n) {
                continue;
            }
            // "Gesamtbetrag netto 180,00": an amount, not a number of days.
            let num_end = c.name("n1").or_else(|| c.name("n2")).map_or(0, |m| m.end());
            let mut after = line_norm[num_end..].chars();
            if matches!(after.next(), Some(',' | '.')) && after.next().is_some_and(|ch| ch.is_ascii_digit()) {
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

/// Words of a direct-debit note ("via domiciliëring", "SEPA-incasso", "prélevé par
/// domiciliation", "per Lastschrift eingezogen", "collected by direct debit").
const DEBIT: &[&str] = &[
    "domicili",
    "incasso",
    "gedebiteerd",
    "afgeschreven",
    "automatisch af",
    "preleve",
    "prelevement",
    "lastschrift",
    "eingezogen",
    "abgebucht",
    "direct debit",
    "debited",
];

/// Words of a mandate ("mandaat van 01-02-2019", "mandat n° X du 03/05/2020",
/// "Mandatsreferenz … vom 01.02.2019", "mandate reference … signed on …"): the date they carry
/// is when the customer signed, not when the money goes.
const MANDATE: &[&str] =
    &["mandaat", "mandat", "mandate", "machtiging", "ondertekend", "signed", "unterzeichnet", "signe le"];

/// Words right before the collection date ("op 15-03-2026", "le 12/04/2026", "am 03.04.2025",
/// "on 5 March 2026", "rond 18/09/2025", "vanaf", "from").
const ON: &[&str] =
    &["op", "le", "am", "on", "rond", "omstreeks", "vers", "ab", "from", "vanaf", "a partir du", "des le"];

/// The date of a direct debit written into its note ("Dit bedrag wordt via domiciliëring op
/// 18/09/2025 van uw rekening … gedebiteerd", "Wir ziehen den Betrag am 03.04.2025 ein"): the
/// day the money goes, for a bill that labels no due date.
///
/// Of the dates on the line, the collection date is the one after "op", "le", "am", "on"; a date
/// whose clause names the mandate ("(mandaat van 01-02-2019)", "mandat n° X du 03/05/2020") is
/// the mandate's, and a date before the issue date is never the debit's.
pub(super) fn debit_date(ctx: &Ctx, issue: Option<Date>) -> Option<Extracted<Date>> {
    for line in &ctx.lines {
        let line_norm: String = line.iter().map(|&i| ctx.cells[i].norm.as_str()).collect::<Vec<_>>().join(" ");
        if !DEBIT.iter().any(|w| line_norm.contains(w)) {
            continue;
        }
        let line_text: String = line.iter().map(|&i| ctx.cells[i].text.as_str()).collect::<Vec<_>>().join(" ");
        if let Some(d) = collection_date(&line_text, ctx.month_first, issue) {
            return Some(Extracted::new(d, pct(70)));
        }
    }
    None
}

/// Words that say the money is taken, beside [`DEBIT`]'s ("wij innen", "we collect", "wir
/// ziehen … ein").
const COLLECT: &[&str] =
    &["innen", "incasseren", "schrijven", "collect", "charge", "ziehen", "buchen", "prelev", "debit"];

/// The collection date of one direct-debit note (see [`debit_date`]).
fn collection_date(text: &str, month_first: bool, issue: Option<Date>) -> Option<Date> {
    let t = super::text::norm(text);
    let mut dates = super::text::find_dates(text, month_first);
    dates.sort_by_key(|(pos, _)| *pos);
    let mut best: Option<(i32, Date)> = None;
    for (pos, d) in dates {
        if issue.is_some_and(|i| d < i) {
            continue;
        }
        let scope = scope_before(t.get(..pos).unwrap_or(""));
        let last = |words: &[&str]| {
            words
                .iter()
                .filter_map(|w| scope.match_indices(*w).map(|(p, _)| p).filter(|p| starts_word(&scope, *p)).last())
                .max()
        };
        // A mandate word after the last word of taking the money: the mandate's date.
        let mandate = last(MANDATE);
        let taking = last(DEBIT).max(last(COLLECT));
        if mandate.is_some_and(|m| taking.is_none_or(|d| m > d)) {
            continue;
        }
        let word_before = scope.trim_end();
        let on = ON.iter().any(|w| {
            word_before
                .strip_suffix(w)
                .is_some_and(|rest| rest.chars().next_back().is_none_or(|c| !c.is_alphanumeric()))
        });
        let score = if on { 2 } else { 1 };
        if best.is_none_or(|(s, _)| score > s) {
            best = Some((score, d));
        }
    }
    best.map(|(_, d)| d)
}

/// The text a date's words belong to: inside an open bracket, what follows it; else the text
/// before with the closed brackets blanked ("Lastschrift (Mandat M-1 vom 01.02.2019) am …").
fn scope_before(before: &str) -> String {
    let mut opened: Vec<usize> = Vec::new();
    let mut out: Vec<char> = Vec::new();
    for c in before.chars() {
        match c {
            '(' | '[' => {
                opened.push(out.len());
                out.push(' ');
            }
            ')' | ']' => {
                if let Some(start) = opened.pop() {
                    for ch in &mut out[start..] {
                        *ch = ' ';
                    }
                }
                out.push(' ');
            }
            _ => out.push(c),
        }
    }
    match opened.last() {
        Some(&open) => out[open..].iter().collect(),
        None => out.into_iter().collect(),
    }
}

/// Whether a word starts at byte `p` of `s`.
fn starts_word(s: &str, p: usize) -> bool {
    s.get(..p).and_then(|b| b.chars().next_back()).is_none_or(|c| !c.is_alphanumeric())
}

/// The issue date set in the title after the number: "Factuur 1234567890 van 5 juni 2024",
/// "Facture T2024… du 05/06/2024", "Invoice 687-1304726 of 01/04/2025", "Rechnung Nr. 471102
/// vom 05.03.2018".
pub(super) fn title_date(ctx: &Ctx, credit_note: bool) -> Option<Extracted<Date>> {
    const BEFORE_DATE: &[&str] = &[" van ", " du ", " of ", " vom ", " dated "];
    // A credit note's "Betreft factuur 2025/0397 van 28/07/2025" dates the invoice it corrects.
    const REFERENCE: &[&str] = &["betreft", "concerne", "re:", "betrifft", "objet"];
    const REFERS_TO: &[&str] =
        &[" zu ", " zur ", " for ", " to ", " voor ", " bij ", " op ", " pour ", " sur ", " à ", " against "];
    for (i, _) in ctx.labelled(&[Kind::InvoiceWord, Kind::InvoiceNumber]) {
        let c = &ctx.cells[i];
        if credit_note && REFERENCE.iter().any(|w| c.norm.starts_with(w)) {
            continue;
        }
        for w in BEFORE_DATE {
            let Some(p) = c.norm.find(w) else { continue };
            // "Gutschrift zu Rechnung 2025-947 vom 21.05.2025", "Rechnung 12 zu Auftrag 7 vom …",
            // "Credit note for invoice 123 of …": the date of another document the title refers
            // to, not this one's.
            if REFERS_TO.iter().any(|r| c.norm[..p].contains(r)) {
                continue;
            }
            let start_chars = c.norm[..p + w.len()].chars().count();
            let after: String = c.text.chars().skip(start_chars).collect();
            let first = after.split_whitespace().next().unwrap_or("");
            let month_first = super::text::month_of(&super::text::norm(first.trim_end_matches(','))).is_some();
            if (first.starts_with(|ch: char| ch.is_ascii_digit()) || month_first)
                && let Some(d) = find_date_order(&after, ctx.month_first)
            {
                return Some(Extracted::new(d, pct(90)));
            }
        }
    }
    None
}
