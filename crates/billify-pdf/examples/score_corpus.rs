//! Scores field extraction against a generated corpus with ground truth (see
//! `crates/billify-pdf/corpus/README.md`):
//! `cargo run --release -p billify-pdf --example score_corpus [-- DIR] [--split tune|heldout|all]
//! [--verbose] [--markdown] [--text-only] [--tsv]`.
//!
//! DIR holds `manifest.json` and the PDFs it names; by default the committed sample in
//! `crates/billify-pdf/corpus/sample`. Prints the share of right fields per field and per
//! producer, the overall header-field accuracy, and the median time per text page. `--verbose`
//! lists every wrong field (use it on the tuning half only: the held-out half stays out of the
//! tuning loop). `--text-only` leaves the scans (OCR, seconds each) out. A VAT number or IBAN in
//! the truth that fails its check digits (a test file's placeholder) is not scored. `--tsv` prints, instead
//! of the tables, one line per scored field (`path`, split, field, `ok` or `wrong`, detail, split
//! by tabs; the fields `lines` and `kind` are the invoice-line count and the document kind), for
//! `cargo xtask corpus` to compare two builds.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::str::FromStr;
use std::time::{Duration, Instant};

use bigdecimal::BigDecimal;
use billify_domain::{Iban, VatNumber};
use billify_pdf::{Limits, OcrSetting, PdfExtractor};
use billify_ports::intake::{DocumentKind, ExtractedInvoice, ExtractionMethod, InvoiceExtractor, OwnParty};
use serde_json::Value;
use time::macros::date;

/// The header fields scored, in print order.
const FIELDS: &[&str] = &[
    "invoice_number",
    "issue_date",
    "due_date",
    "currency",
    "subtotal",
    "vat_amount",
    "total",
    "amount_due",
    "seller_name",
    "seller_vat",
    "buyer_name",
    "iban",
];

fn compact(s: &str) -> String {
    s.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

fn amount_eq(got: Option<&BigDecimal>, want: &str, credit: bool) -> bool {
    let Ok(want) = BigDecimal::from_str(want) else { return false };
    got.is_some_and(|g| if credit { g.abs() == want.abs() } else { *g == want })
}

/// Whether the extracted `field` matches the truth (`None` when the truth has no value).
fn check(field: &str, inv: &ExtractedInvoice, truth: &Value) -> Option<(bool, String)> {
    let want = truth.get(field)?.as_str()?;
    let credit = truth.get("kind").and_then(Value::as_str) == Some("credit_note");
    let (ok, got) = match field {
        "invoice_number" => {
            let g = inv.invoice_number.as_ref().map(|e| e.value.clone());
            (g.as_deref() == Some(want), g)
        }
        "issue_date" | "due_date" => {
            let d = if field == "issue_date" { &inv.issue_date } else { &inv.due_date };
            let g = d.as_ref().map(|e| e.value.to_string());
            (g.as_deref() == Some(want), g)
        }
        "currency" => {
            let g = inv.currency.as_ref().map(|e| e.value.to_string());
            (g.as_deref() == Some(want), g)
        }
        "subtotal" | "vat_amount" | "total" | "amount_due" => {
            let e = match field {
                "subtotal" => &inv.subtotal,
                "vat_amount" => &inv.vat_amount,
                "total" => &inv.total,
                _ => &inv.amount_due,
            };
            let g = e.as_ref().map(|e| &e.value);
            (amount_eq(g, want, credit), g.map(ToString::to_string))
        }
        "seller_name" | "buyer_name" => {
            let p = if field == "seller_name" { &inv.seller } else { &inv.buyer };
            let g = p.name.as_ref().map(|e| e.value.clone());
            (g.as_deref().is_some_and(|g| compact(g) == compact(want)), g)
        }
        // A test file's placeholder that fails its check digits (`DE123456789`) is not scored:
        // the reader leaves such a number out by design, with a note on the draft.
        "seller_vat" if VatNumber::parse(want).is_err() => return None,
        "iban" if Iban::parse(want).is_err() => return None,
        "seller_vat" => {
            let g = inv.seller.vat_number.as_ref().map(|e| e.value.as_str().to_string());
            (g.as_deref() == Some(want), g)
        }
        "iban" => {
            let g = inv.seller.iban.as_ref().map(|e| e.value.as_str().to_string());
            (g.as_deref() == Some(want), g)
        }
        _ => return None,
    };
    Some((ok, format!("want {want:?}, got {:?}", got.unwrap_or_default())))
}

#[derive(Default)]
struct Tally {
    right: usize,
    total: usize,
}

impl Tally {
    fn add(&mut self, ok: bool) {
        self.total += 1;
        self.right += usize::from(ok);
    }
    fn pct(&self) -> String {
        if self.total == 0 { "-".into() } else { format!("{:.0} %", 100.0 * self.right as f64 / self.total as f64) }
    }
}

fn own_party(v: &Value) -> OwnParty {
    let strings = |k: &str| -> Vec<String> {
        v.get(k)
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(|s| s.as_str().map(str::to_string)).collect())
            .unwrap_or_default()
    };
    OwnParty {
        names: strings("names"),
        vat_numbers: strings("vat_numbers").iter().filter_map(|s| VatNumber::parse(s).ok()).collect(),
        ibans: strings("ibans").iter().filter_map(|s| Iban::parse(s).ok()).collect(),
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus/sample");
    let mut split = "all".to_string();
    let mut verbose = false;
    let mut markdown = false;
    let mut text_only = false;
    let mut tsv = false;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--split" => split = args.next().unwrap_or_default(),
            "--verbose" => verbose = true,
            "--markdown" => markdown = true,
            "--text-only" => text_only = true,
            "--tsv" => tsv = true,
            _ => dir = PathBuf::from(a),
        }
    }
    let manifest: Vec<Value> = serde_json::from_slice(&std::fs::read(dir.join("manifest.json"))?)?;
    let extractor = PdfExtractor::new(Limits::default()).with_ocr(OcrSetting::detect());
    let today = date!(2026 - 01 - 01);

    let mut per_field: BTreeMap<(String, &str), Tally> = BTreeMap::new();
    let mut per_producer: BTreeMap<String, Tally> = BTreeMap::new();
    let mut overall = Tally::default();
    let mut kinds = Tally::default();
    let mut lines = Tally::default();
    let mut text_times: Vec<Duration> = Vec::new();
    let mut ocr_times: Vec<Duration> = Vec::new();
    let mut docs = 0usize;
    for entry in &manifest {
        let s = entry.get("split").and_then(Value::as_str).unwrap_or("");
        if split != "all" && s != split {
            continue;
        }
        let path = entry.get("path").and_then(Value::as_str).unwrap_or("");
        let producer = entry.get("producer").and_then(Value::as_str).unwrap_or("?").to_string();
        if text_only && producer == "scan" {
            continue;
        }
        let truth = entry.get("truth").cloned().unwrap_or(Value::Null);
        let own = own_party(entry.get("own").unwrap_or(&Value::Null));
        let bytes = std::fs::read(dir.join(path))?;
        docs += 1;
        let start = Instant::now();
        let result = extractor.extract(&bytes, &own, today, Duration::ZERO);
        let elapsed = start.elapsed();
        let inv = match result {
            Ok(inv) => {
                if inv.method == ExtractionMethod::PdfOcr {
                    ocr_times.push(elapsed);
                } else {
                    let pages = billify_pdf::extract_text(&bytes, &Limits::default()).map_or(1, |d| d.pages.len());
                    text_times.push(elapsed / pages.max(1) as u32);
                }
                inv
            }
            Err(e) => {
                if verbose {
                    println!("{path}: {e}");
                }
                ExtractedInvoice::empty(ExtractionMethod::PdfText)
            }
        };
        for field in FIELDS {
            let Some((ok, detail)) = check(field, &inv, &truth) else { continue };
            per_field.entry((producer.clone(), field)).or_default().add(ok);
            per_field.entry(("all".into(), field)).or_default().add(ok);
            per_producer.entry(producer.clone()).or_default().add(ok);
            overall.add(ok);
            if tsv {
                println!("{path}\t{s}\t{field}\t{}\t{detail}", if ok { "ok" } else { "wrong" });
            } else if verbose && !ok {
                println!("{path} {field}: {detail}");
            }
        }
        let credit = truth.get("kind").and_then(Value::as_str) == Some("credit_note");
        let kind = inv.kind.as_ref().map(|k| k.value);
        let want_kind = if credit { DocumentKind::CreditNote } else { DocumentKind::Invoice };
        kinds.add(kind == Some(want_kind));
        if tsv {
            let ok = if kind == Some(want_kind) { "ok" } else { "wrong" };
            println!("{path}\t{s}\tkind\t{ok}\twant {want_kind:?}, got {kind:?}");
        }
        if let Some(n) = truth.get("lines").and_then(Value::as_u64) {
            let ok = inv.lines.len() as u64 == n;
            lines.add(ok);
            if tsv {
                println!("{path}\t{s}\tlines\t{}\twant {n}, got {}", if ok { "ok" } else { "wrong" }, inv.lines.len());
            } else if verbose && !ok {
                println!("{path} lines: want {n}, got {}", inv.lines.len());
            }
        }
    }

    if tsv {
        return Ok(());
    }
    let producers: Vec<String> = per_producer.keys().cloned().chain(["all".to_string()]).collect();
    if markdown {
        println!("| field | {} |", producers.join(" | "));
        println!("|---|{}", "---|".repeat(producers.len()));
    } else {
        println!("{docs} documents, split {split}");
        print!("{:<16}", "field");
        for p in &producers {
            print!("{p:>11}");
        }
        println!();
    }
    for field in FIELDS {
        let cells: Vec<String> =
            producers.iter().map(|p| per_field.get(&(p.clone(), *field)).map_or("-".into(), Tally::pct)).collect();
        if markdown {
            println!("| {field} | {} |", cells.join(" | "));
        } else {
            print!("{field:<16}");
            for c in cells {
                print!("{c:>11}");
            }
            println!();
        }
    }
    let all_cells: Vec<String> =
        producers.iter().map(|p| per_producer.get(p).map_or_else(|| overall.pct(), Tally::pct)).collect();
    if markdown {
        println!("| **all header fields** | {} |", all_cells.join(" | "));
    } else {
        print!("{:<16}", "ALL FIELDS");
        for c in all_cells {
            print!("{c:>11}");
        }
        println!();
    }
    let median = |mut v: Vec<Duration>| {
        v.sort();
        v.get(v.len() / 2).copied()
    };
    println!();
    println!("document kind: {}; invoice lines (count right): {}", kinds.pct(), lines.pct());
    println!(
        "median per text page: {:.2?} ({} documents); median per OCR document: {} ({} documents)",
        median(text_times.clone()).unwrap_or_default(),
        text_times.len(),
        median(ocr_times.clone()).map_or_else(|| "-".into(), |d| format!("{d:.2?}")),
        ocr_times.len()
    );
    Ok(())
}
