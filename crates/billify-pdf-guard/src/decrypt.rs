//! Encrypted files: decrypted with the empty user password, inside the budget.
//!
//! Invoicing software often encrypts its PDFs with an owner password only (to discourage
//! editing); anyone can open them, since the user password is empty. lopdf can decrypt them,
//! but its loader for encrypted files ignores the load hook and decodes object streams itself,
//! without our limits. So lopdf never learns that the file is encrypted:
//!
//! 1. [`hide_encrypt`] renames every `/Encrypt` entry to a name of `X`s of the same length
//!    (offsets stay valid), and the file is scanned and parsed like any other; the load hook
//!    sets the (still encrypted) object streams aside instead of unpacking them.
//! 2. [`decrypt`] restores the entry, checks the empty password and derives the file key
//!    (lopdf's standard security handler: RC4, AES-128, AES-256, with RustCrypto's primitives),
//!    decrypts every object in place (decryption never makes data larger), and then unpacks the
//!    object streams with the same bounded unpacking as unencrypted files.
//!
//! Every later decoding of a stream goes through [`crate::decode_stream`] on the decrypted
//! content, so every limit holds on what the encryption hid.

use billify_ports::intake::ExtractionError;
use lopdf::encryption::decrypt_object;
use lopdf::{Document, EncryptionState, Object, ObjectId, Stream};

use crate::limits::Budget;
use crate::objstm::{merge_unpacked, unpack};
use crate::scan::encrypt_names;

/// The byte that replaces the name `Encrypt` (and its escapes) while lopdf parses.
const HIDDEN: u8 = b'X';

/// The bytes with every `/Encrypt` entry renamed to `/XXXXXXX` (as long as the name was), or
/// `None` when the file has none.
pub(crate) fn hide_encrypt(bytes: &[u8]) -> Option<Vec<u8>> {
    let names = encrypt_names(bytes);
    if names.is_empty() {
        return None;
    }
    let mut out = bytes.to_vec();
    for range in names {
        out[range].fill(HIDDEN);
    }
    Some(out)
}

/// Whether a trailer key is a hidden `/Encrypt`.
fn is_hidden(key: &[u8]) -> bool {
    (7..=24).contains(&key.len()) && key.iter().all(|b| *b == HIDDEN)
}

/// Decrypts a document parsed from [`hide_encrypt`]'s bytes with the empty user password, and
/// unpacks its object streams (`sealed`, set aside by the load hook) within the budget.
///
/// Errors: [`ExtractionError::Encrypted`] when the document needs a password (or uses another
/// security handler than the standard one); [`ExtractionError::TooLarge`] or
/// [`ExtractionError::Timeout`] past a limit while unpacking.
pub(crate) fn decrypt(
    doc: &mut Document,
    sealed: Vec<(ObjectId, Stream)>,
    budget: &mut Budget,
) -> Result<(), ExtractionError> {
    let hidden: Vec<Vec<u8>> = doc.trailer.iter().map(|(k, _)| k.clone()).filter(|k| is_hidden(k)).collect();
    let mut entry = None;
    for key in hidden {
        // The trailer lopdf kept is the newest one; its entry is the one that counts.
        entry = doc.trailer.remove(&key).or(entry);
    }
    let encrypt_id = match entry {
        Some(Object::Reference(id)) => id,
        Some(Object::Dictionary(dict)) => {
            let id = doc.new_object_id();
            doc.objects.insert(id, Object::Dictionary(dict));
            id
        }
        // A `/Encrypt` written somewhere else than the trailer (in a page, say) encrypts
        // nothing; the hidden name is left where it is, as an unknown key.
        _ => return Ok(()),
    };
    doc.trailer.set("Encrypt", Object::Reference(encrypt_id));
    let state = open(doc)?;
    doc.trailer.remove(b"Encrypt");
    doc.objects.remove(&encrypt_id);
    budget.check_time()?;
    let ids: Vec<ObjectId> = doc.objects.keys().copied().collect();
    for (n, id) in ids.into_iter().enumerate() {
        if n % 256 == 0 {
            budget.check_time()?;
        }
        if let Some(object) = doc.objects.get_mut(&id) {
            // Viewers show what does decrypt; an object that does not (damaged, or a stream
            // that was never encrypted) is kept as it is, and fails later if it matters.
            decrypt_object(&state, id, object).ok();
        }
    }
    let mut unpacked = Vec::new();
    for (id, stream) in sealed {
        budget.check_time()?;
        let mut object = Object::Stream(stream);
        decrypt_object(&state, id, &mut object).ok();
        if let Object::Stream(mut stream) = object {
            unpack(id.0, &mut stream, budget, &mut unpacked)?;
        }
    }
    merge_unpacked(doc, unpacked);
    Ok(())
}

/// Checks that the empty user password opens the document and derives its file key (the
/// user role only: each check of an AES-256 password costs a few hundred hash rounds).
fn open(doc: &Document) -> Result<EncryptionState, ExtractionError> {
    doc.authenticate_user_password("").map_err(|_| ExtractionError::Encrypted)?;
    EncryptionState::decode(doc, "").map_err(|_| ExtractionError::Encrypted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encrypt_entries_are_hidden_in_place() {
        let bytes = b"trailer << /Root 1 0 R /Encr#79pt 5 0 R /ID [<00><00>] >>";
        let hidden = hide_encrypt(bytes).unwrap();
        assert_eq!(hidden.len(), bytes.len());
        assert_eq!(&hidden[..], b"trailer << /Root 1 0 R /XXXXXXXXX 5 0 R /ID [<00><00>] >>");
        assert!(is_hidden(b"XXXXXXXXX"));
        assert!(!is_hidden(b"XXXXXX"));
        assert!(hide_encrypt(b"trailer << /Root 1 0 R >>").is_none());
    }
}
