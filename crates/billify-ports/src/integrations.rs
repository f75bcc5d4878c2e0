//! Bank integrations: the link between an organisation and a banking provider, its sealed tokens,
//! the consent in progress, its sync status and the history of its sync runs.
//!
//! Tokens are stored only sealed (see [`crate::secrets`]). Every token write is a compare-and-swap
//! on `token_version`, so a worker that lost its lease can never overwrite tokens that a newer
//! refresh stored (Ponto's refresh tokens rotate: the old one dies once used).

use billify_domain::{BankAccount, BankTransaction, OrganisationId, UserId};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::RepositoryError;
use crate::audit::NewAuditEntry;
use crate::bank::{BankSource, UpsertCounts};
use crate::jobs::Job;

/// The associated data that binds an integration's sealed tokens to their row.
pub fn tokens_context(organisation: OrganisationId, id: Uuid) -> String {
    format!("integration-tokens:{organisation}:{id}")
}

/// The associated data that binds a consent's sealed PKCE verifier to its organisation and the
/// digest of its `state`.
pub fn verifier_context(organisation: OrganisationId, state_digest: &str) -> String {
    format!("integration-verifier:{organisation}:{state_digest}")
}

/// The data centre of a customer's accounting domain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AccountingRegion {
    /// The Netherlands (`api.yukiworks.nl`).
    Nl,
    /// Belgium (`api.yukiworks.be`).
    Be,
}

impl AccountingRegion {
    /// The stable code: `nl` or `be`.
    pub fn code(&self) -> &'static str {
        match self {
            AccountingRegion::Nl => "nl",
            AccountingRegion::Be => "be",
        }
    }

    /// Parses a code.
    pub fn parse(code: &str) -> Option<AccountingRegion> {
        match code {
            "nl" => Some(AccountingRegion::Nl),
            "be" => Some(AccountingRegion::Be),
            _ => None,
        }
    }
}

/// What an accounting integration is configured with (its secret access key apart).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountingSettings {
    /// The domain's data centre.
    pub region: AccountingRegion,
    /// The administration to read; `None` until chosen (the only active one is taken when the
    /// key sees exactly one).
    pub administration_id: Option<String>,
}

/// A banking provider Billify integrates with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Provider {
    /// Ponto Connect (Ibanity).
    Ponto,
    /// Yuki, the accounting package (outstanding debtor and creditor items).
    Yuki,
}

impl Provider {
    /// The stable machine code.
    pub fn code(&self) -> &'static str {
        match self {
            Provider::Ponto => "ponto",
            Provider::Yuki => "yuki",
        }
    }

    /// Parses a code.
    pub fn parse(code: &str) -> Option<Provider> {
        match code {
            "ponto" => Some(Provider::Ponto),
            "yuki" => Some(Provider::Yuki),
            _ => None,
        }
    }

    /// Whether it is an accounting package (as opposed to a bank feed).
    pub fn is_accounting(&self) -> bool {
        matches!(self, Provider::Yuki)
    }
}

/// Where an integration stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IntegrationStatus {
    /// Consent was requested and the user has not come back yet.
    Pending,
    /// Linked and healthy.
    Connected,
    /// A sync is running.
    Syncing,
    /// The provider refused the tokens: the user must give consent again.
    NeedsReconsent,
    /// Syncs fail (provider down, circuit open); they are retried with backoff.
    Failing,
    /// Unlinked by the user; tokens are deleted. Kept for its history.
    Disconnected,
}

impl IntegrationStatus {
    /// Every status.
    pub const ALL: [IntegrationStatus; 6] = [
        IntegrationStatus::Pending,
        IntegrationStatus::Connected,
        IntegrationStatus::Syncing,
        IntegrationStatus::NeedsReconsent,
        IntegrationStatus::Failing,
        IntegrationStatus::Disconnected,
    ];

    /// The stable machine code.
    pub fn code(&self) -> &'static str {
        match self {
            IntegrationStatus::Pending => "pending",
            IntegrationStatus::Connected => "connected",
            IntegrationStatus::Syncing => "syncing",
            IntegrationStatus::NeedsReconsent => "needs_reconsent",
            IntegrationStatus::Failing => "failing",
            IntegrationStatus::Disconnected => "disconnected",
        }
    }

    /// Parses a code.
    pub fn parse(code: &str) -> Option<IntegrationStatus> {
        IntegrationStatus::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Whether scheduled syncs run for it.
    pub fn is_syncable(&self) -> bool {
        matches!(self, IntegrationStatus::Connected | IntegrationStatus::Syncing | IntegrationStatus::Failing)
    }
}

/// A stored integration (without its secrets).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Integration {
    /// The organisation.
    pub organisation_id: OrganisationId,
    /// Its id.
    pub id: Uuid,
    /// The provider.
    pub provider: Provider,
    /// Where it stands.
    pub status: IntegrationStatus,
    /// Whether tokens are stored.
    pub has_tokens: bool,
    /// The version of the stored tokens, for compare-and-swap writes.
    pub token_version: i64,
    /// When the bank consent expires (the earliest of the accounts'), when known.
    pub consent_expires_at: Option<OffsetDateTime>,
    /// Who linked it.
    pub connected_by: Option<UserId>,
    /// When a sync last started.
    pub last_attempt_at: Option<OffsetDateTime>,
    /// When a sync last succeeded.
    pub last_success_at: Option<OffsetDateTime>,
    /// Why the last sync failed, in plain words; `None` after a success.
    pub last_error: Option<String>,
    /// Failed syncs in a row.
    pub consecutive_failures: i32,
    /// When the scheduler should next sync it.
    pub next_sync_at: Option<OffsetDateTime>,
    /// When bank-side synchronisations were last requested (at most one per account per
    /// provider-allowed interval).
    pub bank_sync_requested_at: Option<OffsetDateTime>,
    /// Provider synchronisations requested and not yet seen finished.
    pub pending_synchronizations: Vec<String>,
    /// An accounting integration's settings; `None` for bank feeds.
    pub accounting: Option<AccountingSettings>,
    /// The provider's day the call count belongs to.
    pub calls_day: Option<Date>,
    /// Provider calls made on `calls_day`.
    pub calls_used: u32,
    /// When it was created.
    pub created_at: OffsetDateTime,
    /// When it last changed.
    pub updated_at: OffsetDateTime,
}

/// A consent being given: what the callback needs, read back once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingConsent {
    /// The integration it links.
    pub integration: Integration,
    /// The sealed PKCE verifier.
    pub sealed_verifier: String,
    /// The digest of the session that asked for it: the callback must come from that session.
    pub session_digest: String,
    /// When it was asked for.
    pub requested_at: OffsetDateTime,
}

/// How a sync run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SyncOutcome {
    /// Still running (or its worker died; a later run replaces it).
    Running,
    /// Finished without error.
    Succeeded,
    /// Finished with an error.
    Failed,
}

impl SyncOutcome {
    /// The stable machine code.
    pub fn code(&self) -> &'static str {
        match self {
            SyncOutcome::Running => "running",
            SyncOutcome::Succeeded => "succeeded",
            SyncOutcome::Failed => "failed",
        }
    }

    /// Parses a code.
    pub fn parse(code: &str) -> Option<SyncOutcome> {
        [SyncOutcome::Running, SyncOutcome::Succeeded, SyncOutcome::Failed].into_iter().find(|s| s.code() == code)
    }
}

/// One sync of an integration, for its history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncRun {
    /// The organisation.
    pub organisation_id: OrganisationId,
    /// Its id.
    pub id: Uuid,
    /// The integration.
    pub integration_id: Uuid,
    /// When it started.
    pub started_at: OffsetDateTime,
    /// When it ended.
    pub finished_at: Option<OffsetDateTime>,
    /// How it ended.
    pub outcome: SyncOutcome,
    /// Accounts seen for the first time.
    pub new_accounts: u32,
    /// Accounts whose details changed.
    pub changed_accounts: u32,
    /// Transactions seen for the first time.
    pub new_transactions: u32,
    /// Transactions whose details changed.
    pub changed_transactions: u32,
    /// Invoices an accounting sync created.
    pub new_invoices: u32,
    /// Invoices an accounting sync changed or linked.
    pub changed_invoices: u32,
    /// Invoices an accounting sync closed (no longer outstanding).
    pub closed_invoices: u32,
    /// Items an accounting sync kept with a flag (bad data).
    pub flagged_items: u32,
    /// Why it failed, in plain words.
    pub error: Option<String>,
}

impl SyncRun {
    /// A run of the integration starting at `now`.
    pub fn started(organisation_id: OrganisationId, integration_id: Uuid, now: OffsetDateTime) -> SyncRun {
        SyncRun {
            organisation_id,
            id: Uuid::now_v7(),
            integration_id,
            started_at: now,
            finished_at: None,
            outcome: SyncOutcome::Running,
            new_accounts: 0,
            changed_accounts: 0,
            new_transactions: 0,
            changed_transactions: 0,
            new_invoices: 0,
            changed_invoices: 0,
            closed_invoices: 0,
            flagged_items: 0,
            error: None,
        }
    }
}

/// How far the last completed pass over an account's transactions reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncWatermark {
    /// The provider id of the newest transaction when that pass started.
    pub transaction_id: String,
    /// Its execution date.
    pub execution_date: Date,
}

/// What a sync run writes when it starts, in one transaction: the integration's status
/// (`syncing`), the run (`running`), the provider's accounts, and the end of any earlier run of
/// the integration left `running` by a worker that died.
#[derive(Debug, Clone, Copy)]
pub struct SyncStart<'a> {
    /// The integration with its new status; never revives a disconnected one.
    pub integration: &'a Integration,
    /// The run, as started (a new one).
    pub run: &'a SyncRun,
    /// The error written on earlier runs of the integration still marked running; `None` when
    /// none can be (a job's first attempt: a run is left running only by a worker that died
    /// holding the job, whose lease then expired and was taken over).
    pub interrupted: Option<&'a str>,
    /// Where the accounts come from.
    pub source: BankSource,
    /// Every account the provider shares, upserted by provider id.
    pub accounts: &'a [BankAccount],
    /// The time of the writes.
    pub now: OffsetDateTime,
}

/// One of the accounts a started run stored, in the order given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncedAccount {
    /// Billify's id of the account.
    pub id: Uuid,
    /// Whether it was seen for the first time.
    pub new: bool,
    /// Whether it existed with other details.
    pub changed: bool,
    /// How far the last completed pass over its transactions reached.
    pub watermark: Option<SyncWatermark>,
}

/// Transactions of one account read by a sync run and not yet stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncedTransactions {
    /// Billify's id of the account.
    pub account_id: Uuid,
    /// The transactions, as the provider gave them.
    pub transactions: Vec<BankTransaction>,
}

/// How a run ends, written with its last batch.
#[derive(Debug, Clone, Copy)]
pub struct SyncFinish<'a> {
    /// The run as it ended. Its transaction counts leave out the batch it is written with: the
    /// store adds that batch's counts.
    pub run: &'a SyncRun,
    /// The integration's new status, or `None` to leave it; never revives a disconnected one.
    pub integration: Option<&'a Integration>,
    /// The job that ran the sync: completed if `worker` still holds its lease.
    pub job: &'a Job,
    /// The worker.
    pub worker: &'a str,
    /// As [`SyncStart::interrupted`], for a run that ends without having started (its first
    /// provider call failed): earlier runs still marked running are ended with this error.
    pub interrupted: Option<&'a str>,
}

/// A batch of a sync run's writes, committed in one transaction: transactions (idempotent
/// upserts by provider id), the watermarks of the passes they complete, and, with the last
/// batch, the end of the run.
#[derive(Debug, Clone, Copy)]
pub struct SyncBatch<'a> {
    /// The organisation.
    pub organisation_id: OrganisationId,
    /// Transactions per account.
    pub transactions: &'a [SyncedTransactions],
    /// Watermarks of completed passes, per account id.
    pub watermarks: &'a [(Uuid, SyncWatermark)],
    /// The end of the run, with the last batch.
    pub finish: Option<SyncFinish<'a>>,
    /// The time of the writes.
    pub now: OffsetDateTime,
}

/// What a batch wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SyncBatchWritten {
    /// The batch's transactions, by what they did.
    pub counts: UpsertCounts,
    /// Whether the finish saved the integration's status (`false`: disconnected, gone, or no
    /// status given).
    pub status_saved: bool,
    /// Whether the finish completed the job (`false`: its lease was lost, or no finish).
    pub job_completed: bool,
}

/// Stores integrations, their consent in progress, sealed tokens and sync history.
pub trait IntegrationRepository: Send + Sync {
    /// Records a consent request for the organisation's live integration with `provider`,
    /// creating it (status pending) when there is none, and returns it. Any earlier consent in
    /// progress is replaced.
    #[allow(clippy::too_many_arguments, reason = "one atomic write of the consent's parts")]
    fn begin_consent(
        &self,
        organisation: OrganisationId,
        provider: Provider,
        state_digest: &str,
        sealed_verifier: &str,
        session_digest: &str,
        user: UserId,
        now: OffsetDateTime,
    ) -> Result<Integration, RepositoryError>;

    /// [`IntegrationRepository::begin_consent`] and the audit entry that records it, in one
    /// transaction: `audit` names the integration, so it is built from the integration stored.
    #[allow(clippy::too_many_arguments, reason = "one atomic write of the consent's parts")]
    fn begin_consent_audited(
        &self,
        organisation: OrganisationId,
        provider: Provider,
        state_digest: &str,
        sealed_verifier: &str,
        session_digest: &str,
        user: UserId,
        now: OffsetDateTime,
        audit: &dyn Fn(&Integration) -> NewAuditEntry,
    ) -> Result<Integration, RepositoryError>;

    /// Takes the consent in progress with this state digest out of storage (single use).
    fn take_consent(
        &self,
        organisation: OrganisationId,
        state_digest: &str,
    ) -> Result<Option<PendingConsent>, RepositoryError>;

    /// One integration.
    fn integration(&self, organisation: OrganisationId, id: Uuid) -> Result<Option<Integration>, RepositoryError>;

    /// The organisation's integrations, newest first.
    fn integrations(&self, organisation: OrganisationId) -> Result<Vec<Integration>, RepositoryError>;

    /// The sealed tokens and their version.
    fn sealed_tokens(&self, organisation: OrganisationId, id: Uuid) -> Result<Option<(String, i64)>, RepositoryError>;

    /// Stores sealed tokens if the stored version is still `expected_version`; returns the new
    /// version. `Conflict` when another writer stored tokens first or it is disconnected.
    fn store_tokens(
        &self,
        organisation: OrganisationId,
        id: Uuid,
        expected_version: i64,
        sealed: &str,
        now: OffsetDateTime,
    ) -> Result<i64, RepositoryError>;

    /// Writes the status fields (everything but tokens and consent). Never revives a
    /// disconnected integration: returns `false` when it is disconnected (or gone).
    fn save_status(&self, integration: &Integration) -> Result<bool, RepositoryError>;

    /// [`IntegrationRepository::save_status`] and, when the status was written, `audit`, in one
    /// transaction.
    fn save_status_audited(&self, integration: &Integration, audit: &NewAuditEntry) -> Result<bool, RepositoryError>;

    /// Marks it disconnected and deletes its tokens and consent in progress.
    fn disconnect(&self, organisation: OrganisationId, id: Uuid, now: OffsetDateTime) -> Result<(), RepositoryError>;

    /// [`IntegrationRepository::disconnect`] and `audit`, in one transaction.
    fn disconnect_audited(
        &self,
        organisation: OrganisationId,
        id: Uuid,
        now: OffsetDateTime,
        audit: &NewAuditEntry,
    ) -> Result<(), RepositoryError>;

    /// Syncable integrations whose next sync is due, oldest first.
    fn due_integrations(&self, now: OffsetDateTime, limit: u32)
    -> Result<Vec<(OrganisationId, Uuid)>, RepositoryError>;

    /// Moves a due integration's next sync to `until`, unless it was already moved past `now`
    /// (by a sync that finished meanwhile): the scheduler's mark that a sync is queued, so the
    /// next tick looks at other due integrations instead of the same ones.
    fn postpone_sync(
        &self,
        organisation: OrganisationId,
        id: Uuid,
        now: OffsetDateTime,
        until: OffsetDateTime,
    ) -> Result<(), RepositoryError>;

    /// Inserts or replaces a sync run.
    fn save_sync_run(&self, run: &SyncRun) -> Result<(), RepositoryError>;

    /// The integration's latest runs, newest first.
    fn sync_runs(
        &self,
        organisation: OrganisationId,
        integration: Uuid,
        limit: u32,
    ) -> Result<Vec<SyncRun>, RepositoryError>;

    /// Deletes sync runs that started before `before`; returns how many.
    fn delete_sync_runs_before(&self, before: OffsetDateTime) -> Result<u64, RepositoryError>;

    /// Starts a sync run in one transaction (see [`SyncStart`]); returns the accounts as stored,
    /// in the order given, or `None`, writing nothing, when the integration is disconnected or
    /// gone.
    fn start_sync_run(&self, start: &SyncStart<'_>) -> Result<Option<Vec<SyncedAccount>>, RepositoryError>;

    /// Writes a batch of a sync run in one transaction (see [`SyncBatch`]). `NotFound` when a
    /// watermark names an account the organisation does not have.
    fn write_sync_batch(&self, batch: &SyncBatch<'_>) -> Result<SyncBatchWritten, RepositoryError>;
}
