//! Loads a PDF through the guard and prints what it holds and what the read used:
//! `cargo run -p billify-pdf-guard --example probe -- FILE`.
#![allow(clippy::print_stdout)]

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).ok_or("usage: probe FILE")?;
    let bytes = std::fs::read(path)?;
    let mut budget = billify_pdf_guard::Budget::new(&billify_pdf_guard::Limits::default());
    let result = billify_pdf_guard::load(&bytes, &mut budget);
    match result {
        Ok(doc) => {
            println!("objects: {}", doc.objects.len());
            println!("trailer: {:?}", doc.trailer);
            for (id, o) in doc.objects.iter().take(20) {
                println!("{id:?}: {}", o.enum_variant());
            }
        }
        Err(e) => println!("error: {e}"),
    }
    println!("usage: {:?}", budget.usage());
    Ok(())
}
