//! The notification adapters against loopback fakes speaking the real protocols: a webhook
//! receiver over HTTP and an SMTP sink.

#![allow(clippy::unwrap_used, reason = "tests")]

use std::time::Duration;

use billify_domain::NotificationKind;
use billify_notify::{SmtpMailer, SmtpSecurity, SmtpSettings, WebhookClient, WebhookSettings, verify};
use billify_ports::SecretText;
use billify_ports::notifications::{DeliveryError, EmailMessage, EmailSender, WebhookRequest, WebhookSender};
use billify_testkit::{SmtpSink, WebhookReceiver};
use uuid::Uuid;

fn request(url: String) -> WebhookRequest {
    WebhookRequest {
        url,
        delivery_id: Uuid::now_v7(),
        kind: NotificationKind::LowBalance,
        body: r#"{"type":"low_balance","balance":"-12.50"}"#.into(),
        secret: SecretText::new("whsec_test-secret"),
        timestamp: 1_780_000_000,
    }
}

#[test]
fn a_webhook_is_posted_signed_with_its_timestamp_and_delivery_id() {
    let receiver = WebhookReceiver::start().unwrap();
    let client = WebhookClient::new(WebhookSettings::default());
    let req = request(receiver.url("/hooks/billify"));
    assert_eq!(client.post(&req).unwrap(), 200);
    let got = receiver.requests();
    assert_eq!(got.len(), 1);
    let r = &got[0];
    assert_eq!((r.method.as_str(), r.path.as_str()), ("POST", "/hooks/billify"));
    assert_eq!(r.body, req.body.as_bytes());
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert_eq!(r.header("x-billify-delivery"), Some(req.delivery_id.to_string().as_str()));
    assert_eq!(r.header("x-billify-event"), Some("low_balance"));
    let timestamp: i64 = r.header("x-billify-timestamp").unwrap().parse().unwrap();
    assert_eq!(timestamp, req.timestamp);
    let signature = r.header("x-billify-signature").unwrap();
    assert!(verify(b"whsec_test-secret", timestamp, &r.body, signature, timestamp + 10, 300));
    assert!(!verify(b"another-secret", timestamp, &r.body, signature, timestamp + 10, 300));
    assert!(!verify(b"whsec_test-secret", timestamp, &r.body, signature, timestamp + 301, 300), "replay refused");
}

#[test]
fn refusals_and_unreachable_receivers_are_reported() {
    let receiver = WebhookReceiver::start().unwrap();
    receiver.answer_with(&[503]);
    let client = WebhookClient::new(WebhookSettings { timeout: Duration::from_secs(5) });
    assert_eq!(client.post(&request(receiver.url("/h"))).unwrap_err(), DeliveryError::Rejected { status: 503 });
    assert_eq!(client.post(&request(receiver.url("/h"))).unwrap(), 200, "the script ran out: 200");
    // A port nothing listens on.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let err = client.post(&request(format!("http://{closed}/h"))).unwrap_err();
    assert!(matches!(err, DeliveryError::Transport(_)), "{err:?}");
}

fn mailer(sink: &SmtpSink) -> SmtpMailer {
    SmtpMailer::new(&SmtpSettings {
        host: "127.0.0.1".into(),
        port: sink.addr().port(),
        security: SmtpSecurity::Plain,
        credentials: None,
        from: "Billify <alerts@billify.example>".into(),
        timeout: Duration::from_secs(5),
    })
    .unwrap()
}

#[test]
fn email_reaches_an_smtp_server() {
    let sink = SmtpSink::start().unwrap();
    let message = EmailMessage {
        to: "anna@bloc.be".into(),
        subject: "[Billify] Payable INV-7 is due tomorrow".into(),
        text: "EUR 382.06 to Bloc Group BV is due tomorrow.\n.\nA line with a dot.\n".into(),
    };
    mailer(&sink).send(&message).unwrap();
    let mail = sink.mail();
    assert_eq!(mail.len(), 1);
    assert_eq!(mail[0].from, "alerts@billify.example");
    assert_eq!(mail[0].to, vec!["anna@bloc.be".to_owned()]);
    assert!(mail[0].data.contains("Subject: [Billify] Payable INV-7 is due tomorrow"), "{}", mail[0].data);
    assert!(mail[0].data.contains("EUR 382.06 to Bloc Group BV is due tomorrow."), "{}", mail[0].data);
    assert!(mail[0].data.contains("\r\n.\r\nA line with a dot."), "dot-stuffing is undone: {}", mail[0].data);
}

#[test]
fn a_busy_smtp_server_is_a_transient_failure_and_a_bad_address_a_permanent_one() {
    let sink = SmtpSink::start().unwrap();
    sink.refuse_next(1);
    let m = mailer(&sink);
    let message = EmailMessage { to: "anna@bloc.be".into(), subject: "s".into(), text: "t".into() };
    assert!(matches!(m.send(&message), Err(DeliveryError::Transport(_))));
    m.send(&message).unwrap();
    assert_eq!(sink.mail().len(), 1);
    let bad = EmailMessage { to: "not an address".into(), ..message };
    assert!(matches!(m.send(&bad), Err(DeliveryError::Permanent(_))));
}
