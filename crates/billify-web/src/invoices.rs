//! The invoice resource: DTOs, validation into domain values, and handlers.
//!
//! **Why this file is long:** the requests, their validation, the views, the cursors and the eight
//! handlers with their OpenAPI attributes describe one resource and change together.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use base64::Engine as _;
use billify_app::input::{CounterpartyText, InvoiceChanges, InvoiceInput, parse_date, parse_invoice};
use billify_domain::{
    Direction, Invoice, InvoiceId, InvoiceSource, InvoiceStatus, Money, NewInvoice, PaymentReference, UrgencyLevel,
};
use billify_ports::{Cursor, CursorKey, InvoiceQuery, InvoiceSort, SortField};
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize};
use time::Date;

use crate::auth::Authenticated;
use crate::extract::{JsonBody, parse_query};
use crate::problem::{ApiError, FieldError};
use crate::{AppState, blocking, timestamp};

// ---------------------------------------------------------------------------------------------
// Reading request values

/// A decimal amount sent as a JSON string; JSON numbers are refused, since they become floats.
#[derive(Debug, Clone)]
pub(crate) struct DecimalText(String);

impl DecimalText {
    /// The text as sent.
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for DecimalText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = DecimalText;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a decimal amount as a string, e.g. \"382.06\"")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<DecimalText, E> {
                Ok(DecimalText(v.to_owned()))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<DecimalText, E> {
                Err(E::custom("amounts are decimal strings such as \"382.06\", never JSON numbers"))
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<DecimalText, E> {
                Err(E::custom("amounts are decimal strings such as \"382.06\", never JSON numbers"))
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<DecimalText, E> {
                Err(E::custom("amounts are decimal strings such as \"382.06\", never JSON numbers"))
            }
        }
        d.deserialize_any(V)
    }
}

// The document shows request amounts as `Money`, the schema of decimal strings.
impl utoipa::PartialSchema for DecimalText {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        <crate::doc_types::Money as utoipa::PartialSchema>::schema()
    }
}

impl utoipa::ToSchema for DecimalText {
    fn name() -> std::borrow::Cow<'static, str> {
        std::borrow::Cow::Borrowed("Money")
    }
}

/// Distinguishes an absent field (`None`) from an explicit `null` (`Some(None)`).
/// A field that may be left out (kept as it is) but not cleared: `null` is refused, naming it,
/// rather than read as "left out".
fn not_null<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<T>, D::Error> {
    match Option::<T>::deserialize(d)? {
        Some(value) => Ok(Some(value)),
        None => Err(serde::de::Error::custom("cannot be null: leave the field out to keep its value")),
    }
}

fn nullable<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// Collects field errors while converting a request into domain values.
#[derive(Default)]
struct Checker {
    errors: Vec<FieldError>,
}

impl Checker {
    fn check<T, E: std::fmt::Display>(&mut self, field: &str, result: Result<T, E>) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(e) => {
                self.errors.push(FieldError::new(field, e.to_string()));
                None
            }
        }
    }

    fn finish(self) -> Result<(), ApiError> {
        if self.errors.is_empty() { Ok(()) } else { Err(ApiError::Validation(self.errors)) }
    }
}

fn optional_text(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct CounterpartyBody {
    name: String,
    #[serde(default)]
    vat_number: Option<String>,
    #[serde(default)]
    iban: Option<String>,
    #[serde(default)]
    bic: Option<String>,
}

#[derive(Deserialize, utoipa::ToSchema)]
#[schema(as = InvoiceCreateBody)]
#[serde(deny_unknown_fields)]
pub(crate) struct CreateBody {
    direction: String,
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    corrects_invoice_id: Option<String>,
    invoice_number: String,
    counterparty: CounterpartyBody,
    issue_date: String,
    due_date: String,
    #[serde(default)]
    currency: Option<String>,
    #[serde(default)]
    subtotal: Option<DecimalText>,
    #[serde(default)]
    vat_amount: Option<DecimalText>,
    total: DecimalText,
    #[serde(default)]
    amount_paid: Option<DecimalText>,
    #[serde(default)]
    manual_urgency: Option<String>,
    #[serde(default)]
    payment_reference: Option<String>,
    #[serde(default)]
    source: Option<String>,
    #[serde(default)]
    external_reference: Option<String>,
}

impl CreateBody {
    /// Parses the body with the shared [`InvoiceInput`] rules, so creating an invoice and
    /// confirming a draft accept and refuse the same things.
    fn into_new_invoice(self) -> Result<NewInvoice, ApiError> {
        let mut errors = Vec::new();
        let source = match self.source.as_deref() {
            None | Some("manual") => InvoiceSource::Manual,
            Some("import") => InvoiceSource::Import,
            Some(_) => {
                errors.push(FieldError::new(
                    "source",
                    "an invoice created through this endpoint has source manual or import",
                ));
                InvoiceSource::Manual
            }
        };
        let corrects = match optional_text(self.corrects_invoice_id) {
            None => None,
            Some(id) => match id.parse::<InvoiceId>() {
                Ok(id) => Some(id),
                Err(_) => {
                    errors.push(FieldError::new("corrects_invoice_id", "not an invoice id"));
                    None
                }
            },
        };
        let input = InvoiceInput {
            direction: Some(self.direction),
            kind: self.kind,
            corrects_invoice_number: None,
            invoice_number: Some(self.invoice_number),
            counterparty_name: Some(self.counterparty.name),
            counterparty_vat_number: self.counterparty.vat_number,
            counterparty_iban: self.counterparty.iban,
            counterparty_bic: self.counterparty.bic,
            issue_date: Some(self.issue_date),
            due_date: Some(self.due_date),
            currency: self.currency,
            subtotal: self.subtotal.map(|d| d.0),
            vat_amount: self.vat_amount.map(|d| d.0),
            total: Some(self.total.0),
            amount_paid: self.amount_paid.map(|d| d.0),
            manual_urgency: self.manual_urgency,
            payment_reference: self.payment_reference,
            external_reference: self.external_reference,
        };
        let parsed = parse_invoice(&input, source, corrects);
        if let Err(problems) = &parsed {
            errors.extend(problems.iter().map(|p| FieldError::new(p.field.clone(), p.message.clone())));
        }
        match parsed {
            Ok(new) if errors.is_empty() => Ok(new),
            _ => Err(ApiError::Validation(errors)),
        }
    }
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct PatchBody {
    version: i64,
    #[serde(default, deserialize_with = "not_null")]
    invoice_number: Option<String>,
    #[serde(default, deserialize_with = "not_null")]
    counterparty: Option<CounterpartyBody>,
    #[serde(default, deserialize_with = "not_null")]
    issue_date: Option<String>,
    #[serde(default, deserialize_with = "not_null")]
    due_date: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    subtotal: Option<Option<DecimalText>>,
    #[serde(default, deserialize_with = "nullable")]
    vat_amount: Option<Option<DecimalText>>,
    #[serde(default, deserialize_with = "not_null")]
    total: Option<DecimalText>,
    #[serde(default, deserialize_with = "not_null")]
    amount_paid: Option<DecimalText>,
    #[serde(default, deserialize_with = "nullable")]
    manual_urgency: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    payment_reference: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    external_reference: Option<Option<String>>,
    #[serde(default, deserialize_with = "not_null")]
    status: Option<String>,
}

impl PatchBody {
    /// The version the change expects and the changes as text; the use case reads the amounts
    /// in the invoice's currency. `status` is refused: it follows from payments and the due date.
    fn into_changes(self) -> Result<(i64, InvoiceChanges), ApiError> {
        if self.status.is_some() {
            return Err(ApiError::field(
                "status",
                "status follows from payments and the due date; use POST .../payments or .../reopen",
            ));
        }
        let text = |d: DecimalText| d.0;
        let changes = InvoiceChanges {
            invoice_number: self.invoice_number,
            counterparty: self.counterparty.map(|c| CounterpartyText {
                name: c.name,
                vat_number: c.vat_number,
                iban: c.iban,
                bic: c.bic,
            }),
            issue_date: self.issue_date,
            due_date: self.due_date,
            subtotal: self.subtotal.map(|v| v.map(text)),
            vat_amount: self.vat_amount.map(|v| v.map(text)),
            total: self.total.map(text),
            amount_paid: self.amount_paid.map(text),
            manual_urgency: self.manual_urgency,
            payment_reference: self.payment_reference,
            external_reference: self.external_reference,
        };
        Ok((self.version, changes))
    }
}

// ---------------------------------------------------------------------------------------------
// Responses

#[derive(Serialize, utoipa::ToSchema)]
struct CounterpartyView {
    name: String,
    vat_number: Option<String>,
    iban: Option<String>,
    bic: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = InvoiceUrgencyView)]
struct UrgencyView {
    level: &'static str,
    display_name: &'static str,
    color: &'static str,
    is_manual: bool,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct InvoiceView {
    id: String,
    direction: &'static str,
    kind: &'static str,
    corrects_invoice_id: Option<String>,
    invoice_number: String,
    counterparty: CounterpartyView,
    issue_date: String,
    due_date: String,
    currency: String,
    subtotal: Option<String>,
    vat_amount: Option<String>,
    total: String,
    signed_total: String,
    amount_paid: String,
    open_amount: String,
    status: &'static str,
    urgency: Option<UrgencyView>,
    payment_reference: Option<String>,
    payment_reference_type: Option<&'static str>,
    source: &'static str,
    external_reference: Option<String>,
    version: i64,
    created_at: String,
    updated_at: String,
}

fn amount(m: &Money) -> String {
    m.to_plain_string()
}

impl InvoiceView {
    pub(crate) fn new(invoice: &Invoice, today: Date) -> Self {
        let cp = invoice.counterparty();
        InvoiceView {
            id: invoice.id().to_string(),
            direction: invoice.direction().code(),
            kind: invoice.kind().code(),
            corrects_invoice_id: invoice.corrects().map(|i| i.to_string()),
            invoice_number: invoice.invoice_number().to_string(),
            counterparty: CounterpartyView {
                name: cp.name().to_owned(),
                vat_number: cp.vat_number().map(ToString::to_string),
                iban: cp.iban().map(ToString::to_string),
                bic: cp.bic().map(ToString::to_string),
            },
            issue_date: invoice.issue_date().to_string(),
            due_date: invoice.due_date().to_string(),
            currency: invoice.currency().to_string(),
            subtotal: invoice.subtotal().map(amount),
            vat_amount: invoice.vat_amount().map(amount),
            total: amount(invoice.total()),
            signed_total: amount(&invoice.signed_total()),
            amount_paid: amount(invoice.amount_paid()),
            open_amount: amount(&invoice.open_amount()),
            status: invoice.status().code(),
            urgency: invoice.urgency(today).map(|u| UrgencyView {
                level: u.level.code(),
                display_name: u.level.display_name(),
                color: u.level.color(),
                is_manual: u.is_manual,
            }),
            payment_reference: invoice.payment_reference().map(PaymentReference::to_display_string),
            payment_reference_type: invoice.payment_reference().map(|r| match r {
                PaymentReference::Structured(_) => "structured",
                PaymentReference::Creditor(_) => "creditor",
                PaymentReference::Free(_) => "free",
            }),
            source: invoice.source().code(),
            external_reference: invoice.external_reference().map(str::to_owned),
            version: invoice.version(),
            created_at: timestamp(invoice.created_at()),
            updated_at: timestamp(invoice.updated_at()),
        }
    }
}

/// About the size of one invoice's JSON (780 to 900 bytes with a counterparty and a reference).
const INVOICE_JSON_BYTES: usize = 1024;

#[derive(Serialize, utoipa::ToSchema)]
struct ListView {
    items: Vec<InvoiceView>,
    next_cursor: Option<String>,
}

// ---------------------------------------------------------------------------------------------
// Cursors: opaque to clients, base64url of "field:dir:key:id".

pub(crate) fn encode_cursor(cursor: &Cursor) -> String {
    let key = match &cursor.key {
        CursorKey::Date(d) => d.to_string(),
        CursorKey::Minor(m) => m.to_string(),
        CursorKey::Timestamp(t) => (t.unix_timestamp_nanos() / 1_000).to_string(),
        CursorKey::Text(s) => s.clone(),
    };
    let raw = format!(
        "{}\u{1f}{}\u{1f}{}\u{1f}{}",
        cursor.sort.field.code(),
        if cursor.sort.descending { "d" } else { "a" },
        cursor.id,
        key
    );
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(raw)
}

fn decode_cursor(text: &str) -> Result<Cursor, ApiError> {
    let bad = || ApiError::field("cursor", "not a cursor returned by this API (next_cursor)");
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(text.trim()).map_err(|_| bad())?;
    let raw = String::from_utf8(raw).map_err(|_| bad())?;
    let mut parts = raw.splitn(4, '\u{1f}');
    let (Some(field), Some(dir), Some(id), Some(key)) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
        return Err(bad());
    };
    let field = SortField::parse(field).ok_or_else(bad)?;
    let descending = match dir {
        "a" => false,
        "d" => true,
        _ => return Err(bad()),
    };
    let id = id.parse::<InvoiceId>().map_err(|_| bad())?;
    let key = match field {
        SortField::DueDate | SortField::IssueDate => CursorKey::Date(parse_date(key).map_err(|_| bad())?),
        SortField::Total => CursorKey::Minor(key.parse().map_err(|_| bad())?),
        SortField::CreatedAt => {
            let micros: i128 = key.parse().map_err(|_| bad())?;
            CursorKey::Timestamp(time::OffsetDateTime::from_unix_timestamp_nanos(micros * 1_000).map_err(|_| bad())?)
        }
        SortField::InvoiceNumber => CursorKey::Text(key.to_owned()),
    };
    Ok(Cursor { sort: InvoiceSort { field, descending }, key, id })
}

// ---------------------------------------------------------------------------------------------
// Handlers

#[derive(Deserialize, Default, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct ListParams {
    status: Option<String>,
    direction: Option<String>,
    urgency: Option<String>,
    due_from: Option<String>,
    due_to: Option<String>,
    q: Option<String>,
    sort: Option<String>,
    cursor: Option<String>,
    limit: Option<String>,
}

pub(crate) fn list_query(params: ListParams, today: Date) -> Result<InvoiceQuery, ApiError> {
    let mut c = Checker::default();
    let mut query = InvoiceQuery::all(today);
    if let Some(statuses) = params.status {
        query.statuses = statuses
            .split(',')
            .filter(|s| !s.trim().is_empty())
            .filter_map(|s| c.check("status", s.trim().parse::<InvoiceStatus>()))
            .collect();
    }
    query.direction = params.direction.and_then(|d| c.check("direction", d.parse::<Direction>()));
    query.urgency = params.urgency.and_then(|u| c.check("urgency", u.parse::<UrgencyLevel>()));
    query.due_from = params.due_from.and_then(|d| c.check("due_from", parse_date(&d)));
    query.due_to = params.due_to.and_then(|d| c.check("due_to", parse_date(&d)));
    if let Some(q) = params.q {
        if q.chars().count() > 100 {
            c.errors.push(FieldError::new("q", "search text has at most 100 characters"));
        }
        query.text = optional_text(Some(q));
    }
    if let Some(sort) = params.sort {
        let (descending, name) = match sort.strip_prefix('-') {
            Some(name) => (true, name),
            None => (false, sort.as_str()),
        };
        match SortField::parse(name) {
            Some(field) => query.sort = InvoiceSort { field, descending },
            None => c.errors.push(FieldError::new(
                "sort",
                "sort is one of due_date, issue_date, total, created_at, invoice_number, optionally prefixed with -",
            )),
        }
    }
    if let Some(limit) = params.limit {
        match limit.parse::<u32>() {
            Ok(n) if (1..=InvoiceQuery::MAX_LIMIT).contains(&n) => query.limit = n,
            _ => c
                .errors
                .push(FieldError::new("limit", format!("limit is a number from 1 to {}", InvoiceQuery::MAX_LIMIT))),
        }
    }
    if let (Some(from), Some(to)) = (query.due_from, query.due_to)
        && from > to
    {
        c.errors.push(FieldError::new("due_from", "due_from is after due_to"));
    }
    c.finish()?;
    if let Some(cursor) = params.cursor {
        let cursor = decode_cursor(&cursor)?;
        if cursor.sort != query.sort {
            return Err(ApiError::field("cursor", "this cursor belongs to another sort order"));
        }
        query.after = Some(cursor);
    }
    Ok(query)
}

fn invoice_id(text: &str) -> Result<InvoiceId, ApiError> {
    // A malformed id cannot name an existing invoice: same answer as an unknown one.
    text.parse::<InvoiceId>().map_err(|_| ApiError::NotFound("invoice not found".into()))
}

#[utoipa::path(
    post,
    path = "/api/v1/invoices",
    operation_id = "invoices_create",
    tag = "invoices",
    summary = "Create an invoice.",
    request_body = CreateBody,
    responses(
        (status = 201, description = "Created.", body = InvoiceView),
        (status = 409, description = "/problems/duplicate-invoice"),
    )
)]
pub(crate) async fn create(
    state: web::Data<AppState>,
    auth: Authenticated,
    body: JsonBody<CreateBody>,
) -> Result<HttpResponse, ApiError> {
    let actor = auth.0.actor;
    let new = body.parse()?.into_new_invoice()?;
    let (invoice, today) = blocking(move || {
        let invoice = state.invoices.create(&actor, new)?;
        Ok((invoice, state.invoices.today(&actor)?))
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/invoices/{}", invoice.id())))
        .json(InvoiceView::new(&invoice, today)))
}

#[utoipa::path(
    get,
    path = "/api/v1/invoices/{id}",
    operation_id = "invoices_get",
    tag = "invoices",
    summary = "An invoice with its urgency and open amount.",
    responses(
        (status = 200, description = "The invoice.", body = InvoiceView),
    )
)]
pub(crate) async fn get(
    state: web::Data<AppState>,
    auth: Authenticated,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = invoice_id(&path)?;
    let actor = auth.0.actor;
    let (invoice, today) =
        blocking(move || Ok((state.invoices.get(&actor, id)?, state.invoices.today(&actor)?))).await?;
    Ok(HttpResponse::Ok().json(InvoiceView::new(&invoice, today)))
}

#[utoipa::path(
    get,
    path = "/api/v1/invoices",
    operation_id = "invoices_list",
    tag = "invoices",
    summary = "Invoices, filtered and sorted, by cursor pages.",
    params(ListParams),
    responses(
        (status = 200, description = "A page of invoices.", body = ListView),
    )
)]
pub(crate) async fn list(
    state: web::Data<AppState>,
    auth: Authenticated,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let params: ListParams = parse_query(req.query_string())?;
    let actor = auth.0.actor;
    let view = blocking(move || {
        let today = state.invoices.today(&actor)?;
        let query = list_query(params, today)?;
        let page = state.invoices.list(&actor, &query)?;
        let view = ListView {
            items: page.items.iter().map(|i| InvoiceView::new(i, today)).collect(),
            next_cursor: page.next.as_ref().map(encode_cursor),
        };
        crate::json_bytes(&view, INVOICE_JSON_BYTES * (view.items.len() + 1))
    })
    .await?;
    Ok(HttpResponse::Ok().content_type(header::ContentType::json()).body(view))
}

#[utoipa::path(
    patch,
    path = "/api/v1/invoices/{id}",
    operation_id = "invoices_update",
    tag = "invoices",
    summary = "Change an invoice (optimistic concurrency with `version`).",
    request_body = PatchBody,
    responses(
        (status = 200, description = "Changed.", body = InvoiceView),
        (status = 409, description = "/problems/stale-version /problems/duplicate-invoice /problems/conflict"),
    )
)]
pub(crate) async fn update(
    state: web::Data<AppState>,
    auth: Authenticated,
    path: web::Path<String>,
    body: JsonBody<PatchBody>,
) -> Result<HttpResponse, ApiError> {
    let id = invoice_id(&path)?;
    let actor = auth.0.actor;
    let (version, changes) = body.parse()?.into_changes()?;
    let (invoice, today) = blocking(move || {
        let invoice = state.invoices.update_fields(&actor, id, version, changes)?;
        Ok((invoice, state.invoices.today(&actor)?))
    })
    .await?;
    Ok(HttpResponse::Ok().json(InvoiceView::new(&invoice, today)))
}

#[derive(Deserialize, Default, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct DeleteParams {
    version: Option<String>,
}

#[utoipa::path(
    delete,
    path = "/api/v1/invoices/{id}",
    operation_id = "invoices_delete",
    tag = "invoices",
    summary = "Delete an invoice.",
    params(DeleteParams),
    responses(
        (status = 204, description = "Deleted."),
        (status = 409, description = "/problems/stale-version /problems/conflict"),
    )
)]
pub(crate) async fn delete(
    state: web::Data<AppState>,
    auth: Authenticated,
    path: web::Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let id = invoice_id(&path)?;
    let params: DeleteParams = parse_query(req.query_string())?;
    let version = match params.version {
        Some(v) => Some(v.parse::<i64>().map_err(|_| ApiError::field("version", "version is a whole number"))?),
        None => None,
    };
    let actor = auth.0.actor;
    blocking(move || Ok(state.invoices.delete(&actor, id, version)?)).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct PaymentBody {
    version: i64,
    #[serde(default)]
    amount: Option<DecimalText>,
}

#[utoipa::path(
    post,
    path = "/api/v1/invoices/{id}/payments",
    operation_id = "invoices_record_payment",
    tag = "invoices",
    summary = "Record a payment.",
    request_body = PaymentBody,
    responses(
        (status = 200, description = "The invoice after the payment.", body = InvoiceView),
        (status = 409, description = "/problems/stale-version"),
    )
)]
pub(crate) async fn record_payment(
    state: web::Data<AppState>,
    auth: Authenticated,
    path: web::Path<String>,
    body: JsonBody<PaymentBody>,
) -> Result<HttpResponse, ApiError> {
    let id = invoice_id(&path)?;
    let actor = auth.0.actor;
    let body = body.parse()?;
    let (invoice, today) = blocking(move || {
        let amount = body.amount.as_ref().map(DecimalText::as_str);
        let invoice = state.invoices.record_payment(&actor, id, body.version, amount)?;
        Ok((invoice, state.invoices.today(&actor)?))
    })
    .await?;
    Ok(HttpResponse::Ok().json(InvoiceView::new(&invoice, today)))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ReopenBody {
    version: i64,
    reason: String,
}

#[utoipa::path(
    post,
    path = "/api/v1/invoices/{id}/reopen",
    operation_id = "invoices_reopen",
    tag = "invoices",
    summary = "Reopen a paid invoice.",
    request_body = ReopenBody,
    responses(
        (status = 200, description = "Reopened.", body = InvoiceView),
        (status = 409, description = "/problems/stale-version /problems/invoice-state"),
    )
)]
pub(crate) async fn reopen(
    state: web::Data<AppState>,
    auth: Authenticated,
    path: web::Path<String>,
    body: JsonBody<ReopenBody>,
) -> Result<HttpResponse, ApiError> {
    let id = invoice_id(&path)?;
    let actor = auth.0.actor;
    let body = body.parse()?;
    let (invoice, today) = blocking(move || {
        let invoice = state.invoices.reopen(&actor, id, body.version, &body.reason)?;
        Ok((invoice, state.invoices.today(&actor)?))
    })
    .await?;
    Ok(HttpResponse::Ok().json(InvoiceView::new(&invoice, today)))
}

#[derive(Serialize, utoipa::ToSchema)]
struct EventView {
    code: String,
    details: serde_json::Value,
    occurred_at: String,
}

#[utoipa::path(
    get,
    path = "/api/v1/invoices/{id}/events",
    operation_id = "invoices_events",
    tag = "invoices",
    summary = "An invoice's history.",
    responses(
        (status = 200, description = "Its events, oldest first.", body = crate::doc_types::Items<EventView>),
    )
)]
pub(crate) async fn events(
    state: web::Data<AppState>,
    auth: Authenticated,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = invoice_id(&path)?;
    let actor = auth.0.actor;
    let events = blocking(move || {
        let events = state.invoices.events(&actor, id)?;
        if events.is_empty() {
            return Err(ApiError::NotFound("invoice not found".into()));
        }
        Ok(events)
    })
    .await?;
    let items: Vec<EventView> = events
        .into_iter()
        .map(|e| EventView {
            code: e.code,
            details: serde_json::from_str(&e.details).unwrap_or(serde_json::Value::Null),
            occurred_at: timestamp(e.occurred_at),
        })
        .collect();
    Ok(HttpResponse::Ok().json(serde_json::json!({ "items": items })))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_for_every_key_kind() {
        let id = InvoiceId::from_uuid(uuid::Uuid::nil());
        for (field, key) in [
            (SortField::DueDate, CursorKey::Date(time::macros::date!(2026 - 01 - 31))),
            (SortField::Total, CursorKey::Minor(-38206)),
            (SortField::CreatedAt, CursorKey::Timestamp(time::macros::datetime!(2026-01-31 10:00:00.123456 UTC))),
            (SortField::InvoiceNumber, CursorKey::Text("INV:\u{1f}/é".into())),
        ] {
            let cursor = Cursor { sort: InvoiceSort { field, descending: true }, key, id };
            assert_eq!(decode_cursor(&encode_cursor(&cursor)).unwrap(), cursor);
        }
        assert!(decode_cursor("not-a-cursor").is_err());
    }

    #[test]
    fn money_must_be_a_string() {
        assert!(serde_json::from_str::<DecimalText>("\"1.50\"").is_ok());
        assert!(serde_json::from_str::<DecimalText>("1.5").is_err());
        assert!(serde_json::from_str::<DecimalText>("15").is_err());
    }
}
