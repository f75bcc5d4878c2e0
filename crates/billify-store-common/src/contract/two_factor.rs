//! The contract of [`TwoFactorRepository`] (and the TOTP secrets listed by
//! [`SealedSecretStore`]), run by both backends with
//! [`two_factor_contract_tests!`](crate::two_factor_contract_tests).

use billify_ports::two_factor::{LoginChallenge, TotpEnrolment, TwoFactorRepository, totp_context};
use billify_ports::{RepositoryError, SealedSecretStore};
use time::Duration;

use super::Store;
use super::fixtures::{NOW, join, noted, register};

/// Everything two-factor authentication needs of a store.
pub trait TwoFactorStore: Store + TwoFactorRepository + SealedSecretStore {}
impl<T> TwoFactorStore for T where T: Store + TwoFactorRepository + SealedSecretStore {}

/// Generates one `#[test]` per two-factor contract case, like
/// [`repository_contract_tests!`](crate::repository_contract_tests).
#[macro_export]
macro_rules! two_factor_contract_tests {
    ($make:expr) => {
        $crate::two_factor_contract_tests!(@cases $make;
            two_factor_enrolment_is_pending_until_confirmed,
            two_factor_steps_and_recovery_codes_are_single_use,
            two_factor_challenges_are_single_use_and_expire,
            two_factor_requirement_is_per_organisation,
            two_factor_secrets_are_listed_for_rotation,
            accounts_user_overview_reads_memberships_and_two_factor_at_once,
        );
    };
    (@cases $make:expr; $($case:ident),* $(,)?) => {
        $(
            #[test]
            fn $case() {
                let fixture = $make;
                $crate::contract::two_factor::$case(fixture.store());
            }
        )*
    };
}

fn pending(user: billify_domain::UserId, sealed: &str) -> TotpEnrolment {
    TotpEnrolment { user_id: user, sealed_secret: sealed.into(), confirmed_at: None, last_step: None, created_at: NOW }
}

fn digests(prefix: &str) -> Vec<String> {
    (0..10).map(|i| format!("{prefix}-{i}")).collect()
}

/// A pending enrolment is replaced by a newer one, confirmed once with its own secret, and an
/// active one is neither replaced nor confirmed again; removing it removes the codes.
pub fn two_factor_enrolment_is_pending_until_confirmed<S: TwoFactorStore>(store: &S) {
    let (_, user) = register(store, "anna@example.be");
    let (_, other) = register(store, "bert@example.be");
    assert_eq!(store.totp(user.id).unwrap(), None);
    store.begin_totp(&pending(user.id, "sealed-1")).unwrap();
    store.begin_totp(&pending(user.id, "sealed-2")).unwrap();
    let stored = store.totp(user.id).unwrap().expect("pending");
    assert_eq!(stored, pending(user.id, "sealed-2"), "replaced, round-tripped");
    assert!(!stored.is_active());
    assert!(!store.confirm_totp(user.id, "sealed-1", 100, &digests("a"), NOW, &noted()).unwrap(), "an old secret");
    assert!(!store.confirm_totp(other.id, "sealed-2", 100, &digests("a"), NOW, &noted()).unwrap(), "another user");
    assert!(store.confirm_totp(user.id, "sealed-2", 100, &digests("a"), NOW, &noted()).unwrap());
    let active = store.totp(user.id).unwrap().expect("active");
    assert_eq!((active.confirmed_at, active.last_step), (Some(NOW), Some(100)));
    assert!(!store.confirm_totp(user.id, "sealed-2", 101, &digests("b"), NOW, &noted()).unwrap(), "confirmed once");
    assert_eq!(store.recovery_codes_left(user.id).unwrap(), 10);
    assert!(matches!(store.begin_totp(&pending(user.id, "sealed-3")), Err(RepositoryError::Conflict(_))));
    assert_eq!(store.totp(user.id).unwrap().expect("kept").sealed_secret, "sealed-2");
    assert_eq!(store.totp(other.id).unwrap(), None);

    assert!(store.remove_totp(user.id, &noted()).unwrap());
    assert!(!store.remove_totp(user.id, &noted()).unwrap());
    assert_eq!(store.totp(user.id).unwrap(), None);
    assert_eq!(store.recovery_codes_left(user.id).unwrap(), 0);
}

/// A step is accepted only after the last one; a recovery code works once, for its user only.
pub fn two_factor_steps_and_recovery_codes_are_single_use<S: TwoFactorStore>(store: &S) {
    let (_, user) = register(store, "anna@example.be");
    let (_, other) = register(store, "bert@example.be");
    assert!(!store.use_totp_step(user.id, 5).unwrap(), "no enrolment");
    store.begin_totp(&pending(user.id, "sealed")).unwrap();
    assert!(!store.use_totp_step(user.id, 5).unwrap(), "pending");
    assert!(store.confirm_totp(user.id, "sealed", 100, &digests("code"), NOW, &noted()).unwrap());
    assert!(!store.use_totp_step(user.id, 100).unwrap(), "the confirming code is used");
    assert!(!store.use_totp_step(user.id, 99).unwrap());
    assert!(store.use_totp_step(user.id, 101).unwrap());
    assert!(!store.use_totp_step(user.id, 101).unwrap(), "replay");
    assert_eq!(store.totp(user.id).unwrap().expect("active").last_step, Some(101));

    assert!(!store.use_recovery_code(other.id, "code-3", NOW).unwrap(), "another user's code");
    assert!(!store.use_recovery_code(user.id, "unknown", NOW).unwrap());
    assert!(store.use_recovery_code(user.id, "code-3", NOW).unwrap());
    assert!(!store.use_recovery_code(user.id, "code-3", NOW).unwrap(), "single use");
    assert_eq!(store.recovery_codes_left(user.id).unwrap(), 9);
}

/// A challenge is read back, consumed once, and purged after it expires.
pub fn two_factor_challenges_are_single_use_and_expire<S: TwoFactorStore>(store: &S) {
    let (org, user) = register(store, "anna@example.be");
    let challenge = LoginChallenge {
        challenge_digest: "digest-1".into(),
        user_id: user.id,
        organisation_id: Some(org.id),
        created_at: NOW,
        expires_at: NOW + Duration::minutes(5),
    };
    store.create_login_challenge(&challenge).unwrap();
    let bare = LoginChallenge { challenge_digest: "digest-2".into(), organisation_id: None, ..challenge.clone() };
    store.create_login_challenge(&bare).unwrap();
    assert_eq!(store.login_challenge("digest-1").unwrap(), Some(challenge.clone()));
    assert_eq!(store.login_challenge("digest-2").unwrap(), Some(bare));
    assert_eq!(store.login_challenge("nope").unwrap(), None);
    assert!(store.consume_login_challenge("digest-1").unwrap());
    assert!(!store.consume_login_challenge("digest-1").unwrap(), "single use");
    assert_eq!(store.login_challenge("digest-1").unwrap(), None);
    assert_eq!(store.delete_expired_login_challenges(NOW + Duration::minutes(4)).unwrap(), 0);
    assert_eq!(store.delete_expired_login_challenges(NOW + Duration::minutes(5)).unwrap(), 1);
    assert_eq!(store.login_challenge("digest-2").unwrap(), None);
}

/// The requirement is off by default, set per organisation, and lacking only without an active
/// enrolment.
pub fn two_factor_requirement_is_per_organisation<S: TwoFactorStore>(store: &S) {
    let (org, user) = register(store, "anna@example.be");
    let (other, _) = register(store, "bert@example.be");
    assert!(!store.two_factor_required(org.id).unwrap());
    assert!(!store.lacks_required_two_factor(org.id, user.id).unwrap());
    store.set_two_factor_required(org.id, true, NOW).unwrap();
    assert!(store.two_factor_required(org.id).unwrap());
    assert!(!store.two_factor_required(other.id).unwrap(), "per organisation");
    assert!(store.lacks_required_two_factor(org.id, user.id).unwrap());
    assert!(!store.lacks_required_two_factor(other.id, user.id).unwrap());
    store.begin_totp(&pending(user.id, "sealed")).unwrap();
    assert!(store.lacks_required_two_factor(org.id, user.id).unwrap(), "pending is not enough");
    assert!(store.confirm_totp(user.id, "sealed", 1, &digests("c"), NOW, &noted()).unwrap());
    assert!(!store.lacks_required_two_factor(org.id, user.id).unwrap());
    store.set_two_factor_required(org.id, false, NOW).unwrap();
    assert!(!store.two_factor_required(org.id).unwrap());
}

/// Sealed TOTP secrets (pending and active) are listed under `user.totp` with their context, and
/// re-sealed by compare and swap.
pub fn two_factor_secrets_are_listed_for_rotation<S: TwoFactorStore>(store: &S) {
    let (_, user) = register(store, "anna@example.be");
    store.begin_totp(&pending(user.id, "sealed-old")).unwrap();
    let secrets = store.sealed_secrets().unwrap();
    let (at, sealed) = secrets.iter().find(|(at, _)| at.kind == "user.totp").expect("listed");
    assert_eq!(sealed, "sealed-old");
    assert_eq!(at.id, *user.id.as_uuid());
    assert_eq!(at.context, totp_context(user.id));
    assert!(!store.reseal_secret(at, "not-the-current-value", "x").unwrap());
    assert!(store.reseal_secret(at, "sealed-old", "sealed-new").unwrap());
    assert_eq!(store.totp(user.id).unwrap().expect("enrolment").sealed_secret, "sealed-new");
}

/// A user's overview (`GET /auth/me` in one statement) agrees with the separate reads: the
/// user, each membership with its organisation in `memberships_of`'s order, and the two-factor
/// state through enrolment, confirmation, a used recovery code and removal; nothing of
/// another user.
pub fn accounts_user_overview_reads_memberships_and_two_factor_at_once<S: TwoFactorStore>(store: &S) {
    let (org, user) = register(store, "anna@example.be");
    let (other_org, other) = register(store, "bert@example.be");
    join(store, other_org.id, user.id, billify_domain::Role::Viewer);
    store.begin_totp(&pending(other.id, "sealed-other")).unwrap();

    let overview = store.user_overview(user.id).unwrap().expect("a user");
    assert_eq!(overview.user, user);
    let expected: Vec<_> = store
        .memberships_of(user.id)
        .unwrap()
        .into_iter()
        .map(|m| {
            let organisation = store.organisation(m.organisation_id).unwrap().unwrap();
            (m, organisation)
        })
        .collect();
    assert_eq!(expected.len(), 2);
    assert_eq!(overview.memberships, expected);
    assert!(overview.memberships.iter().any(|(m, o)| m.organisation_id == org.id && o == &org));
    let state = |s: &S| {
        let o = s.user_overview(user.id).unwrap().unwrap();
        (o.totp_enrolled, o.totp_confirmed, o.recovery_codes_left)
    };
    assert_eq!(state(store), (false, false, 0), "another user's enrolment is not this one's");

    store.begin_totp(&pending(user.id, "sealed-1")).unwrap();
    assert_eq!(state(store), (true, false, 0), "pending");
    assert!(store.confirm_totp(user.id, "sealed-1", 100, &digests("a"), NOW, &noted()).unwrap());
    assert_eq!(state(store), (true, true, 10), "on, with ten codes");
    assert!(store.use_recovery_code(user.id, "a-3", NOW).unwrap());
    assert_eq!(state(store), (true, true, 9), "one code used");
    assert!(store.remove_totp(user.id, &noted()).unwrap());
    assert_eq!(state(store), (false, false, 0), "off");

    let other_overview = store.user_overview(other.id).unwrap().unwrap();
    assert_eq!(other_overview.memberships.len(), 1, "only the user's own memberships");
    assert_eq!((other_overview.totp_enrolled, other_overview.totp_confirmed), (true, false));
    let nobody = billify_domain::UserId::from_uuid(uuid::Uuid::now_v7());
    assert_eq!(store.user_overview(nobody).unwrap(), None);
}
