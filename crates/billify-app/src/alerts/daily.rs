//! The daily alert job: queued once per organisation and local day after its morning
//! ([`billify_domain::alerts::daily_alerts_due`]), it gathers the facts, applies the domain's
//! alert rules and raises what they find, each notification with its inbox rows and outbound
//! deliveries in one store transaction. Every alert has a dedupe key, so a replayed run raises
//! nothing twice.

use billify_domain::alerts::{ConsentAlert, MORNING_HOUR, daily_alerts_due};
use billify_domain::{Channel, Direction, Invoice, InvoiceStatus, NotificationKind, OrganisationId, Permission};
use billify_ports::integrations::IntegrationStatus;
use billify_ports::jobs::{Job, NewJob};
use billify_ports::notifications::{NewDelivery, NewNotification};
use billify_ports::{InvoiceQuery, InvoiceSort, RepositoryError, SuggestionStatus, local_date};
use time::{Date, Duration};
use uuid::Uuid;

use super::{ALERTS_JOB, AlertError, AlertService, wants};
use crate::calendar::calendar_of;

/// An alert found by the rules, before it is stored.
#[derive(Debug, Clone)]
pub(super) struct Found {
    pub(super) kind: NotificationKind,
    pub(super) key: String,
    pub(super) title: String,
    pub(super) body: String,
    pub(super) data: serde_json::Value,
}

/// What one daily run raised.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct DailyReport {
    /// Alerts the rules found.
    pub found: usize,
    /// Of them, new notifications (the others were raised before).
    pub raised: usize,
}

/// At most this many invoices of one kind are looked at per run.
const MAX_INVOICES: usize = 1000;

/// Receivables that went overdue within this many days are reported (older ones were reported
/// when they went overdue, or before alerts existed).
const OVERDUE_LOOKBACK_DAYS: i64 = 30;

fn invoice_data(invoice: &Invoice) -> serde_json::Value {
    serde_json::json!({
        "invoice_id": invoice.id().to_string(),
        "invoice_number": invoice.invoice_number().as_str(),
        "counterparty": invoice.counterparty().name(),
        "due_date": invoice.due_date().to_string(),
        "open_amount": invoice.open_amount().to_plain_string(),
        "currency": invoice.open_amount().currency().code(),
    })
}

impl AlertService {
    /// Queues the daily alerts of every organisation whose local morning has come and whose
    /// alerts have not run today; returns how many were queued. Safe from every process (the
    /// queue refuses a second job for the same organisation and day).
    pub fn schedule_due(&self) -> Result<usize, AlertError> {
        let now = self.clock.now();
        let mut after = None;
        let mut queued = 0;
        loop {
            let ids = self.accounts.organisation_ids(after, 500)?;
            let Some(last) = ids.last().copied() else { break };
            after = Some(last);
            for organisation in ids {
                let zone = match calendar_of(self.accounts.as_ref(), organisation) {
                    Ok(calendar) => calendar.time_zone,
                    Err(RepositoryError::NotFound) => continue,
                    Err(e) => return Err(e.into()),
                };
                let today = self.clock.today_in(&zone);
                let morning_ago = local_date(now - Duration::hours(i64::from(MORNING_HOUR)), &zone);
                let (_, last_run) = self.notifications.alert_settings(organisation)?;
                if !daily_alerts_due(today, morning_ago, last_run) {
                    continue;
                }
                let job = NewJob {
                    organisation_id: organisation,
                    kind: ALERTS_JOB.into(),
                    key: today.to_string(),
                    payload: "{}".into(),
                    run_at: now,
                };
                if self.jobs.enqueue(&job, now)? {
                    queued += 1;
                }
            }
        }
        Ok(queued)
    }

    /// Runs a claimed `alerts.daily` job: raises the day's alerts and records the run.
    pub(super) fn run_daily(&self, job: &Job) -> Result<DailyReport, AlertError> {
        let today = Date::parse(&job.key, &time::format_description::well_known::Iso8601::DATE)
            .map_err(|_| AlertError::Invalid { field: "key".into(), message: format!("not a date: {}", job.key) })?;
        let report = self.raise_alerts(job.organisation_id, today)?;
        self.notifications.mark_alerts_run(job.organisation_id, today)?;
        Ok(report)
    }

    /// Applies every alert rule for `organisation` on its local date `today` and raises what
    /// they find (each at most once).
    pub fn raise_alerts(&self, organisation: OrganisationId, today: Date) -> Result<DailyReport, AlertError> {
        let mut found = Vec::new();
        self.payables_due(organisation, today, &mut found)?;
        self.receivables_overdue(organisation, today, &mut found)?;
        self.low_balance(organisation, today, &mut found)?;
        self.consents(organisation, today, &mut found)?;
        self.suggestions(organisation, today, &mut found)?;
        let mut report = DailyReport { found: found.len(), raised: 0 };
        if found.is_empty() {
            return Ok(report);
        }
        let members = self.accounts.members(organisation)?;
        let preferences = self.notifications.preferences(organisation)?;
        let endpoints = self.notifications.webhook_endpoints(organisation)?;
        let now = self.clock.now();
        for alert in found {
            let inbox: Vec<_> = members
                .iter()
                .map(|m| m.user.id)
                .filter(|u| wants(&preferences, *u, alert.kind, Channel::InApp))
                .collect();
            let mut deliveries: Vec<NewDelivery> = endpoints
                .iter()
                .filter(|e| e.receives(alert.kind))
                .map(|e| NewDelivery { id: Uuid::now_v7(), channel: Channel::Webhook, target_id: e.id })
                .collect();
            if self.email.is_some() {
                deliveries.extend(
                    members
                        .iter()
                        .map(|m| m.user.id)
                        .filter(|u| wants(&preferences, *u, alert.kind, Channel::Email))
                        .map(|u| NewDelivery { id: Uuid::now_v7(), channel: Channel::Email, target_id: *u.as_uuid() }),
                );
            }
            let notification = NewNotification {
                organisation_id: organisation,
                id: Uuid::now_v7(),
                kind: alert.kind,
                dedupe_key: alert.key,
                title: alert.title,
                body: alert.body,
                data: alert.data.to_string(),
                created_at: now,
            };
            if self.notifications.raise(&notification, &inbox, &deliveries, now)? {
                report.raised += 1;
                // Every member's inbox may hold it; what it says is theirs to read.
                self.events.notification_created(
                    organisation,
                    notification.id,
                    notification.kind.code(),
                    Permission::ReadData,
                );
            }
        }
        Ok(report)
    }

    /// Open invoices of `direction` with these statuses due between `from` and `to`.
    fn open_invoices(
        &self,
        organisation: OrganisationId,
        today: Date,
        direction: Direction,
        statuses: Vec<InvoiceStatus>,
        from: Date,
        to: Date,
    ) -> Result<Vec<Invoice>, AlertError> {
        let mut query = InvoiceQuery::all(today);
        query.direction = Some(direction);
        query.statuses = statuses;
        query.due_from = Some(from);
        query.due_to = Some(to);
        query.sort = InvoiceSort::default();
        query.limit = InvoiceQuery::MAX_LIMIT;
        let mut out = Vec::new();
        loop {
            let page = self.invoices.list(organisation, &query)?;
            out.extend(page.items);
            match page.next {
                Some(next) if out.len() < MAX_INVOICES => query.after = Some(next),
                _ => break,
            }
        }
        Ok(out)
    }

    fn payables_due(
        &self,
        organisation: OrganisationId,
        today: Date,
        found: &mut Vec<Found>,
    ) -> Result<(), AlertError> {
        let (settings, _) = self.notifications.alert_settings(organisation)?;
        let until = today + Duration::days(i64::from(settings.payable_days()));
        let open = vec![InvoiceStatus::Pending, InvoiceStatus::Overdue];
        for invoice in self.open_invoices(organisation, today, Direction::Payable, open, today, until)? {
            if !settings.payable_due_soon(invoice.due_date(), today) {
                continue;
            }
            let days = (invoice.due_date() - today).whole_days();
            let when = match days {
                0 => "today".to_owned(),
                1 => "tomorrow".to_owned(),
                n => format!("in {n} days, on {}", invoice.due_date()),
            };
            found.push(Found {
                kind: NotificationKind::PayableDueSoon,
                key: format!("payable_due_soon:{}:{}", invoice.id(), invoice.due_date()),
                title: format!("Payable {} is due {when}", invoice.invoice_number().as_str()),
                body: format!(
                    "{} {} to {} is due {when}.",
                    invoice.open_amount().currency().code(),
                    invoice.open_amount().to_plain_string(),
                    invoice.counterparty().name()
                ),
                data: invoice_data(&invoice),
            });
        }
        Ok(())
    }

    fn receivables_overdue(
        &self,
        organisation: OrganisationId,
        today: Date,
        found: &mut Vec<Found>,
    ) -> Result<(), AlertError> {
        let (from, to) = (today - Duration::days(OVERDUE_LOOKBACK_DAYS), today - Duration::days(1));
        let open = vec![InvoiceStatus::Pending, InvoiceStatus::Overdue];
        for invoice in self.open_invoices(organisation, today, Direction::Receivable, open, from, to)? {
            if invoice.due_date() >= today {
                continue;
            }
            found.push(Found {
                kind: NotificationKind::ReceivableOverdue,
                key: format!("receivable_overdue:{}:{}", invoice.id(), invoice.due_date()),
                title: format!("Receivable {} is overdue", invoice.invoice_number().as_str()),
                body: format!(
                    "{} {} from {} was due on {}.",
                    invoice.open_amount().currency().code(),
                    invoice.open_amount().to_plain_string(),
                    invoice.counterparty().name(),
                    invoice.due_date()
                ),
                data: invoice_data(&invoice),
            });
        }
        Ok(())
    }

    fn low_balance(&self, organisation: OrganisationId, today: Date, found: &mut Vec<Found>) -> Result<(), AlertError> {
        let Some(outlook) = &self.outlook else { return Ok(()) };
        let (settings, _) = self.notifications.alert_settings(organisation)?;
        let days = self.config.forecast_days;
        for (currency, day, balance) in outlook.lowest_balance(organisation, today, days)? {
            let Some((day, balance)) = settings.first_low_balance(&[(day, balance)]) else { continue };
            found.push(Found {
                kind: NotificationKind::LowBalance,
                key: format!("low_balance:{}:{today}", currency.code()),
                title: format!("The {} balance is projected to fall to {} on {day}", currency.code(), balance.to_plain_string()),
                body: format!(
                    "Within the next {days} days the projected {} balance falls under the alert threshold; its lowest is {} on {day}.",
                    currency.code(),
                    balance.to_plain_string()
                ),
                data: serde_json::json!({
                    "currency": currency.code(),
                    "date": day.to_string(),
                    "balance": balance.to_plain_string(),
                    "threshold_minor": settings.balance_threshold_minor(),
                    "window_days": days,
                }),
            });
        }
        Ok(())
    }

    fn consents(&self, organisation: OrganisationId, today: Date, found: &mut Vec<Found>) -> Result<(), AlertError> {
        let zone = calendar_of(self.accounts.as_ref(), organisation)?.time_zone;
        for integration in self.integrations.integrations(organisation)? {
            if integration.status == IntegrationStatus::Disconnected {
                continue;
            }
            let expires_on = integration.consent_expires_at.map(|at| local_date(at, &zone));
            let needs = integration.status == IntegrationStatus::NeedsReconsent;
            let Some(alert) = ConsentAlert::of(needs, expires_on, today) else { continue };
            let provider = integration.provider.code();
            let (key, title) = match alert {
                ConsentAlert::NeedsReconsent => (
                    // Once per consent: connecting again moves the token version on.
                    format!("integration_consent:{}:reconsent:{}", integration.id, integration.token_version),
                    format!("The {provider} bank link needs your consent again"),
                ),
                ConsentAlert::ExpiresOn(d) => (
                    format!("integration_consent:{}:expires:{d}", integration.id),
                    format!("The {provider} bank consent expires on {d}"),
                ),
            };
            found.push(Found {
                kind: NotificationKind::IntegrationConsent,
                key,
                body: format!("{title}. Connect the bank again in the settings so the accounts keep syncing."),
                title,
                data: serde_json::json!({
                    "integration_id": integration.id.to_string(),
                    "provider": provider,
                    "status": integration.status.code(),
                    "consent_expires_on": expires_on.map(|d| d.to_string()),
                }),
            });
        }
        Ok(())
    }

    fn suggestions(&self, organisation: OrganisationId, today: Date, found: &mut Vec<Found>) -> Result<(), AlertError> {
        let waiting = self.reconciliation.suggestions(organisation, SuggestionStatus::Pending, 101)?.len();
        if waiting == 0 {
            return Ok(());
        }
        let count = if waiting > 100 { "More than 100".to_owned() } else { waiting.to_string() };
        found.push(Found {
            kind: NotificationKind::SuggestionsWaiting,
            key: format!("suggestions_waiting:{today}"),
            title: format!("{count} payment match suggestion(s) wait for you"),
            body: "Bank transactions could pay open invoices; accept or reject the suggestions in reconciliation."
                .into(),
            data: serde_json::json!({ "pending": waiting.min(100), "more": waiting > 100 }),
        });
        Ok(())
    }
}
