//! The contract of [`AuditLog`] and [`OrganisationDataRepository`], run by both backends with
//! [`audit_contract_tests!`](crate::audit_contract_tests).

use std::cell::RefCell;

use billify_domain::{OrganisationId, UserId};
use billify_ports::audit::{
    AuditAction, AuditLog, AuditQuery, AuditTarget, GENESIS_HASH, GLOBAL_CHAIN, NewAuditEntry, verify_chains,
};
use billify_ports::bank::BankSource;
use billify_ports::documents::{DocumentDigest, DocumentStoreError};
use billify_ports::integrations::{IntegrationRepository, Provider};
use billify_ports::organisation_data::OrganisationDataRepository;
use billify_ports::reconciliation::{ReconciliationOutcome, ReconciliationRepository};
use billify_ports::{RepositoryError, Session};
use time::Duration;
use time::macros::date;

use super::Store;
use super::fixtures::{NOW, TODAY, bank_account, document, draft, eur, insert, new_invoice, register};

/// Everything the audit and organisation-data cases need of a store.
pub trait AuditStore:
    Store + AuditLog + OrganisationDataRepository + IntegrationRepository + ReconciliationRepository + Sync
{
}
impl<T> AuditStore for T where
    T: Store + AuditLog + OrganisationDataRepository + IntegrationRepository + ReconciliationRepository + Sync
{
}

/// Generates one `#[test]` per audit contract case, like
/// [`repository_contract_tests!`](crate::repository_contract_tests).
#[macro_export]
macro_rules! audit_contract_tests {
    ($make:expr) => {
        $crate::audit_contract_tests!(@cases $make;
            audit_entries_chain_per_organisation_and_verify,
            audit_entries_filter_and_page_newest_first,
            audit_concurrent_appends_are_serialised,
            audit_forged_content_does_not_match_its_hash,
            organisation_deletion_removes_everything_and_leaves_a_tombstone,
            audit_invoice_changes_are_stored_with_their_entry,
            audit_confirmations_and_reconciliation_are_stored_with_their_entry,
        );
    };
    (@cases $make:expr; $($case:ident),* $(,)?) => {
        $(
            #[test]
            fn $case() {
                let fixture = $make;
                $crate::contract::audit::$case(fixture.store());
            }
        )*
    };
}

fn entry(org: Option<OrganisationId>, actor: Option<UserId>, action: AuditAction, minutes: i64) -> NewAuditEntry {
    NewAuditEntry {
        organisation_id: org,
        actor,
        action,
        target: AuditTarget::new("invoice", format!("inv-{minutes}")),
        occurred_at: NOW + Duration::minutes(minutes),
        ip: Some("192.0.2.7".parse().expect("ip")),
        before: Some(serde_json::json!({"total": "100.00"})),
        after: Some(serde_json::json!({"total": "120.00", "password": "never stored"})),
    }
}

/// Each organisation has its own chain numbered from 1; user-level events go to the global
/// chain; every entry links to the previous one and the whole log verifies.
pub fn audit_entries_chain_per_organisation_and_verify<S: AuditStore>(store: &S) {
    let (org, user) = register(store, "anna@example.be");
    let (other, other_user) = register(store, "bert@example.nl");
    let first = store.append(&entry(Some(org.id), Some(user.id), AuditAction::InvoiceCreated, 0)).unwrap();
    let second = store.append(&entry(Some(org.id), Some(user.id), AuditAction::InvoiceUpdated, 1)).unwrap();
    let theirs = store.append(&entry(Some(other.id), Some(other_user.id), AuditAction::InvoiceCreated, 2)).unwrap();
    let global = store.append(&entry(None, None, AuditAction::LoginFailed, 3)).unwrap();
    assert_eq!((first.seq, second.seq, theirs.seq, global.seq), (1, 2, 1, 1));
    assert_eq!(first.prev_hash, GENESIS_HASH);
    assert_eq!(second.prev_hash, first.hash);
    assert_eq!(theirs.prev_hash, GENESIS_HASH);
    assert_eq!(global.chain, GLOBAL_CHAIN);
    assert_eq!(global.organisation_id, None);
    assert!(!first.after.as_deref().unwrap().contains("password"), "secrets are redacted");
    assert_eq!(first.ip.as_deref(), Some("192.0.2.7"));

    let mine = store.audit_entries(org.id, &AuditQuery { limit: 50, ..AuditQuery::default() }).unwrap();
    assert_eq!(mine, vec![second.clone(), first.clone()], "newest first, read back exactly");
    assert!(mine.iter().all(|e| e.computed_hash() == e.hash));
    let report = verify_chains(store).unwrap();
    assert_eq!((report.chains, report.entries, report.broken), (3, 4, None));
}

/// Filters combine with AND; pages continue below the previous page's last `seq`.
pub fn audit_entries_filter_and_page_newest_first<S: AuditStore>(store: &S) {
    let (org, user) = register(store, "anna@example.be");
    let (_, other_user) = register(store, "bert@example.nl");
    for minute in 0..5 {
        store.append(&entry(Some(org.id), Some(user.id), AuditAction::InvoiceCreated, minute)).unwrap();
    }
    store.append(&entry(Some(org.id), Some(other_user.id), AuditAction::InvoiceDeleted, 10)).unwrap();
    let query = |q: AuditQuery| store.audit_entries(org.id, &AuditQuery { limit: 50, ..q }).unwrap();
    let seqs = |q: AuditQuery| query(q).iter().map(|e| e.seq).collect::<Vec<_>>();
    assert_eq!(seqs(AuditQuery { action: Some("invoice.deleted".into()), ..AuditQuery::default() }), vec![6]);
    assert_eq!(seqs(AuditQuery { actor: Some(user.id), ..AuditQuery::default() }), vec![5, 4, 3, 2, 1]);
    assert_eq!(
        seqs(AuditQuery {
            from: Some(NOW + Duration::minutes(1)),
            to: Some(NOW + Duration::minutes(3)),
            ..AuditQuery::default()
        }),
        vec![3, 2]
    );
    assert_eq!(
        seqs(AuditQuery {
            target_kind: Some("invoice".into()),
            target_id: Some("inv-4".into()),
            ..AuditQuery::default()
        }),
        vec![5]
    );
    let page = store.audit_entries(org.id, &AuditQuery { limit: 4, ..AuditQuery::default() }).unwrap();
    assert_eq!(page.iter().map(|e| e.seq).collect::<Vec<_>>(), vec![6, 5, 4, 3]);
    assert_eq!(seqs(AuditQuery { before_seq: Some(3), ..AuditQuery::default() }), vec![2, 1]);
}

/// Appends racing on one chain get distinct, gap-free numbers and a valid chain.
pub fn audit_concurrent_appends_are_serialised<S: AuditStore>(store: &S) {
    let (org, user) = register(store, "anna@example.be");
    std::thread::scope(|scope| {
        for t in 0..4 {
            scope.spawn(move || {
                for i in 0..8 {
                    store.append(&entry(Some(org.id), Some(user.id), AuditAction::InvoiceUpdated, t * 10 + i)).unwrap();
                }
            });
        }
    });
    let all = store.audit_entries(org.id, &AuditQuery { limit: 200, ..AuditQuery::default() }).unwrap();
    let mut seqs = all.iter().map(|e| e.seq).collect::<Vec<_>>();
    seqs.sort_unstable();
    assert_eq!(seqs, (1..=32).collect::<Vec<_>>());
    assert_eq!(verify_chains(store).unwrap().broken, None);
}

/// An entry whose content changed no longer matches its hash (tampering in the database itself is
/// tested on the binary, `billify audit verify`).
pub fn audit_forged_content_does_not_match_its_hash<S: AuditStore>(store: &S) {
    let (org, user) = register(store, "anna@example.be");
    for minute in 0..3 {
        store.append(&entry(Some(org.id), Some(user.id), AuditAction::InvoicePaid, minute)).unwrap();
    }
    let entries = store.audit_chain_entries(*org.id.as_uuid(), 0, 10).unwrap();
    assert_eq!(entries.len(), 3);
    let mut forged = entries[1].clone();
    forged.after = Some(r#"{"total":"1.00"}"#.into());
    assert_ne!(forged.computed_hash(), forged.hash, "the stored hash no longer matches");
    assert_eq!(verify_chains(store).unwrap().broken, None);
}

/// Deleting an organisation removes all its rows (and asks for its documents' bytes to be
/// removed) in one transaction, leaves other organisations alone, and leaves a tombstone in the
/// global chain with the deleted chain's last hash; the log still verifies.
pub fn organisation_deletion_removes_everything_and_leaves_a_tombstone<S: AuditStore>(store: &S) {
    let (org, user) = register(store, "anna@example.be");
    let (other, other_user) = register(store, "bert@example.nl");
    for o in [org.id, other.id] {
        insert(store, o, new_invoice("INV-1", "Bloc Group BV", date!(2026 - 04 - 01)));
        let (account, _) = store.upsert_bank_account(o, BankSource::Statement, &bank_account("10.00"), NOW).unwrap();
        store.upsert_bank_transactions(o, account, &[super::fixtures::bank_transaction("t1", "1.00", 1)], NOW).unwrap();
    }
    let doc = document(org.id, 7);
    store.create_draft(&doc, &draft(org.id, user.id, &doc)).unwrap();
    store.begin_consent(org.id, Provider::Ponto, "state", "sealed", "session", user.id, NOW).unwrap();
    store
        .create_session(&Session {
            id: billify_domain::SessionId::from_uuid(uuid::Uuid::now_v7()),
            token_digest: "digest-anna".into(),
            user_id: user.id,
            organisation_id: org.id,
            created_at: NOW,
            expires_at: NOW + Duration::hours(1),
            last_seen_at: NOW,
            user_agent: None,
            ip: None,
        })
        .unwrap();
    let last = store.append(&entry(Some(org.id), Some(user.id), AuditAction::InvoiceCreated, 0)).unwrap();
    store.append(&entry(Some(other.id), Some(other_user.id), AuditAction::InvoiceCreated, 0)).unwrap();
    assert_eq!(store.all_drafts(org.id).unwrap().len(), 1);
    assert_eq!(store.all_documents(org.id).unwrap().len(), 1);

    let tombstone = NewAuditEntry {
        organisation_id: None,
        actor: Some(user.id),
        action: AuditAction::OrganisationDeleted,
        target: AuditTarget::new("organisation", org.id),
        occurred_at: NOW,
        ip: None,
        before: None,
        after: Some(serde_json::json!({"members": 1})),
    };
    // A failure to remove the bytes rolls everything back.
    let failing =
        store.delete_organisation(org.id, &tombstone, &|_| Err(DocumentStoreError::Io("disk on fire".into())));
    assert!(matches!(failing, Err(RepositoryError::Other(_))));
    assert!(store.organisation(org.id).unwrap().is_some());
    assert_eq!(store.audit_chains().unwrap().len(), 2, "no tombstone either");

    let removed: RefCell<Vec<DocumentDigest>> = RefCell::new(Vec::new());
    let deleted = store
        .delete_organisation(org.id, &tombstone, &|digests| {
            removed.borrow_mut().extend_from_slice(digests);
            Ok(())
        })
        .unwrap();
    assert_eq!((deleted.members, deleted.invoices, deleted.documents), (1, 1, 1));
    assert_eq!(removed.into_inner(), vec![doc.digest.clone()]);
    assert_eq!(deleted.audit_head.as_ref().map(|h| h.last_hash.clone()), Some(last.hash.clone()));

    assert_eq!(store.organisation(org.id).unwrap(), None);
    assert!(store.memberships_of(user.id).unwrap().is_empty());
    assert_eq!(store.find_session("digest-anna").unwrap(), None, "its sessions are gone");
    assert!(store.bank_accounts(org.id).unwrap().is_empty());
    assert!(store.integrations(org.id).unwrap().is_empty());
    assert!(store.all_drafts(org.id).unwrap().is_empty());
    assert!(store.all_documents(org.id).unwrap().is_empty());
    assert!(store.audit_entries(org.id, &AuditQuery { limit: 50, ..AuditQuery::default() }).unwrap().is_empty());
    assert_eq!(store.user(user.id).unwrap().map(|u| u.id), Some(user.id), "users are global and stay");

    assert_eq!(store.bank_accounts(other.id).unwrap().len(), 1, "other organisations are untouched");
    assert_eq!(store.audit_entries(other.id, &AuditQuery { limit: 50, ..AuditQuery::default() }).unwrap().len(), 1);

    let global = store.audit_chain_entries(GLOBAL_CHAIN, 0, 10).unwrap();
    assert_eq!(global.len(), 1);
    assert_eq!(global[0].action, "organisation.deleted");
    assert_eq!(global[0].target_id.as_deref(), Some(org.id.to_string().as_str()));
    assert!(global[0].after.as_deref().unwrap().contains(&last.hash), "the tombstone seals the deleted chain");
    assert_eq!(verify_chains(store).unwrap().broken, None);
    assert!(matches!(store.delete_organisation(org.id, &tombstone, &|_| Ok(())), Err(RepositoryError::NotFound)));
}

/// An invoice's change and the audit entry that records it are stored in one transaction: each
/// accepted write adds its entry, and a refused write (a stale version, a duplicate, a deletion of
/// what is gone) adds none.
pub fn audit_invoice_changes_are_stored_with_their_entry<S: AuditStore>(store: &S) {
    use billify_domain::{Invoice, InvoiceId};
    let (org, user) = register(store, "anna@example.be");
    let record = |action: AuditAction, minutes: i64| {
        let mut e = entry(Some(org.id), Some(user.id), action, minutes);
        e.target = AuditTarget::new("invoice", "the-invoice");
        e
    };
    let count = || store.audit_entries(org.id, &AuditQuery { limit: 100, ..AuditQuery::default() }).unwrap().len();
    let (invoice, events) = Invoice::create(
        InvoiceId::from_uuid(uuid::Uuid::now_v7()),
        org.id,
        new_invoice("INV-1", "Supplier BV", date!(2026 - 04 - 01)),
        NOW,
        TODAY,
    )
    .unwrap();
    store.insert_audited(&invoice, &events, &record(AuditAction::InvoiceCreated, 1)).unwrap();
    assert_eq!(count(), 1);
    assert!(matches!(
        store.insert_audited(&invoice, &events, &record(AuditAction::InvoiceCreated, 2)),
        Err(RepositoryError::Conflict(_))
    ));
    assert_eq!(count(), 1, "a refused insert records nothing");

    let mut paid = invoice.clone();
    let events = paid.record_payment(&eur("10.00"), NOW, TODAY).unwrap();
    paid.advance_version(NOW);
    store.update_audited(&paid, &events, &record(AuditAction::InvoicePaid, 3)).unwrap();
    assert_eq!(count(), 2);
    assert!(matches!(
        store.update_audited(&paid, &events, &record(AuditAction::InvoicePaid, 4)),
        Err(RepositoryError::StaleVersion { current: 2 })
    ));
    assert_eq!(count(), 2, "a stale update records nothing");

    let gone = [invoice.deletion_event(NOW)];
    assert!(matches!(
        store.delete_audited(org.id, invoice.id(), Some(1), &gone, &record(AuditAction::InvoiceDeleted, 5)),
        Err(RepositoryError::StaleVersion { current: 2 })
    ));
    assert_eq!(count(), 2, "a refused deletion records nothing");
    store.delete_audited(org.id, invoice.id(), Some(2), &gone, &record(AuditAction::InvoiceDeleted, 6)).unwrap();
    let actions: Vec<String> = store
        .audit_entries(org.id, &AuditQuery { limit: 100, ..AuditQuery::default() })
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    let expected = [AuditAction::InvoiceDeleted, AuditAction::InvoicePaid, AuditAction::InvoiceCreated];
    assert_eq!(actions, expected.map(|a| a.code().to_owned()));
    assert_eq!(verify_chains(store).unwrap().broken, None);
}

/// A draft's confirmation and a reconciliation step are stored with their audit entries, in one
/// transaction: a refused write records nothing.
pub fn audit_confirmations_and_reconciliation_are_stored_with_their_entry<S: AuditStore>(store: &S) {
    use billify_domain::{Invoice, InvoiceId};
    let (org, user) = register(store, "anna@example.be");
    let count = || store.audit_entries(org.id, &AuditQuery { limit: 100, ..AuditQuery::default() }).unwrap().len();
    let doc = document(org.id, 7);
    let d = draft(org.id, user.id, &doc);
    store.create_draft(&doc, &d).unwrap();
    let (invoice, events) = Invoice::create(
        InvoiceId::from_uuid(uuid::Uuid::now_v7()),
        org.id,
        new_invoice("INV-7", "Supplier BV", date!(2026 - 04 - 01)),
        NOW,
        TODAY,
    )
    .unwrap();
    let mut confirmed = d.clone();
    confirmed.invoice_id = Some(invoice.id());
    confirmed.version = 3;
    let record = entry(Some(org.id), Some(user.id), AuditAction::DraftConfirmed, 1);
    assert!(matches!(
        store.confirm_draft(&confirmed, &invoice, &events, &record),
        Err(RepositoryError::StaleVersion { current: 1 })
    ));
    assert_eq!(count(), 0, "a refused confirmation records nothing");
    confirmed.version = 2;
    store.confirm_draft(&confirmed, &invoice, &events, &record).unwrap();
    assert_eq!(count(), 1);

    let rejected = ReconciliationOutcome {
        decision: Some(billify_ports::SuggestionDecision {
            suggestion_id: uuid::Uuid::now_v7(),
            status: billify_ports::SuggestionStatus::Rejected,
            decided_by: user.id,
        }),
        audit: vec![entry(Some(org.id), Some(user.id), AuditAction::SuggestionRejected, 2)],
        ..ReconciliationOutcome::default()
    };
    assert!(matches!(store.save_outcome(org.id, &rejected, NOW), Err(RepositoryError::Conflict(_))));
    assert_eq!(count(), 1, "a refused reconciliation step records nothing");
    let step = ReconciliationOutcome {
        audit: vec![entry(Some(org.id), None, AuditAction::PaymentMatched, 3)],
        ..ReconciliationOutcome::default()
    };
    store.save_outcome(org.id, &step, NOW).unwrap();
    assert_eq!(count(), 2);
    assert_eq!(verify_chains(store).unwrap().broken, None);
}
