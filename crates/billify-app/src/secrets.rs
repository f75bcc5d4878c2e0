//! Key rotation: re-seal every stored secret under the cipher's current key
//! (`billify rotate-key`).
//!
//! The procedure: configure a new current key and keep the old one as an open-only key, restart
//! every process (so new writes seal under the new key), run the rotation, and drop the old key
//! only once the report says every secret is current. Running it again is harmless: secrets
//! already under the current key are left alone.

use billify_ports::RepositoryError;
use billify_ports::secrets::{SealedSecretRef, SealedSecretStore, SecretCipher, SecretError};

/// A secret that could not be re-sealed, and why. Never holds the plaintext or the sealed text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RotationFailure {
    /// Where the secret lives.
    pub at: SealedSecretRef,
    /// Why it could not be opened.
    pub error: SecretError,
}

/// What a rotation did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RotationReport {
    /// The key every secret is now sealed with.
    pub current_key_id: String,
    /// Secrets re-sealed under the current key.
    pub rotated: usize,
    /// Secrets that were already under the current key.
    pub already_current: usize,
    /// Secrets changed by someone else between reading and re-sealing; they were left as the
    /// other writer stored them (run the rotation again to check them).
    pub lost_race: usize,
    /// Secrets that could not be opened (unknown key, tampered, malformed): the old keys must
    /// not be dropped while this is not empty.
    pub failed: Vec<RotationFailure>,
}

impl RotationReport {
    /// Whether every secret read was found or left under the current key: nothing failed and
    /// nothing was changed concurrently. Only then may old keys be dropped.
    pub fn is_complete(&self) -> bool {
        self.failed.is_empty() && self.lost_race == 0
    }
}

/// Why a rotation stopped. Messages never contain a secret.
#[derive(Debug, thiserror::Error)]
pub enum RotationError {
    /// Reading or writing the sealed secrets failed.
    #[error("key rotation could not read or write the stored secrets: {0}")]
    Storage(#[from] RepositoryError),
    /// Sealing under the current key failed.
    #[error("key rotation could not seal {} {} of organisation {} under key `{key_id}`: {error}", at.kind, at.id, at.organisation_id)]
    Seal {
        /// The secret being re-sealed.
        at: Box<SealedSecretRef>,
        /// The current key.
        key_id: String,
        /// What the cipher reported.
        error: SecretError,
    },
}

/// Re-seals every secret of `store` that is not under `cipher`'s current key: opens it with its
/// old key, seals it with the current one (same context) and swaps it in only if the stored value
/// is still the one read. Secrets that do not open are reported in
/// [`RotationReport::failed`] and the others still rotated; a storage or sealing failure stops
/// the rotation (what was already re-sealed stays re-sealed, so it can simply be run again).
pub fn rotate_secrets(
    cipher: &dyn SecretCipher,
    store: &dyn SealedSecretStore,
) -> Result<RotationReport, RotationError> {
    let current = cipher.current_key_id();
    let mut report = RotationReport { current_key_id: current.to_owned(), ..RotationReport::default() };
    for (at, sealed) in store.sealed_secrets()? {
        match cipher.key_id_of(&sealed) {
            Some(key_id) if key_id == current => {
                report.already_current += 1;
                continue;
            }
            Some(_) => {}
            None => {
                report.failed.push(RotationFailure { at, error: SecretError::Malformed });
                continue;
            }
        }
        let plaintext = match cipher.open(&sealed, &at.context) {
            Ok(plaintext) => plaintext,
            Err(error) => {
                report.failed.push(RotationFailure { at, error });
                continue;
            }
        };
        let resealed = match cipher.seal(&plaintext, &at.context) {
            Ok(resealed) => resealed,
            Err(error) => return Err(RotationError::Seal { at: Box::new(at), key_id: current.to_owned(), error }),
        };
        drop(plaintext);
        if store.reseal_secret(&at, &sealed, &resealed)? {
            report.rotated += 1;
        } else {
            report.lost_race += 1;
        }
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use billify_domain::OrganisationId;
    use uuid::Uuid;

    use super::*;
    use billify_ports::secrets::SecretText;

    /// A stand-in cipher for the use case's logic (no cryptography): `v1.<key>.<context>|<text>`,
    /// opening only with a configured key and the same context.
    struct FakeCipher {
        current: &'static str,
        keys: Vec<&'static str>,
    }

    impl SecretCipher for FakeCipher {
        fn seal(&self, plaintext: &SecretText, context: &str) -> Result<String, SecretError> {
            if plaintext.expose() == "unsealable" {
                return Err(SecretError::Failed("the fake refuses".into()));
            }
            Ok(format!("v1.{}.{context}|{}", self.current, plaintext.expose()))
        }

        fn open(&self, sealed: &str, context: &str) -> Result<SecretText, SecretError> {
            let key = self.key_id_of(sealed).ok_or(SecretError::Malformed)?;
            if !self.keys.contains(&key) {
                return Err(SecretError::UnknownKey(key.to_owned()));
            }
            let rest = &sealed[4 + key.len()..];
            let (bound, text) = rest.split_once('|').ok_or(SecretError::Malformed)?;
            if bound != context {
                return Err(SecretError::Tampered);
            }
            Ok(SecretText::new(text))
        }

        fn current_key_id(&self) -> &str {
            self.current
        }

        fn key_id_of<'a>(&self, sealed: &'a str) -> Option<&'a str> {
            let rest = sealed.strip_prefix("v1.")?;
            rest.split_once('.').map(|(key, _)| key)
        }
    }

    /// An in-memory store; `race_on` names a record whose value another writer changes just
    /// before the rotation swaps it.
    #[derive(Default)]
    struct MemoryStore {
        rows: Mutex<Vec<(SealedSecretRef, String)>>,
        race_on: Option<Uuid>,
        fail_reads: bool,
    }

    impl MemoryStore {
        fn with(rows: Vec<(SealedSecretRef, String)>) -> Self {
            MemoryStore { rows: Mutex::new(rows), ..MemoryStore::default() }
        }

        fn value(&self, id: Uuid) -> String {
            self.rows.lock().unwrap().iter().find(|(at, _)| at.id == id).unwrap().1.clone()
        }
    }

    impl SealedSecretStore for MemoryStore {
        fn sealed_secrets(&self) -> Result<Vec<(SealedSecretRef, String)>, RepositoryError> {
            if self.fail_reads {
                return Err(RepositoryError::Unavailable("database down".into()));
            }
            Ok(self.rows.lock().unwrap().clone())
        }

        fn reseal_secret(&self, at: &SealedSecretRef, old: &str, new: &str) -> Result<bool, RepositoryError> {
            let mut rows = self.rows.lock().unwrap();
            let row = rows.iter_mut().find(|(r, _)| r == at).ok_or(RepositoryError::NotFound)?;
            if self.race_on == Some(at.id) {
                row.1 = "v1.k2.changed-by-someone-else".into();
            }
            if row.1 != old {
                return Ok(false);
            }
            row.1 = new.to_owned();
            Ok(true)
        }
    }

    fn at(n: u128) -> SealedSecretRef {
        let organisation_id = OrganisationId::from_uuid(Uuid::from_u128(1));
        let id = Uuid::from_u128(n);
        SealedSecretRef {
            kind: "integration".into(),
            organisation_id,
            id,
            context: format!("integration:{organisation_id}:{id}"),
        }
    }

    fn sealed(key: &str, n: u128, text: &str) -> (SealedSecretRef, String) {
        let at = at(n);
        let value = format!("v1.{key}.{}|{text}", at.context);
        (at, value)
    }

    #[test]
    fn reseals_old_secrets_and_leaves_current_ones() {
        let cipher = FakeCipher { current: "k2", keys: vec!["k2", "k1"] };
        let store =
            MemoryStore::with(vec![sealed("k1", 1, "token-a"), sealed("k2", 2, "token-b"), sealed("k1", 3, "c")]);
        let before_current = store.value(Uuid::from_u128(2));
        let report = rotate_secrets(&cipher, &store).unwrap();
        assert_eq!(
            report,
            RotationReport {
                current_key_id: "k2".into(),
                rotated: 2,
                already_current: 1,
                lost_race: 0,
                failed: vec![]
            }
        );
        assert!(report.is_complete());
        for n in 1..=3 {
            let value = store.value(Uuid::from_u128(n));
            assert_eq!(cipher.key_id_of(&value), Some("k2"));
            assert!(cipher.open(&value, &at(n).context).is_ok());
        }
        assert_eq!(store.value(Uuid::from_u128(2)), before_current, "current secrets are not rewritten");
        // A second run has nothing left to do.
        let again = rotate_secrets(&cipher, &store).unwrap();
        assert_eq!((again.rotated, again.already_current), (0, 3));
    }

    #[test]
    fn a_concurrent_change_is_counted_and_not_overwritten() {
        let cipher = FakeCipher { current: "k2", keys: vec!["k2", "k1"] };
        let mut store = MemoryStore::with(vec![sealed("k1", 1, "a"), sealed("k1", 2, "b")]);
        store.race_on = Some(Uuid::from_u128(2));
        let report = rotate_secrets(&cipher, &store).unwrap();
        assert_eq!((report.rotated, report.lost_race), (1, 1));
        assert!(!report.is_complete());
        assert_eq!(store.value(Uuid::from_u128(2)), "v1.k2.changed-by-someone-else");
    }

    #[test]
    fn secrets_that_do_not_open_are_reported_without_their_text() {
        let cipher = FakeCipher { current: "k2", keys: vec!["k2", "k1"] };
        let (wrong_row, _) = sealed("k1", 2, "x");
        let store = MemoryStore::with(vec![
            sealed("k0", 1, "SENSITIVE-under-a-dropped-key"),
            (wrong_row, "v1.k1.integration:other|SENSITIVE-moved-here".into()),
            (at(3), "garbage-SENSITIVE".into()),
            sealed("k1", 4, "fine"),
        ]);
        let report = rotate_secrets(&cipher, &store).unwrap();
        assert_eq!(report.rotated, 1);
        let errors: Vec<_> = report.failed.iter().map(|f| (f.at.id, f.error.clone())).collect();
        assert_eq!(
            errors,
            vec![
                (Uuid::from_u128(1), SecretError::UnknownKey("k0".into())),
                (Uuid::from_u128(2), SecretError::Tampered),
                (Uuid::from_u128(3), SecretError::Malformed),
            ]
        );
        assert!(!report.is_complete());
        let shown = format!("{report:?} {}", report.failed.iter().map(|f| f.error.to_string()).collect::<String>());
        assert!(!shown.contains("SENSITIVE"), "{shown}");
    }

    #[test]
    fn storage_and_sealing_failures_stop_with_typed_errors() {
        let cipher = FakeCipher { current: "k2", keys: vec!["k2", "k1"] };
        let store = MemoryStore { fail_reads: true, ..MemoryStore::default() };
        assert!(matches!(
            rotate_secrets(&cipher, &store),
            Err(RotationError::Storage(RepositoryError::Unavailable(_)))
        ));

        let store = MemoryStore::with(vec![sealed("k1", 1, "unsealable")]);
        let error = rotate_secrets(&cipher, &store).unwrap_err();
        assert!(matches!(&error, RotationError::Seal { key_id, .. } if key_id == "k2"));
        assert!(!error.to_string().contains("unsealable"), "{error}");
    }
}
