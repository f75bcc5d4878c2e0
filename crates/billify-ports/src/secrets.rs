//! Secrets at rest: integration credentials (bank tokens, accounting access keys, certificate
//! passphrases) are sealed with an AEAD before they reach the database.
//!
//! A sealed secret is text that names the key that sealed it, so keys can be rotated: the
//! cipher holds the current key (which seals) and older keys (which only open), and
//! `billify rotate-key` re-seals every stored secret under the current key through
//! [`SealedSecretStore`]. The associated data binds a ciphertext to where it is stored (the
//! organisation and the record), so a sealed value copied to another row or tenant does not open.

use std::fmt;

use crate::RepositoryError;

/// Why sealing or opening failed. Messages never contain the secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SecretError {
    /// The sealed text is not in the expected format.
    #[error("the sealed secret is malformed")]
    Malformed,
    /// The key that sealed it is not configured.
    #[error("the secret was sealed with key `{0}`, which is not configured")]
    UnknownKey(String),
    /// Authentication failed: wrong key, wrong associated data, or tampering.
    #[error("the sealed secret does not open with its key (tampered, or stored under another record)")]
    Tampered,
    /// The crypto library failed.
    #[error("sealing failed: {0}")]
    Failed(String),
}

/// A plaintext secret in memory. Its `Debug` and `Display` never print it.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretText(String);

impl SecretText {
    /// Wraps a plaintext.
    pub fn new(text: impl Into<String>) -> Self {
        SecretText(text.into())
    }

    /// The plaintext, to use it (never to log it).
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SecretText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretText(<redacted>)")
    }
}

/// Seals and opens secrets with an AEAD under a key ring.
pub trait SecretCipher: Send + Sync {
    /// Seals `plaintext` under the current key, bound to `context` (associated data such as
    /// `integration:{organisation}:{id}`). The result is printable text that records the key id.
    fn seal(&self, plaintext: &SecretText, context: &str) -> Result<String, SecretError>;

    /// Opens a sealed text produced by [`SecretCipher::seal`] with the same `context`, with
    /// whichever configured key sealed it.
    fn open(&self, sealed: &str, context: &str) -> Result<SecretText, SecretError>;

    /// The id of the current (sealing) key.
    fn current_key_id(&self) -> &str;

    /// The id of the key that sealed this text, if the text is well-formed.
    fn key_id_of<'a>(&self, sealed: &'a str) -> Option<&'a str>;
}

/// Where a sealed secret is stored, so it can be re-sealed in place.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SealedSecretRef {
    /// The table or kind of record, e.g. `integration`.
    pub kind: String,
    /// The organisation.
    pub organisation_id: billify_domain::OrganisationId,
    /// The record's id.
    pub id: uuid::Uuid,
    /// The associated data the secret is bound to.
    pub context: String,
}

/// Every stored sealed secret, for key rotation.
pub trait SealedSecretStore: Send + Sync {
    /// Every sealed secret with where it lives.
    fn sealed_secrets(&self) -> Result<Vec<(SealedSecretRef, String)>, RepositoryError>;

    /// Replaces one sealed value if it still equals `old` (compare and swap); returns whether it
    /// was replaced.
    fn reseal_secret(&self, at: &SealedSecretRef, old: &str, new: &str) -> Result<bool, RepositoryError>;
}
