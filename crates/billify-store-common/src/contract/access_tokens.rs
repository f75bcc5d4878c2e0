//! The contract of [`AccessTokenRepository`], run by both backends with
//! [`access_token_contract_tests!`](crate::access_token_contract_tests).

use billify_domain::{OrganisationId, Role, UserId};
use billify_ports::{AccessToken, AccessTokenRepository, RepositoryError, TokenScope};
use time::Duration;
use uuid::Uuid;

use super::Store;
use super::fixtures::{NOW, join, noted, register};

/// Everything personal access tokens need of a store.
pub trait AccessTokenStore: Store + AccessTokenRepository {}
impl<T> AccessTokenStore for T where T: Store + AccessTokenRepository {}

/// Generates one `#[test]` per access-token contract case, like
/// [`repository_contract_tests!`](crate::repository_contract_tests).
#[macro_export]
macro_rules! access_token_contract_tests {
    ($make:expr) => {
        $crate::access_token_contract_tests!(@cases $make;
            access_tokens_round_trip_scoped_by_organisation,
            access_tokens_are_listed_touched_and_revoked_per_member,
            access_tokens_go_with_the_membership,
        );
    };
    (@cases $make:expr; $($case:ident),* $(,)?) => {
        $(
            #[test]
            fn $case() {
                let fixture = $make;
                $crate::contract::access_tokens::$case(fixture.store());
            }
        )*
    };
}

pub(super) fn token(organisation: OrganisationId, user: UserId, digest: &str, minutes: i64) -> AccessToken {
    AccessToken {
        id: Uuid::now_v7(),
        organisation_id: organisation,
        user_id: user,
        name: format!("script {digest}"),
        scope: TokenScope::Read,
        token_digest: digest.into(),
        created_at: NOW + Duration::minutes(minutes),
        expires_at: Some(NOW + Duration::days(90)),
        last_used_at: None,
    }
}

/// Every field comes back; the lookup by digest finds a token only within its organisation, and
/// a digest is never stored twice.
pub fn access_tokens_round_trip_scoped_by_organisation<S: AccessTokenStore>(store: &S) {
    let (org, anna) = register(store, "anna@example.be");
    let (other, bert) = register(store, "bert@example.be");
    let mut written = token(org.id, anna.id, "digest-a", 0);
    written.scope = TokenScope::ReadWrite;
    written.last_used_at = Some(NOW + Duration::seconds(5));
    store.create_access_token(&written, &noted()).unwrap();
    let never = AccessToken { expires_at: None, ..token(other.id, bert.id, "digest-b", 0) };
    store.create_access_token(&never, &noted()).unwrap();

    assert_eq!(store.access_token(org.id, "digest-a").unwrap(), Some(written.clone()));
    assert_eq!(store.access_token(other.id, "digest-b").unwrap(), Some(never));
    assert_eq!(store.access_token(other.id, "digest-a").unwrap(), None, "another organisation's token");
    assert_eq!(store.access_token(org.id, "nope").unwrap(), None);
    let twin = token(org.id, anna.id, "digest-a", 1);
    assert!(matches!(store.create_access_token(&twin, &noted()), Err(RepositoryError::Conflict(_))));
}

/// A member's tokens are listed newest first, touched and revoked only within their organisation
/// and by their member.
pub fn access_tokens_are_listed_touched_and_revoked_per_member<S: AccessTokenStore>(store: &S) {
    let (org, anna) = register(store, "anna@example.be");
    let (other, bert) = register(store, "bert@example.be");
    join(store, org.id, bert.id, Role::Viewer);
    let old = token(org.id, anna.id, "old", 0);
    let new = token(org.id, anna.id, "new", 1);
    let berts = token(org.id, bert.id, "berts", 2);
    let elsewhere = token(other.id, bert.id, "elsewhere", 3);
    for t in [&old, &new, &berts, &elsewhere] {
        store.create_access_token(t, &noted()).unwrap();
    }
    let ids = |o, u| store.access_tokens_of(o, u).unwrap().into_iter().map(|t| t.id).collect::<Vec<_>>();
    assert_eq!(ids(org.id, anna.id), [new.id, old.id]);
    assert_eq!(ids(org.id, bert.id), [berts.id]);
    assert_eq!(ids(other.id, bert.id), [elsewhere.id]);
    assert_eq!(ids(other.id, anna.id), Vec::<Uuid>::new());

    let used = NOW + Duration::hours(1);
    store.touch_access_token(other.id, old.id, used).unwrap();
    assert_eq!(store.access_token(org.id, "old").unwrap().unwrap().last_used_at, None, "scoped");
    store.touch_access_token(org.id, old.id, used).unwrap();
    assert_eq!(store.access_token(org.id, "old").unwrap().unwrap().last_used_at, Some(used));

    assert!(!store.delete_access_token(org.id, bert.id, old.id, &noted()).unwrap(), "another member's token");
    assert!(!store.delete_access_token(other.id, anna.id, old.id, &noted()).unwrap(), "another organisation");
    assert!(store.delete_access_token(org.id, anna.id, old.id, &noted()).unwrap());
    assert!(!store.delete_access_token(org.id, anna.id, old.id, &noted()).unwrap(), "once");
    assert_eq!(store.access_token(org.id, "old").unwrap(), None);
    assert_eq!(ids(org.id, anna.id), [new.id]);
}

/// Removing a member removes their tokens in that organisation only; a non-member gets none.
pub fn access_tokens_go_with_the_membership<S: AccessTokenStore>(store: &S) {
    let (org, anna) = register(store, "anna@example.be");
    let (other, bert) = register(store, "bert@example.be");
    join(store, org.id, bert.id, Role::Accountant);
    store.create_access_token(&token(org.id, bert.id, "in-org", 0), &noted()).unwrap();
    store.create_access_token(&token(other.id, bert.id, "own-org", 0), &noted()).unwrap();
    store.create_access_token(&token(org.id, anna.id, "annas", 0), &noted()).unwrap();
    assert_eq!(
        store.remove_member(org.id, bert.id, Role::Accountant, &noted()).unwrap(),
        billify_ports::MemberChange::Done
    );
    assert_eq!(store.access_token(org.id, "in-org").unwrap(), None);
    assert!(store.access_token(other.id, "own-org").unwrap().is_some(), "kept in the other organisation");
    assert!(store.access_token(org.id, "annas").unwrap().is_some(), "other members keep theirs");
    let stranger = token(org.id, bert.id, "stranger", 1);
    assert!(matches!(store.create_access_token(&stranger, &noted()), Err(RepositoryError::NotFound)));
    assert_eq!(store.access_token(org.id, "stranger").unwrap(), None);
}
