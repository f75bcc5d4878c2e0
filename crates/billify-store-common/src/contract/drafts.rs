//! The contract of [`DraftRepository`]: drafts, their atomic confirmation and the collection of
//! unreferenced documents.

use billify_domain::{Invoice, InvoiceId};
use billify_ports::RepositoryError;
use billify_ports::documents::{DocumentStoreError, Draft};
use billify_ports::intake::ExtractionMethod;
use std::cell::Cell;
use time::Duration;
use time::macros::date;
use uuid::Uuid;

use super::Store;
use super::fixtures::{NOW, TODAY, audit_entry, document, draft, insert, new_invoice, register};
use billify_ports::AuditAction;

/// Drafts read back exactly; a document has at most one draft; updates honour the version.
pub fn drafts_round_trip_one_per_document(store: &dyn Store) {
    let (org, user) = register(store, "anna@example.be");
    let (other, _) = register(store, "bert@example.nl");
    let doc = document(org.id, 1);
    let d = draft(org.id, user.id, &doc);
    store.create_draft(&doc, &d).unwrap();
    assert_eq!(store.draft(org.id, d.id).unwrap(), Some(d.clone()));
    assert_eq!(store.draft_of_document(org.id, &doc.digest).unwrap(), Some(d.clone()));
    assert_eq!(store.draft(other.id, d.id).unwrap(), None, "scoped by organisation");
    assert!(matches!(store.create_draft(&doc, &draft(org.id, user.id, &doc)), Err(RepositoryError::Conflict(_))));
    let mut changed = d.clone();
    changed.fields.total = Some("400.00".into());
    changed.fields.due_date = None;
    changed.version = 2;
    store.update_draft(&changed).unwrap();
    assert_eq!(store.draft(org.id, d.id).unwrap(), Some(changed.clone()));
    assert!(matches!(store.update_draft(&changed), Err(RepositoryError::StaleVersion { current: 2 })));
    assert!(store.expired_drafts(org.id, NOW + Duration::hours(23), 10).unwrap().is_empty());
    assert_eq!(store.expired_drafts(org.id, NOW + Duration::hours(25), 10).unwrap(), vec![changed]);
    store.delete_draft(org.id, d.id).unwrap();
    assert!(matches!(store.delete_draft(org.id, d.id), Err(RepositoryError::NotFound)));
    // Every extraction method is stored and read back (a scan read by OCR included).
    for (n, method) in [
        ExtractionMethod::EinvoiceUbl,
        ExtractionMethod::EinvoiceCii,
        ExtractionMethod::PdfText,
        ExtractionMethod::PdfOcr,
    ]
    .into_iter()
    .enumerate()
    {
        let doc = document(org.id, 10 + u8::try_from(n).unwrap());
        let d = Draft { method, ..draft(org.id, user.id, &doc) };
        store.create_draft(&doc, &d).unwrap();
        assert_eq!(store.draft(org.id, d.id).unwrap().map(|d| d.method), Some(method));
    }
}

/// Confirming stores the invoice, its events, the document link and the draft together, or
/// nothing.
pub fn drafts_confirm_atomically(store: &dyn Store) {
    let (org, user) = register(store, "anna@example.be");
    let existing = insert(store, org.id, new_invoice("INV-1", "Bloc Group BV", date!(2026 - 04 - 01)));
    let doc = document(org.id, 2);
    let d = draft(org.id, user.id, &doc);
    store.create_draft(&doc, &d).unwrap();
    let (dup, events) = Invoice::create(
        InvoiceId::from_uuid(Uuid::now_v7()),
        org.id,
        new_invoice("INV-1", "Bloc Group BV", date!(2026 - 04 - 01)),
        NOW,
        TODAY,
    )
    .unwrap();
    let confirmation = audit_entry(org.id, AuditAction::DraftConfirmed);
    let mut confirmed = d.clone();
    confirmed.invoice_id = Some(dup.id());
    confirmed.version = 2;
    assert!(matches!(store.confirm_draft(&confirmed, &dup, &events, &confirmation), Err(RepositoryError::Conflict(_))));
    assert_eq!(store.draft(org.id, d.id).unwrap(), Some(d.clone()), "the draft is untouched");
    assert_eq!(store.get(org.id, dup.id()).unwrap(), None);
    assert!(store.events(org.id, dup.id()).unwrap().is_empty());

    let (fresh, events) = Invoice::create(
        InvoiceId::from_uuid(Uuid::now_v7()),
        org.id,
        new_invoice("INV-2", "Bloc Group BV", date!(2026 - 04 - 01)),
        NOW,
        TODAY,
    )
    .unwrap();
    confirmed.invoice_id = Some(fresh.id());
    store.confirm_draft(&confirmed, &fresh, &events, &confirmation).unwrap();
    assert_eq!(store.get(org.id, fresh.id()).unwrap(), Some(fresh.clone()));
    assert_eq!(store.draft(org.id, d.id).unwrap(), Some(confirmed.clone()));
    assert_eq!(store.document_of_invoice(org.id, fresh.id()).unwrap(), Some(doc));
    assert_eq!(store.document_of_invoice(org.id, existing.id()).unwrap(), None);
    assert!(matches!(
        store.confirm_draft(&confirmed, &fresh, &[], &confirmation),
        Err(RepositoryError::StaleVersion { current: 2 })
    ));
}

/// A document is removed only when no draft and no invoice refers to it, and its bytes are
/// removed in the same step.
pub fn documents_are_collected_only_when_unreferenced(store: &dyn Store) {
    let (org, user) = register(store, "anna@example.be");
    let doc = document(org.id, 3);
    let d = draft(org.id, user.id, &doc);
    store.create_draft(&doc, &d).unwrap();
    let removed = Cell::new(0);
    let remove = || {
        removed.set(removed.get() + 1);
        Ok(())
    };
    assert!(!store.delete_unreferenced_document(org.id, &doc.digest, &remove).unwrap());
    assert_eq!(removed.get(), 0);
    store.delete_draft(org.id, d.id).unwrap();
    assert!(store.delete_unreferenced_document(org.id, &doc.digest, &remove).unwrap());
    assert_eq!(removed.get(), 1);
    // Bytes without a record (a crash between writing the file and committing its draft) are
    // removed too.
    assert!(store.delete_unreferenced_document(org.id, &doc.digest, &remove).unwrap(), "stray bytes");
    assert_eq!(removed.get(), 2);
    // When removing the bytes fails, the record stays.
    let doc = document(org.id, 4);
    let d = draft(org.id, user.id, &doc);
    store.create_draft(&doc, &d).unwrap();
    store.delete_draft(org.id, d.id).unwrap();
    assert!(
        store
            .delete_unreferenced_document(org.id, &doc.digest, &|| Err(DocumentStoreError::Io("disk on fire".into())))
            .is_err()
    );
    store.create_draft(&doc, &draft(org.id, user.id, &doc)).unwrap();
    assert!(!store.delete_unreferenced_document(org.id, &doc.digest, &remove).unwrap(), "the record survived");
    assert_eq!(removed.get(), 2, "a referenced document's bytes are never removed");
}

/// Confirmed drafts' readings are counted per method and reading from a given upload time,
/// scoped by organisation; drafts awaiting review and unmeasured drafts are not. Unmeasured
/// confirmed drafts are listed until their reading is recorded.
pub fn confirmed_readings_are_counted_per_method_and_reading(store: &dyn Store) {
    let (org, user) = register(store, "anna@example.be");
    let (other, other_user) = register(store, "bert@example.nl");
    let confirm = |org, user, n: u8, method, reading: Option<&str>, age: Duration| {
        let doc = document(org, n);
        let d = Draft { created_at: NOW - age, method, ..draft(org, user, &doc) };
        store.create_draft(&doc, &d).unwrap();
        let (invoice, events) = Invoice::create(
            InvoiceId::from_uuid(Uuid::now_v7()),
            org,
            new_invoice(&format!("INV-{n}"), "Bloc Group BV", date!(2026 - 04 - 01)),
            NOW,
            TODAY,
        )
        .unwrap();
        let confirmed = Draft { invoice_id: Some(invoice.id()), version: 2, reading: reading.map(str::to_owned), ..d };
        store.confirm_draft(&confirmed, &invoice, &events, &audit_entry(org, AuditAction::DraftConfirmed)).unwrap();
        confirmed
    };
    let (text, ubl) = (ExtractionMethod::PdfText, ExtractionMethod::EinvoiceUbl);
    confirm(org.id, user.id, 20, text, Some("total:k,subtotal:c"), Duration::days(10));
    confirm(org.id, user.id, 21, text, Some("total:k,subtotal:c"), Duration::days(2));
    confirm(org.id, user.id, 22, text, Some("total:k"), Duration::days(3));
    confirm(org.id, user.id, 23, ubl, Some("total:k,subtotal:c"), Duration::days(4));
    confirm(org.id, user.id, 24, text, Some(""), Duration::days(4));
    let unmeasured = confirm(org.id, user.id, 25, text, None, Duration::days(1));
    confirm(other.id, other_user.id, 26, text, Some("total:k"), Duration::days(1));
    let waiting = document(org.id, 27);
    let waiting_draft = Draft { reading: Some("total:k".into()), ..draft(org.id, user.id, &waiting) };
    store.create_draft(&waiting, &waiting_draft).unwrap();

    let counts = |since| {
        let mut c: Vec<(&str, String, u64)> = store
            .reading_counts(org.id, since)
            .unwrap()
            .into_iter()
            .map(|r| (r.method.code(), r.reading, r.drafts))
            .collect();
        c.sort();
        c
    };
    let pair = |m: &'static str, r: &str, n| (m, r.to_owned(), n);
    assert_eq!(
        counts(NOW - Duration::days(30)),
        vec![
            pair("einvoice_ubl", "total:k,subtotal:c", 1),
            pair("pdf_text", "", 1),
            pair("pdf_text", "total:k", 1),
            pair("pdf_text", "total:k,subtotal:c", 2),
        ]
    );
    assert_eq!(
        counts(NOW - Duration::days(5)),
        vec![
            pair("einvoice_ubl", "total:k,subtotal:c", 1),
            pair("pdf_text", "", 1),
            pair("pdf_text", "total:k", 1),
            pair("pdf_text", "total:k,subtotal:c", 1),
        ],
        "uploaded since"
    );

    let listed: Vec<_> = store.unmeasured_drafts(org.id, 10).unwrap().into_iter().map(|d| d.id).collect();
    assert_eq!(listed, vec![unmeasured.id], "only confirmed drafts without a reading");
    assert_eq!(store.unmeasured_drafts(org.id, 10).unwrap()[0], unmeasured, "read back whole");
    assert!(matches!(store.set_draft_reading(other.id, unmeasured.id, "total:r"), Err(RepositoryError::NotFound)));
    assert!(matches!(store.set_draft_reading(org.id, waiting_draft.id, "x:k"), Err(RepositoryError::NotFound)));
    store.set_draft_reading(org.id, unmeasured.id, "total:r").unwrap();
    assert!(store.unmeasured_drafts(org.id, 10).unwrap().is_empty());
    assert!(counts(NOW - Duration::days(30)).contains(&pair("pdf_text", "total:r", 1)));
    assert_eq!(store.draft(org.id, unmeasured.id).unwrap().unwrap().reading.as_deref(), Some("total:r"));
}
