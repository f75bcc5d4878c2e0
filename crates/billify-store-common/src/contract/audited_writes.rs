//! The contract of the writes that take their audit entry (accounts and sessions, two-factor
//! and access tokens, integrations, alert settings and webhook endpoints, series decisions and
//! statement imports), run by both backends with
//! [`audited_write_contract_tests!`](crate::audited_write_contract_tests).
//!
//! Each write is stored with its entry in one transaction, which every case checks three ways:
//! - an entry that cannot be appended (it names an organisation that does not exist, which the
//!   audit chain's foreign key refuses) rolls the change back;
//! - an accepted write adds exactly one entry to the organisation's chain;
//! - a refused write (not found, a conflict, nothing to change) adds none.

use billify_domain::{
    AlertSettings, EmailAddress, Invitation, InvitationId, Membership, OrganisationId, OrganisationName, Role,
};
use billify_ports::accounting::AccountingRepository;
use billify_ports::audit::{AuditAction, AuditLog, AuditQuery, AuditTarget, NewAuditEntry, verify_chains};
use billify_ports::bank::{ImportedStatement, ParsedStatement};
use billify_ports::forecast::{ForecastRepository, SeriesStatus};
use billify_ports::integrations::{Integration, IntegrationRepository, IntegrationStatus, Provider};
use billify_ports::notifications::{NotificationRepository, WebhookEndpoint};
use billify_ports::two_factor::{TotpEnrolment, TwoFactorRepository};
use billify_ports::{AccessTokenRepository, MemberChange, RepositoryError};
use time::Duration;
use time::macros::date;
use uuid::Uuid;

use super::Store;
use super::fixtures::{NOW, bank_account, bank_transaction, join, register, session};

/// Everything the audited writes need of a store.
pub trait AuditedStore:
    Store
    + AuditLog
    + TwoFactorRepository
    + AccessTokenRepository
    + IntegrationRepository
    + AccountingRepository
    + NotificationRepository
    + ForecastRepository
{
}
impl<T> AuditedStore for T where
    T: Store
        + AuditLog
        + TwoFactorRepository
        + AccessTokenRepository
        + IntegrationRepository
        + AccountingRepository
        + NotificationRepository
        + ForecastRepository
{
}

/// Generates one `#[test]` per audited-write contract case, like
/// [`repository_contract_tests!`](crate::repository_contract_tests).
#[macro_export]
macro_rules! audited_write_contract_tests {
    ($make:expr) => {
        $crate::audited_write_contract_tests!(@cases $make;
            audited_account_writes_commit_with_their_entry,
            audited_two_factor_and_token_writes_commit_with_their_entry,
            audited_integration_writes_commit_with_their_entry,
            audited_alert_settings_and_webhooks_commit_with_their_entry,
            audited_series_decisions_and_imports_commit_with_their_entry,
        );
    };
    (@cases $make:expr; $($case:ident),* $(,)?) => {
        $(
            #[test]
            fn $case() {
                let fixture = $make;
                $crate::contract::audited_writes::$case(fixture.store());
            }
        )*
    };
}

/// An entry of `organisation`'s chain.
fn entry(organisation: OrganisationId, action: AuditAction) -> NewAuditEntry {
    NewAuditEntry {
        organisation_id: Some(organisation),
        actor: None,
        action,
        target: AuditTarget::unnamed("organisation"),
        occurred_at: NOW,
        ip: Some("192.0.2.7".parse().expect("ip")),
        before: None,
        after: Some(serde_json::json!({"case": action.code()})),
    }
}

/// An entry that cannot be appended: its organisation does not exist.
fn unstorable(action: AuditAction) -> NewAuditEntry {
    entry(OrganisationId::from_uuid(Uuid::now_v7()), action)
}

/// The actions of the organisation's chain, newest first.
fn actions<S: AuditedStore>(store: &S, organisation: OrganisationId) -> Vec<String> {
    let query = AuditQuery { limit: 200, ..AuditQuery::default() };
    store.audit_entries(organisation, &query).unwrap().into_iter().map(|e| e.action).collect()
}

/// Organisation, memberships, invitations and sessions.
pub fn audited_account_writes_commit_with_their_entry<S: AuditedStore>(store: &S) {
    use AuditAction::{
        InvitationAccepted, InvitationCreated, InvitationRevoked, LoginSucceeded, MemberRemoved, OrganisationUpdated,
        RoleChanged,
    };
    let (org, anna) = register(store, "anna@example.be");
    let (_, bert) = register(store, "bert@example.be");
    let count = || actions(store, org.id).len();

    let mut renamed = org.clone();
    renamed.name = OrganisationName::parse("Bloc Group BV").unwrap();
    assert!(store.update_organisation(&renamed, &unstorable(OrganisationUpdated)).is_err());
    assert_eq!(store.organisation(org.id).unwrap().unwrap().name, org.name, "rolled back with its entry");
    store.update_organisation(&renamed, &entry(org.id, OrganisationUpdated)).unwrap();
    assert_eq!(store.organisation(org.id).unwrap().unwrap().name, renamed.name);
    assert_eq!(count(), 1);
    let mut gone = renamed.clone();
    gone.id = OrganisationId::from_uuid(Uuid::now_v7());
    assert!(matches!(
        store.update_organisation(&gone, &entry(org.id, OrganisationUpdated)),
        Err(RepositoryError::NotFound)
    ));
    assert_eq!(count(), 1, "an update of nothing records nothing");

    join(store, org.id, bert.id, Role::Accountant);
    let role = || store.membership(org.id, bert.id).unwrap().map(|m| m.role);
    assert!(store.change_role(org.id, bert.id, Role::Accountant, Role::Admin, &unstorable(RoleChanged)).is_err());
    assert_eq!(role(), Some(Role::Accountant), "rolled back with its entry");
    let refused = store.change_role(org.id, bert.id, Role::Viewer, Role::Admin, &entry(org.id, RoleChanged));
    assert_eq!(refused.unwrap(), MemberChange::NotFound);
    let refused = store.change_role(org.id, anna.id, Role::Owner, Role::Admin, &entry(org.id, RoleChanged));
    assert_eq!(refused.unwrap(), MemberChange::LastOwner);
    assert_eq!(count(), 1, "refused role changes record nothing");
    let done = store.change_role(org.id, bert.id, Role::Accountant, Role::Admin, &entry(org.id, RoleChanged));
    assert_eq!(done.unwrap(), MemberChange::Done);
    assert_eq!((role(), count()), (Some(Role::Admin), 2));

    assert!(store.remove_member(org.id, bert.id, Role::Admin, &unstorable(MemberRemoved)).is_err());
    assert_eq!(role(), Some(Role::Admin), "rolled back with its entry");
    let refused = store.remove_member(org.id, bert.id, Role::Viewer, &entry(org.id, MemberRemoved));
    assert_eq!(refused.unwrap(), MemberChange::NotFound);
    assert_eq!(count(), 2);
    assert_eq!(
        store.remove_member(org.id, bert.id, Role::Admin, &entry(org.id, MemberRemoved)).unwrap(),
        MemberChange::Done
    );
    assert_eq!((role(), count()), (None, 3));

    let invitation = Invitation {
        id: InvitationId::from_uuid(Uuid::now_v7()),
        organisation_id: org.id,
        email: EmailAddress::parse("bert@example.be").unwrap(),
        role: Role::Viewer,
        invited_by: anna.id,
        token_digest: format!("audited-{}", Uuid::now_v7()),
        created_at: NOW,
        expires_at: NOW + Duration::days(7),
        accepted_at: None,
    };
    let pending = || store.pending_invitations(org.id, NOW).unwrap().len();
    assert!(store.create_invitation(&invitation, &unstorable(InvitationCreated)).is_err());
    assert_eq!(pending(), 0, "rolled back with its entry");
    store.create_invitation(&invitation, &entry(org.id, InvitationCreated)).unwrap();
    assert!(matches!(
        store.create_invitation(&invitation, &entry(org.id, InvitationCreated)),
        Err(RepositoryError::Conflict(_))
    ));
    assert_eq!((pending(), count()), (1, 4), "a duplicate records nothing");
    assert!(store.revoke_invitation(org.id, invitation.id, &unstorable(InvitationRevoked)).is_err());
    assert_eq!(pending(), 1, "rolled back with its entry");
    assert!(store.revoke_invitation(org.id, invitation.id, &entry(org.id, InvitationRevoked)).unwrap());
    assert!(!store.revoke_invitation(org.id, invitation.id, &entry(org.id, InvitationRevoked)).unwrap());
    assert_eq!((pending(), count()), (0, 5), "revoking nothing records nothing");

    let invitation = Invitation { id: InvitationId::from_uuid(Uuid::now_v7()), ..invitation };
    store.create_invitation(&invitation, &entry(org.id, InvitationCreated)).unwrap();
    let membership = Membership { organisation_id: org.id, user_id: bert.id, role: Role::Viewer, created_at: NOW };
    let accepted = entry(org.id, InvitationAccepted);
    assert!(store.accept_invitation(&invitation, None, &membership, NOW, &unstorable(InvitationAccepted)).is_err());
    assert_eq!((role(), pending()), (None, 1), "rolled back with its entry");
    store.accept_invitation(&invitation, None, &membership, NOW, &accepted).unwrap();
    assert!(matches!(
        store.accept_invitation(&invitation, None, &membership, NOW, &accepted),
        Err(RepositoryError::NotFound)
    ));
    assert_eq!((role(), count()), (Some(Role::Viewer), 7), "accepted once, recorded once");

    let opened = session("audited-session", org.id, anna.id);
    assert!(store.create_session_audited(&opened, &unstorable(LoginSucceeded)).is_err());
    assert_eq!(store.find_session("audited-session").unwrap(), None, "rolled back with its entry");
    store.create_session_audited(&opened, &entry(org.id, LoginSucceeded)).unwrap();
    assert!(store.find_session("audited-session").unwrap().is_some());
    assert!(matches!(
        store.create_session_audited(&opened, &entry(org.id, LoginSucceeded)),
        Err(RepositoryError::Conflict(_))
    ));
    assert_eq!(count(), 8);
    let expected = [
        LoginSucceeded,
        InvitationAccepted,
        InvitationCreated,
        InvitationRevoked,
        InvitationCreated,
        MemberRemoved,
        RoleChanged,
        OrganisationUpdated,
    ];
    assert_eq!(actions(store, org.id), expected.map(|a| a.code().to_owned()));
    assert_eq!(verify_chains(store).unwrap().broken, None);
}

/// Turning two-factor authentication on and off; creating and revoking access tokens.
pub fn audited_two_factor_and_token_writes_commit_with_their_entry<S: AuditedStore>(store: &S) {
    use AuditAction::{AccessTokenCreated, AccessTokenRevoked, TwoFactorDisabled, TwoFactorEnabled};
    let (org, anna) = register(store, "anna@example.be");
    let (_, bert) = register(store, "bert@example.be");
    let count = || actions(store, org.id).len();
    let codes: Vec<String> = (0..10).map(|i| format!("code-{i}")).collect();
    let enrolment = TotpEnrolment {
        user_id: anna.id,
        sealed_secret: "sealed".into(),
        confirmed_at: None,
        last_step: None,
        created_at: NOW,
    };
    store.begin_totp(&enrolment).unwrap();
    let active = || store.totp(anna.id).unwrap().is_some_and(|e| e.is_active());
    assert!(store.confirm_totp(anna.id, "sealed", 100, &codes, NOW, &unstorable(TwoFactorEnabled)).is_err());
    assert!(!active(), "rolled back with its entry");
    assert_eq!(store.recovery_codes_left(anna.id).unwrap(), 0);
    assert!(!store.confirm_totp(anna.id, "other", 100, &codes, NOW, &entry(org.id, TwoFactorEnabled)).unwrap());
    assert_eq!(count(), 0, "a refused confirmation records nothing");
    assert!(store.confirm_totp(anna.id, "sealed", 100, &codes, NOW, &entry(org.id, TwoFactorEnabled)).unwrap());
    assert_eq!((active(), count()), (true, 1));
    assert!(store.remove_totp(anna.id, &unstorable(TwoFactorDisabled)).is_err());
    assert!(active(), "rolled back with its entry");
    assert_eq!(store.recovery_codes_left(anna.id).unwrap(), 10);
    assert!(store.remove_totp(anna.id, &entry(org.id, TwoFactorDisabled)).unwrap());
    assert!(!store.remove_totp(anna.id, &entry(org.id, TwoFactorDisabled)).unwrap());
    assert_eq!((active(), count()), (false, 2), "removing nothing records nothing");

    let token = super::access_tokens::token(org.id, anna.id, "audited-token", 0);
    let tokens = || store.access_tokens_of(org.id, anna.id).unwrap().len();
    assert!(store.create_access_token(&token, &unstorable(AccessTokenCreated)).is_err());
    assert_eq!(tokens(), 0, "rolled back with its entry");
    store.create_access_token(&token, &entry(org.id, AccessTokenCreated)).unwrap();
    assert!(store.create_access_token(&token, &entry(org.id, AccessTokenCreated)).is_err());
    let stranger = super::access_tokens::token(org.id, bert.id, "audited-stranger", 0);
    assert!(matches!(
        store.create_access_token(&stranger, &entry(org.id, AccessTokenCreated)),
        Err(RepositoryError::NotFound)
    ));
    assert_eq!((tokens(), count()), (1, 3), "refused tokens record nothing");
    assert!(store.delete_access_token(org.id, anna.id, token.id, &unstorable(AccessTokenRevoked)).is_err());
    assert_eq!(tokens(), 1, "rolled back with its entry");
    assert!(!store.delete_access_token(org.id, bert.id, token.id, &entry(org.id, AccessTokenRevoked)).unwrap());
    assert!(store.delete_access_token(org.id, anna.id, token.id, &entry(org.id, AccessTokenRevoked)).unwrap());
    assert_eq!((tokens(), count()), (0, 4));
    assert_eq!(verify_chains(store).unwrap().broken, None);
}

/// Bank consent, connection and disconnection; an accounting integration and its settings.
pub fn audited_integration_writes_commit_with_their_entry<S: AuditedStore>(store: &S) {
    use AuditAction::{
        IntegrationConfigured, IntegrationConnectStarted, IntegrationConnected, IntegrationDisconnected,
    };
    let (org, anna) = register(store, "anna@example.be");
    let count = || actions(store, org.id).len();
    let live = || store.integrations(org.id).unwrap();

    let unstorable_start = |_: &Integration| unstorable(IntegrationConnectStarted);
    let start = |i: &Integration| {
        let mut e = entry(org.id, IntegrationConnectStarted);
        e.target = AuditTarget::new("integration", i.id);
        e
    };
    let begin = |state: &str, audit: &dyn Fn(&Integration) -> NewAuditEntry| {
        store.begin_consent_audited(org.id, Provider::Ponto, state, "verifier", "session", anna.id, NOW, audit)
    };
    assert!(begin("state-1", &unstorable_start).is_err());
    assert!(live().is_empty(), "rolled back with its entry");
    let pending = begin("state-2", &start).unwrap();
    let query = AuditQuery { limit: 1, ..AuditQuery::default() };
    let started = store.audit_entries(org.id, &query).unwrap().remove(0);
    assert_eq!(started.target_id, Some(pending.id.to_string()), "the entry names the integration stored");
    assert_eq!(count(), 1);

    let connected =
        Integration { status: IntegrationStatus::Connected, updated_at: NOW + Duration::minutes(1), ..pending };
    let status = || store.integration(org.id, connected.id).unwrap().map(|i| i.status);
    assert!(store.save_status_audited(&connected, &unstorable(IntegrationConnected)).is_err());
    assert_eq!(status(), Some(IntegrationStatus::Pending), "rolled back with its entry");
    assert!(store.save_status_audited(&connected, &entry(org.id, IntegrationConnected)).unwrap());
    assert_eq!((status(), count()), (Some(IntegrationStatus::Connected), 2));

    let later = NOW + Duration::minutes(2);
    assert!(store.disconnect_audited(org.id, connected.id, later, &unstorable(IntegrationDisconnected)).is_err());
    assert_eq!(status(), Some(IntegrationStatus::Connected), "rolled back with its entry");
    store.disconnect_audited(org.id, connected.id, later, &entry(org.id, IntegrationDisconnected)).unwrap();
    assert!(matches!(
        store.disconnect_audited(org.id, Uuid::now_v7(), later, &entry(org.id, IntegrationDisconnected)),
        Err(RepositoryError::NotFound)
    ));
    assert!(!store.save_status_audited(&connected, &entry(org.id, IntegrationConnected)).unwrap(), "not revived");
    assert_eq!((status(), count()), (Some(IntegrationStatus::Disconnected), 3), "refused writes record nothing");

    let yuki = super::accounting::yuki(org.id, anna.id);
    let settings = super::accounting::settings(None);
    assert!(
        store.create_accounting_integration(&yuki, &settings, "sealed", &unstorable(IntegrationConnected)).is_err()
    );
    assert_eq!(live().len(), 1, "rolled back with its entry");
    store.create_accounting_integration(&yuki, &settings, "sealed", &entry(org.id, IntegrationConnected)).unwrap();
    let twin = Integration { id: Uuid::now_v7(), ..yuki.clone() };
    assert!(matches!(
        store.create_accounting_integration(&twin, &settings, "sealed", &entry(org.id, IntegrationConnected)),
        Err(RepositoryError::Conflict(_))
    ));
    assert_eq!((live().len(), count()), (2, 4), "a second live one records nothing");

    let chosen = super::accounting::settings(Some("admin-1"));
    let administration = || {
        let i = store.integration(org.id, yuki.id).unwrap().unwrap();
        i.accounting.and_then(|a| a.administration_id)
    };
    let configured = entry(org.id, IntegrationConfigured);
    assert!(
        store.save_accounting_settings(org.id, yuki.id, &chosen, later, &unstorable(IntegrationConfigured)).is_err()
    );
    assert_eq!(administration(), None, "rolled back with its entry");
    assert!(store.save_accounting_settings(org.id, yuki.id, &chosen, later, &configured).unwrap());
    assert!(!store.save_accounting_settings(org.id, Uuid::now_v7(), &chosen, later, &configured).unwrap());
    assert_eq!((administration(), count()), (Some("admin-1".to_owned()), 5));
    assert_eq!(verify_chains(store).unwrap().broken, None);
}

/// Alert settings and webhook endpoints.
pub fn audited_alert_settings_and_webhooks_commit_with_their_entry<S: AuditedStore>(store: &S) {
    use AuditAction::{AlertSettingsChanged, WebhookEndpointCreated, WebhookEndpointDeleted};
    let (org, _) = register(store, "anna@example.be");
    let count = || actions(store, org.id).len();
    let changed = AlertSettings::new(14, 100_000).unwrap();
    let settings = || store.alert_settings(org.id).unwrap().0;
    assert!(store.save_alert_settings(org.id, &changed, &unstorable(AlertSettingsChanged)).is_err());
    assert_eq!(settings(), AlertSettings::default(), "rolled back with its entry");
    store.save_alert_settings(org.id, &changed, &entry(org.id, AlertSettingsChanged)).unwrap();
    assert_eq!((settings(), count()), (changed, 1));

    let endpoint = WebhookEndpoint {
        organisation_id: org.id,
        id: Uuid::now_v7(),
        url: "https://hooks.example.be/billify".into(),
        kinds: Vec::new(),
        created_at: NOW,
    };
    let endpoints = || store.webhook_endpoints(org.id).unwrap().len();
    assert!(store.create_webhook_endpoint(&endpoint, "sealed", &unstorable(WebhookEndpointCreated)).is_err());
    assert_eq!(endpoints(), 0, "rolled back with its entry");
    store.create_webhook_endpoint(&endpoint, "sealed", &entry(org.id, WebhookEndpointCreated)).unwrap();
    assert!(store.create_webhook_endpoint(&endpoint, "sealed", &entry(org.id, WebhookEndpointCreated)).is_err());
    assert_eq!((endpoints(), count()), (1, 2), "a duplicate records nothing");
    assert!(store.delete_webhook_endpoint(org.id, endpoint.id, &unstorable(WebhookEndpointDeleted)).is_err());
    assert_eq!(endpoints(), 1, "rolled back with its entry");
    assert!(store.delete_webhook_endpoint(org.id, endpoint.id, &entry(org.id, WebhookEndpointDeleted)).unwrap());
    assert!(!store.delete_webhook_endpoint(org.id, endpoint.id, &entry(org.id, WebhookEndpointDeleted)).unwrap());
    assert_eq!((endpoints(), count()), (0, 3), "deleting nothing records nothing");
    assert_eq!(verify_chains(store).unwrap().broken, None);
}

/// A recurring series' decision; a statement import, whose entry is built from what it stored.
pub fn audited_series_decisions_and_imports_commit_with_their_entry<S: AuditedStore>(store: &S) {
    use AuditAction::{RecurringSeriesDecided, StatementImported};
    let (org, anna) = register(store, "anna@example.be");
    let count = || actions(store, org.id).len();

    let rent = super::forecast::detected("rent", -150_000, date!(2026 - 04 - 01));
    store.store_detected_series(org.id, date!(2026 - 03 - 01), &[rent]).unwrap();
    let status = || store.recurring_series(org.id).unwrap().1[0].status;
    let decide =
        |id: &str, audit: &NewAuditEntry| store.decide_series(org.id, id, SeriesStatus::Confirmed, anna.id, NOW, audit);
    assert!(decide("rent", &unstorable(RecurringSeriesDecided)).is_err());
    assert_eq!(status(), SeriesStatus::Detected, "rolled back with its entry");
    assert!(matches!(decide("gym", &entry(org.id, RecurringSeriesDecided)), Err(RepositoryError::NotFound)));
    assert_eq!(count(), 0, "deciding nothing records nothing");
    decide("rent", &entry(org.id, RecurringSeriesDecided)).unwrap();
    assert_eq!((status(), count()), (SeriesStatus::Confirmed, 1));

    let statements = [ParsedStatement {
        account: bank_account("1000.00"),
        transactions: vec![bank_transaction("tx-1", "-10.00", 1), bank_transaction("tx-2", "25.00", 2)],
    }];
    let imported_entry = |imported: &[ImportedStatement]| {
        let mut e = entry(org.id, StatementImported);
        let new: u32 = imported.iter().map(|s| s.transactions.new).sum();
        e.after = Some(serde_json::json!({"accounts": imported.len(), "new": new}));
        e
    };
    let accounts = || store.bank_accounts(org.id).unwrap().len();
    let unstorable_import = |_: &[ImportedStatement]| unstorable(StatementImported);
    assert!(store.import_statements(org.id, &statements, NOW, &unstorable_import).is_err());
    assert_eq!(accounts(), 0, "the whole import rolled back with its entry");
    let first = store.import_statements(org.id, &statements, NOW, &imported_entry).unwrap();
    assert_eq!(first.len(), 1);
    assert!(first[0].new);
    assert_eq!((first[0].transactions.new, first[0].transactions.unchanged), (2, 0));
    let again = store.import_statements(org.id, &statements, NOW, &imported_entry).unwrap();
    assert_eq!(again[0].account_id, first[0].account_id);
    assert!(!again[0].new);
    assert_eq!((again[0].transactions.new, again[0].transactions.unchanged), (0, 2));
    assert_eq!((accounts(), count()), (1, 3));
    let query = AuditQuery { limit: 2, ..AuditQuery::default() };
    let recorded: Vec<Option<String>> =
        store.audit_entries(org.id, &query).unwrap().into_iter().map(|e| e.after).collect();
    let expected = [r#"{"accounts":1,"new":0}"#, r#"{"accounts":1,"new":2}"#];
    assert_eq!(recorded, expected.map(|s| Some(s.to_owned())), "each entry tells what its import stored");
    assert_eq!(verify_chains(store).unwrap().broken, None);
}
