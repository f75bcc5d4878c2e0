//! Sealed secrets: XChaCha20-Poly1305 (RustCrypto's `chacha20poly1305`) under a ring of keys.
//!
//! A sealed secret is the text `v1.<key_id>.<base64url-no-pad(nonce || ciphertext)>`: the
//! format version, the id of the key that sealed it, and a fresh random 192-bit nonce from the
//! operating system followed by the ciphertext and its 128-bit tag. The caller's `context` is
//! the associated data, so a sealed value only opens where it was sealed.
//!
//! A key is configured as the text `KEY_ID:BASE64` (32 bytes after decoding); key ids are 1 to
//! 32 characters from `A-Z a-z 0-9 _ -`, so they never contain the `.` separator. The ring has
//! one current key, which seals, and any number of older keys, which only open.
//!
//! Nothing here prints key material or plaintexts: `Debug` shows key ids only, and errors name
//! what is wrong without echoing the input.

use std::collections::HashMap;
use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE_NO_PAD};
use billify_ports::{SecretCipher, SecretError, SecretText};
use chacha20poly1305::aead::rand_core::RngCore as _;
use chacha20poly1305::aead::{Aead as _, AeadCore as _, KeyInit as _, OsRng, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use zeroize::Zeroizing;

/// The format version written in front of every sealed secret.
pub const SEALED_VERSION: &str = "v1";

/// Bytes in a key.
pub const KEY_BYTES: usize = 32;

/// Bytes in a nonce (192 bits).
const NONCE_BYTES: usize = 24;

/// Bytes in the authentication tag.
const TAG_BYTES: usize = 16;

/// The longest key id.
pub const MAX_KEY_ID_LEN: usize = 32;

/// Why a key or a key ring could not be built. Messages never contain key material.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    /// The text has no `:` between the key id and the key.
    #[error("a secret key is written KEY_ID:BASE64 (for example the output of `billify generate-key`)")]
    MissingSeparator,
    /// The key id has characters other than `A-Z a-z 0-9 _ -`, or is empty or too long.
    #[error("a secret key id must be 1 to 32 characters from A-Z, a-z, 0-9, `_` and `-`")]
    InvalidId,
    /// The key is not base64.
    #[error("the secret key `{id}` is not valid base64")]
    NotBase64 {
        /// The key's id.
        id: String,
    },
    /// The key does not decode to 32 bytes.
    #[error("the secret key `{id}` decodes to {bytes} bytes; it must be exactly 32")]
    WrongLength {
        /// The key's id.
        id: String,
        /// How many bytes it decoded to.
        bytes: usize,
    },
    /// Two keys of the ring have the same id.
    #[error("the secret key id `{0}` is configured more than once")]
    DuplicateId(String),
}

/// Whether `id` is a valid key id: 1 to 32 characters from `A-Z a-z 0-9 _ -`.
pub fn is_valid_key_id(id: &str) -> bool {
    (1..=MAX_KEY_ID_LEN).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// One 256-bit key with its id. `Debug` prints the id only; the bytes are wiped on drop.
#[derive(Clone)]
pub struct SecretKey {
    id: String,
    bytes: Zeroizing<[u8; KEY_BYTES]>,
}

impl SecretKey {
    /// Parses `KEY_ID:BASE64` (standard or URL-safe alphabet, padded or not; surrounding white
    /// space is ignored). The key must decode to exactly 32 bytes.
    pub fn parse(text: &str) -> Result<SecretKey, KeyError> {
        let (id, material) = text.trim().split_once(':').ok_or(KeyError::MissingSeparator)?;
        let id = id.trim();
        if !is_valid_key_id(id) {
            return Err(KeyError::InvalidId);
        }
        // Accept both base64 alphabets: normalise to the standard one without padding.
        let normalised: Zeroizing<String> = Zeroizing::new(
            material
                .trim()
                .trim_end_matches('=')
                .chars()
                .map(|c| match c {
                    '-' => '+',
                    '_' => '/',
                    c => c,
                })
                .collect(),
        );
        let decoded = Zeroizing::new(
            STANDARD_NO_PAD.decode(normalised.as_bytes()).map_err(|_| KeyError::NotBase64 { id: id.to_owned() })?,
        );
        if decoded.len() != KEY_BYTES {
            return Err(KeyError::WrongLength { id: id.to_owned(), bytes: decoded.len() });
        }
        let mut bytes = Zeroizing::new([0u8; KEY_BYTES]);
        bytes.copy_from_slice(&decoded);
        Ok(SecretKey { id: id.to_owned(), bytes })
    }

    /// A fresh random key from the operating system's generator, with the given id.
    pub fn generate(id: &str) -> Result<SecretKey, KeyError> {
        if !is_valid_key_id(id) {
            return Err(KeyError::InvalidId);
        }
        let mut bytes = Zeroizing::new([0u8; KEY_BYTES]);
        OsRng.fill_bytes(bytes.as_mut_slice());
        Ok(SecretKey { id: id.to_owned(), bytes })
    }

    /// The key's id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The key as configuration text, `KEY_ID:BASE64` (standard alphabet, padded). This is the
    /// key itself: write it to a protected place, never to a log.
    pub fn to_config_line(&self) -> Zeroizing<String> {
        Zeroizing::new(format!("{}:{}", self.id, STANDARD.encode(self.bytes.as_slice())))
    }
}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SecretKey").field("id", &self.id).finish_non_exhaustive()
    }
}

/// The [`SecretCipher`] adapter: XChaCha20-Poly1305 under one current key (which seals) and
/// older keys (which only open). `Debug` prints key ids only.
pub struct KeyRing {
    current: String,
    ciphers: HashMap<String, XChaCha20Poly1305>,
    /// Key ids in configuration order, the current one first.
    order: Vec<String>,
}

/// The AEAD cipher, under its usual name in the wiring.
pub type AeadCipher = KeyRing;

impl KeyRing {
    /// A ring that seals with `current` and also opens with every key of `older`. Key ids must be
    /// distinct.
    pub fn new(current: SecretKey, older: impl IntoIterator<Item = SecretKey>) -> Result<KeyRing, KeyError> {
        let mut ring = KeyRing { current: current.id.clone(), ciphers: HashMap::new(), order: Vec::new() };
        for key in std::iter::once(current).chain(older) {
            if ring.ciphers.contains_key(&key.id) {
                return Err(KeyError::DuplicateId(key.id));
            }
            let cipher = XChaCha20Poly1305::new(chacha20poly1305::Key::from_slice(key.bytes.as_slice()));
            ring.order.push(key.id.clone());
            ring.ciphers.insert(key.id.clone(), cipher);
        }
        Ok(ring)
    }

    /// The ids of every key, the current one first.
    pub fn key_ids(&self) -> &[String] {
        &self.order
    }
}

impl fmt::Debug for KeyRing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeyRing").field("current", &self.current).field("keys", &self.order).finish()
    }
}

/// Splits a sealed text into its key id and its encoded payload, if well-formed.
fn split_sealed(sealed: &str) -> Option<(&str, &str)> {
    let mut parts = sealed.splitn(3, '.');
    let version = parts.next()?;
    let key_id = parts.next()?;
    let payload = parts.next()?;
    (version == SEALED_VERSION && is_valid_key_id(key_id) && !payload.is_empty()).then_some((key_id, payload))
}

impl SecretCipher for KeyRing {
    fn seal(&self, plaintext: &SecretText, context: &str) -> Result<String, SecretError> {
        let cipher = self.ciphers.get(&self.current).ok_or_else(|| SecretError::UnknownKey(self.current.clone()))?;
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let ciphertext = cipher
            .encrypt(&nonce, Payload { msg: plaintext.expose().as_bytes(), aad: context.as_bytes() })
            .map_err(|_| SecretError::Failed("XChaCha20-Poly1305 encryption failed".into()))?;
        let mut payload = Vec::with_capacity(NONCE_BYTES + ciphertext.len());
        payload.extend_from_slice(nonce.as_slice());
        payload.extend_from_slice(&ciphertext);
        Ok(format!("{SEALED_VERSION}.{}.{}", self.current, URL_SAFE_NO_PAD.encode(payload)))
    }

    fn open(&self, sealed: &str, context: &str) -> Result<SecretText, SecretError> {
        let (key_id, encoded) = split_sealed(sealed).ok_or(SecretError::Malformed)?;
        let cipher = self.ciphers.get(key_id).ok_or_else(|| SecretError::UnknownKey(key_id.to_owned()))?;
        let payload = URL_SAFE_NO_PAD.decode(encoded).map_err(|_| SecretError::Malformed)?;
        if payload.len() < NONCE_BYTES + TAG_BYTES {
            return Err(SecretError::Malformed);
        }
        let (nonce, ciphertext) = payload.split_at(NONCE_BYTES);
        let plaintext = cipher
            .decrypt(XNonce::from_slice(nonce), Payload { msg: ciphertext, aad: context.as_bytes() })
            .map_err(|_| SecretError::Tampered)?;
        // Authenticated, so it is what `seal` wrote: UTF-8. Anything else is not ours.
        let text = String::from_utf8(plaintext).map_err(|e| {
            drop(Zeroizing::new(e.into_bytes()));
            SecretError::Malformed
        })?;
        Ok(SecretText::new(text))
    }

    fn current_key_id(&self) -> &str {
        &self.current
    }

    fn key_id_of<'a>(&self, sealed: &'a str) -> Option<&'a str> {
        split_sealed(sealed).map(|(key_id, _)| key_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY_A: &str = "ka:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

    fn ring(current: &str, older: &[&str]) -> KeyRing {
        KeyRing::new(SecretKey::parse(current).unwrap(), older.iter().map(|k| SecretKey::parse(k).unwrap())).unwrap()
    }

    fn fresh(id: &str) -> SecretKey {
        SecretKey::generate(id).unwrap()
    }

    #[test]
    fn seals_and_opens_with_the_same_context() {
        let r = ring(KEY_A, &[]);
        let sealed = r.seal(&SecretText::new("refresh-token-123"), "integration:o:1").unwrap();
        assert!(sealed.starts_with("v1.ka."), "{sealed}");
        assert!(!sealed.contains("refresh-token-123"));
        assert_eq!(r.open(&sealed, "integration:o:1").unwrap().expose(), "refresh-token-123");
        assert_eq!(r.key_id_of(&sealed), Some("ka"));
        assert_eq!(r.current_key_id(), "ka");
        // The empty secret round-trips too.
        let empty = r.seal(&SecretText::new(""), "c").unwrap();
        assert_eq!(r.open(&empty, "c").unwrap().expose(), "");
    }

    #[test]
    fn a_wrong_context_is_tampered() {
        let r = KeyRing::new(fresh("k1"), []).unwrap();
        let sealed = r.seal(&SecretText::new("s"), "integration:org-a:1").unwrap();
        assert_eq!(r.open(&sealed, "integration:org-b:1"), Err(SecretError::Tampered));
    }

    #[test]
    fn a_flipped_byte_is_tampered() {
        let r = KeyRing::new(fresh("k1"), []).unwrap();
        let sealed = r.seal(&SecretText::new("a bank token"), "c").unwrap();
        let (head, payload) = sealed.rsplit_once('.').unwrap();
        let mut bytes = URL_SAFE_NO_PAD.decode(payload).unwrap();
        for i in [0, NONCE_BYTES, bytes.len() - 1] {
            bytes[i] ^= 0x01;
            let forged = format!("{head}.{}", URL_SAFE_NO_PAD.encode(&bytes));
            assert_eq!(r.open(&forged, "c"), Err(SecretError::Tampered), "byte {i}");
            bytes[i] ^= 0x01;
        }
    }

    #[test]
    fn an_unknown_key_id_is_named() {
        let old = KeyRing::new(fresh("k-old"), []).unwrap();
        let sealed = old.seal(&SecretText::new("s"), "c").unwrap();
        let other = KeyRing::new(fresh("k-new"), []).unwrap();
        assert_eq!(other.open(&sealed, "c"), Err(SecretError::UnknownKey("k-old".into())));
    }

    #[test]
    fn an_older_key_still_opens_and_the_current_one_seals() {
        let old = fresh("k2025");
        let before = KeyRing::new(old.clone(), []).unwrap();
        let sealed = before.seal(&SecretText::new("passphrase"), "c").unwrap();
        let after = KeyRing::new(fresh("k2026"), [old]).unwrap();
        assert_eq!(after.open(&sealed, "c").unwrap().expose(), "passphrase");
        let resealed = after.seal(&SecretText::new("passphrase"), "c").unwrap();
        assert_eq!(after.key_id_of(&resealed), Some("k2026"));
        assert_eq!(after.key_ids(), ["k2026".to_owned(), "k2025".to_owned()]);
    }

    #[test]
    fn two_seals_of_the_same_text_differ() {
        let r = KeyRing::new(fresh("k1"), []).unwrap();
        let a = r.seal(&SecretText::new("same"), "c").unwrap();
        let b = r.seal(&SecretText::new("same"), "c").unwrap();
        assert_ne!(a, b);
    }

    #[test]
    fn debug_never_prints_key_material() {
        let key = SecretKey::parse(KEY_A).unwrap();
        let material = KEY_A.split_once(':').unwrap().1;
        let r = KeyRing::new(key.clone(), [fresh("k-old")]).unwrap();
        for shown in [format!("{r:?}"), format!("{r:#?}"), format!("{key:?}")] {
            assert!(!shown.contains(material.trim_end_matches('=')), "{shown}");
            assert!(!shown.contains("AAECAw"), "{shown}");
            assert!(shown.contains("ka"), "{shown}");
        }
    }

    #[test]
    fn malformed_sealed_texts_are_refused() {
        let r = KeyRing::new(fresh("k1"), []).unwrap();
        for bad in ["", "v1", "v1.k1", "v1.k1.", "v2.k1.AAAA", "v1.k.1.AAAA", "v1.k1.!!!!", "v1.k1.AAAA"] {
            let expected =
                if bad == "v1.k.1.AAAA" { SecretError::UnknownKey("k".into()) } else { SecretError::Malformed };
            assert_eq!(r.open(bad, "c"), Err(expected), "{bad:?}");
        }
        assert_eq!(r.key_id_of("v9.k1.AAAA"), None);
        assert_eq!(r.key_id_of("v1.bad id.AAAA"), None);
    }

    #[test]
    fn key_text_is_parsed_strictly_without_echoing_it() {
        let short = "k1:c2hvcnQ="; // "short"
        assert_eq!(SecretKey::parse(short).unwrap_err(), KeyError::WrongLength { id: "k1".into(), bytes: 5 });
        assert_eq!(
            SecretKey::parse("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=").unwrap_err(),
            KeyError::MissingSeparator
        );
        assert_eq!(SecretKey::parse("bad.id:AAAA").unwrap_err(), KeyError::InvalidId);
        assert_eq!(SecretKey::parse(":AAAA").unwrap_err(), KeyError::InvalidId);
        assert_eq!(SecretKey::parse(&format!("{}:AAAA", "x".repeat(33))).unwrap_err(), KeyError::InvalidId);
        assert_eq!(SecretKey::parse("k1:not*base64").unwrap_err(), KeyError::NotBase64 { id: "k1".into() });
        for input in [short, "k1:not*base64", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="] {
            let message = SecretKey::parse(input).unwrap_err().to_string();
            assert!(!message.contains("c2hvcnQ") && !message.contains("base64*") && !message.contains("AAECAw"));
        }
        // Both alphabets, padded or not, and surrounding white space.
        let url = "ka:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8";
        let a = ring(KEY_A, &[]);
        let b = ring(&format!("  {url}\n"), &[]);
        assert_eq!(b.open(&a.seal(&SecretText::new("x"), "c").unwrap(), "c").unwrap().expose(), "x");
        let generated = fresh("k20261128abcd");
        let again = SecretKey::parse(&generated.to_config_line()).unwrap();
        let g = KeyRing::new(generated, []).unwrap();
        let h = KeyRing::new(again, []).unwrap();
        assert_eq!(h.open(&g.seal(&SecretText::new("y"), "c").unwrap(), "c").unwrap().expose(), "y");
        assert_eq!(SecretKey::generate("no.dots").unwrap_err(), KeyError::InvalidId);
    }

    #[test]
    fn duplicate_key_ids_are_refused() {
        assert_eq!(KeyRing::new(fresh("k1"), [fresh("k1")]).unwrap_err(), KeyError::DuplicateId("k1".into()));
    }
}
