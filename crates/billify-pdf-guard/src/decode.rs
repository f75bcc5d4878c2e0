//! Bounded stream decoding.
//!
//! lopdf's own decoders inflate without an output limit, so a few kilobytes of crafted
//! FlateDecode data can expand to gigabytes ("zip bomb"), and a second Flate layer multiplies
//! that again. Everything Billify decodes goes through [`decode_stream`] (or, on raw bytes,
//! [`decode_layers`]): each filter layer stops at [`Budget::stream_allowance`], and its output
//! is counted against the budget's total before the next layer starts.

use std::io::Read;

use billify_ports::intake::ExtractionError;
use lopdf::{Dictionary, Object, Stream};

use crate::limits::Budget;

/// Most filters applied to one stream.
const MAX_FILTERS: usize = 8;

/// Why a stream could not be decoded.
#[derive(Debug)]
pub enum DecodeError {
    /// A filter that is not decoded (images: DCT, JPX, CCITT, JBIG2; Crypt) or a broken filter
    /// list. The stream is skipped, the read goes on.
    Unsupported,
    /// A limit was hit: the read ends with this error.
    Limit(ExtractionError),
}

impl From<ExtractionError> for DecodeError {
    fn from(e: ExtractionError) -> Self {
        DecodeError::Limit(e)
    }
}

/// The decode parameters this crate honours (`/DecodeParms`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Params {
    /// `/Predictor` (1: none; 10..=15: PNG).
    pub predictor: i64,
    /// `/Colors`.
    pub colors: i64,
    /// `/BitsPerComponent`.
    pub bits: i64,
    /// `/Columns`.
    pub columns: i64,
    /// `/EarlyChange` (LZW).
    pub early_change: bool,
}

impl Default for Params {
    fn default() -> Self {
        Params { predictor: 1, colors: 1, bits: 8, columns: 1, early_change: true }
    }
}

impl Params {
    fn from_dict(d: &Dictionary) -> Params {
        let get = |k: &[u8], def: i64| d.get(k).ok().and_then(|o| o.as_i64().ok()).unwrap_or(def);
        Params {
            predictor: get(b"Predictor", 1),
            colors: get(b"Colors", 1),
            bits: get(b"BitsPerComponent", 8),
            columns: get(b"Columns", 1),
            early_change: get(b"EarlyChange", 1) != 0,
        }
    }
}

/// The filter names of a stream, in decoding order, or `None` when `/Filter` is neither a name
/// nor an array of names.
pub fn filters(stream: &Stream) -> Option<Vec<Vec<u8>>> {
    match stream.dict.get(b"Filter") {
        Err(_) => Some(Vec::new()),
        Ok(Object::Name(n)) => Some(vec![n.clone()]),
        Ok(Object::Array(a)) => a.iter().map(|o| o.as_name().ok().map(<[u8]>::to_vec)).collect(),
        Ok(_) => None,
    }
}

/// Decodes a stream's data through its filter chain, within the budget.
pub fn decode_stream(stream: &Stream, budget: &mut Budget) -> Result<Vec<u8>, DecodeError> {
    let filters = filters(stream).ok_or(DecodeError::Unsupported)?;
    let parms: Vec<Option<Params>> = match stream.dict.get(b"DecodeParms").or_else(|_| stream.dict.get(b"DP")) {
        Ok(Object::Dictionary(d)) => vec![Some(Params::from_dict(d))],
        Ok(Object::Array(a)) => a.iter().map(|o| o.as_dict().ok().map(Params::from_dict)).collect(),
        _ => Vec::new(),
    };
    decode_layers(&stream.content, &filters, &parms, budget)
}

/// Decodes `data` through `filters` (with the matching `parms`), counting every layer's output
/// against the budget.
pub fn decode_layers(
    data: &[u8],
    filters: &[Vec<u8>],
    parms: &[Option<Params>],
    budget: &mut Budget,
) -> Result<Vec<u8>, DecodeError> {
    if filters.len() > MAX_FILTERS {
        return Err(DecodeError::Unsupported);
    }
    if filters.is_empty() {
        let cap = budget.stream_allowance();
        if data.len() > cap {
            return Err(DecodeError::Limit(too_large(cap)));
        }
        return Ok(data.to_vec());
    }
    let mut current: Option<Vec<u8>> = None;
    for (i, filter) in filters.iter().enumerate() {
        budget.check_time()?;
        let cap = budget.stream_allowance();
        let parm = parms.get(i).copied().flatten();
        let input: &[u8] = current.as_deref().unwrap_or(data);
        let out = match filter.as_slice() {
            b"FlateDecode" | b"Fl" => predictor(inflate(input, cap, budget)?, parm, cap)?,
            b"LZWDecode" | b"LZW" => predictor(lzw(input, parm, cap, budget)?, parm, cap)?,
            b"ASCIIHexDecode" | b"AHx" => ascii_hex(input),
            b"ASCII85Decode" | b"A85" => ascii85(input, cap)?,
            b"RunLengthDecode" | b"RL" => run_length(input, cap)?,
            _ => return Err(DecodeError::Unsupported),
        };
        budget.add_decompressed(out.len())?;
        current = Some(out);
    }
    Ok(current.unwrap_or_default())
}

/// The first `n` decoded bytes of a stream that is unfiltered or FlateDecode without a
/// predictor, or `None` otherwise; for sniffing what an attachment is before decoding it whole.
/// The bytes are counted against the budget.
pub fn peek_stream(stream: &Stream, n: usize, budget: &mut Budget) -> Result<Option<Vec<u8>>, ExtractionError> {
    let head = match filters(stream).as_deref() {
        Some([]) => stream.content[..stream.content.len().min(n)].to_vec(),
        Some([f]) if f.as_slice() == b"FlateDecode" || f.as_slice() == b"Fl" => {
            let mut out = Vec::new();
            let limit = u64::try_from(n).unwrap_or(u64::MAX);
            match flate2::read::ZlibDecoder::new(stream.content.as_slice()).take(limit).read_to_end(&mut out) {
                Ok(_) => out,
                // Data that ends early still gives a prefix; other errors mean it is not zlib.
                Err(_) if !out.is_empty() => out,
                Err(_) => return Ok(None),
            }
        }
        _ => return Ok(None),
    };
    budget.add_decompressed(head.len())?;
    Ok(Some(head))
}

fn too_large(limit: usize) -> ExtractionError {
    ExtractionError::TooLarge(format!("a stream decompresses to more than {limit} bytes"))
}

/// Inflates zlib data (falling back to raw deflate, as lopdf does), keeping what decodes before
/// an error, and failing once the output passes `cap`. Checks the clock as it goes.
fn inflate(input: &[u8], cap: usize, budget: &Budget) -> Result<Vec<u8>, ExtractionError> {
    fn pump(reader: impl Read, cap: usize, budget: &Budget, out: &mut Vec<u8>) -> Result<bool, ExtractionError> {
        let mut reader = reader.take(cap as u64 + 1);
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            match reader.read(&mut buf) {
                Ok(0) => return Ok(true),
                Ok(n) => out.extend_from_slice(&buf[..n]),
                Err(_) => return Ok(false),
            }
            if out.len() > cap {
                return Err(too_large(cap));
            }
            if out.len() % (1024 * 1024) < buf.len() {
                budget.check_time()?;
            }
        }
    }
    let mut out = Vec::new();
    let ok = pump(flate2::read::ZlibDecoder::new(input), cap, budget, &mut out)?;
    if !ok && out.is_empty() && input.len() > 2 {
        pump(flate2::read::DeflateDecoder::new(&input[2..]), cap, budget, &mut out)?;
    }
    Ok(out)
}

/// Decodes LZW data with weezl, stopping at `cap` bytes of output.
fn lzw(input: &[u8], parm: Option<Params>, cap: usize, budget: &Budget) -> Result<Vec<u8>, ExtractionError> {
    let early = parm.is_none_or(|p| p.early_change);
    let mut decoder = if early {
        weezl::decode::Decoder::with_tiff_size_switch(weezl::BitOrder::Msb, 8)
    } else {
        weezl::decode::Decoder::new(weezl::BitOrder::Msb, 8)
    };
    let mut out = Vec::new();
    let mut buf = [0u8; 16 * 1024];
    let mut rest = input;
    let mut rounds = 0u32;
    loop {
        let r = decoder.decode_bytes(rest, &mut buf);
        out.extend_from_slice(&buf[..r.consumed_out]);
        if out.len() > cap {
            return Err(too_large(cap));
        }
        rest = &rest[r.consumed_in..];
        rounds += 1;
        if rounds.is_multiple_of(64) {
            budget.check_time()?;
        }
        match r.status {
            Ok(weezl::LzwStatus::Ok) if r.consumed_in > 0 || r.consumed_out > 0 => {}
            _ => break,
        }
    }
    Ok(out)
}

/// Undoes PNG predictors (10..=15) and leaves other data alone.
fn predictor(data: Vec<u8>, parm: Option<Params>, cap: usize) -> Result<Vec<u8>, ExtractionError> {
    let Some(p) = parm else { return Ok(data) };
    if !(10..=15).contains(&p.predictor) {
        return Ok(data);
    }
    let colors = p.colors.clamp(1, 32) as usize;
    let bits = p.bits.clamp(1, 16) as usize;
    let columns = p.columns.clamp(1, 1 << 20) as usize;
    let bpp = (colors * bits).div_ceil(8).max(1);
    let row = (colors * bits * columns).div_ceil(8);
    if row == 0 {
        return Ok(data);
    }
    let mut out = Vec::with_capacity(data.len().min(cap));
    let mut prev = vec![0u8; row];
    for chunk in data.chunks(row + 1) {
        let (kind, raw) = match chunk.split_first() {
            Some((k, r)) => (*k, r),
            None => break,
        };
        let mut cur = vec![0u8; row];
        cur[..raw.len()].copy_from_slice(raw);
        for i in 0..row {
            let left = if i >= bpp { cur[i - bpp] } else { 0 };
            let up = prev[i];
            let up_left = if i >= bpp { prev[i - bpp] } else { 0 };
            cur[i] = match kind {
                1 => cur[i].wrapping_add(left),
                2 => cur[i].wrapping_add(up),
                3 => cur[i].wrapping_add(((u16::from(left) + u16::from(up)) / 2) as u8),
                4 => cur[i].wrapping_add(paeth(left, up, up_left)),
                _ => cur[i],
            };
        }
        out.extend_from_slice(&cur[..raw.len()]);
        if out.len() > cap {
            return Err(too_large(cap));
        }
        prev = cur;
    }
    Ok(out)
}

fn paeth(a: u8, b: u8, c: u8) -> u8 {
    let p = i16::from(a) + i16::from(b) - i16::from(c);
    let (pa, pb, pc) = ((p - i16::from(a)).abs(), (p - i16::from(b)).abs(), (p - i16::from(c)).abs());
    if pa <= pb && pa <= pc {
        a
    } else if pb <= pc {
        b
    } else {
        c
    }
}

fn ascii_hex(input: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len() / 2);
    let mut high: Option<u8> = None;
    for &b in input {
        if b == b'>' {
            break;
        }
        let v = match b {
            b'0'..=b'9' => b - b'0',
            b'a'..=b'f' => b - b'a' + 10,
            b'A'..=b'F' => b - b'A' + 10,
            _ => continue,
        };
        match high.take() {
            Some(h) => out.push(h << 4 | v),
            None => high = Some(v),
        }
    }
    if let Some(h) = high {
        out.push(h << 4);
    }
    out
}

fn ascii85(input: &[u8], cap: usize) -> Result<Vec<u8>, ExtractionError> {
    let mut out = Vec::with_capacity(input.len().min(cap));
    let mut group = [0u8; 5];
    let mut n = 0;
    let data = input.strip_prefix(b"<~").unwrap_or(input);
    for &b in data {
        match b {
            b'~' => break,
            b'z' if n == 0 => out.extend_from_slice(&[0; 4]),
            b'!'..=b'u' => {
                group[n] = b - b'!';
                n += 1;
                if n == 5 {
                    let v = group.iter().fold(0u64, |acc, d| acc * 85 + u64::from(*d));
                    out.extend_from_slice(&(v as u32).to_be_bytes());
                    n = 0;
                }
            }
            _ => {}
        }
        if out.len() > cap {
            return Err(too_large(cap));
        }
    }
    if n > 1 {
        for slot in group.iter_mut().skip(n) {
            *slot = 84;
        }
        let v = group.iter().fold(0u64, |acc, d| acc * 85 + u64::from(*d));
        out.extend_from_slice(&(v as u32).to_be_bytes()[..n - 1]);
    }
    Ok(out)
}

fn run_length(input: &[u8], cap: usize) -> Result<Vec<u8>, ExtractionError> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < input.len() {
        let len = input[i];
        i += 1;
        match len {
            128 => break,
            0..=127 => {
                let end = (i + usize::from(len) + 1).min(input.len());
                out.extend_from_slice(&input[i..end]);
                i = end;
            }
            _ => {
                if let Some(&b) = input.get(i) {
                    out.extend(std::iter::repeat_n(b, 257 - usize::from(len)));
                }
                i += 1;
            }
        }
        if out.len() > cap {
            return Err(too_large(cap));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Limits;
    use std::io::Write;

    fn zlib(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    #[test]
    fn filters_decode() {
        let limits = Limits::default();
        let b = Budget::new(&limits);
        assert_eq!(ascii_hex(b"48 65 6C6C6F>"), b"Hello");
        assert_eq!(ascii85(b"87cURD]i,\"Ebo7~>", 100).unwrap(), b"Hello World");
        assert_eq!(run_length(&[2, b'a', b'b', b'c', 254, b'x', 128], 100).unwrap(), b"abcxxx");
        assert_eq!(inflate(&zlib(b"hello"), 100, &b).unwrap(), b"hello");
    }

    #[test]
    fn every_layer_counts_and_stops_at_the_allowance() {
        let limits =
            Limits { max_stream_bytes: 1024 * 1024, max_total_decompressed_bytes: 3 << 20, ..Limits::default() };
        // Two Flate layers: the outer one is small, the inner one a bomb.
        let inner = zlib(&vec![0u8; 8 * 1024 * 1024]);
        let outer = zlib(&inner);
        let flate = vec![b"FlateDecode".to_vec(), b"FlateDecode".to_vec()];
        let mut b = Budget::new(&limits);
        let r = decode_layers(&outer, &flate, &[], &mut b);
        assert!(matches!(r, Err(DecodeError::Limit(ExtractionError::TooLarge(_)))), "{r:?}");
        assert_eq!(b.usage().decompressed_bytes, inner.len(), "only the first layer's output was counted");

        let small = zlib(&zlib(b"hello"));
        let mut b = Budget::new(&limits);
        assert_eq!(decode_layers(&small, &flate, &[], &mut b).unwrap(), b"hello");
        assert_eq!(b.usage().decompressed_bytes, zlib(b"hello").len() + 5);
    }
}
