//! Optional TOTP two-factor authentication (RFC 6238) with single-use recovery codes, and an
//! organisation's requirement that its members use it.
//!
//! - Enrolment: [`TwoFactorService::begin_enrolment`] seals a new secret under
//!   `totp:{user_id}` and answers it once (base32 and `otpauth://` URI); the enrolment is pending
//!   until [`TwoFactorService::confirm_enrolment`] receives a current code, which activates it and
//!   answers [`RECOVERY_CODES`] recovery codes once (only their digests are stored).
//! - Login: after a correct password, a user with an active enrolment gets a challenge
//!   ([`TwoFactorService::challenge_login`], valid [`LOGIN_CHALLENGE_LIFETIME`], stored as a
//!   digest) instead of a session; [`crate::AccountService::login_second_factor`] exchanges it with a
//!   code or a recovery code for the session.
//! - Every code works once: the time step of the last accepted code is stored and a code of that
//!   step or an earlier one is refused. Wrong codes count toward the account lock-out of password
//!   logins (and a correct password does not reset the count while the second factor is
//!   pending), so codes cannot be guessed.

use std::sync::Arc;

use billify_domain::{OrganisationId, Role, UserId};
use time::{Duration, OffsetDateTime};

use super::Actor;
use super::passwords::{LOGIN_FAILURE_WINDOW, LOGIN_LOCK_DURATION, MAX_LOGIN_FAILURES};
use billify_ports::audit::{AuditAction, AuditTarget, NewAuditEntry};
use billify_ports::two_factor::{LoginChallenge, OneTimePasswords, TotpEnrolment, TwoFactorRepository, totp_context};
use billify_ports::{AccountRepository, Clock, PasswordHasher, RepositoryError, SecretCipher, SecretError, SecretText};
use billify_ports::{SecretTokens, SecurityError};

/// How many recovery codes confirming an enrolment gives.
pub const RECOVERY_CODES: usize = 10;
/// How long the challenge between the password and the second factor works.
pub const LOGIN_CHALLENGE_LIFETIME: Duration = Duration::minutes(5);
/// The issuer an authenticator app shows next to the account.
pub const TOTP_ISSUER: &str = "Billify";

/// Why a two-factor operation failed. Messages never contain a secret or a code.
#[derive(Debug, thiserror::Error)]
pub enum TwoFactorError {
    /// A field is invalid (e.g. a wrong code when confirming); the message is for the user.
    #[error("{field}: {message}")]
    Invalid {
        /// The request field.
        field: &'static str,
        /// What is wrong.
        message: String,
    },
    /// The login challenge or its code is wrong, used or expired, or the account is locked
    /// (deliberately not saying which).
    #[error("invalid or expired challenge or code")]
    InvalidCredentials,
    /// The user has two-factor authentication on already.
    #[error("two-factor authentication is on already; turn it off first to enrol again")]
    AlreadyEnabled,
    /// The user has no (pending or active) enrolment for the operation.
    #[error("{0}")]
    NotEnabled(&'static str),
    /// The organisation requires two-factor authentication and the user has none.
    #[error("this organisation requires two-factor authentication: enrol at /api/v1/auth/2fa/totp")]
    Required,
    /// The role does not allow this.
    #[error("only owners can require two-factor authentication")]
    Forbidden,
    /// Storage failed.
    #[error(transparent)]
    Repository(#[from] RepositoryError),
    /// Hashing or code computation failed.
    #[error(transparent)]
    Security(#[from] SecurityError),
    /// Sealing or opening the secret failed.
    #[error(transparent)]
    Secret(#[from] SecretError),
}

/// The ports two-factor authentication uses.
pub struct TwoFactorPorts {
    /// Enrolments, recovery codes, challenges and requirements.
    pub repository: Arc<dyn TwoFactorRepository>,
    /// Users and the login lock-out.
    pub accounts: Arc<dyn AccountRepository>,
    /// Verifies the password when turning two-factor authentication off.
    pub hasher: Arc<dyn PasswordHasher>,
    /// Challenges and the digests of challenges and recovery codes.
    pub tokens: Arc<dyn SecretTokens>,
    /// TOTP codes and random secrets.
    pub otp: Arc<dyn OneTimePasswords>,
    /// Seals the TOTP secret.
    pub cipher: Arc<dyn SecretCipher>,
    /// The time.
    pub clock: Arc<dyn Clock>,
}

/// A new enrolment's secret, answered once: the only time it leaves the server.
#[derive(Debug, Clone)]
pub struct TotpSetup {
    /// The secret, base32.
    pub secret: SecretText,
    /// The `otpauth://` URI with the secret.
    pub uri: SecretText,
}

/// A user's two-factor state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TwoFactorStatus {
    /// Whether TOTP is on (confirmed).
    pub enabled: bool,
    /// Whether an enrolment awaits its confirming code.
    pub pending: bool,
    /// Unused recovery codes.
    pub recovery_codes_left: u32,
}

/// What proves the second factor at login.
#[derive(Debug, Clone)]
pub enum SecondFactor {
    /// A current TOTP code.
    Code(String),
    /// One of the recovery codes.
    RecoveryCode(String),
}

/// A password accepted for a user with a second factor: the challenge to answer with a code.
#[derive(Debug, Clone)]
pub struct PendingSecondFactor {
    /// The challenge, shown once; only its digest is stored.
    pub challenge: SecretText,
    /// When it stops working.
    pub expires_at: OffsetDateTime,
}

/// Two-factor enrolment, verification and the organisations' requirement.
pub struct TwoFactorService {
    ports: TwoFactorPorts,
    /// Counts the changes that may refuse a session (TOTP on or off, the requirement set), so
    /// that the session cache of [`crate::AccountService`] forgets what it read before them.
    changes: std::sync::atomic::AtomicU64,
}

fn invalid(field: &'static str, message: impl Into<String>) -> TwoFactorError {
    TwoFactorError::Invalid { field, message: message.into() }
}

/// A recovery code as typed, reduced to what is hashed: lower case, without separators.
fn normalise_recovery_code(code: &str) -> String {
    code.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_lowercase()).collect()
}

impl TwoFactorService {
    /// Wires the service to its ports.
    pub fn new(ports: TwoFactorPorts) -> Self {
        TwoFactorService { ports, changes: std::sync::atomic::AtomicU64::new(0) }
    }

    /// How many changes that may refuse a session this process made (see `changes`).
    pub(crate) fn changes(&self) -> u64 {
        self.changes.load(std::sync::atomic::Ordering::Acquire)
    }

    fn changed(&self) {
        self.changes.fetch_add(1, std::sync::atomic::Ordering::AcqRel);
    }

    /// The audit entry of turning two-factor authentication on or off, stored with the change.
    fn audit_entry(&self, actor: &Actor, action: AuditAction) -> NewAuditEntry {
        let now = self.ports.clock.now();
        let target = AuditTarget::new("user", actor.user_id);
        super::audit::entry(actor, action, target, now, None, None)
    }

    /// The user a login challenge was issued to, if it is known (used or expired ones
    /// included), to name in the audit trail.
    pub(crate) fn challenge_user(&self, challenge: &str) -> Option<UserId> {
        if challenge.is_empty() || challenge.len() > 256 {
            return None;
        }
        let digest = self.ports.tokens.digest(challenge);
        self.ports.repository.login_challenge(&digest).ok().flatten().map(|c| c.user_id)
    }

    /// The user's two-factor state.
    pub fn status(&self, user: UserId) -> Result<TwoFactorStatus, TwoFactorError> {
        let enrolment = self.ports.repository.totp(user)?;
        let enabled = enrolment.as_ref().is_some_and(TotpEnrolment::is_active);
        let recovery_codes_left = if enabled { self.ports.repository.recovery_codes_left(user)? } else { 0 };
        Ok(TwoFactorStatus { enabled, pending: enrolment.is_some() && !enabled, recovery_codes_left })
    }

    /// Starts (or restarts) the actor's enrolment with a new secret, pending until confirmed.
    ///
    /// # Errors
    /// [`TwoFactorError::AlreadyEnabled`] when TOTP is on already.
    pub fn begin_enrolment(&self, actor: &Actor) -> Result<TotpSetup, TwoFactorError> {
        let user = self.ports.accounts.user(actor.user_id)?.ok_or(TwoFactorError::NotEnabled("no such user"))?;
        if self.ports.repository.totp(user.id)?.is_some_and(|e| e.is_active()) {
            return Err(TwoFactorError::AlreadyEnabled);
        }
        let secret = self.ports.otp.new_secret();
        let uri = self.ports.otp.provisioning_uri(&secret, TOTP_ISSUER, user.email.as_str())?;
        let enrolment = TotpEnrolment {
            user_id: user.id,
            sealed_secret: self.ports.cipher.seal(&secret, &totp_context(user.id))?,
            confirmed_at: None,
            last_step: None,
            created_at: self.ports.clock.now(),
        };
        match self.ports.repository.begin_totp(&enrolment) {
            Ok(()) => {}
            Err(RepositoryError::Conflict(_)) => return Err(TwoFactorError::AlreadyEnabled),
            Err(e) => return Err(e.into()),
        }
        // Not a change that refuses a session, but the user's overview shows it as pending.
        self.changed();
        log::info!("user {} began a TOTP enrolment", user.id);
        Ok(TotpSetup { secret, uri: SecretText::new(uri) })
    }

    /// Activates the actor's pending enrolment with a current code; answers the recovery codes,
    /// shown once (only their digests are stored).
    pub fn confirm_enrolment(&self, actor: &Actor, code: &str) -> Result<Vec<SecretText>, TwoFactorError> {
        let user = actor.user_id;
        let enrolment = self
            .ports
            .repository
            .totp(user)?
            .filter(|e| !e.is_active())
            .ok_or(TwoFactorError::NotEnabled("no pending enrolment: start one first"))?;
        let step = self.matching_step(&enrolment, code)?.ok_or_else(|| invalid("code", "the code is not valid"))?;
        let codes: Vec<SecretText> =
            (0..RECOVERY_CODES).map(|_| SecretText::new(self.ports.otp.new_recovery_code())).collect();
        let digests: Vec<String> =
            codes.iter().map(|c| self.ports.tokens.digest(&normalise_recovery_code(c.expose()))).collect();
        let now = self.ports.clock.now();
        let audit = self.audit_entry(actor, AuditAction::TwoFactorEnabled);
        if !self.ports.repository.confirm_totp(user, &enrolment.sealed_secret, step, &digests, now, &audit)? {
            // Restarted or confirmed concurrently.
            return Err(TwoFactorError::NotEnabled("no pending enrolment: start one first"));
        }
        self.changed();
        log::info!("user {user} turned two-factor authentication on");
        Ok(codes)
    }

    /// Turns the actor's TOTP off, proven with a current code or the password.
    pub fn disable(&self, actor: &Actor, code: Option<&str>, password: Option<&str>) -> Result<(), TwoFactorError> {
        let user = actor.user_id;
        let enrolment = self
            .ports
            .repository
            .totp(user)?
            .filter(TotpEnrolment::is_active)
            .ok_or(TwoFactorError::NotEnabled("two-factor authentication is not on"))?;
        let proven = match (code, password) {
            (Some(code), _) => match self.matching_step(&enrolment, code)? {
                Some(step) => self.ports.repository.use_totp_step(user, step)?,
                None => false,
            },
            (None, Some(password)) => {
                let account = self.ports.accounts.user(user)?.ok_or(TwoFactorError::InvalidCredentials)?;
                password.chars().count() <= super::passwords::MAX_PASSWORD_CHARS
                    && self.ports.hasher.verify(password, &account.password_hash)?
            }
            (None, None) => return Err(invalid("code", "give a current code or the password")),
        };
        if !proven {
            self.record_failure(user)?;
            let field = if code.is_some() { "code" } else { "password" };
            return Err(invalid(field, format!("the {field} is not valid")));
        }
        let audit = self.audit_entry(actor, AuditAction::TwoFactorDisabled);
        self.ports.repository.remove_totp(user, &audit)?;
        self.changed();
        log::info!("user {user} turned two-factor authentication off");
        Ok(())
    }

    /// After a correct password: a challenge when the user has TOTP on, `None` otherwise.
    pub fn challenge_login(
        &self,
        user: UserId,
        organisation: Option<OrganisationId>,
    ) -> Result<Option<PendingSecondFactor>, TwoFactorError> {
        if !self.ports.repository.totp(user)?.is_some_and(|e| e.is_active()) {
            return Ok(None);
        }
        let now = self.ports.clock.now();
        let challenge = self.ports.tokens.generate();
        let stored = LoginChallenge {
            challenge_digest: self.ports.tokens.digest(&challenge),
            user_id: user,
            organisation_id: organisation,
            created_at: now,
            expires_at: now + LOGIN_CHALLENGE_LIFETIME,
        };
        self.ports.repository.create_login_challenge(&stored)?;
        log::info!("user {user} passed the password step; waiting for the second factor");
        Ok(Some(PendingSecondFactor { challenge: SecretText::new(challenge), expires_at: stored.expires_at }))
    }

    /// Checks a login challenge and its second factor; on success the challenge is used up and
    /// the failed-login count cleared, and the user and the organisation asked for are answered.
    ///
    /// # Errors
    /// [`TwoFactorError::InvalidCredentials`] for an unknown, used or expired challenge, a wrong
    /// or replayed code, a used recovery code, or a locked account, all alike; wrong codes count
    /// toward the lock-out.
    pub fn verify_login(
        &self,
        challenge: &str,
        proof: &SecondFactor,
    ) -> Result<(UserId, Option<OrganisationId>), TwoFactorError> {
        if challenge.is_empty() || challenge.len() > 256 {
            return Err(TwoFactorError::InvalidCredentials);
        }
        let repository = &self.ports.repository;
        let digest = self.ports.tokens.digest(challenge);
        let pending = repository.login_challenge(&digest)?.ok_or(TwoFactorError::InvalidCredentials)?;
        let now = self.ports.clock.now();
        if pending.expires_at <= now {
            repository.consume_login_challenge(&digest)?;
            return Err(TwoFactorError::InvalidCredentials);
        }
        let user = pending.user_id;
        if self.ports.accounts.login_locked_until(user)?.is_some_and(|until| until > now) {
            log::warn!("second factor refused for user {user}: locked after repeated failures");
            return Err(TwoFactorError::InvalidCredentials);
        }
        let enrolment = repository.totp(user)?.filter(TotpEnrolment::is_active);
        let Some(enrolment) = enrolment else {
            // Turned off since the password step: the challenge is void.
            repository.consume_login_challenge(&digest)?;
            return Err(TwoFactorError::InvalidCredentials);
        };
        let proven = match proof {
            SecondFactor::Code(code) => match self.matching_step(&enrolment, code)? {
                Some(step) => repository.use_totp_step(user, step)?,
                None => false,
            },
            SecondFactor::RecoveryCode(code) => {
                let code = normalise_recovery_code(code);
                !code.is_empty()
                    && code.len() <= 64
                    && repository.use_recovery_code(user, &self.ports.tokens.digest(&code), now)?
            }
        };
        if !proven {
            log::info!("wrong second factor for user {user}");
            self.record_failure(user)?;
            return Err(TwoFactorError::InvalidCredentials);
        }
        if !repository.consume_login_challenge(&digest)? {
            return Err(TwoFactorError::InvalidCredentials);
        }
        if matches!(proof, SecondFactor::RecoveryCode(_)) {
            // The user's overview counts the codes left.
            self.changed();
            log::warn!("user {user} logged in with a recovery code");
        }
        self.ports.accounts.clear_login_failures(user)?;
        Ok((user, pending.organisation_id))
    }

    /// Whether the organisation requires its members to use two-factor authentication.
    pub fn required(&self, organisation: OrganisationId) -> Result<bool, TwoFactorError> {
        Ok(self.ports.repository.two_factor_required(organisation)?)
    }

    /// Sets whether the actor's organisation requires two-factor authentication; owners only,
    /// and an owner must have it on before requiring it (so as not to lock themselves out).
    pub fn set_required(&self, actor: &Actor, required: bool) -> Result<(), TwoFactorError> {
        if actor.role != Role::Owner {
            return Err(TwoFactorError::Forbidden);
        }
        if required && !self.status(actor.user_id)?.enabled {
            return Err(TwoFactorError::NotEnabled("turn two-factor authentication on for yourself first"));
        }
        let now = self.ports.clock.now();
        self.ports.repository.set_two_factor_required(actor.organisation_id, required, now)?;
        self.changed();
        log::info!(
            "user {} {} two-factor authentication in {}",
            actor.user_id,
            if required { "required" } else { "stopped requiring" },
            actor.organisation_id
        );
        Ok(())
    }

    /// Refuses ([`TwoFactorError::Required`]) when the actor's organisation requires two-factor
    /// authentication and the actor has none.
    pub fn check_requirement(&self, actor: &Actor) -> Result<(), TwoFactorError> {
        if self.ports.repository.lacks_required_two_factor(actor.organisation_id, actor.user_id)? {
            return Err(TwoFactorError::Required);
        }
        Ok(())
    }

    /// Removes expired login challenges; returns how many.
    pub fn purge_expired_challenges(&self) -> Result<u64, TwoFactorError> {
        Ok(self.ports.repository.delete_expired_login_challenges(self.ports.clock.now())?)
    }

    /// The step whose code `code` is, if it is a current code (one step of drift either way)
    /// newer than the last one accepted.
    fn matching_step(&self, enrolment: &TotpEnrolment, code: &str) -> Result<Option<i64>, TwoFactorError> {
        let code = code.trim();
        if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
            return Ok(None);
        }
        let secret = self.ports.cipher.open(&enrolment.sealed_secret, &totp_context(enrolment.user_id))?;
        let now = self.ports.clock.now().unix_timestamp();
        let step = self.ports.otp.matching_step(&secret, code, now)?;
        Ok(step.filter(|s| enrolment.last_step.is_none_or(|last| *s > last)))
    }

    /// The clock's time.
    pub(super) fn now(&self) -> OffsetDateTime {
        self.ports.clock.now()
    }

    fn record_failure(&self, user: UserId) -> Result<(), TwoFactorError> {
        let now = self.ports.clock.now();
        let locked = self.ports.accounts.record_login_failure(
            user,
            now,
            now - LOGIN_FAILURE_WINDOW,
            MAX_LOGIN_FAILURES,
            now + LOGIN_LOCK_DURATION,
        )?;
        if let Some(until) = locked {
            log::warn!("user {user} locked until {until} after {MAX_LOGIN_FAILURES} failed logins");
        }
        Ok(())
    }
}
