//! Running the alert jobs a worker claimed: the daily alerts, and the delivery of one outbound
//! delivery (a webhook post or an email).
//!
//! A delivery is sent only while it is pending, and the try is recorded before its job is
//! completed: a worker that takes a job over after another's lease expired finds it sent and
//! sends nothing. Transient failures are tried again on the queue with a growing wait
//! ([`billify_domain::alerts::delivery_backoff`]); after the last try the delivery fails for
//! good. A crash between a receiver's answer and the record of it is the one case that sends
//! again; webhooks carry the delivery's id so receivers can drop the repeat.

use billify_domain::Channel;
use billify_domain::alerts::delivery_backoff;
use billify_ports::RepositoryError;
use billify_ports::jobs::Job;
use billify_ports::notifications::{
    DELIVER_JOB, Delivery, DeliveryAttempt, DeliveryError, DeliveryStatus, EmailMessage, Notification, WebhookRequest,
    webhook_secret_context,
};
use uuid::Uuid;

use super::{ALERTS_JOB, AlertError, AlertService};

/// What one claimed alert job did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AlertJobOutcome {
    /// The daily alerts ran; this many notifications were new.
    Raised(usize),
    /// A delivery was sent.
    Sent,
    /// A delivery failed and will be tried again.
    Retrying(String),
    /// A delivery failed for good.
    Failed(String),
    /// Nothing to do (already sent or failed, or gone).
    Skipped,
}

/// How many times a job whose storage (or forecast) failed is claimed before it fails for good.
const MAX_JOB_ATTEMPTS: i32 = 5;

/// Whether this service runs jobs of `kind`.
pub fn handles(kind: &str) -> bool {
    kind == ALERTS_JOB || kind == DELIVER_JOB
}

impl AlertService {
    /// Runs a job of one of the kinds [`handles`] says, claimed by `worker`, and completes it
    /// or queues it again.
    pub fn run_job(&self, job: &Job, worker: &str) -> Result<AlertJobOutcome, AlertError> {
        let result = if job.kind == ALERTS_JOB {
            self.run_daily(job).map(|r| (AlertJobOutcome::Raised(r.raised), None))
        } else {
            self.deliver(job)
        };
        let now = self.clock.now();
        let settled = match &result {
            Ok((AlertJobOutcome::Retrying(error), Some(at))) => self.jobs.fail(job, worker, error, Some(*at), now),
            Ok(_) => self.jobs.complete(job, worker, now),
            Err(e) => {
                // Storage or the forecast failed: try the whole job again in a minute, five
                // times (the scheduler queues a daily run given up on again).
                let retry = (job.attempts < MAX_JOB_ATTEMPTS).then(|| now + time::Duration::minutes(1));
                self.jobs.fail(job, worker, &e.to_string(), retry, now)
            }
        };
        match settled {
            Ok(()) | Err(RepositoryError::Conflict(_)) => {}
            Err(e) => log::warn!("cannot settle job {} of {}: {e}", job.id, job.organisation_id),
        }
        result.map(|(outcome, _)| outcome)
    }

    /// Delivers one delivery; returns the outcome and, when it is to be tried again, when.
    fn deliver(&self, job: &Job) -> Result<(AlertJobOutcome, Option<time::OffsetDateTime>), AlertError> {
        let organisation = job.organisation_id;
        let Ok(id) = Uuid::parse_str(&job.key) else { return Ok((AlertJobOutcome::Skipped, None)) };
        let Some(delivery) = self.notifications.delivery(organisation, id)? else {
            return Ok((AlertJobOutcome::Skipped, None));
        };
        if delivery.status != DeliveryStatus::Pending {
            return Ok((AlertJobOutcome::Skipped, None));
        }
        let Some(notification) = self.notifications.notification(organisation, delivery.notification_id)? else {
            return Ok((AlertJobOutcome::Skipped, None));
        };
        let sent = match delivery.channel {
            Channel::Webhook => self.post_webhook(&delivery, &notification),
            Channel::Email => self.send_email(&delivery, &notification),
            Channel::InApp => Err(DeliveryError::Permanent("in-app notifications are not delivered".into())),
        };
        let now = self.clock.now();
        let (attempt, outcome, retry_at) = match sent {
            Ok(status) => (
                DeliveryAttempt { status: DeliveryStatus::Sent, error: None, response_status: status.map(i32::from) },
                AlertJobOutcome::Sent,
                None,
            ),
            Err(e) => {
                let response_status = match &e {
                    DeliveryError::Rejected { status } => Some(i32::from(*status)),
                    _ => None,
                };
                let permanent = matches!(e, DeliveryError::Permanent(_) | DeliveryError::NotConfigured);
                let wait = if permanent { None } else { delivery_backoff(delivery.attempts + 1) };
                let error = e.to_string();
                match wait {
                    Some(wait) => (
                        DeliveryAttempt {
                            status: DeliveryStatus::Pending,
                            error: Some(error.clone()),
                            response_status,
                        },
                        AlertJobOutcome::Retrying(error),
                        Some(now + wait),
                    ),
                    None => (
                        DeliveryAttempt { status: DeliveryStatus::Failed, error: Some(error.clone()), response_status },
                        AlertJobOutcome::Failed(error),
                        None,
                    ),
                }
            }
        };
        if !self.notifications.record_attempt(organisation, id, &attempt, now)? {
            // Another worker recorded it meanwhile.
            return Ok((AlertJobOutcome::Skipped, None));
        }
        Ok((outcome, retry_at))
    }

    fn post_webhook(&self, delivery: &Delivery, n: &Notification) -> Result<Option<u16>, DeliveryError> {
        let organisation = delivery.organisation_id;
        let (endpoint, sealed) = self
            .notifications
            .webhook_endpoint(organisation, delivery.target_id)
            .map_err(|e| DeliveryError::Transport(e.to_string()))?
            .ok_or_else(|| DeliveryError::Permanent("the endpoint was removed".into()))?;
        let secret = self
            .cipher
            .open(&sealed, &webhook_secret_context(organisation, endpoint.id))
            .map_err(|e| DeliveryError::Permanent(format!("the endpoint's secret cannot be opened: {e}")))?;
        let data: serde_json::Value = serde_json::from_str(&n.data).unwrap_or(serde_json::Value::Null);
        let body = serde_json::json!({
            "id": delivery.id.to_string(),
            "type": n.kind.code(),
            "organisation_id": organisation.to_string(),
            "notification": {
                "id": n.id.to_string(),
                "kind": n.kind.code(),
                "title": n.title,
                "body": n.body,
                "data": data,
                "created_at": n.created_at.unix_timestamp(),
            },
        })
        .to_string();
        let request = WebhookRequest {
            url: endpoint.url,
            delivery_id: delivery.id,
            kind: n.kind,
            body,
            secret,
            timestamp: self.clock.now().unix_timestamp(),
        };
        self.webhooks.post(&request).map(Some)
    }

    fn send_email(&self, delivery: &Delivery, n: &Notification) -> Result<Option<u16>, DeliveryError> {
        let email = self.email.as_ref().ok_or(DeliveryError::NotConfigured)?;
        let user = billify_domain::UserId::from_uuid(delivery.target_id);
        let organisation = delivery.organisation_id;
        let member =
            self.accounts.membership(organisation, user).map_err(|e| DeliveryError::Transport(e.to_string()))?;
        if member.is_none() {
            return Err(DeliveryError::Permanent("the recipient is no longer a member".into()));
        }
        let user = self
            .accounts
            .user(user)
            .map_err(|e| DeliveryError::Transport(e.to_string()))?
            .ok_or_else(|| DeliveryError::Permanent("the recipient no longer exists".into()))?;
        let message = EmailMessage {
            to: user.email.as_str().to_owned(),
            subject: format!("[Billify] {}", n.title),
            text: format!(
                "{}\n\n{}\n\nYou receive this because of your notification preferences in Billify; change them under Settings.\n",
                n.title, n.body
            ),
        };
        email.send(&message).map(|()| None)
    }
}
