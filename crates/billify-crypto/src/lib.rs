//! Billify's crypto adapter: implements the `PasswordHasher`, `SecretTokens`, `SecretCipher` and
//! `OneTimePasswords` ports with vetted crates (argon2id and XChaCha20-Poly1305 from RustCrypto,
//! SHA-256, TOTP from `totp-rs`, the operating system's random generator).
//!
//! Nothing here is hand-rolled crypto: this crate only chooses parameters and encodings.
//! **Must never depend on:** a database, HTTP or any other adapter.

pub mod secretbox;
pub mod totp;

pub use secretbox::{AeadCipher, KeyError, KeyRing, SecretKey};
pub use totp::Totp;

use argon2::password_hash::rand_core::{OsRng, RngCore as _};
use argon2::password_hash::{PasswordHash, PasswordHasher as _, PasswordVerifier as _, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use base64::Engine as _;
use billify_ports::{PasswordHasher, SecretTokens, SecurityError};
use rand::RngCore as _;
use sha2::{Digest as _, Sha256};

/// Argon2id cost parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Argon2Config {
    /// Memory in KiB.
    pub memory_kib: u32,
    /// Number of passes.
    pub iterations: u32,
    /// Degree of parallelism.
    pub parallelism: u32,
}

impl Default for Argon2Config {
    /// OWASP's first recommended setting for argon2id: 19 MiB, 2 passes, 1 lane.
    fn default() -> Self {
        Argon2Config { memory_kib: 19 * 1024, iterations: 2, parallelism: 1 }
    }
}

/// Hashes passwords with argon2id.
pub struct Argon2Hasher {
    argon2: Argon2<'static>,
    /// What an unknown user's password is checked against, so that the answer takes as long as
    /// for a known user: a hash string with the hasher's cost, a random salt and a random digest.
    /// Checking a password against it costs exactly one hash, like a real one, and no password
    /// matches it; making it costs no hash, so the server does not spend tens of milliseconds of
    /// CPU (and 19 MiB) on it while starting.
    dummy_hash: String,
}

impl Argon2Hasher {
    /// A hasher with the given cost.
    pub fn new(config: Argon2Config) -> Result<Self, SecurityError> {
        let params = Params::new(config.memory_kib, config.iterations, config.parallelism, None)
            .map_err(|e| SecurityError::Failed(e.to_string()))?;
        let mut digest = [0u8; Params::DEFAULT_OUTPUT_LEN];
        OsRng.fill_bytes(&mut digest);
        let dummy_hash = format!(
            "$argon2id$v=19$m={},t={},p={}${}${}",
            params.m_cost(),
            params.t_cost(),
            params.p_cost(),
            SaltString::generate(&mut OsRng).as_str(),
            base64::engine::general_purpose::STANDARD_NO_PAD.encode(digest),
        );
        PasswordHash::new(&dummy_hash).map_err(|e| SecurityError::Failed(format!("the dummy hash: {e}")))?;
        Ok(Argon2Hasher { argon2: Argon2::new(Algorithm::Argon2id, Version::V0x13, params), dummy_hash })
    }
}

impl PasswordHasher for Argon2Hasher {
    fn hash(&self, password: &str) -> Result<String, SecurityError> {
        let salt = SaltString::generate(&mut OsRng);
        self.argon2
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| SecurityError::Failed(e.to_string()))
    }

    fn verify(&self, password: &str, hash: &str) -> Result<bool, SecurityError> {
        let parsed = PasswordHash::new(hash).map_err(|_| SecurityError::MalformedHash)?;
        match self.argon2.verify_password(password.as_bytes(), &parsed) {
            Ok(()) => Ok(true),
            Err(argon2::password_hash::Error::Password) => Ok(false),
            Err(e) => Err(SecurityError::Failed(e.to_string())),
        }
    }

    fn verify_dummy(&self, password: &str) {
        let _ = self.verify(password, &self.dummy_hash);
    }
}

/// Uniform fractions from the thread-local generator of `rand` (seeded from the OS), for jitter.
#[derive(Debug, Clone, Copy, Default)]
pub struct ThreadRandomness;

impl billify_ports::Randomness for ThreadRandomness {
    fn fraction(&self) -> f64 {
        rand::random::<f64>()
    }
}

/// Random 256-bit tokens, base64url encoded, stored as hex SHA-256 digests.
#[derive(Debug, Clone, Copy, Default)]
pub struct RandomTokens;

impl SecretTokens for RandomTokens {
    fn generate(&self) -> String {
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    }

    fn digest(&self, token: &str) -> String {
        hex::encode(Sha256::digest(token.as_bytes()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cheap() -> Argon2Hasher {
        Argon2Hasher::new(Argon2Config { memory_kib: 64, iterations: 1, parallelism: 1 }).unwrap()
    }

    #[test]
    fn hashes_verify_and_use_argon2id_with_a_fresh_salt() {
        let h = cheap();
        let a = h.hash("correct horse battery staple").unwrap();
        let b = h.hash("correct horse battery staple").unwrap();
        assert!(a.starts_with("$argon2id$"));
        assert_ne!(a, b, "each hash has its own salt");
        assert!(h.verify("correct horse battery staple", &a).unwrap());
        assert!(!h.verify("correct horse battery stapler", &a).unwrap());
        assert!(matches!(h.verify("x", "not a hash"), Err(SecurityError::MalformedHash)));
    }

    /// The dummy hash is checked like a real one: it parses, it has the hasher's cost, and the
    /// check runs the hash (a wrong digest is `Ok(false)`, not a malformed-hash error that would
    /// answer at once).
    #[test]
    fn the_dummy_hash_costs_what_a_real_one_costs() {
        let h = Argon2Hasher::new(Argon2Config { memory_kib: 256, iterations: 3, parallelism: 2 }).unwrap();
        let real = h.hash("correct horse battery staple").unwrap();
        let (dummy, real) = (PasswordHash::new(&h.dummy_hash).unwrap(), PasswordHash::new(&real).unwrap());
        assert_eq!(dummy.algorithm, real.algorithm);
        assert_eq!(dummy.version, real.version);
        assert_eq!(dummy.params, real.params);
        assert_eq!(dummy.hash.map(|o| o.len()), real.hash.map(|o| o.len()));
        assert!(!h.verify("billify-dummy-password", &h.dummy_hash).unwrap());
        assert_ne!(cheap().dummy_hash, cheap().dummy_hash, "a random salt and digest each time");
    }

    #[test]
    fn tokens_are_random_and_digests_stable() {
        let t = RandomTokens;
        let a = t.generate();
        assert_eq!(a.len(), 43);
        assert_ne!(a, t.generate());
        assert_eq!(t.digest(&a), t.digest(&a));
        assert_eq!(t.digest("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
