//! Billify's ports: the traits that adapters implement (repositories, clock, secrets, document
//! extraction, banking, jobs) and the data types they exchange. The use cases that orchestrate
//! them live in `billify-app`.
//!
//! **Must never depend on:** diesel, actix-web, ureq, lopdf, r2d2, `billify-app` or any adapter
//! crate. Ports
//! speak in domain types; adapters translate to and from their technology. `cargo xtask tidy`
//! enforces this.
//!
//! Ports are synchronous: use cases call them on the delivery layer's blocking thread pool, and
//! adapters own their transactions (one port call is one atomic unit of work).

pub mod access_tokens;
pub mod accounting;
pub mod accounts;
pub mod audit;
pub mod bank;
pub mod banking;
pub mod cashflow;
pub mod clock;
pub mod documents;
pub mod error;
pub mod events;
pub mod forecast;
pub mod health;
pub mod input;
pub mod intake;
pub mod integrations;
pub mod invoices;
pub mod jobs;
pub mod notifications;
pub mod organisation_data;
pub mod random;
pub mod reconciliation;
pub mod secrets;
pub mod security;
pub mod two_factor;

pub use access_tokens::{AccessToken, AccessTokenRepository, TokenScope};
pub use accounting::{AccountingProvider, AccountingRepository};
pub use accounts::{
    AccountRepository, MAX_USER_AGENT_CHARS, Member, MemberChange, Session, SessionAccess, SessionRepository,
    UserOverview,
};
pub use audit::{AuditAction, AuditEntry, AuditLog, AuditQuery, AuditTarget, AuditTrail, NewAuditEntry};
pub use cashflow::CashflowRepository;
pub use clock::{Clock, SystemClock, UnknownTimeZone, check_time_zone, local_date};
pub use error::RepositoryError;
pub use events::{EventKind, EventListener, EventLog, EventWakeups, NewEvent, StoredEvent};
pub use forecast::ForecastRepository;
pub use health::StorageHealth;
pub use input::{InputChanges, InvoiceInput};
pub use invoices::{
    Cursor, CursorKey, InvoicePage, InvoiceQuery, InvoiceRepository, InvoiceSort, SortField, StoredInvoiceEvent,
};
pub use notifications::{
    Delivery, DeliveryAttempt, DeliveryError, DeliveryStatus, EmailMessage, EmailSender, InboxItem, NewDelivery,
    NewNotification, Notification, NotificationRepository, Preference, WebhookEndpoint, WebhookRequest, WebhookSender,
};
pub use random::Randomness;
pub use reconciliation::{
    ReconciliationOutcome, ReconciliationRepository, StoredMatch, StoredSuggestion, SuggestionDecision,
    SuggestionStatus, TransactionBalance,
};
pub use secrets::{SealedSecretRef, SealedSecretStore, SecretCipher, SecretError, SecretText};
pub use security::{PasswordHasher, SecretTokens, SecurityError};
pub use two_factor::{LoginChallenge, OneTimePasswords, TotpEnrolment, TwoFactorRepository};
