//! Value parsers: amounts, dates, percentages, identifiers; and text normalisation.

use std::str::FromStr;
use std::sync::LazyLock;

use bigdecimal::BigDecimal;
use billify_domain::Currency;
use regex::Regex;
use time::{Date, Month};

use crate::fold::fold_char;

/// Lower case, diacritics folded, one char out per char in (so char offsets carry over).
pub(crate) fn norm(s: &str) -> String {
    s.chars().map(|c| fold_char(c).to_lowercase().next().unwrap_or(c)).map(fold_char).collect()
}

/// The rest of `text` after its first `chars` characters.
pub(crate) fn skip_chars(text: &str, chars: usize) -> &str {
    match text.char_indices().nth(chars) {
        Some((i, _)) => &text[i..],
        None => "",
    }
}

/// Trims separators between a label and its value, but not the minus sign of an amount
/// ("-100,00", "–1.203,17 €").
pub(crate) fn trim_sep(s: &str) -> &str {
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        let sep = c.is_whitespace() || matches!(c, ':' | '#' | '.' | '-' | '–' | '°' | 'º' | '=' | '|');
        if !sep || matches!(c, '-' | '–') && minus_of_amount(&rest[c.len_utf8()..]) {
            break;
        }
        rest = &rest[c.len_utf8()..];
    }
    rest.trim_end()
}

/// Whether `after` (the text after a minus) starts with an amount with cents: digits, perhaps
/// grouped, then a decimal mark and two digits ("100,00", "1.203,17 €").
fn minus_of_amount(after: &str) -> bool {
    let number: String =
        after.chars().take_while(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '\'' | ' ')).collect();
    let number = number.trim_end();
    let b = number.as_bytes();
    b.first().is_some_and(u8::is_ascii_digit)
        && b.len() >= 4
        && matches!(b[b.len() - 3], b'.' | b',')
        && b[b.len() - 2..].iter().all(u8::is_ascii_digit)
}

/// An amount found in text.
#[derive(Debug, Clone)]
pub(crate) struct AmountMatch {
    pub(crate) value: BigDecimal,
    pub(crate) currency: Option<Currency>,
}

const CUR: &str = r"(?:(?-i:A\$|AU\$|C\$|CA\$|NZ\$|S\$|SG\$|HK\$|US\$|R\$)|€|\$|£|(?-i:₹|INR|Rs\.?|Bs\.?)|EUR|USD|GBP|CHF|SEK|DKK|NOK|PLN|CZK|HUF|JPY|CAD|AUD|NZD|SGD|HKD|ZAR|AED|EURO?S?|zł|Kč|(?-i:Ft|Dhs|lei|LEI|RON|SFr\.?))";
/// Currencies before an amount only: [`CUR`] and the South African rand's "R" ("R1,792.22").
const CUR_BEFORE: &str = r"(?:(?-i:A\$|AU\$|C\$|CA\$|NZ\$|S\$|SG\$|HK\$|US\$|R\$)|(?-i:R)|€|\$|£|(?-i:₹|INR|Rs\.?|Bs\.?)|EUR|USD|GBP|CHF|SEK|DKK|NOK|PLN|CZK|HUF|JPY|CAD|AUD|NZD|SGD|HKD|ZAR|AED|EURO?S?|zł|Kč|(?-i:Ft|Dhs|lei|LEI|RON|SFr\.?))";

static AMOUNT: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)(?P<neg>-\s?)?(?P<c1>{CUR_BEFORE})?\s?(?P<neg2>-\s?)?(?P<num>\d{{1,2}}(?:,\d{{2}})+,\d{{3}}(?:\.\d{{1,2}})?|\d{{1,3}}(?:[.,'’\u{{a0}}\u{{202f}}\u{{2009}}\u{{2007}} ]\d{{3}})+(?:[.,]\d{{1,2}})?|\d+(?:[.,]\d{{1,2}})?)(?P<c2>\s?{CUR})?"
    ))
    .ok()
});

fn currency_of(token: &str) -> Option<Currency> {
    let t = token.trim().to_ascii_uppercase();
    match t.as_str() {
        "€" | "EUR" | "EURO" | "EUROS" => Some(Currency::EUR),
        "$" => Currency::parse("USD").ok(),
        "£" => Currency::parse("GBP").ok(),
        "₹" | "RS" | "RS." => Currency::parse("INR").ok(),
        "A$" | "AU$" => Currency::parse("AUD").ok(),
        "C$" | "CA$" => Currency::parse("CAD").ok(),
        "NZ$" => Currency::parse("NZD").ok(),
        "S$" | "SG$" => Currency::parse("SGD").ok(),
        "HK$" => Currency::parse("HKD").ok(),
        "US$" => Currency::parse("USD").ok(),
        "R$" => Currency::parse("BRL").ok(),
        // The Venezuelan bolívar ("Bs. 1.836,80").
        "BS" | "BS." => Currency::parse("VES").ok(),
        "R" => Currency::parse("ZAR").ok(),
        "DHS" => Currency::parse("AED").ok(),
        "LEI" | "RON" => Currency::parse("RON").ok(),
        // The Swiss franc as Swiss German prints it ("SFr. 4’702.68").
        "SFR" | "SFR." => Currency::parse("CHF").ok(),
        _ => match token.trim() {
            "zł" | "ZŁ" => Currency::parse("PLN").ok(),
            "Kč" | "KČ" => Currency::parse("CZK").ok(),
            "Ft" => Currency::parse("HUF").ok(),
            _ => Currency::parse(&t).ok(),
        },
    }
}

/// Parses the digits of an amount in `1.234,56`, `1,234.56`, `1 234,56`, `1234.56` or
/// `1234,56` style. Without decimals, a lone group of three after one separator is read as
/// thousands only when `grouped_ok`.
fn parse_number(num: &str) -> Option<(BigDecimal, bool)> {
    let chars: Vec<char> = num.chars().collect();
    let seps: Vec<(usize, char)> =
        chars.iter().enumerate().filter(|(_, c)| !c.is_ascii_digit()).map(|(i, c)| (i, *c)).collect();
    // Indian grouping (1,23,456.78): groups of two before the last three digits.
    if num.contains(',') && num.contains('.') && {
        let int = num.split('.').next().unwrap_or("");
        let groups: Vec<&str> = int.split(',').collect();
        groups.len() >= 3 && groups[1..groups.len() - 1].iter().all(|g| g.len() == 2)
    } {
        let digits: String = num.chars().filter(|c| *c != ',').collect();
        return BigDecimal::from_str(&digits).ok().map(|v| (v, true));
    }
    let (int_part, frac_part, has_decimals) = match seps.last() {
        None => (num.to_string(), String::new(), false),
        Some(&(i, c)) => {
            let after = chars.len() - i - 1;
            let decimal = (c == '.' || c == ',') && after <= 2 && seps.iter().filter(|(_, s)| *s == c).count() == 1;
            if decimal {
                let int: String = chars[..i].iter().filter(|c| c.is_ascii_digit()).collect();
                let frac: String = chars[i + 1..].iter().collect();
                // Thousands separators must all be the same character and differ from the decimal one.
                let groups: Vec<char> = seps[..seps.len() - 1].iter().map(|(_, s)| *s).collect();
                if groups.contains(&c) || groups.windows(2).any(|w| w[0] != w[1]) {
                    return None;
                }
                (int, frac, true)
            } else {
                if seps.windows(2).any(|w| w[0].1 != w[1].1) {
                    return None;
                }
                (chars.iter().filter(|c| c.is_ascii_digit()).collect(), String::new(), false)
            }
        }
    };
    if int_part.is_empty() || int_part.len() > 15 {
        return None;
    }
    let text = if frac_part.is_empty() { int_part } else { format!("{int_part}.{frac_part}") };
    BigDecimal::from_str(&text).ok().map(|v| (v, has_decimals))
}

/// The amounts in `text`, left to right. An amount needs decimals (`12,50`) or a currency
/// (`€ 500`); numbers that are part of dates, percentages, identifiers or longer tokens are
/// skipped.
pub(crate) fn find_amounts(text: &str) -> Vec<AmountMatch> {
    let Some(re) = AMOUNT.as_ref() else { return Vec::new() };
    let mut out = Vec::new();
    for caps in re.captures_iter(text) {
        let Some(num) = caps.name("num") else { continue };
        let whole = caps.get(0).map_or(num.range(), |m| m.range());
        let before = text[..num.start()].chars().next_back();
        let after = text[num.end()..].chars().next();
        let has_c1 = caps.name("c1").is_some();
        let has_c2 = caps.name("c2").is_some();
        // Glued to letters or digits, or part of a date, a range or an identifier; a currency
        // code glued to the number ("CHF12'222.31", "Rs.1,200.00") is fine.
        if before.is_some_and(|c| c.is_alphanumeric() || matches!(c, '/' | '.' | ',' | '_')) && !has_c1 {
            continue;
        }
        if caps.name("c1").is_some_and(|c| c.as_str().chars().all(char::is_alphabetic))
            && text[..whole.start].chars().next_back().is_some_and(char::is_alphanumeric)
        {
            continue;
        }
        // "799,32-": a minus after the amount, as ERP systems print credits (an amount with
        // cents, the minus ending the token).
        let trailing_minus = after == Some('-')
            && !has_c2
            && text[num.end() + 1..].chars().next().is_none_or(char::is_whitespace)
            && num.as_str().len() > 3
            && matches!(num.as_str().as_bytes()[num.as_str().len() - 3], b'.' | b',');
        if after.is_some_and(|c| c.is_alphanumeric() || matches!(c, '/' | '-' | '_')) && !has_c2 && !trailing_minus {
            continue;
        }
        let mut rest = text[num.end()..].chars();
        if matches!(rest.next(), Some('.' | ',')) && rest.next().is_some_and(|c| c.is_ascii_digit()) {
            continue;
        }
        let tail = text[whole.end..].trim_start();
        if tail.starts_with('%') || tail.starts_with('/') {
            continue;
        }
        let Some((value, decimals)) = parse_number(num.as_str()) else { continue };
        if !decimals && !has_c1 && !has_c2 {
            continue;
        }
        // A lone "R" makes an amount only with cents ("R1,792.22", not "R 12").
        if !decimals && caps.name("c1").is_some_and(|c| c.as_str() == "R") && !has_c2 {
            continue;
        }
        let currency = caps.name("c1").or_else(|| caps.name("c2")).and_then(|c| currency_of(c.as_str()));
        let negative = caps.name("neg").is_some() || caps.name("neg2").is_some();
        let negative = negative && caps.name("neg").is_none_or(|m| m.start() == 0 || text[..m.start()].ends_with(' '))
            || trailing_minus;
        out.push(AmountMatch { value: if negative { -value } else { value }, currency });
    }
    out
}

/// The value of a cell holding only a number without decimals ("285", "2.679", "-12"), read as
/// an amount when its label names the currency ("Steuerbetrag in EUR  285"): e-invoice
/// visualisations print the XML's amounts as they are, without padding them to cents.
pub(crate) fn bare_amount(text: &str) -> Option<BigDecimal> {
    let t = text.trim();
    let (negative, digits) = match t.strip_prefix('-') {
        Some(rest) => (true, rest.trim_start()),
        None => (false, t),
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | ',')) {
        return None;
    }
    if !digits.starts_with(|c: char| c.is_ascii_digit()) || !digits.ends_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let (value, _) = parse_number(digits)?;
    Some(if negative { -value } else { value })
}

/// The currency a label names for its amount: "Steuerbetrag in EUR", "Total (EUR)",
/// "Montant [€]".
pub(crate) fn label_currency(label: &str) -> Option<Currency> {
    let words: Vec<&str> = label
        .split(|c: char| c.is_whitespace() || matches!(c, '(' | ')' | '[' | ']' | ':'))
        .filter(|w| !w.is_empty())
        .collect();
    let last = *words.last()?;
    let named = words.len() >= 2 && words[words.len() - 2] == "in" || label.trim_end().ends_with([')', ']']);
    if !named {
        return None;
    }
    if !matches!(last, "€" | "eur" | "euro" | "$" | "£" | "chf" | "usd" | "gbp") {
        return None;
    }
    currency_of(last)
}

/// The currency of a page's bare "$" when the page says which dollar it is (an Australian
/// ABN, a Canadian HST, "Singapore", ...), from the normalised cells `texts`. `None` leaves the
/// dollar American.
pub(crate) fn dollar_country<'a>(texts: impl Iterator<Item = &'a str>) -> Option<Currency> {
    const HINTS: &[(&str, &str)] = &[
        ("abn", "AUD"),
        ("australia", "AUD"),
        ("aud", "AUD"),
        ("a$", "AUD"),
        ("new zealand", "NZD"),
        ("nzbn", "NZD"),
        ("nzd", "NZD"),
        ("nz$", "NZD"),
        ("canada", "CAD"),
        ("hst", "CAD"),
        ("qst", "CAD"),
        ("cad", "CAD"),
        ("c$", "CAD"),
        ("singapore", "SGD"),
        ("uen", "SGD"),
        ("sgd", "SGD"),
        ("s$", "SGD"),
        ("hong kong", "HKD"),
        ("hkd", "HKD"),
        ("hk$", "HKD"),
        ("united states", "USD"),
    ];
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for t in texts {
        // A dollar said to be American anywhere ("US$", "USD") is.
        if t.contains("us$") || t.contains("usd") || t.contains("us dollar") || t.contains("u.s. dollar") {
            return None;
        }
        for (hint, code) in HINTS {
            let found = t.match_indices(hint).any(|(at, _)| {
                let before = t[..at].chars().next_back();
                let after = t[at + hint.len()..].chars().next();
                before.is_none_or(|c| !c.is_alphanumeric()) && after.is_none_or(|c| !c.is_alphanumeric())
            });
            if found {
                match counts.iter_mut().find(|(c, _)| c == code) {
                    Some((_, n)) => *n += 1,
                    None => counts.push((code, 1)),
                }
            }
        }
    }
    let (code, _) = counts.into_iter().max_by_key(|(_, n)| *n)?;
    (code != "USD").then(|| Currency::parse(code).ok()).flatten()
}

/// Rounds to cents, half up.
pub(crate) fn round2(v: &BigDecimal) -> BigDecimal {
    v.with_scale_round(2, bigdecimal::RoundingMode::HalfUp)
}

static PERCENT: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"(?:^|[^\d.,])(\d{1,2}(?:[.,]\d{1,3})?)\s?%").ok());

/// Percentages in text (`21%`, `21 %`, `5,5 %`).
pub(crate) fn find_percents(text: &str) -> Vec<BigDecimal> {
    let Some(re) = PERCENT.as_ref() else { return Vec::new() };
    re.captures_iter(text)
        .filter_map(|c| c.get(1))
        .filter_map(|m| BigDecimal::from_str(&m.as_str().replace(',', ".")).ok())
        .map(|v| v.normalized())
        .collect()
}

const MONTHS: &[(&str, u8)] = &[
    ("january", 1),
    ("januari", 1),
    ("janvier", 1),
    ("januar", 1),
    ("janner", 1),
    ("janv", 1),
    ("jan", 1),
    ("february", 2),
    ("februari", 2),
    ("fevrier", 2),
    ("februar", 2),
    ("fevr", 2),
    ("feb", 2),
    ("fev", 2),
    ("march", 3),
    ("maart", 3),
    ("mars", 3),
    ("marz", 3),
    ("maerz", 3),
    ("mrz", 3),
    ("mar", 3),
    ("mrt", 3),
    ("april", 4),
    ("avril", 4),
    ("apr", 4),
    ("avr", 4),
    ("may", 5),
    ("mei", 5),
    ("mai", 5),
    ("june", 6),
    ("juni", 6),
    ("juin", 6),
    ("jun", 6),
    ("july", 7),
    ("juli", 7),
    ("juillet", 7),
    ("juil", 7),
    ("jul", 7),
    ("august", 8),
    ("augustus", 8),
    ("aout", 8),
    ("aug", 8),
    ("september", 9),
    ("septembre", 9),
    ("sept", 9),
    ("sep", 9),
    ("october", 10),
    ("oktober", 10),
    ("octobre", 10),
    ("oct", 10),
    ("okt", 10),
    ("november", 11),
    ("novembre", 11),
    ("nov", 11),
    ("december", 12),
    ("decembre", 12),
    ("dezember", 12),
    ("dec", 12),
    ("dez", 12),
    // Hungarian, Romanian.
    ("marcius", 3),
    ("aprilis", 4),
    ("majus", 5),
    ("junius", 6),
    ("julius", 7),
    ("augusztus", 8),
    ("szeptember", 9),
    ("ianuarie", 1),
    ("februarie", 2),
    ("martie", 3),
    ("aprilie", 4),
    ("iunie", 6),
    ("iulie", 7),
    ("septembrie", 9),
    ("octombrie", 10),
    ("noiembrie", 11),
    ("decembrie", 12),
    // Spanish, Italian, Portuguese, Polish (nominative and genitive), Swedish, Danish, Czech.
    ("enero", 1),
    ("ene", 1),
    ("gennaio", 1),
    ("gen", 1),
    ("janeiro", 1),
    ("styczen", 1),
    ("stycznia", 1),
    ("ledna", 1),
    ("leden", 1),
    ("febrero", 2),
    ("febbraio", 2),
    ("fevereiro", 2),
    ("luty", 2),
    ("lutego", 2),
    ("unora", 2),
    ("unor", 2),
    ("marzo", 3),
    ("marco", 3),
    ("marzec", 3),
    ("marca", 3),
    ("marts", 3),
    ("brezna", 3),
    ("brezen", 3),
    ("abril", 4),
    ("aprile", 4),
    ("abr", 4),
    ("kwiecien", 4),
    ("kwietnia", 4),
    ("dubna", 4),
    ("duben", 4),
    ("mayo", 5),
    ("maggio", 5),
    ("maio", 5),
    ("mag", 5),
    ("maj", 5),
    ("maja", 5),
    ("kvetna", 5),
    ("kveten", 5),
    ("junio", 6),
    ("giugno", 6),
    ("junho", 6),
    ("giu", 6),
    ("czerwiec", 6),
    ("czerwca", 6),
    ("cervna", 6),
    ("cerven", 6),
    ("julio", 7),
    ("luglio", 7),
    ("julho", 7),
    ("lug", 7),
    ("lipiec", 7),
    ("lipca", 7),
    ("cervence", 7),
    ("cervenec", 7),
    ("agosto", 8),
    ("ago", 8),
    ("augusti", 8),
    ("sierpien", 8),
    ("sierpnia", 8),
    ("srpna", 8),
    ("srpen", 8),
    ("septiembre", 9),
    ("setiembre", 9),
    ("settembre", 9),
    ("setembro", 9),
    ("set", 9),
    ("wrzesien", 9),
    ("wrzesnia", 9),
    ("zari", 9),
    ("octubre", 10),
    ("ottobre", 10),
    ("outubro", 10),
    ("ott", 10),
    ("pazdziernik", 10),
    ("pazdziernika", 10),
    ("rijna", 10),
    ("rijen", 10),
    ("noviembre", 11),
    ("novembro", 11),
    ("listopad", 11),
    ("listopada", 11),
    ("listopadu", 11),
    ("diciembre", 12),
    ("dicembre", 12),
    ("dezembro", 12),
    ("dic", 12),
    ("grudzien", 12),
    ("grudnia", 12),
    ("prosince", 12),
    ("prosinec", 12),
];

pub(crate) fn month_of(word: &str) -> Option<u8> {
    let w = word.trim_end_matches('.');
    MONTHS.iter().find(|(n, _)| *n == w).map(|(_, m)| *m)
}

/// Year first: `2024-03-05`, and `2024/03/05` or `2024.03.05` as South Africa, Japan and
/// others write it.
static DATE_ISO: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"\b(\d{4})([-/.])(\d{1,2})([-/.])(\d{1,2})\b").ok());
static DATE_NUM: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"\b(\d{1,2})([./-])(\d{1,2})([./-])(\d{4}|\d{2})\b").ok());
/// A Hungarian date, year first with dots ("2025. 06. 10.") or with its month's name ("2025.
/// január 5.").
static DATE_HU: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"\b(\d{4})\. ?(?:(\d{1,2})\. ?|([a-z]{3,11})\.? )(\d{1,2})\.").ok());
/// A Czech or Slovak date with spaces after its dots ("14. 8. 2025").
static DATE_SPACED: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"\b(\d{1,2})\. (\d{1,2})\. (\d{4})\b").ok());
static DATE_DMY: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"\b(\d{1,2})(?:er|st|nd|rd|th|º)?\.?(?:\s+|-)(?:de\s+)?([a-z]{3,12})\.?,?(?:\s+|-)(?:de\s+)?(\d{4})\b")
        .ok()
});
/// A day, an English month and a two-digit year ("28 Jan 15", "3-Mar-24"), as receipts and
/// marketplace invoices print them. Only English month names: a two-digit number after a word
/// like "set" is a quantity far more often than a year.
static DATE_DMY_SHORT: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"\b(\d{1,2})[ -](jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?[ -](\d{2})\b(?:[^:.,/\d]|$)").ok()
});
static DATE_MDY: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"\b([a-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:\s?,)?\s+(\d{4})\b").ok());

fn ymd(y: i32, m: u8, d: u8) -> Option<Date> {
    if !(1900..=2200).contains(&y) {
        return None;
    }
    Date::from_calendar_date(y, Month::try_from(m).ok()?, d).ok()
}

/// The first date in `text` with its start offset (in the normalised text).
pub(crate) fn find_date(text: &str) -> Option<Date> {
    find_date_order(text, false)
}

/// [`find_date`] reading ambiguous numeric dates month first (`03/04/2024` = 4 March) when
/// `month_first`, as US documents print them.
pub(crate) fn find_date_order(text: &str, month_first: bool) -> Option<Date> {
    find_dates(text, month_first).into_iter().min_by_key(|(pos, _)| *pos).map(|(_, d)| d)
}

/// (a numeric date can only be month first, one can only be day first).
pub(crate) fn date_order_hints(text: &str) -> (bool, bool) {
    let Some(re) = DATE_NUM.as_ref() else { return (false, false) };
    let (mut mf, mut df) = (false, false);
    for c in re.captures_iter(text) {
        if c[2] != c[4] {
            continue;
        }
        let a = c[1].parse::<u8>().unwrap_or(0);
        let b = c[3].parse::<u8>().unwrap_or(0);
        mf |= (1..=12).contains(&a) && (13..=31).contains(&b);
        df |= (13..=31).contains(&a) && (1..=12).contains(&b);
    }
    (mf, df)
}

/// Every date in `text`, with its byte offset in the normalised text.
pub(crate) fn find_dates(text: &str, month_first: bool) -> Vec<(usize, Date)> {
    let t = norm(text);
    let mut out = Vec::new();
    if let Some(re) = DATE_ISO.as_ref() {
        for c in re.captures_iter(&t) {
            if c[2] != c[4] {
                continue;
            }
            let y = c[1].parse().unwrap_or(0);
            if let Some(d) = ymd(y, c[3].parse().unwrap_or(0), c[5].parse().unwrap_or(0)) {
                out.push((c.get(0).map_or(0, |m| m.start()), d));
            }
        }
    }
    if let Some(re) = DATE_NUM.as_ref() {
        for c in re.captures_iter(&t) {
            if c[2] != c[4] {
                continue;
            }
            let a: u8 = c[1].parse().unwrap_or(0);
            let b: u8 = c[3].parse().unwrap_or(0);
            let y: i32 = c[5].parse().unwrap_or(0);
            let y = if c[5].len() == 2 { 2000 + y } else { y };
            // Day first (European) unless only month first makes sense. Dotted dates are day
            // first in every convention (month-first dates use slashes).
            let month_first = month_first && &c[2] != ".";
            let (d, m) = if (b > 12 || month_first && b <= 31) && a <= 12 { (b, a) } else { (a, b) };
            if let Some(date) = ymd(y, m, d) {
                out.push((c.get(0).map_or(0, |m| m.start()), date));
            }
        }
    }
    if let Some(re) = DATE_HU.as_ref() {
        for c in re.captures_iter(&t) {
            let month =
                c.get(2).and_then(|m| m.as_str().parse().ok()).or_else(|| c.get(3).and_then(|m| month_of(m.as_str())));
            if let Some(m) = month
                && let Some(date) = ymd(c[1].parse().unwrap_or(0), m, c[4].parse().unwrap_or(0))
            {
                out.push((c.get(0).map_or(0, |m| m.start()), date));
            }
        }
    }
    if let Some(re) = DATE_SPACED.as_ref() {
        for c in re.captures_iter(&t) {
            if let Some(date) = ymd(c[3].parse().unwrap_or(0), c[2].parse().unwrap_or(0), c[1].parse().unwrap_or(0)) {
                out.push((c.get(0).map_or(0, |m| m.start()), date));
            }
        }
    }
    if let Some(re) = DATE_DMY.as_ref() {
        for c in re.captures_iter(&t) {
            if let Some(m) = month_of(&c[2])
                && let Some(d) = ymd(c[3].parse().unwrap_or(0), m, c[1].parse().unwrap_or(0))
            {
                out.push((c.get(0).map_or(0, |m| m.start()), d));
            }
        }
    }
    if let Some(re) = DATE_DMY_SHORT.as_ref() {
        for c in re.captures_iter(&t) {
            if let Some(m) = month_of(&c[2][..3])
                && let Some(d) = ymd(2000 + c[3].parse::<i32>().unwrap_or(0), m, c[1].parse().unwrap_or(0))
            {
                out.push((c.get(0).map_or(0, |m| m.start()), d));
            }
        }
    }
    if let Some(re) = DATE_MDY.as_ref() {
        for c in re.captures_iter(&t) {
            if let Some(m) = month_of(&c[1])
                && let Some(d) = ymd(c[3].parse().unwrap_or(0), m, c[2].parse().unwrap_or(0))
            {
                out.push((c.get(0).map_or(0, |m| m.start()), d));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn amounts(s: &str) -> Vec<String> {
        find_amounts(s).into_iter().map(|a| a.value.to_string()).collect()
    }

    #[test]
    fn amounts_in_both_styles() {
        assert_eq!(amounts("1.234,56"), ["1234.56"]);
        assert_eq!(amounts("1,234.56"), ["1234.56"]);
        assert_eq!(amounts("€ 1 234,56"), ["1234.56"]);
        assert_eq!(amounts("EUR 1.234.567,8"), ["1234567.8"]);
        assert_eq!(amounts("382,06 EUR"), ["382.06"]);
        assert_eq!(amounts("$1,234.56"), ["1234.56"]);
        assert_eq!(amounts("€500"), ["500"]);
        assert_eq!(amounts("-12,50 €"), ["-12.50"]);
        assert_eq!(find_amounts("66,31 EUR")[0].currency, Some(Currency::EUR));
        assert_eq!(amounts("CHF 1'234.56"), ["1234.56"]);
        assert_eq!(amounts("CHF1'234.56"), ["1234.56"]);
        assert_eq!(amounts("₹1,23,456.78"), ["123456.78"]);
        assert_eq!(amounts("Rs.12,34,567.00"), ["1234567.00"]);
        assert_eq!(find_amounts("Rs. 1,200.00")[0].currency, Currency::parse("INR").ok());
        assert_eq!(amounts("1 234 567,89 €"), ["1234567.89"]);
        assert_eq!(amounts("Hours 12.50"), ["12.50"]);
        assert_eq!(find_amounts("R$ 57.806,65")[0].currency, Currency::parse("BRL").ok());
    }

    #[test]
    fn non_amounts_are_skipped() {
        assert!(amounts("21.00 %").is_empty());
        assert!(amounts("10/04/2023").is_empty());
        assert!(amounts("01.04.2023").is_empty());
        assert!(amounts("INV-SO-2023-2812").is_empty());
        assert!(amounts("BE71 0018 6092 2869").is_empty());
        assert!(amounts("1.234").is_empty());
        assert!(amounts("21").is_empty());
    }

    #[test]
    fn dates_in_many_forms() {
        let d = |s: &str| find_date(s).map(|d| d.to_string());
        assert_eq!(d("01/04/2023").as_deref(), Some("2023-04-01"));
        assert_eq!(d("01-06-2025").as_deref(), Some("2025-06-01"));
        assert_eq!(d("15.03.2024").as_deref(), Some("2024-03-15"));
        assert_eq!(d("2024-03-15").as_deref(), Some("2024-03-15"));
        assert_eq!(d("12/31/2024").as_deref(), Some("2024-12-31"));
        assert_eq!(d("1 april 2023").as_deref(), Some("2023-04-01"));
        assert_eq!(d("1er avril 2023").as_deref(), Some("2023-04-01"));
        assert_eq!(d("15. März 2024").as_deref(), Some("2024-03-15"));
        assert_eq!(d("15 février 2024").as_deref(), Some("2024-02-15"));
        assert_eq!(d("March 5, 2025").as_deref(), Some("2025-03-05"));
        assert_eq!(d("Apr 1, 2023").as_deref(), Some("2023-04-01"));
        assert_eq!(d("3 mei 2024").as_deref(), Some("2024-05-03"));
        // Real prints: a space before the comma (AWS), a two-digit year after an English month.
        assert_eq!(d("August 3 , 2014").as_deref(), Some("2014-08-03"));
        assert_eq!(d("Order date: 28 Jan 15").as_deref(), Some("2015-01-28"));
        assert_eq!(d("3-Sept-24 ").as_deref(), Some("2024-09-03"));
        assert_eq!(d("2 x Set 10"), None);
        assert_eq!(d("3 decorations 12"), None);
        assert_eq!(d("28 Jan 15:30"), None);
        assert_eq!(d("2000 Antwerpen"), None);
        assert_eq!(d("31/02/2024"), None);
        assert_eq!(find_date_order("03/04/2024", true).map(|d| d.to_string()).as_deref(), Some("2024-03-04"));
        assert_eq!(date_order_hints("Date: 12/31/2024"), (true, false));
        assert_eq!(date_order_hints("31/12/2024"), (false, true));
    }

    #[test]
    fn percents() {
        assert_eq!(find_percents("TOTAL 21% 21.00 %").len(), 2);
        assert_eq!(find_percents("TVA 5,5 %")[0].to_string(), "5.5");
    }
}
