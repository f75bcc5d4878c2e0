//! Billify's Yuki adapter: implements the `AccountingProvider` port over Yuki's SOAP 1.1 web
//! services (ASMX, namespace `http://www.theyukicompany.com/`), using only the operations
//! documented in apis.md part 2: `Authenticate(accessKey)`, `Administrations(sessionID)`,
//! `OutstandingDebtorItems` and `OutstandingCreditorItems` (`sessionID, administrationID,
//! includeBankTransactions, sortOrder`), all on `Accounting.asmx`.
//!
//! **Must never depend on:** another adapter crate (storage, web, document intake) or a
//! framework; only `billify-domain` and `billify-ports` among Billify's crates.
//!
//! Envelopes are written with quick-xml's writer (values escaped by it) and answers are read as a
//! stream of events, so memory stays flat whatever the number of items. Amounts are exact
//! decimals from the element's text. The session is kept per access key for its lifetime and
//! renewed once on a "session" fault; faults are mapped to typed errors by their faultstring.
//! The access key is never logged.

mod client;
mod items;
mod soap;

pub use client::{YukiClient, YukiConfig};
