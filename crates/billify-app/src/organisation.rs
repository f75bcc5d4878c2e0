//! The organisation as a whole: its audit trail, its data export and its deletion.
//!
//! **Export.** Every table of the organisation as JSON (an array of objects) and CSV (RFC 4180,
//! a header row), built in memory under a size cap ([`DEFAULT_MAX_EXPORT_BYTES`] of uncompressed
//! text): an organisation too big to export whole gets [`OrganisationError::ExportTooLarge`]
//! rather than an unbounded response. Never exported: password hashes, session and invitation
//! token digests, sealed integration tokens and consent verifiers (only integration status).
//!
//! **Deletion.** One store transaction removes every row of the organisation and, inside it, the
//! document files; the deletion is recorded in the global audit chain (the organisation's own
//! chain goes with it), with the deleted chain's last hash.

use std::sync::Arc;

use billify_domain::{Invoice, Money, OrganisationId, Permission};
use serde_json::{Map, Value, json};
use time::OffsetDateTime;

use super::Actor;
use super::audit::entry;
use billify_ports::audit::{AuditAction, AuditEntry, AuditLog, AuditQuery, AuditTarget, AuditTrail, NewAuditEntry};
use billify_ports::bank::{BankRepository, BankTransactionQuery};
use billify_ports::documents::DocumentStore;
use billify_ports::integrations::IntegrationRepository;
use billify_ports::organisation_data::{DeletedOrganisation, OrganisationDataRepository};
use billify_ports::{AccountRepository, Clock, InvoiceQuery, InvoiceRepository, RepositoryError};

/// The default cap on an export's uncompressed size: 64 MiB.
pub const DEFAULT_MAX_EXPORT_BYTES: usize = 64 * 1024 * 1024;

/// Why an organisation use case failed.
#[derive(Debug, thiserror::Error)]
pub enum OrganisationError {
    /// The role does not allow this.
    #[error("your role does not allow this")]
    Forbidden,
    /// The organisation does not exist (any more).
    #[error("organisation not found")]
    NotFound,
    /// A field is invalid; the message is for the user.
    #[error("{field}: {message}")]
    Invalid {
        /// The request field.
        field: &'static str,
        /// What is wrong.
        message: String,
    },
    /// The export would exceed the size cap.
    #[error("the organisation's data exceeds the export limit of {limit} bytes")]
    ExportTooLarge {
        /// The cap, in bytes.
        limit: usize,
    },
    /// Storage failed.
    #[error(transparent)]
    Repository(#[from] RepositoryError),
}

/// One file of an export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportFile {
    /// The file name, e.g. `invoices.csv`.
    pub name: String,
    /// Its content.
    pub bytes: Vec<u8>,
}

/// The ports the service reads and deletes through.
pub struct OrganisationPorts {
    /// Organisations and members.
    pub accounts: Arc<dyn AccountRepository>,
    /// Invoices and events.
    pub invoices: Arc<dyn InvoiceRepository>,
    /// Bank data.
    pub bank: Arc<dyn BankRepository>,
    /// Integrations and sync runs.
    pub integrations: Arc<dyn IntegrationRepository>,
    /// Drafts, documents and deletion.
    pub data: Arc<dyn OrganisationDataRepository>,
    /// The audit log.
    pub audit: Arc<dyn AuditLog>,
    /// The document files.
    pub documents: Arc<dyn DocumentStore>,
    /// The clock.
    pub clock: Arc<dyn Clock>,
}

/// The organisation's audit trail, export and deletion.
pub struct OrganisationService {
    ports: OrganisationPorts,
    trail: AuditTrail,
    max_export_bytes: usize,
}

fn require(actor: &Actor, permission: Permission) -> Result<(), OrganisationError> {
    if actor.role.can(permission) { Ok(()) } else { Err(OrganisationError::Forbidden) }
}

impl OrganisationService {
    /// Wires the service.
    pub fn new(ports: OrganisationPorts) -> Self {
        let trail = AuditTrail::new(ports.audit.clone());
        OrganisationService { ports, trail, max_export_bytes: DEFAULT_MAX_EXPORT_BYTES }
    }

    /// Caps exports at `bytes` of uncompressed text.
    pub fn with_max_export_bytes(mut self, bytes: usize) -> Self {
        self.max_export_bytes = bytes;
        self
    }

    /// A page of the organisation's audit trail, newest first; owners and admins.
    pub fn audit_entries(&self, actor: &Actor, query: &AuditQuery) -> Result<Vec<AuditEntry>, OrganisationError> {
        require(actor, Permission::ReadAudit)?;
        Ok(self.ports.audit.audit_entries(actor.organisation_id, query)?)
    }

    /// Everything of the organisation as JSON and CSV files; recorded in the audit trail before
    /// it is read (so the export contains its own entry), and refused when that fails.
    pub fn export(&self, actor: &Actor) -> Result<Vec<ExportFile>, OrganisationError> {
        require(actor, Permission::ExportData)?;
        let org = actor.organisation_id;
        let organisation = self.ports.accounts.organisation(org)?.ok_or(OrganisationError::NotFound)?;
        let target = AuditTarget::new("organisation", org);
        // An export changes nothing: its entry is the only write, appended on its own.
        self.trail.record_strictly(entry(
            actor,
            AuditAction::DataExported,
            target,
            self.ports.clock.now(),
            None,
            None,
        ))?;

        let mut export = Export { files: Vec::new(), bytes: 0, limit: self.max_export_bytes };
        export.table(
            "organisation",
            &["id", "name", "vat_number", "created_at"],
            vec![vec![
                Some(organisation.id.to_string()),
                Some(organisation.name.to_string()),
                organisation.vat_number.as_ref().map(|v| v.as_str().to_owned()),
                Some(ts(organisation.created_at)),
            ]],
        )?;
        let members = self.ports.accounts.members(org)?;
        export.table(
            "members",
            &["user_id", "email", "name", "role", "member_since"],
            members
                .iter()
                .map(|m| {
                    vec![
                        Some(m.user.id.to_string()),
                        Some(m.user.email.to_string()),
                        Some(m.user.name.as_str().to_owned()),
                        Some(m.membership.role.code().to_owned()),
                        Some(ts(m.membership.created_at)),
                    ]
                })
                .collect(),
        )?;
        self.export_invoices(org, &mut export)?;
        self.export_documents(org, &mut export)?;
        self.export_bank(org, &mut export)?;
        self.export_integrations(org, &mut export)?;
        self.export_audit(org, &mut export)?;
        log::info!("user {} exported organisation {org} ({} bytes)", actor.user_id, export.bytes);
        Ok(export.files)
    }

    fn export_invoices(&self, org: OrganisationId, export: &mut Export) -> Result<(), OrganisationError> {
        let mut query =
            InvoiceQuery::all(crate::calendar::today_of(self.ports.accounts.as_ref(), self.ports.clock.as_ref(), org)?);
        query.limit = InvoiceQuery::MAX_LIMIT;
        let (mut invoices, mut events) = (Vec::new(), Vec::new());
        loop {
            let page = self.ports.invoices.list(org, &query)?;
            for invoice in &page.items {
                invoices.push(invoice_row(invoice));
                for e in self.ports.invoices.events(org, invoice.id())? {
                    events.push(vec![
                        Some(e.invoice_id.to_string()),
                        Some(e.code),
                        Some(e.details),
                        Some(ts(e.occurred_at)),
                    ]);
                }
            }
            export.check(invoices.len() * 256 + events.len() * 128)?;
            match page.next {
                Some(next) => query.after = Some(next),
                None => break,
            }
        }
        export.table("invoices", &INVOICE_COLUMNS, invoices)?;
        export.table("invoice_events", &["invoice_id", "code", "details", "occurred_at"], events)
    }

    fn export_documents(&self, org: OrganisationId, export: &mut Export) -> Result<(), OrganisationError> {
        let drafts = self.ports.data.all_drafts(org)?;
        let rows = drafts
            .iter()
            .map(|d| {
                let f = &d.fields;
                vec![
                    Some(d.id.0.to_string()),
                    Some(d.created_by.to_string()),
                    Some(d.digest.as_str().to_owned()),
                    d.invoice_id.map(|i| i.to_string()),
                    f.direction.clone(),
                    f.kind.clone(),
                    f.invoice_number.clone(),
                    f.counterparty_name.clone(),
                    f.counterparty_vat_number.clone(),
                    f.counterparty_iban.clone(),
                    f.issue_date.clone(),
                    f.due_date.clone(),
                    f.currency.clone(),
                    f.total.clone(),
                    Some(d.extraction.clone()),
                    Some(ts(d.created_at)),
                    Some(ts(d.expires_at)),
                    Some(d.version.to_string()),
                ]
            })
            .collect();
        export.table(
            "drafts",
            &[
                "id",
                "created_by",
                "document_digest",
                "invoice_id",
                "direction",
                "kind",
                "invoice_number",
                "counterparty_name",
                "counterparty_vat_number",
                "counterparty_iban",
                "issue_date",
                "due_date",
                "currency",
                "total",
                "extraction",
                "created_at",
                "expires_at",
                "version",
            ],
            rows,
        )?;
        let documents = self.ports.data.all_documents(org)?;
        export.table(
            "documents",
            &["digest", "file_name", "media_type", "size", "created_at"],
            documents
                .iter()
                .map(|d| {
                    vec![
                        Some(d.digest.as_str().to_owned()),
                        Some(d.file_name.clone()),
                        Some(d.media_type.clone()),
                        Some(d.size.to_string()),
                        Some(ts(d.created_at)),
                    ]
                })
                .collect(),
        )
    }

    fn export_bank(&self, org: OrganisationId, export: &mut Export) -> Result<(), OrganisationError> {
        let accounts = self.ports.bank.bank_accounts(org)?;
        let mut rows = Vec::new();
        for a in &accounts {
            let acc = &a.account;
            rows.push(vec![
                Some(a.id.to_string()),
                Some(a.source.code().to_owned()),
                acc.iban().map(ToString::to_string),
                Some(acc.currency().to_string()),
                Some(amount(acc.current_balance())),
                acc.available_balance().map(amount),
                acc.holder_name().map(str::to_owned),
                acc.institution_name().map(str::to_owned),
                Some(ts(a.updated_at)),
            ]);
        }
        export.table(
            "bank_accounts",
            &[
                "id",
                "source",
                "iban",
                "currency",
                "current_balance",
                "available_balance",
                "holder_name",
                "institution_name",
                "updated_at",
            ],
            rows,
        )?;
        let mut query =
            BankTransactionQuery { account_id: None, from: None, to: None, after: None, limit: 200, text: None };
        let mut rows = Vec::new();
        loop {
            let page = self.ports.bank.bank_transactions(org, &query)?;
            for t in &page.items {
                let tx = &t.transaction;
                rows.push(vec![
                    Some(t.id.to_string()),
                    Some(t.account_id.to_string()),
                    Some(tx.execution_date().to_string()),
                    tx.value_date().map(|d| d.to_string()),
                    Some(amount(tx.amount())),
                    Some(tx.amount().currency().to_string()),
                    tx.counterparty_name().map(str::to_owned),
                    tx.counterparty_iban().map(ToString::to_string),
                    tx.remittance_information().map(str::to_owned),
                    tx.description().map(str::to_owned),
                ]);
            }
            export.check(rows.len() * 256)?;
            match page.next {
                Some(next) if !page.items.is_empty() => query.after = Some(next),
                _ => break,
            }
        }
        export.table(
            "bank_transactions",
            &[
                "id",
                "account_id",
                "execution_date",
                "value_date",
                "amount",
                "currency",
                "counterparty_name",
                "counterparty_iban",
                "remittance_information",
                "description",
            ],
            rows,
        )
    }

    fn export_integrations(&self, org: OrganisationId, export: &mut Export) -> Result<(), OrganisationError> {
        let integrations = self.ports.integrations.integrations(org)?;
        let mut runs = Vec::new();
        let rows = integrations
            .iter()
            .map(|i| {
                vec![
                    Some(i.id.to_string()),
                    Some(i.provider.code().to_owned()),
                    Some(i.status.code().to_owned()),
                    i.consent_expires_at.map(ts),
                    i.connected_by.map(|u| u.to_string()),
                    i.last_success_at.map(ts),
                    i.last_error.clone(),
                    Some(i.consecutive_failures.to_string()),
                    Some(ts(i.created_at)),
                    Some(ts(i.updated_at)),
                ]
            })
            .collect();
        for i in &integrations {
            for r in self.ports.integrations.sync_runs(org, i.id, 1000)? {
                runs.push(vec![
                    Some(r.id.to_string()),
                    Some(r.integration_id.to_string()),
                    Some(ts(r.started_at)),
                    r.finished_at.map(ts),
                    Some(r.outcome.code().to_owned()),
                    Some(r.new_accounts.to_string()),
                    Some(r.changed_accounts.to_string()),
                    Some(r.new_transactions.to_string()),
                    Some(r.changed_transactions.to_string()),
                    r.error,
                ]);
            }
        }
        export.table(
            "integrations",
            &[
                "id",
                "provider",
                "status",
                "consent_expires_at",
                "connected_by",
                "last_success_at",
                "last_error",
                "consecutive_failures",
                "created_at",
                "updated_at",
            ],
            rows,
        )?;
        export.table(
            "sync_runs",
            &[
                "id",
                "integration_id",
                "started_at",
                "finished_at",
                "outcome",
                "new_accounts",
                "changed_accounts",
                "new_transactions",
                "changed_transactions",
                "error",
            ],
            runs,
        )
    }

    fn export_audit(&self, org: OrganisationId, export: &mut Export) -> Result<(), OrganisationError> {
        let mut rows = Vec::new();
        let mut after = 0;
        loop {
            let page = self.ports.audit.audit_chain_entries(*org.as_uuid(), after, 500)?;
            let Some(last) = page.last() else { break };
            after = last.seq;
            for e in page {
                rows.push(vec![
                    Some(e.seq.to_string()),
                    Some(e.id.to_string()),
                    e.actor.map(|u| u.to_string()),
                    Some(e.action),
                    Some(e.target_kind),
                    e.target_id,
                    Some(ts(e.occurred_at)),
                    e.ip,
                    e.before,
                    e.after,
                    Some(e.prev_hash),
                    Some(e.hash),
                ]);
            }
            export.check(rows.len() * 256)?;
        }
        export.table(
            "audit_log",
            &[
                "seq",
                "id",
                "actor_user_id",
                "action",
                "target_kind",
                "target_id",
                "occurred_at",
                "ip",
                "before",
                "after",
                "prev_hash",
                "hash",
            ],
            rows,
        )
    }

    /// Deletes the organisation and everything it holds; owners only, and only when `confirm`
    /// is the organisation's exact name. The deletion is recorded in the global audit chain, in
    /// the same transaction.
    pub fn delete(&self, actor: &Actor, confirm: &str) -> Result<DeletedOrganisation, OrganisationError> {
        require(actor, Permission::DeleteOrganisation)?;
        let org = actor.organisation_id;
        let organisation = self.ports.accounts.organisation(org)?.ok_or(OrganisationError::NotFound)?;
        if confirm != organisation.name.to_string() {
            return Err(OrganisationError::Invalid {
                field: "confirm",
                message: "type the organisation's name exactly to confirm its deletion".into(),
            });
        }
        let members = self.ports.accounts.members(org)?.len();
        let tombstone = NewAuditEntry {
            organisation_id: None,
            actor: Some(actor.user_id),
            action: AuditAction::OrganisationDeleted,
            target: AuditTarget::new("organisation", org),
            occurred_at: self.ports.clock.now(),
            ip: actor.ip,
            before: None,
            after: Some(json!({ "members": members })),
        };
        let documents = self.ports.documents.clone();
        let remove = move |digests: &[billify_ports::documents::DocumentDigest]| {
            digests.iter().try_for_each(|d| documents.delete(org, d))
        };
        let deleted = match self.ports.data.delete_organisation(org, &tombstone, &remove) {
            Err(RepositoryError::NotFound) => return Err(OrganisationError::NotFound),
            other => other?,
        };
        crate::calendar::forget_calendar(org);
        log::warn!(
            "user {} deleted organisation {org}: {} members, {} invoices, {} documents",
            actor.user_id,
            deleted.members,
            deleted.invoices,
            deleted.documents
        );
        Ok(deleted)
    }
}

const INVOICE_COLUMNS: [&str; 24] = [
    "id",
    "direction",
    "kind",
    "corrects_invoice_id",
    "invoice_number",
    "counterparty_name",
    "counterparty_vat_number",
    "counterparty_iban",
    "counterparty_bic",
    "issue_date",
    "due_date",
    "currency",
    "subtotal",
    "vat_amount",
    "total",
    "amount_paid",
    "status",
    "manual_urgency",
    "payment_reference",
    "source",
    "external_reference",
    "version",
    "created_at",
    "updated_at",
];

fn invoice_row(i: &Invoice) -> Vec<Option<String>> {
    let c = i.counterparty();
    vec![
        Some(i.id().to_string()),
        Some(i.direction().code().to_owned()),
        Some(i.kind().code().to_owned()),
        i.corrects().map(|c| c.to_string()),
        Some(i.invoice_number().as_str().to_owned()),
        Some(c.name().to_owned()),
        c.vat_number().map(|v| v.as_str().to_owned()),
        c.iban().map(ToString::to_string),
        c.bic().map(|b| b.as_str().to_owned()),
        Some(i.issue_date().to_string()),
        Some(i.due_date().to_string()),
        Some(i.currency().to_string()),
        i.subtotal().map(amount),
        i.vat_amount().map(amount),
        Some(amount(i.total())),
        Some(amount(i.amount_paid())),
        Some(i.status().code().to_owned()),
        i.manual_urgency().map(|u| u.code().to_owned()),
        i.payment_reference().map(ToString::to_string),
        Some(i.source().code().to_owned()),
        i.external_reference().map(str::to_owned),
        Some(i.version().to_string()),
        Some(ts(i.created_at())),
        Some(ts(i.updated_at())),
    ]
}

/// The amount as decimal text without the currency (it has its own column).
fn amount(m: &Money) -> String {
    m.amount().to_string()
}

/// RFC 3339 in UTC with microseconds.
fn ts(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.microsecond()
    )
}

/// The files built so far and their size against the cap.
struct Export {
    files: Vec<ExportFile>,
    bytes: usize,
    limit: usize,
}

impl Export {
    /// Refuses early when `more` bytes (an estimate) would pass the cap.
    fn check(&self, more: usize) -> Result<(), OrganisationError> {
        if self.bytes.saturating_add(more) > self.limit {
            Err(OrganisationError::ExportTooLarge { limit: self.limit })
        } else {
            Ok(())
        }
    }

    /// Adds `name.json` and `name.csv`.
    fn table(&mut self, name: &str, columns: &[&str], rows: Vec<Vec<Option<String>>>) -> Result<(), OrganisationError> {
        let mut csv = String::new();
        csv.push_str(&columns.iter().map(|c| csv_field(c)).collect::<Vec<_>>().join(","));
        csv.push_str("\r\n");
        let mut json = Vec::with_capacity(rows.len());
        for row in rows {
            csv.push_str(
                &row.iter().map(|v| v.as_deref().map(csv_field).unwrap_or_default()).collect::<Vec<_>>().join(","),
            );
            csv.push_str("\r\n");
            let object: Map<String, Value> =
                columns.iter().zip(row).map(|(c, v)| ((*c).to_owned(), v.map_or(Value::Null, Value::String))).collect();
            json.push(Value::Object(object));
        }
        let json = serde_json::to_vec_pretty(&Value::Array(json)).unwrap_or_default();
        self.check(json.len() + csv.len())?;
        self.bytes += json.len() + csv.len();
        self.files.push(ExportFile { name: format!("{name}.json"), bytes: json });
        self.files.push(ExportFile { name: format!("{name}.csv"), bytes: csv.into_bytes() });
        Ok(())
    }
}

/// One CSV field (RFC 4180): quoted when it holds a comma, quote or line break. A text that a
/// spreadsheet would run as a formula (`=`, `+`, `-`, `@` first, not a number) gets a leading
/// `'` so opening the export cannot run anything.
fn csv_field(text: &str) -> String {
    let formula = text.starts_with(['=', '+', '-', '@']) && text.parse::<f64>().is_err();
    let text = if formula { format!("'{text}") } else { text.to_owned() };
    if text.contains([',', '"', '\r', '\n']) { format!("\"{}\"", text.replace('"', "\"\"")) } else { text }
}

#[cfg(test)]
mod tests {
    use super::csv_field;

    #[test]
    fn csv_fields_are_quoted_and_formulas_neutralised() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("-12.50"), "-12.50");
        assert_eq!(csv_field("=HYPERLINK(1)"), "'=HYPERLINK(1)");
    }
}
