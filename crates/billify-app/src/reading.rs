//! A confirmed draft's reading: for each field of the review form, whether the person who
//! confirmed it kept the reader's proposal, corrected it, typed it in or cleared it. Worked out
//! once, on confirmation, and stored with the draft; `reading_accuracy` adds readings up.

use std::str::FromStr as _;

use bigdecimal::BigDecimal;
use serde_json::Value;

use crate::intake_json::{Compare, FIELDS};
use billify_ports::documents::Draft;

/// The counts of one field, one method or everything.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Outcomes {
    /// Confirmed as proposed.
    pub kept: u64,
    /// Proposed, then changed.
    pub corrected: u64,
    /// Not proposed; typed by a person.
    pub added: u64,
    /// Proposed; cleared by a person.
    pub removed: u64,
}

impl Outcomes {
    /// Fields counted.
    pub fn counted(&self) -> u64 {
        self.kept + self.corrected + self.added + self.removed
    }

    /// The share kept, in tenths of a percent (`934` is 93.4 %); `None` when nothing was counted.
    pub fn permille_kept(&self) -> Option<u64> {
        let counted = self.counted();
        (counted > 0).then(|| (self.kept * 1000 + counted / 2) / counted)
    }

    pub(crate) fn add(&mut self, other: Outcomes) {
        self.kept += other.kept;
        self.corrected += other.corrected;
        self.added += other.added;
        self.removed += other.removed;
    }

    pub(crate) fn times(self, n: u64) -> Outcomes {
        Outcomes {
            kept: self.kept * n,
            corrected: self.corrected * n,
            added: self.added * n,
            removed: self.removed * n,
        }
    }

    /// The outcome written as one letter in a reading.
    fn letter(&self) -> char {
        match (self.kept, self.corrected, self.added) {
            (1, _, _) => 'k',
            (_, 1, _) => 'c',
            (_, _, 1) => 'a',
            _ => 'r',
        }
    }

    pub(crate) fn of_letter(letter: &str) -> Option<Outcomes> {
        let mut o = Outcomes::default();
        match letter {
            "k" => o.kept = 1,
            "c" => o.corrected = 1,
            "a" => o.added = 1,
            "r" => o.removed = 1,
            _ => return None,
        }
        Some(o)
    }
}

fn normalised(value: &str, compare: Compare) -> String {
    match compare {
        Compare::Text => value.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase(),
        Compare::Identifier => value.chars().filter(char::is_ascii_alphanumeric).collect::<String>().to_uppercase(),
        Compare::Amount => match BigDecimal::from_str(value.trim()) {
            Ok(n) => n.normalized().to_string(),
            Err(_) => value.trim().to_owned(),
        },
    }
}

fn present(value: Option<&str>, compare: Compare) -> Option<String> {
    value.map(|v| normalised(v, compare)).filter(|v| !v.is_empty())
}

/// One field's outcome; `None` when it is empty on both sides.
fn outcome(proposed: Option<&str>, confirmed: Option<&str>, compare: Compare) -> Option<Outcomes> {
    let (proposed, confirmed) = (present(proposed, compare), present(confirmed, compare));
    let mut counts = Outcomes::default();
    match (proposed, confirmed) {
        (None, None) => return None,
        (Some(p), Some(c)) if p == c => counts.kept = 1,
        (Some(_), Some(_)) => counts.corrected = 1,
        (None, Some(_)) => counts.added = 1,
        (Some(_), None) => counts.removed = 1,
    }
    Some(counts)
}

/// A confirmed draft's reading: the outcome of each measured field as `field:o` (`o` one of
/// `k`, `c`, `a`, `r`), joined by commas in the review form's order, fields empty on both sides
/// left out. Empty when the draft kept no proposal. Stored with the draft; names, not positions,
/// so that fields added to the form later do not shift old readings.
pub fn reading_of(draft: &Draft) -> String {
    let proposal = serde_json::from_str::<Value>(&draft.extraction)
        .ok()
        .and_then(|x| x.get("proposed").and_then(Value::as_object).cloned());
    let Some(proposal) = proposal else { return String::new() };
    let mut pairs = Vec::new();
    for (name, get, compare) in FIELDS {
        let proposed = proposal.get(*name).and_then(Value::as_str);
        if let Some(o) = outcome(proposed, get(&draft.fields).as_deref(), *compare) {
            pairs.push(format!("{name}:{}", o.letter()));
        }
    }
    pairs.join(",")
}
