//! Writes the generated fixture corpus to `tests/fixtures/`:
//! `cargo run -p billify-pdf --example generate_fixtures`.
#![allow(clippy::print_stdout)]

#[path = "../tests/support/generate.rs"]
mod generate;

fn main() -> std::io::Result<()> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    for (name, bytes) in generate::fixtures() {
        std::fs::write(dir.join(name), &bytes)?;
        println!("{name}: {} bytes", bytes.len());
    }
    Ok(())
}
