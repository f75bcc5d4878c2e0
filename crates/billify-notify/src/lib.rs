//! Billify's outbound notification adapters: [`WebhookClient`] posts signed webhooks over HTTP
//! (ureq), [`SmtpMailer`] sends email over SMTP (lettre), implementing the `WebhookSender` and
//! `EmailSender` ports of `billify_ports::notifications`. The in-app channel is the store's.
//!
//! A webhook's body is signed with HMAC-SHA256 over `"{timestamp}.{body}"` with the endpoint's
//! secret ([`sign`]); the timestamp travels in its own header so a receiver can refuse old
//! (replayed) requests, and [`verify`] is what a receiver does.
//!
//! **Must never depend on:** `billify-app`, a storage adapter, actix-web or diesel: adapters
//! implement ports, they never call use cases.

mod email;
mod webhook;

pub use email::{MailerError, SmtpMailer, SmtpSecurity, SmtpSettings};
pub use webhook::{
    DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, WebhookClient, WebhookSettings, sign, verify,
};
