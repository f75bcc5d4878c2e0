//! A tolerant content-stream tokeniser: it streams, never panics and leaves the counting of
//! operators to the interpreter ([`crate::content`]).

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Tok {
    Num(f32),
    Name(Vec<u8>),
    Str(Vec<u8>),
    ArrOpen,
    ArrClose,
    DictOpen,
    DictClose,
    Op(Vec<u8>),
}

/// A streaming tokeniser over content-stream bytes.
pub(crate) struct Lexer<'a> {
    data: &'a [u8],
    pos: usize,
}

fn is_white(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n' | b'\x0c' | b'\0')
}

fn is_delim(b: u8) -> bool {
    matches!(b, b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%')
}

impl<'a> Lexer<'a> {
    pub(crate) fn new(data: &'a [u8]) -> Self {
        Lexer { data, pos: 0 }
    }

    pub(crate) fn next(&mut self) -> Option<Tok> {
        loop {
            if let Some(t) = self.next_inner() {
                return t;
            }
        }
    }

    /// One step: `None` to skip a stray byte, `Some(None)` at the end, `Some(tok)` otherwise.
    fn next_inner(&mut self) -> Option<Option<Tok>> {
        let d = self.data;
        loop {
            while self.pos < d.len() && is_white(d[self.pos]) {
                self.pos += 1;
            }
            if self.pos >= d.len() {
                return Some(None);
            }
            if d[self.pos] == b'%' {
                while self.pos < d.len() && d[self.pos] != b'\n' && d[self.pos] != b'\r' {
                    self.pos += 1;
                }
                continue;
            }
            break;
        }
        let b = d[self.pos];
        match b {
            b'(' => Some(Some(Tok::Str(self.literal()))),
            b'<' if d.get(self.pos + 1) == Some(&b'<') => {
                self.pos += 2;
                Some(Some(Tok::DictOpen))
            }
            b'>' if d.get(self.pos + 1) == Some(&b'>') => {
                self.pos += 2;
                Some(Some(Tok::DictClose))
            }
            b'<' => Some(Some(Tok::Str(self.hex()))),
            b'[' => {
                self.pos += 1;
                Some(Some(Tok::ArrOpen))
            }
            b']' => {
                self.pos += 1;
                Some(Some(Tok::ArrClose))
            }
            b'/' => {
                self.pos += 1;
                let start = self.pos;
                while self.pos < d.len() && !is_white(d[self.pos]) && !is_delim(d[self.pos]) {
                    self.pos += 1;
                }
                Some(Some(Tok::Name(unescape_name(&d[start..self.pos]))))
            }
            b')' | b'>' | b'{' | b'}' => {
                self.pos += 1;
                None
            }
            _ => {
                let start = self.pos;
                while self.pos < d.len() && !is_white(d[self.pos]) && !is_delim(d[self.pos]) {
                    self.pos += 1;
                }
                let word = &d[start..self.pos];
                if word.is_empty() {
                    self.pos += 1;
                    return None;
                }
                if word[0].is_ascii_digit() || matches!(word[0], b'-' | b'+' | b'.') {
                    Some(Some(Tok::Num(parse_number(word))))
                } else {
                    Some(Some(Tok::Op(word.to_vec())))
                }
            }
        }
    }

    fn literal(&mut self) -> Vec<u8> {
        let d = self.data;
        let mut out = Vec::new();
        let mut depth = 0usize;
        while self.pos < d.len() {
            let b = d[self.pos];
            self.pos += 1;
            match b {
                b'(' => {
                    if depth > 0 {
                        out.push(b);
                    }
                    depth += 1;
                }
                b')' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return out;
                    }
                    out.push(b);
                }
                b'\\' => {
                    let Some(&e) = d.get(self.pos) else { break };
                    self.pos += 1;
                    match e {
                        b'n' => out.push(b'\n'),
                        b'r' => out.push(b'\r'),
                        b't' => out.push(b'\t'),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'\r' => {
                            if d.get(self.pos) == Some(&b'\n') {
                                self.pos += 1;
                            }
                        }
                        b'\n' => {}
                        b'0'..=b'7' => {
                            let mut v = u32::from(e - b'0');
                            for _ in 0..2 {
                                match d.get(self.pos) {
                                    Some(c @ b'0'..=b'7') => {
                                        v = v * 8 + u32::from(c - b'0');
                                        self.pos += 1;
                                    }
                                    _ => break,
                                }
                            }
                            out.push((v & 0xff) as u8);
                        }
                        other => out.push(other),
                    }
                }
                _ => out.push(b),
            }
        }
        out
    }

    fn hex(&mut self) -> Vec<u8> {
        let d = self.data;
        self.pos += 1;
        let mut out = Vec::new();
        let mut high: Option<u8> = None;
        while self.pos < d.len() {
            let b = d[self.pos];
            self.pos += 1;
            let v = match b {
                b'>' => break,
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

    /// Skips inline image data after `ID`, up to and including `EI`.
    pub(crate) fn skip_inline_image(&mut self) {
        let d = self.data;
        let mut i = self.pos + 1;
        while i + 2 <= d.len() {
            if d[i] == b'E'
                && d.get(i + 1) == Some(&b'I')
                && i > 0
                && is_white(d[i - 1])
                && d.get(i + 2).is_none_or(|c| is_white(*c))
            {
                self.pos = i + 2;
                return;
            }
            i += 1;
        }
        self.pos = d.len();
    }
}

fn unescape_name(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        if raw[i] == b'#'
            && i + 2 < raw.len() + 1
            && let Some(h) = raw.get(i + 1..i + 3)
            && let Ok(v) = u8::from_str_radix(std::str::from_utf8(h).unwrap_or("x"), 16)
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(raw[i]);
        i += 1;
    }
    out
}

fn parse_number(word: &[u8]) -> f32 {
    let s = std::str::from_utf8(word).unwrap_or("0");
    if let Ok(v) = s.parse::<f32>() {
        return if v.is_finite() { v } else { 0.0 };
    }
    // Tolerate "--5", "5-", "1.2.3" as producers sometimes write them.
    let cleaned: String = s.chars().filter(|c| c.is_ascii_digit() || *c == '.').collect();
    let mut parts = cleaned.splitn(2, '.');
    let int = parts.next().unwrap_or("");
    let frac: String = parts.next().unwrap_or("").chars().filter(char::is_ascii_digit).collect();
    let v = format!("{}.{}", if int.is_empty() { "0" } else { int }, if frac.is_empty() { "0" } else { &frac })
        .parse::<f32>()
        .unwrap_or(0.0);
    let v = if s.starts_with('-') { -v } else { v };
    if v.is_finite() { v } else { 0.0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexer_handles_strings_names_and_numbers() {
        let mut lx = Lexer::new(b"/F1 12 Tf (a\\(b\\)c\\101) Tj <48 69> Tj [ (x) -250 (y) ] TJ /A#42 .5 -3. %c\n");
        let mut toks = Vec::new();
        while let Some(t) = lx.next() {
            toks.push(t);
        }
        assert_eq!(toks[0], Tok::Name(b"F1".to_vec()));
        assert_eq!(toks[1], Tok::Num(12.0));
        assert_eq!(toks[3], Tok::Str(b"a(b)cA".to_vec()));
        assert_eq!(toks[5], Tok::Str(b"Hi".to_vec()));
        assert!(toks.contains(&Tok::Name(b"AB".to_vec())));
        assert!(toks.contains(&Tok::Num(0.5)));
        assert!(toks.contains(&Tok::Num(-3.0)));
    }

    #[test]
    fn lexer_survives_garbage() {
        for input in [&b"((((((("[..], b"<<<<<<", b">>>>]]]]", b"\\", b"(\\", b"<4", b"/", b"BI ID", b"1e999 --- .."] {
            let mut lx = Lexer::new(input);
            let mut n = 0;
            while lx.next().is_some() {
                n += 1;
                assert!(n < 100);
            }
        }
    }
}
