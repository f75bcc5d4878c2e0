//! Languages and locales: the message catalogues (`messages/*.json`, one flat object of key to
//! text per language), the choice of language (the `billify_lang` cookie, else the browser's
//! `Accept-Language`, else English), and numbers, money and dates in the locale's format.

use std::collections::HashMap;
use std::sync::LazyLock;

use actix_web::HttpRequest;
use actix_web::http::header;
use billify_domain::Money;
use time::Date;

/// The cookie remembering the language a user chose.
pub const LANG_COOKIE: &str = "billify_lang";

/// An interface language with its locale for numbers and dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// English (`en`).
    En,
    /// Dutch as in Belgium (`nl-BE`).
    Nl,
    /// French as in Belgium (`fr-BE`).
    Fr,
}

const CATALOGUES: [(Lang, &str); 3] = [
    (Lang::En, include_str!("../messages/en.json")),
    (Lang::Nl, include_str!("../messages/nl.json")),
    (Lang::Fr, include_str!("../messages/fr.json")),
];

static MESSAGES: LazyLock<HashMap<&'static str, HashMap<String, String>>> = LazyLock::new(|| {
    CATALOGUES
        .iter()
        .map(|(lang, text)| {
            let map = serde_json::from_str::<HashMap<String, String>>(text).unwrap_or_else(|e| {
                log::error!("the {} message catalogue is not a JSON object of strings: {e}", lang.code());
                HashMap::new()
            });
            (lang.code(), map)
        })
        .collect()
});

impl Lang {
    /// Every language, in the order offered.
    pub const ALL: [Lang; 3] = [Lang::En, Lang::Nl, Lang::Fr];

    /// The language tag of the interface text (`en`, `nl`, `fr`).
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Nl => "nl",
            Lang::Fr => "fr",
        }
    }

    /// The locale of numbers and dates (`en`, `nl-BE`, `fr-BE`).
    pub fn locale(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Nl => "nl-BE",
            Lang::Fr => "fr-BE",
        }
    }

    /// The language's own name, for the language switcher.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Nl => "Nederlands",
            Lang::Fr => "Français",
        }
    }

    /// The language named by a tag such as `nl`, `nl-BE` or `fr_BE`.
    pub fn parse(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        Lang::ALL.into_iter().find(|l| l.code() == primary)
    }

    /// The request's language: the cookie, else the first language of `Accept-Language` (by
    /// quality) that the interface has, else English.
    pub fn of(req: &HttpRequest) -> Lang {
        if let Some(lang) = crate::cookies::cookie(req, LANG_COOKIE).and_then(|v| Lang::parse(&v)) {
            return lang;
        }
        let mut offered: Vec<(f32, Lang)> = req
            .headers()
            .get_all(header::ACCEPT_LANGUAGE)
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .filter_map(|item| {
                let mut parts = item.split(';');
                let lang = Lang::parse(parts.next()?)?;
                let q = parts
                    .find_map(|p| p.trim().strip_prefix("q="))
                    .and_then(|q| q.trim().parse::<f32>().ok())
                    .unwrap_or(1.0);
                (q > 0.0).then_some((q, lang))
            })
            .collect();
        // A stable sort keeps the header's order among equal qualities.
        offered.sort_by(|a, b| b.0.total_cmp(&a.0));
        offered.first().map(|(_, l)| *l).unwrap_or(Lang::En)
    }

    /// The text of `key` in this language; English when the catalogue lacks it, the key itself
    /// when English does too (the catalogue test keeps that from happening).
    pub fn t(self, key: &str) -> &'static str {
        let find = |lang: Lang| MESSAGES.get(lang.code()).and_then(|m| m.get(key)).map(String::as_str);
        match find(self).or_else(|| find(Lang::En)) {
            Some(text) => text,
            None => {
                log::warn!("no message {key}");
                ""
            }
        }
    }

    /// The text of `key` with `{name}` placeholders replaced.
    pub fn tf(self, key: &str, args: &[(&str, &str)]) -> String {
        let mut text = self.t(key).to_owned();
        for (name, value) in args {
            text = text.replace(&format!("{{{name}}}"), value);
        }
        text
    }

    fn separators(self) -> (&'static str, char) {
        match self {
            Lang::En => (",", '.'),
            Lang::Nl => (".", ','),
            // French groups with a narrow no-break space.
            Lang::Fr => ("\u{202f}", ','),
        }
    }

    /// A plain decimal (`-1234.56`, as the domain writes it) with the locale's grouping and
    /// decimal mark: `1,234.56`, `1.234,56`, `1 234,56`.
    pub fn decimal(self, plain: &str) -> String {
        let (group, mark) = self.separators();
        let (negative, digits) = match plain.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, plain),
        };
        let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
        let mut grouped = String::new();
        for (i, c) in int.chars().enumerate() {
            if i > 0 && (int.len() - i) % 3 == 0 {
                grouped.push_str(group);
            }
            grouped.push(c);
        }
        let mut out = String::new();
        if negative {
            out.push('-');
        }
        out.push_str(&grouped);
        if !frac.is_empty() {
            out.push(mark);
            out.push_str(frac);
        }
        out
    }

    /// An amount with its currency as the locale writes it: `€1,234.56` (en),
    /// `€ 1.234,56` (nl-BE), `1 234,56 €` (fr-BE); currencies without a symbol by their code.
    pub fn money(self, money: &Money) -> String {
        self.amount(&money.to_plain_string(), money.currency().code())
    }

    /// [`Lang::money`] for an amount given as plain decimal text and a currency code.
    pub fn amount(self, plain: &str, currency: &str) -> String {
        let symbol = match currency {
            "EUR" => "€",
            "USD" => "$",
            "GBP" => "£",
            other => other,
        };
        let number = self.decimal(plain);
        let has_symbol = symbol != currency;
        match self {
            Lang::En if has_symbol => match number.strip_prefix('-') {
                Some(n) => format!("-{symbol}{n}"),
                None => format!("{symbol}{number}"),
            },
            Lang::En => format!("{symbol}\u{a0}{number}"),
            Lang::Nl => format!("{symbol}\u{a0}{number}"),
            Lang::Fr => format!("{number}\u{a0}{symbol}"),
        }
    }

    /// A date as the locale writes it: `6 Dec 2026` (en), `6/12/2026` (nl-BE), `06/12/2026`
    /// (fr-BE).
    pub fn date(self, date: Date) -> String {
        let (d, m, y) = (date.day(), u8::from(date.month()), date.year());
        match self {
            Lang::En => {
                const MONTHS: [&str; 12] =
                    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
                let name = MONTHS.get(usize::from(m).saturating_sub(1)).copied().unwrap_or("");
                format!("{d} {name} {y}")
            }
            Lang::Nl => format!("{d}/{m}/{y}"),
            Lang::Fr => format!("{d:02}/{m:02}/{y}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use billify_domain::Currency;

    fn eur(text: &str) -> Money {
        Money::parse(text, Currency::parse("EUR").unwrap()).unwrap()
    }

    #[test]
    fn money_follows_each_locale() {
        assert_eq!(Lang::Nl.money(&eur("1234.56")), "€\u{a0}1.234,56");
        assert_eq!(Lang::Fr.money(&eur("1234.56")), "1\u{202f}234,56\u{a0}€");
        assert_eq!(Lang::En.money(&eur("1234.56")), "€1,234.56");
        assert_eq!(Lang::En.money(&eur("-1234567.5")), "-€1,234,567.50");
        assert_eq!(Lang::Nl.money(&eur("12.00")), "€\u{a0}12,00");
        assert_eq!(Lang::Nl.amount("-999.10", "EUR"), "€\u{a0}-999,10");
        assert_eq!(Lang::Fr.amount("100.00", "CHF"), "100,00\u{a0}CHF");
    }

    #[test]
    fn dates_follow_each_locale() {
        let d = Date::from_calendar_date(2026, time::Month::December, 6).unwrap();
        assert_eq!(Lang::En.date(d), "6 Dec 2026");
        assert_eq!(Lang::Nl.date(d), "6/12/2026");
        assert_eq!(Lang::Fr.date(d), "06/12/2026");
    }

    #[test]
    fn tags_name_languages() {
        assert_eq!(Lang::parse("nl-BE"), Some(Lang::Nl));
        assert_eq!(Lang::parse("FR_be"), Some(Lang::Fr));
        assert_eq!(Lang::parse("de"), None);
    }

    #[test]
    fn every_catalogue_has_every_key_and_no_empty_text() {
        let english = MESSAGES.get("en").unwrap();
        assert!(english.len() > 50, "the English catalogue did not load");
        for lang in Lang::ALL {
            let catalogue = MESSAGES.get(lang.code()).unwrap();
            let mut missing: Vec<_> = english.keys().filter(|k| !catalogue.contains_key(*k)).collect();
            missing.sort();
            assert!(missing.is_empty(), "{} lacks {missing:?}", lang.code());
            let mut extra: Vec<_> = catalogue.keys().filter(|k| !english.contains_key(*k)).collect();
            extra.sort();
            assert!(extra.is_empty(), "{} has keys English lacks: {extra:?}", lang.code());
            assert!(catalogue.values().all(|v| !v.trim().is_empty()), "{} has an empty text", lang.code());
        }
    }

    #[test]
    fn every_key_the_code_uses_is_in_the_catalogue() {
        let english = MESSAGES.get("en").unwrap();
        let sources = [
            include_str!("layout.rs"),
            include_str!("pages/auth.rs"),
            include_str!("pages/invoices.rs"),
            include_str!("pages/upload.rs"),
            include_str!("pages/dashboard.rs"),
            include_str!("pages/bank.rs"),
            include_str!("pages/settings.rs"),
            include_str!("pages/notifications.rs"),
            include_str!("pages/integrations.rs"),
            include_str!("pages/reconciliation.rs"),
            include_str!("lib.rs"),
        ];
        let mut checked = 0;
        for source in sources {
            for pattern in [
                ".t(\"",
                ".tf(\"",
                "lang.t(\"",
                "(\"nav.",
                "\"urgency.",
                "\"dash.",
                "\"age.",
                "\"field.",
                "\"sort.",
                "\"bank.",
                "\"notif.",
                "\"yuki.",
            ] {
                for (i, _) in source.match_indices(pattern) {
                    let start = i + pattern.find('"').unwrap() + 1;
                    let rest = &source[start..];
                    let key = &rest[..rest.find('"').unwrap()];
                    if key.ends_with('.') || key.contains('{') {
                        continue;
                    }
                    checked += 1;
                    assert!(english.contains_key(key), "message {key} is used but not in messages/en.json");
                }
            }
        }
        assert!(checked > 100, "only {checked} keys found in the sources");
    }
}
