//! Bank integrations and the background sync engine.
//!
//! **Linking.** [`SyncService::connect`] asks the provider for a consent URL with a fresh random
//! `state` and PKCE verifier; the state is stored only as a digest, the verifier only sealed, and
//! both are bound to the session that asked. [`SyncService::complete_consent`] accepts the
//! callback only from that session, once, within the consent lifetime, and stores the tokens
//! sealed.
//!
//! **Scheduling.** [`SyncService::schedule_due`] enqueues a `bank.sync` job for every integration
//! whose next sync is due. Jobs live in the database and are claimed with leases
//! ([`billify_ports::jobs::JobQueue`]), so any number of processes share the work and no integration is
//! synced twice at once; the queue refuses a second active job for the same integration.
//!
//! **One sync.** [`SyncService::run_next_job`]: read the accounts (stored when the run starts,
//! with the run and its status, in one transaction) and the transactions the provider already
//! holds, newest first, page by page; pages are stored in batches of `write_batch` transactions by
//! idempotent upserts keyed by the provider's ids, the last batch together with the run's end, its
//! status and the job's completion. A pass over an account stops at the watermark the previous
//! *completed* pass left (plus an overlap of days, for late bookings), and the new watermark is
//! written with the batch that completes the pass: a worker killed at any point leaves no
//! duplicates, and the next run replays what was not stored. The lease is renewed half-way
//! through it; a worker that lost it stops at its next page. Bank-side synchronisations are
//! requested at most once per `bank_sync_interval` per integration, and read on later runs, so no
//! worker waits for a bank.
//!
//! **Failures.** Transient provider errors back off exponentially with full jitter (honouring
//! `Retry-After`), per integration, so one broken integration never delays the others. A
//! process-wide circuit breaker per provider stops calling a provider that keeps failing and says
//! so in each integration's status. A refused refresh token marks the integration as needing
//! re-consent. Tokens changed by a refresh are stored (sealed, compare-and-swap) after every
//! provider call, even one that then failed.

use std::net::IpAddr;
use std::ops::ControlFlow;
use std::sync::{Arc, Mutex};

use billify_domain::{BankTransaction, OrganisationId, Permission, ProviderId};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::audit::entry;
use crate::{Actor, AuthContext};
use billify_ports::audit::{AuditAction, AuditTarget, AuditTrail};
use billify_ports::bank::{BankSource, UpsertCounts};
use billify_ports::banking::{BankingError, BankingProvider, CodeVerifier, ProviderTokens, SyncStatus, SyncSubtype};
use billify_ports::integrations::{
    Integration, IntegrationRepository, IntegrationStatus, Provider, SyncBatch, SyncFinish, SyncOutcome, SyncRun,
    SyncStart, SyncWatermark, SyncedTransactions, tokens_context, verifier_context,
};
use billify_ports::jobs::{Job, JobQueue, NewJob};
use billify_ports::secrets::{SecretCipher, SecretError, SecretText};
use billify_ports::{Clock, RepositoryError, SecretTokens};

/// The job kind of an integration sync.
pub const SYNC_JOB: &str = "bank.sync";

/// How the engine behaves; [`Default`] gives production values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SyncSettings {
    /// How often to read what the provider holds.
    pub interval: Duration,
    /// The least time between two bank-side synchronisations of an integration (the provider's
    /// limit; Ponto: about one per account per 30 minutes).
    pub bank_sync_interval: Duration,
    /// Whether to request bank-side synchronisations at all.
    pub request_bank_syncs: bool,
    /// How long a worker holds a claimed job before another may take it over.
    pub lease: Duration,
    /// How long a consent link stays valid.
    pub consent_ttl: Duration,
    /// The first retry delay after a failure; doubled per failure in a row.
    pub backoff_base: Duration,
    /// The longest retry delay.
    pub backoff_max: Duration,
    /// Failures in a row (across integrations) that open a provider's circuit.
    pub breaker_threshold: u32,
    /// How long an open circuit stays open.
    pub breaker_cooldown: Duration,
    /// Refresh tokens that expire within this margin before starting.
    pub refresh_margin: Duration,
    /// How many days past the watermark a pass keeps reading, for late-booked transactions.
    pub overlap_days: i64,
    /// How soon to look again at bank-side synchronisations just requested.
    pub pending_poll: Duration,
    /// How many transactions a run reads before it stores them: a run writes in batches of
    /// this size (and its last batch with its end), so memory stays bounded on a first sync of
    /// years of history and an organisation's sync is a handful of write transactions.
    pub write_batch: usize,
}

impl Default for SyncSettings {
    fn default() -> Self {
        SyncSettings {
            interval: Duration::minutes(1),
            bank_sync_interval: Duration::minutes(30),
            request_bank_syncs: true,
            lease: Duration::minutes(5),
            consent_ttl: Duration::minutes(15),
            backoff_base: Duration::seconds(30),
            backoff_max: Duration::hours(1),
            breaker_threshold: 5,
            breaker_cooldown: Duration::minutes(1),
            refresh_margin: Duration::minutes(5),
            overlap_days: 7,
            pending_poll: Duration::seconds(10),
            write_batch: 1000,
        }
    }
}

/// Why an integration operation failed.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// No banking provider is configured on this server.
    #[error("bank integration is not configured on this server")]
    NotConfigured,
    /// The actor's role does not allow it.
    #[error("your role does not allow managing integrations")]
    Forbidden,
    /// No such integration in the actor's organisation.
    #[error("no such integration")]
    NotFound,
    /// The callback's `state` is unknown, used, expired, or from another session.
    #[error("this consent link is unknown, expired, already used, or was started in another session")]
    ConsentInvalid,
    /// The provider failed.
    #[error("{0}")]
    Provider(#[from] BankingError),
    /// A secret could not be sealed or opened.
    #[error("{0}")]
    Secret(#[from] SecretError),
    /// Storage failed.
    #[error(transparent)]
    Repository(#[from] RepositoryError),
}

/// Where to send the user to link their bank.
#[derive(Debug, Clone)]
pub struct ConsentStart {
    /// The integration being linked.
    pub integration: Integration,
    /// The provider's consent page.
    pub consent_url: String,
}

/// What one claimed job did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobReport {
    /// The organisation.
    pub organisation_id: OrganisationId,
    /// The integration.
    pub integration_id: Uuid,
    /// The run's outcome, or `None` when there was nothing to do.
    pub outcome: Option<SyncOutcome>,
}

/// A circuit breaker for one provider, shared by the workers of one process.
#[derive(Debug, Default)]
struct Breaker {
    failures: u32,
    open_until: Option<OffsetDateTime>,
    probing: bool,
}

impl Breaker {
    /// `Err(until)` while open; after the cool-down one probe passes (half-open).
    fn allow(&mut self, now: OffsetDateTime) -> Result<(), OffsetDateTime> {
        match self.open_until {
            Some(until) if now < until => Err(until),
            Some(until) if self.probing => Err(until),
            Some(_) => {
                self.probing = true;
                Ok(())
            }
            None => Ok(()),
        }
    }

    fn success(&mut self) {
        *self = Breaker::default();
    }

    fn failure(&mut self, now: OffsetDateTime, threshold: u32, cooldown: Duration) {
        self.failures += 1;
        if self.probing || self.failures >= threshold {
            self.open_until = Some(now + cooldown);
            self.probing = false;
        }
    }

    /// A probe ended without a provider verdict (e.g. storage failed): let another probe pass.
    fn release(&mut self) {
        self.probing = false;
    }
}

/// Bank integrations and their sync engine.
pub struct SyncService {
    integrations: Arc<dyn IntegrationRepository>,
    jobs: Arc<dyn JobQueue>,
    provider: Option<Arc<dyn BankingProvider>>,
    cipher: Arc<dyn SecretCipher>,
    tokens: Arc<dyn SecretTokens>,
    clock: Arc<dyn Clock>,
    settings: SyncSettings,
    breaker: Mutex<Breaker>,
    audit: AuditTrail,
}

/// The wiring of a [`SyncService`].
pub struct SyncPorts {
    /// Integrations.
    pub integrations: Arc<dyn IntegrationRepository>,
    /// The job queue.
    pub jobs: Arc<dyn JobQueue>,
    /// Ponto, when configured.
    pub provider: Option<Arc<dyn BankingProvider>>,
    /// Seals tokens.
    pub cipher: Arc<dyn SecretCipher>,
    /// Digests consent states.
    pub tokens: Arc<dyn SecretTokens>,
    /// The clock.
    pub clock: Arc<dyn Clock>,
    /// The audit log connects and disconnects are recorded in.
    pub audit: Arc<dyn billify_ports::AuditLog>,
}

/// A random fraction in `[0.5, 1.0)` for jitter.
fn jitter_fraction() -> f64 {
    // Uuid v4 draws from the OS RNG; 53 bits make a uniform float. Jitter needs no exactness.
    let bits = (Uuid::new_v4().as_u128() >> 75) as u64;
    0.5 + (bits as f64 / (1_u64 << 53) as f64) / 2.0
}

fn scaled(d: Duration, factor: f64) -> Duration {
    Duration::seconds_f64(d.as_seconds_f64() * factor)
}

fn tokens_to_text(tokens: &ProviderTokens) -> SecretText {
    SecretText::new(
        serde_json::json!({
            "access_token": tokens.access_token,
            "refresh_token": tokens.refresh_token,
            "expires_at": tokens.expires_at.unix_timestamp(),
        })
        .to_string(),
    )
}

fn tokens_from_text(text: &SecretText) -> Result<ProviderTokens, SecretError> {
    let value: serde_json::Value = serde_json::from_str(text.expose()).map_err(|_| SecretError::Malformed)?;
    let field = |name: &str| value.get(name).and_then(|v| v.as_str()).map(str::to_owned).ok_or(SecretError::Malformed);
    let expires = value.get("expires_at").and_then(|v| v.as_i64()).ok_or(SecretError::Malformed)?;
    Ok(ProviderTokens {
        access_token: field("access_token")?,
        refresh_token: field("refresh_token")?,
        expires_at: OffsetDateTime::from_unix_timestamp(expires).map_err(|_| SecretError::Malformed)?,
    })
}

/// The tokens of a running sync and the version they were stored under.
struct LiveTokens {
    tokens: ProviderTokens,
    version: i64,
}

/// Why a sync run stopped.
enum RunFailure {
    Provider(BankingError),
    Secret(SecretError),
    Repository(RepositoryError),
    /// Another worker stored newer tokens or took over the job's lease: it owns the
    /// integration now.
    Superseded,
    /// The integration was disconnected (or deleted) before the run could start.
    Gone,
}

impl From<RepositoryError> for RunFailure {
    fn from(e: RepositoryError) -> Self {
        RunFailure::Repository(e)
    }
}

impl From<BankingError> for RunFailure {
    fn from(e: BankingError) -> Self {
        RunFailure::Provider(e)
    }
}

impl From<SecretError> for RunFailure {
    fn from(e: SecretError) -> Self {
        RunFailure::Secret(e)
    }
}

/// What a run counted.
#[derive(Debug, Default, Clone, Copy)]
struct RunCounts {
    new_accounts: u32,
    changed_accounts: u32,
    transactions: UpsertCounts,
}

/// The error for runs a dead worker left running, or `None` on a job's first attempt: a run is
/// left running only by a worker that died holding the job, whose lease then expired and was
/// taken over.
fn interrupted(job: &Job) -> Option<&'static str> {
    (job.attempts > 1).then_some("interrupted: the worker stopped before finishing; the next run replayed it")
}

/// A running sync's claim, what it has read and not yet stored, and what it has counted.
struct RunState<'a> {
    job: &'a Job,
    worker: &'a str,
    run: SyncRun,
    counts: RunCounts,
    transactions: Vec<SyncedTransactions>,
    buffered: usize,
    watermarks: Vec<(Uuid, SyncWatermark)>,
    /// When to extend the lease (half-way through it).
    renew_at: OffsetDateTime,
}

impl SyncService {
    /// Wires the service.
    pub fn new(ports: SyncPorts, settings: SyncSettings) -> Self {
        SyncService {
            integrations: ports.integrations,
            jobs: ports.jobs,
            provider: ports.provider,
            cipher: ports.cipher,
            tokens: ports.tokens,
            clock: ports.clock,
            settings,
            breaker: Mutex::new(Breaker::default()),
            audit: AuditTrail::new(ports.audit),
        }
    }

    /// The settings.
    pub fn settings(&self) -> &SyncSettings {
        &self.settings
    }

    fn provider(&self) -> Result<&Arc<dyn BankingProvider>, SyncError> {
        self.provider.as_ref().ok_or(SyncError::NotConfigured)
    }

    fn require(actor: &Actor, permission: Permission) -> Result<(), SyncError> {
        if actor.role.can(permission) { Ok(()) } else { Err(SyncError::Forbidden) }
    }

    /// Starts linking the organisation's bank through Ponto: returns the consent URL to send the
    /// user to. The `state` is bound to the calling session.
    pub fn connect(&self, ctx: &AuthContext) -> Result<ConsentStart, SyncError> {
        Self::require(&ctx.actor, Permission::ManageIntegrations)?;
        let provider = self.provider()?;
        let request = provider.consent_request()?;
        let organisation = ctx.actor.organisation_id;
        let state_digest = self.tokens.digest(&request.state);
        let sealed_verifier = self
            .cipher
            .seal(&SecretText::new(request.code_verifier.expose()), &verifier_context(organisation, &state_digest))?;
        let integration = self.integrations.begin_consent(
            organisation,
            Provider::Ponto,
            &state_digest,
            &sealed_verifier,
            &ctx.token_digest,
            ctx.actor.user_id,
            self.clock.now(),
        )?;
        log::info!("consent requested for integration {} of {organisation}", integration.id);
        let target = AuditTarget::new("integration", integration.id);
        let after = serde_json::json!({"provider": integration.provider.code(), "status": integration.status.code()});
        self.audit.record(entry(
            &ctx.actor,
            AuditAction::IntegrationConnectStarted,
            target,
            integration.updated_at,
            None,
            Some(after),
        ));
        Ok(ConsentStart { integration, consent_url: request.url })
    }

    /// Completes linking with the `code` and `state` the provider sent to the redirect URI:
    /// exchanges the code, stores the tokens sealed, and schedules the first sync now.
    pub fn complete_consent(&self, ctx: &AuthContext, code: &str, state: &str) -> Result<Integration, SyncError> {
        Self::require(&ctx.actor, Permission::ManageIntegrations)?;
        let provider = self.provider()?;
        let organisation = ctx.actor.organisation_id;
        let state_digest = self.tokens.digest(state);
        let consent = self.integrations.take_consent(organisation, &state_digest)?.ok_or(SyncError::ConsentInvalid)?;
        let now = self.clock.now();
        if consent.session_digest != ctx.token_digest || now > consent.requested_at + self.settings.consent_ttl {
            return Err(SyncError::ConsentInvalid);
        }
        let verifier = self.cipher.open(&consent.sealed_verifier, &verifier_context(organisation, &state_digest))?;
        let tokens = provider.exchange_code(code, &CodeVerifier::new(verifier.expose()))?;
        let mut integration = consent.integration;
        let sealed = self.cipher.seal(&tokens_to_text(&tokens), &tokens_context(organisation, integration.id))?;
        integration.token_version =
            self.integrations.store_tokens(organisation, integration.id, integration.token_version, &sealed, now)?;
        integration.has_tokens = true;
        integration.status = IntegrationStatus::Connected;
        integration.connected_by = Some(ctx.actor.user_id);
        integration.last_error = None;
        integration.consecutive_failures = 0;
        integration.next_sync_at = Some(now);
        integration.updated_at = now;
        if !self.integrations.save_status(&integration)? {
            return Err(SyncError::NotFound);
        }
        self.enqueue(organisation, integration.id, None, now)?;
        log::info!("integration {} of {organisation} connected", integration.id);
        let target = AuditTarget::new("integration", integration.id);
        let after = serde_json::json!({"provider": integration.provider.code(), "status": integration.status.code()});
        self.audit.record(entry(&ctx.actor, AuditAction::IntegrationConnected, target, now, None, Some(after)));
        Ok(integration)
    }

    /// The organisation's integrations.
    pub fn list(&self, actor: &Actor) -> Result<Vec<Integration>, SyncError> {
        Self::require(actor, Permission::ReadData)?;
        Ok(self.integrations.integrations(actor.organisation_id)?)
    }

    /// One integration.
    pub fn get(&self, actor: &Actor, id: Uuid) -> Result<Integration, SyncError> {
        Self::require(actor, Permission::ReadData)?;
        self.integrations.integration(actor.organisation_id, id)?.ok_or(SyncError::NotFound)
    }

    /// The integration's latest sync runs, newest first.
    pub fn runs(&self, actor: &Actor, id: Uuid, limit: u32) -> Result<Vec<SyncRun>, SyncError> {
        self.get(actor, id)?;
        Ok(self.integrations.sync_runs(actor.organisation_id, id, limit.clamp(1, 200))?)
    }

    /// Schedules a sync now; `customer_ip` is the user's address (PSD2 "customer present").
    /// Returns whether a new job was queued (`false`: one is already queued or running).
    pub fn sync_now(&self, actor: &Actor, id: Uuid, customer_ip: Option<IpAddr>) -> Result<bool, SyncError> {
        Self::require(actor, Permission::ManageIntegrations)?;
        let integration = self.get(actor, id)?;
        if !integration.status.is_syncable() {
            return Err(SyncError::Provider(BankingError::AuthorizationInvalid {
                detail: format!("the integration is {}; connect it again first", integration.status.code()),
            }));
        }
        Ok(self.enqueue(actor.organisation_id, id, customer_ip, self.clock.now())?)
    }

    /// Unlinks: revokes the refresh token at the provider (best effort) and deletes the tokens.
    /// The accounts and transactions already stored are kept.
    pub fn disconnect(&self, actor: &Actor, id: Uuid) -> Result<(), SyncError> {
        Self::require(actor, Permission::ManageIntegrations)?;
        let organisation = actor.organisation_id;
        let before = self.get(actor, id)?;
        if let (Some(provider), Some((sealed, _))) =
            (self.provider.as_ref(), self.integrations.sealed_tokens(organisation, id)?)
        {
            match self.cipher.open(&sealed, &tokens_context(organisation, id)).and_then(|t| tokens_from_text(&t)) {
                Ok(tokens) => {
                    if let Err(e) = provider.revoke_tokens(&tokens) {
                        log::warn!("revoking the tokens of integration {id} failed (deleting them anyway): {e}");
                    }
                }
                Err(e) => log::warn!("cannot open the tokens of integration {id} to revoke them: {e}"),
            }
        }
        let now = self.clock.now();
        self.integrations.disconnect(organisation, id, now)?;
        log::info!("integration {id} of {organisation} disconnected");
        let state = |status: &str| Some(serde_json::json!({"provider": before.provider.code(), "status": status}));
        let target = AuditTarget::new("integration", id);
        let (was, now_is) = (state(before.status.code()), state(IntegrationStatus::Disconnected.code()));
        self.audit.record(entry(actor, AuditAction::IntegrationDisconnected, target, now, was, now_is));
        Ok(())
    }

    fn enqueue(
        &self,
        organisation: OrganisationId,
        id: Uuid,
        customer_ip: Option<IpAddr>,
        now: OffsetDateTime,
    ) -> Result<bool, RepositoryError> {
        let payload = match customer_ip {
            Some(ip) => serde_json::json!({ "customer_ip": ip.to_string() }).to_string(),
            None => "{}".to_owned(),
        };
        self.jobs.enqueue(
            &NewJob { organisation_id: organisation, kind: SYNC_JOB.into(), key: id.to_string(), payload, run_at: now },
            now,
        )
    }

    /// Enqueues a sync for up to `limit` integrations whose next sync is due; returns how many
    /// jobs were queued. Safe to run from every process at once.
    pub fn schedule_due(&self, limit: u32) -> Result<usize, SyncError> {
        let now = self.clock.now();
        let mut queued = 0;
        for (organisation, id) in self.integrations.due_integrations(now, limit)? {
            if self.enqueue(organisation, id, None, now)? {
                queued += 1;
            }
            // Queued (now or before): out of the due list until the sync ends or its lease
            // expires, so more than `limit` due integrations are all reached.
            self.integrations.postpone_sync(organisation, id, now, now + self.settings.lease)?;
        }
        Ok(queued)
    }

    /// Deletes finished jobs older than a day and sync runs older than 30 days; returns how many
    /// of each. Idempotent; safe from every process.
    pub fn purge_history(&self) -> Result<(u64, u64), SyncError> {
        let now = self.clock.now();
        let jobs = self.jobs.delete_finished_jobs(now - Duration::days(1))?;
        let runs = self.integrations.delete_sync_runs_before(now - Duration::days(30))?;
        Ok((jobs, runs))
    }

    /// Claims one due job as `worker` and runs it; `None` when no job is due.
    pub fn run_next_job(&self, worker: &str) -> Result<Option<JobReport>, SyncError> {
        let now = self.clock.now();
        let Some(job) = self.jobs.claim(worker, now, self.settings.lease)? else { return Ok(None) };
        if job.kind != SYNC_JOB {
            self.jobs.fail(&job, worker, &format!("unknown job kind {}", job.kind), None, now)?;
            return Ok(Some(JobReport {
                organisation_id: job.organisation_id,
                integration_id: Uuid::nil(),
                outcome: None,
            }));
        }
        let Ok(id) = Uuid::parse_str(&job.key) else {
            self.jobs.fail(&job, worker, "malformed integration id", None, now)?;
            return Ok(Some(JobReport {
                organisation_id: job.organisation_id,
                integration_id: Uuid::nil(),
                outcome: None,
            }));
        };
        let (outcome, completed) = match self.run_sync(&job, id, worker) {
            Ok(done) => done,
            Err(e) => {
                // Storage failed before the run could record anything: retry the job soon.
                let retry = now + scaled(self.settings.backoff_base, jitter_fraction());
                if let Err(fail) = self.jobs.fail(&job, worker, &e.to_string(), Some(retry), self.clock.now()) {
                    log::warn!("cannot record the failure of job {}: {fail}", job.id);
                }
                return Err(e);
            }
        };
        if !completed {
            match self.jobs.complete(&job, worker, self.clock.now()) {
                Ok(()) | Err(RepositoryError::Conflict(_)) => {}
                Err(e) => return Err(e.into()),
            }
        }
        Ok(Some(JobReport { organisation_id: job.organisation_id, integration_id: id, outcome }))
    }

    fn backoff(&self, failures: i32) -> Duration {
        let exponent = u32::try_from(failures.saturating_sub(1)).unwrap_or(0).min(20);
        let raw = self.settings.backoff_base.saturating_mul(1_i32 << exponent.min(30));
        scaled(raw.min(self.settings.backoff_max), jitter_fraction())
    }

    /// Runs the sync of a claimed job; returns its outcome and whether its end completed the job.
    fn run_sync(&self, job: &Job, id: Uuid, worker: &str) -> Result<(Option<SyncOutcome>, bool), SyncError> {
        let organisation = job.organisation_id;
        let Some(mut integration) = self.integrations.integration(organisation, id)? else { return Ok((None, false)) };
        if !integration.status.is_syncable() {
            return Ok((None, false));
        }
        let Some(provider) = self.provider.clone() else {
            integration.status = IntegrationStatus::Failing;
            integration.last_error = Some("Ponto is not configured on this server".into());
            integration.next_sync_at = Some(self.clock.now() + self.settings.backoff_max);
            integration.updated_at = self.clock.now();
            self.integrations.save_status(&integration)?;
            return Ok((None, false));
        };
        let now = self.clock.now();
        // A poisoned breaker (a worker panicked while holding it) must not stop every sync.
        let allowed = match self.breaker.lock() {
            Ok(mut breaker) => breaker.allow(now),
            Err(poisoned) => poisoned.into_inner().allow(now),
        };
        if let Err(until) = allowed {
            integration.status = IntegrationStatus::Failing;
            integration.last_error = Some(format!(
                "Ponto keeps failing, so Billify paused all Ponto syncs until {:02}:{:02}:{:02} UTC",
                until.hour(),
                until.minute(),
                until.second()
            ));
            integration.next_sync_at = Some(until + scaled(self.settings.breaker_cooldown, jitter_fraction()));
            integration.updated_at = now;
            self.integrations.save_status(&integration)?;
            return Ok((None, false));
        }
        let customer_ip: Option<IpAddr> = serde_json::from_str::<serde_json::Value>(&job.payload)
            .ok()
            .and_then(|v| v.get("customer_ip").and_then(|ip| ip.as_str()).and_then(|ip| ip.parse().ok()));

        integration.status = IntegrationStatus::Syncing;
        integration.last_attempt_at = Some(now);
        integration.updated_at = now;
        let run = SyncRun::started(organisation, id, now);
        let renew_at = now + self.settings.lease / 2;
        let mut state = RunState {
            job,
            worker,
            run,
            counts: RunCounts::default(),
            transactions: Vec::new(),
            buffered: 0,
            watermarks: Vec::new(),
            renew_at,
        };
        log::debug!("worker {worker} syncing integration {id} of {organisation}");
        let result = self.sync_integration(provider.as_ref(), &mut integration, customer_ip, &mut state);
        let end = self.clock.now();
        let mut run = state.run.clone();
        run.finished_at = Some(end);
        run.new_accounts = state.counts.new_accounts;
        run.changed_accounts = state.counts.changed_accounts;
        run.new_transactions = state.counts.transactions.new;
        run.changed_transactions = state.counts.transactions.changed;
        integration.updated_at = end;
        let breaker = &self.breaker;
        let with_breaker = |f: &dyn Fn(&mut Breaker)| {
            if let Ok(mut b) = breaker.lock() {
                f(&mut b);
            }
        };
        match result {
            Ok(()) => {
                with_breaker(&|b| b.success());
                run.outcome = SyncOutcome::Succeeded;
                integration.status = IntegrationStatus::Connected;
                integration.last_success_at = Some(end);
                integration.last_error = None;
                integration.consecutive_failures = 0;
                let next = if integration.pending_synchronizations.is_empty() {
                    self.settings.interval
                } else {
                    self.settings.pending_poll.min(self.settings.interval)
                };
                integration.next_sync_at = Some(end + next);
            }
            Err(RunFailure::Gone) => {
                with_breaker(&|b| b.release());
                return Ok((None, false));
            }
            Err(RunFailure::Superseded) => {
                with_breaker(&|b| b.release());
                run.outcome = SyncOutcome::Failed;
                run.error = Some("another worker took over this sync".into());
                // What was read is stored (upserts are idempotent); the status is the new
                // owner's to write.
                let written = self.finish(&state, &run, None, end)?;
                return Ok((Some(SyncOutcome::Failed), written));
            }
            Err(RunFailure::Provider(BankingError::AuthorizationInvalid { detail })) => {
                with_breaker(&|b| b.release());
                log::info!("integration {id} of {organisation} needs re-consent: {detail}");
                run.outcome = SyncOutcome::Failed;
                let message = "The bank authorization expired or was revoked: connect Ponto again.".to_owned();
                run.error = Some(message.clone());
                integration.status = IntegrationStatus::NeedsReconsent;
                integration.last_error = Some(message);
                integration.next_sync_at = None;
            }
            Err(failure) => {
                let (message, retry_after) = match &failure {
                    RunFailure::Provider(e) => {
                        if !matches!(e, BankingError::NotFound { .. }) {
                            with_breaker(&|b| {
                                b.failure(end, self.settings.breaker_threshold, self.settings.breaker_cooldown)
                            });
                        } else {
                            with_breaker(&|b| b.release());
                        }
                        let retry_after = match e {
                            BankingError::RateLimited { retry_after } => {
                                retry_after.and_then(|d| Duration::try_from(d).ok())
                            }
                            _ => None,
                        };
                        (plain_words(e), retry_after)
                    }
                    RunFailure::Secret(e) => {
                        with_breaker(&|b| b.release());
                        (format!("Billify cannot read the stored bank tokens: {e}"), None)
                    }
                    RunFailure::Repository(e) => {
                        with_breaker(&|b| b.release());
                        log::warn!("sync of integration {id} could not store data: {e}");
                        ("Billify could not store the bank data; it will retry".to_owned(), None)
                    }
                    RunFailure::Superseded | RunFailure::Gone => (String::new(), None),
                };
                integration.consecutive_failures += 1;
                let delay = self.backoff(integration.consecutive_failures).max(retry_after.unwrap_or(Duration::ZERO));
                log::warn!(
                    "sync of integration {id} of {organisation} failed ({} in a row), retrying in {}s: {message}",
                    integration.consecutive_failures,
                    delay.whole_seconds()
                );
                run.outcome = SyncOutcome::Failed;
                run.error = Some(message.clone());
                integration.status = IntegrationStatus::Failing;
                integration.last_error = Some(message);
                integration.next_sync_at = Some(end + delay);
            }
        }
        let completed = self.finish(&state, &run, Some(&integration), end)?;
        Ok((Some(run.outcome), completed))
    }

    /// Stores what the run read and not yet stored together with its end and the job's
    /// completion; returns whether the job was completed (`false`: the lease was lost).
    fn finish(
        &self,
        state: &RunState<'_>,
        run: &SyncRun,
        integration: Option<&Integration>,
        now: OffsetDateTime,
    ) -> Result<bool, SyncError> {
        let written = self.integrations.write_sync_batch(&SyncBatch {
            organisation_id: run.organisation_id,
            transactions: &state.transactions,
            watermarks: &state.watermarks,
            finish: Some(SyncFinish {
                run,
                integration,
                job: state.job,
                worker: state.worker,
                interrupted: interrupted(state.job),
            }),
            now,
        })?;
        Ok(written.job_completed)
    }

    /// Keeps a page read by the run; stores the kept pages once there are `write_batch`
    /// transactions, and extends the job's lease half-way through it.
    fn keep(
        &self,
        state: &mut RunState<'_>,
        account_id: Uuid,
        transactions: Vec<BankTransaction>,
    ) -> Result<(), RunFailure> {
        state.buffered += transactions.len();
        match state.transactions.last_mut() {
            Some(last) if last.account_id == account_id => last.transactions.extend(transactions),
            _ => state.transactions.push(SyncedTransactions { account_id, transactions }),
        }
        if state.buffered >= self.settings.write_batch.max(1) {
            self.flush(state)?;
        }
        let now = self.clock.now();
        if now >= state.renew_at {
            if !self.jobs.renew_lease(state.job, state.worker, now + self.settings.lease)? {
                return Err(RunFailure::Superseded);
            }
            state.renew_at = now + self.settings.lease / 2;
        }
        Ok(())
    }

    /// Stores the kept pages and the watermarks of the passes they complete.
    fn flush(&self, state: &mut RunState<'_>) -> Result<(), RunFailure> {
        let written = self.integrations.write_sync_batch(&SyncBatch {
            organisation_id: state.run.organisation_id,
            transactions: &state.transactions,
            watermarks: &state.watermarks,
            finish: None,
            now: self.clock.now(),
        })?;
        state.counts.transactions.add(written.counts);
        state.transactions.clear();
        state.watermarks.clear();
        state.buffered = 0;
        Ok(())
    }

    /// Opens the stored tokens.
    fn load_tokens(&self, integration: &Integration) -> Result<LiveTokens, RunFailure> {
        let Some((sealed, version)) = self.integrations.sealed_tokens(integration.organisation_id, integration.id)?
        else {
            return Err(RunFailure::Provider(BankingError::AuthorizationInvalid { detail: "no tokens stored".into() }));
        };
        let text = self.cipher.open(&sealed, &tokens_context(integration.organisation_id, integration.id))?;
        Ok(LiveTokens { tokens: tokens_from_text(&text)?, version })
    }

    /// Stores the tokens if a provider call changed them.
    fn persist_tokens(
        &self,
        integration: &Integration,
        live: &mut LiveTokens,
        before: &ProviderTokens,
    ) -> Result<(), RunFailure> {
        if &live.tokens == before {
            return Ok(());
        }
        let sealed = self
            .cipher
            .seal(&tokens_to_text(&live.tokens), &tokens_context(integration.organisation_id, integration.id))?;
        match self.integrations.store_tokens(
            integration.organisation_id,
            integration.id,
            live.version,
            &sealed,
            self.clock.now(),
        ) {
            Ok(version) => {
                live.version = version;
                Ok(())
            }
            Err(RepositoryError::Conflict(_)) => Err(RunFailure::Superseded),
            Err(e) => Err(e.into()),
        }
    }

    /// Runs one provider call with the live tokens and stores them afterwards, even when the
    /// call failed (a refresh may have rotated them).
    fn call<T>(
        &self,
        integration: &Integration,
        live: &mut LiveTokens,
        f: impl FnOnce(&mut ProviderTokens) -> Result<T, BankingError>,
    ) -> Result<T, RunFailure> {
        let before = live.tokens.clone();
        let result = f(&mut live.tokens);
        self.persist_tokens(integration, live, &before)?;
        Ok(result?)
    }

    fn sync_integration(
        &self,
        provider: &dyn BankingProvider,
        integration: &mut Integration,
        customer_ip: Option<IpAddr>,
        state: &mut RunState<'_>,
    ) -> Result<(), RunFailure> {
        let mut live = self.load_tokens(integration)?;
        if live.tokens.expires_at - self.clock.now() < self.settings.refresh_margin {
            let before = live.tokens.clone();
            let refreshed = provider.refresh_tokens(&live.tokens);
            if let Ok(tokens) = &refreshed {
                live.tokens = tokens.clone();
            }
            self.persist_tokens(integration, &mut live, &before)?;
            refreshed?;
        }

        // Accounts: every one shared, stored by provider id when the run starts.
        let accounts = self.call(integration, &mut live, |t| provider.list_accounts(t))?;
        let now = self.clock.now();
        integration.consent_expires_at = accounts.iter().filter_map(|a| a.authorization_expires_at()).min();
        let Some(stored) = self.integrations.start_sync_run(&SyncStart {
            integration,
            run: &state.run,
            interrupted: interrupted(state.job),
            source: BankSource::Ponto,
            accounts: &accounts,
            now,
        })?
        else {
            return Err(RunFailure::Gone);
        };
        let mut ids = Vec::with_capacity(accounts.len());
        for (account, stored) in accounts.iter().zip(stored) {
            if stored.new {
                state.counts.new_accounts += 1;
            } else if stored.changed {
                state.counts.changed_accounts += 1;
            }
            ids.push((account.provider_id().clone(), stored.id, stored.watermark));
        }

        // Bank-side synchronisations requested earlier: read their results once finished.
        let mut still_pending = Vec::new();
        for sync_id in std::mem::take(&mut integration.pending_synchronizations) {
            let Ok(pid) = ProviderId::parse(&sync_id) else { continue };
            let sync = match self.call(integration, &mut live, |t| provider.synchronization(t, &pid)) {
                Ok(sync) => sync,
                Err(RunFailure::Provider(BankingError::NotFound { .. })) => continue,
                Err(e) => return Err(e),
            };
            if !sync.status.is_final() {
                still_pending.push(sync_id);
                continue;
            }
            if sync.needs_reauthorization() {
                return Err(RunFailure::Provider(BankingError::AuthorizationInvalid {
                    detail: "the bank refused the synchronisation: consent expired".into(),
                }));
            }
            if sync.status == SyncStatus::Success && sync.subtype == SyncSubtype::AccountTransactions {
                if let Some((_, account_id, _)) = ids.iter().find(|(p, _, _)| p == &sync.account_id) {
                    let account_id = *account_id;
                    let mut failure = None;
                    self.call(integration, &mut live, |t| {
                        provider.updated_transactions(t, &pid, None, &mut |page| match self.keep(
                            state,
                            account_id,
                            page.transactions,
                        ) {
                            Ok(()) => ControlFlow::Continue(()),
                            Err(e) => {
                                failure = Some(e);
                                ControlFlow::Break(())
                            }
                        })
                    })?;
                    if let Some(e) = failure {
                        return Err(e);
                    }
                }
            }
        }
        integration.pending_synchronizations = still_pending;

        // Transactions the provider holds, newest first, down to the last completed pass.
        for (provider_account, account_id, watermark) in &ids {
            self.sync_account(
                provider,
                integration,
                &mut live,
                provider_account,
                *account_id,
                watermark.as_ref(),
                state,
            )?;
        }

        // Ask the bank for fresh data, no more often than the provider allows.
        let due = integration.bank_sync_requested_at.is_none_or(|at| now - at >= self.settings.bank_sync_interval);
        if self.settings.request_bank_syncs && due && integration.pending_synchronizations.is_empty() {
            for (provider_account, _, _) in &ids {
                match self.call(integration, &mut live, |t| {
                    provider.create_synchronization(t, provider_account, SyncSubtype::AccountTransactions, customer_ip)
                }) {
                    Ok(sync) => integration.pending_synchronizations.push(sync.id.as_str().to_owned()),
                    // The provider may refuse a synchronisation it thinks too soon: read what it holds.
                    Err(RunFailure::Provider(
                        e @ (BankingError::Rejected { .. } | BankingError::RateLimited { .. }),
                    )) => {
                        log::info!("bank-side synchronisation of {provider_account} not started: {e}");
                    }
                    Err(e) => return Err(e),
                }
            }
            integration.bank_sync_requested_at = Some(now);
        }
        Ok(())
    }

    /// One pass over an account's transactions, newest first, down to the watermark the last
    /// completed pass left (plus the overlap). The new watermark is kept once the pass completes
    /// and stored with the next batch, so a pass cut short leaves the old one.
    #[allow(clippy::too_many_arguments, reason = "the parts of one pass")]
    fn sync_account(
        &self,
        provider: &dyn BankingProvider,
        integration: &Integration,
        live: &mut LiveTokens,
        provider_account: &ProviderId,
        account_id: Uuid,
        watermark: Option<&SyncWatermark>,
        state: &mut RunState<'_>,
    ) -> Result<(), RunFailure> {
        let stop_before = watermark.map(|w| w.execution_date - Duration::days(self.settings.overlap_days));
        let mut top: Option<SyncWatermark> = None;
        let mut failure = None;
        let mut reached_watermark = false;
        self.call(integration, live, |t| {
            provider.transactions(t, provider_account, None, &mut |page| {
                let transactions = page.transactions;
                if top.is_none() {
                    top = transactions.first().map(|t: &BankTransaction| SyncWatermark {
                        transaction_id: t.provider_id().as_str().to_owned(),
                        execution_date: t.execution_date(),
                    });
                }
                if let Some(w) = watermark {
                    reached_watermark |= transactions
                        .iter()
                        .any(|t| t.provider_id().as_str() == w.transaction_id || t.execution_date() < w.execution_date);
                }
                let past_overlap = stop_before.is_some_and(|stop| {
                    transactions.last().is_some_and(|t: &BankTransaction| t.execution_date() < stop)
                });
                if let Err(e) = self.keep(state, account_id, transactions) {
                    failure = Some(e);
                    return ControlFlow::Break(());
                }
                if reached_watermark && past_overlap { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
            })
        })?;
        if let Some(e) = failure {
            return Err(e);
        }
        if let Some(top) = top {
            if watermark != Some(&top) {
                state.watermarks.push((account_id, top));
            }
        }
        Ok(())
    }
}

/// A provider error in words for the integration's status.
fn plain_words(e: &BankingError) -> String {
    match e {
        BankingError::AuthorizationInvalid { .. } => "The bank authorization expired or was revoked".into(),
        BankingError::RateLimited { .. } => "Ponto asked Billify to slow down; the sync will resume shortly".into(),
        BankingError::NotFound { what } => format!("Ponto no longer shares {what}"),
        BankingError::Rejected { status, .. } => format!("Ponto refused a request (HTTP {status})"),
        BankingError::Server { status, .. } => format!("Ponto is failing (HTTP {status})"),
        BankingError::Transport(_) => "Ponto cannot be reached".into(),
        BankingError::InvalidResponse(_) => "Ponto answered something Billify cannot read".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: i64) -> OffsetDateTime {
        OffsetDateTime::UNIX_EPOCH + Duration::seconds(seconds)
    }

    #[test]
    fn breaker_opens_after_threshold_and_lets_one_probe_through_after_cooldown() {
        let mut b = Breaker::default();
        for _ in 0..4 {
            b.failure(at(0), 5, Duration::seconds(60));
            assert!(b.allow(at(0)).is_ok());
        }
        b.failure(at(0), 5, Duration::seconds(60));
        assert_eq!(b.allow(at(30)), Err(at(60)));
        assert!(b.allow(at(61)).is_ok(), "half-open: one probe");
        assert_eq!(b.allow(at(61)), Err(at(60)), "only one probe at a time");
        b.failure(at(62), 5, Duration::seconds(60));
        assert_eq!(b.allow(at(100)), Err(at(122)), "a failed probe reopens the circuit");
        assert!(b.allow(at(123)).is_ok());
        b.success();
        assert!(b.allow(at(123)).is_ok());
        assert!(b.allow(at(123)).is_ok());
    }

    #[test]
    fn tokens_survive_sealing_text_and_nothing_else_parses() {
        let tokens =
            ProviderTokens { access_token: "a".into(), refresh_token: "r".into(), expires_at: at(1_800_000_000) };
        assert_eq!(tokens_from_text(&tokens_to_text(&tokens)), Ok(tokens));
        assert_eq!(tokens_from_text(&SecretText::new("{}")), Err(SecretError::Malformed));
    }

    #[test]
    fn jitter_stays_within_half_to_full() {
        for _ in 0..1000 {
            let f = jitter_fraction();
            assert!((0.5..1.0).contains(&f), "{f}");
        }
    }
}
