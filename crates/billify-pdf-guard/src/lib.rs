//! Billify's bounded lopdf layer: the one place where untrusted PDF bytes meet lopdf.
//!
//! Both PDF readers use it: the text extractor (`billify-pdf`) and the Factur-X / ZUGFeRD
//! attachment reader (`billify-einvoice`). It holds one set of [`Limits`] and one running
//! [`Budget`] per document read, and enforces them while decoding:
//!
//! * [`load`] checks size and header, scans the raw file (every stream decoded
//!   through every filter layer and counted; the objects of the file body counted), then lets
//!   lopdf parse it with a hook that unpacks object streams itself, counting their objects
//!   before parsing them, so lopdf's unbounded decoders never run on untrusted data; an
//!   encrypted file that opens with the empty user password is decrypted within the same
//!   bounds (see `decrypt.rs`), one that needs a password is refused;
//! * [`decode_stream`] decodes any stream through its filter chain (Flate, LZW, ASCII85,
//!   ASCIIHex, RunLength, PNG predictors), every layer stopped at the allowance and counted;
//! * [`resolve`] and [`resolve_dict`] follow references with a bound on the hops;
//! * the [`Budget`] also counts the content operators and glyphs of the text interpreter, the
//!   glyphs before they are stored;
//! * [`guarded`] turns a panic (in lopdf, on input nobody anticipated) into
//!   [`ExtractionError::Malformed`].
//!
//! Past a limit the answer is [`ExtractionError::TooLarge`] or [`ExtractionError::Timeout`];
//! the web layer maps both to 422 `document-too-complex`. See `docs/fuzzing.md` for what is
//! still trusted.
//!
//! **Must never depend on:** any other Billify adapter, billify-domain internals beyond the
//! ports, diesel, actix-web, r2d2, ureq or any database, network or framework crate. Only this
//! crate names lopdf as a dependency; the readers reach it through [`lopdf`] re-exported here.
//! It is a pure function of the bytes and the limits (plus the reading thread's CPU clock and the
//! wall clock for the time budget).

#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

mod decode;
mod decrypt;
mod limits;
mod load;
mod objstm;
mod resolve;
mod scan;

use std::panic::{AssertUnwindSafe, catch_unwind};

use billify_ports::intake::ExtractionError;

pub use decode::{DecodeError, Params, decode_layers, decode_stream, filters, peek_stream};
pub use limits::{Budget, DEFAULT_MEMORY_BYTES, Limits, Usage, WALL_CLOCK_FACTOR};
pub use load::{is_pdf, load};
pub use resolve::{MAX_REF_HOPS, resolve, resolve_dict};

/// lopdf, for its object types; the readers use it through this re-export.
pub use lopdf;

/// Runs `f`, turning a panic into [`ExtractionError::Malformed`].
///
/// Nothing in the readers is meant to panic; this is the last line of defence against a panic
/// in a dependency on input nobody anticipated. With the `fuzzing` feature panics pass through,
/// so that the fuzzer reports them.
pub fn guarded<T>(f: impl FnOnce() -> Result<T, ExtractionError>) -> Result<T, ExtractionError> {
    if cfg!(feature = "fuzzing") {
        return f();
    }
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(_) => Err(ExtractionError::Malformed("the document could not be read".into())),
    }
}
