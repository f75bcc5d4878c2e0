//! Billify's application layer: the use cases. Each public method of a service is one thing a
//! user or a system job does, written against the port traits of `billify-ports` only. Also here:
//! [`Actor`] (who acts, where), the password policy, invoice input validation and the intake JSON
//! shape shared by the upload API and `billify extract`.
//!
//! **Must never depend on:** diesel, actix-web, ureq, lopdf, r2d2 or any adapter crate; and no
//! adapter depends on this crate (adapters implement ports, they never call use cases).
//! `cargo xtask tidy` enforces both.
//!
//! Use cases are synchronous: the delivery layer runs them on a blocking thread pool, one hop per
//! request, and adapters own their transactions (one port call is one atomic unit of work).

pub mod accounts;
pub mod alerts;
pub mod audit;
pub mod bank;
pub mod calendar;
pub mod cashflow;
pub mod events;
pub mod forecast;
pub mod input;
pub mod intake;
pub mod intake_json;
mod intake_sweeps;
pub mod invoices;
pub mod organisation;
pub mod passwords;
mod reading;
pub mod reading_accuracy;
pub mod reconciliation;
pub mod secrets;
pub mod sync;
pub mod two_factor;

use std::net::IpAddr;

use billify_domain::{OrganisationId, Role, UserId};

pub use accounts::{
    Accepted, AccountError, AccountPorts, AccountService, AuthContext, ClientInfo, Invitee, IssuedAccessToken,
    IssuedInvitation, LoginOutcome, NewAccessToken, OrganisationChange, OwnSession, Profile, Registration, TokenGrant,
};
pub use alerts::{
    ALERTS_JOB, AlertConfig, AlertError, AlertJobOutcome, AlertPorts, AlertService, BalanceOutlook, CreatedEndpoint,
    DailyReport, EffectivePreference, OutlookError,
};
pub use bank::{BankPorts, BankService, BankServiceError, ImportSummary};
pub use cashflow::{CashflowError, CashflowPorts, CashflowService, CashflowSettings, CashflowSummary, SummaryRequest};
pub use events::{EventBatch, EventError, EventPublisher, EventService};
pub use forecast::{ForecastError, ForecastPorts, ForecastService};
pub use input::{FieldProblem, InvoiceInput};
pub use intake::{DocumentReader, DocumentType, IntakeError, IntakePorts, IntakeService, ReadError, Upload};
pub use invoices::{InvoicePorts, InvoiceService, InvoiceServiceError};
pub use organisation::{ExportFile, OrganisationError, OrganisationPorts, OrganisationService};
pub use reading_accuracy::{Outcomes, ReadingAccuracy};
pub use reconciliation::{
    ManualPart, MatchView, RECONCILE_JOB, ReconciliationError, ReconciliationPorts, ReconciliationService, RunSummary,
    SuggestionView,
};
pub use secrets::{RotationError, RotationFailure, RotationReport, rotate_secrets};
pub use sync::{
    AccountingConnect, AccountingPorts, AccountingSyncSettings, CallBudget, ConsentStart, JobReport, SyncError,
    SyncPorts, SyncService, SyncSettings,
};
pub use two_factor::{TwoFactorPorts, TwoFactorService};

/// Who is acting, in which organisation, with which role. Built by authentication; every use
/// case that touches tenant data takes one; it also says where the request came from, for the
/// audit trail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor {
    /// The user.
    pub user_id: UserId,
    /// The organisation acted on.
    pub organisation_id: OrganisationId,
    /// The user's role there.
    pub role: Role,
    /// The client's IP address, when the request came over the network.
    pub ip: Option<IpAddr>,
}
