//! Prints the text of a PDF with positions: `cargo run -p billify-pdf --example dump_text -- FILE [--layout]`.
#![allow(clippy::print_stdout)]

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let path = args.get(1).ok_or("usage: dump_text FILE [--layout|--words]")?;
    let bytes = std::fs::read(path)?;
    let doc = billify_pdf::extract_text(&bytes, &billify_pdf::Limits::default())?;
    match args.get(2).map(String::as_str) {
        Some("--layout") => println!("{}", doc.layout_text()),
        Some("--words") => {
            for page in &doc.pages {
                for line in &page.lines {
                    let words: Vec<String> = line
                        .words
                        .iter()
                        .map(|w| format!("[{:.1},{:.1} {:.1}pt] {}", w.x, w.right(), w.font_size, w.text))
                        .collect();
                    println!("p{} y={:.1}: {}", page.number, line.y, words.join(" | "));
                }
            }
        }
        _ => println!("{}", doc.text()),
    }
    Ok(())
}
