//! The forecast port: what the cash forecast reads (open items as known on a date, customers'
//! payment delays, daily money in and out, candidate recurring flows) and the recurring series
//! it keeps with the user's decisions on them.
//!
//! Sums and groupings run in the store over integer minor units; the rules that place them on a
//! calendar are `billify_domain::forecast`'s.

use billify_domain::forecast::{DetectedSeries, FlowOccurrence};
use billify_domain::{Currency, Direction, InvoiceId, Money, OrganisationId, UserId};
use time::{Date, OffsetDateTime};

use crate::RepositoryError;
use crate::audit::NewAuditEntry;
use crate::cashflow::VatTotals;

/// What to read for one forecast.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForecastQuery {
    /// The day the forecast starts from: only what was known at the end of it counts (invoices
    /// issued by then and not paid by then; payments made by then).
    pub as_of: Date,
    /// Whether `as_of` is the organisation's today (open items are then read from the current
    /// state, the fast path) or a past day of a backtest.
    pub current: bool,
    /// Customers' payment delays are measured on receivables paid from this day to `as_of`.
    pub delays_from: Date,
    /// The VAT periods to total, each `(from, to)` of issue dates (inclusive).
    pub vat_periods: Vec<(Date, Date)>,
    /// Whether to read the payment delays of the customers with open receivables
    /// ([`ForecastData::delays`]); `false` leaves them empty, for a caller that holds the day's
    /// delays from [`ForecastRepository::payment_delays`].
    pub read_delays: bool,
}

/// One open item as known on the forecast's date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForecastOpenItem {
    /// The invoice or credit note.
    pub id: InvoiceId,
    /// Receivable or payable.
    pub direction: Direction,
    /// The counterparty grouping key of the invoices table (the customer whose delay applies).
    pub counterparty_key: String,
    /// The due date.
    pub due_date: Date,
    /// What is open, signed as a cash flow (credit notes count against their direction, and an
    /// invoice is net of its payments and linked credit notes).
    pub open: Money,
}

/// How many receivables of one customer were paid `delay_days` after their due date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DelayCount {
    /// The counterparty grouping key of the invoices table.
    pub counterparty_key: String,
    /// Days from the due date to the payment (negative: early).
    pub delay_days: i64,
    /// How many invoices.
    pub invoices: u64,
}

/// The inputs of one forecast, read in one snapshot.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ForecastData {
    /// The current sum of bank balances per currency, ordered by currency.
    pub balances: Vec<Money>,
    /// Open items as known on `as_of`, ordered by due date then id.
    pub open: Vec<ForecastOpenItem>,
    /// Payment delays of the customers that have open receivables, by customer and delay.
    pub delays: Vec<DelayCount>,
    /// VAT of each requested period (same order), per currency.
    pub vat: Vec<Vec<(Currency, VatTotals)>>,
}

/// Money in and out of one day in one currency, own transfers left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DailyNet {
    /// The execution date.
    pub date: Date,
    /// The currency.
    pub currency: Currency,
    /// Credits in minor units (>= 0).
    pub in_minor: i64,
    /// Debits in minor units (<= 0).
    pub out_minor: i64,
}

/// What the user decided about a series.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeriesStatus {
    /// Found by detection; nobody decided yet (it feeds the forecast).
    Detected,
    /// Confirmed by a user (it feeds the forecast).
    Confirmed,
    /// Dismissed by a user (it no longer feeds the forecast).
    Dismissed,
}

impl SeriesStatus {
    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            SeriesStatus::Detected => "detected",
            SeriesStatus::Confirmed => "confirmed",
            SeriesStatus::Dismissed => "dismissed",
        }
    }

    /// The status of a code.
    pub fn parse(code: &str) -> Option<SeriesStatus> {
        [SeriesStatus::Detected, SeriesStatus::Confirmed, SeriesStatus::Dismissed]
            .into_iter()
            .find(|s| s.code() == code)
    }
}

/// A recurring series as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredSeries {
    /// What detection found (last time it found it).
    pub series: DetectedSeries,
    /// The user's decision.
    pub status: SeriesStatus,
    /// When the decision was taken.
    pub decided_at: Option<OffsetDateTime>,
    /// Who took it.
    pub decided_by: Option<UserId>,
}

/// Reads the forecast's inputs and keeps its recurring series. Every query is scoped by the
/// organisation.
pub trait ForecastRepository: Send + Sync {
    /// The inputs of a forecast from `query.as_of`, in one read transaction.
    fn forecast_inputs(
        &self,
        organisation: OrganisationId,
        query: &ForecastQuery,
    ) -> Result<ForecastData, RepositoryError>;

    /// How many receivables of each customer were paid how many days after their due date:
    /// invoices due from `from` and paid by `to` (inclusive), every customer. Ordered by customer,
    /// then delay.
    fn payment_delays(
        &self,
        organisation: OrganisationId,
        from: Date,
        to: Date,
    ) -> Result<Vec<DelayCount>, RepositoryError>;

    /// Money in and out per day and currency from `from` to `to` (inclusive), own transfers left
    /// out; days without transactions are absent. Ordered by date, then currency.
    fn daily_net(&self, organisation: OrganisationId, from: Date, to: Date) -> Result<Vec<DailyNet>, RepositoryError>;

    /// The transactions from `from` to `to` (inclusive) of counterparties that appear between
    /// 2 and 120 times in that range per currency and direction (the candidates of recurring
    /// flows), own transfers left out. Ordered by counterparty, then date.
    fn flow_occurrences(
        &self,
        organisation: OrganisationId,
        from: Date,
        to: Date,
    ) -> Result<Vec<FlowOccurrence>, RepositoryError>;

    /// The stored series, ordered by id, and the day detection last ran (`None`: never).
    fn recurring_series(
        &self,
        organisation: OrganisationId,
    ) -> Result<(Option<Date>, Vec<StoredSeries>), RepositoryError>;

    /// Stores what detection found on `detected_on`, in one transaction: new series are added as
    /// detected, known ones updated keeping their decision, and undecided series no longer found
    /// are removed.
    fn store_detected_series(
        &self,
        organisation: OrganisationId,
        detected_on: Date,
        series: &[DetectedSeries],
    ) -> Result<(), RepositoryError>;

    /// Confirms or dismisses a series and, in the same transaction, appends `audit`
    /// ([`RepositoryError::NotFound`], recording nothing, when it is not stored).
    fn decide_series(
        &self,
        organisation: OrganisationId,
        id: &str,
        status: SeriesStatus,
        by: UserId,
        at: OffsetDateTime,
        audit: &NewAuditEntry,
    ) -> Result<StoredSeries, RepositoryError>;
}
