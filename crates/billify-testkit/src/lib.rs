//! Billify's test kit: loopback fakes of the external services Billify talks to, for the tests
//! of any crate and for a demo mode that needs no real bank.
//!
//! [`FakePonto`] speaks Ponto Connect's wire format (OAuth2 with PKCE, JSON:API with cursor
//! paging, synchronisations) on `127.0.0.1` over plain HTTP or mutual TLS, with deterministic generated data,
//! error and latency injection and a request log for assertions. [`SmtpSink`] accepts mail over
//! real SMTP and [`WebhookReceiver`] records webhook posts, answering with scripted statuses.
//! error and latency injection and a request log for assertions. [`FakeYuki`] speaks Yuki's SOAP
//! 1.1 envelopes (sessions, faults, the daily call budget, outstanding items).
//!
//! **Must never depend on:** any other Billify crate (adapters, ports, storage): the fakes speak
//! the providers' wire formats, not Billify's types, so an adapter tested against them is tested
//! against the protocol. Production crates may use it only for demo mode, never to serve real
//! data.

pub mod ponto;
mod rng;
pub mod smtp;
pub mod tls;
pub mod webhooks;
pub mod yuki;

pub use ponto::{
    ConsentRedirect, FakeAccount, FakePonto, FakePontoConfig, FakeTransaction, Fault, FaultKind, LoggedRequest,
};
pub use smtp::{ReceivedMail, SmtpSink};
pub use tls::{FakeTls, TEST_CA_PEM, TEST_CLIENT_CERT_PEM, TEST_CLIENT_KEY_PEM, test_pki_path};
pub use webhooks::{ReceivedRequest, WebhookReceiver};
pub use yuki::{FakeYuki, FakeYukiConfig, FakeYukiItem, YukiRequest};
