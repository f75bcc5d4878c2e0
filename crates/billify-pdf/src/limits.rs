//! Resource limits for reading untrusted PDFs, and the running budget that enforces them.

use std::time::{Duration, Instant};

use billify_ports::intake::ExtractionError;

/// Limits on what one document may cost to read.
///
/// Every limit is checked while reading; exceeding one ends the read with
/// [`ExtractionError::TooLarge`] (sizes, pages, depth) or [`ExtractionError::Timeout`] (time).
/// The defaults are generous for invoices (a 40 KiB one-page invoice uses well under 1 % of each)
/// and small enough that a hostile file cannot exhaust a server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Largest accepted input, in bytes.
    pub max_input_bytes: usize,
    /// Most pages a document may have.
    pub max_pages: usize,
    /// Largest decompressed size of any one stream, in bytes.
    pub max_stream_bytes: usize,
    /// Largest decompressed size of all streams together, in bytes.
    pub max_total_decompressed_bytes: usize,
    /// Deepest nesting of the page tree and of form XObjects.
    pub max_depth: usize,
    /// Most content-stream operators interpreted over the whole document.
    pub max_operations: usize,
    /// Most glyphs kept over the whole document.
    pub max_glyphs: usize,
    /// Wall-clock budget for one document.
    pub time_budget: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_input_bytes: 32 * 1024 * 1024,
            max_pages: 500,
            max_stream_bytes: 32 * 1024 * 1024,
            max_total_decompressed_bytes: 128 * 1024 * 1024,
            max_depth: 16,
            max_operations: 5_000_000,
            max_glyphs: 2_000_000,
            time_budget: Duration::from_secs(10),
        }
    }
}

/// The running account of one read against its [`Limits`].
#[derive(Debug)]
pub(crate) struct Budget<'a> {
    pub(crate) limits: &'a Limits,
    deadline: Instant,
    decompressed: usize,
    operations: usize,
    glyphs: usize,
}

impl<'a> Budget<'a> {
    pub(crate) fn new(limits: &'a Limits) -> Self {
        let now = Instant::now();
        let deadline = now.checked_add(limits.time_budget).unwrap_or(now);
        Budget { limits, deadline, decompressed: 0, operations: 0, glyphs: 0 }
    }

    /// Fails with [`ExtractionError::Timeout`] once the deadline has passed.
    pub(crate) fn check_time(&self) -> Result<(), ExtractionError> {
        if Instant::now() > self.deadline { Err(ExtractionError::Timeout) } else { Ok(()) }
    }

    /// Accounts for `bytes` more decompressed bytes.
    pub(crate) fn add_decompressed(&mut self, bytes: usize) -> Result<(), ExtractionError> {
        self.decompressed = self.decompressed.saturating_add(bytes);
        if self.decompressed > self.limits.max_total_decompressed_bytes {
            return Err(ExtractionError::TooLarge(format!(
                "the streams decompress to more than {} bytes in total",
                self.limits.max_total_decompressed_bytes
            )));
        }
        Ok(())
    }

    /// How many more bytes may still be decompressed, for one stream.
    pub(crate) fn stream_allowance(&self) -> usize {
        self.limits.max_stream_bytes.min(self.limits.max_total_decompressed_bytes.saturating_sub(self.decompressed))
    }

    /// Accounts for one more content operator; checks the clock every 4096 operators.
    pub(crate) fn add_operation(&mut self) -> Result<(), ExtractionError> {
        self.operations += 1;
        if self.operations > self.limits.max_operations {
            return Err(ExtractionError::TooLarge(format!(
                "the content streams hold more than {} operators",
                self.limits.max_operations
            )));
        }
        if self.operations % 4096 == 0 {
            self.check_time()?;
        }
        Ok(())
    }

    /// Accounts for one more glyph.
    pub(crate) fn add_glyph(&mut self) -> Result<(), ExtractionError> {
        self.glyphs += 1;
        if self.glyphs > self.limits.max_glyphs {
            return Err(ExtractionError::TooLarge(format!(
                "the document has more than {} glyphs",
                self.limits.max_glyphs
            )));
        }
        Ok(())
    }
}
