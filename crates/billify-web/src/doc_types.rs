//! Schemas of answers that handlers build as JSON in place (wrappers such as `{items}`), and
//! `Money`, for the OpenAPI document (`openapi`). They describe the wire format only; the test
//! `crates/billify/tests/openapi.rs` checks real answers against them.

use std::borrow::Cow;

use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{ObjectBuilder, Schema, SchemaFormat, Type};
use utoipa::{PartialSchema, ToSchema};

/// A list answer: every item at once (the list is small by nature).
#[derive(ToSchema)]
#[allow(dead_code, reason = "documents the JSON the handler builds")]
pub(crate) struct Items<T> {
    /// The items.
    items: Vec<T>,
}

/// One page of a cursor-paginated list. Ask for the next page with `cursor=<next_cursor>` (and
/// the same filters); `next_cursor` is absent or `null` on the last page. Cursors are opaque and
/// stable under inserts: a page never repeats or skips an item that existed when it was read.
#[derive(ToSchema)]
#[allow(dead_code, reason = "documents the JSON the handler builds")]
pub(crate) struct Page<T> {
    /// The items of this page, in the list's order.
    items: Vec<T>,
    /// The cursor of the next page, if any.
    next_cursor: Option<String>,
}

/// Background work was asked for.
#[derive(ToSchema)]
#[allow(dead_code, reason = "documents the JSON the handler builds")]
pub(crate) struct Queued {
    /// Whether a job was queued (`false`: one was already queued or running).
    queued: bool,
}

/// The matches a decision made.
#[derive(ToSchema)]
#[allow(dead_code, reason = "documents the JSON the handler builds")]
pub(crate) struct Matches<T> {
    /// The matches.
    matches: Vec<T>,
}

/// A rejected suggestion.
#[derive(ToSchema)]
#[allow(dead_code, reason = "documents the JSON the handler builds")]
pub(crate) struct Decision {
    /// The suggestion's id.
    id: String,
    /// Its status (`rejected`).
    status: String,
    /// When it was decided (RFC 3339).
    decided_at: Option<String>,
}

/// The consent step of linking a bank.
#[derive(ToSchema)]
#[allow(dead_code, reason = "documents the JSON the handler builds")]
pub(crate) struct Connect<T> {
    /// The integration, `pending` until the callback.
    integration: T,
    /// Where to send the user to give consent.
    consent_url: String,
}

/// An audit entry: who did what to which target, chained by hash.
#[derive(ToSchema)]
#[allow(dead_code, reason = "documents the JSON the handler builds")]
pub(crate) struct AuditEntryDoc {
    id: String,
    seq: i64,
    action: String,
    actor_user_id: Option<String>,
    /// `{"kind": ..., "id": ...}`.
    target: serde_json::Value,
    occurred_at: String,
    ip: Option<String>,
    /// The state before the change, secrets never included.
    before: Option<serde_json::Value>,
    /// The state after the change, secrets never included.
    after: Option<serde_json::Value>,
    prev_hash: String,
    hash: String,
}

/// A reconciliation suggestion: a bank transaction (with `unmatched_amount`) and its candidate
/// invoices, each with its score and the fields that matched.
#[derive(ToSchema)]
#[allow(dead_code, reason = "documents the JSON the handler builds")]
pub(crate) struct SuggestionDoc {
    id: String,
    status: String,
    rule: String,
    reason: String,
    created_at: String,
    /// The bank transaction, as in GET /bank/transactions, plus `unmatched_amount` (Money).
    transaction: serde_json::Value,
    /// The candidate invoices: `invoice_id`, `invoice_number`, `direction`, `counterparty_name`,
    /// `due_date`, `total`, `open_amount` (Money), `status`, `score`, `matched_fields`.
    candidates: Vec<serde_json::Value>,
}

/// An exact amount: a decimal string in the currency's minor units (`"382.06"`), never a JSON
/// number, since numbers become floats.
pub(crate) struct Money;

impl PartialSchema for Money {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::Custom("decimal".into())))
            .pattern(Some(r"^-?[0-9]+(\.[0-9]+)?$"))
            .description(Some(
                "An exact amount as a decimal string, e.g. \"382.06\"; never a JSON number (numbers become floats).",
            ))
            .examples(["382.06"])
            .into()
    }
}

impl ToSchema for Money {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("Money")
    }
}
