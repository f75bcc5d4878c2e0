//! Ports for organisations, users, memberships and sessions.

use billify_domain::{
    EmailAddress, Invitation, InvitationId, Membership, Organisation, OrganisationId, Role, SessionId, User, UserId,
};
use time::OffsetDateTime;

use crate::RepositoryError;
use crate::audit::NewAuditEntry;

/// Stores organisations, users and memberships.
pub trait AccountRepository: Send + Sync {
    /// Stores a new organisation, its first user and the user's membership in one transaction.
    ///
    /// # Errors
    /// MUST return [`RepositoryError::Conflict`] if a user with the same email exists; nothing is
    /// stored then.
    fn register(
        &self,
        organisation: &Organisation,
        user: &User,
        membership: &Membership,
    ) -> Result<(), RepositoryError>;

    /// Stores a changed name or VAT number of an organisation and, in the same transaction,
    /// `audit`.
    fn update_organisation(&self, organisation: &Organisation, audit: &NewAuditEntry) -> Result<(), RepositoryError>;

    /// The user with this email, if any.
    fn user_by_email(&self, email: &EmailAddress) -> Result<Option<User>, RepositoryError>;

    /// Until when the user's logins are refused, if they are.
    fn login_locked_until(&self, user: UserId) -> Result<Option<OffsetDateTime>, RepositoryError>;

    /// Counts a failed login: failures before `window_start` are forgotten first; reaching
    /// `max_failures` locks logins until `lock_until` (and starts a new count). Atomic under
    /// concurrent attempts. Returns the lock's end when this failure caused one.
    fn record_login_failure(
        &self,
        user: UserId,
        now: OffsetDateTime,
        window_start: OffsetDateTime,
        max_failures: i32,
        lock_until: OffsetDateTime,
    ) -> Result<Option<OffsetDateTime>, RepositoryError>;

    /// Forgets failed logins after a successful one.
    fn clear_login_failures(&self, user: UserId) -> Result<(), RepositoryError>;

    /// The user with this id, if any.
    fn user(&self, id: UserId) -> Result<Option<User>, RepositoryError>;

    /// The organisation with this id, if any.
    fn organisation(&self, id: OrganisationId) -> Result<Option<Organisation>, RepositoryError>;

    /// The user's membership in the organisation, if any.
    fn membership(&self, organisation: OrganisationId, user: UserId) -> Result<Option<Membership>, RepositoryError>;

    /// All memberships of a user, oldest first.
    fn memberships_of(&self, user: UserId) -> Result<Vec<Membership>, RepositoryError>;

    /// The user with each membership and its organisation (oldest first) and the user's
    /// two-factor state, read in one statement; `None` when there is no such user.
    ///
    /// Like [`AccountRepository::memberships_of`], scoped by the user: it reads the user's own
    /// memberships and the organisations they name, nothing of another user.
    fn user_overview(&self, user: UserId) -> Result<Option<UserOverview>, RepositoryError>;

    /// Organisation ids in ascending order after `after`, at most `limit`, for system jobs that
    /// visit every tenant one at a time.
    fn organisation_ids(
        &self,
        after: Option<OrganisationId>,
        limit: u32,
    ) -> Result<Vec<OrganisationId>, RepositoryError>;

    /// The organisation's members with their users, oldest membership first.
    fn members(&self, organisation: OrganisationId) -> Result<Vec<Member>, RepositoryError>;

    /// Changes a member's role from `from` to `to`, atomically: nothing changes when the member
    /// no longer has `from` ([`MemberChange::NotFound`]), or when it would leave the organisation
    /// without an owner ([`MemberChange::LastOwner`]). Concurrent changes in one organisation
    /// are serialised, so two owners demoting each other cannot both succeed. `audit` is
    /// appended in the same transaction when the role changed ([`MemberChange::Done`]).
    fn change_role(
        &self,
        organisation: OrganisationId,
        user: UserId,
        from: Role,
        to: Role,
        audit: &NewAuditEntry,
    ) -> Result<MemberChange, RepositoryError>;

    /// Removes a member who has role `role`, and in the same transaction every session of that
    /// user acting on the organisation, and `audit` when the member was removed; same outcomes
    /// as [`AccountRepository::change_role`].
    fn remove_member(
        &self,
        organisation: OrganisationId,
        user: UserId,
        role: Role,
        audit: &NewAuditEntry,
    ) -> Result<MemberChange, RepositoryError>;

    /// Stores a new invitation and, in the same transaction, `audit`.
    fn create_invitation(&self, invitation: &Invitation, audit: &NewAuditEntry) -> Result<(), RepositoryError>;

    /// The organisation's invitation whose token has this digest, if any (accepted and expired
    /// ones included; the caller decides).
    fn invitation_by_digest(
        &self,
        organisation: OrganisationId,
        token_digest: &str,
    ) -> Result<Option<Invitation>, RepositoryError>;

    /// Invitations not accepted and not expired at `now`, oldest first.
    fn pending_invitations(
        &self,
        organisation: OrganisationId,
        now: OffsetDateTime,
    ) -> Result<Vec<Invitation>, RepositoryError>;

    /// Deletes an invitation that was not accepted and, when one was deleted, appends `audit`
    /// in the same transaction; returns whether one was.
    fn revoke_invitation(
        &self,
        organisation: OrganisationId,
        id: InvitationId,
        audit: &NewAuditEntry,
    ) -> Result<bool, RepositoryError>;

    /// Accepts an invitation in one transaction: marks it accepted at `now` (only if it is still
    /// pending then), stores `new_user` when given, the membership, and `audit`.
    ///
    /// # Errors
    /// MUST return [`RepositoryError::NotFound`] when the invitation is not pending any more
    /// (used, revoked or expired), and [`RepositoryError::Conflict`] when the membership exists or
    /// `new_user`'s email is taken; nothing is stored then.
    fn accept_invitation(
        &self,
        invitation: &Invitation,
        new_user: Option<&User>,
        membership: &Membership,
        now: OffsetDateTime,
        audit: &NewAuditEntry,
    ) -> Result<(), RepositoryError>;

    /// Stores a user's new password hash and, in the same transaction, deletes every session of
    /// the user except the one whose token digest is `keep_session`.
    ///
    /// # Errors
    /// [`RepositoryError::NotFound`] when the user does not exist; nothing changes then.
    fn change_password(
        &self,
        user: UserId,
        password_hash: &str,
        keep_session: Option<&str>,
    ) -> Result<(), RepositoryError>;
}

/// A user as `GET /auth/me` shows it ([`AccountRepository::user_overview`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserOverview {
    /// The user.
    pub user: User,
    /// Each membership with the organisation it names, oldest first.
    pub memberships: Vec<(Membership, Organisation)>,
    /// A TOTP enrolment exists (confirmed or pending).
    pub totp_enrolled: bool,
    /// The TOTP enrolment is confirmed: two-factor authentication is on.
    pub totp_confirmed: bool,
    /// Unused recovery codes.
    pub recovery_codes_left: u32,
}

/// A member of an organisation: the membership and the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// The membership (role, since when).
    pub membership: Membership,
    /// The user.
    pub user: User,
}

/// What a change to a membership did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemberChange {
    /// The change was made.
    Done,
    /// No such member with the expected role (it may have changed meanwhile).
    NotFound,
    /// Refused: the organisation would be left without an owner.
    LastOwner,
}

/// A login session. The token itself is never stored, only its digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// The public id, by which its user lists and ends it.
    pub id: SessionId,
    /// The digest of the bearer token.
    pub token_digest: String,
    /// Who is logged in.
    pub user_id: UserId,
    /// The organisation the session acts on.
    pub organisation_id: OrganisationId,
    /// When the session began.
    pub created_at: OffsetDateTime,
    /// When the session ends, whatever happens.
    pub expires_at: OffsetDateTime,
    /// When it was last used (for the idle timeout).
    pub last_seen_at: OffsetDateTime,
    /// The client's `User-Agent` at login, at most [`MAX_USER_AGENT_CHARS`] characters.
    pub user_agent: Option<String>,
    /// The client's IP address at login.
    pub ip: Option<String>,
}

/// The longest user agent stored with a session; longer ones are cut.
pub const MAX_USER_AGENT_CHARS: usize = 256;

/// A session with what authenticating a request needs ([`SessionRepository::find_session_access`]).
#[derive(Debug, Clone)]
pub struct SessionAccess {
    /// The session.
    pub session: Session,
    /// The user's role in the session's organisation; `None` when no longer a member.
    pub default_role: Option<Role>,
    /// The user's role in the organisation named, when one was; `None` when not a member.
    pub named_role: Option<Role>,
    /// The organisation acted on requires a second factor and the user has none.
    pub lacks_required_two_factor: bool,
}

/// Stores sessions.
pub trait SessionRepository: Send + Sync {
    /// Stores a new session.
    fn create_session(&self, session: &Session) -> Result<(), RepositoryError>;

    /// Stores a new session and the audit entry of the login that opened it, in one
    /// transaction.
    fn create_session_audited(&self, session: &Session, audit: &NewAuditEntry) -> Result<(), RepositoryError>;

    /// The session with this token digest, if any (expired ones included; the caller decides).
    ///
    /// This is the one lookup not scoped by organisation: the token is what identifies the caller.
    fn find_session(&self, token_digest: &str) -> Result<Option<Session>, RepositoryError>;

    /// The session with this token digest, with what authenticating it needs, read in one
    /// statement: the user's role in the session's organisation and in `organisation` (when
    /// given), and whether the organisation acted on (`organisation`, else the session's)
    /// requires a second factor the user lacks.
    ///
    /// Like [`SessionRepository::find_session`], the one lookup not scoped by organisation; the
    /// roles are read for the session's own user only.
    fn find_session_access(
        &self,
        token_digest: &str,
        organisation: Option<OrganisationId>,
    ) -> Result<Option<SessionAccess>, RepositoryError>;

    /// Records that the session was used at `now`.
    fn touch_session(&self, token_digest: &str, now: OffsetDateTime) -> Result<(), RepositoryError>;

    /// Deletes a session; returns whether it existed.
    fn delete_session(&self, token_digest: &str) -> Result<bool, RepositoryError>;

    /// Deletes sessions that expired before `now`; returns how many.
    fn delete_expired_sessions(&self, now: OffsetDateTime) -> Result<u64, RepositoryError>;

    /// Every session of the user (expired ones included; the caller decides), newest first.
    fn sessions_of_user(&self, user: UserId) -> Result<Vec<Session>, RepositoryError>;

    /// Deletes the user's session with this id; returns whether one was deleted (another user's
    /// session is never touched).
    fn delete_user_session(&self, user: UserId, id: SessionId) -> Result<bool, RepositoryError>;

    /// Deletes every session of the user; returns how many.
    fn delete_user_sessions(&self, user: UserId) -> Result<u64, RepositoryError>;
}
