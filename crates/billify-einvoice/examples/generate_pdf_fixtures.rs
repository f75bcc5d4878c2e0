//! Writes the PDF fixtures under `tests/fixtures/` from the XML fixtures beside them:
//! `cargo run -p billify-einvoice --example generate_pdf_fixtures`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../tests/support/pdfgen.rs"]
mod pdfgen;

fn main() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    for (name, bytes) in pdfgen::fixtures(&dir) {
        std::fs::write(dir.join(name), &bytes).unwrap();
        eprintln!("wrote tests/fixtures/{name} ({} bytes)", bytes.len());
    }
}
