//! The contract of [`EventLog`] and [`EventWakeups`], run by both backends with
//! [`event_contract_tests!`](crate::event_contract_tests).

use std::sync::{Arc, Mutex};

use billify_domain::{OrganisationId, Permission};
use billify_ports::events::{EventKind, EventListener, EventLog, EventWakeups, NewEvent};
use time::Duration;

use super::Store;
use super::fixtures::{NOW, register};

/// Everything the live events need of a store.
pub trait EventStore: Store + EventLog + EventWakeups {}
impl<T> EventStore for T where T: Store + EventLog + EventWakeups {}

/// Generates one `#[test]` per live-event contract case, like
/// [`repository_contract_tests!`](crate::repository_contract_tests).
#[macro_export]
macro_rules! event_contract_tests {
    ($make:expr) => {
        $crate::event_contract_tests!(@cases $make;
            events_are_numbered_per_organisation_and_scoped,
            events_pruned_leave_a_gap_and_numbers_are_not_reused,
            events_wake_listeners_once_committed,
            events_of_concurrent_publishers_are_numbered_without_gaps,
        );
    };
    (@cases $make:expr; $($case:ident),* $(,)?) => {
        $(
            #[test]
            fn $case() {
                let fixture = $make;
                $crate::contract::events::$case(fixture.store());
            }
        )*
    };
}

fn event(org: OrganisationId, kind: EventKind, data: &str) -> NewEvent {
    NewEvent { organisation_id: org, kind, audience: Permission::ReadData, data: data.into() }
}

/// Each organisation numbers its events 1, 2, 3, ...; reading is scoped by organisation, starts
/// after the number given and stops at the limit.
pub fn events_are_numbered_per_organisation_and_scoped(store: &dyn EventStore) {
    let (a, _) = register(store, "anna@example.be");
    let (b, _) = register(store, "bert@example.nl");
    assert_eq!(store.last_event_id(a.id).unwrap(), 0, "no event yet");
    assert!(store.events_after(a.id, 0, 10).unwrap().is_empty());
    let first = store.publish(&event(a.id, EventKind::InvoiceCreated, r#"{"invoice_id":"x"}"#), NOW).unwrap();
    let other = store.publish(&event(b.id, EventKind::SyncFinished, "{}"), NOW).unwrap();
    let mut notification = event(a.id, EventKind::NotificationCreated, r#"{"n":1}"#);
    notification.audience = Permission::ManageIntegrations;
    let second = store.publish(&notification, NOW + Duration::seconds(1)).unwrap();
    assert_eq!((first.id, second.id, other.id), (1, 2, 1), "numbered per organisation");
    assert_eq!(store.last_event_id(a.id).unwrap(), 2);
    assert_eq!(store.last_event_id(b.id).unwrap(), 1);
    let read = store.events_after(a.id, 0, 10).unwrap();
    assert_eq!(read, vec![first.clone(), second.clone()], "as published, every field");
    assert_eq!(read[1].audience, Permission::ManageIntegrations);
    assert_eq!(read[1].kind, EventKind::NotificationCreated);
    assert_eq!(read[0].created_at, NOW);
    assert_eq!(store.events_after(a.id, 1, 10).unwrap(), vec![second], "after the number given");
    assert_eq!(store.events_after(a.id, 0, 1).unwrap(), vec![first], "at most the limit");
    assert_eq!(store.events_after(b.id, 0, 10).unwrap(), vec![other], "never another organisation's");
    assert!(store.events_after(a.id, 2, 10).unwrap().is_empty());
}

/// Pruning deletes what is older than the window, of every organisation; the heads stay, so a
/// later event takes the next number and a client resuming from a pruned one sees the gap.
pub fn events_pruned_leave_a_gap_and_numbers_are_not_reused(store: &dyn EventStore) {
    let (a, _) = register(store, "anna@example.be");
    let (b, _) = register(store, "bert@example.nl");
    for i in 0..3 {
        store.publish(&event(a.id, EventKind::ForecastChanged, "{}"), NOW + Duration::minutes(i)).unwrap();
    }
    store.publish(&event(b.id, EventKind::ForecastChanged, "{}"), NOW).unwrap();
    assert_eq!(store.prune_events(NOW + Duration::minutes(2)).unwrap(), 3, "two of A's and B's");
    let left = store.events_after(a.id, 0, 10).unwrap();
    assert_eq!(left.iter().map(|e| e.id).collect::<Vec<_>>(), vec![3]);
    assert!(store.events_after(b.id, 0, 10).unwrap().is_empty());
    assert_eq!(store.publish(&event(b.id, EventKind::ForecastChanged, "{}"), NOW).unwrap().id, 2, "never reused");
    assert_eq!(store.publish(&event(a.id, EventKind::ForecastChanged, "{}"), NOW).unwrap().id, 4);
    assert_eq!(store.prune_events(NOW - Duration::days(1)).unwrap(), 0, "nothing that old");
}

#[derive(Default)]
struct Recorder {
    published: Mutex<Vec<(OrganisationId, i64)>>,
}

impl EventListener for Recorder {
    fn published(&self, organisation: OrganisationId, last_id: i64) {
        self.published.lock().unwrap().push((organisation, last_id));
    }
    fn resync(&self) {}
}

/// A listener is woken with the organisation and number of each event once it is committed
/// (readable), and no longer once it is dropped.
pub fn events_wake_listeners_once_committed(store: &dyn EventStore) {
    let (a, _) = register(store, "anna@example.be");
    let recorder = Arc::new(Recorder::default());
    let listener: Arc<dyn EventListener> = recorder.clone();
    store.listen(Arc::downgrade(&listener)).unwrap();
    let stored = store.publish(&event(a.id, EventKind::MatchApplied, "{}"), NOW).unwrap();
    let woken = recorder.published.lock().unwrap().clone();
    assert!(woken.contains(&(a.id, stored.id)), "woken by the publishing process: {woken:?}");
    assert_eq!(store.events_after(a.id, 0, 10).unwrap().len(), 1, "readable when woken");
    drop(listener);
    assert_eq!(Arc::strong_count(&recorder), 1, "the store keeps no strong reference");
    store.publish(&event(a.id, EventKind::MatchUndone, "{}"), NOW).unwrap();
}

/// Publishers of one organisation on several threads get distinct numbers without gaps, and
/// each event is stored once.
pub fn events_of_concurrent_publishers_are_numbered_without_gaps(store: &dyn EventStore) {
    let (a, _) = register(store, "anna@example.be");
    let ids = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| {
                for _ in 0..10 {
                    let id = store.publish(&event(a.id, EventKind::InvoiceChanged, "{}"), NOW).unwrap().id;
                    ids.lock().unwrap().push(id);
                }
            });
        }
    });
    let mut ids = ids.into_inner().unwrap();
    ids.sort_unstable();
    assert_eq!(ids, (1..=40).collect::<Vec<_>>());
    let read: Vec<i64> = store.events_after(a.id, 0, 100).unwrap().iter().map(|e| e.id).collect();
    assert_eq!(read, (1..=40).collect::<Vec<_>>());
}
