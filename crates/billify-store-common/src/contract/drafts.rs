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

/// Confirmed drafts are listed newest first from a given upload time, scoped by organisation;
/// drafts awaiting review are not.
pub fn confirmed_drafts_are_listed_newest_first(store: &dyn Store) {
    let (org, user) = register(store, "anna@example.be");
    let (other, other_user) = register(store, "bert@example.nl");
    let confirm = |org, user, n: u8, number: &str, age: Duration| {
        let doc = document(org, n);
        let d = Draft { created_at: NOW - age, ..draft(org, user, &doc) };
        store.create_draft(&doc, &d).unwrap();
        let (invoice, events) = Invoice::create(
            InvoiceId::from_uuid(Uuid::now_v7()),
            org,
            new_invoice(number, "Bloc Group BV", date!(2026 - 04 - 01)),
            NOW,
            TODAY,
        )
        .unwrap();
        let confirmed = Draft { invoice_id: Some(invoice.id()), version: 2, ..d };
        store.confirm_draft(&confirmed, &invoice, &events, &audit_entry(org, AuditAction::DraftConfirmed)).unwrap();
        confirmed
    };
    let older = confirm(org.id, user.id, 20, "INV-20", Duration::days(10));
    let newer = confirm(org.id, user.id, 21, "INV-21", Duration::days(2));
    confirm(other.id, other_user.id, 22, "INV-22", Duration::days(1));
    let waiting = document(org.id, 23);
    store.create_draft(&waiting, &draft(org.id, user.id, &waiting)).unwrap();

    let ids = |since, limit| -> Vec<_> {
        store.confirmed_drafts(org.id, since, limit).unwrap().into_iter().map(|d| d.id).collect()
    };
    assert_eq!(ids(NOW - Duration::days(30), 10), vec![newer.id, older.id]);
    assert_eq!(ids(NOW - Duration::days(5), 10), vec![newer.id], "uploaded since");
    assert_eq!(ids(NOW - Duration::days(30), 1), vec![newer.id], "at most limit");
    assert_eq!(store.confirmed_drafts(org.id, NOW - Duration::days(30), 10).unwrap()[0], newer, "read back whole");
}
