//! The second step of a login with two-factor authentication: the challenge and a TOTP or
//! recovery code become a session.

use super::{AccountError, AccountService, ClientInfo, LoginOutcome};
use crate::two_factor::{SecondFactor, TwoFactorError};

impl AccountService {
    /// Completes a login that [`AccountService::login_to`] answered with
    /// [`AccountError::SecondFactorRequired`]: checks the challenge and the second factor
    /// ([`crate::two_factor::TwoFactorService::verify_login`]) and opens the session for `client`.
    pub fn login_second_factor(
        &self,
        challenge: &str,
        proof: &SecondFactor,
        client: &ClientInfo,
    ) -> Result<LoginOutcome, AccountError> {
        let two_factor = self.two_factor().ok_or(AccountError::InvalidCredentials)?;
        // Read before the challenge is used up, to name the user of a refused attempt.
        let challenged = two_factor.challenge_user(challenge);
        let (user, organisation) = match two_factor.verify_login(challenge, proof) {
            Ok(verified) => verified,
            Err(e) => {
                if matches!(e, TwoFactorError::InvalidCredentials) {
                    self.audit_second_factor_failure(challenged, client.ip);
                }
                return Err(e.into());
            }
        };
        let method = match proof {
            SecondFactor::Code(_) => "totp",
            SecondFactor::RecoveryCode(_) => "recovery_code",
        };
        let record = super::audited::LoginRecord::Recorded(Some(serde_json::json!({ "second_factor": method })));
        self.open_session(user, organisation, client, two_factor.now(), record)
    }
}
