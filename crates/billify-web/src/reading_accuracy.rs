//! `GET /invoices/reading-accuracy`: how well the organisation's uploaded documents were read,
//! from what people confirmed (see `billify_app::reading_accuracy`).

use actix_web::{HttpRequest, HttpResponse, web};
use billify_app::{Outcomes, ReadingAccuracy};
use serde::{Deserialize, Serialize};

use crate::auth::Authenticated;
use crate::extract::parse_query;
use crate::problem::ApiError;
use crate::{AppState, blocking};

/// The window when none is asked for.
const DEFAULT_DAYS: u32 = 90;

#[derive(Deserialize, Default, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct AccuracyParams {
    /// Count documents uploaded in the last this many days (1 to 3650, default 90).
    days: Option<String>,
}

/// Counts of one field, one method or everything.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct OutcomesView {
    /// Confirmed as the reader proposed.
    kept: u64,
    /// Proposed, then changed by a person.
    corrected: u64,
    /// Not proposed; typed by a person.
    added: u64,
    /// Proposed; cleared by a person.
    removed: u64,
    /// The share kept as a percentage with one decimal (`"93.4"`); `null` when nothing counted.
    percent_kept: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct FieldAccuracyView {
    field: &'static str,
    #[serde(flatten)]
    outcomes: OutcomesView,
}

#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct MethodAccuracyView {
    /// `pdf_text`, `pdf_ocr`, `einvoice_ubl` or `einvoice_cii`.
    method: &'static str,
    drafts: u64,
    #[serde(flatten)]
    outcomes: OutcomesView,
}

/// The report.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct ReadingAccuracyView {
    days: u32,
    /// Confirmed drafts counted (uploads confirmed into invoices).
    drafts: u64,
    /// Of those, confirmed without any change.
    unchanged: u64,
    overall: OutcomesView,
    fields: Vec<FieldAccuracyView>,
    methods: Vec<MethodAccuracyView>,
}

fn outcomes_view(o: &Outcomes) -> OutcomesView {
    OutcomesView {
        kept: o.kept,
        corrected: o.corrected,
        added: o.added,
        removed: o.removed,
        percent_kept: o.permille_kept().map(|p| format!("{}.{}", p / 10, p % 10)),
    }
}

fn view(r: &ReadingAccuracy) -> ReadingAccuracyView {
    ReadingAccuracyView {
        days: r.days,
        drafts: r.drafts,
        unchanged: r.unchanged,
        overall: outcomes_view(&r.overall),
        fields: r.fields.iter().map(|(field, o)| FieldAccuracyView { field, outcomes: outcomes_view(o) }).collect(),
        methods: r
            .methods
            .iter()
            .map(|(method, (drafts, o))| MethodAccuracyView { method, drafts: *drafts, outcomes: outcomes_view(o) })
            .collect(),
    }
}

/// The report as the API writes it; also printed by `billify reading-accuracy` over every
/// organisation.
pub fn reading_accuracy_json(r: &ReadingAccuracy) -> serde_json::Value {
    serde_json::to_value(view(r)).unwrap_or(serde_json::Value::Null)
}

#[utoipa::path(
    get,
    path = "/api/v1/invoices/reading-accuracy",
    operation_id = "intake_reading_accuracy",
    tag = "invoices",
    summary = "How well uploaded documents were read: per field, what people kept, corrected, added or removed on confirming.",
    params(AccuracyParams),
    responses(
        (status = 200, description = "Counts over the confirmed drafts of the window.", body = ReadingAccuracyView),
    )
)]
pub(crate) async fn reading_accuracy(
    state: web::Data<AppState>,
    auth: Authenticated,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let params: AccuracyParams = parse_query(req.query_string())?;
    let days = match params.days {
        None => DEFAULT_DAYS,
        Some(d) => d.trim().parse().map_err(|_| ApiError::field("days", "a whole number of days, 1 to 3650"))?,
    };
    let actor = auth.0.actor;
    let report = blocking(move || Ok(state.intake.reading_accuracy(&actor, days)?)).await?;
    Ok(HttpResponse::Ok().json(view(&report)))
}
