//! RFC 6238 time-based one-time passwords with the `totp-rs` crate (HMAC-SHA-1 from RustCrypto,
//! constant-time comparison), and the random values of two-factor authentication.

use billify_ports::{OneTimePasswords, SecretText, SecurityError};
use rand::RngCore as _;
use totp_rs::{Algorithm, Builder, Secret};

/// Seconds per time step.
const STEP_SECONDS: u64 = 30;
/// Digits per code.
const DIGITS: u8 = 6;
/// Bytes of a new secret: 160 bits, RFC 4226's recommendation.
const SECRET_BYTES: usize = 20;
/// The lower-case RFC 4648 base32 alphabet, for recovery codes.
const RECOVERY_ALPHABET: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";

/// TOTP with SHA-1, 6 digits and 30-second steps: what every authenticator app reads.
#[derive(Debug, Clone, Copy, Default)]
pub struct Totp;

fn totp(secret: &SecretText, issuer: Option<&str>, account: &str) -> Result<totp_rs::Totp, SecurityError> {
    let bytes = Secret::try_from_base32(secret.expose())
        .map_err(|_| SecurityError::Failed("the TOTP secret is not base32".into()))?;
    // Skew 0: the caller asks for each step itself, to know which one matched.
    Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_digits(DIGITS)
        .with_skew(0)
        .with_step_duration(STEP_SECONDS)
        .with_secret(bytes)
        .with_issuer(issuer)
        .with_account_name(account)
        .build()
        .map_err(|e| SecurityError::Failed(format!("unusable TOTP parameters: {e:?}")))
}

impl OneTimePasswords for Totp {
    fn new_secret(&self) -> SecretText {
        let mut bytes = [0u8; SECRET_BYTES];
        rand::rng().fill_bytes(&mut bytes);
        SecretText::new(Secret::from(bytes.to_vec()).to_base32())
    }

    fn step_of(&self, unix_seconds: i64) -> i64 {
        unix_seconds.div_euclid(STEP_SECONDS as i64)
    }

    fn matching_step(&self, secret: &SecretText, code: &str, unix_seconds: i64) -> Result<Option<i64>, SecurityError> {
        let totp = totp(secret, None, "")?;
        let current = self.step_of(unix_seconds);
        let mut found = None;
        // Every candidate is computed and compared (in constant time), whichever matches.
        for step in [current - 1, current, current + 1] {
            let Ok(time) = u64::try_from(step) else { continue };
            if totp.check(code, time * STEP_SECONDS).is_some() && found.is_none() {
                found = Some(step);
            }
        }
        Ok(found)
    }

    fn provisioning_uri(&self, secret: &SecretText, issuer: &str, account: &str) -> Result<String, SecurityError> {
        // The label's parts must not contain a colon.
        let account = account.replace(':', "");
        totp(secret, Some(&issuer.replace(':', "")), &account)?
            .to_url()
            .map_err(|e| SecurityError::Failed(format!("no provisioning URI: {e:?}")))
    }

    fn new_recovery_code(&self) -> String {
        let mut bytes = [0u8; 16];
        rand::rng().fill_bytes(&mut bytes);
        let mut code = String::with_capacity(19);
        for (i, b) in bytes.iter().enumerate() {
            if i > 0 && i % 4 == 0 {
                code.push('-');
            }
            // 32 divides 256: every character is uniform, 5 bits each, 80 bits in all.
            code.push(char::from(RECOVERY_ALPHABET[usize::from(b % 32)]));
        }
        code
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B's SHA-1 key, "12345678901234567890", in base32.
    const RFC_SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

    #[test]
    fn codes_match_the_rfc_6238_test_vectors() {
        let t = Totp;
        let secret = SecretText::new(RFC_SECRET);
        // The RFC's 8-digit values, last 6 digits.
        for (time, code) in
            [(59, "287082"), (1_111_111_109, "081804"), (1_234_567_890, "005924"), (2_000_000_000, "279037")]
        {
            assert_eq!(t.matching_step(&secret, code, time).unwrap(), Some(t.step_of(time)), "{time}");
        }
    }

    #[test]
    fn one_step_of_drift_is_accepted_not_two() {
        let t = Totp;
        let secret = SecretText::new(RFC_SECRET);
        let at = 1_111_111_109;
        let step = t.step_of(at);
        assert_eq!(t.matching_step(&secret, "081804", at + 30).unwrap(), Some(step));
        assert_eq!(t.matching_step(&secret, "081804", at - 30).unwrap(), Some(step));
        assert_eq!(t.matching_step(&secret, "081804", at + 61).unwrap(), None);
        assert_eq!(t.matching_step(&secret, "000000", at).unwrap(), None);
    }

    #[test]
    fn secrets_uris_and_recovery_codes() {
        let t = Totp;
        let secret = t.new_secret();
        assert_eq!(secret.expose().len(), 32, "160 bits in base32");
        assert_ne!(secret, t.new_secret());
        let uri = t.provisioning_uri(&secret, "Billify", "anna@example.be").unwrap();
        assert!(uri.starts_with("otpauth://totp/Billify:anna%40example.be?secret="), "{uri}");
        assert!(uri.contains(secret.expose()));
        let code = t.new_recovery_code();
        assert_eq!(code.len(), 19);
        assert_eq!(code.matches('-').count(), 3);
        assert_ne!(code, t.new_recovery_code());
        assert!(t.matching_step(&SecretText::new("not base32!"), "123456", 0).is_err());
    }
}
