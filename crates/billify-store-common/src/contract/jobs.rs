//! The contract of [`JobQueue`]: deduplication, due order, leases and concurrent claims.

use billify_domain::OrganisationId;
use billify_ports::RepositoryError;
use billify_ports::jobs::{NewJob, QueueDepth};
use time::{Duration, OffsetDateTime};

use super::Store;
use super::fixtures::{NOW, register};

fn depth(due: u64, scheduled: u64, running: u64) -> Vec<QueueDepth> {
    vec![QueueDepth { kind: "bank.sync".into(), due, scheduled, running }]
}

fn job(org: OrganisationId, key: &str, run_at: OffsetDateTime) -> NewJob {
    NewJob { organisation_id: org, kind: "bank.sync".into(), key: key.into(), payload: "{}".into(), run_at }
}

/// One active job per organisation, kind and key; only due jobs are claimed, most overdue first.
pub fn jobs_are_deduplicated_and_claimed_when_due(store: &dyn Store) {
    let (org, _) = register(store, "anna@example.be");
    let (other, _) = register(store, "bert@example.nl");
    assert!(store.enqueue(&job(org.id, "a", NOW - Duration::minutes(1)), NOW).unwrap());
    assert!(!store.enqueue(&job(org.id, "a", NOW), NOW).unwrap(), "already queued");
    assert!(store.enqueue(&job(other.id, "a", NOW - Duration::minutes(5)), NOW).unwrap(), "another organisation");
    assert!(store.enqueue(&job(org.id, "later", NOW + Duration::hours(1)), NOW).unwrap());
    assert_eq!(store.depth(NOW).unwrap(), depth(2, 1, 0), "the queue's depth, across organisations");
    let first = store.claim("w1", NOW, Duration::minutes(5)).unwrap().expect("a due job");
    assert_eq!(first.organisation_id, other.id, "the most overdue first");
    assert_eq!(first.attempts, 1);
    let second = store.claim("w2", NOW, Duration::minutes(5)).unwrap().expect("a due job");
    assert_eq!((second.organisation_id, second.key.as_str()), (org.id, "a"));
    assert_eq!(store.claim("w3", NOW, Duration::minutes(5)).unwrap(), None, "the other job is not due");
    assert_eq!(store.depth(NOW).unwrap(), depth(0, 1, 2));
    assert_eq!(store.depth(NOW + Duration::hours(2)).unwrap(), depth(1, 0, 2), "the later job came due");
    assert!(!store.enqueue(&job(org.id, "a", NOW), NOW).unwrap(), "running counts as active");
    store.complete(&second, "w2", NOW).unwrap();
    assert!(store.enqueue(&job(org.id, "a", NOW), NOW).unwrap(), "a finished job can be queued again");
    assert_eq!(store.depth(NOW).unwrap(), depth(1, 1, 1), "finished jobs are not counted");
}

/// A worker that dies loses its job to another after the lease; the dead worker's late
/// report is refused; failures retry until given up.
pub fn jobs_with_expired_leases_are_taken_over(store: &dyn Store) {
    let (org, _) = register(store, "anna@example.be");
    store.enqueue(&job(org.id, "a", NOW), NOW).unwrap();
    let claimed = store.claim("w1", NOW, Duration::minutes(1)).unwrap().unwrap();
    assert_eq!(store.claim("w2", NOW + Duration::seconds(30), Duration::minutes(1)).unwrap(), None, "still leased");
    let later = NOW + Duration::minutes(2);
    let taken = store.claim("w2", later, Duration::minutes(1)).unwrap().expect("the lease expired");
    assert_eq!(taken.id, claimed.id);
    assert_eq!(taken.attempts, 2);
    assert!(matches!(store.complete(&claimed, "w1", later), Err(RepositoryError::Conflict(_))), "w1 lost the lease");
    store.fail(&taken, "w2", "bank said 503", Some(later + Duration::minutes(10)), later).unwrap();
    assert_eq!(store.claim("w3", later + Duration::minutes(5), Duration::minutes(1)).unwrap(), None, "backing off");
    let retried = store.claim("w3", later + Duration::minutes(11), Duration::minutes(1)).unwrap().expect("due again");
    assert_eq!(retried.attempts, 3);
    assert_eq!(retried.last_error.as_deref(), Some("bank said 503"));
    store.fail(&retried, "w3", "gave up", None, later + Duration::minutes(11)).unwrap();
    assert_eq!(store.claim("w4", later + Duration::days(1), Duration::minutes(1)).unwrap(), None, "failed for good");
}

/// A renewed lease keeps the job from being taken over past its first end; only the holder
/// renews, and not after the job was taken over or finished.
pub fn jobs_leases_are_renewed_only_by_their_holder(store: &dyn Store) {
    let (org, _) = register(store, "anna@example.be");
    store.enqueue(&job(org.id, "a", NOW), NOW).unwrap();
    let claimed = store.claim("w1", NOW, Duration::minutes(1)).unwrap().unwrap();
    assert!(!store.renew_lease(&claimed, "w2", NOW + Duration::minutes(5)).unwrap(), "not w2's lease");
    assert!(store.renew_lease(&claimed, "w1", NOW + Duration::minutes(3)).unwrap());
    assert_eq!(store.claim("w2", NOW + Duration::minutes(2), Duration::minutes(1)).unwrap(), None, "renewed");
    let taken = store.claim("w2", NOW + Duration::minutes(4), Duration::minutes(1)).unwrap().expect("lease over");
    assert!(!store.renew_lease(&claimed, "w1", NOW + Duration::minutes(10)).unwrap(), "taken over");
    store.complete(&taken, "w2", NOW + Duration::minutes(4)).unwrap();
    assert!(!store.renew_lease(&taken, "w2", NOW + Duration::minutes(10)).unwrap(), "finished");
}

/// Four workers racing over forty jobs claim each exactly once.
pub fn jobs_are_never_claimed_twice_by_concurrent_workers(store: &dyn Store) {
    let (org, _) = register(store, "anna@example.be");
    for i in 0..40 {
        store.enqueue(&job(org.id, &format!("k{i}"), NOW - Duration::seconds(i)), NOW).unwrap();
    }
    let claimed = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for w in 0..4 {
            let claimed = &claimed;
            scope.spawn(move || {
                let worker = format!("w{w}");
                while let Some(job) = store.claim(&worker, NOW, Duration::minutes(5)).unwrap() {
                    store.complete(&job, &worker, NOW).unwrap();
                    claimed.lock().unwrap().push(job.key);
                }
            });
        }
    });
    let mut keys = claimed.into_inner().unwrap();
    keys.sort();
    let before = keys.len();
    keys.dedup();
    assert_eq!(before, 40, "every job ran");
    assert_eq!(keys.len(), 40, "no job ran twice");
}
