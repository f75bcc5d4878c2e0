//! The characters of an embedded TrueType font's glyphs, read from its own `cmap` table.
//!
//! A composite (Type0, Identity-H) font shows glyph ids, not characters. Writers normally add
//! a `/ToUnicode` CMap that says which text each glyph stands for; some (older TCPDF and iText
//! set-ups, print drivers, tools that rewrite PDFs) leave it out. The embedded font program
//! usually still has a `cmap` table (character → glyph), even when subset, and inverting it
//! gives the text back. Only what that needs is read: the table directory and `cmap`
//! subtables of formats 0, 4, 6 and 12. Every offset is checked: a broken font gives fewer
//! characters, never a panic.

use std::collections::HashMap;

/// Most glyphs mapped from one font (the glyph id space is 16 bits).
const MAX_GLYPHS: usize = 65_536;

/// Most character codes looked at in one `cmap` subtable: a hostile table of 65,535 segments
/// each spanning the whole code space would otherwise cost billions of steps.
const MAX_CODES: usize = 1 << 20;

fn u16_at(d: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes([*d.get(at)?, *d.get(at + 1)?]))
}

fn u32_at(d: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes([*d.get(at)?, *d.get(at + 1)?, *d.get(at + 2)?, *d.get(at + 3)?]))
}

/// The glyph id → character map of a TrueType font program (`/FontFile2`); empty when the
/// font has no usable Unicode `cmap`. Where several characters share a glyph, the lowest wins.
pub(crate) fn glyph_chars(font: &[u8]) -> HashMap<u16, char> {
    let mut out = HashMap::new();
    let Some(cmap) = table(font, b"cmap") else { return out };
    let Some(count) = u16_at(cmap, 2) else { return out };
    // Unicode subtables first: Windows full repertoire, Windows BMP, Unicode platform; then Mac
    // Roman (read as Latin-1, right for ASCII).
    let mut best: Option<(u8, usize)> = None;
    for i in 0..usize::from(count) {
        let rec = 4 + 8 * i;
        let (Some(platform), Some(encoding), Some(offset)) =
            (u16_at(cmap, rec), u16_at(cmap, rec + 2), u32_at(cmap, rec + 4))
        else {
            break;
        };
        let rank = match (platform, encoding) {
            (3, 10) => 0,
            (3, 1) => 1,
            (0, _) => 2,
            (1, 0) => 3,
            _ => continue,
        };
        if best.is_none_or(|(r, _)| rank < r) {
            best = Some((rank, offset as usize));
        }
    }
    let Some((_, offset)) = best else { return out };
    let Some(sub) = cmap.get(offset..) else { return out };
    let mut steps = 0usize;
    // Adds one mapping; false once the step or glyph budget is spent.
    let mut add = |code: u32, gid: u32| -> bool {
        steps += 1;
        if steps > MAX_CODES || out.len() >= MAX_GLYPHS {
            return false;
        }
        if gid == 0 {
            return true;
        }
        let (Ok(gid), Some(c)) = (u16::try_from(gid), char::from_u32(code)) else { return true };
        if !c.is_control() {
            out.entry(gid).and_modify(|old: &mut char| *old = (*old).min(c)).or_insert(c);
        }
        true
    };
    match u16_at(sub, 0) {
        Some(0) => {
            for code in 0..256u32 {
                if let Some(&gid) = sub.get(6 + code as usize) {
                    add(code, u32::from(gid));
                }
            }
        }
        Some(4) => {
            let segs = usize::from(u16_at(sub, 6).unwrap_or(0) / 2);
            let (ends, starts, deltas, range_offsets) = (14, 16 + 2 * segs, 16 + 4 * segs, 16 + 6 * segs);
            for s in 0..segs {
                let (Some(end), Some(start), Some(delta), Some(ro)) = (
                    u16_at(sub, ends + 2 * s),
                    u16_at(sub, starts + 2 * s),
                    u16_at(sub, deltas + 2 * s),
                    u16_at(sub, range_offsets + 2 * s),
                ) else {
                    break;
                };
                if start > end || end == 0xffff && start == 0xffff {
                    continue;
                }
                for code in start..=end {
                    let gid = if ro == 0 {
                        code.wrapping_add(delta)
                    } else {
                        let at = range_offsets + 2 * s + usize::from(ro) + 2 * usize::from(code - start);
                        match u16_at(sub, at) {
                            Some(0) | None => 0,
                            Some(g) => g.wrapping_add(delta),
                        }
                    };
                    if !add(u32::from(code), u32::from(gid)) {
                        return out;
                    }
                }
            }
        }
        Some(6) => {
            let (first, n) = (u16_at(sub, 6).unwrap_or(0), u16_at(sub, 8).unwrap_or(0));
            for i in 0..n {
                if let Some(gid) = u16_at(sub, 10 + 2 * usize::from(i))
                    && !add(u32::from(first) + u32::from(i), u32::from(gid))
                {
                    break;
                }
            }
        }
        Some(12) => {
            let groups = u32_at(sub, 12).unwrap_or(0) as usize;
            for g in 0..groups.min(MAX_GLYPHS) {
                let at = 16 + 12 * g;
                let (Some(start), Some(end), Some(gid)) = (u32_at(sub, at), u32_at(sub, at + 4), u32_at(sub, at + 8))
                else {
                    break;
                };
                if end < start || end - start > MAX_GLYPHS as u32 {
                    continue;
                }
                for code in start..=end {
                    if !add(code, gid.saturating_add(code - start)) {
                        return out;
                    }
                }
            }
        }
        _ => {}
    }
    out
}

/// A table of the font by its tag.
fn table<'a>(font: &'a [u8], tag: &[u8; 4]) -> Option<&'a [u8]> {
    let count = usize::from(u16_at(font, 4)?);
    for i in 0..count {
        let rec = 12 + 16 * i;
        if font.get(rec..rec + 4)? == tag {
            let offset = u32_at(font, rec + 8)? as usize;
            let len = u32_at(font, rec + 12)? as usize;
            return font.get(offset..offset.checked_add(len)?);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A font of one `cmap` table holding one format 4 subtable: 'A'..='C' → glyphs 5..=7,
    /// 'fi'-less, and the closing 0xFFFF segment.
    fn font_with_format4() -> Vec<u8> {
        let mut sub = Vec::new();
        let segs: u16 = 2;
        for v in [4u16, 0, 0, segs * 2, 0, 0, 0] {
            sub.extend_from_slice(&v.to_be_bytes());
        }
        sub.extend_from_slice(&[0x00, 0x43, 0xff, 0xff]); // end codes
        sub.extend_from_slice(&[0, 0]); // reserved pad
        sub.extend_from_slice(&[0x00, 0x41, 0xff, 0xff]); // start codes
        sub.extend_from_slice(&(5u16.wrapping_sub(0x41)).to_be_bytes()); // delta: 'A' → 5
        sub.extend_from_slice(&1u16.to_be_bytes());
        sub.extend_from_slice(&[0, 0, 0, 0]); // range offsets
        let len = sub.len() as u16;
        sub[2..4].copy_from_slice(&len.to_be_bytes());
        font_with_cmap_subtable(1, &sub)
    }

    /// A font file with one table, `cmap`, holding one Windows subtable (platform 3) of the
    /// given encoding.
    fn font_with_cmap_subtable(encoding: u16, sub: &[u8]) -> Vec<u8> {
        let mut cmap = Vec::new();
        for v in [0u16, 1, 3, encoding] {
            cmap.extend_from_slice(&v.to_be_bytes());
        }
        cmap.extend_from_slice(&12u32.to_be_bytes());
        cmap.extend_from_slice(sub);
        let mut font = vec![0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0];
        font.extend_from_slice(b"cmap");
        font.extend_from_slice(&0u32.to_be_bytes());
        font.extend_from_slice(&28u32.to_be_bytes());
        font.extend_from_slice(&(cmap.len() as u32).to_be_bytes());
        font.extend_from_slice(&cmap);
        font
    }

    #[test]
    fn inverts_a_format_4_cmap() {
        let map = glyph_chars(&font_with_format4());
        assert_eq!(map.get(&5), Some(&'A'));
        assert_eq!(map.get(&7), Some(&'C'));
        assert_eq!(map.len(), 3);
    }

    #[test]
    fn a_hostile_cmap_costs_a_bounded_number_of_steps() {
        // One format 12 subtable of 65,536 groups, each spanning 65,536 codes.
        let groups: u32 = 65_536;
        let mut sub = Vec::new();
        sub.extend_from_slice(&12u16.to_be_bytes());
        sub.extend_from_slice(&0u16.to_be_bytes());
        sub.extend_from_slice(&0u32.to_be_bytes());
        sub.extend_from_slice(&0u32.to_be_bytes());
        sub.extend_from_slice(&groups.to_be_bytes());
        for _ in 0..groups {
            for v in [0u32, 65_535, 1] {
                sub.extend_from_slice(&v.to_be_bytes());
            }
        }
        let font = font_with_cmap_subtable(10, &sub);
        let started = std::time::Instant::now();
        let map = glyph_chars(&font);
        assert!(!map.is_empty());
        assert!(started.elapsed() < std::time::Duration::from_secs(2));
    }

    #[test]
    fn broken_fonts_give_nothing() {
        let font = font_with_format4();
        for cut in [0, 5, 13, 30, 45, font.len() - 3] {
            let _ = glyph_chars(&font[..cut]);
        }
        assert!(glyph_chars(b"not a font at all").is_empty());
        let mut bad = font.clone();
        bad[28 + 6] = 0xff; // the subtable offset points far past the end
        assert!(glyph_chars(&bad).is_empty());
    }
}
