//! Bounded stream decoding.
//!
//! lopdf's own decoders inflate without an output limit, so a few kilobytes of crafted
//! FlateDecode data can expand to gigabytes ("zip bomb"). Everything this crate decodes goes
//! through the functions here, which stop at the [`Limits`](crate::Limits) and report
//! [`ExtractionError::TooLarge`]. Before lopdf sees a file, [`prescan_streams`] dry-runs every
//! stream in the raw bytes (counting output, storing nothing), because lopdf inflates object
//! streams and cross-reference streams itself while loading.

use std::io::Read;

use billify_ports::intake::ExtractionError;
use lopdf::{Dictionary, Object, Stream};

use crate::limits::Budget;

/// Why a stream could not be decoded.
#[derive(Debug)]
pub(crate) enum DecodeError {
    /// A filter we do not decode (images: DCT, JPX, CCITT, JBIG2) or a broken stream.
    Unsupported,
    /// A limit was hit.
    Limit(ExtractionError),
}

impl From<ExtractionError> for DecodeError {
    fn from(e: ExtractionError) -> Self {
        DecodeError::Limit(e)
    }
}

fn too_large(limit: usize) -> ExtractionError {
    ExtractionError::TooLarge(format!("a stream decompresses to more than {limit} bytes"))
}

/// Decodes a stream's data through its filter chain, within the budget.
pub(crate) fn decode_stream(stream: &Stream, budget: &mut Budget<'_>) -> Result<Vec<u8>, DecodeError> {
    let filters: Vec<Vec<u8>> = match stream.dict.get(b"Filter") {
        Ok(Object::Name(n)) => vec![n.clone()],
        Ok(Object::Array(a)) => a.iter().filter_map(|o| o.as_name().ok().map(<[u8]>::to_vec)).collect(),
        _ => Vec::new(),
    };
    if filters.len() > 8 {
        return Err(DecodeError::Unsupported);
    }
    let parms: Vec<Option<&Dictionary>> = match stream.dict.get(b"DecodeParms").or_else(|_| stream.dict.get(b"DP")) {
        Ok(Object::Dictionary(d)) => vec![Some(d)],
        Ok(Object::Array(a)) => a.iter().map(|o| o.as_dict().ok()).collect(),
        _ => Vec::new(),
    };
    let cap = budget.stream_allowance();
    let mut data: Vec<u8> = stream.content.clone();
    if data.len() > cap {
        return Err(DecodeError::Limit(too_large(cap)));
    }
    for (i, filter) in filters.iter().enumerate() {
        budget.check_time()?;
        let parm = parms.get(i).copied().flatten();
        data = match filter.as_slice() {
            b"FlateDecode" | b"Fl" => predictor(inflate(&data, cap)?, parm, cap)?,
            b"LZWDecode" | b"LZW" => predictor(lzw(&data, parm, cap)?, parm, cap)?,
            b"ASCIIHexDecode" | b"AHx" => ascii_hex(&data),
            b"ASCII85Decode" | b"A85" => ascii85(&data, cap)?,
            b"RunLengthDecode" | b"RL" => run_length(&data, cap)?,
            _ => return Err(DecodeError::Unsupported),
        };
    }
    budget.add_decompressed(data.len())?;
    Ok(data)
}

/// Inflates zlib data (falling back to raw deflate, as lopdf does), keeping what decodes before
/// an error, and failing once the output passes `cap`.
fn inflate(input: &[u8], cap: usize) -> Result<Vec<u8>, ExtractionError> {
    let mut out = Vec::new();
    let limit = cap as u64 + 1;
    let result = flate2::read::ZlibDecoder::new(input).take(limit).read_to_end(&mut out);
    if result.is_err() && out.is_empty() && input.len() > 2 {
        out.clear();
        let _ = flate2::read::DeflateDecoder::new(&input[2..]).take(limit).read_to_end(&mut out);
    }
    if out.len() > cap {
        return Err(too_large(cap));
    }
    Ok(out)
}

/// Decodes LZW data with weezl, stopping at `cap` bytes of output.
fn lzw(input: &[u8], parm: Option<&Dictionary>, cap: usize) -> Result<Vec<u8>, ExtractionError> {
    let early = parm.and_then(|p| p.get(b"EarlyChange").ok()).and_then(|o| o.as_i64().ok()).is_none_or(|v| v != 0);
    let mut decoder = if early {
        weezl::decode::Decoder::with_tiff_size_switch(weezl::BitOrder::Msb, 8)
    } else {
        weezl::decode::Decoder::new(weezl::BitOrder::Msb, 8)
    };
    let mut out = Vec::new();
    let mut buf = [0u8; 16 * 1024];
    let mut rest = input;
    loop {
        let r = decoder.decode_bytes(rest, &mut buf);
        out.extend_from_slice(&buf[..r.consumed_out]);
        if out.len() > cap {
            return Err(too_large(cap));
        }
        rest = &rest[r.consumed_in..];
        match r.status {
            Ok(weezl::LzwStatus::Ok) if r.consumed_in > 0 || r.consumed_out > 0 => {}
            _ => break,
        }
    }
    Ok(out)
}

/// Undoes PNG predictors (10..=15) and leaves other data alone.
fn predictor(data: Vec<u8>, parm: Option<&Dictionary>, cap: usize) -> Result<Vec<u8>, ExtractionError> {
    let Some(p) = parm else { return Ok(data) };
    let get = |k: &[u8], d: i64| p.get(k).ok().and_then(|o| o.as_i64().ok()).unwrap_or(d);
    let pred = get(b"Predictor", 1);
    if !(10..=15).contains(&pred) {
        return Ok(data);
    }
    let colors = get(b"Colors", 1).clamp(1, 32) as usize;
    let bits = get(b"BitsPerComponent", 8).clamp(1, 16) as usize;
    let columns = get(b"Columns", 1).clamp(1, 1 << 20) as usize;
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
    let mut out = Vec::with_capacity(input.len());
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

/// Counts what a zlib (or, failing that, raw deflate) stream inflates to, up to `cap + 1`.
fn count_inflate(input: &[u8], cap: usize, budget: &Budget<'_>) -> Result<usize, ExtractionError> {
    fn count(mut reader: impl Read, cap: usize, budget: &Budget<'_>) -> Result<(usize, bool), ExtractionError> {
        let mut buf = [0u8; 32 * 1024];
        let mut total = 0usize;
        let mut chunks = 0u32;
        loop {
            match reader.read(&mut buf) {
                Ok(0) => return Ok((total, true)),
                Ok(n) => total += n,
                Err(_) => return Ok((total, false)),
            }
            if total > cap {
                return Ok((total, true));
            }
            chunks += 1;
            if chunks % 64 == 0 {
                budget.check_time()?;
            }
        }
    }
    let (n, ok) = count(flate2::read::ZlibDecoder::new(input), cap, budget)?;
    if !ok && n == 0 && input.len() > 2 {
        return Ok(count(flate2::read::DeflateDecoder::new(&input[2..]), cap, budget)?.0);
    }
    Ok(n)
}

/// Dry-runs every stream of the raw file against the limits before lopdf parses it.
///
/// lopdf decompresses object streams and cross-reference streams while loading, without a
/// limit. This scan finds each `stream` keyword, inflates what follows (a zlib stream ends by
/// itself, so the stream's claimed `/Length` does not matter) into a counter, and fails with
/// [`ExtractionError::TooLarge`] when one stream or all of them together decompress past the
/// limits. Streams whose dictionary mentions LZW are dry-run with the LZW decoder as well.
pub(crate) fn prescan_streams(bytes: &[u8], budget: &Budget<'_>) -> Result<(), ExtractionError> {
    let limits = budget.limits;
    let mut total = 0usize;
    let mut pos = 0usize;
    let mut prev_end = 0usize;
    while let Some(found) = find(&bytes[pos..], b"stream") {
        let at = pos + found;
        pos = at + 6;
        if at >= 3 && &bytes[at - 3..at] == b"end" {
            continue;
        }
        let mut start = pos;
        match bytes.get(start) {
            Some(b'\r') => {
                start += 1;
                if bytes.get(start) == Some(&b'\n') {
                    start += 1;
                }
            }
            Some(b'\n') => start += 1,
            _ => continue,
        }
        let data = &bytes[start..];
        let dict_from = prev_end.max(at.saturating_sub(4096));
        let dict = &bytes[dict_from..at];
        let n = count_inflate(data, limits.max_stream_bytes, budget)?;
        let n = if find(dict, b"LZW").is_some() || find(dict, b"#").is_some() {
            let m = lzw(data, None, limits.max_stream_bytes).map(|v| v.len()).unwrap_or(usize::MAX);
            n.max(m)
        } else {
            n
        };
        if n > limits.max_stream_bytes {
            return Err(too_large(limits.max_stream_bytes));
        }
        total = total.saturating_add(n);
        if total > limits.max_total_decompressed_bytes {
            return Err(ExtractionError::TooLarge(format!(
                "the streams decompress to more than {} bytes in total",
                limits.max_total_decompressed_bytes
            )));
        }
        prev_end = start;
        budget.check_time()?;
    }
    Ok(())
}

/// Position of `needle` in `hay`.
pub(crate) fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    hay.windows(needle.len()).position(|w| w == needle)
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
        assert_eq!(ascii_hex(b"48 65 6C6C6F>"), b"Hello");
        assert_eq!(ascii85(b"87cURD]i,\"Ebo7~>", 100).unwrap(), b"Hello World");
        assert_eq!(run_length(&[2, b'a', b'b', b'c', 254, b'x', 128], 100).unwrap(), b"abcxxx");
        assert_eq!(inflate(&zlib(b"hello"), 100).unwrap(), b"hello");
    }

    #[test]
    fn bombs_are_stopped() {
        let bomb = zlib(&vec![0u8; 10 * 1024 * 1024]);
        assert!(matches!(inflate(&bomb, 1024 * 1024), Err(ExtractionError::TooLarge(_))));
        let limits = Limits { max_stream_bytes: 1024 * 1024, ..Limits::default() };
        let budget = Budget::new(&limits);
        let mut file = b"%PDF-1.4\n1 0 obj <</Length 10>>\nstream\n".to_vec();
        file.extend_from_slice(&bomb);
        file.extend_from_slice(b"\nendstream endobj");
        assert!(matches!(prescan_streams(&file, &budget), Err(ExtractionError::TooLarge(_))));
    }
}
