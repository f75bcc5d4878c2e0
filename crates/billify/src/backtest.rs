//! `billify forecast-backtest [--org ID]`: replays each organisation's history through the
//! forecast (`ForecastService::backtest`) and prints its error at 7, 30, 60 and 90 days.

use std::io::Write as _;

use anyhow::Context as _;
use billify_app::forecast::Accuracy;
use billify_domain::{Money, OrganisationId};

use crate::bank_sync::SyncConfig;
use crate::config::Config;
use crate::wiring::services;

/// Runs the backtest of one organisation (`org`) or of every organisation, and prints it.
pub fn run(config: &Config, org: Option<&str>) -> anyhow::Result<()> {
    let services =
        services(config, config.migrate_on_start, &SyncConfig::from_env()?, &crate::notify::NotifyConfig::from_env()?)?;
    let organisations = match org {
        Some(id) => vec![
            id.trim().parse::<OrganisationId>().map_err(|_| anyhow::anyhow!("--org {id} is not an organisation id"))?,
        ],
        None => services.forecast.organisations().context("listing the organisations")?,
    };
    let mut out = std::io::stdout().lock();
    for organisation in organisations {
        let accuracy = services
            .forecast
            .backtest(organisation)
            .with_context(|| format!("backtesting organisation {organisation}"))?;
        write!(out, "{}", report(organisation, &accuracy))?;
    }
    Ok(())
}

fn percent(basis_points: i64) -> String {
    format!("{}.{:02} %", basis_points / 100, (basis_points % 100).abs())
}

/// The printed report of one organisation: one table per currency.
pub fn report(organisation: OrganisationId, a: &Accuracy) -> String {
    let mut text = String::new();
    let (from, to) = (a.origins.first(), a.origins.last());
    let range = match (from, to) {
        (Some(f), Some(t)) => format!("{} forecasts made from {f} to {t}", a.origins.len()),
        _ => "no forecasts".to_owned(),
    };
    if a.currencies.is_empty() {
        text.push_str(&format!("organisation {organisation}: no bank balance to backtest ({range})\n"));
    }
    for c in &a.currencies {
        text.push_str(&format!("organisation {organisation}, {}: {range}\n", c.currency.code()));
        text.push_str("horizon   forecasts  MAPE       mean abs error     actual inside band\n");
        for h in &c.horizons {
            let mae = Money::from_minor_units(h.mean_absolute_error_minor, c.currency)
                .map(|m| m.to_plain_string())
                .unwrap_or_default();
            let inside = match (h.inside_band * 10_000).checked_div(h.samples) {
                None => "-".to_owned(),
                Some(bp) => format!("{} ({})", h.inside_band, percent(i64::try_from(bp).unwrap_or(0))),
            };
            text.push_str(&format!(
                "{:<9} {:<10} {:<10} {:<18} {}\n",
                format!("{} days", h.horizon),
                h.samples,
                h.mape_basis_points.map(percent).unwrap_or_else(|| "-".into()),
                format!("{mae} {}", c.currency.code()),
                inside
            ));
        }
    }
    text
}
