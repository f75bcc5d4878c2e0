//! Password hashing and secret tokens as ports, so use cases stay free of crypto libraries.

/// Why a hashing operation failed (never because a password was wrong).
#[derive(Debug, thiserror::Error)]
pub enum SecurityError {
    /// The stored hash cannot be read.
    #[error("unreadable password hash")]
    MalformedHash,
    /// The hashing library failed.
    #[error("hashing failed: {0}")]
    Failed(String),
}

/// Hashes passwords with a slow, salted algorithm.
pub trait PasswordHasher: Send + Sync {
    /// Hashes a password into a self-describing string (PHC format).
    fn hash(&self, password: &str) -> Result<String, SecurityError>;

    /// Whether the password matches the hash, in constant time.
    fn verify(&self, password: &str, hash: &str) -> Result<bool, SecurityError>;

    /// Spends the same time as a verification against a hash that does not exist, so a login
    /// for an unknown email takes as long as one with a wrong password.
    fn verify_dummy(&self, password: &str);
}

/// Creates unguessable tokens and the digests under which they are stored.
pub trait SecretTokens: Send + Sync {
    /// A new random token, safe to put in a header (at least 256 bits of entropy).
    fn generate(&self) -> String;

    /// The digest stored instead of the token (hex SHA-256); a database leak reveals no token.
    fn digest(&self, token: &str) -> String;
}
