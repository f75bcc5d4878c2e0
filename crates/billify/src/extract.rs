//! `billify extract FILE...`: one JSON object per file on stdout, so users can script it.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use billify_app::intake_json::extraction_json;
use billify_app::{DocumentReader, DocumentType};
use billify_einvoice::EinvoiceExtractor;
use billify_pdf::{OcrSetting, PdfExtractor};
use billify_ports::intake::OwnParty;
use serde_json::json;

use crate::config::ExtractionSettings;

/// The largest file `extract` reads, as for uploads.
pub const MAX_DOCUMENT_BYTES: usize = 10 * 1024 * 1024;

/// The reader used by the CLI and the server: both extractors under the same limits (one
/// bounded PDF loader, `billify-pdf-guard`), at most `settings.at_once` reads at a time.
pub fn document_reader(max_bytes: usize, settings: &ExtractionSettings) -> DocumentReader {
    let limits = settings.limits();
    let einvoice = billify_einvoice::Limits { pdf: limits.clone(), ..billify_einvoice::Limits::default() };
    DocumentReader::new(
        Arc::new(EinvoiceExtractor::with_limits(einvoice)),
        // Scans are read by OCR when Tesseract and pdftoppm are installed; else their draft
        // says that OCR is unavailable.
        Arc::new(PdfExtractor::new(limits).with_ocr(OcrSetting::detect())),
        max_bytes,
        settings.at_once,
    )
}

/// Reads every file; exits 1 if any could not be read (its line then carries `error`).
pub fn run(files: &[PathBuf], text: bool, own_names: &[String]) -> ExitCode {
    let settings = match ExtractionSettings::from_lookup(&|name| std::env::var(name).ok()) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("billify: {e}");
            return ExitCode::FAILURE;
        }
    };
    let reader = document_reader(MAX_DOCUMENT_BYTES, &settings);
    let own = OwnParty { names: own_names.to_vec(), ..OwnParty::default() };
    let today = time::OffsetDateTime::now_utc().date();
    let mut failures = 0;
    for path in files {
        let file = path.display().to_string();
        let line = match std::fs::read(path) {
            Err(e) => {
                failures += 1;
                json!({ "file": file, "error": format!("cannot read the file: {e}") })
            }
            Ok(bytes) => match reader.read(&bytes, &own, today) {
                Ok(extracted) => {
                    let mut object = json!({ "file": file });
                    object["extraction"] = extraction_json(&extracted);
                    if text && reader.check(&bytes) == Ok(DocumentType::Pdf) {
                        object["text"] = match billify_pdf::extract_text(&bytes, &settings.limits()) {
                            Ok(doc) => json!(
                                doc.pages.iter().flat_map(|p| p.lines.iter().map(|l| l.text())).collect::<Vec<_>>()
                            ),
                            Err(e) => json!({ "error": e.to_string() }),
                        };
                    }
                    object
                }
                Err(e) => {
                    failures += 1;
                    json!({ "file": file, "error": e.to_string() })
                }
            },
        };
        #[allow(clippy::print_stdout, reason = "the command's output is JSON lines on stdout")]
        {
            println!("{line}");
        }
    }
    if failures == 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}
