//! The contract of [`AccountingRepository`], run by both backends with
//! [`accounting_contract_tests!`](crate::accounting_contract_tests).

use billify_domain::Direction;
use billify_ports::RepositoryError;
use billify_ports::accounting::{
    AccountingItem, AccountingRegion, AccountingRepository, AccountingSettings, AuditedInvoice, ItemSide,
};
use billify_ports::audit::{AuditAction, AuditLog, AuditQuery, verify_chains};
use billify_ports::integrations::{Integration, IntegrationRepository, IntegrationStatus, Provider};
use time::macros::date;
use uuid::Uuid;

use super::Store;
use super::fixtures::{NOW, TODAY, audit_entry, insert, new_invoice, noted, register};

/// Everything an accounting sync needs of a store.
pub trait AccountingStore: Store + IntegrationRepository + AccountingRepository + AuditLog {}
impl<T> AccountingStore for T where T: Store + IntegrationRepository + AccountingRepository + AuditLog {}

/// Generates one `#[test]` per accounting contract case.
#[macro_export]
macro_rules! accounting_contract_tests {
    ($make:expr) => {
        $crate::accounting_contract_tests!(@cases $make;
            accounting_integration_is_created_once_per_provider_and_scoped,
            accounting_calls_are_counted_per_day,
            accounting_items_are_upserted_listed_and_flagged,
            accounting_invoice_is_found_by_number,
            accounting_invoices_are_inserted_audited_all_or_none,
        );
    };
    (@cases $make:expr; $($case:ident),* $(,)?) => {
        $(
            #[test]
            fn $case() {
                let fixture = $make;
                $crate::contract::accounting::$case(fixture.store());
            }
        )*
    };
}

pub(super) fn yuki(org: billify_domain::OrganisationId, user: billify_domain::UserId) -> Integration {
    Integration {
        organisation_id: org,
        id: Uuid::now_v7(),
        provider: Provider::Yuki,
        status: IntegrationStatus::Connected,
        has_tokens: true,
        token_version: 1,
        consent_expires_at: None,
        connected_by: Some(user),
        last_attempt_at: None,
        last_success_at: None,
        last_error: None,
        consecutive_failures: 0,
        next_sync_at: Some(NOW),
        bank_sync_requested_at: None,
        pending_synchronizations: Vec::new(),
        accounting: None,
        calls_day: Some(date!(2026 - 12 - 06)),
        calls_used: 1,
        created_at: NOW,
        updated_at: NOW,
    }
}

pub(super) fn settings(admin: Option<&str>) -> AccountingSettings {
    AccountingSettings { region: AccountingRegion::Be, administration_id: admin.map(str::to_owned) }
}

/// Created connected with its sealed key and settings; one live per provider; another
/// organisation cannot see or change it; disconnected, a new one may be created.
pub fn accounting_integration_is_created_once_per_provider_and_scoped<S: AccountingStore>(store: &S) {
    let (org, user) = register(store, "anna@example.be");
    let (other, _) = register(store, "bert@example.nl");
    let i = yuki(org.id, user.id);
    store.create_accounting_integration(&i, &settings(None), "v1.k.sealed", &noted()).unwrap();
    let stored = store.integration(org.id, i.id).unwrap().expect("stored");
    assert_eq!(stored.provider, Provider::Yuki);
    assert_eq!(stored.status, IntegrationStatus::Connected);
    assert!(stored.has_tokens);
    assert_eq!(stored.accounting, Some(settings(None)));
    assert_eq!((stored.calls_day, stored.calls_used), (Some(date!(2026 - 12 - 06)), 1));
    assert_eq!(store.sealed_tokens(org.id, i.id).unwrap(), Some(("v1.k.sealed".into(), 1)));
    assert_eq!(store.integration(other.id, i.id).unwrap(), None);
    let twice = store.create_accounting_integration(&yuki(org.id, user.id), &settings(None), "v1.k.x", &noted());
    assert!(matches!(twice, Err(RepositoryError::Conflict(_))), "{twice:?}");

    assert!(!store.save_accounting_settings(other.id, i.id, &settings(Some("adm")), NOW, &noted()).unwrap());
    assert!(store.save_accounting_settings(org.id, i.id, &settings(Some("adm")), NOW, &noted()).unwrap());
    assert_eq!(store.integration(org.id, i.id).unwrap().unwrap().accounting, Some(settings(Some("adm"))));

    store.disconnect(org.id, i.id, NOW).unwrap();
    assert!(!store.save_accounting_settings(org.id, i.id, &settings(None), NOW, &noted()).unwrap(), "disconnected");
    store.create_accounting_integration(&yuki(org.id, user.id), &settings(None), "v1.k.y", &noted()).unwrap();
    // A Ponto integration has no accounting settings.
    let ponto = store.begin_consent(org.id, Provider::Ponto, "s", "v", "d", user.id, NOW).unwrap();
    assert_eq!(ponto.accounting, None);
}

/// Calls add up within a day and start again on the next one.
pub fn accounting_calls_are_counted_per_day<S: AccountingStore>(store: &S) {
    let (org, user) = register(store, "anna@example.be");
    let i = yuki(org.id, user.id);
    store.create_accounting_integration(&i, &settings(None), "sealed", &noted()).unwrap();
    let day = date!(2026 - 12 - 06);
    assert_eq!(store.count_calls(org.id, i.id, day, 3).unwrap(), 4);
    assert_eq!(store.count_calls(org.id, i.id, day, 0).unwrap(), 4);
    assert_eq!(store.count_calls(org.id, i.id, date!(2026 - 12 - 07), 2).unwrap(), 2, "a new day");
    assert_eq!(store.count_calls(org.id, i.id, day, 5).unwrap(), 2, "an earlier day's calls do not add");
    let stored = store.integration(org.id, i.id).unwrap().unwrap();
    assert_eq!((stored.calls_day, stored.calls_used), (Some(date!(2026 - 12 - 07)), 2));
    let (other, _) = register(store, "bert@example.nl");
    assert!(matches!(store.count_calls(other.id, i.id, day, 1), Err(RepositoryError::NotFound)));
}

/// Items are upserted by id, listed with what tells a change, flagged ones listed apart, and
/// scoped by organisation and integration.
pub fn accounting_items_are_upserted_listed_and_flagged<S: AccountingStore>(store: &S) {
    let (org, user) = register(store, "anna@example.be");
    let i = yuki(org.id, user.id);
    store.create_accounting_integration(&i, &settings(None), "sealed", &noted()).unwrap();
    let invoice = insert(store, org.id, new_invoice("2026-1", "Acme NV", date!(2026 - 12 - 31)));
    let item = |id: &str, flags: &[&str]| AccountingItem {
        organisation_id: org.id,
        integration_id: i.id,
        item_id: id.into(),
        side: ItemSide::Debtor,
        invoice_id: flags.is_empty().then_some(invoice.id()),
        outstanding: true,
        fingerprint: format!("fp-{id}"),
        flags: flags.iter().map(|f| (*f).to_owned()).collect(),
        reference: Some(id.to_owned()),
        open_amount: Some("10.00".into()),
        original_amount: Some("12.50".into()),
        currency: None,
        last_seen_at: NOW,
        closed_at: None,
    };
    store.save_items(&[item("a", &[]), item("b", &["unknown_currency", "missing_due_date"])]).unwrap();
    let mut known = store.known_items(org.id, i.id).unwrap();
    known.sort_by(|x, y| x.item_id.cmp(&y.item_id));
    assert_eq!(known.len(), 2);
    assert_eq!((known[0].invoice_id, known[0].outstanding), (Some(invoice.id()), true));
    assert_eq!(known[1].invoice_id, None);
    let closed =
        AccountingItem { outstanding: false, closed_at: Some(NOW), fingerprint: "fp-2".into(), ..item("a", &[]) };
    store.save_items(std::slice::from_ref(&closed)).unwrap();
    let known = store.known_items(org.id, i.id).unwrap();
    let a = known.iter().find(|k| k.item_id == "a").unwrap();
    assert_eq!((a.outstanding, a.fingerprint.as_str()), (false, "fp-2"), "replaced, not duplicated");
    assert_eq!(known.len(), 2);
    let flagged = store.flagged_items(org.id, i.id, 10).unwrap();
    assert_eq!(flagged.len(), 1);
    assert_eq!(flagged[0], item("b", &["unknown_currency", "missing_due_date"]));
    let again = store.known_items(org.id, i.id).unwrap();
    assert!(again.iter().any(|k| k.item_id == "a" && !k.outstanding));
    store.close_items(org.id, i.id, &["b".to_owned()], NOW).unwrap();
    let b = store.flagged_items(org.id, i.id, 10).unwrap().remove(0);
    assert_eq!((b.outstanding, b.closed_at), (false, Some(NOW)));
    assert_eq!(b.flags, ["unknown_currency", "missing_due_date"], "the rest is kept");
    let (other, _) = register(store, "bert@example.nl");
    store.close_items(other.id, i.id, &["a".to_owned()], NOW).unwrap();
    assert!(store.known_items(other.id, i.id).unwrap().is_empty());
    assert!(store.flagged_items(other.id, i.id, 10).unwrap().is_empty());
    let foreign = AccountingItem { organisation_id: other.id, ..item("c", &[]) };
    assert!(store.save_items(&[foreign]).is_err(), "an item of another organisation's integration is refused");
}

/// The invoice that makes an item's number unique is found, and only in its organisation.
pub fn accounting_invoice_is_found_by_number<S: AccountingStore>(store: &S) {
    let (org, _) = register(store, "anna@example.be");
    let (other, _) = register(store, "bert@example.nl");
    let invoice = insert(store, org.id, new_invoice("AF-7", "Acme NV", date!(2026 - 12 - 31)));
    let key = invoice.counterparty().identity_key();
    let found = store.invoice_by_number(org.id, invoice.direction(), &key, "AF-7").unwrap();
    assert_eq!(found.map(|f| f.id()), Some(invoice.id()));
    let other_direction = match invoice.direction() {
        Direction::Payable => Direction::Receivable,
        Direction::Receivable => Direction::Payable,
    };
    assert_eq!(store.invoice_by_number(org.id, other_direction, &key, "AF-7").unwrap(), None);
    assert_eq!(store.invoice_by_number(org.id, invoice.direction(), &key, "AF-8").unwrap(), None);
    assert_eq!(store.invoice_by_number(other.id, invoice.direction(), &key, "AF-7").unwrap(), None);
}

/// A sync's new invoices are stored with their events and audit entries in one transaction: a
/// batch with a duplicate stores none of them and no entry.
pub fn accounting_invoices_are_inserted_audited_all_or_none<S: AccountingStore>(store: &S) {
    use billify_domain::{Invoice, InvoiceId};
    let (org, _) = register(store, "anna@example.be");
    let make = |number: &str| {
        Invoice::create(
            InvoiceId::from_uuid(Uuid::now_v7()),
            org.id,
            new_invoice(number, "Acme NV", date!(2026 - 12 - 31)),
            NOW,
            TODAY,
        )
        .unwrap()
    };
    let entries = || store.audit_entries(org.id, &AuditQuery { limit: 100, ..AuditQuery::default() }).unwrap();
    let audit = audit_entry(org.id, AuditAction::InvoiceCreated);
    store.insert_invoices_audited(&[]).unwrap();
    let made = [make("AF-1"), make("AF-2")];
    let batch: Vec<AuditedInvoice<'_>> =
        made.iter().map(|(invoice, events)| AuditedInvoice { invoice, events, audit: &audit }).collect();
    store.insert_invoices_audited(&batch).unwrap();
    for (invoice, _) in &made {
        let stored = billify_ports::InvoiceRepository::get(store, org.id, invoice.id()).unwrap();
        assert_eq!(
            stored.map(|i| (i.id(), i.invoice_number().clone())),
            Some((invoice.id(), invoice.invoice_number().clone()))
        );
    }
    assert_eq!(entries().len(), 2, "one entry per invoice");

    // A new invoice beside one with the number of AF-2 (another id): neither is stored.
    let fresh = make("AF-3");
    let twin = make("AF-2");
    let batch = [
        AuditedInvoice { invoice: &fresh.0, events: &fresh.1, audit: &audit },
        AuditedInvoice { invoice: &twin.0, events: &twin.1, audit: &audit },
    ];
    assert!(matches!(store.insert_invoices_audited(&batch), Err(RepositoryError::Conflict(_))));
    let stored = billify_ports::InvoiceRepository::get(store, org.id, fresh.0.id()).unwrap();
    assert!(stored.is_none(), "all or none");
    assert_eq!(entries().len(), 2, "a refused batch records nothing");
    assert_eq!(verify_chains(store).unwrap().broken, None);
}
