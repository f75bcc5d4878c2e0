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

/// A notification in the caller's inbox.
#[derive(ToSchema)]
#[allow(dead_code, reason = "documents the JSON the handler builds")]
pub(crate) struct NotificationDoc {
    id: String,
    /// `payable_due_soon`, `receivable_overdue`, `low_balance`, `consent_expiring`,
    /// `suggestions_waiting`, ...
    kind: String,
    title: String,
    body: String,
    /// What the notification is about (ids, amounts as decimal strings), by kind.
    data: serde_json::Value,
    /// RFC 3339.
    created_at: String,
    read: bool,
    /// RFC 3339, when read.
    read_at: Option<String>,
}

/// How many notifications were marked read.
#[derive(ToSchema)]
#[allow(dead_code, reason = "documents the JSON the handler builds")]
pub(crate) struct MarkedRead {
    marked_read: u64,
}

/// One choice: a kind on a channel.
#[derive(ToSchema)]
#[allow(dead_code, reason = "documents the JSON the handler builds")]
pub(crate) struct PreferenceDoc {
    /// The notification kind.
    kind: String,
    /// `in_app` or `email`.
    channel: String,
    enabled: bool,
}

/// The caller's preferences for every kind and channel.
#[derive(ToSchema)]
#[allow(dead_code, reason = "documents the JSON the handler builds")]
pub(crate) struct PreferencesDoc {
    /// Whether this server sends email (SMTP configured); without it, email choices are kept but
    /// nothing is sent.
    email_configured: bool,
    items: Vec<PreferenceDoc>,
}

/// The organisation's alert settings.
#[derive(ToSchema)]
#[allow(dead_code, reason = "documents the JSON the handler builds")]
pub(crate) struct AlertSettingsDoc {
    /// Payables due within this many days raise an alert (0 to 90).
    payable_days: u16,
    /// The projected balance under which the low-balance alert is raised, in minor units (cents).
    balance_threshold_minor: i64,
}

/// A webhook endpoint.
#[derive(ToSchema)]
#[allow(dead_code, reason = "documents the JSON the handler builds")]
pub(crate) struct EndpointDoc {
    id: String,
    url: String,
    /// The kinds it receives (empty: all).
    kinds: Vec<String>,
    /// RFC 3339.
    created_at: String,
}

/// A new webhook endpoint, with its signing secret (shown this once).
#[derive(ToSchema)]
#[allow(dead_code, reason = "documents the JSON the handler builds")]
pub(crate) struct CreatedEndpointDoc {
    id: String,
    url: String,
    kinds: Vec<String>,
    created_at: String,
    /// The HMAC-SHA256 signing secret; never shown again.
    secret: String,
}

/// One delivery of a notification to a webhook endpoint.
#[derive(ToSchema)]
#[allow(dead_code, reason = "documents the JSON the handler builds")]
pub(crate) struct DeliveryDoc {
    id: String,
    notification_id: String,
    /// `pending`, `delivered` or `failed`.
    status: String,
    attempts: i64,
    last_error: Option<String>,
    /// The receiver's HTTP status, when it answered.
    response_status: Option<i64>,
    created_at: String,
    updated_at: String,
}

/// The lowest projected balance of a currency.
#[derive(ToSchema)]
#[allow(dead_code, reason = "documents the JSON the handler builds")]
pub(crate) struct LowestDoc {
    balance: Money,
    /// ISO 8601 date.
    date: String,
}

/// One projected day of a currency.
#[derive(ToSchema)]
#[allow(dead_code, reason = "documents the JSON the handler builds")]
pub(crate) struct ForecastDayDoc {
    /// ISO 8601 date.
    date: String,
    /// The projected balance at the end of the day.
    balance: Money,
    /// The band's low and high ends.
    low: Money,
    high: Money,
    /// The day's net movement.
    net: Money,
    /// What moves that day: `{"type": "invoice", "id"}`, `{"type": "series", "id"}`,
    /// `{"type": "vat", "period"}` or `{"type": "one_off", "label"}`.
    items: Vec<serde_json::Value>,
}

/// The forecast of one currency.
#[derive(ToSchema)]
#[allow(dead_code, reason = "documents the JSON the handler builds")]
pub(crate) struct ForecastCurrencyDoc {
    currency: String,
    /// Today's balance.
    start: Money,
    lowest: LowestDoc,
    /// Days until the balance runs out at the current burn rate; null when it does not.
    runway_days: Option<i64>,
    burn_rate: Money,
    break_even_inflow: Money,
    days: Vec<ForecastDayDoc>,
}

/// The cash forecast: the balance per currency, day by day, with its band and what moves it.
#[derive(ToSchema)]
#[allow(dead_code, reason = "documents the JSON the handler builds")]
pub(crate) struct ForecastDoc {
    /// The organisation's today (ISO 8601 date) and time zone.
    today: String,
    time_zone: String,
    /// RFC 3339.
    generated_at: String,
    /// How many days ahead.
    days: u32,
    /// Receivables left out as doubtful (long overdue).
    doubtful_receivables: u64,
    currencies: Vec<ForecastCurrencyDoc>,
}

/// A scenario: the base forecast and the forecast with the adjustments.
#[derive(ToSchema)]
#[allow(dead_code, reason = "documents the JSON the handler builds")]
pub(crate) struct ScenarioDoc {
    base: ForecastDoc,
    adjusted: ForecastDoc,
}

/// The backtest's figures at one horizon.
#[derive(ToSchema)]
#[allow(dead_code, reason = "documents the JSON the handler builds")]
pub(crate) struct HorizonDoc {
    /// The horizon in days (7, 30, 60, 90).
    days: u32,
    samples: u64,
    /// Mean absolute percentage error, a decimal string; null without samples.
    mape_percent: Option<String>,
    mean_absolute_error: Money,
    /// How often the actual balance fell inside the band, and as a percentage.
    inside_band: u64,
    inside_band_percent: Option<String>,
}

/// The backtest of one currency.
#[derive(ToSchema)]
#[allow(dead_code, reason = "documents the JSON the handler builds")]
pub(crate) struct AccuracyCurrencyDoc {
    currency: String,
    horizons: Vec<HorizonDoc>,
}

/// How wrong the forecast was on the organisation's history.
#[derive(ToSchema)]
#[allow(dead_code, reason = "documents the JSON the handler builds")]
pub(crate) struct AccuracyDoc {
    today: String,
    /// How many past days were forecast from, and the first and last (ISO 8601 dates).
    origins: u64,
    from: Option<String>,
    to: Option<String>,
    currencies: Vec<AccuracyCurrencyDoc>,
}

/// A recurring bank flow (rent, salaries, a subscription).
#[derive(ToSchema)]
#[allow(dead_code, reason = "documents the JSON the handler builds")]
pub(crate) struct SeriesDoc {
    id: String,
    counterparty_name: String,
    currency: String,
    /// `weekly`, `monthly`, `quarterly`, ...
    recurrence: String,
    /// The typical amount (negative: money out) and how much it varies.
    amount: Money,
    spread: Money,
    occurrences: u32,
    /// ISO 8601 dates.
    first_date: String,
    last_date: String,
    next_date: String,
    /// `detected`, `confirmed` or `dismissed`.
    status: String,
    /// RFC 3339, once confirmed or dismissed.
    decided_at: Option<String>,
    /// The next dates in the forecast's window (in the list only).
    #[schema(required = false)]
    next_dates: Vec<String>,
}

/// The recurring flows detected.
#[derive(ToSchema)]
#[allow(dead_code, reason = "documents the JSON the handler builds")]
pub(crate) struct RecurringDoc {
    /// When detection last ran (ISO 8601 date).
    detected_on: Option<String>,
    series: Vec<SeriesDoc>,
}
