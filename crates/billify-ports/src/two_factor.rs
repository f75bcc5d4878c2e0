//! Ports for two-factor authentication: TOTP enrolments (RFC 6238) with their recovery codes,
//! the login challenges between the password and the second factor, and an organisation's
//! requirement that its members use a second factor.
//!
//! The TOTP secret reaches storage only sealed by the [`SecretCipher`](crate::SecretCipher)
//! under [`totp_context`]; recovery codes and challenges only as digests.

use billify_domain::{OrganisationId, UserId};
use time::OffsetDateTime;

use crate::audit::NewAuditEntry;
use crate::{RepositoryError, SecretText, SecurityError};

/// The associated data a user's sealed TOTP secret is bound to, so a sealed secret copied to
/// another user does not open.
pub fn totp_context(user: UserId) -> String {
    format!("totp:{user}")
}

/// A user's TOTP enrolment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TotpEnrolment {
    /// Whose it is.
    pub user_id: UserId,
    /// The secret, sealed under [`totp_context`].
    pub sealed_secret: String,
    /// When a first code confirmed it; `None` while the enrolment is pending (not in force).
    pub confirmed_at: Option<OffsetDateTime>,
    /// The time step (Unix time / 30 s) of the last code accepted; a code of this step or an
    /// earlier one is refused, so each code works once.
    pub last_step: Option<i64>,
    /// When the enrolment began.
    pub created_at: OffsetDateTime,
}

impl TotpEnrolment {
    /// Whether the second factor is in force (confirmed).
    pub fn is_active(&self) -> bool {
        self.confirmed_at.is_some()
    }
}

/// A password accepted for a user with a second factor: the login waits for the code. Only the
/// digest of the challenge handed to the client is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginChallenge {
    /// The digest of the challenge.
    pub challenge_digest: String,
    /// Who is logging in.
    pub user_id: UserId,
    /// The organisation asked for at login, if any.
    pub organisation_id: Option<OrganisationId>,
    /// When the password was accepted.
    pub created_at: OffsetDateTime,
    /// When the challenge stops working.
    pub expires_at: OffsetDateTime,
}

/// Stores TOTP enrolments, recovery codes, login challenges and the organisations'
/// requirement. Users are global identities, so only the requirement is per organisation.
pub trait TwoFactorRepository: Send + Sync {
    /// The user's enrolment, pending or active, if any.
    fn totp(&self, user: UserId) -> Result<Option<TotpEnrolment>, RepositoryError>;

    /// Stores a pending enrolment, replacing a pending one of the user.
    ///
    /// # Errors
    /// MUST return [`RepositoryError::Conflict`] when the user has an active enrolment; nothing
    /// is stored then.
    fn begin_totp(&self, enrolment: &TotpEnrolment) -> Result<(), RepositoryError>;

    /// Activates the user's pending enrolment whose secret is sealed as `sealed_secret`, records
    /// `step` as the last code used and replaces the user's recovery codes by
    /// `recovery_digests`, and appends `audit`, in one transaction. Returns false (and changes
    /// and records nothing) when there is no such pending enrolment.
    #[allow(clippy::too_many_arguments, reason = "one atomic write of the enrolment's parts")]
    fn confirm_totp(
        &self,
        user: UserId,
        sealed_secret: &str,
        step: i64,
        recovery_digests: &[String],
        now: OffsetDateTime,
        audit: &NewAuditEntry,
    ) -> Result<bool, RepositoryError>;

    /// Records that the code of `step` was used, if the active enrolment accepted no code of
    /// `step` or later; returns false otherwise (a replay). Atomic under concurrent use.
    fn use_totp_step(&self, user: UserId, step: i64) -> Result<bool, RepositoryError>;

    /// Marks the user's unused recovery code with this digest used at `now`; returns false when
    /// there is no such unused code. Atomic under concurrent use.
    fn use_recovery_code(&self, user: UserId, digest: &str, now: OffsetDateTime) -> Result<bool, RepositoryError>;

    /// How many unused recovery codes the user has.
    fn recovery_codes_left(&self, user: UserId) -> Result<u32, RepositoryError>;

    /// Removes the user's enrolment and recovery codes and, when an active enrolment was
    /// removed, appends `audit` in the same transaction; returns whether one was.
    fn remove_totp(&self, user: UserId, audit: &NewAuditEntry) -> Result<bool, RepositoryError>;

    /// Stores a login challenge.
    fn create_login_challenge(&self, challenge: &LoginChallenge) -> Result<(), RepositoryError>;

    /// The challenge with this digest, if any (expired ones included; the caller decides).
    ///
    /// Not scoped by organisation, like a session: the challenge identifies the caller.
    fn login_challenge(&self, digest: &str) -> Result<Option<LoginChallenge>, RepositoryError>;

    /// Deletes a challenge; returns whether it existed, so of concurrent callers one wins.
    fn consume_login_challenge(&self, digest: &str) -> Result<bool, RepositoryError>;

    /// Deletes challenges that expired before `now`; returns how many.
    fn delete_expired_login_challenges(&self, now: OffsetDateTime) -> Result<u64, RepositoryError>;

    /// Whether the organisation requires its members to use a second factor.
    fn two_factor_required(&self, organisation: OrganisationId) -> Result<bool, RepositoryError>;

    /// Sets whether the organisation requires a second factor.
    fn set_two_factor_required(
        &self,
        organisation: OrganisationId,
        required: bool,
        now: OffsetDateTime,
    ) -> Result<(), RepositoryError>;

    /// Whether the organisation requires a second factor that the user does not have (no
    /// active enrolment): the check made on every authenticated request.
    fn lacks_required_two_factor(&self, organisation: OrganisationId, user: UserId) -> Result<bool, RepositoryError>;
}

/// RFC 6238 time-based one-time passwords (SHA-1, 6 digits, 30-second steps), and the random
/// values of two-factor authentication, so use cases stay free of crypto libraries.
pub trait OneTimePasswords: Send + Sync {
    /// A new random secret (160 bits), base32 without padding, for an authenticator app.
    fn new_secret(&self) -> SecretText;

    /// The time step of `unix_seconds` (`unix_seconds / 30`).
    fn step_of(&self, unix_seconds: i64) -> i64;

    /// The step among the one of `unix_seconds` and its neighbours (one step either side, for
    /// clock drift) whose code is `code`, compared in constant time; `None` when none matches.
    ///
    /// # Errors
    /// [`SecurityError`] when the secret is not valid base32 or too short.
    fn matching_step(&self, secret: &SecretText, code: &str, unix_seconds: i64) -> Result<Option<i64>, SecurityError>;

    /// The `otpauth://totp/...` URI an authenticator app reads (as a QR code or a link).
    ///
    /// # Errors
    /// [`SecurityError`] when the secret is not valid base32 or too short.
    fn provisioning_uri(&self, secret: &SecretText, issuer: &str, account: &str) -> Result<String, SecurityError>;

    /// A new random recovery code (80 bits), in groups for typing: `abcd-efgh-ijkl-mnop`.
    fn new_recovery_code(&self) -> String;
}
