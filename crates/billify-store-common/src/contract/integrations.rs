//! The contract of [`IntegrationRepository`] and [`SealedSecretStore`], run by both backends with
//! [`integration_contract_tests!`](crate::integration_contract_tests).

use billify_ports::integrations::{
    Integration, IntegrationRepository, IntegrationStatus, Provider, SyncOutcome, SyncRun, SyncWatermark,
};
use billify_ports::{RepositoryError, SealedSecretStore};
use time::Duration;
use time::macros::date;
use uuid::Uuid;

use super::Store;
use super::fixtures::{NOW, bank_account, register};
use billify_ports::bank::BankSource;

/// Everything the sync engine needs of a store.
pub trait SyncStore: Store + IntegrationRepository + SealedSecretStore {}
impl<T> SyncStore for T where T: Store + IntegrationRepository + SealedSecretStore {}

/// Generates one `#[test]` per integration contract case, like
/// [`repository_contract_tests!`](crate::repository_contract_tests).
#[macro_export]
macro_rules! integration_contract_tests {
    ($make:expr) => {
        $crate::integration_contract_tests!(@cases $make;
            integrations_consent_is_single_use_and_scoped,
            integrations_tokens_are_compare_and_swap,
            integrations_due_and_sync_runs,
            integrations_sealed_secrets,
            integrations_sync_runs_start_and_write_in_batches,
            integrations_sync_run_that_fails_before_starting_ends_interrupted_runs,
            integrations_sync_batches_key_transactions_by_account_and_provider_id,
            integrations_history_is_purged,
            integrations_postponed_by_the_scheduler_leave_the_due_list,
        );
    };
    (@cases $make:expr; $($case:ident),* $(,)?) => {
        $(
            #[test]
            fn $case() {
                let fixture = $make;
                $crate::contract::integrations::$case(fixture.store());
            }
        )*
    };
}

fn connected<S: SyncStore>(store: &S, mut i: Integration, next: time::OffsetDateTime) -> Integration {
    i.status = IntegrationStatus::Connected;
    i.next_sync_at = Some(next);
    i.updated_at = NOW;
    assert!(store.save_status(&i).unwrap());
    i
}

/// A consent is stored as a state digest, replaced by a newer one, taken once, and only by its
/// organisation.
pub fn integrations_consent_is_single_use_and_scoped<S: SyncStore>(store: &S) {
    let (org, user) = register(store, "anna@example.be");
    let (other, other_user) = register(store, "bert@example.nl");
    let first =
        store.begin_consent(org.id, Provider::Ponto, "state-1", "sealed-v1", "session-1", user.id, NOW).unwrap();
    assert_eq!(first.status, IntegrationStatus::Pending);
    assert!(!first.has_tokens);
    assert_eq!(first.connected_by, Some(user.id));
    let again =
        store.begin_consent(org.id, Provider::Ponto, "state-2", "sealed-v2", "session-2", user.id, NOW).unwrap();
    assert_eq!(again.id, first.id, "one live integration per provider");
    assert_eq!(store.take_consent(org.id, "state-1").unwrap(), None, "replaced by the newer consent");
    assert_eq!(store.take_consent(other.id, "state-2").unwrap(), None, "another organisation cannot take it");
    let taken = store.take_consent(org.id, "state-2").unwrap().expect("consent");
    assert_eq!(taken.integration.id, first.id);
    assert_eq!((taken.sealed_verifier.as_str(), taken.session_digest.as_str()), ("sealed-v2", "session-2"));
    assert_eq!(taken.requested_at, NOW);
    assert_eq!(store.take_consent(org.id, "state-2").unwrap(), None, "single use");

    let theirs = store
        .begin_consent(other.id, Provider::Ponto, "state-3", "sealed-v3", "session-3", other_user.id, NOW)
        .unwrap();
    assert_ne!(theirs.id, first.id);
    assert_eq!(store.integrations(org.id).unwrap().len(), 1);
    assert_eq!(store.integration(org.id, theirs.id).unwrap(), None, "scoped by organisation");
}

/// Tokens are written by compare-and-swap on their version; disconnecting deletes them and a
/// disconnected integration is never revived by a late status write.
pub fn integrations_tokens_are_compare_and_swap<S: SyncStore>(store: &S) {
    let (org, user) = register(store, "anna@example.be");
    let (other, _) = register(store, "bert@example.nl");
    let i = store.begin_consent(org.id, Provider::Ponto, "s", "v", "sess", user.id, NOW).unwrap();
    assert_eq!(store.sealed_tokens(org.id, i.id).unwrap(), None);
    let v1 = store.store_tokens(org.id, i.id, i.token_version, "sealed-a", NOW).unwrap();
    assert_eq!(v1, i.token_version + 1);
    assert!(matches!(
        store.store_tokens(org.id, i.id, i.token_version, "stale", NOW),
        Err(RepositoryError::Conflict(_))
    ));
    assert!(matches!(store.store_tokens(other.id, i.id, v1, "foreign", NOW), Err(RepositoryError::Conflict(_))));
    assert_eq!(store.sealed_tokens(org.id, i.id).unwrap(), Some(("sealed-a".to_owned(), v1)));
    let v2 = store.store_tokens(org.id, i.id, v1, "sealed-b", NOW).unwrap();
    let read = store.integration(org.id, i.id).unwrap().unwrap();
    assert!(read.has_tokens);
    assert_eq!(read.token_version, v2);

    let live = connected(store, read, NOW);
    assert!(matches!(store.disconnect(other.id, i.id, NOW), Err(RepositoryError::NotFound)));
    store.disconnect(org.id, i.id, NOW).unwrap();
    let gone = store.integration(org.id, i.id).unwrap().unwrap();
    assert_eq!(gone.status, IntegrationStatus::Disconnected);
    assert!(!gone.has_tokens);
    assert_eq!(store.sealed_tokens(org.id, i.id).unwrap(), None);
    assert!(matches!(
        store.store_tokens(org.id, i.id, gone.token_version, "late", NOW),
        Err(RepositoryError::Conflict(_))
    ));
    assert!(!store.save_status(&live).unwrap(), "a late status write does not revive it");
    assert_eq!(store.integration(org.id, i.id).unwrap().unwrap().status, IntegrationStatus::Disconnected);
    let fresh = store.begin_consent(org.id, Provider::Ponto, "s2", "v", "sess", user.id, NOW).unwrap();
    assert_ne!(fresh.id, i.id, "connecting again starts a new integration; the old one keeps its history");
}

/// Only syncable integrations whose time has come are due; runs are kept newest first.
pub fn integrations_due_and_sync_runs<S: SyncStore>(store: &S) {
    let (a, ua) = register(store, "anna@example.be");
    let (b, ub) = register(store, "bert@example.nl");
    let (c, uc) = register(store, "carl@example.be");
    let ia = store.begin_consent(a.id, Provider::Ponto, "sa", "v", "s", ua.id, NOW).unwrap();
    let ib = store.begin_consent(b.id, Provider::Ponto, "sb", "v", "s", ub.id, NOW).unwrap();
    let ic = store.begin_consent(c.id, Provider::Ponto, "sc", "v", "s", uc.id, NOW).unwrap();
    assert!(store.due_integrations(NOW, 10).unwrap().is_empty(), "pending consents are not synced");
    let ia = connected(store, ia, NOW - Duration::minutes(2));
    connected(store, ib, NOW + Duration::minutes(1));
    let mut ic = connected(store, ic, NOW - Duration::minutes(1));
    assert_eq!(store.due_integrations(NOW, 10).unwrap(), vec![(a.id, ia.id), (c.id, ic.id)], "oldest first");
    assert_eq!(store.due_integrations(NOW, 1).unwrap(), vec![(a.id, ia.id)]);
    ic.status = IntegrationStatus::NeedsReconsent;
    assert!(store.save_status(&ic).unwrap());
    assert_eq!(store.due_integrations(NOW, 10).unwrap(), vec![(a.id, ia.id)]);
    ic.status = IntegrationStatus::Failing;
    ic.last_error = Some("Ponto is failing (HTTP 503)".into());
    ic.consecutive_failures = 3;
    ic.pending_synchronizations = vec!["sync-1".into(), "sync-2".into()];
    ic.consent_expires_at = Some(NOW + Duration::days(90));
    assert!(store.save_status(&ic).unwrap());
    assert_eq!(store.integration(c.id, ic.id).unwrap().unwrap(), ic, "every status field round-trips");
    assert_eq!(store.due_integrations(NOW, 10).unwrap().len(), 2, "failing integrations are retried");

    let mut run = SyncRun::started(a.id, ia.id, NOW);
    store.save_sync_run(&run).unwrap();
    run.finished_at = Some(NOW + Duration::seconds(2));
    run.outcome = SyncOutcome::Succeeded;
    run.new_accounts = 3;
    run.new_transactions = 200;
    run.changed_transactions = 1;
    store.save_sync_run(&run).unwrap();
    let later = SyncRun {
        id: Uuid::now_v7(),
        started_at: NOW + Duration::minutes(1),
        outcome: SyncOutcome::Failed,
        error: Some("Ponto cannot be reached".into()),
        ..run.clone()
    };
    store.save_sync_run(&later).unwrap();
    assert_eq!(store.sync_runs(a.id, ia.id, 10).unwrap(), vec![later.clone(), run.clone()]);
    assert_eq!(store.sync_runs(a.id, ia.id, 1).unwrap(), vec![later]);
    assert!(store.sync_runs(b.id, ia.id, 10).unwrap().is_empty(), "scoped by organisation");
}

/// A sync run starts in one write (status, run, accounts, interrupted runs), writes its
/// transactions and watermarks in batches, and ends with its last batch; everything is scoped to
/// the organisation and a batch that fails writes nothing.
pub fn integrations_sync_runs_start_and_write_in_batches<S: SyncStore>(store: &S) {
    use billify_ports::integrations::{SyncBatch, SyncFinish, SyncStart, SyncedTransactions};
    use billify_ports::jobs::NewJob;
    let (org, user) = register(store, "anna@example.be");
    let (other, other_user) = register(store, "bert@example.nl");
    let i = store.begin_consent(org.id, Provider::Ponto, "s", "v", "x", user.id, NOW).unwrap();
    let mut i = connected(store, i, NOW);
    store
        .enqueue(
            &NewJob {
                organisation_id: org.id,
                kind: "bank.sync".into(),
                key: i.id.to_string(),
                payload: "{}".into(),
                run_at: NOW,
            },
            NOW,
        )
        .unwrap();
    let job = store.claim("w1", NOW, Duration::minutes(5)).unwrap().unwrap();
    let dead = SyncRun::started(org.id, i.id, NOW - Duration::minutes(10));
    store.save_sync_run(&dead).unwrap();

    // Start: the account is new, the dead run is ended, the status is saved.
    let mut syncing = i.clone();
    syncing.status = IntegrationStatus::Syncing;
    let run = SyncRun::started(org.id, i.id, NOW);
    let accounts = [bank_account("10.00")];
    let start = SyncStart {
        integration: &syncing,
        run: &run,
        interrupted: Some("interrupted"),
        source: BankSource::Ponto,
        accounts: &accounts,
        now: NOW,
    };
    let stored = store.start_sync_run(&start).unwrap().unwrap();
    assert_eq!(stored.len(), 1);
    assert!(stored[0].new && !stored[0].changed && stored[0].watermark.is_none(), "{stored:?}");
    let account = stored[0].id;
    assert_eq!(store.bank_accounts(org.id).unwrap().iter().map(|a| a.id).collect::<Vec<_>>(), vec![account]);
    assert_eq!(store.integration(org.id, i.id).unwrap().unwrap().status, IntegrationStatus::Syncing);
    let runs = store.sync_runs(org.id, i.id, 10).unwrap();
    assert_eq!(runs.len(), 2);
    assert_eq!((runs[0].id, runs[0].outcome), (run.id, SyncOutcome::Running));
    assert_eq!(
        (runs[1].id, runs[1].outcome, runs[1].error.as_deref()),
        (dead.id, SyncOutcome::Failed, Some("interrupted"))
    );

    // A batch naming another organisation's account writes nothing at all.
    let page = |ids: &[&str]| SyncedTransactions {
        account_id: account,
        transactions: ids
            .iter()
            .enumerate()
            .map(|(n, id)| super::fixtures::bank_transaction(id, "1.00", 1 + n as u8))
            .collect(),
    };
    let mark = SyncWatermark { transaction_id: "t1".into(), execution_date: date!(2026 - 03 - 01) };
    let pages = [page(&["t1", "t2"])];
    let foreign = SyncBatch {
        organisation_id: other.id,
        transactions: &[],
        watermarks: &[(account, mark.clone())],
        finish: None,
        now: NOW,
    };
    assert!(matches!(store.write_sync_batch(&foreign), Err(RepositoryError::NotFound)));
    let bad = SyncBatch {
        organisation_id: org.id,
        transactions: &pages,
        watermarks: &[(Uuid::now_v7(), mark.clone())],
        finish: None,
        now: NOW,
    };
    assert!(matches!(store.write_sync_batch(&bad), Err(RepositoryError::NotFound)));
    let none = billify_ports::bank::BankTransactionQuery {
        account_id: None,
        from: None,
        to: None,
        after: None,
        limit: 50,
        text: None,
    };
    assert!(store.bank_transactions(org.id, &none).unwrap().items.is_empty(), "the failed batch was rolled back");

    // A middle batch, then the last one with the end of the run.
    let written = store
        .write_sync_batch(&SyncBatch {
            organisation_id: org.id,
            transactions: &pages,
            watermarks: &[],
            finish: None,
            now: NOW,
        })
        .unwrap();
    assert_eq!((written.counts.new, written.status_saved, written.job_completed), (2, false, false));
    let mut ended = run.clone();
    ended.outcome = SyncOutcome::Succeeded;
    ended.finished_at = Some(NOW + Duration::seconds(1));
    ended.new_accounts = 1;
    ended.new_transactions = 2;
    i.status = IntegrationStatus::Connected;
    i.last_success_at = ended.finished_at;
    let last = [page(&["t2", "t3"])];
    let watermarks = [(account, mark.clone())];
    let batch = SyncBatch {
        organisation_id: org.id,
        transactions: &last,
        watermarks: &watermarks,
        finish: Some(SyncFinish { run: &ended, integration: Some(&i), job: &job, worker: "w1", interrupted: None }),
        now: NOW,
    };
    let written = store.write_sync_batch(&batch).unwrap();
    assert_eq!((written.counts.new, written.counts.changed), (1, 1), "t2 moved to another day");
    assert!(written.status_saved && written.job_completed);
    assert_eq!(store.bank_transactions(org.id, &none).unwrap().items.len(), 3);
    assert!(store.bank_transactions(other.id, &none).unwrap().items.is_empty(), "scoped by organisation");
    let runs = store.sync_runs(org.id, i.id, 1).unwrap();
    assert_eq!(
        (runs[0].outcome, runs[0].new_transactions, runs[0].changed_transactions, runs[0].new_accounts),
        (SyncOutcome::Succeeded, 3, 1, 1),
        "the store adds the last batch"
    );
    assert_eq!(store.integration(org.id, i.id).unwrap().unwrap(), i);
    assert!(matches!(store.complete(&job, "w1", NOW), Err(RepositoryError::Conflict(_))), "the job is done");
    assert!(!store.write_sync_batch(&batch).unwrap().job_completed, "completed once");

    // The next start sees the watermark and the changed balance; a disconnected integration
    // starts nothing.
    let next = SyncRun::started(org.id, i.id, NOW + Duration::minutes(1));
    let changed = [bank_account("11.00")];
    let stored = store.start_sync_run(&SyncStart { run: &next, accounts: &changed, ..start }).unwrap().unwrap();
    assert_eq!((stored[0].id, stored[0].new, stored[0].changed), (account, false, true));
    assert_eq!(stored[0].watermark, Some(mark), "an account update keeps the watermark");
    store.disconnect(org.id, i.id, NOW).unwrap();
    let after = SyncRun::started(org.id, i.id, NOW + Duration::minutes(2));
    assert_eq!(store.start_sync_run(&SyncStart { run: &after, ..start }).unwrap(), None);
    assert!(store.sync_runs(org.id, i.id, 10).unwrap().iter().all(|r| r.id != after.id), "nothing written");
    let j = store.begin_consent(other.id, Provider::Ponto, "s2", "v", "x", other_user.id, NOW).unwrap();
    let foreign_run = SyncRun::started(other.id, j.id, NOW);
    let mut j = connected(store, j, NOW);
    j.status = IntegrationStatus::Syncing;
    let earlier = SyncRun::started(other.id, j.id, NOW - Duration::minutes(1));
    store.save_sync_run(&earlier).unwrap();
    let first_attempt = SyncStart { integration: &j, run: &foreign_run, interrupted: None, ..start };
    let stored = store.start_sync_run(&first_attempt).unwrap().unwrap();
    assert!(stored[0].new && stored[0].id != account, "the same provider account in another organisation is its own");
    let runs = store.sync_runs(other.id, j.id, 10).unwrap();
    assert_eq!(
        runs.iter().map(|r| r.outcome).collect::<Vec<_>>(),
        [SyncOutcome::Running; 2],
        "without `interrupted`, other runs are left alone"
    );
}

/// A run that fails before it starts (its first provider call failed) ends with its last batch,
/// and ends the organisation's runs a dead worker left running only when told they were.
pub fn integrations_sync_run_that_fails_before_starting_ends_interrupted_runs<S: SyncStore>(store: &S) {
    use billify_ports::integrations::{SyncBatch, SyncFinish};
    use billify_ports::jobs::NewJob;
    let (org, user) = register(store, "anna@example.be");
    let (other, other_user) = register(store, "bert@example.nl");
    let mut i =
        connected(store, store.begin_consent(org.id, Provider::Ponto, "s", "v", "x", user.id, NOW).unwrap(), NOW);
    let j = connected(
        store,
        store.begin_consent(other.id, Provider::Ponto, "t", "v", "x", other_user.id, NOW).unwrap(),
        NOW,
    );
    let new_job = NewJob {
        organisation_id: org.id,
        kind: "bank.sync".into(),
        key: i.id.to_string(),
        payload: "{}".into(),
        run_at: NOW,
    };
    store.enqueue(&new_job, NOW).unwrap();
    let job = store.claim("w1", NOW, Duration::minutes(5)).unwrap().unwrap();
    let dead = SyncRun::started(org.id, i.id, NOW - Duration::minutes(10));
    store.save_sync_run(&dead).unwrap();
    let foreign = SyncRun::started(other.id, j.id, NOW - Duration::minutes(10));
    store.save_sync_run(&foreign).unwrap();
    let failed = |minutes: i64, error: &str| {
        let mut run = SyncRun::started(org.id, i.id, NOW + Duration::minutes(minutes));
        run.outcome = SyncOutcome::Failed;
        run.finished_at = Some(run.started_at + Duration::seconds(1));
        run.error = Some(error.into());
        run
    };
    i.status = IntegrationStatus::Failing;
    i.last_error = Some("Ponto is down".into());
    let end = |run: &SyncRun, interrupted: Option<&'static str>| {
        store
            .write_sync_batch(&SyncBatch {
                organisation_id: org.id,
                transactions: &[],
                watermarks: &[],
                finish: Some(SyncFinish { run, integration: Some(&i), job: &job, worker: "w1", interrupted }),
                now: NOW,
            })
            .unwrap()
    };
    let outcomes = |org, integration| {
        store
            .sync_runs(org, integration, 10)
            .unwrap()
            .into_iter()
            .map(|r| (r.id, r.outcome, r.error))
            .collect::<Vec<_>>()
    };

    let first = failed(1, "Ponto is down");
    let written = end(&first, None);
    assert!(written.status_saved && written.job_completed);
    assert_eq!(store.integration(org.id, i.id).unwrap().unwrap(), i);
    assert_eq!(
        outcomes(org.id, i.id),
        [(first.id, SyncOutcome::Failed, Some("Ponto is down".to_owned())), (dead.id, SyncOutcome::Running, None)],
        "without `interrupted`, other runs are left alone"
    );

    let second = failed(2, "Ponto is still down");
    end(&second, Some("interrupted"));
    assert_eq!(
        outcomes(org.id, i.id),
        [
            (second.id, SyncOutcome::Failed, Some("Ponto is still down".to_owned())),
            (first.id, SyncOutcome::Failed, Some("Ponto is down".to_owned())),
            (dead.id, SyncOutcome::Failed, Some("interrupted".to_owned())),
        ]
    );
    assert_eq!(
        outcomes(other.id, j.id),
        [(foreign.id, SyncOutcome::Running, None)],
        "another organisation's runs are left alone"
    );
}

/// A sync batch keys transactions by account and provider id: the same id in two accounts is
/// two transactions, and an id twice for one account (on a later page) keeps the later version.
pub fn integrations_sync_batches_key_transactions_by_account_and_provider_id<S: SyncStore>(store: &S) {
    use billify_ports::bank::BankTransactionQuery;
    use billify_ports::integrations::{SyncBatch, SyncStart, SyncedTransactions};
    let (org, user) = register(store, "anna@example.be");
    let i = store.begin_consent(org.id, Provider::Ponto, "s", "v", "x", user.id, NOW).unwrap();
    let mut i = connected(store, i, NOW);
    i.status = IntegrationStatus::Syncing;
    let run = SyncRun::started(org.id, i.id, NOW);
    let accounts = [bank_account("10.00"), super::fixtures::bank_account_of("acc-2", "5.00")];
    let start = SyncStart {
        integration: &i,
        run: &run,
        interrupted: None,
        source: BankSource::Ponto,
        accounts: &accounts,
        now: NOW,
    };
    let stored = store.start_sync_run(&start).unwrap().unwrap();
    let (a, b) = (stored[0].id, stored[1].id);
    assert_ne!(a, b);
    let page = |account: Uuid, list: &[(&str, &str)]| SyncedTransactions {
        account_id: account,
        transactions: list
            .iter()
            .enumerate()
            .map(|(n, (id, amount))| super::fixtures::bank_transaction(id, amount, 1 + n as u8))
            .collect(),
    };
    let stored_rows = || {
        let all = BankTransactionQuery { account_id: None, from: None, to: None, after: None, limit: 50, text: None };
        let mut rows: Vec<(Uuid, String, String)> = store
            .bank_transactions(org.id, &all)
            .unwrap()
            .items
            .into_iter()
            .map(|t| {
                (t.account_id, t.transaction.provider_id().as_str().to_owned(), t.transaction.amount().to_string())
            })
            .collect();
        rows.sort();
        rows
    };
    let batch = |pages: &[SyncedTransactions]| {
        store
            .write_sync_batch(&SyncBatch {
                organisation_id: org.id,
                transactions: pages,
                watermarks: &[],
                finish: None,
                now: NOW,
            })
            .unwrap()
            .counts
    };

    let pages = [page(a, &[("t1", "1.00"), ("t2", "2.00")]), page(b, &[("t1", "3.00")]), page(a, &[("t2", "2.50")])];
    let counts = batch(&pages);
    assert_eq!((counts.new, counts.changed, counts.unchanged), (3, 0, 0));
    let mut expected = vec![
        (a, "t1".to_owned(), eur_text("1.00")),
        (a, "t2".to_owned(), eur_text("2.50")),
        (b, "t1".to_owned(), eur_text("3.00")),
    ];
    expected.sort();
    assert_eq!(stored_rows(), expected);

    // Again, with one change in the second account: the first account's t1 is left alone.
    let pages = [page(a, &[("t1", "1.00")]), page(a, &[("t2", "2.50")]), page(b, &[("t1", "3.50")])];
    let counts = batch(&pages);
    assert_eq!((counts.new, counts.changed, counts.unchanged), (0, 1, 2));
    for row in &mut expected {
        if row.0 == b {
            row.2 = eur_text("3.50");
        }
    }
    assert_eq!(stored_rows(), expected);
}

fn eur_text(amount: &str) -> String {
    billify_domain::Money::parse(amount, billify_domain::Currency::EUR).unwrap().to_string()
}

/// Sealed secrets are listed and re-sealed by compare-and-swap.
pub fn integrations_sealed_secrets<S: SyncStore>(store: &S) {
    let (org, user) = register(store, "anna@example.be");
    let i = store.begin_consent(org.id, Provider::Ponto, "state-digest", "sealed-verifier", "s", user.id, NOW).unwrap();
    store.store_tokens(org.id, i.id, i.token_version, "sealed-tokens", NOW).unwrap();
    let mut secrets = store.sealed_secrets().unwrap();
    secrets.sort_by(|x, y| x.0.kind.cmp(&y.0.kind));
    let kinds: Vec<(&str, &str)> = secrets.iter().map(|(r, s)| (r.kind.as_str(), s.as_str())).collect();
    assert_eq!(kinds, [("integration.tokens", "sealed-tokens"), ("integration.verifier", "sealed-verifier")]);
    assert!(secrets.iter().all(|(r, _)| r.organisation_id == org.id && r.id == i.id));
    assert!(secrets[0].0.context.contains(&i.id.to_string()));
    assert!(secrets[1].0.context.contains("state-digest"));
    let (tokens_ref, _) = &secrets[0];
    assert!(!store.reseal_secret(tokens_ref, "not-the-current-value", "x").unwrap());
    assert!(store.reseal_secret(tokens_ref, "sealed-tokens", "resealed-tokens").unwrap());
    let version = store.integration(org.id, i.id).unwrap().unwrap().token_version;
    assert_eq!(store.sealed_tokens(org.id, i.id).unwrap(), Some(("resealed-tokens".to_owned(), version)));
}

/// Finished jobs and old sync runs are deleted; queued and running jobs and recent runs stay.
pub fn integrations_history_is_purged<S: SyncStore>(store: &S) {
    use billify_ports::jobs::NewJob;
    let (org, user) = register(store, "anna@example.be");
    let i = store.begin_consent(org.id, Provider::Ponto, "s", "v", "x", user.id, NOW).unwrap();
    let job = |key: &str| NewJob {
        organisation_id: org.id,
        kind: "bank.sync".into(),
        key: key.into(),
        payload: "{}".into(),
        run_at: NOW,
    };
    store.enqueue(&job("done"), NOW).unwrap();
    let claimed = store.claim("w", NOW, Duration::minutes(5)).unwrap().unwrap();
    store.complete(&claimed, "w", NOW).unwrap();
    store.enqueue(&job("queued"), NOW).unwrap();
    assert_eq!(store.delete_finished_jobs(NOW).unwrap(), 0, "finished exactly at the cut-off: kept");
    assert_eq!(store.delete_finished_jobs(NOW + Duration::seconds(1)).unwrap(), 1);
    assert_eq!(store.claim("w", NOW, Duration::minutes(5)).unwrap().map(|j| j.key), Some("queued".to_owned()));
    assert!(store.enqueue(&job("done"), NOW).unwrap(), "the purged job's key is free again");

    let run = |started| SyncRun { outcome: SyncOutcome::Succeeded, ..SyncRun::started(org.id, i.id, started) };
    let recent = run(NOW);
    store.save_sync_run(&run(NOW - Duration::days(31))).unwrap();
    store.save_sync_run(&recent).unwrap();
    assert_eq!(store.delete_sync_runs_before(NOW - Duration::days(30)).unwrap(), 1);
    assert_eq!(store.sync_runs(org.id, i.id, 10).unwrap(), vec![recent]);
}

/// A queued sync postpones its integration, so the scheduler reaches the others; a sync that
/// already moved the time further is not pulled back.
pub fn integrations_postponed_by_the_scheduler_leave_the_due_list<S: SyncStore>(store: &S) {
    let (a, ua) = register(store, "anna@example.be");
    let (b, ub) = register(store, "bert@example.nl");
    let ia = store.begin_consent(a.id, Provider::Ponto, "sa", "v", "s", ua.id, NOW).unwrap();
    let ib = store.begin_consent(b.id, Provider::Ponto, "sb", "v", "s", ub.id, NOW).unwrap();
    let ia = connected(store, ia, NOW - Duration::minutes(2));
    let ib = connected(store, ib, NOW - Duration::minutes(1));
    assert_eq!(store.due_integrations(NOW, 1).unwrap(), vec![(a.id, ia.id)]);
    store.postpone_sync(a.id, ia.id, NOW, NOW + Duration::minutes(5)).unwrap();
    assert_eq!(store.due_integrations(NOW, 1).unwrap(), vec![(b.id, ib.id)], "the next one is reached");
    let ib = connected(store, ib, NOW + Duration::minutes(1));
    store.postpone_sync(b.id, ib.id, NOW, NOW + Duration::minutes(5)).unwrap();
    let read = store.integration(b.id, ib.id).unwrap().unwrap();
    assert_eq!(read.next_sync_at, Some(NOW + Duration::minutes(1)), "a later time set by a finished sync stays");
    assert!(store.due_integrations(NOW, 10).unwrap().is_empty());
    assert_eq!(store.due_integrations(NOW + Duration::minutes(5), 10).unwrap().len(), 2);
}
