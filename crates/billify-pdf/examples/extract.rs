//! Prints the fields read from a PDF invoice: `cargo run -p billify-pdf --example extract -- FILE`.
#![allow(clippy::print_stdout)]

use billify_ports::intake::OwnParty;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).ok_or("usage: extract FILE")?;
    let bytes = std::fs::read(path)?;
    let today = time::OffsetDateTime::now_utc().date();
    let inv = billify_pdf::extract_invoice(&bytes, &OwnParty::default(), today, &billify_pdf::Limits::default())?;
    println!("{inv:#?}");
    Ok(())
}
