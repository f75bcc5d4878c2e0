//! Mangled copies of the fixtures (truncated, bytes flipped) must give an error or a result,
//! never a panic or a hang.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use billify_einvoice::{EinvoiceExtractor, find_embedded_einvoice, parse_xml};
use billify_ports::intake::{InvoiceExtractor, OwnParty};
use support::*;

/// A small deterministic generator (xorshift), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % u64::try_from(n.max(1)).unwrap()).unwrap()
    }
}

fn mangle(rng: &mut Rng, input: &[u8]) -> Vec<u8> {
    let mut b = input.to_vec();
    match rng.below(3) {
        0 => b.truncate(rng.below(b.len())),
        1 => {
            for _ in 0..=rng.below(8) {
                let i = rng.below(b.len());
                b[i] ^= 1 << rng.below(8);
            }
        }
        _ => {
            let i = rng.below(b.len());
            let n = rng.below(64).min(b.len() - i);
            b.drain(i..i + n);
        }
    }
    b
}

#[test]
fn mangled_xml_never_panics() {
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    for name in
        ["ubl-invoice.xml", "ubl-credit-note.xml", "cii-facturx-en16931.xml", "ubl-prefixes-terms-allowances.xml"]
    {
        let original = fixture(name);
        for _ in 0..300 {
            let _ = parse_xml(&mangle(&mut rng, &original));
        }
    }
}

#[test]
fn mangled_pdfs_never_panic() {
    let mut rng = Rng(0x5eed_1234_abcd_0002);
    let extractor = EinvoiceExtractor::new();
    for name in ["facturx-invoice.pdf", "zugferd-name-tree-kids.pdf", "pdfa3-unrelated-attachment.pdf"] {
        let original = fixture(name);
        for _ in 0..150 {
            let bytes = mangle(&mut rng, &original);
            let _ = find_embedded_einvoice(&bytes);
            let _ = extractor.extract(&bytes, &OwnParty::default(), date(2026, 11, 27), std::time::Duration::ZERO);
        }
    }
}
