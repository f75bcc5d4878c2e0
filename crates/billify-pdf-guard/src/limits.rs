//! The limits on reading one document, and the running budget that enforces them.

use std::time::{Duration, Instant};

use billify_ports::intake::ExtractionError;

/// Limits on what one document may cost to read.
///
/// Every limit is enforced while reading, by counting what was actually done (bytes inflated,
/// objects parsed, operators interpreted, glyphs kept), never estimated beforehand from the
/// file. Passing one ends the read with [`ExtractionError::TooLarge`] (or
/// [`ExtractionError::Timeout`] for time), which the web layer answers with 422
/// `document-too-complex`.
///
/// The defaults keep one read under about 2 s and 256 MiB (see `docs/architecture.md` for how
/// the memory bound follows from them and `docs/benchmarks.md` for measurements), while a
/// typical invoice uses well under 1 % of each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Largest accepted input, in bytes.
    pub max_input_bytes: usize,
    /// Most pages a document may have.
    pub max_pages: usize,
    /// Largest output of one filter layer of one stream, in bytes.
    pub max_stream_bytes: usize,
    /// Most bytes decoded over the whole read: every filter layer of every stream (object
    /// streams, cross-reference streams, nested layers, content streams, embedded files)
    /// counts, each time it is decoded.
    pub max_total_decompressed_bytes: usize,
    /// Most PDF objects (numbers, names, strings, arrays, dictionaries, keywords) parsed from
    /// the file body and from object streams together.
    pub max_objects: usize,
    /// Deepest nesting of the page tree and of form XObjects.
    pub max_depth: usize,
    /// Most content-stream operators interpreted over the whole document.
    pub max_operations: usize,
    /// Most glyphs kept over the whole document.
    pub max_glyphs: usize,
    /// Wall-clock budget for one read. A read runs on one thread, so this also bounds the CPU
    /// time it takes.
    pub time_budget: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_input_bytes: 16 * 1024 * 1024,
            max_pages: 500,
            max_stream_bytes: 16 * 1024 * 1024,
            max_total_decompressed_bytes: 64 * 1024 * 1024,
            max_objects: 500_000,
            max_depth: 16,
            max_operations: 2_000_000,
            max_glyphs: 500_000,
            time_budget: Duration::from_secs(2),
        }
    }
}

/// The memory one read is sized to stay within under the default [`Limits`].
pub const DEFAULT_MEMORY_BYTES: usize = 256 * 1024 * 1024;

impl Limits {
    /// Limits for reads of at most `time` and about `memory_bytes`: the defaults, with the
    /// limits that hold memory (bytes per layer and in total, objects, glyphs) scaled by
    /// `memory_bytes` / [`DEFAULT_MEMORY_BYTES`].
    pub fn within(time: Duration, memory_bytes: usize) -> Limits {
        let d = Limits::default();
        let scale = |v: usize| {
            let scaled = (v as u128).saturating_mul(memory_bytes as u128) / DEFAULT_MEMORY_BYTES as u128;
            usize::try_from(scaled).unwrap_or(usize::MAX).max(1)
        };
        Limits {
            max_stream_bytes: scale(d.max_stream_bytes),
            max_total_decompressed_bytes: scale(d.max_total_decompressed_bytes),
            max_objects: scale(d.max_objects),
            max_glyphs: scale(d.max_glyphs),
            time_budget: time,
            ..d
        }
    }
}

/// What a read has used so far; tests check that work stopped at the limits.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Usage {
    /// Bytes produced by decoding, over every filter layer of every stream.
    pub decompressed_bytes: usize,
    /// PDF objects counted (file body and object streams).
    pub objects: usize,
    /// Content operators interpreted.
    pub operations: usize,
    /// Glyphs kept.
    pub glyphs: usize,
}

/// The running account of one read against its [`Limits`].
///
/// Create one per document read and pass it to every step ([`crate::load`],
/// [`crate::decode_stream`], the content interpreter), so that all of them draw on the same
/// allowance.
#[derive(Debug, Clone)]
pub struct Budget {
    limits: Limits,
    deadline: Instant,
    used: Usage,
}

impl Budget {
    /// A fresh budget; the clock starts now.
    pub fn new(limits: &Limits) -> Self {
        let now = Instant::now();
        let deadline = now.checked_add(limits.time_budget).unwrap_or(now);
        Budget { limits: limits.clone(), deadline, used: Usage::default() }
    }

    /// The limits in force.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// What has been used so far.
    pub fn usage(&self) -> Usage {
        self.used
    }

    /// Fails with [`ExtractionError::Timeout`] once the deadline has passed.
    pub fn check_time(&self) -> Result<(), ExtractionError> {
        if Instant::now() > self.deadline { Err(ExtractionError::Timeout) } else { Ok(()) }
    }

    /// Accounts for `bytes` more decoded bytes; past the limit they are refused, not counted.
    pub fn add_decompressed(&mut self, bytes: usize) -> Result<(), ExtractionError> {
        let total = self.used.decompressed_bytes.saturating_add(bytes);
        if total > self.limits.max_total_decompressed_bytes {
            return Err(ExtractionError::TooLarge(format!(
                "the streams decompress to more than {} bytes in total",
                self.limits.max_total_decompressed_bytes
            )));
        }
        self.used.decompressed_bytes = total;
        Ok(())
    }

    /// How many bytes one filter layer may still produce: the per-stream limit, or what is left
    /// of the total when that is less.
    pub fn stream_allowance(&self) -> usize {
        self.limits
            .max_stream_bytes
            .min(self.limits.max_total_decompressed_bytes.saturating_sub(self.used.decompressed_bytes))
    }

    /// Accounts for `n` more PDF objects, before they are parsed; past the limit they are
    /// refused, not counted.
    pub fn add_objects(&mut self, n: usize) -> Result<(), ExtractionError> {
        let total = self.used.objects.saturating_add(n);
        if total > self.limits.max_objects {
            return Err(ExtractionError::TooLarge(format!(
                "the document holds more than {} objects",
                self.limits.max_objects
            )));
        }
        self.used.objects = total;
        Ok(())
    }

    /// Accounts for one more content operator; checks the clock every 4096 operators.
    pub fn add_operation(&mut self) -> Result<(), ExtractionError> {
        if self.used.operations >= self.limits.max_operations {
            return Err(ExtractionError::TooLarge(format!(
                "the content streams hold more than {} operators",
                self.limits.max_operations
            )));
        }
        self.used.operations += 1;
        if self.used.operations.is_multiple_of(4096) {
            self.check_time()?;
        }
        Ok(())
    }

    /// Accounts for one more glyph; call it *before* storing the glyph, so that nothing past
    /// the limit is ever kept. Checks the clock every 4096 glyphs.
    pub fn add_glyph(&mut self) -> Result<(), ExtractionError> {
        if self.used.glyphs >= self.limits.max_glyphs {
            return Err(ExtractionError::TooLarge(format!(
                "the document has more than {} glyphs",
                self.limits.max_glyphs
            )));
        }
        self.used.glyphs += 1;
        if self.used.glyphs.is_multiple_of(4096) {
            self.check_time()?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_stop_at_the_limits() {
        let limits = Limits { max_glyphs: 2, max_operations: 1, max_objects: 3, ..Limits::default() };
        let mut b = Budget::new(&limits);
        assert!(b.add_glyph().is_ok() && b.add_glyph().is_ok());
        assert!(matches!(b.add_glyph(), Err(ExtractionError::TooLarge(_))));
        assert_eq!(b.usage().glyphs, 2, "a refused glyph is not counted as kept");
        assert!(b.add_operation().is_ok());
        assert!(b.add_operation().is_err());
        assert!(b.add_objects(3).is_ok());
        assert!(b.add_objects(1).is_err());
    }

    #[test]
    fn limits_scale_with_the_memory_budget() {
        let d = Limits::default();
        assert_eq!(Limits::within(d.time_budget, DEFAULT_MEMORY_BYTES), d);
        let half = Limits::within(Duration::from_secs(1), DEFAULT_MEMORY_BYTES / 2);
        assert_eq!(half.max_glyphs, d.max_glyphs / 2);
        assert_eq!(half.max_total_decompressed_bytes, d.max_total_decompressed_bytes / 2);
        assert_eq!(half.max_operations, d.max_operations);
        assert_eq!(half.time_budget, Duration::from_secs(1));
    }

    #[test]
    fn the_allowance_shrinks_with_use() {
        let limits = Limits { max_stream_bytes: 100, max_total_decompressed_bytes: 150, ..Limits::default() };
        let mut b = Budget::new(&limits);
        assert_eq!(b.stream_allowance(), 100);
        b.add_decompressed(100).unwrap();
        assert_eq!(b.stream_allowance(), 50);
        assert!(b.add_decompressed(51).is_err());
        assert_eq!(b.usage().decompressed_bytes, 100, "refused bytes are not counted");
        b.add_decompressed(50).unwrap();
        assert_eq!(b.stream_allowance(), 0);
    }
}
