//! Registration, login, logout and authentication of sessions.

use std::sync::Arc;

use billify_domain::{
    EmailAddress, INVITATION_LIFETIME, Invitation, InvitationId, Membership, Organisation, OrganisationId,
    OrganisationName, Permission, PersonName, Role, TimeZoneName, User, UserId, VatDeadlineDay, VatNumber,
    VatPeriodicity,
};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use super::Actor;

mod access_tokens;
mod authentication;
mod second_factor;
mod session_cache;
mod sessions;
use billify_ports::audit::{AuditAction, AuditTarget, AuditTrail};

mod audited;
mod profile;
use billify_ports::{
    AccountRepository, Clock, Member, MemberChange, PasswordHasher, RepositoryError, SecretTokens, SecurityError,
    Session, SessionRepository,
};

pub use super::passwords::{
    LOGIN_FAILURE_WINDOW, LOGIN_LOCK_DURATION, MAX_LOGIN_FAILURES, MAX_PASSWORD_CHARS, MIN_PASSWORD_CHARS,
};
pub use access_tokens::{
    DEFAULT_TOKEN_DAYS, IssuedAccessToken, MAX_TOKEN_DAYS, MAX_TOKENS_PER_MEMBER, NewAccessToken, TOKEN_PREFIX,
    TokenGrant,
};
pub use session_cache::SESSION_CACHE_TTL;
pub use sessions::{ClientInfo, OwnSession};

/// Why an account operation failed.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    /// A field is invalid; the message is for the user.
    #[error("{field}: {message}")]
    Invalid {
        /// The request field.
        field: &'static str,
        /// What is wrong.
        message: String,
    },
    /// An account with this email exists.
    #[error("an account with this email already exists")]
    EmailTaken,
    /// Wrong email or password (deliberately not saying which).
    #[error("invalid email or password")]
    InvalidCredentials,
    /// No valid session.
    #[error("not authenticated")]
    Unauthenticated,
    /// The role does not allow this.
    #[error("your role does not allow this")]
    Forbidden,
    /// No such thing in the organisation acted on (or no membership in the organisation named);
    /// the text says what was looked for.
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The change would leave the organisation without an owner.
    #[error("the organisation must keep at least one owner")]
    LastOwner,
    /// The user is a member of the organisation already.
    #[error("this user is a member of the organisation already")]
    AlreadyMember,
    /// The invitation was sent to another email address than the logged-in user's.
    #[error("the invitation is for another email address")]
    WrongInvitee,
    /// Storage failed.
    #[error(transparent)]
    Repository(#[from] RepositoryError),
    /// Hashing failed.
    #[error(transparent)]
    Security(#[from] SecurityError),
    /// The password is right and the user has two-factor authentication on: no session yet;
    /// the login continues with the challenge and a code
    /// ([`AccountService::login_second_factor`]). Not a failure.
    #[error("a second factor is required")]
    SecondFactorRequired(super::two_factor::PendingSecondFactor),
    /// The member holds the most personal access tokens allowed in the organisation.
    #[error("you hold the most access tokens allowed in this organisation; revoke one first")]
    TooManyTokens,
    /// A two-factor operation failed.
    #[error(transparent)]
    TwoFactor(#[from] super::two_factor::TwoFactorError),
}

/// A change to an organisation's profile and calendar; `None` leaves a field as it is.
#[derive(Debug, Clone, Copy, Default)]
pub struct OrganisationChange<'a> {
    /// A new name.
    pub name: Option<&'a str>,
    /// A new VAT number, or `Some(None)` to clear it.
    pub vat_number: Option<Option<&'a str>>,
    /// A new IANA time zone, e.g. `Europe/Brussels`.
    pub time_zone: Option<&'a str>,
    /// `monthly` or `quarterly`.
    pub vat_periodicity: Option<&'a str>,
    /// The day (1 to 28) of the month after a VAT period its return is due.
    pub vat_deadline_day: Option<i64>,
}

/// What a new customer supplies to start using Billify.
#[derive(Debug, Clone)]
pub struct Registration {
    /// The organisation's name.
    pub organisation_name: String,
    /// The person's name.
    pub name: String,
    /// The login email.
    pub email: String,
    /// The password, in clear; hashed before storage and never logged.
    pub password: String,
    /// The organisation's VAT number, if given.
    pub vat_number: Option<String>,
}

/// A successful login.
#[derive(Debug, Clone)]
pub struct LoginOutcome {
    /// The bearer token, shown once.
    pub token: String,
    /// When it stops working.
    pub expires_at: OffsetDateTime,
}

/// An authenticated request's identity.
#[derive(Debug, Clone)]
pub struct AuthContext {
    /// Who acts where with which role.
    pub actor: Actor,
    /// The session's token digest, to log out.
    pub token_digest: String,
    /// The session's public id.
    pub session_id: Option<billify_domain::SessionId>,
    /// When the session (or access token) ends.
    pub expires_at: OffsetDateTime,
    /// The personal access token the request came with, if it did not come with a session.
    pub access_token: Option<TokenGrant>,
}

/// The current user with the organisation acted on.
#[derive(Debug, Clone)]
pub struct Profile {
    /// The user.
    pub user: User,
    /// The organisation of the session.
    pub organisation: Organisation,
    /// The user's role there.
    pub role: Role,
    /// All the user's memberships.
    pub memberships: Vec<Membership>,
    /// The user's two-factor state (what it is stored as, whether or not the service offers
    /// two-factor authentication).
    pub two_factor: super::two_factor::TwoFactorStatus,
}

/// A new invitation with its token, which is shown once and never stored.
#[derive(Debug, Clone)]
pub struct IssuedInvitation {
    /// The invitation as stored.
    pub invitation: Invitation,
    /// The token that accepts it.
    pub token: String,
}

/// Who accepts an invitation.
#[derive(Debug, Clone)]
pub enum Invitee {
    /// A logged-in user, whose email must be the one invited.
    User(UserId),
    /// The holder of the invited email's account, not logged in (e.g. removed from their last
    /// organisation, so with no session to log in to), proven by the account's password.
    ExistingUser {
        /// The password, in clear; never logged.
        password: String,
    },
    /// Someone without an account: one is created with the invited email.
    NewUser {
        /// The person's name.
        name: String,
        /// The password, in clear; hashed before storage and never logged.
        password: String,
    },
}

/// An accepted invitation.
#[derive(Debug, Clone)]
pub struct Accepted {
    /// The organisation joined.
    pub organisation: Organisation,
    /// The member.
    pub user: User,
    /// The role received.
    pub role: Role,
    /// Whether the user account was created by accepting.
    pub created_user: bool,
}

/// The ports registration, login and sessions need.
pub struct AccountPorts {
    /// Organisations, users and memberships.
    pub accounts: Arc<dyn AccountRepository>,
    /// Sessions.
    pub sessions: Arc<dyn SessionRepository>,
    /// Personal access tokens.
    pub access_tokens: Arc<dyn billify_ports::access_tokens::AccessTokenRepository>,
    /// Hashes and verifies passwords.
    pub hasher: Arc<dyn PasswordHasher>,
    /// Session tokens and their digests.
    pub tokens: Arc<dyn SecretTokens>,
    /// The time.
    pub clock: Arc<dyn Clock>,
    /// The audit log refused sign-ins are recorded in (the entries of changes are stored by
    /// the repository methods that make them).
    pub audit: Arc<dyn billify_ports::AuditLog>,
}

/// Registration, login and sessions.
pub struct AccountService {
    accounts: Arc<dyn AccountRepository>,
    sessions: Arc<dyn SessionRepository>,
    hasher: Arc<dyn PasswordHasher>,
    tokens: Arc<dyn SecretTokens>,
    clock: Arc<dyn Clock>,
    session_lifetime: Duration,
    idle_timeout: Duration,
    two_factor: Option<Arc<super::two_factor::TwoFactorService>>,
    access_tokens: Arc<dyn billify_ports::access_tokens::AccessTokenRepository>,
    audit: AuditTrail,
    /// Sessions this process authenticated a moment ago ([`session_cache`]).
    cache: session_cache::SessionCache,
}

/// How long an unused session stays valid, unless configured otherwise.
pub const DEFAULT_IDLE_TIMEOUT: Duration = Duration::minutes(60);
/// Session and token use is recorded at most this often, to spare the database a write per
/// request (sessions with a short idle timeout are recorded more often: see
/// [`AccountService::touch_interval`]).
const TOUCH_INTERVAL: Duration = Duration::minutes(1);

fn invalid(field: &'static str, message: impl Into<String>) -> AccountError {
    AccountError::Invalid { field, message: message.into() }
}

impl AccountService {
    /// Wires the service to its ports; sessions last `session_lifetime`.
    pub fn new(ports: AccountPorts, session_lifetime: Duration) -> Self {
        let AccountPorts { accounts, sessions, access_tokens, hasher, tokens, clock, audit } = ports;
        AccountService {
            accounts,
            sessions,
            hasher,
            tokens,
            clock,
            session_lifetime,
            idle_timeout: DEFAULT_IDLE_TIMEOUT,
            two_factor: None,
            access_tokens,
            audit: AuditTrail::new(audit),
            cache: session_cache::SessionCache::new(SESSION_CACHE_TTL),
        }
    }

    /// Trusts authenticated sessions from memory for `ttl` ([`SESSION_CACHE_TTL`] by default;
    /// zero turns the cache off).
    pub fn with_session_cache(mut self, ttl: std::time::Duration) -> Self {
        self.cache = session_cache::SessionCache::new(ttl);
        self
    }

    /// Forgets every session authenticated from memory: call after a change made outside this
    /// service that ends sessions or memberships (an organisation deleted).
    pub fn sessions_changed(&self) {
        self.cache.invalidate();
    }

    /// The generation of the two-factor changes, part of the session cache's generation.
    fn two_factor_changes(&self) -> u64 {
        self.two_factor.as_ref().map_or(0, |t| t.changes())
    }

    /// Ends sessions unused for `idle` (60 minutes by default).
    pub fn with_idle_timeout(mut self, idle: Duration) -> Self {
        self.idle_timeout = idle;
        self
    }

    /// How often a session's use is recorded: a twentieth of the idle timeout, at most a
    /// minute (3 s for a one-minute timeout).
    pub fn touch_interval(&self) -> Duration {
        (self.idle_timeout / 20_i32).min(TOUCH_INTERVAL)
    }

    /// Whether a session recorded as last seen at `last_seen` has been idle for the timeout at
    /// `now`. The record lags the last use by less than the touch interval, so counting from
    /// `last_seen` plus that interval ends a session between `idle_timeout` and `idle_timeout`
    /// plus the touch interval after its last use: never early, late by less than the interval.
    pub(crate) fn idle_expired(&self, last_seen: OffsetDateTime, now: OffsetDateTime) -> bool {
        last_seen + self.idle_timeout + self.touch_interval() <= now
    }

    /// Offers TOTP two-factor authentication: logins of users who turned it on wait for a code.
    pub fn with_two_factor(mut self, two_factor: Arc<super::two_factor::TwoFactorService>) -> Self {
        self.two_factor = Some(two_factor);
        self
    }

    /// Two-factor authentication, when offered.
    pub fn two_factor(&self) -> Option<&Arc<super::two_factor::TwoFactorService>> {
        self.two_factor.as_ref()
    }

    /// Creates an organisation with its owner.
    pub fn register(&self, input: Registration) -> Result<(Organisation, User), AccountError> {
        let organisation_name =
            OrganisationName::parse(&input.organisation_name).map_err(|e| invalid("organisation_name", e.message))?;
        let name = PersonName::parse(&input.name).map_err(|e| invalid("name", e.message))?;
        let email = EmailAddress::parse(&input.email).map_err(|e| invalid("email", e.message))?;
        let vat_number = parse_vat(input.vat_number.as_deref())?;
        check_password(&input.password, &[&input.email, &input.name, &input.organisation_name])?;
        let now = self.clock.now();
        let organisation = Organisation {
            id: OrganisationId::from_uuid(Uuid::now_v7()),
            name: organisation_name,
            vat_number,
            calendar: Default::default(),
            created_at: now,
        };
        let user = User {
            id: UserId::from_uuid(Uuid::now_v7()),
            email,
            name,
            password_hash: self.hasher.hash(&input.password)?,
            created_at: now,
        };
        let membership =
            Membership { organisation_id: organisation.id, user_id: user.id, role: Role::Owner, created_at: now };
        match self.accounts.register(&organisation, &user, &membership) {
            Ok(()) => {
                log::info!("registered organisation {} with owner {}", organisation.id, user.id);
                Ok((organisation, user))
            }
            Err(RepositoryError::Conflict(_)) => Err(AccountError::EmailTaken),
            Err(e) => Err(e.into()),
        }
    }

    /// Checks credentials and opens a session in the user's first organisation.
    ///
    /// Unknown emails and wrong passwords fail the same way and take the same time.
    pub fn login(&self, email: &str, password: &str) -> Result<LoginOutcome, AccountError> {
        self.login_to(email, password, None)
    }

    /// Checks credentials and opens a session whose default organisation is `organisation`
    /// (which must be one of the user's), or the user's first organisation.
    pub fn login_to(
        &self,
        email: &str,
        password: &str,
        organisation: Option<OrganisationId>,
    ) -> Result<LoginOutcome, AccountError> {
        self.login_client(email, password, organisation, &ClientInfo::default())
    }

    /// [`AccountService::login_to`] remembering the client's user agent and address with the
    /// session, so that its user recognises it in the list of sessions.
    pub fn login_client(
        &self,
        email: &str,
        password: &str,
        organisation: Option<OrganisationId>,
        client: &ClientInfo,
    ) -> Result<LoginOutcome, AccountError> {
        self.check_login(email, password, organisation, client, audited::LoginRecord::Unrecorded)
    }

    /// Checks credentials and opens a session, recording the login as `record` says.
    fn check_login(
        &self,
        email: &str,
        password: &str,
        organisation: Option<OrganisationId>,
        client: &ClientInfo,
        record: audited::LoginRecord,
    ) -> Result<LoginOutcome, AccountError> {
        let user = match EmailAddress::parse(email) {
            Ok(email) => self.accounts.user_by_email(&email)?,
            Err(_) => None,
        };
        let Some(user) = user else {
            self.hasher.verify_dummy(password);
            return Err(AccountError::InvalidCredentials);
        };
        let now = self.clock.now();
        // A locked account answers exactly like a wrong password (and takes as long), so the
        // response reveals neither the lock nor whether the email exists.
        if self.accounts.login_locked_until(user.id)?.is_some_and(|until| until > now) {
            self.hasher.verify_dummy(password);
            log::warn!("login refused for user {}: locked after repeated failures", user.id);
            return Err(AccountError::InvalidCredentials);
        }
        if password.chars().count() > MAX_PASSWORD_CHARS || !self.hasher.verify(password, &user.password_hash)? {
            log::info!("failed login for user {}", user.id);
            let locked = self.accounts.record_login_failure(
                user.id,
                now,
                now - LOGIN_FAILURE_WINDOW,
                MAX_LOGIN_FAILURES,
                now + LOGIN_LOCK_DURATION,
            )?;
            if let Some(until) = locked {
                log::warn!("user {} locked until {until} after {MAX_LOGIN_FAILURES} failed logins", user.id);
            }
            return Err(AccountError::InvalidCredentials);
        }
        // With a second factor, the password alone opens nothing and does not reset the failure
        // count, so wrong codes keep counting toward the lock-out.
        if let Some(two_factor) = &self.two_factor
            && let Some(pending) = two_factor.challenge_login(user.id, organisation)?
        {
            return Err(AccountError::SecondFactorRequired(pending));
        }
        self.accounts.clear_login_failures(user.id)?;
        self.open_session(user.id, organisation, client, now, record)
    }

    /// Opens a session for a user whose credentials were checked, in `organisation` (which must
    /// be one of the user's) or the user's first organisation; a recorded login is stored with
    /// the session, in the chain of the organisation the session acts on.
    pub(super) fn open_session(
        &self,
        user: UserId,
        organisation: Option<OrganisationId>,
        client: &ClientInfo,
        now: OffsetDateTime,
        record: audited::LoginRecord,
    ) -> Result<LoginOutcome, AccountError> {
        let memberships = self.accounts.memberships_of(user)?;
        let membership = match organisation {
            None => memberships.into_iter().next().ok_or(AccountError::InvalidCredentials)?,
            Some(o) => memberships
                .into_iter()
                .find(|m| m.organisation_id == o)
                .ok_or_else(|| invalid("organisation_id", "you are not a member of this organisation"))?,
        };
        let token = self.tokens.generate();
        let session = Session {
            id: billify_domain::SessionId::from_uuid(Uuid::now_v7()),
            token_digest: self.tokens.digest(&token),
            user_id: user,
            organisation_id: membership.organisation_id,
            created_at: now,
            expires_at: now + self.session_lifetime,
            last_seen_at: now,
            user_agent: client.user_agent(),
            ip: client.ip.map(|ip| ip.to_string()),
        };
        match record {
            audited::LoginRecord::Unrecorded => self.sessions.create_session(&session)?,
            audited::LoginRecord::Recorded(after) => {
                let audit = audited::login_succeeded(&session, client.ip, after);
                self.sessions.create_session_audited(&session, &audit)?;
            }
        }
        log::info!("user {user} logged in");
        Ok(LoginOutcome { token, expires_at: session.expires_at })
    }

    /// Ends the session.
    pub fn logout(&self, context: &AuthContext) -> Result<(), AccountError> {
        self.sessions.delete_session(&context.token_digest)?;
        self.cache.invalidate();
        Ok(())
    }

    /// The names of the organisations the actor's user belongs to, for choosing one (each a
    /// lookup of the user's own memberships, so nothing of another tenant is read).
    pub fn organisation_names(&self, actor: &Actor) -> Result<Vec<(OrganisationId, String)>, AccountError> {
        let Some(overview) = self.accounts.user_overview(actor.user_id)? else { return Ok(Vec::new()) };
        Ok(overview.memberships.into_iter().map(|(_, o)| (o.id, o.name.to_string())).collect())
    }

    /// Changes the organisation's name, VAT number (`Some(None)` clears it) and calendar; owners
    /// and admins only. A time zone must be known to the tz database.
    pub fn update_organisation(
        &self,
        actor: &Actor,
        change: OrganisationChange<'_>,
    ) -> Result<Organisation, AccountError> {
        let OrganisationChange { name, vat_number, time_zone, vat_periodicity, vat_deadline_day } = change;
        require(actor, Permission::ManageOrganisation)?;
        let mut organisation =
            self.accounts.organisation(actor.organisation_id)?.ok_or(AccountError::Unauthenticated)?;
        let before = audited::organisation_state(&organisation);
        if let Some(name) = name {
            organisation.name = OrganisationName::parse(name).map_err(|e| invalid("name", e.message))?;
        }
        if let Some(vat) = vat_number {
            organisation.vat_number = parse_vat(vat)?;
        }
        if let Some(zone) = time_zone {
            let zone = TimeZoneName::parse(zone).map_err(|e| invalid("time_zone", e.message))?;
            billify_ports::check_time_zone(&zone).map_err(|e| invalid("time_zone", e.to_string()))?;
            organisation.calendar.time_zone = zone;
        }
        if let Some(periodicity) = vat_periodicity {
            organisation.calendar.vat_periodicity =
                periodicity.parse::<VatPeriodicity>().map_err(|e| invalid("vat_periodicity", e.message))?;
        }
        if let Some(day) = vat_deadline_day {
            organisation.calendar.vat_deadline_day =
                VatDeadlineDay::new(day).map_err(|e| invalid("vat_deadline_day", e.message))?;
        }
        let target = AuditTarget::new("organisation", organisation.id);
        let after = audited::organisation_state(&organisation);
        let audit = self.audit_entry(actor, AuditAction::OrganisationUpdated, target, Some(before), Some(after));
        self.accounts.update_organisation(&organisation, &audit)?;
        crate::calendar::forget_calendar(organisation.id);
        // Its members' overviews show it.
        self.cache.invalidate();
        Ok(organisation)
    }

    /// The organisation's members; for those who manage members.
    pub fn members(&self, actor: &Actor) -> Result<Vec<Member>, AccountError> {
        require(actor, Permission::ManageMembers)?;
        Ok(self.accounts.members(actor.organisation_id)?)
    }

    /// Gives a member another role. Only owners give or take the owner role, and the last owner
    /// stays an owner.
    pub fn change_role(&self, actor: &Actor, user: UserId, role: Role) -> Result<Member, AccountError> {
        require(actor, Permission::ManageMembers)?;
        let current = self.member_role(actor, user)?;
        if !actor.role.can_grant(current) || !actor.role.can_grant(role) {
            return Err(AccountError::Forbidden);
        }
        let (before, after) = (audited::role_state(current), audited::role_state(role));
        let target = AuditTarget::new("user", user);
        let audit = self.audit_entry(actor, AuditAction::RoleChanged, target, Some(before), Some(after));
        let changed = self.accounts.change_role(actor.organisation_id, user, current, role, &audit);
        self.cache.invalidate();
        member_change(changed?)?;
        log::info!(
            "user {} changed the role of {user} in {} from {current} to {role}",
            actor.user_id,
            actor.organisation_id
        );
        self.accounts
            .members(actor.organisation_id)?
            .into_iter()
            .find(|m| m.user.id == user)
            .ok_or(AccountError::NotFound("member"))
    }

    /// Removes a member and that member's sessions acting on the organisation. Only owners
    /// remove owners, and the last owner stays.
    pub fn remove_member(&self, actor: &Actor, user: UserId) -> Result<(), AccountError> {
        require(actor, Permission::ManageMembers)?;
        let current = self.member_role(actor, user)?;
        if !actor.role.can_grant(current) {
            return Err(AccountError::Forbidden);
        }
        let before = Some(audited::role_state(current));
        let audit = self.audit_entry(actor, AuditAction::MemberRemoved, AuditTarget::new("user", user), before, None);
        let removed = self.accounts.remove_member(actor.organisation_id, user, current, &audit);
        self.cache.invalidate();
        member_change(removed?)?;
        log::info!("user {} removed {user} from {}", actor.user_id, actor.organisation_id);
        Ok(())
    }

    fn member_role(&self, actor: &Actor, user: UserId) -> Result<Role, AccountError> {
        Ok(self.accounts.membership(actor.organisation_id, user)?.ok_or(AccountError::NotFound("member"))?.role)
    }

    /// Invites someone by email to join the organisation with `role`. The token in the answer
    /// is the only copy: only its digest is stored.
    pub fn invite(&self, actor: &Actor, email: &str, role: &str) -> Result<IssuedInvitation, AccountError> {
        require(actor, Permission::ManageMembers)?;
        let email = EmailAddress::parse(email).map_err(|e| invalid("email", e.message));
        let role = role.parse::<Role>().map_err(|e| invalid("role", e.message));
        let (email, role) = match (email, role) {
            (Ok(email), Ok(role)) => (email, role),
            (Err(e), _) | (_, Err(e)) => return Err(e),
        };
        if !actor.role.can_grant(role) {
            return Err(AccountError::Forbidden);
        }
        if let Some(user) = self.accounts.user_by_email(&email)?
            && self.accounts.membership(actor.organisation_id, user.id)?.is_some()
        {
            return Err(AccountError::AlreadyMember);
        }
        let now = self.clock.now();
        // The organisation is part of the token so that accepting looks the invitation up within
        // its tenant, like every other query.
        let token = format!("{}.{}", actor.organisation_id, self.tokens.generate());
        let invitation = Invitation {
            id: InvitationId::from_uuid(Uuid::now_v7()),
            organisation_id: actor.organisation_id,
            email,
            role,
            invited_by: actor.user_id,
            token_digest: self.tokens.digest(&token),
            created_at: now,
            expires_at: now + INVITATION_LIFETIME,
            accepted_at: None,
        };
        let after = Some(audited::invitation_state(&invitation));
        let target = AuditTarget::new("invitation", invitation.id);
        let audit = self.audit_entry(actor, AuditAction::InvitationCreated, target, None, after);
        self.accounts.create_invitation(&invitation, &audit)?;
        log::info!("user {} invited {} to {} as {role}", actor.user_id, invitation.id, actor.organisation_id);
        Ok(IssuedInvitation { invitation, token })
    }

    /// Invitations of the organisation that can still be accepted.
    pub fn invitations(&self, actor: &Actor) -> Result<Vec<Invitation>, AccountError> {
        require(actor, Permission::ManageMembers)?;
        Ok(self.accounts.pending_invitations(actor.organisation_id, self.clock.now())?)
    }

    /// Withdraws an invitation that was not accepted.
    pub fn revoke_invitation(&self, actor: &Actor, id: InvitationId) -> Result<(), AccountError> {
        require(actor, Permission::ManageMembers)?;
        let audit =
            self.audit_entry(actor, AuditAction::InvitationRevoked, AuditTarget::new("invitation", id), None, None);
        if self.accounts.revoke_invitation(actor.organisation_id, id, &audit)? {
            log::info!("user {} revoked invitation {id}", actor.user_id);
            Ok(())
        } else {
            Err(AccountError::NotFound("invitation"))
        }
    }

    /// Accepts an invitation: an unknown, used, revoked or expired token is
    /// [`AccountError::NotFound`], all alike. Recorded in the audit trail of the organisation
    /// joined, like [`AccountService::accept_invitation_from`] without a client address.
    pub fn accept_invitation(&self, token: &str, invitee: Invitee) -> Result<Accepted, AccountError> {
        self.accept_invitation_from(token, invitee, None)
    }

    /// Accepts an invitation from the client at `ip`, storing the membership and its audit
    /// entry together.
    fn accept_invitation_at(
        &self,
        token: &str,
        invitee: Invitee,
        ip: Option<std::net::IpAddr>,
    ) -> Result<Accepted, AccountError> {
        let not_found = || AccountError::NotFound("invitation");
        let organisation_id = token
            .split_once('.')
            .and_then(|(org, _)| Uuid::parse_str(org).ok())
            .map(OrganisationId::from_uuid)
            .filter(|_| token.len() <= 256)
            .ok_or_else(not_found)?;
        let invitation =
            self.accounts.invitation_by_digest(organisation_id, &self.tokens.digest(token))?.ok_or_else(not_found)?;
        let now = self.clock.now();
        if !invitation.is_pending(now) {
            return Err(not_found());
        }
        let (user, new_user) = match invitee {
            Invitee::User(id) => {
                let user = self.accounts.user(id)?.ok_or(AccountError::Unauthenticated)?;
                if user.email != invitation.email {
                    return Err(AccountError::WrongInvitee);
                }
                (user, false)
            }
            Invitee::ExistingUser { password } => {
                let user = self.accounts.user_by_email(&invitation.email)?.ok_or_else(|| {
                    invalid("name", "no account has the invited address: give a name and a password to create one")
                })?;
                if self.accounts.login_locked_until(user.id)?.is_some_and(|until| until > now) {
                    self.hasher.verify_dummy(&password);
                    return Err(AccountError::InvalidCredentials);
                }
                if password.chars().count() > MAX_PASSWORD_CHARS
                    || !self.hasher.verify(&password, &user.password_hash)?
                {
                    log::info!("wrong password accepting invitation {} for user {}", invitation.id, user.id);
                    self.accounts.record_login_failure(
                        user.id,
                        now,
                        now - LOGIN_FAILURE_WINDOW,
                        MAX_LOGIN_FAILURES,
                        now + LOGIN_LOCK_DURATION,
                    )?;
                    return Err(AccountError::InvalidCredentials);
                }
                (user, false)
            }
            Invitee::NewUser { name, password } => {
                let name = PersonName::parse(&name).map_err(|e| invalid("name", e.message))?;
                check_password(&password, &[invitation.email.as_str(), name.as_str()])?;
                let user = User {
                    id: UserId::from_uuid(Uuid::now_v7()),
                    email: invitation.email.clone(),
                    name,
                    password_hash: self.hasher.hash(&password)?,
                    created_at: now,
                };
                (user, true)
            }
        };
        let membership = Membership { organisation_id, user_id: user.id, role: invitation.role, created_at: now };
        let audit = audited::invitation_accepted(&membership, new_user, ip, now);
        match self.accounts.accept_invitation(&invitation, new_user.then_some(&user), &membership, now, &audit) {
            Ok(()) => {}
            Err(RepositoryError::NotFound) => return Err(not_found()),
            Err(RepositoryError::Conflict(_)) if new_user => return Err(AccountError::EmailTaken),
            Err(RepositoryError::Conflict(_)) => return Err(AccountError::AlreadyMember),
            Err(e) => return Err(e.into()),
        }
        log::info!("user {} accepted invitation {} to {organisation_id}", user.id, invitation.id);
        let organisation = self.accounts.organisation(organisation_id)?.ok_or_else(not_found)?;
        Ok(Accepted { organisation, user, role: invitation.role, created_user: new_user })
    }

    /// Removes expired sessions; returns how many. (Idle sessions are refused on use and
    /// removed then; their absolute expiry removes the rest.)
    pub fn purge_expired_sessions(&self) -> Result<u64, AccountError> {
        Ok(self.sessions.delete_expired_sessions(self.clock.now())?)
    }
}

/// Refuses unless the actor's role grants the permission ([`Role::can`] decides).
pub fn require(actor: &Actor, permission: Permission) -> Result<(), AccountError> {
    if actor.role.can(permission) { Ok(()) } else { Err(AccountError::Forbidden) }
}

fn member_change(change: MemberChange) -> Result<(), AccountError> {
    match change {
        MemberChange::Done => Ok(()),
        MemberChange::NotFound => Err(AccountError::NotFound("member")),
        MemberChange::LastOwner => Err(AccountError::LastOwner),
    }
}

fn parse_vat(text: Option<&str>) -> Result<Option<VatNumber>, AccountError> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(t) => VatNumber::parse(t).map(Some).map_err(|e| invalid("vat_number", e.message)),
    }
}

/// NIST SP 800-63B ([`super::passwords`]): a minimum length, a generous maximum, no
/// composition rules, no common, repetitive or personal password.
fn check_password(password: &str, personal: &[&str]) -> Result<(), AccountError> {
    super::passwords::check_new_password(password, personal).map_err(|problem| invalid("password", problem.to_string()))
}
