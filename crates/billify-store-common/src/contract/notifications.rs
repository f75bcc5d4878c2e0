//! The contract of [`NotificationRepository`], run by both backends with
//! [`notification_contract_tests!`](crate::notification_contract_tests).

use billify_domain::{AlertSettings, Channel, NotificationKind, OrganisationId, UserId};
use billify_ports::notifications::{
    DELIVER_JOB, DeliveryAttempt, DeliveryStatus, NewDelivery, NewNotification, NotificationRepository, Preference,
    WebhookEndpoint,
};
use billify_ports::{SealedSecretRef, SealedSecretStore};
use time::Duration;
use time::macros::date;
use uuid::Uuid;

use super::Store;
use super::fixtures::{NOW, noted, register};

/// Everything notifications need of a store.
pub trait NotificationStore: Store + NotificationRepository + SealedSecretStore {}
impl<T> NotificationStore for T where T: Store + NotificationRepository + SealedSecretStore {}

/// Generates one `#[test]` per notification contract case, like
/// [`repository_contract_tests!`](crate::repository_contract_tests).
#[macro_export]
macro_rules! notification_contract_tests {
    ($make:expr) => {
        $crate::notification_contract_tests!(@cases $make;
            alert_settings_default_save_and_remember_the_last_run,
            notifications_are_raised_once_with_inbox_outbox_and_jobs,
            inbox_is_per_member_scoped_and_marked_read,
            preferences_are_stored_per_member_kind_and_channel,
            webhook_endpoints_are_scoped_and_their_secrets_rotate,
            deliveries_leave_pending_once_and_form_a_log,
        );
    };
    (@cases $make:expr; $($case:ident),* $(,)?) => {
        $(
            #[test]
            fn $case() {
                let fixture = $make;
                $crate::contract::notifications::$case(fixture.store());
            }
        )*
    };
}

fn notification(org: OrganisationId, key: &str, minutes: i64) -> NewNotification {
    NewNotification {
        organisation_id: org,
        id: Uuid::now_v7(),
        kind: NotificationKind::PayableDueSoon,
        dedupe_key: key.to_owned(),
        title: format!("Payable {key} is due soon"),
        body: "Pay it by Friday.".into(),
        data: r#"{"invoice_id":"x"}"#.into(),
        created_at: NOW + Duration::minutes(minutes),
    }
}

/// Defaults until saved; saved settings come back; the last run date only moves forward.
pub fn alert_settings_default_save_and_remember_the_last_run<S: NotificationStore>(store: &S) {
    let (org, _) = register(store, "anna@example.be");
    let (other, _) = register(store, "bert@example.be");
    assert_eq!(store.alert_settings(org.id).unwrap(), (AlertSettings::default(), None));
    store.mark_alerts_run(org.id, date!(2026 - 03 - 02)).unwrap();
    assert_eq!(store.alert_settings(org.id).unwrap(), (AlertSettings::default(), Some(date!(2026 - 03 - 02))));
    let settings = AlertSettings::new(14, -50_000).unwrap();
    store.save_alert_settings(org.id, &settings, &noted()).unwrap();
    assert_eq!(store.alert_settings(org.id).unwrap(), (settings, Some(date!(2026 - 03 - 02))), "the run is kept");
    store.mark_alerts_run(org.id, date!(2026 - 03 - 01)).unwrap();
    assert_eq!(store.alert_settings(org.id).unwrap().1, Some(date!(2026 - 03 - 02)), "never backwards");
    store.mark_alerts_run(org.id, date!(2026 - 03 - 03)).unwrap();
    assert_eq!(store.alert_settings(org.id).unwrap().1, Some(date!(2026 - 03 - 03)));
    assert_eq!(store.alert_settings(other.id).unwrap(), (AlertSettings::default(), None), "scoped");
}

/// A notification is stored with its inbox rows, deliveries and one job per delivery; the same
/// dedupe key again writes nothing, in that organisation only.
pub fn notifications_are_raised_once_with_inbox_outbox_and_jobs<S: NotificationStore>(store: &S) {
    let (org, anna) = register(store, "anna@example.be");
    let (other, bert) = register(store, "bert@example.be");
    let first = notification(org.id, "payable:1", 0);
    let deliveries = [
        NewDelivery { id: Uuid::now_v7(), channel: Channel::Webhook, target_id: Uuid::now_v7() },
        NewDelivery { id: Uuid::now_v7(), channel: Channel::Email, target_id: *anna.id.as_uuid() },
    ];
    assert!(store.raise(&first, &[anna.id], &deliveries, NOW).unwrap());
    let again = notification(org.id, "payable:1", 5);
    assert!(!store.raise(&again, &[anna.id], &deliveries, NOW).unwrap(), "same key: nothing new");
    assert!(store.notification(org.id, again.id).unwrap().is_none());
    assert!(
        store.raise(&notification(other.id, "payable:1", 0), &[bert.id], &[], NOW).unwrap(),
        "keys are per organisation"
    );

    let stored = store.notification(org.id, first.id).unwrap().unwrap();
    assert_eq!(
        (stored.kind, stored.title.as_str(), stored.data.as_str()),
        (first.kind, first.title.as_str(), first.data.as_str())
    );
    assert_eq!(stored.created_at, first.created_at);
    assert!(store.notification(other.id, first.id).unwrap().is_none(), "scoped");
    assert_eq!(store.inbox(org.id, anna.id, false, 50).unwrap().len(), 1);
    for d in &deliveries {
        let stored = store.delivery(org.id, d.id).unwrap().unwrap();
        assert_eq!((stored.channel, stored.status, stored.attempts), (d.channel, DeliveryStatus::Pending, 0));
        assert_eq!(stored.notification_id, first.id);
    }
    let mut keys = Vec::new();
    while let Some(job) = store.claim("w", NOW, Duration::minutes(5)).unwrap() {
        assert_eq!(job.kind, DELIVER_JOB);
        assert_eq!(job.organisation_id, org.id);
        keys.push(job.key.clone());
        store.complete(&job, "w", NOW).unwrap();
    }
    keys.sort();
    let mut expected: Vec<String> = deliveries.iter().map(|d| d.id.to_string()).collect();
    expected.sort();
    assert_eq!(keys, expected, "one delivery job per delivery, none for the duplicate");
}

/// Each member sees their own inbox, newest first; marking read keeps the first time, and
/// another member's or organisation's notification is not found.
pub fn inbox_is_per_member_scoped_and_marked_read<S: NotificationStore>(store: &S) {
    let (org, anna) = register(store, "anna@example.be");
    let (other, bert) = register(store, "bert@example.be");
    let older = notification(org.id, "a", 0);
    let newer = notification(org.id, "b", 10);
    let annas_only = notification(org.id, "c", 20);
    store.raise(&older, &[anna.id, bert.id], &[], NOW).unwrap();
    store.raise(&newer, &[anna.id, bert.id], &[], NOW).unwrap();
    store.raise(&annas_only, &[anna.id], &[], NOW).unwrap();
    let inbox = store.inbox(org.id, anna.id, false, 50).unwrap();
    let ids: Vec<Uuid> = inbox.iter().map(|i| i.notification.id).collect();
    assert_eq!(ids, vec![annas_only.id, newer.id, older.id]);
    assert!(inbox.iter().all(|i| i.read_at.is_none()));
    assert_eq!(store.inbox(org.id, anna.id, false, 2).unwrap().len(), 2, "limit");
    assert_eq!(store.inbox(org.id, bert.id, false, 50).unwrap().len(), 2);
    assert!(store.inbox(other.id, bert.id, false, 50).unwrap().is_empty(), "scoped");

    let at = NOW + Duration::hours(1);
    assert!(store.mark_read(org.id, anna.id, newer.id, at).unwrap());
    assert!(store.mark_read(org.id, anna.id, newer.id, at + Duration::hours(1)).unwrap(), "already read: still found");
    assert!(!store.mark_read(org.id, bert.id, annas_only.id, at).unwrap(), "not in bert's inbox");
    assert!(!store.mark_read(other.id, anna.id, newer.id, at).unwrap(), "other organisation");
    let unread: Vec<Uuid> = store.inbox(org.id, anna.id, true, 50).unwrap().iter().map(|i| i.notification.id).collect();
    assert_eq!(unread, vec![annas_only.id, older.id]);
    let read = store.inbox(org.id, anna.id, false, 50).unwrap().into_iter().find(|i| i.notification.id == newer.id);
    assert_eq!(read.unwrap().read_at, Some(at), "the first time is kept");
    assert_eq!(store.inbox(org.id, bert.id, true, 50).unwrap().len(), 2, "bert's are his own");
    assert_eq!(store.mark_all_read(org.id, anna.id, at).unwrap(), 2);
    assert!(store.inbox(org.id, anna.id, true, 50).unwrap().is_empty());
    assert_eq!(store.mark_all_read(org.id, anna.id, at).unwrap(), 0);
}

/// Choices are stored and changed per member, kind and channel, within their organisation.
pub fn preferences_are_stored_per_member_kind_and_channel<S: NotificationStore>(store: &S) {
    let (org, anna) = register(store, "anna@example.be");
    let (other, bert) = register(store, "bert@example.be");
    assert!(store.preferences(org.id).unwrap().is_empty());
    let off = |user: UserId, kind, channel| Preference { user_id: user, kind, channel, enabled: false };
    store.set_preference(org.id, &off(anna.id, NotificationKind::LowBalance, Channel::Email)).unwrap();
    store.set_preference(org.id, &off(anna.id, NotificationKind::LowBalance, Channel::InApp)).unwrap();
    store.set_preference(other.id, &off(bert.id, NotificationKind::LowBalance, Channel::Email)).unwrap();
    let on = Preference { enabled: true, ..off(anna.id, NotificationKind::LowBalance, Channel::InApp) };
    store.set_preference(org.id, &on).unwrap();
    let mut stored = store.preferences(org.id).unwrap();
    stored.sort_by_key(|p| p.channel.code());
    assert_eq!(stored, vec![off(anna.id, NotificationKind::LowBalance, Channel::Email), on]);
    assert_eq!(store.preferences(other.id).unwrap(), vec![off(bert.id, NotificationKind::LowBalance, Channel::Email)]);
}

/// Endpoints come back with their kinds and sealed secret within their organisation only, are
/// deleted once, and their secrets are listed for key rotation and re-sealed by compare and swap.
pub fn webhook_endpoints_are_scoped_and_their_secrets_rotate<S: NotificationStore>(store: &S) {
    let (org, _) = register(store, "anna@example.be");
    let (other, _) = register(store, "bert@example.be");
    let endpoint = WebhookEndpoint {
        organisation_id: org.id,
        id: Uuid::now_v7(),
        url: "https://hooks.example.be/billify".into(),
        kinds: vec![NotificationKind::LowBalance, NotificationKind::PayableDueSoon],
        created_at: NOW,
    };
    let all = WebhookEndpoint {
        id: Uuid::now_v7(),
        kinds: vec![],
        created_at: NOW + Duration::seconds(1),
        ..endpoint.clone()
    };
    store.create_webhook_endpoint(&endpoint, "v1.k1.sealed-one", &noted()).unwrap();
    store.create_webhook_endpoint(&all, "v1.k1.sealed-two", &noted()).unwrap();
    assert_eq!(store.webhook_endpoints(org.id).unwrap(), vec![endpoint.clone(), all.clone()]);
    assert!(store.webhook_endpoints(other.id).unwrap().is_empty());
    assert_eq!(
        store.webhook_endpoint(org.id, endpoint.id).unwrap(),
        Some((endpoint.clone(), "v1.k1.sealed-one".into()))
    );
    assert!(store.webhook_endpoint(other.id, endpoint.id).unwrap().is_none(), "scoped");

    let listed: Vec<(SealedSecretRef, String)> =
        store.sealed_secrets().unwrap().into_iter().filter(|(r, _)| r.kind == "webhook.secret").collect();
    assert_eq!(listed.len(), 2);
    let (at, sealed) = listed.iter().find(|(r, _)| r.id == endpoint.id).unwrap();
    assert_eq!(at.context, billify_ports::notifications::webhook_secret_context(org.id, endpoint.id));
    assert!(store.reseal_secret(at, sealed, "v1.k2.resealed").unwrap());
    assert!(!store.reseal_secret(at, sealed, "v1.k2.again").unwrap(), "compare and swap");
    assert_eq!(store.webhook_endpoint(org.id, endpoint.id).unwrap().unwrap().1, "v1.k2.resealed");

    assert!(!store.delete_webhook_endpoint(other.id, endpoint.id, &noted()).unwrap(), "scoped");
    assert!(store.delete_webhook_endpoint(org.id, endpoint.id, &noted()).unwrap());
    assert!(!store.delete_webhook_endpoint(org.id, endpoint.id, &noted()).unwrap());
    assert_eq!(store.webhook_endpoints(org.id).unwrap(), vec![all]);
}

/// A pending delivery records each try; once sent or failed it never changes again. The
/// deliveries to one target, newest first, are its log.
pub fn deliveries_leave_pending_once_and_form_a_log<S: NotificationStore>(store: &S) {
    let (org, anna) = register(store, "anna@example.be");
    let (other, _) = register(store, "bert@example.be");
    let endpoint = Uuid::now_v7();
    let first = NewDelivery { id: Uuid::now_v7(), channel: Channel::Webhook, target_id: endpoint };
    let second = NewDelivery { id: Uuid::now_v7(), channel: Channel::Webhook, target_id: endpoint };
    let mail = NewDelivery { id: Uuid::now_v7(), channel: Channel::Email, target_id: *anna.id.as_uuid() };
    store.raise(&notification(org.id, "one", 0), &[], &[first, mail], NOW).unwrap();
    store.raise(&notification(org.id, "two", 1), &[], &[second], NOW + Duration::minutes(1)).unwrap();

    let retry = DeliveryAttempt {
        status: DeliveryStatus::Pending,
        error: Some("the receiver answered HTTP 500".into()),
        response_status: Some(500),
    };
    assert!(store.record_attempt(org.id, first.id, &retry, NOW + Duration::seconds(1)).unwrap());
    assert!(!store.record_attempt(other.id, first.id, &retry, NOW).unwrap(), "scoped");
    let sent = DeliveryAttempt { status: DeliveryStatus::Sent, error: None, response_status: Some(204) };
    assert!(store.record_attempt(org.id, first.id, &sent, NOW + Duration::seconds(40)).unwrap());
    assert!(!store.record_attempt(org.id, first.id, &sent, NOW + Duration::seconds(50)).unwrap(), "sent is final");
    let d = store.delivery(org.id, first.id).unwrap().unwrap();
    assert_eq!((d.status, d.attempts, d.response_status, d.last_error), (DeliveryStatus::Sent, 2, Some(204), None));
    assert_eq!(d.updated_at, NOW + Duration::seconds(40));
    let failed =
        DeliveryAttempt { status: DeliveryStatus::Failed, error: Some("bad address".into()), response_status: None };
    assert!(store.record_attempt(org.id, mail.id, &failed, NOW).unwrap());
    assert!(!store.record_attempt(org.id, mail.id, &sent, NOW).unwrap(), "failed is final");
    assert_eq!(store.delivery(org.id, mail.id).unwrap().unwrap().status, DeliveryStatus::Failed);
    assert!(store.delivery(other.id, mail.id).unwrap().is_none());

    let log: Vec<Uuid> = store.deliveries_to(org.id, endpoint, 50).unwrap().iter().map(|d| d.id).collect();
    assert_eq!(log, vec![second.id, first.id]);
    assert_eq!(store.deliveries_to(org.id, endpoint, 1).unwrap().len(), 1);
    assert!(store.deliveries_to(other.id, endpoint, 50).unwrap().is_empty());
}
