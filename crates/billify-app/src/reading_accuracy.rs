//! How well uploaded documents are read, measured on the organisation's own invoices: each
//! confirmed draft's proposal (the fields the reader filled in, kept in the draft's extraction
//! as `proposed` when it was made) beside what a person confirmed, counted per field and per
//! extraction method.
//!
//! Every field of every confirmed draft falls in one of four outcomes: `kept` (confirmed as
//! proposed), `corrected` (changed), `added` (the reader proposed nothing, a person typed it) or
//! `removed` (the reader proposed a value, a person cleared it). A field empty on both sides is
//! not counted. Values are compared as what they mean: amounts as numbers, VAT numbers, IBANs
//! and references without spaces or punctuation, names and numbers without case or repeated
//! spaces. Drafts made before proposals were kept carry none and are not counted.

use std::collections::BTreeMap;
use std::str::FromStr as _;

use bigdecimal::BigDecimal;
use serde_json::Value;
use time::Duration;

use super::Actor;
use crate::intake::{IntakeError, IntakeService};
use crate::intake_json::{Compare, FIELDS};
use billify_ports::documents::Draft;

/// The most confirmed drafts one report reads (the newest). Each comes with its whole
/// extraction (a few kilobytes), and the upload page reads the report on every view: a thousand
/// bounds that, and still gives a field's share to within about two points (95 % interval at a
/// share of 90 %).
pub const MAX_DRAFTS: u32 = 1_000;

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

    fn add(&mut self, other: Outcomes) {
        self.kept += other.kept;
        self.corrected += other.corrected;
        self.added += other.added;
        self.removed += other.removed;
    }
}

/// What the report says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadingAccuracy {
    /// Drafts uploaded within this many days are counted.
    pub days: u32,
    /// Confirmed drafts counted (those with a proposal).
    pub drafts: u64,
    /// Of those, confirmed without any change.
    pub unchanged: u64,
    /// Every field together.
    pub overall: Outcomes,
    /// Per field, in the order of the review form.
    pub fields: Vec<(&'static str, Outcomes)>,
    /// Per extraction method (`pdf_text`, `pdf_ocr`, `einvoice_ubl`, `einvoice_cii`): drafts and
    /// their fields together.
    pub methods: BTreeMap<&'static str, (u64, Outcomes)>,
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

/// Counts the confirmed drafts into a report.
pub fn measure(drafts: &[Draft], days: u32) -> ReadingAccuracy {
    let mut report = ReadingAccuracy { days, ..ReadingAccuracy::default() };
    let mut fields: Vec<(&'static str, Outcomes)> = FIELDS.iter().map(|(n, _, _)| (*n, Outcomes::default())).collect();
    for draft in drafts {
        let Ok(extraction) = serde_json::from_str::<Value>(&draft.extraction) else { continue };
        let Some(proposal) = extraction.get("proposed").and_then(Value::as_object) else { continue };
        let mut this = Outcomes::default();
        for ((name, get, compare), (_, total)) in FIELDS.iter().zip(fields.iter_mut()) {
            let proposed = proposal.get(*name).and_then(Value::as_str);
            if let Some(o) = outcome(proposed, get(&draft.fields).as_deref(), *compare) {
                total.add(o);
                this.add(o);
            }
        }
        report.drafts += 1;
        if this.kept == this.counted() {
            report.unchanged += 1;
        }
        report.overall.add(this);
        let method = report.methods.entry(draft.method.code()).or_default();
        method.0 += 1;
        method.1.add(this);
    }
    report.fields = fields;
    report
}

impl IntakeService {
    /// How well the organisation's documents uploaded in the last `days` days (1 to 3650) were
    /// read, from what people confirmed. Any member may see it: it holds counts only.
    pub fn reading_accuracy(&self, actor: &Actor, days: u32) -> Result<ReadingAccuracy, IntakeError> {
        if !(1..=3650).contains(&days) {
            return Err(IntakeError::Rule { field: "days", message: "must be between 1 and 3650".into() });
        }
        let since = self.clock.now() - Duration::days(i64::from(days));
        let drafts = self.drafts.confirmed_drafts(actor.organisation_id, since, MAX_DRAFTS)?;
        Ok(measure(&drafts, days))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::InvoiceInput;
    use crate::intake_json::proposal_json;
    use billify_domain::{OrganisationId, UserId};
    use billify_ports::documents::{DocumentDigest, DraftId};
    use billify_ports::intake::ExtractionMethod;
    use time::macros::datetime;
    use uuid::Uuid;

    fn draft(method: ExtractionMethod, proposed: &InvoiceInput, confirmed: InvoiceInput) -> Draft {
        let extraction = serde_json::json!({"method": method.code(), "proposed": proposal_json(proposed)});
        Draft {
            id: DraftId(Uuid::nil()),
            organisation_id: OrganisationId::from_uuid(Uuid::nil()),
            created_by: UserId::from_uuid(Uuid::nil()),
            digest: DocumentDigest::parse(&"ab".repeat(32)).unwrap(),
            method,
            fields: confirmed,
            extraction: extraction.to_string(),
            invoice_id: None,
            created_at: datetime!(2026-12-01 10:00 UTC),
            expires_at: datetime!(2026-12-02 10:00 UTC),
            version: 2,
        }
    }

    fn input(pairs: &[(&str, &str)]) -> InvoiceInput {
        let mut f = InvoiceInput::default();
        for (k, v) in pairs {
            let slot = match *k {
                "direction" => &mut f.direction,
                "invoice_number" => &mut f.invoice_number,
                "counterparty_name" => &mut f.counterparty_name,
                "counterparty_vat_number" => &mut f.counterparty_vat_number,
                "counterparty_iban" => &mut f.counterparty_iban,
                "due_date" => &mut f.due_date,
                "subtotal" => &mut f.subtotal,
                "total" => &mut f.total,
                "payment_reference" => &mut f.payment_reference,
                other => panic!("no field {other}"),
            };
            *slot = Some((*v).to_owned());
        }
        f
    }

    fn field(report: &ReadingAccuracy, name: &str) -> Outcomes {
        report.fields.iter().find(|(n, _)| *n == name).unwrap().1
    }

    #[test]
    fn fields_are_counted_as_kept_corrected_added_or_removed() {
        let proposed = input(&[
            ("direction", "payable"),
            ("invoice_number", "INV-7"),
            ("counterparty_name", "Bloc  Group BV"),
            ("counterparty_vat_number", "BE0123.456.749"),
            ("total", "1200.5"),
            ("subtotal", "990"),
            ("due_date", "2026-12-31"),
        ]);
        let confirmed = input(&[
            ("direction", "payable"),
            ("invoice_number", "INV-7"),
            ("counterparty_name", "bloc group bv"),
            ("counterparty_vat_number", "BE0123456749"),
            ("total", "1200.50"),
            ("subtotal", "992.15"),
            ("counterparty_iban", "BE68539007547034"),
            ("payment_reference", "+++090/9337/55493+++"),
        ]);
        let report = measure(&[draft(ExtractionMethod::PdfText, &proposed, confirmed)], 90);
        assert_eq!(report.drafts, 1);
        assert_eq!(report.unchanged, 0);
        for kept in ["direction", "invoice_number", "counterparty_name", "counterparty_vat_number", "total"] {
            assert_eq!(field(&report, kept), Outcomes { kept: 1, ..Outcomes::default() }, "{kept}");
        }
        assert_eq!(field(&report, "subtotal").corrected, 1);
        assert_eq!(field(&report, "counterparty_iban").added, 1);
        assert_eq!(field(&report, "payment_reference").added, 1);
        assert_eq!(field(&report, "due_date").removed, 1);
        assert_eq!(field(&report, "currency").counted(), 0, "empty on both sides is not counted");
        assert_eq!(report.overall, Outcomes { kept: 5, corrected: 1, added: 2, removed: 1 });
        assert_eq!(report.overall.permille_kept(), Some(556));
        assert_eq!(report.methods["pdf_text"], (1, report.overall));
    }

    #[test]
    fn drafts_without_a_proposal_are_not_counted() {
        let fields = input(&[("invoice_number", "INV-1"), ("total", "10")]);
        let mut old = draft(ExtractionMethod::PdfText, &fields, fields.clone());
        old.extraction = "{\"method\":\"pdf_text\"}".into();
        let same = draft(ExtractionMethod::EinvoiceUbl, &fields, fields.clone());
        let report = measure(&[old, same], 30);
        assert_eq!(report.drafts, 1);
        assert_eq!(report.unchanged, 1);
        assert_eq!(report.overall, Outcomes { kept: 2, ..Outcomes::default() });
        assert_eq!(report.methods.keys().copied().collect::<Vec<_>>(), vec!["einvoice_ubl"]);
        assert_eq!(Outcomes::default().permille_kept(), None);
    }
}
