//! Labels particular kinds of software print: e-invoice viewers' EN 16931 business terms,
//! ticketing and shop software's cancellations, and web shops' address forms. Matched with
//! [`super::labels::LABELS`] (lower case, diacritics folded).

use super::kind::Kind;

/// (label, kind), as in [`super::labels::LABELS`].
pub(crate) const SOFTWARE_LABELS: &[(&str, Kind)] = &[
    // EN 16931 business terms, as e-invoice viewers print them (BT-109, BT-110, BT-112, BT-113,
    // BT-115 and their German names in the XRechnung visualisation).
    ("invoice total amount without vat", Kind::Subtotal),
    ("total amount without vat", Kind::Subtotal),
    ("amount without vat", Kind::Subtotal),
    ("gesamtsumme ohne umsatzsteuer", Kind::Subtotal),
    ("gesamtbetrag ohne umsatzsteuer", Kind::Subtotal),
    ("summe ohne umsatzsteuer", Kind::Subtotal),
    ("invoice total vat amount", Kind::Vat),
    ("total vat amount", Kind::Vat),
    ("gesamtbetrag der umsatzsteuer", Kind::Vat),
    ("summe umsatzsteuer", Kind::Vat),
    ("invoice total amount with vat", Kind::Total),
    ("total amount with vat", Kind::Total),
    ("falliger zahlungsbetrag", Kind::Due),
    ("zahlungsbetrag", Kind::Due),
    ("paid amount", Kind::Prepaid),
    ("gezahlter betrag", Kind::Prepaid),
    ("payment account identifier", Kind::Iban),
    ("kennung des zahlungskontos", Kind::Iban),
    ("vat identifier", Kind::VatId),
    ("seller vat identifier", Kind::VatId),
    ("buyer vat identifier", Kind::VatId),
    // The number and date of a cancellation (a credit note voiding an invoice), as ticketing
    // and shop software prints them beside the original invoice's ("Ursprüngl. Rechnung").
    ("korrekturnummer", Kind::InvoiceNumber),
    ("stornonummer", Kind::InvoiceNumber),
    ("cancellation number", Kind::InvoiceNumber),
    ("annuleringsnummer", Kind::InvoiceNumber),
    ("numero d'annulation", Kind::InvoiceNumber),
    ("korrekturdatum", Kind::IssueDate),
    ("stornodatum", Kind::IssueDate),
    ("cancellation date", Kind::IssueDate),
    ("annuleringsdatum", Kind::IssueDate),
    ("annulatiedatum", Kind::IssueDate),
    ("date d'annulation", Kind::IssueDate),
    ("ursprungl. rechnung", Kind::Other),
    ("ursprungliche rechnung", Kind::Other),
    ("ursprungl. rechnungsdatum", Kind::Other),
    ("original invoice date", Kind::Other),
    ("originele factuurdatum", Kind::Other),
    ("date de facturation initiale", Kind::Other),
    // "Original invoice #25001959" (django-oscar-invoices' title: the first issue, not a copy).
    ("original invoice #", Kind::InvoiceNumber),
    // A web shop's address form printed as it was filled in ("First name:  Anna" / "Last
    // name:  Jansen"): see `parties::names::form_name`.
    ("first name", Kind::Other),
    ("last name", Kind::Other),
    ("voornaam", Kind::Other),
    ("achternaam", Kind::Other),
    ("prenom", Kind::Other),
    ("vorname", Kind::Other),
    ("nachname", Kind::Other),
];

/// "Rechnung des Versicherers (575) Nr. 01.234.567.8-2026-1 vom 06.03.2026", "Mietrechnung
/// (387) Nr.", "Commercial invoice (380) No.": an e-invoice viewer's headline, the document
/// type's name and its UNTDID 1001 code in brackets before the number label. Any type name
/// that names an invoice or credit note; returns the label's length up to the number.
pub(crate) fn typed_title_number(norm_text: &str) -> Option<(Kind, usize)> {
    static TITLE: std::sync::LazyLock<Option<regex::Regex>> = std::sync::LazyLock::new(|| {
        // The type's name may hold a bracketed note: "Gutschrift (Selbst ausgestellte Rechnung)
        // (389) Nr.".
        regex::Regex::new(r"^([a-z][a-z .\-/()]{2,60}?) \(\d{3}\) (?:nr\.?|no\.?|n°|nummer)(?: |$)").ok()
    });
    const DOCUMENT_WORDS: &[&str] =
        &["rechnung", "gutschrift", "invoice", "credit note", "facture", "avoir", "factuur", "creditnota"];
    if !norm_text.contains(") ") {
        return None;
    }
    let caps = TITLE.as_ref()?.captures(norm_text)?;
    let name = caps.get(1)?.as_str();
    if !DOCUMENT_WORDS.iter().any(|w| name.contains(w)) {
        return None;
    }
    // The label ends at its word; the value's reading skips the dot after it.
    let end = caps.get(0)?.as_str().trim_end().trim_end_matches('.');
    Some((Kind::InvoiceNumber, end.chars().count()))
}
