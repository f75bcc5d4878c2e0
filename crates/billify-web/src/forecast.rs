//! The cash forecast: `GET /cashflow/forecast`, `POST /cashflow/forecast/scenario`,
//! `GET /cashflow/forecast/accuracy`, `GET /cashflow/recurring` and
//! `POST /cashflow/recurring/{id}/confirm|dismiss`.
//!
//! Amounts are decimal strings next to their `currency`, signed as cash flows (money in
//! positive); nothing is converted between currencies.

use actix_web::{HttpRequest, HttpResponse, web};
use billify_app::ForecastError;
use billify_app::forecast::{Accuracy, Adjustment, CurrencyForecast, Forecast, ForecastDay, RecurringSeries};
use billify_app::input::parse_date;
use billify_domain::forecast::ForecastItem;
use billify_domain::{InvoiceId, Money};
use billify_ports::forecast::{SeriesStatus, StoredSeries};
use serde::ser::SerializeMap as _;
use serde::{Deserialize, Serialize, Serializer};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::auth::Authenticated;
use crate::extract::{JsonBody, parse_query};
use crate::invoices::DecimalText;
use crate::problem::{ApiError, FieldError};
use crate::{AppState, blocking, timestamp};

impl From<ForecastError> for ApiError {
    fn from(e: ForecastError) -> Self {
        match e {
            ForecastError::Invalid { field, message } => ApiError::field(field, message),
            ForecastError::Forbidden => ApiError::Forbidden("your role does not allow this".into()),
            ForecastError::NotFound => ApiError::NotFound("not found".into()),
            ForecastError::Repository(e) => e.into(),
        }
    }
}

fn amount(m: &Money) -> String {
    m.to_plain_string()
}

/// The forecast as JSON (also the dashboard's chart data source), written straight from the
/// forecast rather than through a tree of `serde_json::Value`s: at 100,000 invoices a forecast
/// names every open invoice on its day (4.5 MB of JSON), and building that tree took most of a
/// request's 500 ms and its memory. Keys in alphabetical order, as the tree wrote them.
pub(crate) struct ForecastView<'a>(pub(crate) &'a Forecast);

/// A value written with its `Display` text, without an intermediate `String`.
struct Shown<'a, T: std::fmt::Display>(&'a T);

impl<T: std::fmt::Display> Serialize for Shown<'_, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self.0)
    }
}

/// An amount as its plain decimal text.
struct Amount<'a>(&'a Money);

impl Serialize for Amount<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&amount(self.0))
    }
}

impl Serialize for ForecastView<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let f = self.0;
        let mut map = s.serialize_map(Some(6))?;
        map.serialize_entry("currencies", &Currencies(&f.currencies))?;
        map.serialize_entry("days", &f.days)?;
        map.serialize_entry("doubtful_receivables", &f.doubtful_receivables)?;
        map.serialize_entry("generated_at", &timestamp(f.generated_at))?;
        map.serialize_entry("time_zone", &Shown(&f.time_zone))?;
        map.serialize_entry("today", &Shown(&f.today))?;
        map.end()
    }
}

struct Currencies<'a>(&'a [CurrencyForecast]);

impl Serialize for Currencies<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(CurrencyView))
    }
}

struct CurrencyView<'a>(&'a CurrencyForecast);

impl Serialize for CurrencyView<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let c = self.0;
        let mut map = s.serialize_map(Some(7))?;
        map.serialize_entry("break_even_inflow", &Amount(&c.break_even_inflow))?;
        map.serialize_entry("burn_rate", &Amount(&c.burn_rate))?;
        map.serialize_entry("currency", c.currency.code())?;
        map.serialize_entry("days", &Days(&c.days))?;
        map.serialize_entry("lowest", &Lowest(c))?;
        map.serialize_entry("runway_days", &c.runway_days)?;
        map.serialize_entry("start", &Amount(&c.start))?;
        map.end()
    }
}

struct Lowest<'a>(&'a CurrencyForecast);

impl Serialize for Lowest<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(2))?;
        map.serialize_entry("balance", &Amount(&self.0.lowest))?;
        map.serialize_entry("date", &Shown(&self.0.lowest_date))?;
        map.end()
    }
}

struct Days<'a>(&'a [ForecastDay]);

impl Serialize for Days<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(DayView))
    }
}

struct DayView<'a>(&'a ForecastDay);

impl Serialize for DayView<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let d = self.0;
        let mut map = s.serialize_map(Some(6))?;
        map.serialize_entry("balance", &Amount(&d.balance))?;
        map.serialize_entry("date", &Shown(&d.date))?;
        map.serialize_entry("high", &Amount(&d.high))?;
        map.serialize_entry("items", &Items(&d.items))?;
        map.serialize_entry("low", &Amount(&d.low))?;
        map.serialize_entry("net", &Amount(&d.net))?;
        map.end()
    }
}

struct Items<'a>(&'a [ForecastItem]);

impl Serialize for Items<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(ItemView))
    }
}

struct ItemView<'a>(&'a ForecastItem);

impl Serialize for ItemView<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(2))?;
        match self.0 {
            ForecastItem::Invoice(id) => {
                map.serialize_entry("id", &Shown(id))?;
                map.serialize_entry("type", "invoice")?;
            }
            ForecastItem::Series(id) => {
                map.serialize_entry("id", id)?;
                map.serialize_entry("type", "series")?;
            }
            ForecastItem::Vat(period) => {
                map.serialize_entry("period", period)?;
                map.serialize_entry("type", "vat")?;
            }
            ForecastItem::OneOff(label) => {
                map.serialize_entry("label", label)?;
                map.serialize_entry("type", "one_off")?;
            }
        }
        map.end()
    }
}

/// The JSON of `view`, written on the blocking thread that computed it (a forecast's text is
/// megabytes at 100,000 invoices: not work for the event loop).
fn json_body(view: &impl Serialize) -> Result<Vec<u8>, ApiError> {
    crate::json_bytes(view, 0)
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct ForecastParams {
    days: Option<String>,
}

fn days(text: Option<&str>) -> Result<Option<u32>, ApiError> {
    text.map(|d| match d.trim().parse::<u32>() {
        Ok(n) if (1..=billify_app::forecast::MAX_DAYS).contains(&n) => Ok(n),
        _ => Err(ApiError::field("days", format!("days is a number from 1 to {}", billify_app::forecast::MAX_DAYS))),
    })
    .transpose()
}

#[utoipa::path(
    get,
    path = "/api/v1/cashflow/forecast",
    operation_id = "cashflow_forecast",
    tag = "cashflow",
    summary = "The daily projected balance per currency with its band and the items behind each day (query `days`, 1 to 365).",
    responses(
        (status = 200, description = "The forecast.", body = crate::doc_types::ForecastDoc),
    )
)]
pub(crate) async fn forecast(
    state: web::Data<AppState>,
    auth: Authenticated,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let params: ForecastParams = parse_query(req.query_string())?;
    let days = days(params.days.as_deref())?;
    let actor = auth.0.actor;
    let turn_state = state.clone();
    let _turn = turn_state.forecast_turn().await?;
    let body = blocking(move || json_body(&ForecastView(&state.forecast.forecast(&actor, days)?))).await?;
    Ok(HttpResponse::Ok().content_type("application/json").body(body))
}

/// One change to the forecast: `delay_receivable` (`invoice_id`, `days`), `one_off` (`date`,
/// `amount`, `currency`, `label`), `drop_series` (`series_id`) or `change_series_amount`
/// (`series_id`, `amount`).
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct AdjustmentBody {
    /// `delay_receivable`, `one_off`, `drop_series` or `change_series_amount`.
    #[serde(rename = "type")]
    kind: String,
    invoice_id: Option<String>,
    series_id: Option<String>,
    /// Days of delay (`delay_receivable`).
    days: Option<i64>,
    /// ISO 8601 date (`one_off`).
    date: Option<String>,
    /// A decimal string (negative: money out).
    #[schema(value_type = Option<crate::doc_types::Money>)]
    amount: Option<DecimalText>,
    currency: Option<String>,
    label: Option<String>,
}

/// A what-if: the forecast with these adjustments, beside the base one.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ScenarioBody {
    /// How many days ahead (default 90).
    days: Option<i64>,
    /// At most 50.
    #[serde(default)]
    adjustments: Vec<AdjustmentBody>,
}

/// At most this many adjustments in one scenario.
const MAX_ADJUSTMENTS: usize = 50;

fn adjustments(body: Vec<AdjustmentBody>) -> Result<Vec<Adjustment>, ApiError> {
    if body.len() > MAX_ADJUSTMENTS {
        return Err(ApiError::field("adjustments", format!("at most {MAX_ADJUSTMENTS} adjustments")));
    }
    let mut errors = Vec::new();
    let mut out = Vec::new();
    for (n, a) in body.into_iter().enumerate() {
        let field = |name: &str| format!("adjustments[{n}].{name}");
        let mut need = |name: &str, present: bool| {
            if !present {
                errors.push(FieldError::new(field(name), "required for this type"));
            }
            present
        };
        match a.kind.as_str() {
            "delay_receivable" => {
                let (has_id, has_days) = (need("invoice_id", a.invoice_id.is_some()), need("days", a.days.is_some()));
                if let (true, true, Some(id), Some(days)) = (has_id, has_days, a.invoice_id, a.days) {
                    match Uuid::parse_str(id.trim()) {
                        Ok(id) => out.push(Adjustment::DelayReceivable { invoice: InvoiceId::from_uuid(id), days }),
                        Err(_) => errors.push(FieldError::new(field("invoice_id"), "not a valid id")),
                    }
                }
            }
            "one_off" => {
                let ok = need("date", a.date.is_some()) & need("amount", a.amount.is_some());
                let date = a.date.as_deref().and_then(|d| {
                    parse_date(d).map_err(|e| errors.push(FieldError::new(field("date"), e.to_string()))).ok()
                });
                if let (true, Some(date), Some(amount)) = (ok, date, a.amount) {
                    out.push(Adjustment::OneOff {
                        date,
                        currency: a.currency.unwrap_or_else(|| "EUR".into()),
                        amount: amount.as_str().to_owned(),
                        label: a.label.unwrap_or_else(|| "one-off".into()),
                    });
                }
            }
            "drop_series" => {
                if let Some(series) = a.series_id {
                    out.push(Adjustment::DropSeries { series });
                } else {
                    need("series_id", false);
                }
            }
            "change_series_amount" => {
                let ok = need("series_id", a.series_id.is_some()) & need("amount", a.amount.is_some());
                if let (true, Some(series), Some(amount)) = (ok, a.series_id, a.amount) {
                    out.push(Adjustment::ChangeSeriesAmount { series, amount: amount.as_str().to_owned() });
                }
            }
            _ => errors.push(FieldError::new(
                field("type"),
                "one of delay_receivable, one_off, drop_series, change_series_amount",
            )),
        }
    }
    if errors.is_empty() { Ok(out) } else { Err(ApiError::Validation(errors)) }
}

#[utoipa::path(
    post,
    path = "/api/v1/cashflow/forecast/scenario",
    operation_id = "cashflow_forecast_scenario",
    tag = "cashflow",
    summary = "The forecast with adjustments beside the base one; nothing is stored.", request_body(content = ScenarioBody, content_type = "application/json"),
    responses(
        (status = 200, description = "Base and adjusted forecasts.", body = crate::doc_types::ScenarioDoc),
    )
)]
pub(crate) async fn scenario(
    state: web::Data<AppState>,
    auth: Authenticated,
    body: JsonBody<ScenarioBody>,
) -> Result<HttpResponse, ApiError> {
    let body = body.parse()?;
    let days = match body.days {
        None => None,
        Some(d) => days(Some(&d.to_string()))?,
    };
    let adjustments = adjustments(body.adjustments)?;
    let actor = auth.0.actor;
    let turn_state = state.clone();
    let _turn = turn_state.forecast_turn().await?;
    let body = blocking(move || {
        let scenario = state.forecast.scenario(&actor, days, &adjustments)?;
        json_body(&Scenario { adjusted: ForecastView(&scenario.adjusted), base: ForecastView(&scenario.base) })
    })
    .await?;
    Ok(HttpResponse::Ok().content_type("application/json").body(body))
}

/// A scenario's two forecasts (keys in alphabetical order, as before).
#[derive(Serialize)]
struct Scenario<'a> {
    adjusted: ForecastView<'a>,
    base: ForecastView<'a>,
}

/// A ratio in basis points as a percentage with two decimals (`1234` is `"12.34"`).
fn percent(basis_points: i64) -> String {
    format!("{}.{:02}", basis_points / 100, (basis_points % 100).abs())
}

/// The backtest's figures as JSON.
pub(crate) fn accuracy_view(a: &Accuracy) -> Value {
    json!({
        "today": a.today.to_string(),
        "origins": a.origins.len(),
        "from": a.origins.first().map(ToString::to_string),
        "to": a.origins.last().map(ToString::to_string),
        "currencies": a.currencies.iter().map(|c| json!({
            "currency": c.currency.code(),
            "horizons": c.horizons.iter().map(|h| json!({
                "days": h.horizon,
                "samples": h.samples,
                "mape_percent": h.mape_basis_points.map(percent),
                "mean_absolute_error": Money::from_minor_units(h.mean_absolute_error_minor, c.currency)
                    .map(|m| m.to_plain_string()).unwrap_or_default(),
                "inside_band": h.inside_band,
                "inside_band_percent": (h.inside_band * 10_000).checked_div(h.samples)
                    .map(|bp| percent(i64::try_from(bp).unwrap_or(0))),
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}

#[utoipa::path(
    get,
    path = "/api/v1/cashflow/forecast/accuracy",
    operation_id = "cashflow_forecast_accuracy",
    tag = "cashflow",
    summary = "How wrong the forecast was on the organisation's own history (backtest at 7, 30, 60 and 90 days).",
    responses(
        (status = 200, description = "Errors and band coverage per horizon.", body = crate::doc_types::AccuracyDoc),
    )
)]
pub(crate) async fn accuracy(state: web::Data<AppState>, auth: Authenticated) -> Result<HttpResponse, ApiError> {
    let actor = auth.0.actor;
    let accuracy = blocking(move || Ok(state.forecast.accuracy(&actor)?)).await?;
    Ok(HttpResponse::Ok().json(accuracy_view(&accuracy)))
}

fn series_view(s: &StoredSeries, next_dates: Option<&[time::Date]>) -> Value {
    let d = &s.series;
    let money = |m: i64| Money::from_minor_units(m, d.currency).map(|m| m.to_plain_string()).unwrap_or_default();
    let mut v = json!({
        "id": d.id,
        "counterparty_name": d.counterparty_name,
        "currency": d.currency.code(),
        "recurrence": d.recurrence.code(),
        "amount": money(d.amount_minor),
        "spread": money(d.spread_minor),
        "occurrences": d.occurrences,
        "first_date": d.first_date.to_string(),
        "last_date": d.last_date.to_string(),
        "next_date": d.next_date.to_string(),
        "status": s.status.code(),
        "decided_at": s.decided_at.map(timestamp),
    });
    if let Some(next) = next_dates {
        v["next_dates"] = json!(next.iter().map(ToString::to_string).collect::<Vec<_>>());
    }
    v
}

#[utoipa::path(
    get,
    path = "/api/v1/cashflow/recurring",
    operation_id = "cashflow_recurring",
    tag = "cashflow",
    summary = "Recurring bank flows detected, with their next dates.",
    responses(
        (status = 200, description = "Series.", body = crate::doc_types::RecurringDoc),
    )
)]
pub(crate) async fn recurring(state: web::Data<AppState>, auth: Authenticated) -> Result<HttpResponse, ApiError> {
    let actor = auth.0.actor;
    let list = blocking(move || Ok(state.forecast.recurring(&actor)?)).await?;
    Ok(HttpResponse::Ok().json(json!({
        "detected_on": list.detected_on.map(|d| d.to_string()),
        "series": list.series.iter().map(|RecurringSeries { stored, next_dates }| series_view(stored, Some(next_dates)))
            .collect::<Vec<_>>(),
    })))
}

async fn decide(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: String,
    status: SeriesStatus,
) -> Result<HttpResponse, ApiError> {
    let actor = auth.0.actor;
    let stored = blocking(move || Ok(state.forecast.decide(&actor, &id, status)?)).await?;
    Ok(HttpResponse::Ok().json(series_view(&stored, None)))
}

#[utoipa::path(
    post,
    path = "/api/v1/cashflow/recurring/{id}/confirm",
    operation_id = "cashflow_recurring_confirm",
    tag = "cashflow",
    summary = "Confirm a recurring series.",
    responses(
        (status = 200, description = "The series.", body = crate::doc_types::SeriesDoc),
    )
)]
pub(crate) async fn confirm(
    state: web::Data<AppState>,
    auth: Authenticated,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    decide(state, auth, path.into_inner(), SeriesStatus::Confirmed).await
}

#[utoipa::path(
    post,
    path = "/api/v1/cashflow/recurring/{id}/dismiss",
    operation_id = "cashflow_recurring_dismiss",
    tag = "cashflow",
    summary = "Dismiss a recurring series: it no longer feeds the forecast.",
    responses(
        (status = 200, description = "The series.", body = crate::doc_types::SeriesDoc),
    )
)]
pub(crate) async fn dismiss(
    state: web::Data<AppState>,
    auth: Authenticated,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    decide(state, auth, path.into_inner(), SeriesStatus::Dismissed).await
}
