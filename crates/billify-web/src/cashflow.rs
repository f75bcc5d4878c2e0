//! The cash-flow dashboard in one call: `GET /api/v1/cashflow/summary`.
//!
//! Amounts are decimal strings with the currency's minor digits, each next to its `currency`;
//! every figure is per currency and nothing is converted. Signs are cash-flow signs:
//! receivables and money in positive, payables and money out negative.

use actix_web::{HttpRequest, HttpResponse, web};
use billify_app::cashflow::{
    AccountCash, CashflowSummary, CurrencyFlows, FlowPeriod, OpenSide, OpenTotals, UpcomingInvoice, VatCurrency,
};
use billify_app::input::parse_date;
use billify_app::{CashflowError, SummaryRequest};
use billify_domain::{Interval, Money};
use serde::{Deserialize, Serialize};

use crate::auth::Authenticated;
use crate::extract::parse_query;
use crate::problem::{ApiError, FieldError};
use crate::{AppState, blocking, timestamp};

impl From<CashflowError> for ApiError {
    fn from(e: CashflowError) -> Self {
        match e {
            CashflowError::Invalid { field, message } => ApiError::field(field, message),
            CashflowError::Forbidden => {
                ApiError::Forbidden("your role does not allow reading this organisation's data".into())
            }
            CashflowError::Repository(e) => e.into(),
        }
    }
}

#[derive(Deserialize, Default, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct SummaryParams {
    from: Option<String>,
    to: Option<String>,
    interval: Option<String>,
    upcoming: Option<String>,
}

fn request(params: SummaryParams) -> Result<SummaryRequest, ApiError> {
    let mut errors = Vec::new();
    let mut date = |field: &str, v: Option<String>| {
        v.and_then(|d| parse_date(&d).map_err(|e| errors.push(FieldError::new(field, e.to_string()))).ok())
    };
    let from = date("from", params.from);
    let to = date("to", params.to);
    let interval = params
        .interval
        .and_then(|i| i.parse::<Interval>().map_err(|e| errors.push(FieldError::new("interval", e.message))).ok());
    let upcoming = params.upcoming.and_then(|u| match u.parse::<u32>() {
        Ok(n) if n <= SummaryRequest::MAX_UPCOMING => Some(n),
        _ => {
            errors.push(FieldError::new(
                "upcoming",
                format!("upcoming is a number from 0 to {}", SummaryRequest::MAX_UPCOMING),
            ));
            None
        }
    });
    if errors.is_empty() {
        Ok(SummaryRequest { from, to, interval, upcoming })
    } else {
        Err(ApiError::Validation(errors))
    }
}

fn amount(m: &Money) -> String {
    m.to_plain_string()
}

#[derive(Serialize, utoipa::ToSchema)]
struct SummaryView {
    today: String,
    time_zone: String,
    generated_at: String,
    cash: CashView,
    flows: FlowsView,
    receivables: SideView,
    payables: SideView,
    vat: VatView,
}

#[derive(Serialize, utoipa::ToSchema)]
struct CurrencyAmount {
    currency: String,
    amount: String,
}

#[derive(Serialize, utoipa::ToSchema)]
struct CashView {
    totals: Vec<CurrencyAmount>,
    accounts: Vec<AccountView>,
    stale_after_hours: i64,
}

#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = CashAccountView)]
struct AccountView {
    id: String,
    iban: Option<String>,
    name: Option<String>,
    institution: Option<String>,
    currency: String,
    balance: String,
    synchronized_at: Option<String>,
    stale: bool,
}

#[derive(Serialize, utoipa::ToSchema)]
struct FlowsView {
    from: String,
    to: String,
    interval: &'static str,
    currencies: Vec<CurrencyFlowsView>,
}

#[derive(Serialize, utoipa::ToSchema)]
struct CurrencyFlowsView {
    currency: String,
    money_in: String,
    money_out: String,
    net: String,
    periods: Vec<PeriodView>,
}

#[derive(Serialize, utoipa::ToSchema)]
struct PeriodView {
    start: String,
    end: String,
    money_in: String,
    money_out: String,
    net: String,
    count_in: u64,
    count_out: u64,
}

#[derive(Serialize, utoipa::ToSchema)]
struct SideView {
    totals: Vec<OpenTotalsView>,
    upcoming: Vec<UpcomingView>,
}

#[derive(Serialize, utoipa::ToSchema)]
struct OpenTotalsView {
    currency: String,
    total: String,
    count: u64,
    overdue: String,
    overdue_count: u64,
    by_urgency: Vec<UrgencyView>,
}

#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = UrgencyTotalsView)]
struct UrgencyView {
    level: &'static str,
    label: &'static str,
    color: &'static str,
    count: u64,
    amount: String,
}

#[derive(Serialize, utoipa::ToSchema)]
struct UpcomingView {
    id: String,
    invoice_number: String,
    counterparty_name: String,
    due_date: String,
    days_until_due: i64,
    urgency: &'static str,
    currency: String,
    total: String,
    open_amount: String,
}

#[derive(Serialize, utoipa::ToSchema)]
struct VatView {
    periodicity: &'static str,
    period: String,
    start: String,
    end: String,
    deadline: String,
    days_until_deadline: i64,
    currencies: Vec<VatCurrencyView>,
}

#[derive(Serialize, utoipa::ToSchema)]
struct VatCurrencyView {
    currency: String,
    on_sales: String,
    on_purchases: String,
    balance: String,
    documents: u64,
    without_vat: u64,
}

fn account_view(a: &AccountCash) -> AccountView {
    AccountView {
        id: a.account_id.to_string(),
        iban: a.iban.clone(),
        name: a.name.clone(),
        institution: a.institution.clone(),
        currency: a.balance.currency().code().to_owned(),
        balance: amount(&a.balance),
        synchronized_at: a.synchronized_at.map(timestamp),
        stale: a.stale,
    }
}

fn period_view(p: &FlowPeriod) -> PeriodView {
    PeriodView {
        start: p.start.to_string(),
        end: p.end.to_string(),
        money_in: amount(&p.money_in),
        money_out: amount(&p.money_out),
        net: amount(&p.net),
        count_in: p.count_in,
        count_out: p.count_out,
    }
}

fn currency_flows_view(c: &CurrencyFlows) -> CurrencyFlowsView {
    CurrencyFlowsView {
        currency: c.currency.code().to_owned(),
        money_in: amount(&c.money_in),
        money_out: amount(&c.money_out),
        net: amount(&c.net),
        periods: c.periods.iter().map(period_view).collect(),
    }
}

fn totals_view(t: &OpenTotals) -> OpenTotalsView {
    OpenTotalsView {
        currency: t.currency.code().to_owned(),
        total: amount(&t.total),
        count: t.count,
        overdue: amount(&t.overdue),
        overdue_count: t.overdue_count,
        by_urgency: t
            .by_urgency
            .iter()
            .map(|u| UrgencyView {
                level: u.level.code(),
                label: u.level.display_name(),
                color: u.level.color(),
                count: u.count,
                amount: amount(&u.amount),
            })
            .collect(),
    }
}

fn upcoming_view(i: &UpcomingInvoice) -> UpcomingView {
    UpcomingView {
        id: i.id.to_string(),
        invoice_number: i.invoice_number.clone(),
        counterparty_name: i.counterparty_name.clone(),
        due_date: i.due_date.to_string(),
        days_until_due: i.days_until_due,
        urgency: i.urgency.code(),
        currency: i.total.currency().code().to_owned(),
        total: amount(&i.total),
        open_amount: amount(&i.open),
    }
}

fn side_view(s: &OpenSide) -> SideView {
    SideView {
        totals: s.totals.iter().map(totals_view).collect(),
        upcoming: s.upcoming.iter().map(upcoming_view).collect(),
    }
}

fn vat_currency_view(v: &VatCurrency) -> VatCurrencyView {
    VatCurrencyView {
        currency: v.currency.code().to_owned(),
        on_sales: amount(&v.on_sales),
        on_purchases: amount(&v.on_purchases),
        balance: amount(&v.balance),
        documents: v.documents,
        without_vat: v.without_vat,
    }
}

fn summary_view(s: &CashflowSummary) -> SummaryView {
    SummaryView {
        today: s.today.to_string(),
        time_zone: s.time_zone.to_string(),
        generated_at: timestamp(s.generated_at),
        cash: CashView {
            totals: s
                .cash
                .totals
                .iter()
                .map(|m| CurrencyAmount { currency: m.currency().code().to_owned(), amount: amount(m) })
                .collect(),
            accounts: s.cash.accounts.iter().map(account_view).collect(),
            stale_after_hours: s.cash.stale_after.whole_hours(),
        },
        flows: FlowsView {
            from: s.flows.from.to_string(),
            to: s.flows.to.to_string(),
            interval: s.flows.interval.code(),
            currencies: s.flows.currencies.iter().map(currency_flows_view).collect(),
        },
        receivables: side_view(&s.receivables),
        payables: side_view(&s.payables),
        vat: VatView {
            periodicity: s.vat.period.periodicity.code(),
            period: s.vat.period.label(),
            start: s.vat.period.start.to_string(),
            end: s.vat.period.end.to_string(),
            deadline: s.vat.period.deadline.to_string(),
            days_until_deadline: s.vat.days_until_deadline,
            currencies: s.vat.currencies.iter().map(vat_currency_view).collect(),
        },
    }
}

#[utoipa::path(
    get,
    path = "/api/v1/cashflow/summary",
    operation_id = "cashflow_summary",
    tag = "cashflow",
    summary = "The cash position: balances, money in and out, open items by urgency, VAT.",
    params(SummaryParams),
    responses(
        (status = 200, description = "The summary, in the organisation's time zone.", body = SummaryView),
    )
)]
pub(crate) async fn summary(
    state: web::Data<AppState>,
    auth: Authenticated,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let request = request(parse_query(req.query_string())?)?;
    let actor = auth.0.actor;
    let summary = blocking(move || Ok(state.cashflow.summary(&actor, request)?)).await?;
    Ok(HttpResponse::Ok().json(summary_view(&summary)))
}
