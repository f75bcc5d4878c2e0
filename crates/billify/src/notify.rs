//! The outbound notification channels of one process: the webhook client and, when
//! `BILLIFY_SMTP_HOST` is set, the SMTP mailer (`BILLIFY_SMTP_*`, `BILLIFY_WEBHOOK_*` and
//! `BILLIFY_ALERT_*` in `.env.example`).

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use billify_app::AlertConfig;
use billify_notify::{SmtpMailer, SmtpSecurity, SmtpSettings, WebhookClient, WebhookSettings};
use billify_ports::SecretText;
use billify_ports::notifications::{EmailSender, WebhookSender};

/// The notification channels' configuration.
#[derive(Debug, Clone)]
pub struct NotifyConfig {
    /// SMTP, when configured.
    pub smtp: Option<SmtpSettings>,
    /// The webhook client's settings.
    pub webhooks: WebhookSettings,
    /// The alert job's settings.
    pub alerts: AlertConfig,
}

fn number(get: &dyn Fn(&str) -> Option<String>, name: &str, default: u64, min: u64, max: u64) -> anyhow::Result<u64> {
    match get(name) {
        None => Ok(default),
        Some(text) => match text.trim().parse::<u64>() {
            Ok(n) if (min..=max).contains(&n) => Ok(n),
            _ => anyhow::bail!("invalid configuration: {name}: {text:?} is not a number from {min} to {max}"),
        },
    }
}

impl NotifyConfig {
    /// Reads the process environment.
    pub fn from_env() -> anyhow::Result<NotifyConfig> {
        Self::from_lookup(&|name| std::env::var(name).ok().filter(|v| !v.trim().is_empty()))
    }

    /// Reads the settings through `get`.
    pub fn from_lookup(get: &dyn Fn(&str) -> Option<String>) -> anyhow::Result<NotifyConfig> {
        let smtp = match get("BILLIFY_SMTP_HOST") {
            None => None,
            Some(host) => {
                let security = match get("BILLIFY_SMTP_SECURITY") {
                    None => SmtpSecurity::StartTls,
                    Some(text) => SmtpSecurity::parse(&text).with_context(|| {
                        format!("invalid configuration: BILLIFY_SMTP_SECURITY: {text:?} is not starttls, tls or none")
                    })?,
                };
                let default_port = match security {
                    SmtpSecurity::StartTls => 587,
                    SmtpSecurity::Tls => 465,
                    SmtpSecurity::Plain => 25,
                };
                let port = number(get, "BILLIFY_SMTP_PORT", default_port, 1, 65_535)?;
                let from = get("BILLIFY_SMTP_FROM")
                    .context("invalid configuration: BILLIFY_SMTP_FROM must be set with BILLIFY_SMTP_HOST")?;
                let credentials = match (get("BILLIFY_SMTP_USER"), get("BILLIFY_SMTP_PASSWORD")) {
                    (Some(user), Some(password)) => Some((user, SecretText::new(password))),
                    (None, None) => None,
                    _ => {
                        anyhow::bail!("invalid configuration: BILLIFY_SMTP_USER and BILLIFY_SMTP_PASSWORD go together")
                    }
                };
                Some(SmtpSettings {
                    host: host.trim().to_owned(),
                    port: u16::try_from(port).unwrap_or(587),
                    security,
                    credentials,
                    from,
                    timeout: Duration::from_secs(number(get, "BILLIFY_SMTP_TIMEOUT_SECONDS", 30, 1, 600)?),
                })
            }
        };
        let webhooks = WebhookSettings {
            timeout: Duration::from_secs(number(get, "BILLIFY_WEBHOOK_TIMEOUT_SECONDS", 10, 1, 120)?),
        };
        let alerts = AlertConfig {
            forecast_days: u32::try_from(number(get, "BILLIFY_ALERT_FORECAST_DAYS", 90, 1, 365)?).unwrap_or(90),
            ..AlertConfig::default()
        };
        Ok(NotifyConfig { smtp, webhooks, alerts })
    }

    /// The webhook client.
    pub fn webhook_sender(&self) -> Arc<dyn WebhookSender> {
        Arc::new(WebhookClient::new(self.webhooks))
    }

    /// The mailer, when SMTP is configured.
    pub fn email_sender(&self) -> anyhow::Result<Option<Arc<dyn EmailSender>>> {
        match &self.smtp {
            None => Ok(None),
            Some(smtp) => {
                let mailer = SmtpMailer::new(smtp).map_err(|e| anyhow::anyhow!("invalid configuration: SMTP: {e}"))?;
                log::info!("email notifications: SMTP at {}:{}", smtp.host, smtp.port);
                Ok(Some(Arc::new(mailer)))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn with(vars: &[(&str, &str)]) -> anyhow::Result<NotifyConfig> {
        let map: HashMap<String, String> = vars.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        NotifyConfig::from_lookup(&|k| map.get(k).cloned())
    }

    #[test]
    fn smtp_is_off_without_a_host_and_checked_with_one() {
        let c = with(&[]).unwrap();
        assert!(c.smtp.is_none());
        assert_eq!(c.alerts.forecast_days, 90);
        let err = with(&[("BILLIFY_SMTP_HOST", "smtp.example.be")]).unwrap_err().to_string();
        assert!(err.contains("BILLIFY_SMTP_FROM"), "{err}");
        let c = with(&[
            ("BILLIFY_SMTP_HOST", "smtp.example.be"),
            ("BILLIFY_SMTP_FROM", "Billify <alerts@example.be>"),
            ("BILLIFY_SMTP_USER", "alerts"),
            ("BILLIFY_SMTP_PASSWORD", "very-secret"),
        ])
        .unwrap();
        let smtp = c.smtp.as_ref().unwrap();
        assert_eq!((smtp.port, smtp.security), (587, SmtpSecurity::StartTls));
        assert!(!format!("{c:?}").contains("very-secret"), "the password is never printed");
        let err =
            with(&[("BILLIFY_SMTP_HOST", "h"), ("BILLIFY_SMTP_FROM", "a@b.be"), ("BILLIFY_SMTP_SECURITY", "ssl")])
                .unwrap_err()
                .to_string();
        assert!(err.contains("BILLIFY_SMTP_SECURITY"), "{err}");
        assert!(
            with(&[("BILLIFY_ALERT_FORECAST_DAYS", "0")])
                .unwrap_err()
                .to_string()
                .contains("BILLIFY_ALERT_FORECAST_DAYS")
        );
    }
}
