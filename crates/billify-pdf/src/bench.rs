//! A small corpus of real and generated invoices for benchmarks (`cargo xtask bench`, the
//! `bench_extract` example). The files are embedded so a benchmark needs no paths.

/// (name, PDF bytes) of single- and multi-page invoices: the prototype's wkhtmltopdf sample
/// and the generated multilingual fixtures.
pub fn bench_corpus() -> Vec<(&'static str, &'static [u8])> {
    vec![
        ("sample.pdf", include_bytes!("../tests/fixtures/sample.pdf")),
        ("nl_labels_left.pdf", include_bytes!("../tests/fixtures/nl_labels_left.pdf")),
        ("fr_labels_above.pdf", include_bytes!("../tests/fixtures/fr_labels_above.pdf")),
        ("de_type0.pdf", include_bytes!("../tests/fixtures/de_type0.pdf")),
        ("en_multipage.pdf", include_bytes!("../tests/fixtures/en_multipage.pdf")),
        ("nl_two_rates.pdf", include_bytes!("../tests/fixtures/nl_two_rates.pdf")),
    ]
}
