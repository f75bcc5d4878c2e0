//! Billify's bank statement file readers: Belgian CODA (fixed-width 128-character records) and
//! ISO 20022 CAMT.053 (`BkToCstmrStmt`, any version), read into the domain's `BankAccount` and
//! `BankTransaction`.
//!
//! **Must never depend on:** another adapter crate, storage, a web framework or an HTTP client;
//! among Billify's crates only `billify-domain` and `billify-ports` (it implements the
//! `StatementReader` port). Reading a file is pure: bytes in, statements or a typed error out.
//!
//! Transaction ids are derived from the file's content (account, statement, sequence or the
//! bank's reference), so importing the same file twice yields the same ids. A malformed file is
//! refused whole, with the CODA line number or the CAMT element path of the first problem.

mod camt;
mod coda;

use billify_domain::{BankAccount, BankTransaction, Money};
use sha2::{Digest as _, Sha256};

pub use camt::parse_camt053;
pub use coda::parse_coda;

/// One statement of one account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// The account, with the statement's closing balance as its current balance.
    pub account: BankAccount,
    /// The statement's own identification (CAMT `Stmt/Id`; CODA year and sequence number).
    pub statement_id: String,
    /// The balance before the statement's transactions, when given.
    pub opening_balance: Option<Money>,
    /// The booked transactions, in file order.
    pub transactions: Vec<BankTransaction>,
}

/// Why a statement file was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BankFileError {
    /// A CODA file is malformed; `line` counts from 1.
    #[error("CODA line {line}: {message}")]
    Coda {
        /// The line of the problem.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// A CAMT.053 document is malformed; `path` names the element, e.g.
    /// `Document/BkToCstmrStmt/Stmt[1]/Ntry[2]/Amt`.
    #[error("CAMT.053 {path}: {message}")]
    Camt {
        /// The element of the problem.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// The file is neither CODA nor CAMT.053.
    #[error("not a CODA or CAMT.053 statement file")]
    UnknownFormat,
}

/// Reads a statement file of either format, recognised by its content.
pub fn parse_statement_file(bytes: &[u8]) -> Result<Vec<Statement>, BankFileError> {
    let start = bytes.iter().position(|b| !b.is_ascii_whitespace() && *b != 0xEF && *b != 0xBB && *b != 0xBF);
    match start.and_then(|i| bytes.get(i)) {
        Some(b'<') => parse_camt053(bytes),
        Some(b'0') => parse_coda(bytes),
        _ => Err(BankFileError::UnknownFormat),
    }
}

/// The `StatementReader` port, for the statement upload endpoint.
#[derive(Debug, Clone, Copy, Default)]
pub struct StatementFiles;

impl billify_ports::bank::StatementReader for StatementFiles {
    fn read(&self, bytes: &[u8]) -> Result<Vec<billify_ports::bank::ParsedStatement>, String> {
        parse_statement_file(bytes)
            .map(|statements| {
                statements
                    .into_iter()
                    .map(|s| billify_ports::bank::ParsedStatement { account: s.account, transactions: s.transactions })
                    .collect()
            })
            .map_err(|e| e.to_string())
    }
}

/// A short, stable digest of some text, for ids built from content.
pub(crate) fn short_digest(parts: &[&str]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part.as_bytes());
        hasher.update([0x1f]);
    }
    hex::encode(&hasher.finalize()[..12])
}

/// Makes text safe inside a provider id (no whitespace, bounded length).
pub(crate) fn id_part(text: &str) -> String {
    text.trim().chars().map(|c| if c.is_whitespace() || c.is_control() { '_' } else { c }).take(60).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_content_is_refused() {
        assert_eq!(parse_statement_file(b"hello"), Err(BankFileError::UnknownFormat));
        assert_eq!(parse_statement_file(b""), Err(BankFileError::UnknownFormat));
        assert_eq!(id_part(" a b\tc "), "a_b_c");
        assert_eq!(short_digest(&["a"]).len(), 24);
    }
}
