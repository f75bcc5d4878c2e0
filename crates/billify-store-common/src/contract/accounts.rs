//! The contract of [`AccountRepository`]: registration, login throttling, members and
//! invitations.

use billify_domain::{
    EmailAddress, Membership, Organisation, OrganisationId, OrganisationName, PersonName, Role, User, UserId, VatNumber,
};
use billify_ports::RepositoryError;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use super::Store;
use super::fixtures::{NOW, invitation, join, noted, register, session};

/// Registration stores organisation, user and membership, readable every way.
pub fn accounts_register_and_read_back(store: &dyn Store) {
    let (org, user) = register(store, "anna@example.be");
    let (org2, _) = register(store, "bert@example.nl");
    assert_eq!(store.organisation(org.id).unwrap(), Some(org.clone()));
    assert_eq!(store.user(user.id).unwrap(), Some(user.clone()));
    assert_eq!(store.user_by_email(&EmailAddress::parse("ANNA@example.be").unwrap()).unwrap(), Some(user.clone()));
    assert_eq!(store.user_by_email(&EmailAddress::parse("nobody@example.be").unwrap()).unwrap(), None);
    let membership = store.membership(org.id, user.id).unwrap().expect("membership");
    assert_eq!(membership.role, Role::Owner);
    assert_eq!(store.membership(org2.id, user.id).unwrap(), None, "no membership in another organisation");
    assert_eq!(store.memberships_of(user.id).unwrap(), vec![membership]);
    let mut ids = vec![org.id, org2.id];
    ids.sort();
    assert_eq!(store.organisation_ids(None, 10).unwrap(), ids);
    assert_eq!(store.organisation_ids(None, 1).unwrap(), vec![ids[0]]);
    assert_eq!(store.organisation_ids(Some(ids[0]), 10).unwrap(), vec![ids[1]]);
    assert_eq!(store.organisation(OrganisationId::from_uuid(Uuid::now_v7())).unwrap(), None);
    let renamed = Organisation {
        name: OrganisationName::parse("Bloc Group BV").unwrap(),
        vat_number: Some(VatNumber::parse("BE0662970353").unwrap()),
        calendar: billify_domain::OrganisationCalendar {
            time_zone: billify_domain::TimeZoneName::parse("America/New_York").unwrap(),
            vat_periodicity: billify_domain::VatPeriodicity::Monthly,
            vat_deadline_day: billify_domain::VatDeadlineDay::new(25).unwrap(),
        },
        ..org.clone()
    };
    store.update_organisation(&renamed, &noted()).unwrap();
    assert_eq!(store.organisation(org.id).unwrap(), Some(renamed));
    assert_eq!(store.organisation(org2.id).unwrap().unwrap().vat_number, None, "only that organisation changed");
}

/// A second registration with a taken email is a conflict and leaves no organisation behind.
pub fn accounts_duplicate_email_conflicts_and_stores_nothing(store: &dyn Store) {
    let (_, user) = register(store, "anna@example.be");
    let organisation = Organisation {
        id: OrganisationId::from_uuid(Uuid::now_v7()),
        name: OrganisationName::parse("Second").unwrap(),
        vat_number: Some(VatNumber::parse("BE0662970353").unwrap()),
        calendar: Default::default(),
        created_at: NOW,
    };
    let twin = User { id: UserId::from_uuid(Uuid::now_v7()), ..user };
    let membership =
        Membership { organisation_id: organisation.id, user_id: twin.id, role: Role::Owner, created_at: NOW };
    let err = store.register(&organisation, &twin, &membership).unwrap_err();
    assert!(matches!(err, RepositoryError::Conflict(_)), "{err:?}");
    assert_eq!(store.organisation(organisation.id).unwrap(), None, "the transaction rolled back");
}

/// Five failures within the window lock logins; older failures are forgotten; success clears.
pub fn accounts_login_failures_lock_after_the_limit(store: &dyn Store) {
    let (_, user) = register(store, "anna@example.be");
    let lock = NOW + Duration::minutes(30);
    let fail =
        |at: OffsetDateTime| store.record_login_failure(user.id, at, at - Duration::minutes(5), 5, lock).unwrap();
    for i in 0..4 {
        assert_eq!(fail(NOW + Duration::seconds(i)), None);
    }
    assert_eq!(store.login_locked_until(user.id).unwrap(), None);
    // The fifth failure comes after the window of the first four: they are forgotten.
    assert_eq!(fail(NOW + Duration::minutes(6)), None);
    for i in 1..4 {
        assert_eq!(fail(NOW + Duration::minutes(6) + Duration::seconds(i)), None);
    }
    assert_eq!(fail(NOW + Duration::minutes(7)), Some(lock), "five failures within five minutes lock");
    assert_eq!(store.login_locked_until(user.id).unwrap(), Some(lock));
    store.clear_login_failures(user.id).unwrap();
    assert_eq!(store.login_locked_until(user.id).unwrap(), None);
}

/// Role changes are compare-and-set on the current role and never leave an organisation
/// without an owner; members are listed with their users, per organisation.
pub fn members_change_roles_but_keep_an_owner(store: &dyn Store) {
    use billify_ports::MemberChange;
    let (org, anna) = register(store, "anna@example.be");
    let (other, bert) = register(store, "bert@example.nl");
    join(store, org.id, bert.id, Role::Viewer);
    let members = store.members(org.id).unwrap();
    assert_eq!(
        members.iter().map(|m| (m.user.id, m.membership.role)).collect::<Vec<_>>(),
        vec![(anna.id, Role::Owner), (bert.id, Role::Viewer)]
    );
    assert_eq!(store.members(other.id).unwrap().len(), 1, "only the other organisation's own member");
    assert_eq!(
        store.change_role(org.id, anna.id, Role::Owner, Role::Admin, &noted()).unwrap(),
        MemberChange::LastOwner
    );
    assert_eq!(store.remove_member(org.id, anna.id, Role::Owner, &noted()).unwrap(), MemberChange::LastOwner);
    assert_eq!(store.change_role(org.id, bert.id, Role::Admin, Role::Owner, &noted()).unwrap(), MemberChange::NotFound);
    assert_eq!(
        store.change_role(other.id, anna.id, Role::Owner, Role::Viewer, &noted()).unwrap(),
        MemberChange::NotFound
    );
    assert_eq!(store.change_role(org.id, bert.id, Role::Viewer, Role::Owner, &noted()).unwrap(), MemberChange::Done);
    assert_eq!(store.change_role(org.id, anna.id, Role::Owner, Role::Admin, &noted()).unwrap(), MemberChange::Done);
    assert_eq!(store.membership(org.id, anna.id).unwrap().unwrap().role, Role::Admin);
    assert_eq!(
        store.change_role(org.id, bert.id, Role::Owner, Role::Viewer, &noted()).unwrap(),
        MemberChange::LastOwner
    );
    assert_eq!(store.membership(other.id, bert.id).unwrap().unwrap().role, Role::Owner, "other organisation intact");
}

/// Removing a member deletes the member's sessions acting on that organisation only.
pub fn removing_a_member_ends_their_sessions_there(store: &dyn Store) {
    use billify_ports::MemberChange;
    let (org, _) = register(store, "anna@example.be");
    let (other, bert) = register(store, "bert@example.nl");
    join(store, org.id, bert.id, Role::Accountant);
    store.create_session(&session("in-org", org.id, bert.id)).unwrap();
    store.create_session(&session("in-other", other.id, bert.id)).unwrap();
    assert_eq!(store.remove_member(org.id, bert.id, Role::Viewer, &noted()).unwrap(), MemberChange::NotFound);
    assert!(store.find_session("in-org").unwrap().is_some());
    assert_eq!(store.remove_member(org.id, bert.id, Role::Accountant, &noted()).unwrap(), MemberChange::Done);
    assert_eq!(store.membership(org.id, bert.id).unwrap(), None);
    assert_eq!(store.find_session("in-org").unwrap(), None);
    assert!(store.find_session("in-other").unwrap().is_some(), "sessions elsewhere stay");
    assert_eq!(store.remove_member(org.id, bert.id, Role::Accountant, &noted()).unwrap(), MemberChange::NotFound);
}

/// Invitations are found by digest within their organisation only, accepted once, not after
/// expiry, and revoked only while pending.
pub fn invitations_are_scoped_single_use_and_expire(store: &dyn Store) {
    let (org, anna) = register(store, "anna@example.be");
    let (other, _) = register(store, "bert@example.nl");
    let first = invitation(store, org.id, anna.id, Role::Viewer, "first");
    let second = invitation(store, org.id, anna.id, Role::Admin, "second");
    assert_eq!(store.invitation_by_digest(org.id, &first.token_digest).unwrap(), Some(first.clone()));
    assert_eq!(store.invitation_by_digest(other.id, &first.token_digest).unwrap(), None, "scoped");
    assert_eq!(store.pending_invitations(org.id, NOW).unwrap(), vec![first.clone(), second.clone()]);
    assert_eq!(store.pending_invitations(other.id, NOW).unwrap(), vec![]);
    assert_eq!(store.pending_invitations(org.id, NOW + Duration::days(7)).unwrap(), vec![], "expired");

    let carl = User {
        id: UserId::from_uuid(Uuid::now_v7()),
        email: first.email.clone(),
        name: PersonName::parse("Carl").unwrap(),
        password_hash: "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g".into(),
        created_at: NOW,
    };
    let membership = Membership { organisation_id: org.id, user_id: carl.id, role: Role::Viewer, created_at: NOW };
    let late = NOW + Duration::days(7);
    assert!(matches!(
        store.accept_invitation(&first, Some(&carl), &membership, late, &noted()),
        Err(RepositoryError::NotFound)
    ));
    assert_eq!(store.user(carl.id).unwrap(), None, "nothing stored after an expired accept");
    store.accept_invitation(&first, Some(&carl), &membership, NOW, &noted()).unwrap();
    assert_eq!(store.membership(org.id, carl.id).unwrap(), Some(membership.clone()));
    assert!(store.invitation_by_digest(org.id, &first.token_digest).unwrap().unwrap().accepted_at.is_some());
    assert!(matches!(
        store.accept_invitation(&first, None, &membership, NOW, &noted()),
        Err(RepositoryError::NotFound)
    ));
    // Accepting another invitation as an existing member conflicts and leaves it pending.
    assert!(matches!(
        store.accept_invitation(&second, None, &membership, NOW, &noted()),
        Err(RepositoryError::Conflict(_))
    ));
    assert_eq!(store.pending_invitations(org.id, NOW).unwrap(), vec![second.clone()]);

    assert!(!store.revoke_invitation(other.id, second.id, &noted()).unwrap(), "scoped");
    assert!(!store.revoke_invitation(org.id, first.id, &noted()).unwrap(), "accepted ones stay");
    assert!(store.revoke_invitation(org.id, second.id, &noted()).unwrap());
    assert_eq!(store.pending_invitations(org.id, NOW).unwrap(), vec![]);
}
