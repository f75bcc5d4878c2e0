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
//!
//! The outcomes are worked out once, when a draft is confirmed, and stored with it as its
//! reading ([`reading_of`]; drafts confirmed before readings were stored are measured by the
//! periodic job, [`IntakeService::measure_confirmed_drafts`]). A report adds up the readings,
//! grouped by the store: one row per method and distinct reading, far fewer than drafts.

use std::collections::BTreeMap;

use time::Duration;

use super::Actor;
use crate::intake::{IntakeError, IntakeService};
use crate::intake_json::FIELDS;
pub use crate::reading::{Outcomes, reading_of};
use billify_ports::RepositoryError;
use billify_ports::documents::ReadingCount;

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

/// Adds up the stored readings into a report. Unknown fields or letters (a reading written by
/// a later version) are skipped; an empty reading is no measured draft.
pub fn measure(counts: &[ReadingCount], days: u32) -> ReadingAccuracy {
    let mut report = ReadingAccuracy { days, ..ReadingAccuracy::default() };
    let mut fields: Vec<(&'static str, Outcomes)> = FIELDS.iter().map(|(n, _, _)| (*n, Outcomes::default())).collect();
    for count in counts {
        if count.reading.is_empty() || count.drafts == 0 {
            continue;
        }
        let mut this = Outcomes::default();
        for pair in count.reading.split(',') {
            let Some((name, letter)) = pair.split_once(':') else { continue };
            let Some(o) = Outcomes::of_letter(letter) else { continue };
            let Some((_, total)) = fields.iter_mut().find(|(n, _)| *n == name) else { continue };
            total.add(o.times(count.drafts));
            this.add(o);
        }
        report.drafts += count.drafts;
        if this.kept == this.counted() {
            report.unchanged += count.drafts;
        }
        report.overall.add(this.times(count.drafts));
        let method = report.methods.entry(count.method.code()).or_default();
        method.0 += count.drafts;
        method.1.add(this.times(count.drafts));
    }
    report.fields = fields;
    report
}

/// The most unmeasured drafts read per organisation and step of the periodic job.
const MEASURE_BATCH: u32 = 500;

fn check_days(days: u32) -> Result<(), IntakeError> {
    if !(1..=3650).contains(&days) {
        return Err(IntakeError::Rule { field: "days", message: "must be between 1 and 3650".into() });
    }
    Ok(())
}

impl IntakeService {
    /// How well the organisation's documents uploaded in the last `days` days (1 to 3650) were
    /// read, from what people confirmed. Any member may see it: it holds counts only.
    pub fn reading_accuracy(&self, actor: &Actor, days: u32) -> Result<ReadingAccuracy, IntakeError> {
        check_days(days)?;
        let since = self.clock.now() - Duration::days(i64::from(days));
        Ok(measure(&self.drafts.reading_counts(actor.organisation_id, since)?, days))
    }

    /// The same report over every organisation together, for the operator
    /// (`billify reading-accuracy`): counts only, nothing that names an organisation, a
    /// document or a value.
    pub fn reading_accuracy_of_all(&self, days: u32) -> Result<ReadingAccuracy, IntakeError> {
        check_days(days)?;
        let since = self.clock.now() - Duration::days(i64::from(days));
        let mut counts = Vec::new();
        self.each_organisation(|org| {
            counts.extend(self.drafts.reading_counts(org, since)?);
            Ok(())
        })?;
        Ok(measure(&counts, days))
    }

    /// Records the reading of every confirmed draft that has none yet (confirmed before
    /// readings were stored). Returns how many were measured. Run by the periodic job; after the
    /// first run it finds nothing.
    pub fn measure_confirmed_drafts(&self) -> Result<usize, IntakeError> {
        let mut measured = 0;
        self.each_organisation(|org| {
            loop {
                let drafts = self.drafts.unmeasured_drafts(org, MEASURE_BATCH)?;
                let full = drafts.len() == MEASURE_BATCH as usize;
                for draft in drafts {
                    match self.drafts.set_draft_reading(org, draft.id, &reading_of(&draft)) {
                        Ok(()) => measured += 1,
                        // Deleted meanwhile (its organisation removed): nothing to measure.
                        Err(RepositoryError::NotFound) => {}
                        Err(e) => return Err(e.into()),
                    }
                }
                if !full {
                    return Ok(());
                }
            }
        })?;
        Ok(measured)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::InvoiceInput;
    use crate::intake_json::proposal_json;
    use billify_domain::{OrganisationId, UserId};
    use billify_ports::documents::{DocumentDigest, Draft, DraftId};
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
            reading: None,
        }
    }

    /// The drafts as the store would count them: grouped by method and reading.
    fn counts(drafts: &[Draft]) -> Vec<ReadingCount> {
        let mut grouped: BTreeMap<(&'static str, String), (ExtractionMethod, u64)> = BTreeMap::new();
        for d in drafts {
            grouped.entry((d.method.code(), reading_of(d))).or_insert((d.method, 0)).1 += 1;
        }
        grouped.into_iter().map(|((_, reading), (method, drafts))| ReadingCount { method, reading, drafts }).collect()
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
        let measured = draft(ExtractionMethod::PdfText, &proposed, confirmed);
        assert_eq!(
            reading_of(&measured),
            "direction:k,invoice_number:k,counterparty_name:k,counterparty_vat_number:k,counterparty_iban:a,\
             due_date:r,subtotal:c,total:k,payment_reference:a"
        );
        let report = measure(&counts(&[measured]), 90);
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
        assert_eq!(reading_of(&old), "");
        let report = measure(&counts(&[old, same]), 30);
        assert_eq!(report.drafts, 1);
        assert_eq!(report.unchanged, 1);
        assert_eq!(report.overall, Outcomes { kept: 2, ..Outcomes::default() });
        assert_eq!(report.methods.keys().copied().collect::<Vec<_>>(), vec!["einvoice_ubl"]);
        assert_eq!(Outcomes::default().permille_kept(), None);
    }

    #[test]
    fn grouped_readings_count_per_draft_and_unknown_pairs_are_skipped() {
        let rows = vec![
            ReadingCount { method: ExtractionMethod::PdfText, reading: "total:k,subtotal:c".into(), drafts: 3 },
            // Written by a later version: a field and a letter this one does not know.
            ReadingCount { method: ExtractionMethod::PdfOcr, reading: "total:k,colour:k,due_date:x".into(), drafts: 2 },
            ReadingCount { method: ExtractionMethod::PdfOcr, reading: String::new(), drafts: 7 },
        ];
        let report = measure(&rows, 90);
        assert_eq!(report.drafts, 5);
        assert_eq!(report.unchanged, 2);
        assert_eq!(field(&report, "total").kept, 5);
        assert_eq!(field(&report, "subtotal").corrected, 3);
        assert_eq!(field(&report, "due_date").counted(), 0);
        assert_eq!(report.overall, Outcomes { kept: 5, corrected: 3, ..Outcomes::default() });
        assert_eq!(report.methods["pdf_ocr"], (2, Outcomes { kept: 2, ..Outcomes::default() }));
        assert_eq!(report.methods["pdf_text"], (3, Outcomes { kept: 3, corrected: 3, ..Outcomes::default() }));
    }
}
