//! The audit trail: an append-only log of security and financial events, hash-chained so that
//! any change to a stored entry, any removed entry and any reordering is detectable.
//!
//! **Chains.** Each organisation has its own chain (its entries, numbered 1, 2, 3, ... by `seq`);
//! events that belong to no organisation (a failed login, an organisation's deletion) go to
//! one global chain ([`GLOBAL_CHAIN`]). Per-organisation chains keep appends of different
//! tenants from queueing behind one lock, let the log be distributed by organisation like every
//! other tenant table, and let an organisation's deletion remove its chain whole (its last hash
//! is kept in the global chain's tombstone entry).
//!
//! **Hashes.** An entry's `hash` is `hex(SHA-256(prev_hash || "\n" || canonical))`, where
//! `prev_hash` is the previous entry's hash in the chain (64 zeros for the first) and
//! `canonical` is [`AuditEntry::canonical`]: a JSON array of every other field in a fixed order,
//! with the timestamp as integer microseconds and `before`/`after` as the exact JSON text stored.
//! The store keeps a head row per chain (last `seq`, last hash) so a truncated tail is noticed.
//!
//! **Never recorded:** passwords, password hashes, tokens or their digests, sealed secrets,
//! verifiers; [`redact`] removes such keys from `before`/`after` whatever the caller passes.

use std::net::IpAddr;
use std::sync::Arc;

use billify_domain::{OrganisationId, UserId};
use serde_json::Value;
use sha2::{Digest as _, Sha256};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::RepositoryError;

/// The chain of events that belong to no organisation.
pub const GLOBAL_CHAIN: Uuid = Uuid::nil();

/// The `prev_hash` of a chain's first entry.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What happened. The code is what is stored and filtered on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuditAction {
    /// A successful login.
    LoginSucceeded,
    /// A refused login (wrong password, unknown email, locked account).
    LoginFailed,
    /// The organisation's name or VAT number changed.
    OrganisationUpdated,
    /// A member's role changed.
    RoleChanged,
    /// A member was removed.
    MemberRemoved,
    /// An invitation was created.
    InvitationCreated,
    /// An invitation was accepted.
    InvitationAccepted,
    /// An invitation was withdrawn.
    InvitationRevoked,
    /// An integration's consent was started.
    IntegrationConnectStarted,
    /// An integration was connected (consent completed).
    IntegrationConnected,
    /// An integration was disconnected.
    IntegrationDisconnected,
    /// An integration's settings were changed (an accounting integration's region or
    /// administration).
    IntegrationConfigured,
    /// An invoice was created.
    InvoiceCreated,
    /// An invoice was changed.
    InvoiceUpdated,
    /// An invoice was deleted.
    InvoiceDeleted,
    /// A payment was recorded on an invoice.
    InvoicePaid,
    /// A paid invoice was reopened.
    InvoiceReopened,
    /// A draft became an invoice.
    DraftConfirmed,
    /// A bank statement file was imported.
    StatementImported,
    /// The organisation's data was exported.
    DataExported,
    /// The organisation and all its data were deleted.
    OrganisationDeleted,
    /// A member created a personal access token.
    AccessTokenCreated,
    /// A member revoked a personal access token.
    AccessTokenRevoked,
    /// A user turned two-factor authentication on (confirmed an enrolment).
    TwoFactorEnabled,
    /// A user turned two-factor authentication off.
    TwoFactorDisabled,
    /// A second factor was refused at login (wrong, reused or expired code or challenge).
    SecondFactorFailed,
    /// A bank transaction was matched to an invoice (by the rules or by a person).
    PaymentMatched,
    /// A match was undone: the invoice's paid amount and status went back.
    MatchUndone,
    /// A recurring bank flow was confirmed or dismissed for the forecast.
    RecurringSeriesDecided,
    /// A reconciliation suggestion was rejected.
    SuggestionRejected,
    /// An admin added a webhook endpoint.
    WebhookEndpointCreated,
    /// An admin removed a webhook endpoint.
    WebhookEndpointDeleted,
    /// The organisation's alert settings changed.
    AlertSettingsChanged,
}

impl AuditAction {
    /// Every action.
    pub const ALL: [AuditAction; 33] = [
        AuditAction::LoginSucceeded,
        AuditAction::LoginFailed,
        AuditAction::OrganisationUpdated,
        AuditAction::RoleChanged,
        AuditAction::MemberRemoved,
        AuditAction::InvitationCreated,
        AuditAction::InvitationAccepted,
        AuditAction::InvitationRevoked,
        AuditAction::IntegrationConnectStarted,
        AuditAction::IntegrationConnected,
        AuditAction::IntegrationDisconnected,
        AuditAction::IntegrationConfigured,
        AuditAction::InvoiceCreated,
        AuditAction::InvoiceUpdated,
        AuditAction::InvoiceDeleted,
        AuditAction::InvoicePaid,
        AuditAction::InvoiceReopened,
        AuditAction::DraftConfirmed,
        AuditAction::StatementImported,
        AuditAction::DataExported,
        AuditAction::OrganisationDeleted,
        AuditAction::AccessTokenCreated,
        AuditAction::AccessTokenRevoked,
        AuditAction::TwoFactorEnabled,
        AuditAction::TwoFactorDisabled,
        AuditAction::SecondFactorFailed,
        AuditAction::PaymentMatched,
        AuditAction::MatchUndone,
        AuditAction::SuggestionRejected,
        AuditAction::WebhookEndpointCreated,
        AuditAction::WebhookEndpointDeleted,
        AuditAction::AlertSettingsChanged,
        AuditAction::RecurringSeriesDecided,
    ];

    /// The stored code, e.g. `invoice.created`.
    pub fn code(&self) -> &'static str {
        match self {
            AuditAction::LoginSucceeded => "auth.login_succeeded",
            AuditAction::LoginFailed => "auth.login_failed",
            AuditAction::OrganisationUpdated => "organisation.updated",
            AuditAction::RoleChanged => "member.role_changed",
            AuditAction::MemberRemoved => "member.removed",
            AuditAction::InvitationCreated => "invitation.created",
            AuditAction::InvitationAccepted => "invitation.accepted",
            AuditAction::InvitationRevoked => "invitation.revoked",
            AuditAction::IntegrationConnectStarted => "integration.connect_started",
            AuditAction::IntegrationConnected => "integration.connected",
            AuditAction::IntegrationDisconnected => "integration.disconnected",
            AuditAction::IntegrationConfigured => "integration.configured",
            AuditAction::InvoiceCreated => "invoice.created",
            AuditAction::InvoiceUpdated => "invoice.updated",
            AuditAction::InvoiceDeleted => "invoice.deleted",
            AuditAction::InvoicePaid => "invoice.paid",
            AuditAction::InvoiceReopened => "invoice.reopened",
            AuditAction::DraftConfirmed => "draft.confirmed",
            AuditAction::StatementImported => "bank.statement_imported",
            AuditAction::DataExported => "organisation.exported",
            AuditAction::OrganisationDeleted => "organisation.deleted",
            AuditAction::AccessTokenCreated => "access_token.created",
            AuditAction::AccessTokenRevoked => "access_token.revoked",
            AuditAction::TwoFactorEnabled => "auth.two_factor_enabled",
            AuditAction::TwoFactorDisabled => "auth.two_factor_disabled",
            AuditAction::SecondFactorFailed => "auth.second_factor_failed",
            AuditAction::PaymentMatched => "reconciliation.matched",
            AuditAction::MatchUndone => "reconciliation.match_undone",
            AuditAction::SuggestionRejected => "reconciliation.suggestion_rejected",
            AuditAction::WebhookEndpointCreated => "webhook.created",
            AuditAction::WebhookEndpointDeleted => "webhook.deleted",
            AuditAction::AlertSettingsChanged => "alerts.settings_changed",
            AuditAction::RecurringSeriesDecided => "forecast.series_decided",
        }
    }

    /// The action with this code.
    pub fn parse(code: &str) -> Option<AuditAction> {
        AuditAction::ALL.into_iter().find(|a| a.code() == code)
    }
}

/// Every kind of audit target, for validating filters (`GET /audit?target=`). A test checks that
/// every `AuditTarget::new`/`unnamed` in the workspace names one of them.
pub const TARGET_KINDS: [&str; 12] = [
    "access_token",
    "bank_statement",
    "draft",
    "integration",
    "invitation",
    "invoice",
    "organisation",
    "reconciliation_run",
    "reconciliation_suggestion",
    "recurring_series",
    "user",
    "webhook_endpoint",
];

/// What an event was done to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditTarget {
    /// The kind of thing: `invoice`, `user`, `invitation`, `integration`, ...
    pub kind: &'static str,
    /// Its id, when there is one to name.
    pub id: Option<String>,
}

impl AuditTarget {
    /// A target with an id.
    pub fn new(kind: &'static str, id: impl ToString) -> Self {
        AuditTarget { kind, id: Some(id.to_string()) }
    }

    /// A target without an id (e.g. the user of an unknown email: nothing is named).
    pub fn unnamed(kind: &'static str) -> Self {
        AuditTarget { kind, id: None }
    }
}

/// An event to append. The store numbers and chains it.
#[derive(Debug, Clone, PartialEq)]
pub struct NewAuditEntry {
    /// The organisation; `None` only for user-level events, which go to [`GLOBAL_CHAIN`].
    pub organisation_id: Option<OrganisationId>,
    /// Who acted, when known.
    pub actor: Option<UserId>,
    /// What happened.
    pub action: AuditAction,
    /// What it was done to.
    pub target: AuditTarget,
    /// When.
    pub occurred_at: OffsetDateTime,
    /// The client's IP address, when known.
    pub ip: Option<IpAddr>,
    /// The state before a change (redacted).
    pub before: Option<Value>,
    /// The state after a change, or details (redacted).
    pub after: Option<Value>,
}

impl NewAuditEntry {
    /// The chain it belongs to.
    pub fn chain(&self) -> Uuid {
        self.organisation_id.map_or(GLOBAL_CHAIN, |o| *o.as_uuid())
    }

    /// Seals the entry as entry `seq` of its chain after `prev_hash`: the stored form.
    pub fn seal(&self, id: Uuid, seq: i64, prev_hash: &str) -> AuditEntry {
        let text = |v: &Option<Value>| v.as_ref().map(|v| redact(v.clone()).to_string());
        let mut entry = AuditEntry {
            chain: self.chain(),
            seq,
            id,
            organisation_id: self.organisation_id,
            actor: self.actor,
            action: self.action.code().to_owned(),
            target_kind: self.target.kind.to_owned(),
            target_id: self.target.id.clone(),
            occurred_at: self.occurred_at,
            ip: self.ip.map(|ip| ip.to_string()),
            before: text(&self.before),
            after: text(&self.after),
            prev_hash: prev_hash.to_owned(),
            hash: String::new(),
        };
        entry.hash = entry.computed_hash();
        entry
    }
}

/// A stored audit entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// The chain: the organisation's id, or [`GLOBAL_CHAIN`].
    pub chain: Uuid,
    /// Its place in the chain, from 1 without gaps.
    pub seq: i64,
    /// Its id.
    pub id: Uuid,
    /// The organisation, for organisation events.
    pub organisation_id: Option<OrganisationId>,
    /// Who acted, when known.
    pub actor: Option<UserId>,
    /// The action's code ([`AuditAction::code`]).
    pub action: String,
    /// The kind of target.
    pub target_kind: String,
    /// The target's id, when named.
    pub target_id: Option<String>,
    /// When.
    pub occurred_at: OffsetDateTime,
    /// The client's IP address, when known.
    pub ip: Option<String>,
    /// The state before, as JSON text.
    pub before: Option<String>,
    /// The state after, as JSON text.
    pub after: Option<String>,
    /// The previous entry's hash ([`GENESIS_HASH`] for the first).
    pub prev_hash: String,
    /// This entry's hash.
    pub hash: String,
}

impl AuditEntry {
    /// The canonical serialisation that is hashed: a JSON array of every field but the hashes,
    /// in a fixed order, the timestamp as integer microseconds since the epoch.
    pub fn canonical(&self) -> String {
        let micros = self.occurred_at.unix_timestamp_nanos() / 1000;
        serde_json::json!([
            "billify-audit-v1",
            self.chain.to_string(),
            self.seq,
            self.id.to_string(),
            self.organisation_id.map(|o| o.to_string()),
            self.actor.map(|u| u.to_string()),
            self.action,
            self.target_kind,
            self.target_id,
            micros.to_string(),
            self.ip,
            self.before,
            self.after,
        ])
        .to_string()
    }

    /// `hex(SHA-256(prev_hash || "\n" || canonical))`.
    pub fn computed_hash(&self) -> String {
        let mut hasher = Sha256::new();
        hasher.update(self.prev_hash.as_bytes());
        hasher.update(b"\n");
        hasher.update(self.canonical().as_bytes());
        hex::encode(hasher.finalize())
    }
}

/// A chain's head as the store keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditChainHead {
    /// The chain.
    pub chain: Uuid,
    /// The last entry's `seq` (0 when empty).
    pub last_seq: i64,
    /// The last entry's hash.
    pub last_hash: String,
}

/// Filters and page of an organisation's audit entries, newest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditQuery {
    /// Only this action code.
    pub action: Option<String>,
    /// Only entries by this user.
    pub actor: Option<UserId>,
    /// Only entries at or after.
    pub from: Option<OffsetDateTime>,
    /// Only entries before.
    pub to: Option<OffsetDateTime>,
    /// Only entries on this kind of target.
    pub target_kind: Option<String>,
    /// Only entries on this target id.
    pub target_id: Option<String>,
    /// Continue with entries older than this `seq`.
    pub before_seq: Option<i64>,
    /// At most this many (1 to 200).
    pub limit: u32,
}

/// The audit log port.
pub trait AuditLog: Send + Sync {
    /// Appends an entry at the end of its chain and returns it as stored. Appends to one chain
    /// are serialised (concurrent appends never share a `seq` or a `prev_hash`).
    fn append(&self, entry: &NewAuditEntry) -> Result<AuditEntry, RepositoryError>;

    /// The organisation's entries matching the query, newest (highest `seq`) first.
    fn audit_entries(
        &self,
        organisation: OrganisationId,
        query: &AuditQuery,
    ) -> Result<Vec<AuditEntry>, RepositoryError>;

    /// Every chain's head, for verification.
    fn audit_chains(&self) -> Result<Vec<AuditChainHead>, RepositoryError>;

    /// Up to `limit` entries of a chain with `seq` above `after_seq`, in `seq` order.
    fn audit_chain_entries(&self, chain: Uuid, after_seq: i64, limit: u32) -> Result<Vec<AuditEntry>, RepositoryError>;
}

/// Keys never kept in `before`/`after`, whatever their case, as substrings.
const SECRET_KEYS: [&str; 6] = ["password", "token", "secret", "hash", "verifier", "digest"];

/// Removes every object member whose key names a secret (see the module docs), at any depth.
pub fn redact(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(k, _)| {
                    let k = k.to_ascii_lowercase();
                    !SECRET_KEYS.iter().any(|s| k.contains(s))
                })
                .map(|(k, v)| (k, redact(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(redact).collect()),
        other => other,
    }
}

/// How use cases record an entry that is the whole write (a failed login or second factor, an
/// export): appends it on its own. Entries that record a change are not appended here: the
/// repository method that makes the change takes them and stores both in one transaction.
#[derive(Clone)]
pub struct AuditTrail {
    log: Arc<dyn AuditLog>,
}

impl std::fmt::Debug for AuditTrail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuditTrail").finish_non_exhaustive()
    }
}

impl AuditTrail {
    /// Records into `log`.
    pub fn new(log: Arc<dyn AuditLog>) -> Self {
        AuditTrail { log }
    }

    /// The log.
    pub fn log(&self) -> &Arc<dyn AuditLog> {
        &self.log
    }

    /// Appends `entry`; a failure is logged, never returned (for a refused sign-in, whose answer
    /// must not change).
    pub fn record(&self, entry: NewAuditEntry) {
        if let Err(e) = self.log.append(&entry) {
            log::error!("could not append audit entry {}: {e}", entry.action.code());
        }
    }

    /// Appends `entry` and returns the failure (for events that must not happen unrecorded).
    pub fn record_strictly(&self, entry: NewAuditEntry) -> Result<(), RepositoryError> {
        self.log.append(&entry).map(|_| ())
    }
}

/// Where a chain is broken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainBreak {
    /// The chain.
    pub chain: Uuid,
    /// The first entry that does not verify (`seq`).
    pub seq: i64,
    /// Its id, when the entry exists.
    pub id: Option<Uuid>,
    /// What is wrong.
    pub reason: String,
}

impl std::fmt::Display for ChainBreak {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let chain = if self.chain == GLOBAL_CHAIN { "global".to_owned() } else { self.chain.to_string() };
        match self.id {
            Some(id) => write!(f, "chain {chain}, entry {} (id {id}): {}", self.seq, self.reason),
            None => write!(f, "chain {chain}, entry {}: {}", self.seq, self.reason),
        }
    }
}

/// What verification found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VerifyReport {
    /// Chains walked.
    pub chains: u64,
    /// Entries verified.
    pub entries: u64,
    /// The first break, if any.
    pub broken: Option<ChainBreak>,
}

/// Walks every chain, recomputing every hash; stops at the first break.
pub fn verify_chains(log: &dyn AuditLog) -> Result<VerifyReport, RepositoryError> {
    const PAGE: u32 = 500;
    let mut report = VerifyReport::default();
    for head in log.audit_chains()? {
        report.chains += 1;
        let mut prev_hash = GENESIS_HASH.to_owned();
        let mut seq = 0_i64;
        let broken = |seq: i64, id: Option<Uuid>, reason: &str| ChainBreak {
            chain: head.chain,
            seq,
            id,
            reason: reason.to_owned(),
        };
        loop {
            let page = log.audit_chain_entries(head.chain, seq, PAGE)?;
            let done = page.len() < PAGE as usize;
            for entry in page {
                let expected = seq + 1;
                let fault = if entry.seq != expected {
                    Some((expected, None, format!("entry {expected} is missing")))
                } else if entry.chain != head.chain
                    || entry.organisation_id.map_or(GLOBAL_CHAIN, |o| *o.as_uuid()) != head.chain
                {
                    Some((entry.seq, Some(entry.id), "it is in the wrong chain".to_owned()))
                } else if entry.prev_hash != prev_hash {
                    Some((entry.seq, Some(entry.id), "its previous hash does not match the entry before".to_owned()))
                } else if entry.computed_hash() != entry.hash {
                    Some((entry.seq, Some(entry.id), "its content does not match its hash".to_owned()))
                } else {
                    None
                };
                if let Some((seq, id, reason)) = fault {
                    report.broken = Some(broken(seq, id, &reason));
                    return Ok(report);
                }
                report.entries += 1;
                seq = entry.seq;
                prev_hash = entry.hash;
            }
            if done {
                break;
            }
        }
        if seq != head.last_seq || prev_hash != head.last_hash {
            let reason = if seq < head.last_seq {
                format!("entries after {seq} are missing (the chain head is at {})", head.last_seq)
            } else {
                "the chain head does not match its last entry".to_owned()
            };
            report.broken = Some(broken(seq.min(head.last_seq) + 1, None, &reason));
            return Ok(report);
        }
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every target kind the workspace's code records is in [`TARGET_KINDS`], so the audit
    /// filter never refuses a kind that exists.
    #[test]
    fn every_recorded_target_kind_is_listed() {
        fn walk(dir: &std::path::Path, found: &mut Vec<String>) {
            for entry in std::fs::read_dir(dir).unwrap().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    walk(&path, found);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let text = std::fs::read_to_string(&path).unwrap();
                    for call in ["AuditTarget::new(\"", "AuditTarget::unnamed(\""] {
                        for (i, _) in text.match_indices(call) {
                            let rest = &text[i + call.len()..];
                            found.push(rest[..rest.find('"').unwrap()].to_owned());
                        }
                    }
                }
            }
        }
        let crates = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        let mut found = Vec::new();
        walk(crates, &mut found);
        assert!(found.len() > 10, "the scan found the calls");
        for kind in found {
            assert!(TARGET_KINDS.contains(&kind.as_str()), "audit target kind {kind:?} is missing from TARGET_KINDS");
        }
    }

    #[test]
    fn redaction_removes_secret_keys_at_any_depth() {
        let v = serde_json::json!({"name": "a", "password": "x", "nested": [{"Token_Digest": "y", "ok": 1}]});
        assert_eq!(redact(v), serde_json::json!({"name": "a", "nested": [{"ok": 1}]}));
    }

    #[test]
    fn a_changed_field_changes_the_hash() {
        let new = NewAuditEntry {
            organisation_id: None,
            actor: None,
            action: AuditAction::LoginFailed,
            target: AuditTarget::unnamed("user"),
            occurred_at: OffsetDateTime::UNIX_EPOCH,
            ip: None,
            before: None,
            after: Some(serde_json::json!({"reason": "invalid_credentials"})),
        };
        let entry = new.seal(Uuid::nil(), 1, GENESIS_HASH);
        assert_eq!(entry.hash, entry.computed_hash());
        let mut changed = entry.clone();
        changed.after = Some("{}".into());
        assert_ne!(changed.computed_hash(), entry.hash);
        assert!(AuditAction::ALL.iter().all(|a| AuditAction::parse(a.code()) == Some(*a)));
    }
}
