//! Registration, login, logout and authentication of sessions.

use std::sync::Arc;

use billify_domain::{
    EmailAddress, Membership, Organisation, OrganisationId, OrganisationName, PersonName, Role, User, UserId, VatNumber,
};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use super::Actor;
use crate::{
    AccountRepository, Clock, PasswordHasher, RepositoryError, SecretTokens, SecurityError, Session, SessionRepository,
};

/// The shortest password accepted (NIST SP 800-63B asks for at least 8; we ask 12).
pub const MIN_PASSWORD_CHARS: usize = 12;
/// Failed logins within [`LOGIN_FAILURE_WINDOW`] that lock an account.
pub const MAX_LOGIN_FAILURES: i32 = 5;
/// The window in which failures count.
pub const LOGIN_FAILURE_WINDOW: Duration = Duration::minutes(5);
/// How long a locked account refuses logins.
pub const LOGIN_LOCK_DURATION: Duration = Duration::minutes(30);
/// The longest password accepted, to bound hashing work.
pub const MAX_PASSWORD_CHARS: usize = 256;

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
    /// Storage failed.
    #[error(transparent)]
    Repository(#[from] RepositoryError),
    /// Hashing failed.
    #[error(transparent)]
    Security(#[from] SecurityError),
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
    /// When the session ends.
    pub expires_at: OffsetDateTime,
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
}

/// How long an unused session stays valid, unless configured otherwise.
pub const DEFAULT_IDLE_TIMEOUT: Duration = Duration::minutes(60);
/// Session use is recorded at most this often, to spare the database a write per request.
const TOUCH_INTERVAL: Duration = Duration::minutes(1);

fn invalid(field: &'static str, message: impl Into<String>) -> AccountError {
    AccountError::Invalid { field, message: message.into() }
}

impl AccountService {
    /// Wires the service to its ports; sessions last `session_lifetime`.
    pub fn new(
        accounts: Arc<dyn AccountRepository>,
        sessions: Arc<dyn SessionRepository>,
        hasher: Arc<dyn PasswordHasher>,
        tokens: Arc<dyn SecretTokens>,
        clock: Arc<dyn Clock>,
        session_lifetime: Duration,
    ) -> Self {
        AccountService {
            accounts,
            sessions,
            hasher,
            tokens,
            clock,
            session_lifetime,
            idle_timeout: DEFAULT_IDLE_TIMEOUT,
        }
    }

    /// Ends sessions unused for `idle` (60 minutes by default).
    pub fn with_idle_timeout(mut self, idle: Duration) -> Self {
        self.idle_timeout = idle;
        self
    }

    /// Creates an organisation with its owner.
    pub fn register(&self, input: Registration) -> Result<(Organisation, User), AccountError> {
        let organisation_name =
            OrganisationName::parse(&input.organisation_name).map_err(|e| invalid("organisation_name", e.message))?;
        let name = PersonName::parse(&input.name).map_err(|e| invalid("name", e.message))?;
        let email = EmailAddress::parse(&input.email).map_err(|e| invalid("email", e.message))?;
        let vat_number = parse_vat(input.vat_number.as_deref())?;
        check_password(&input.password)?;
        let now = self.clock.now();
        let organisation = Organisation {
            id: OrganisationId::from_uuid(Uuid::now_v7()),
            name: organisation_name,
            vat_number,
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
        self.accounts.clear_login_failures(user.id)?;
        let membership =
            self.accounts.memberships_of(user.id)?.into_iter().next().ok_or(AccountError::InvalidCredentials)?;
        let token = self.tokens.generate();
        let session = Session {
            token_digest: self.tokens.digest(&token),
            user_id: user.id,
            organisation_id: membership.organisation_id,
            created_at: now,
            expires_at: now + self.session_lifetime,
            last_seen_at: now,
        };
        self.sessions.create_session(&session)?;
        log::info!("user {} logged in", user.id);
        Ok(LoginOutcome { token, expires_at: session.expires_at })
    }

    /// Resolves a bearer token to who is acting. Expired sessions, and sessions whose
    /// membership was removed, are refused.
    pub fn authenticate(&self, token: &str) -> Result<AuthContext, AccountError> {
        if token.is_empty() || token.len() > 256 {
            return Err(AccountError::Unauthenticated);
        }
        let digest = self.tokens.digest(token);
        let session = self.sessions.find_session(&digest)?.ok_or(AccountError::Unauthenticated)?;
        let now = self.clock.now();
        if session.expires_at <= now || session.last_seen_at + self.idle_timeout <= now {
            self.sessions.delete_session(&digest)?;
            return Err(AccountError::Unauthenticated);
        }
        if now - session.last_seen_at >= TOUCH_INTERVAL {
            self.sessions.touch_session(&digest, now)?;
        }
        let membership =
            self.accounts.membership(session.organisation_id, session.user_id)?.ok_or(AccountError::Unauthenticated)?;
        Ok(AuthContext {
            actor: Actor { user_id: session.user_id, organisation_id: session.organisation_id, role: membership.role },
            token_digest: digest,
            expires_at: session.expires_at,
        })
    }

    /// Ends the session.
    pub fn logout(&self, context: &AuthContext) -> Result<(), AccountError> {
        self.sessions.delete_session(&context.token_digest)?;
        Ok(())
    }

    /// The current user, organisation and role.
    pub fn profile(&self, actor: &Actor) -> Result<Profile, AccountError> {
        let user = self.accounts.user(actor.user_id)?.ok_or(AccountError::Unauthenticated)?;
        let organisation = self.accounts.organisation(actor.organisation_id)?.ok_or(AccountError::Unauthenticated)?;
        let memberships = self.accounts.memberships_of(actor.user_id)?;
        Ok(Profile { user, organisation, role: actor.role, memberships })
    }

    /// Changes the organisation's name and VAT number (`Some(None)` clears it); owners and
    /// admins only.
    pub fn update_organisation(
        &self,
        actor: &Actor,
        name: Option<&str>,
        vat_number: Option<Option<&str>>,
    ) -> Result<Organisation, AccountError> {
        if !actor.role.can_administer() {
            return Err(AccountError::Forbidden);
        }
        let mut organisation =
            self.accounts.organisation(actor.organisation_id)?.ok_or(AccountError::Unauthenticated)?;
        if let Some(name) = name {
            organisation.name = OrganisationName::parse(name).map_err(|e| invalid("name", e.message))?;
        }
        if let Some(vat) = vat_number {
            organisation.vat_number = parse_vat(vat)?;
        }
        self.accounts.update_organisation(&organisation)?;
        Ok(organisation)
    }

    /// Removes expired sessions; returns how many. (Idle sessions are refused on use and
    /// removed then; their absolute expiry removes the rest.)
    pub fn purge_expired_sessions(&self) -> Result<u64, AccountError> {
        Ok(self.sessions.delete_expired_sessions(self.clock.now())?)
    }
}

fn parse_vat(text: Option<&str>) -> Result<Option<VatNumber>, AccountError> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(t) => VatNumber::parse(t).map(Some).map_err(|e| invalid("vat_number", e.message)),
    }
}

/// NIST SP 800-63B: a minimum length, a generous maximum, no composition rules.
fn check_password(password: &str) -> Result<(), AccountError> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(invalid("password", format!("use at least {MIN_PASSWORD_CHARS} characters")));
    }
    if chars > MAX_PASSWORD_CHARS {
        return Err(invalid("password", format!("use at most {MAX_PASSWORD_CHARS} characters")));
    }
    Ok(())
}
