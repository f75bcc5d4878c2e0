//! The contract of [`SessionRepository`]: sessions found by digest, listed, ended and expired.

use billify_domain::{Role, SessionId, UserId};
use billify_ports::{RepositoryError, Session};
use time::Duration;
use uuid::Uuid;

use super::Store;
use super::fixtures::{NOW, join, register, session};

/// Sessions are found by digest, deleted once, and purged after expiry.
pub fn sessions_create_find_delete_and_expire(store: &dyn Store) {
    let (org, user) = register(store, "anna@example.be");
    let session = |digest: &str, expires_at| Session {
        id: SessionId::from_uuid(Uuid::now_v7()),
        token_digest: digest.into(),
        user_id: user.id,
        organisation_id: org.id,
        created_at: NOW,
        expires_at,
        last_seen_at: NOW,
        user_agent: Some("curl/8.5.0".into()),
        ip: Some("2001:db8::1".into()),
    };
    let live = session("aaaa", NOW + Duration::hours(1));
    let old = session("bbbb", NOW - Duration::minutes(1));
    store.create_session(&live).unwrap();
    store.create_session(&old).unwrap();
    assert_eq!(store.find_session("aaaa").unwrap(), Some(live.clone()));
    assert_eq!(store.find_session("cccc").unwrap(), None);
    store.touch_session("aaaa", NOW + Duration::minutes(5)).unwrap();
    assert_eq!(store.find_session("aaaa").unwrap().unwrap().last_seen_at, NOW + Duration::minutes(5));
    assert_eq!(store.delete_expired_sessions(NOW).unwrap(), 1);
    assert_eq!(store.find_session("bbbb").unwrap(), None);
    assert!(store.delete_session("aaaa").unwrap());
    assert!(!store.delete_session("aaaa").unwrap());
}

/// A user's sessions are listed newest first and ended one by one or all together, never
/// touching another user's.
pub fn sessions_are_listed_and_ended_per_user(store: &dyn Store) {
    let (org, anna) = register(store, "anna@example.be");
    let (other, bert) = register(store, "bert@example.nl");
    let first = session("anna-1", org.id, anna.id);
    let second = Session { created_at: NOW + Duration::seconds(1), ..session("anna-2", org.id, anna.id) };
    let berts = session("bert-1", other.id, bert.id);
    for s in [&first, &second, &berts] {
        store.create_session(s).unwrap();
    }
    assert_eq!(store.sessions_of_user(anna.id).unwrap(), vec![second.clone(), first.clone()]);
    assert_eq!(store.sessions_of_user(bert.id).unwrap(), vec![berts.clone()]);
    assert!(!store.delete_user_session(anna.id, berts.id).unwrap(), "another user's session");
    assert!(store.find_session("bert-1").unwrap().is_some());
    assert!(store.delete_user_session(anna.id, first.id).unwrap());
    assert!(!store.delete_user_session(anna.id, first.id).unwrap());
    assert_eq!(store.sessions_of_user(anna.id).unwrap(), vec![second]);
    store.create_session(&session("anna-3", org.id, anna.id)).unwrap();
    assert_eq!(store.delete_user_sessions(anna.id).unwrap(), 2);
    assert_eq!(store.sessions_of_user(anna.id).unwrap(), vec![]);
    assert_eq!(store.sessions_of_user(bert.id).unwrap(), vec![berts], "other users keep theirs");
}

/// A password change stores the new hash and ends every other session of the user at once.
pub fn password_change_ends_the_other_sessions(store: &dyn Store) {
    let (org, anna) = register(store, "anna@example.be");
    let (other, bert) = register(store, "bert@example.nl");
    join(store, other.id, anna.id, Role::Viewer);
    for (digest, organisation, user) in [
        ("keep", org.id, anna.id),
        ("end-1", org.id, anna.id),
        ("end-2", other.id, anna.id),
        ("bert", other.id, bert.id),
    ] {
        store.create_session(&session(digest, organisation, user)).unwrap();
    }
    store.change_password(anna.id, "$argon2id$new", Some("keep")).unwrap();
    assert_eq!(store.user(anna.id).unwrap().unwrap().password_hash, "$argon2id$new");
    assert_eq!(store.user(bert.id).unwrap().unwrap().password_hash, bert.password_hash, "only hers");
    let left: Vec<_> = store.sessions_of_user(anna.id).unwrap().into_iter().map(|s| s.token_digest).collect();
    assert_eq!(left, ["keep"]);
    assert!(store.find_session("bert").unwrap().is_some());
    store.change_password(anna.id, "$argon2id$newer", None).unwrap();
    assert_eq!(store.sessions_of_user(anna.id).unwrap(), vec![]);
    let nobody = UserId::from_uuid(Uuid::now_v7());
    assert!(matches!(store.change_password(nobody, "$argon2id$x", None), Err(RepositoryError::NotFound)));
}
