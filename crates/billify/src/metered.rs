//! Metrics recorded at the edges: decorators that wrap the provider and notification adapters
//! (Ponto, Yuki, webhooks, email) and count every call, its outcome and its duration, so that
//! neither the ports nor the use cases know the `metrics` crate.
//!
//! - `billify_provider_calls_total{provider, outcome}` (`ok` or `error`) and
//!   `billify_provider_call_duration_seconds{provider}`;
//! - `billify_provider_errors_total{provider, error}`: the error's kind (`server`, `transport`,
//!   `rate_limited`, `authorization_invalid`, ...);
//! - `billify_notifications_sent_total{channel, outcome}` (`webhook` or `email`; `sent`,
//!   `rejected`, `transport`, `permanent`) and `billify_notification_duration_seconds{channel}`.

use std::net::IpAddr;
use std::ops::ControlFlow;
use std::sync::Arc;
use std::time::Instant;

use billify_domain::{BankAccount, ProviderId};
use billify_ports::accounting::{
    AccountingConnection, AccountingError, AccountingProvider, Administration, CallMeter, ItemSide, OutstandingItem,
};
use billify_ports::banking::{
    BankingError, BankingProvider, CodeVerifier, ConsentRequest, PageCursor, PageFlow, PollPolicy, ProviderTokens,
    SyncSubtype, Synchronization, TransactionPage,
};
use billify_ports::notifications::{DeliveryError, EmailMessage, EmailSender, WebhookRequest, WebhookSender};

/// Records one provider call.
fn provider_call<T, E: std::fmt::Debug>(provider: &'static str, started: Instant, result: &Result<T, E>) {
    metrics::histogram!("billify_provider_call_duration_seconds", "provider" => provider)
        .record(started.elapsed().as_secs_f64());
    let outcome = match result {
        Ok(_) => "ok",
        Err(error) => {
            metrics::counter!(
                "billify_provider_errors_total",
                "provider" => provider,
                "error" => crate::metrics::outcome_label(error)
            )
            .increment(1);
            "error"
        }
    };
    metrics::counter!("billify_provider_calls_total", "provider" => provider, "outcome" => outcome).increment(1);
}

/// A banking provider (Ponto) whose calls are counted.
pub struct MeteredBanking {
    inner: Arc<dyn BankingProvider>,
    provider: &'static str,
}

impl MeteredBanking {
    /// Wraps `inner`, labelled `provider`.
    pub fn wrap(inner: Arc<dyn BankingProvider>, provider: &'static str) -> Arc<dyn BankingProvider> {
        Arc::new(MeteredBanking { inner, provider })
    }

    fn call<T>(&self, f: impl FnOnce(&dyn BankingProvider) -> Result<T, BankingError>) -> Result<T, BankingError> {
        let started = Instant::now();
        let result = f(self.inner.as_ref());
        provider_call(self.provider, started, &result);
        result
    }
}

impl BankingProvider for MeteredBanking {
    fn consent_request(&self) -> Result<ConsentRequest, BankingError> {
        // Builds a URL; no call to the provider.
        self.inner.consent_request()
    }

    fn exchange_code(&self, code: &str, code_verifier: &CodeVerifier) -> Result<ProviderTokens, BankingError> {
        self.call(|p| p.exchange_code(code, code_verifier))
    }

    fn refresh_tokens(&self, tokens: &ProviderTokens) -> Result<ProviderTokens, BankingError> {
        self.call(|p| p.refresh_tokens(tokens))
    }

    fn revoke_tokens(&self, tokens: &ProviderTokens) -> Result<(), BankingError> {
        self.call(|p| p.revoke_tokens(tokens))
    }

    fn list_accounts(&self, tokens: &mut ProviderTokens) -> Result<Vec<BankAccount>, BankingError> {
        self.call(|p| p.list_accounts(tokens))
    }

    fn transactions(
        &self,
        tokens: &mut ProviderTokens,
        account: &ProviderId,
        from: Option<&PageCursor>,
        on_page: &mut dyn FnMut(TransactionPage) -> PageFlow,
    ) -> Result<(), BankingError> {
        self.call(|p| p.transactions(tokens, account, from, on_page))
    }

    fn create_synchronization(
        &self,
        tokens: &mut ProviderTokens,
        account: &ProviderId,
        subtype: SyncSubtype,
        customer_ip: Option<IpAddr>,
    ) -> Result<Synchronization, BankingError> {
        self.call(|p| p.create_synchronization(tokens, account, subtype, customer_ip))
    }

    fn synchronization(&self, tokens: &mut ProviderTokens, id: &ProviderId) -> Result<Synchronization, BankingError> {
        self.call(|p| p.synchronization(tokens, id))
    }

    fn await_synchronization(
        &self,
        tokens: &mut ProviderTokens,
        id: &ProviderId,
        policy: PollPolicy,
    ) -> Result<Synchronization, BankingError> {
        self.call(|p| p.await_synchronization(tokens, id, policy))
    }

    fn updated_transactions(
        &self,
        tokens: &mut ProviderTokens,
        synchronization: &ProviderId,
        from: Option<&PageCursor>,
        on_page: &mut dyn FnMut(TransactionPage) -> PageFlow,
    ) -> Result<(), BankingError> {
        self.call(|p| p.updated_transactions(tokens, synchronization, from, on_page))
    }
}

/// An accounting provider (Yuki) whose calls are counted.
pub struct MeteredAccounting {
    inner: Arc<dyn AccountingProvider>,
    provider: &'static str,
}

impl MeteredAccounting {
    /// Wraps `inner`, labelled `provider`.
    pub fn wrap(inner: Arc<dyn AccountingProvider>, provider: &'static str) -> Arc<dyn AccountingProvider> {
        Arc::new(MeteredAccounting { inner, provider })
    }

    fn call<T>(
        &self,
        f: impl FnOnce(&dyn AccountingProvider) -> Result<T, AccountingError>,
    ) -> Result<T, AccountingError> {
        let started = Instant::now();
        let result = f(self.inner.as_ref());
        provider_call(self.provider, started, &result);
        result
    }
}

impl AccountingProvider for MeteredAccounting {
    fn authenticate(
        &self,
        connection: &AccountingConnection<'_>,
        meter: &mut CallMeter,
    ) -> Result<(), AccountingError> {
        self.call(|p| p.authenticate(connection, meter))
    }

    fn administrations(
        &self,
        connection: &AccountingConnection<'_>,
        meter: &mut CallMeter,
    ) -> Result<Vec<Administration>, AccountingError> {
        self.call(|p| p.administrations(connection, meter))
    }

    fn outstanding_items(
        &self,
        connection: &AccountingConnection<'_>,
        administration_id: &str,
        side: ItemSide,
        meter: &mut CallMeter,
        on_item: &mut dyn FnMut(OutstandingItem) -> ControlFlow<()>,
    ) -> Result<(), AccountingError> {
        self.call(|p| p.outstanding_items(connection, administration_id, side, meter, on_item))
    }

    fn forget(&self, connection: &AccountingConnection<'_>) {
        self.inner.forget(connection)
    }
}

/// Records one notification sent (or not).
fn notification(channel: &'static str, started: Instant, error: Option<&DeliveryError>) {
    metrics::histogram!("billify_notification_duration_seconds", "channel" => channel)
        .record(started.elapsed().as_secs_f64());
    let outcome = error.map_or_else(|| "sent".to_owned(), crate::metrics::outcome_label);
    metrics::counter!("billify_notifications_sent_total", "channel" => channel, "outcome" => outcome).increment(1);
}

/// A webhook sender whose posts are counted.
pub struct MeteredWebhooks(pub Arc<dyn WebhookSender>);

impl WebhookSender for MeteredWebhooks {
    fn post(&self, request: &WebhookRequest) -> Result<u16, DeliveryError> {
        let started = Instant::now();
        let result = self.0.post(request);
        notification("webhook", started, result.as_ref().err());
        result
    }
}

/// An email sender whose messages are counted.
pub struct MeteredEmail(pub Arc<dyn EmailSender>);

impl EmailSender for MeteredEmail {
    fn send(&self, message: &EmailMessage) -> Result<(), DeliveryError> {
        let started = Instant::now();
        let result = self.0.send(message);
        notification("email", started, result.as_ref().err());
        result
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "test code")]

    use super::*;
    use billify_ports::integrations::AccountingRegion;

    struct Refusing;

    impl WebhookSender for Refusing {
        fn post(&self, _: &WebhookRequest) -> Result<u16, DeliveryError> {
            Err(DeliveryError::Transport("connection refused".into()))
        }
    }

    struct Mailer;

    impl EmailSender for Mailer {
        fn send(&self, _: &EmailMessage) -> Result<(), DeliveryError> {
            Ok(())
        }
    }

    /// Yuki answering the key check, then failing.
    struct Flaky;

    impl AccountingProvider for Flaky {
        fn authenticate(&self, _: &AccountingConnection<'_>, _: &mut CallMeter) -> Result<(), AccountingError> {
            Ok(())
        }

        fn administrations(
            &self,
            _: &AccountingConnection<'_>,
            _: &mut CallMeter,
        ) -> Result<Vec<Administration>, AccountingError> {
            Err(AccountingError::Transport("timed out".into()))
        }

        fn outstanding_items(
            &self,
            _: &AccountingConnection<'_>,
            _: &str,
            _: ItemSide,
            _: &mut CallMeter,
            _: &mut dyn FnMut(OutstandingItem) -> ControlFlow<()>,
        ) -> Result<(), AccountingError> {
            Err(AccountingError::Server { detail: "fault".into() })
        }

        fn forget(&self, _: &AccountingConnection<'_>) {}
    }

    #[test]
    fn provider_calls_and_notifications_are_counted_by_provider_channel_and_outcome() {
        let recorder = metrics_exporter_prometheus::PrometheusBuilder::new().build_recorder();
        let handle = recorder.handle();
        metrics::with_local_recorder(&recorder, || {
            let webhooks = MeteredWebhooks(Arc::new(Refusing));
            let request = WebhookRequest {
                url: "http://127.0.0.1:1/hook".into(),
                delivery_id: uuid::Uuid::nil(),
                kind: billify_domain::NotificationKind::PayableDueSoon,
                body: "{}".into(),
                secret: billify_ports::SecretText::new("s"),
                timestamp: 0,
            };
            assert!(webhooks.post(&request).is_err(), "the outcome passes through");
            assert!(webhooks.post(&request).is_err());
            let email = MeteredEmail(Arc::new(Mailer));
            let message = EmailMessage { to: "a@b.be".into(), subject: "s".into(), text: "t".into() };
            assert!(email.send(&message).is_ok());

            let yuki = MeteredAccounting::wrap(Arc::new(Flaky), "yuki");
            let connection = AccountingConnection { region: AccountingRegion::Be, access_key: "key" };
            let mut meter = CallMeter::default();
            assert!(yuki.authenticate(&connection, &mut meter).is_ok());
            assert!(yuki.administrations(&connection, &mut meter).is_err());
            let mut on_item = |_: OutstandingItem| ControlFlow::Continue(());
            assert!(yuki.outstanding_items(&connection, "adm", ItemSide::Debtor, &mut meter, &mut on_item).is_err());
        });
        let text = handle.render();
        for series in [
            r#"billify_notifications_sent_total{channel="webhook",outcome="transport"} 2"#,
            r#"billify_notifications_sent_total{channel="email",outcome="sent"} 1"#,
            r#"billify_notification_duration_seconds_count{channel="webhook"} 2"#,
            r#"billify_provider_calls_total{provider="yuki",outcome="ok"} 1"#,
            r#"billify_provider_calls_total{provider="yuki",outcome="error"} 2"#,
            r#"billify_provider_errors_total{provider="yuki",error="transport"} 1"#,
            r#"billify_provider_errors_total{provider="yuki",error="server"} 1"#,
            r#"billify_provider_call_duration_seconds_count{provider="yuki"} 3"#,
        ] {
            assert!(text.contains(series), "{series} in:\n{text}");
        }
    }
}
