//! Writes the hostile set (the committed fixtures and the generated kinds of issue 22) into a
//! directory, to seed a fuzz corpus or to measure `billify extract` on it:
//! `cargo run -p billify-pdf-guard --example hostile_corpus -- DIR`.
#![allow(clippy::print_stdout)]

#[path = "../tests/support/hostile.rs"]
mod hostile;

fn main() -> std::io::Result<()> {
    let dir = std::path::PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| "hostile".into()));
    std::fs::create_dir_all(&dir)?;
    for h in hostile::hostile_set() {
        std::fs::write(dir.join(h.name), &h.bytes)?;
        println!("{}: {} bytes: {}", h.name, h.bytes.len(), h.what);
    }
    Ok(())
}
