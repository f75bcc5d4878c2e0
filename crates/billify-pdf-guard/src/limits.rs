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
    /// CPU time one read may take, measured on the reading thread's own CPU clock (a read runs
    /// on one thread), so a busy machine does not cut a legitimate read short. Wall-clock time
    /// is bounded too, at [`WALL_CLOCK_FACTOR`] times this, so that a read starved of CPU still
    /// ends.
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

/// How many times its CPU budget a read may take in wall-clock time.
pub const WALL_CLOCK_FACTOR: u32 = 5;

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
    /// The reading thread's CPU clock when the budget was made, and how much of it the read may
    /// use; `None` where the platform has no thread CPU clock (the wall clock then bounds it).
    cpu: Option<(Duration, Duration)>,
    deadline: Instant,
    used: Usage,
}

/// The calling thread's CPU time, where the platform has a per-thread CPU clock.
fn thread_cpu_time() -> Option<Duration> {
    #[cfg(any(target_os = "linux", target_os = "android", target_os = "freebsd", target_os = "macos"))]
    {
        let t = rustix::time::clock_gettime(rustix::time::ClockId::ThreadCPUTime);
        let secs = u64::try_from(t.tv_sec).ok()?;
        let nanos = u32::try_from(t.tv_nsec).ok()?;
        Some(Duration::new(secs, nanos))
    }
    #[cfg(not(any(target_os = "linux", target_os = "android", target_os = "freebsd", target_os = "macos")))]
    {
        None
    }
}

impl Budget {
    /// A fresh budget; the clocks start now.
    pub fn new(limits: &Limits) -> Self {
        Budget::after(limits, Duration::ZERO)
    }

    /// A budget for a read that follows earlier reads of the same document which together took
    /// `spent` (for example the Factur-X reader looking for an attachment before the text
    /// reader reads the page): their time is taken off this read's allowance, so that the
    /// document as a whole stays within one [`Limits::time_budget`].
    pub fn after(limits: &Limits, spent: Duration) -> Self {
        let allowance = limits.time_budget.saturating_sub(spent);
        let cpu = thread_cpu_time().map(|start| (start, allowance));
        // Without a thread CPU clock, the wall clock is the only bound and gets no slack.
        let factor = if cpu.is_some() { WALL_CLOCK_FACTOR } else { 1 };
        let wall = limits.time_budget.saturating_mul(factor).saturating_sub(spent);
        let now = Instant::now();
        let deadline = now.checked_add(wall).unwrap_or(now);
        Budget { limits: limits.clone(), cpu, deadline, used: Usage::default() }
    }

    /// The limits in force.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// What has been used so far.
    pub fn usage(&self) -> Usage {
        self.used
    }

    /// Fails with [`ExtractionError::Timeout`] once the read has used its CPU allowance, or
    /// its wall-clock deadline has passed.
    ///
    /// Call it from the thread that made the budget: the CPU clock is that thread's.
    pub fn check_time(&self) -> Result<(), ExtractionError> {
        let cpu_spent = match (self.cpu, thread_cpu_time()) {
            (Some((start, allowance)), Some(now)) => now.saturating_sub(start) > allowance,
            _ => false,
        };
        if cpu_spent || Instant::now() > self.deadline { Err(ExtractionError::Timeout) } else { Ok(()) }
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
    fn the_time_budget_is_cpu_time_with_a_wall_clock_backstop() {
        let limits = Limits { time_budget: Duration::from_millis(200), ..Limits::default() };
        let b = Budget::new(&limits);
        // Waiting uses no CPU: past the CPU budget in wall-clock time, the read may go on.
        std::thread::sleep(Duration::from_millis(300));
        if thread_cpu_time().is_some() {
            assert!(b.check_time().is_ok(), "a read waiting for the CPU is not cut short");
        }
        // Working does: the read ends, by its CPU budget or at the latest by the wall clock.
        let started = Instant::now();
        let mut spin = 0u64;
        while b.check_time().is_ok() {
            spin = spin.wrapping_add(1);
            assert!(started.elapsed() < Duration::from_secs(30), "the budget never ran out");
        }
        assert!(spin > 0);
    }

    #[test]
    fn earlier_reads_of_the_same_document_come_off_the_budget() {
        let limits = Limits { time_budget: Duration::from_secs(2), ..Limits::default() };
        assert!(Budget::after(&limits, Duration::from_millis(500)).check_time().is_ok());
        let spent = Budget::after(&limits, Duration::from_secs(2));
        std::thread::sleep(Duration::from_millis(5));
        assert_eq!(spent.check_time(), Err(ExtractionError::Timeout), "nothing is left after the whole budget");
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
