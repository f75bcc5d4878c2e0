//! `billify reading-accuracy [--days N]`: how well uploaded documents were read over every
//! organisation of this installation, from what people confirmed, as the JSON of
//! `GET /api/v1/invoices/reading-accuracy`. Counts only: no organisation, document or value is
//! named, so an operator can share it (it is never sent anywhere by Billify itself).

use anyhow::Context as _;

use crate::bank_sync::SyncConfig;
use crate::config::Config;
use crate::wiring::services;

/// Measures any confirmed drafts not measured yet, then prints the report over `days` days.
pub fn run(config: &Config, days: u32) -> anyhow::Result<()> {
    let services =
        services(config, config.migrate_on_start, &SyncConfig::from_env()?, &crate::notify::NotifyConfig::from_env()?)?;
    let measured = services.intake.measure_confirmed_drafts().context("measuring confirmed drafts")?;
    if measured > 0 {
        log::info!("{measured} confirmed drafts measured first");
    }
    let report = services.intake.reading_accuracy_of_all(days).context("counting the readings")?;
    #[allow(clippy::print_stdout, reason = "the report is the command's output")]
    {
        println!("{}", serde_json::to_string_pretty(&billify_web::reading_accuracy_json(&report))?);
    }
    Ok(())
}
