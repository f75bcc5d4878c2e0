//! Signed webhooks over HTTP.

use std::time::Duration;

use billify_ports::notifications::{DeliveryError, WebhookRequest, WebhookSender};
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The header carrying the delivery's id (the same on every try: receivers drop repeats).
pub const DELIVERY_HEADER: &str = "x-billify-delivery";
/// The header carrying the notification kind.
pub const EVENT_HEADER: &str = "x-billify-event";
/// The header carrying the signing time, in seconds since the Unix epoch.
pub const TIMESTAMP_HEADER: &str = "x-billify-timestamp";
/// The header carrying `v1=` and the hex HMAC-SHA256 of `"{timestamp}.{body}"`.
pub const SIGNATURE_HEADER: &str = "x-billify-signature";

/// `v1=` and the hex HMAC-SHA256 of `"{timestamp}.{body}"` under `secret`.
pub fn sign(secret: &[u8], timestamp: i64, body: &[u8]) -> String {
    // HMAC accepts a key of any length.
    let mut mac = match Hmac::<Sha256>::new_from_slice(secret) {
        Ok(mac) => mac,
        Err(_) => return String::new(),
    };
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    format!("v1={}", hex::encode(mac.finalize().into_bytes()))
}

/// What a receiver checks: the signature matches (compared in constant time) and the timestamp
/// is within `tolerance_seconds` of `now` (older requests are replays).
pub fn verify(secret: &[u8], timestamp: i64, body: &[u8], signature: &str, now: i64, tolerance_seconds: i64) -> bool {
    if (now - timestamp).abs() > tolerance_seconds {
        return false;
    }
    let Some(hex_mac) = signature.trim().strip_prefix("v1=") else { return false };
    let Ok(given) = hex::decode(hex_mac) else { return false };
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret) else { return false };
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    mac.verify_slice(&given).is_ok()
}

/// The webhook client's settings.
#[derive(Debug, Clone, Copy)]
pub struct WebhookSettings {
    /// The whole exchange's time limit.
    pub timeout: Duration,
}

impl Default for WebhookSettings {
    fn default() -> Self {
        WebhookSettings { timeout: Duration::from_secs(10) }
    }
}

/// Posts webhooks with ureq; redirects are not followed (a signed body goes where it was
/// configured to, or nowhere).
pub struct WebhookClient {
    agent: ureq::Agent,
}

impl WebhookClient {
    /// A client with these settings.
    pub fn new(settings: WebhookSettings) -> Self {
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(settings.timeout))
            .http_status_as_error(false)
            .max_redirects(0)
            .user_agent(concat!("billify-webhooks/", env!("CARGO_PKG_VERSION")))
            .build()
            .new_agent();
        WebhookClient { agent }
    }
}

impl WebhookSender for WebhookClient {
    fn post(&self, request: &WebhookRequest) -> Result<u16, DeliveryError> {
        let signature = sign(request.secret.expose().as_bytes(), request.timestamp, request.body.as_bytes());
        let answer = self
            .agent
            .post(&request.url)
            .header("content-type", "application/json")
            .header(DELIVERY_HEADER, request.delivery_id.to_string())
            .header(EVENT_HEADER, request.kind.code())
            .header(TIMESTAMP_HEADER, request.timestamp.to_string())
            .header(SIGNATURE_HEADER, signature)
            .send(request.body.as_bytes());
        match answer {
            Ok(response) => {
                let status = response.status().as_u16();
                if (200..300).contains(&status) { Ok(status) } else { Err(DeliveryError::Rejected { status }) }
            }
            Err(ureq::Error::BadUri(e)) => Err(DeliveryError::Permanent(format!("bad URL: {e}"))),
            Err(e) => Err(DeliveryError::Transport(e.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_verify_only_with_the_secret_body_and_a_fresh_timestamp() {
        let sig = sign(b"whsec_1", 1_700_000_000, b"{\"a\":1}");
        assert!(sig.starts_with("v1=") && sig.len() == 3 + 64);
        assert!(verify(b"whsec_1", 1_700_000_000, b"{\"a\":1}", &sig, 1_700_000_100, 300));
        assert!(!verify(b"whsec_2", 1_700_000_000, b"{\"a\":1}", &sig, 1_700_000_100, 300), "other secret");
        assert!(!verify(b"whsec_1", 1_700_000_000, b"{\"a\":2}", &sig, 1_700_000_100, 300), "other body");
        assert!(!verify(b"whsec_1", 1_700_000_001, b"{\"a\":1}", &sig, 1_700_000_100, 300), "other timestamp");
        assert!(!verify(b"whsec_1", 1_700_000_000, b"{\"a\":1}", &sig, 1_700_000_301, 300), "too old: a replay");
        assert!(!verify(b"whsec_1", 1_700_000_000, b"{\"a\":1}", "v1=zz", 1_700_000_000, 300));
    }
}
