//! Forecast rules: recurring bank flows, customers' payment delays, the daily projected balance
//! with its band, the figures derived from it (runway, lowest point, burn rate, break-even) and
//! the error measures of a backtest.
//!
//! Everything here works in integer minor units of one currency at a time (`i64`), never in
//! floats: the storage adapters sum in SQL and hand over a few rows, and these functions only
//! place them on a calendar. Nothing converts currencies.

use std::collections::BTreeMap;

use time::{Date, Duration, Month};

use crate::{Currency, InvoiceId};

/// How often a recurring flow repeats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Recurrence {
    /// Every 7 days.
    Weekly,
    /// Every calendar month, on the same day of the month.
    Monthly,
    /// Every three months.
    Quarterly,
    /// Every year.
    Yearly,
}

impl Recurrence {
    /// Every recurrence, shortest first.
    pub const ALL: [Recurrence; 4] =
        [Recurrence::Weekly, Recurrence::Monthly, Recurrence::Quarterly, Recurrence::Yearly];

    /// The stable code (`weekly`, `monthly`, `quarterly`, `yearly`).
    pub fn code(&self) -> &'static str {
        match self {
            Recurrence::Weekly => "weekly",
            Recurrence::Monthly => "monthly",
            Recurrence::Quarterly => "quarterly",
            Recurrence::Yearly => "yearly",
        }
    }

    /// The recurrence of a code.
    pub fn parse(code: &str) -> Option<Recurrence> {
        Recurrence::ALL.into_iter().find(|r| r.code() == code)
    }

    /// The nominal interval in days and how far one interval may stray from it.
    fn days_and_tolerance(&self) -> (i64, i64) {
        match self {
            Recurrence::Weekly => (7, 2),
            Recurrence::Monthly => (30, 4),
            Recurrence::Quarterly => (91, 10),
            Recurrence::Yearly => (365, 15),
        }
    }

    /// The recurrence whose interval fits `days`, if any.
    fn of_interval(days: i64) -> Option<Recurrence> {
        Recurrence::ALL.into_iter().find(|r| {
            let (nominal, tolerance) = r.days_and_tolerance();
            (days - nominal).abs() <= tolerance
        })
    }

    /// The fewest occurrences that make a series of this recurrence.
    fn min_occurrences(&self) -> usize {
        match self {
            Recurrence::Weekly | Recurrence::Monthly => 3,
            Recurrence::Quarterly | Recurrence::Yearly => 2,
        }
    }

    /// The occurrence after `date`.
    pub fn next(&self, date: Date) -> Date {
        match self {
            Recurrence::Weekly => date.saturating_add(Duration::days(7)),
            Recurrence::Monthly => add_months(date, 1),
            Recurrence::Quarterly => add_months(date, 3),
            Recurrence::Yearly => add_months(date, 12),
        }
    }
}

/// `date` moved by `months` calendar months, on the same day or the month's last day.
pub fn add_months(date: Date, months: u32) -> Date {
    let index = i64::from(date.year()) * 12 + i64::from(u8::from(date.month())) - 1 + i64::from(months);
    let year = i32::try_from(index.div_euclid(12)).unwrap_or(date.year());
    let month = Month::try_from(u8::try_from(index.rem_euclid(12) + 1).unwrap_or(1)).unwrap_or(Month::January);
    let last = month.length(year);
    Date::from_calendar_date(year, month, date.day().min(last)).unwrap_or(date)
}

/// A bank transaction as the recurring-flow detector sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlowOccurrence {
    /// The other party's IBAN (electronic form), when known.
    pub counterparty_account: Option<String>,
    /// The other party's name, when known.
    pub counterparty_name: Option<String>,
    /// The currency.
    pub currency: Currency,
    /// The execution date.
    pub date: Date,
    /// The signed amount in minor units (money in positive).
    pub amount_minor: i64,
}

/// A name reduced to what identifies a counterparty: lower case, letters and digits, single
/// spaces, without legal forms (`Bloc Group B.V.` and `BLOC GROUP BV` are one party).
pub fn normalise_name(name: &str) -> String {
    const LEGAL_FORMS: [&str; 14] =
        ["bv", "nv", "sa", "srl", "sprl", "bvba", "vof", "gmbh", "ag", "ltd", "inc", "llc", "sarl", "cv"];
    let cleaned: String =
        name.chars().map(|c| if c.is_alphanumeric() { c.to_ascii_lowercase() } else { ' ' }).collect();
    let mut words: Vec<&str> = cleaned.split_whitespace().collect();
    // "B.V." became "b v": join single letters back before dropping legal forms.
    let mut joined: Vec<String> = Vec::new();
    let mut letters = String::new();
    for w in words.drain(..) {
        if w.chars().count() == 1 {
            letters.push_str(w);
        } else {
            if !letters.is_empty() {
                joined.push(std::mem::take(&mut letters));
            }
            joined.push(w.to_owned());
        }
    }
    if !letters.is_empty() {
        joined.push(letters);
    }
    joined.retain(|w| !LEGAL_FORMS.contains(&w.as_str()));
    joined.join(" ")
}

/// The key that groups one counterparty's flows: its IBAN when known, else its normalised name.
pub fn counterparty_key(account: Option<&str>, name: Option<&str>) -> Option<String> {
    if let Some(iban) = account.filter(|a| !a.trim().is_empty()) {
        return Some(format!("iban:{}", iban.trim().to_ascii_uppercase()));
    }
    let name = normalise_name(name?);
    (!name.is_empty()).then(|| format!("name:{name}"))
}

/// A stable id for a series: 16 hex digits of the FNV-1a hash of its key, currency and sign, so
/// the same flow keeps its id from one detection to the next.
pub fn series_id(key: &str, currency: Currency, inflow: bool) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let text = format!("{key}|{}|{}", currency.code(), if inflow { "in" } else { "out" });
    for byte in text.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{hash:016x}")
}

/// A detected recurring flow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DetectedSeries {
    /// The stable id ([`series_id`]).
    pub id: String,
    /// The grouping key ([`counterparty_key`]).
    pub counterparty_key: String,
    /// The counterparty's name as last seen, when known.
    pub counterparty_name: Option<String>,
    /// The currency.
    pub currency: Currency,
    /// How often it repeats.
    pub recurrence: Recurrence,
    /// The typical (median) signed amount in minor units.
    pub amount_minor: i64,
    /// How far amounts typically stray from it (mean absolute deviation, minor units, >= 0).
    pub spread_minor: i64,
    /// How many occurrences were seen.
    pub occurrences: u32,
    /// The first occurrence seen.
    pub first_date: Date,
    /// The last occurrence seen.
    pub last_date: Date,
    /// The next expected occurrence after the detection date.
    pub next_date: Date,
}

/// The median of sorted values (the lower middle for an even count); `None` when empty.
fn median_sorted(values: &[i64]) -> Option<i64> {
    values.get(values.len().saturating_sub(1) / 2).copied()
}

/// Finds recurring flows in `occurrences` known on `as_of`: per counterparty, currency and
/// direction, at least three occurrences (two for quarterly and yearly) whose intervals fit one
/// recurrence (three in four within its tolerance), with amounts within a quarter of their
/// median on average, and still running (the last one at most one interval and its tolerance
/// before `as_of`). Occurrences after `as_of` are ignored. Ordered by id.
pub fn detect_series(occurrences: &[FlowOccurrence], as_of: Date) -> Vec<DetectedSeries> {
    type Group<'a> = (Currency, bool, Vec<&'a FlowOccurrence>);
    let mut groups: BTreeMap<(String, String, bool), Group<'_>> = BTreeMap::new();
    for o in occurrences.iter().filter(|o| o.date <= as_of && o.amount_minor != 0) {
        let Some(key) = counterparty_key(o.counterparty_account.as_deref(), o.counterparty_name.as_deref()) else {
            continue;
        };
        let inflow = o.amount_minor > 0;
        groups
            .entry((key, o.currency.code().to_owned(), inflow))
            .or_insert_with(|| (o.currency, inflow, Vec::new()))
            .2
            .push(o);
    }
    let mut found = Vec::new();
    for ((key, _, _), (currency, inflow, mut items)) in groups {
        items.sort_by_key(|o| o.date);
        // One occurrence per day: several bookings on one day count as one.
        let mut days: Vec<(Date, i64, Option<&str>)> = Vec::new();
        for o in &items {
            match days.last_mut() {
                Some((d, amount, _)) if *d == o.date => *amount += o.amount_minor,
                _ => days.push((o.date, o.amount_minor, o.counterparty_name.as_deref())),
            }
        }
        if days.len() < 2 {
            continue;
        }
        let mut gaps: Vec<i64> = days.windows(2).map(|w| (w[1].0 - w[0].0).whole_days()).collect();
        gaps.sort_unstable();
        let Some(recurrence) = median_sorted(&gaps).and_then(Recurrence::of_interval) else {
            continue;
        };
        if days.len() < recurrence.min_occurrences() {
            continue;
        }
        let (nominal, tolerance) = recurrence.days_and_tolerance();
        let regular = gaps.iter().filter(|g| (**g - nominal).abs() <= tolerance).count();
        if regular * 4 < gaps.len() * 3 {
            continue;
        }
        let mut amounts: Vec<i64> = days.iter().map(|d| d.1).collect();
        amounts.sort_unstable();
        let Some(median) = median_sorted(&amounts) else { continue };
        let total_deviation: i64 = amounts.iter().map(|a| (a - median).abs()).sum();
        let spread = total_deviation / i64::try_from(amounts.len()).unwrap_or(1);
        if spread.saturating_mul(4) > median.abs() {
            continue;
        }
        let (first_date, last_date) = (days[0].0, days[days.len() - 1].0);
        if (as_of - last_date).whole_days() > nominal + tolerance {
            continue;
        }
        let mut next_date = recurrence.next(last_date);
        while next_date <= as_of {
            // A late occurrence is expected tomorrow rather than skipped.
            if (as_of - next_date).whole_days() <= tolerance {
                next_date = as_of.next_day().unwrap_or(as_of);
                break;
            }
            next_date = recurrence.next(next_date);
        }
        found.push(DetectedSeries {
            id: series_id(&key, currency, inflow),
            counterparty_name: days.iter().rev().find_map(|d| d.2).map(str::to_owned),
            counterparty_key: key,
            currency,
            recurrence,
            amount_minor: median,
            spread_minor: spread,
            occurrences: u32::try_from(days.len()).unwrap_or(u32::MAX),
            first_date,
            last_date,
            next_date,
        });
    }
    found.sort_by(|a, b| a.id.cmp(&b.id));
    found
}

/// The occurrences of `series` from `from` to `to` (inclusive), starting at its next date.
pub fn series_dates(series: &DetectedSeries, from: Date, to: Date) -> Vec<Date> {
    let mut dates = Vec::new();
    let mut at = series.next_date;
    while at <= to {
        if at >= from {
            dates.push(at);
        }
        let next = series.recurrence.next(at);
        if next <= at {
            break;
        }
        at = next;
    }
    dates
}

/// A customer's payment delay: days between due date and payment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PaymentDelay {
    /// The median delay in days (negative: pays early).
    pub median_days: i64,
    /// The median absolute deviation from it, in days (the band's timing spread).
    pub spread_days: i64,
    /// How many paid invoices it was measured on (0 for the default).
    pub samples: u64,
}

impl PaymentDelay {
    /// The fewest paid invoices that give a customer its own delay.
    pub const MIN_SAMPLES: u64 = 3;
    /// The delay assumed when too little is known: on time, give or take a week.
    pub const DEFAULT: PaymentDelay = PaymentDelay { median_days: 0, spread_days: 7, samples: 0 };
}

/// The weighted median of `(value, count)` pairs (lower middle), `None` when empty.
fn weighted_median(mut histogram: Vec<(i64, u64)>) -> Option<i64> {
    histogram.sort_unstable();
    let total: u64 = histogram.iter().map(|h| h.1).sum();
    if total == 0 {
        return None;
    }
    let target = (total - 1) / 2;
    let mut seen = 0;
    for (value, count) in histogram {
        seen += count;
        if seen > target {
            return Some(value);
        }
    }
    None
}

/// A payment delay from a histogram of `(delay_days, invoices)`: its median and median
/// absolute deviation; `None` below [`PaymentDelay::MIN_SAMPLES`] invoices.
pub fn payment_delay(histogram: &[(i64, u64)]) -> Option<PaymentDelay> {
    let samples: u64 = histogram.iter().map(|h| h.1).sum();
    if samples < PaymentDelay::MIN_SAMPLES {
        return None;
    }
    let median = weighted_median(histogram.to_vec())?;
    let spread = weighted_median(histogram.iter().map(|(d, n)| ((d - median).abs(), *n)).collect())?;
    Some(PaymentDelay { median_days: median, spread_days: spread, samples })
}

/// What a movement of the forecast comes from, so a user can ask why the balance moves.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum ForecastItem {
    /// An open invoice or credit note (receivable or payable).
    Invoice(InvoiceId),
    /// An occurrence of a recurring series.
    Series(String),
    /// The VAT return of a period (its label, e.g. `2026-Q4`).
    Vat(String),
    /// A one-off payment a scenario added (its label).
    OneOff(String),
}

/// One expected movement of cash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Movement {
    /// The expected day.
    pub date: Date,
    /// The signed amount in minor units.
    pub amount_minor: i64,
    /// How many days earlier it may come.
    pub early_days: i64,
    /// How many days later it may come.
    pub late_days: i64,
    /// How far its amount may stray (minor units, >= 0).
    pub amount_spread_minor: i64,
    /// What it comes from.
    pub item: ForecastItem,
}

/// One projected day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectedDay {
    /// The day.
    pub date: Date,
    /// The expected balance at the end of the day.
    pub balance_minor: i64,
    /// The low end of the band.
    pub low_minor: i64,
    /// The high end of the band.
    pub high_minor: i64,
    /// The expected movement of the day.
    pub net_minor: i64,
    /// What moves on that day (at its expected date), in order.
    pub items: Vec<ForecastItem>,
}

/// How much wider the amount uncertainty of a movement grows per 30 days of distance, in
/// per-mille of its amount: what is far away is less certain to happen as planned.
pub const DISTANCE_PERMILLE_PER_30_DAYS: i64 = 10;

/// The integer square root (floor).
fn isqrt(n: i64) -> i64 {
    if n <= 0 {
        return 0;
    }
    let mut x = n;
    let mut y = (x + 1) / 2;
    while y < x {
        x = y;
        y = (x + n / x) / 2;
    }
    x
}

/// Projects the balance from `start_minor` at the end of `today` over the next `days` days.
///
/// A movement expected on or before today lands tomorrow. The band: the high end counts money
/// in at its earliest date and money out at its latest, each with its amount spread in its
/// favour; the low end the other way round; so both widen as movements add up. Each movement's
/// amount spread grows with its distance by [`DISTANCE_PERMILLE_PER_30_DAYS`]. What no input
/// explains (new invoices, one-off payments) widens both ends by `daily_noise_minor` (the
/// typical absolute daily movement of the recent past) times the square root of the distance
/// in days, as a random walk would.
pub fn project(
    start_minor: i64,
    today: Date,
    days: u32,
    movements: &[Movement],
    daily_noise_minor: i64,
) -> Vec<ProjectedDay> {
    let horizon = usize::try_from(days).unwrap_or(0);
    let first = today.next_day().unwrap_or(today);
    let index = |date: Date| -> usize { usize::try_from((date.max(first) - first).whole_days()).unwrap_or(0) };
    let mut expected = vec![0i64; horizon + 1];
    let mut high = vec![0i64; horizon + 1];
    let mut low = vec![0i64; horizon + 1];
    let mut items: Vec<Vec<ForecastItem>> = vec![Vec::new(); horizon];
    for m in movements {
        let at = index(m.date);
        let distance = (m.date.max(first) - today).whole_days().max(1);
        let spread = m.amount_spread_minor.saturating_add(
            m.amount_minor.saturating_abs().saturating_mul(DISTANCE_PERMILLE_PER_30_DAYS).saturating_mul(distance)
                / 30_000,
        );
        let early = index(m.date.saturating_sub(Duration::days(m.early_days.max(0))));
        let late = index(m.date.saturating_add(Duration::days(m.late_days.max(0))));
        if at < horizon {
            expected[at] += m.amount_minor;
            items[at].push(m.item.clone());
        }
        let (high_at, low_at) = if m.amount_minor >= 0 { (early, late) } else { (late, early) };
        if high_at < horizon {
            high[high_at] += m.amount_minor + spread;
        }
        if low_at < horizon {
            low[low_at] += m.amount_minor - spread;
        }
    }
    let (mut balance, mut hi, mut lo) = (start_minor, start_minor, start_minor);
    let mut out = Vec::with_capacity(horizon);
    for (i, day_items) in items.into_iter().enumerate() {
        balance += expected[i];
        hi += high[i];
        lo += low[i];
        let distance = i64::try_from(i).unwrap_or(0) + 1;
        let date = first.saturating_add(Duration::days(distance - 1));
        let noise = daily_noise_minor.max(0).saturating_mul(isqrt(distance));
        out.push(ProjectedDay {
            date,
            balance_minor: balance,
            low_minor: lo.min(balance).saturating_sub(noise),
            high_minor: hi.max(balance).saturating_add(noise),
            net_minor: expected[i],
            items: day_items,
        });
    }
    out
}

/// The lowest projected balance and its (first) date; `None` for an empty projection.
pub fn lowest(days: &[ProjectedDay]) -> Option<(i64, Date)> {
    days.iter().fold(None, |low: Option<(i64, Date)>, d| match low {
        Some((b, _)) if b <= d.balance_minor => low,
        _ => Some((d.balance_minor, d.date)),
    })
}

/// Days from `today` until the projected balance is first below zero (0 when it already is);
/// `None` when it never is within the projection.
pub fn runway_days(start_minor: i64, today: Date, days: &[ProjectedDay]) -> Option<i64> {
    if start_minor < 0 {
        return Some(0);
    }
    days.iter().find(|d| d.balance_minor < 0).map(|d| (d.date - today).whole_days())
}

/// Burn rate and break-even from the money in and out of the last `months` months.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Burn {
    /// The average net outflow per month (zero when more came in than went out).
    pub burn_per_month_minor: i64,
    /// The monthly inflow that would stop the burning: the average money out per month.
    pub break_even_inflow_minor: i64,
}

/// [`Burn`] from the money in (>= 0) and out (<= 0) of `months` months.
pub fn burn(money_in_minor: i64, money_out_minor: i64, months: i64) -> Burn {
    let months = months.max(1);
    let net = money_in_minor + money_out_minor;
    Burn {
        burn_per_month_minor: if net < 0 { -net / months } else { 0 },
        break_even_inflow_minor: -money_out_minor.min(0) / months,
    }
}

/// One forecast checked against what happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BacktestSample {
    /// Days between the forecast's date and the day checked.
    pub horizon: u32,
    /// The projected balance.
    pub predicted_minor: i64,
    /// The band's low end.
    pub low_minor: i64,
    /// The band's high end.
    pub high_minor: i64,
    /// The balance that day.
    pub actual_minor: i64,
}

/// The error of the forecasts at one horizon.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HorizonAccuracy {
    /// Days ahead.
    pub horizon: u32,
    /// How many forecasts were checked.
    pub samples: u64,
    /// The mean absolute percentage error in basis points (1234 = 12.34 %), over the samples
    /// whose actual balance is not zero; `None` when there is none.
    pub mape_basis_points: Option<i64>,
    /// The mean absolute error in minor units.
    pub mean_absolute_error_minor: i64,
    /// How many of the actual balances fell inside the band.
    pub inside_band: u64,
}

/// Aggregates samples into the accuracy at each of `horizons` (in that order).
pub fn accuracy(samples: &[BacktestSample], horizons: &[u32]) -> Vec<HorizonAccuracy> {
    horizons
        .iter()
        .map(|&horizon| {
            let at: Vec<&BacktestSample> = samples.iter().filter(|s| s.horizon == horizon).collect();
            let n = i128::try_from(at.len()).unwrap_or(0);
            let abs_errors: i128 =
                at.iter().map(|s| (i128::from(s.predicted_minor) - i128::from(s.actual_minor)).abs()).sum();
            let with_actual: Vec<&&BacktestSample> = at.iter().filter(|s| s.actual_minor != 0).collect();
            let mape = (!with_actual.is_empty()).then(|| {
                let sum: i128 = with_actual
                    .iter()
                    .map(|s| {
                        (i128::from(s.predicted_minor) - i128::from(s.actual_minor)).abs() * 10_000
                            / i128::from(s.actual_minor).abs()
                    })
                    .sum();
                i64::try_from(sum / i128::try_from(with_actual.len()).unwrap_or(1)).unwrap_or(i64::MAX)
            });
            HorizonAccuracy {
                horizon,
                samples: u64::try_from(at.len()).unwrap_or(0),
                mape_basis_points: mape,
                mean_absolute_error_minor: if n == 0 { 0 } else { i64::try_from(abs_errors / n).unwrap_or(i64::MAX) },
                inside_band: u64::try_from(
                    at.iter().filter(|s| s.low_minor <= s.actual_minor && s.actual_minor <= s.high_minor).count(),
                )
                .unwrap_or(0),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;
    use uuid::Uuid;

    fn occ(account: Option<&str>, name: &str, date: Date, minor: i64) -> FlowOccurrence {
        FlowOccurrence {
            counterparty_account: account.map(str::to_owned),
            counterparty_name: Some(name.to_owned()),
            currency: Currency::EUR,
            date,
            amount_minor: minor,
        }
    }

    #[test]
    fn names_normalise_to_one_party() {
        assert_eq!(normalise_name("Bloc Group B.V."), "bloc group");
        assert_eq!(normalise_name("BLOC GROUP BV"), "bloc group");
        assert_eq!(counterparty_key(None, Some("  Acme NV ")), Some("name:acme".into()));
        assert_eq!(counterparty_key(Some("be71096123456769"), Some("x")), Some("iban:BE71096123456769".into()));
        assert_eq!(counterparty_key(None, Some("B.V.")), None);
    }

    #[test]
    fn months_keep_their_day_or_the_last_one() {
        assert_eq!(add_months(date!(2026 - 01 - 31), 1), date!(2026 - 02 - 28));
        assert_eq!(add_months(date!(2026 - 11 - 15), 3), date!(2027 - 02 - 15));
        assert_eq!(add_months(date!(2026 - 12 - 05), 12), date!(2027 - 12 - 05));
    }

    #[test]
    fn monthly_rent_with_jitter_is_detected_and_continues() {
        let today = date!(2026 - 12 - 06);
        let mut flows = Vec::new();
        for m in 0..8u32 {
            let day = add_months(date!(2026 - 04 - 01), m) + Duration::days(i64::from(m % 3));
            flows.push(occ(Some("BE71096123456769"), "Landlord", day, -150_000 - i64::from(m % 2) * 1_000));
        }
        // Noise: a one-off and an irregular party.
        flows.push(occ(None, "Shop", date!(2026 - 05 - 03), -2_000));
        flows.push(occ(None, "Shop", date!(2026 - 05 - 04), -9_000));
        flows.push(occ(None, "Shop", date!(2026 - 09 - 20), -3_000));
        let found = detect_series(&flows, today);
        assert_eq!(found.len(), 1, "{found:?}");
        let s = &found[0];
        assert_eq!(s.recurrence, Recurrence::Monthly);
        assert_eq!(s.amount_minor, -151_000);
        assert_eq!(s.spread_minor, 500);
        assert_eq!(s.occurrences, 8);
        assert_eq!(s.last_date, date!(2026 - 11 - 02));
        assert_eq!(s.next_date, date!(2026 - 12 - 02) + Duration::days(5), "late: expected tomorrow");
        assert_eq!(s.id, series_id("iban:BE71096123456769", Currency::EUR, false));
        assert_eq!(series_dates(s, today, date!(2027 - 02 - 28)).len(), 3);
    }

    #[test]
    fn stopped_irregular_or_dissimilar_flows_are_not_series() {
        let today = date!(2026 - 12 - 06);
        let weekly_stopped: Vec<_> =
            (0..6).map(|w| occ(None, "Cleaner", date!(2026 - 06 - 01) + Duration::weeks(w), -5_000)).collect();
        assert!(detect_series(&weekly_stopped, today).is_empty());
        let dissimilar: Vec<_> = (0..6u32)
            .map(|m| occ(None, "Varies", add_months(date!(2026 - 06 - 10), m), -1_000 * i64::from(1 + m * m)))
            .collect();
        assert!(detect_series(&dissimilar, today).is_empty());
        let two_monthly: Vec<_> =
            (0..2u32).map(|m| occ(None, "Twice", add_months(date!(2026 - 10 - 10), m), -1_000)).collect();
        assert!(detect_series(&two_monthly, today).is_empty());
        let yearly: Vec<_> = [date!(2025 - 01 - 15), date!(2026 - 01 - 14)]
            .into_iter()
            .map(|d| occ(None, "Insurer", d, -90_000))
            .collect();
        let found = detect_series(&yearly, today);
        assert_eq!(found.len(), 1);
        assert_eq!((found[0].recurrence, found[0].next_date), (Recurrence::Yearly, date!(2027 - 01 - 14)));
    }

    #[test]
    fn delays_take_median_and_deviation() {
        assert_eq!(payment_delay(&[(5, 2)]), None);
        let d = payment_delay(&[(2, 1), (10, 3), (30, 1)]).unwrap();
        assert_eq!((d.median_days, d.spread_days, d.samples), (10, 0, 5));
        let d = payment_delay(&[(-2, 1), (4, 1), (8, 1), (20, 1)]).unwrap();
        assert_eq!((d.median_days, d.spread_days), (4, 4), "deviations 6, 0, 4, 16");
    }

    #[test]
    fn projection_moves_on_expected_days_and_the_band_widens() {
        let today = date!(2026 - 12 - 06);
        let inv = InvoiceId::from_uuid(Uuid::from_u128(1));
        let movements = vec![
            Movement {
                date: date!(2026 - 12 - 10),
                amount_minor: 10_000,
                early_days: 2,
                late_days: 2,
                amount_spread_minor: 0,
                item: ForecastItem::Invoice(inv),
            },
            Movement {
                date: date!(2026 - 12 - 01),
                amount_minor: -3_000,
                early_days: 0,
                late_days: 0,
                amount_spread_minor: 0,
                item: ForecastItem::Vat("2026-Q3".into()),
            },
        ];
        let days = project(1_000, today, 10, &movements, 0);
        let noisy = project(1_000, today, 10, &movements, 100);
        assert_eq!((noisy[0].high_minor - days[0].high_minor, noisy[8].high_minor - days[8].high_minor), (100, 300));
        assert_eq!(noisy[8].low_minor, days[8].low_minor - 300);
        assert_eq!(days.len(), 10);
        assert_eq!(days[0].date, date!(2026 - 12 - 07));
        assert_eq!(days[0].balance_minor, -2_000, "overdue lands tomorrow");
        assert_eq!(days[0].items, vec![ForecastItem::Vat("2026-Q3".into())]);
        assert_eq!(days[3].balance_minor, 8_000);
        assert_eq!(days[3].items, vec![ForecastItem::Invoice(inv)]);
        // The receivable may come two days early (high) or late (low).
        assert!(days[1].high_minor > days[1].balance_minor);
        assert_eq!(days[3].low_minor, days[2].balance_minor.min(days[3].low_minor));
        assert!(days[9].high_minor >= days[9].balance_minor && days[9].low_minor <= days[9].balance_minor);
        assert!(days[9].high_minor - days[9].low_minor > 0, "distance widens the band");
        assert_eq!(lowest(&days), Some((-2_000, date!(2026 - 12 - 07))));
        assert_eq!(runway_days(1_000, today, &days), Some(1));
        assert_eq!(runway_days(1_000, today, &days[3..]), None);
    }

    #[test]
    fn burn_and_break_even() {
        assert_eq!(burn(90_000, -120_000, 3), Burn { burn_per_month_minor: 10_000, break_even_inflow_minor: 40_000 });
        assert_eq!(burn(150_000, -120_000, 3).burn_per_month_minor, 0);
    }

    #[test]
    fn accuracy_per_horizon() {
        let s = |horizon, predicted, actual| BacktestSample {
            horizon,
            predicted_minor: predicted,
            low_minor: predicted - 100,
            high_minor: predicted + 100,
            actual_minor: actual,
        };
        let samples = [s(7, 1_000, 1_000), s(7, 1_100, 1_000), s(30, 500, 0)];
        let a = accuracy(&samples, &[7, 30, 60]);
        assert_eq!(a[0].samples, 2);
        assert_eq!(a[0].mape_basis_points, Some(500));
        assert_eq!(a[0].mean_absolute_error_minor, 50);
        assert_eq!(a[0].inside_band, 2);
        assert_eq!((a[1].mape_basis_points, a[1].inside_band), (None, 0));
        assert_eq!(a[2].samples, 0);
    }
}
