//! The Ponto adapter against the loopback fake Ponto server, over real HTTP: consent with PKCE,
//! token exchange, refresh and revocation, paging, exact amounts, error mapping,
//! synchronisations and request signing.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test code")]

use std::ops::ControlFlow;
use std::path::PathBuf;
use std::time::Duration;

use base64::Engine as _;
use billify_domain::{BankTransaction, ProviderId};
use billify_ponto::{ClientCertificate, PontoClient, PontoConfig, RequestSigning};
use billify_ports::banking::{
    BankingError, BankingProvider, PageCursor, PollPolicy, ProviderTokens, SyncStatus, SyncSubtype,
};
use billify_testkit::{FakePonto, FakePontoConfig, FakeTransaction, Fault, FaultKind};
use sha2::Digest as _;

const REDIRECT: &str = "https://billify.example/settings/bank/callback";

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

fn config_for(fake: &FakePonto) -> PontoConfig {
    let mut config = PontoConfig::custom(
        &fake.base_url(),
        &fake.authorization_url(),
        &fake.client_id(),
        &fake.client_secret(),
        REDIRECT,
    );
    config.timeout = Duration::from_secs(10);
    config
}

fn start(config: FakePontoConfig) -> (FakePonto, PontoClient) {
    let fake = FakePonto::start(config).unwrap();
    let client = PontoClient::new(config_for(&fake)).unwrap();
    (fake, client)
}

/// Links a user: consent URL, the fake's consent page, code exchange.
fn link(fake: &FakePonto, client: &PontoClient) -> ProviderTokens {
    let consent = client.consent_request().unwrap();
    let redirect = fake.consent(&consent.url).unwrap();
    assert_eq!(redirect.state, consent.state);
    client.exchange_code(&redirect.code, &consent.code_verifier).unwrap()
}

fn all_transactions(client: &PontoClient, tokens: &mut ProviderTokens, account: &ProviderId) -> Vec<BankTransaction> {
    let mut all = Vec::new();
    client
        .transactions(tokens, account, None, &mut |page| {
            all.extend(page.transactions);
            ControlFlow::Continue(())
        })
        .unwrap();
    all
}

fn query_param(url: &str, name: &str) -> Option<String> {
    let query = url.split_once('?')?.1;
    serde_urlencoded::from_str::<Vec<(String, String)>>(query)
        .ok()?
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

#[test]
fn consent_uses_pkce_s256_and_a_separate_random_state() {
    let (fake, client) = start(FakePontoConfig::default());
    let consent = client.consent_request().unwrap();
    let url = &consent.url;
    assert!(url.starts_with(&fake.authorization_url()));
    let verifier = consent.code_verifier.expose();
    assert!((43..=128).contains(&verifier.len()));
    assert!(verifier.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b)));
    let challenge = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(verifier.as_bytes()));
    assert_eq!(query_param(url, "code_challenge").as_deref(), Some(challenge.as_str()));
    assert_eq!(query_param(url, "code_challenge_method").as_deref(), Some("S256"));
    assert_eq!(query_param(url, "state").as_deref(), Some(consent.state.as_str()));
    assert_eq!(query_param(url, "scope").as_deref(), Some("ai pi name offline_access"));
    assert_eq!(query_param(url, "redirect_uri").as_deref(), Some(REDIRECT));
    assert_eq!(query_param(url, "response_type").as_deref(), Some("code"));
    assert_ne!(consent.state, verifier);
    assert!(!url.contains(verifier), "the verifier must never be in the URL");
    assert!(consent.state.len() >= 43);
    let again = client.consent_request().unwrap();
    assert_ne!(again.state, consent.state);
    assert_ne!(again.code_verifier, consent.code_verifier);

    // The fake checks the verifier against the challenge: the right one works, once.
    let redirect = fake.consent(url).unwrap();
    let wrong = billify_ports::banking::CodeVerifier::new(again.code_verifier.expose());
    assert!(matches!(client.exchange_code(&redirect.code, &wrong), Err(BankingError::AuthorizationInvalid { .. })));
    let redirect = fake.consent(url).unwrap();
    let tokens = client.exchange_code(&redirect.code, &consent.code_verifier).unwrap();
    assert!(tokens.access_token.starts_with("at-") && tokens.refresh_token.starts_with("rt-"));
    let token_call = fake.requests().into_iter().rev().find(|r| r.path().ends_with("/oauth2/token")).unwrap();
    assert_eq!(token_call.path(), "/ponto-connect/oauth2/token");
    assert!(token_call.header("authorization").unwrap().starts_with("Basic "));
    let body = String::from_utf8(token_call.body).unwrap();
    assert!(body.contains("grant_type=authorization_code") && body.contains("code_verifier="), "{body}");
}

#[test]
fn every_account_of_every_page_is_kept_with_exact_amounts() {
    let (fake, mut client_config) = {
        let fake = FakePonto::start(FakePontoConfig { accounts: 5, ..FakePontoConfig::default() }).unwrap();
        let config = config_for(&fake);
        (fake, config)
    };
    client_config.page_limit = 2;
    let client = PontoClient::new(client_config).unwrap();
    let mut tokens = link(&fake, &client);
    let accounts = client.list_accounts(&mut tokens).unwrap();
    let expected = fake.accounts();
    assert_eq!(accounts.len(), 5);
    for (got, want) in accounts.iter().zip(&expected) {
        assert_eq!(got.provider_id().as_str(), want.id);
        assert_eq!(got.iban().unwrap().as_str(), want.iban);
        assert_eq!(got.current_balance().to_plain_string(), want.current_balance);
        assert_eq!(got.holder_name(), want.holder_name.as_deref());
        assert!(got.institution_name().is_some());
        assert!(got.authorization_expires_at().is_some());
    }
    let pages = fake.requests().iter().filter(|r| r.path() == "/ponto-connect/accounts").count();
    assert_eq!(pages, 3, "5 accounts in pages of 2");
    let institution_reads = || fake.requests().iter().filter(|r| r.path().contains("/financial-institutions/")).count();
    let first = institution_reads();
    assert!(first >= 1);
    let again = client.list_accounts(&mut tokens).unwrap();
    assert_eq!(again, accounts, "institution names come from the cache");
    assert_eq!(institution_reads(), first, "an institution is read once, not at every sync");
}

#[test]
fn transactions_are_paged_through_links_next_with_exact_amounts() {
    let (fake, client) = start(FakePontoConfig { transactions_per_account: 230, ..FakePontoConfig::default() });
    let mut tokens = link(&fake, &client);
    let account = ProviderId::parse(&fake.accounts()[0].id).unwrap();
    let mut pages = Vec::new();
    client
        .transactions(&mut tokens, &account, None, &mut |page| {
            pages.push(page);
            ControlFlow::Continue(())
        })
        .unwrap();
    assert_eq!(pages.iter().map(|p| p.transactions.len()).collect::<Vec<_>>(), [100, 100, 30]);
    assert!(pages[0].next.is_some() && pages[2].next.is_none());
    let got: Vec<_> = pages.iter().flat_map(|p| &p.transactions).collect();
    let want = fake.transactions(account.as_str());
    assert_eq!(got.len(), want.len());
    for (g, w) in got.iter().zip(&want) {
        assert_eq!(g.provider_id().as_str(), w.id);
        assert_eq!(g.amount().to_plain_string(), w.amount);
        assert_eq!(g.account_provider_id(), &account);
    }
    assert_eq!(got[0].amount().to_plain_string(), "1234.56");
    assert_eq!(got[1].amount().to_plain_string(), "-0.10");
    let structured = got.iter().filter(|t| t.remittance_type() == billify_domain::RemittanceType::Structured);
    assert!(structured.clone().count() > 0 && structured.clone().all(|t| t.structured_reference().is_some()));
    let requests = fake.requests();
    let tx_requests: Vec<_> = requests.iter().filter(|r| r.path().ends_with("/transactions")).collect();
    assert_eq!(tx_requests.len(), 3);
    assert!(tx_requests.iter().all(|r| r.url.contains("page[limit]=100") || r.url.contains("page%5Blimit%5D=100")));
    assert!(tx_requests[1].url.contains("page[after]=") || tx_requests[1].url.contains("page%5Bafter%5D="));
}

#[test]
fn a_large_amount_stays_exact() {
    let (fake, client) =
        start(FakePontoConfig { accounts: 1, transactions_per_account: 1, ..FakePontoConfig::default() });
    let account = fake.accounts()[0].id.clone();
    let mut tx = fake.transactions(&account)[0].clone();
    tx.id = "big-one".into();
    tx.amount = "90071992547409.93".into();
    fake.add_transaction(tx);
    let mut tokens = link(&fake, &client);
    let got = all_transactions(&client, &mut tokens, &ProviderId::parse(&account).unwrap());
    assert_eq!(got[0].amount().to_plain_string(), "90071992547409.93");
}

#[test]
fn an_interrupted_import_resumes_from_its_cursor() {
    let (fake, client) = start(FakePontoConfig { transactions_per_account: 250, ..FakePontoConfig::default() });
    let mut tokens = link(&fake, &client);
    let account = ProviderId::parse(&fake.accounts()[1].id).unwrap();
    fake.inject(Fault::new("/transactions", FaultKind::ServerError, 1).after(1));
    let mut stored: Vec<String> = Vec::new();
    let mut cursor: Option<PageCursor> = None;
    let err = client
        .transactions(&mut tokens, &account, None, &mut |page| {
            stored.extend(page.transactions.iter().map(|t| t.provider_id().to_string()));
            cursor = page.next;
            ControlFlow::Continue(())
        })
        .unwrap_err();
    assert!(matches!(err, BankingError::Server { status: 500, .. }), "{err:?}");
    assert!(err.is_transient());
    assert_eq!(stored.len(), 100);
    client
        .transactions(&mut tokens, &account, cursor.as_ref(), &mut |page| {
            stored.extend(page.transactions.iter().map(|t| t.provider_id().to_string()));
            ControlFlow::Continue(())
        })
        .unwrap();
    let want: Vec<String> = fake.transactions(account.as_str()).into_iter().map(|t| t.id).collect();
    assert_eq!(stored, want);

    // A cursor pointing elsewhere is refused before any request carries the token there.
    let evil = PageCursor::new("http://evil.example/ponto-connect/accounts");
    let err = client.transactions(&mut tokens, &account, Some(&evil), &mut |_| ControlFlow::Continue(())).unwrap_err();
    assert!(matches!(err, BankingError::InvalidResponse(_)));

    // Stopping early fetches no more pages.
    fake.clear_requests();
    client.transactions(&mut tokens, &account, None, &mut |_| ControlFlow::Break(())).unwrap();
    assert_eq!(fake.requests().len(), 1);
}

#[test]
fn a_401_refreshes_the_tokens_once_and_retries() {
    let (fake, client) = start(FakePontoConfig::default());
    let mut tokens = link(&fake, &client);
    let before = tokens.clone();
    fake.expire_access_tokens();
    let accounts = client.list_accounts(&mut tokens).unwrap();
    assert_eq!(accounts.len(), 3);
    assert_ne!(tokens.access_token, before.access_token);
    assert_ne!(tokens.refresh_token, before.refresh_token, "refresh tokens rotate and must be stored again");
    let refreshes = fake
        .requests()
        .iter()
        .filter(|r| r.path().ends_with("/oauth2/token") && String::from_utf8_lossy(&r.body).contains("refresh_token"))
        .count();
    assert_eq!(refreshes, 1);
    // The rotated-out refresh token is dead.
    assert!(matches!(client.refresh_tokens(&before), Err(BankingError::AuthorizationInvalid { .. })));
}

#[test]
fn tokens_about_to_expire_are_refreshed_before_the_call() {
    let (fake, client) = start(FakePontoConfig::default());
    let mut tokens = link(&fake, &client);
    tokens.expires_at = time::OffsetDateTime::now_utc() + time::Duration::seconds(10);
    let old = tokens.clone();
    client.list_accounts(&mut tokens).unwrap();
    assert_ne!(tokens, old);
    assert!(!fake.requests().iter().any(|r| r.path().ends_with("/accounts")
        && r.header("authorization") == Some(&format!("Bearer {}", old.access_token))));
}

#[test]
fn a_refused_refresh_means_the_user_must_consent_again() {
    let (fake, client) = start(FakePontoConfig::default());
    let mut tokens = link(&fake, &client);
    fake.expire_access_tokens();
    fake.revoke_refresh_tokens();
    let err = client.list_accounts(&mut tokens).unwrap_err();
    assert!(matches!(err, BankingError::AuthorizationInvalid { .. }), "{err:?}");
    assert!(!err.is_transient());

    // A 401 that survives a successful refresh is also a re-consent.
    let mut tokens = link(&fake, &client);
    fake.inject(Fault::new("/accounts", FaultKind::Unauthorized, 2));
    let err = client.list_accounts(&mut tokens).unwrap_err();
    assert!(matches!(err, BankingError::AuthorizationInvalid { .. }), "{err:?}");
}

#[test]
fn rate_limits_not_found_and_server_errors_are_typed() {
    let (fake, client) = start(FakePontoConfig::default());
    let mut tokens = link(&fake, &client);
    fake.inject(Fault::new("/accounts", FaultKind::RateLimited { retry_after_secs: 30 }, 1));
    assert_eq!(
        client.list_accounts(&mut tokens).unwrap_err(),
        BankingError::RateLimited { retry_after: Some(Duration::from_secs(30)) }
    );
    fake.inject(Fault::new("/accounts", FaultKind::ServerError, 1));
    assert!(matches!(client.list_accounts(&mut tokens), Err(BankingError::Server { status: 500, .. })));
    let unknown = ProviderId::parse("no-such-account").unwrap();
    assert!(matches!(
        client.transactions(&mut tokens, &unknown, None, &mut |_| ControlFlow::Continue(())),
        Err(BankingError::NotFound { .. })
    ));
    fake.inject(Fault::new("/accounts", FaultKind::Raw { status: 200, body: "{\"data\":[{\"id\":1}]}".into() }, 1));
    match client.list_accounts(&mut tokens) {
        Err(BankingError::InvalidResponse(what)) => assert!(what.contains("data[0]"), "{what}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(client.list_accounts(&mut tokens).unwrap().len(), 3);
}

#[test]
fn synchronizations_run_to_success_and_report_updated_transactions() {
    let (fake, client) = start(FakePontoConfig::default());
    let mut tokens = link(&fake, &client);
    let account = ProviderId::parse(&fake.accounts()[0].id).unwrap();
    let ip = "203.0.113.7".parse().unwrap();
    let sync =
        client.create_synchronization(&mut tokens, &account, SyncSubtype::AccountTransactions, Some(ip)).unwrap();
    assert_eq!(sync.status, SyncStatus::Pending);
    assert_eq!(sync.account_id, account);
    let create =
        fake.requests().into_iter().find(|r| r.method == "POST" && r.path().ends_with("/synchronizations")).unwrap();
    assert!(create.header("ibanity-idempotency-key").is_some());
    let body: serde_json::Value = serde_json::from_slice(&create.body).unwrap();
    assert_eq!(body["data"]["attributes"]["customerIpAddress"], "203.0.113.7");
    let policy = PollPolicy {
        initial_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(20),
        max_wait: Duration::from_secs(5),
    };
    let done = client.await_synchronization(&mut tokens, &sync.id, policy).unwrap();
    assert_eq!(done.status, SyncStatus::Success);
    let mut updated = Vec::new();
    client
        .updated_transactions(&mut tokens, &sync.id, None, &mut |page| {
            updated.extend(page.transactions);
            ControlFlow::Continue(())
        })
        .unwrap();
    assert_eq!(updated.len(), 2);
    assert!(updated.iter().all(|t| t.account_provider_id() == &account));

    fake.fail_synchronizations_with(Some("authorizationInvalid"));
    let sync = client.create_synchronization(&mut tokens, &account, SyncSubtype::AccountDetails, None).unwrap();
    let failed = client.await_synchronization(&mut tokens, &sync.id, policy).unwrap();
    assert_eq!(failed.status, SyncStatus::Error);
    assert!(failed.needs_reauthorization());
}

#[test]
fn revoking_unlinks_the_bank() {
    let (fake, client) = start(FakePontoConfig::default());
    let tokens = link(&fake, &client);
    client.revoke_tokens(&tokens).unwrap();
    assert!(matches!(client.refresh_tokens(&tokens), Err(BankingError::AuthorizationInvalid { .. })));
    client.revoke_tokens(&tokens).unwrap();
}

#[test]
fn latency_is_tolerated_and_the_timeout_is_enforced() {
    let fake =
        FakePonto::start(FakePontoConfig { latency: Duration::from_millis(20), ..FakePontoConfig::default() }).unwrap();
    let client = PontoClient::new(config_for(&fake)).unwrap();
    let mut tokens = link(&fake, &client);
    assert_eq!(client.list_accounts(&mut tokens).unwrap().len(), 3);
    let mut config = config_for(&fake);
    config.timeout = Duration::from_millis(5);
    let impatient = PontoClient::new(config).unwrap();
    assert!(matches!(impatient.list_accounts(&mut tokens), Err(BankingError::Transport(_))));
}

#[test]
fn requests_are_signed_and_the_signature_verifies_with_the_public_key() {
    use rsa::pkcs8::DecodePrivateKey as _;
    use rsa::signature::Verifier as _;

    let fake = FakePonto::start(FakePontoConfig { require_signature: true, ..FakePontoConfig::default() }).unwrap();
    let mut config = config_for(&fake);
    config.signing = Some(RequestSigning {
        key_id: "75b5d796-de5c-400a-81ce-e72371b01cbc".into(),
        private_key_path: fixture("signing-key.pem"),
    });
    let client = PontoClient::new(config).unwrap();
    let mut tokens = link(&fake, &client);
    let account = ProviderId::parse(&fake.accounts()[0].id).unwrap();
    assert_eq!(all_transactions(&client, &mut tokens, &account).len(), 25);
    client.create_synchronization(&mut tokens, &account, SyncSubtype::AccountDetails, None).unwrap();

    let pem = std::fs::read_to_string(fixture("signing-key.pem")).unwrap();
    let public = rsa::RsaPrivateKey::from_pkcs8_pem(&pem).unwrap().to_public_key();
    let verifier = rsa::pss::VerifyingKey::<sha2::Sha256>::new(public);
    let requests = fake.requests();
    assert!(requests.len() >= 3);
    for request in requests.iter().filter(|r| r.path().starts_with("/ponto-connect/")) {
        let digest = request.header("digest").expect("digest header");
        let expected = base64::engine::general_purpose::STANDARD.encode(sha2::Sha512::digest(&request.body));
        assert_eq!(digest, format!("SHA-512={expected}"));
        let signature = request.header("signature").expect("signature header");
        let field = |name: &str| {
            let start = signature.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
            signature[start..].split('"').next().unwrap().to_owned()
        };
        assert_eq!(field("keyId"), "75b5d796-de5c-400a-81ce-e72371b01cbc");
        assert_eq!(field("algorithm"), "hs2019");
        let headers = field("headers");
        assert!(headers.starts_with("(request-target) host digest (created) authorization"), "{headers}");
        if request.method == "POST" && !request.path().contains("oauth2") {
            assert!(headers.ends_with("ibanity-idempotency-key"), "{headers}");
        }
        // Rebuild the signing string from what arrived on the wire.
        let lines: Vec<String> = headers
            .split(' ')
            .map(|h| match h {
                "(request-target)" => format!("(request-target): {} {}", request.method.to_lowercase(), request.url),
                "(created)" => format!("(created): {}", field("created")),
                name => format!("{name}: {}", request.header(name).unwrap()),
            })
            .collect();
        let bytes = base64::engine::general_purpose::STANDARD.decode(field("signature")).unwrap();
        let sig = rsa::pss::Signature::try_from(bytes.as_slice()).unwrap();
        verifier.verify(lines.join("\n").as_bytes(), &sig).expect("the signature verifies");
        // Tampering with the target breaks it.
        let tampered = lines.join("\n").replacen("/ponto-connect", "/ponto-connecT", 1);
        assert!(verifier.verify(tampered.as_bytes(), &sig).is_err());
    }

    // Without signing configured, the fake (requiring signatures) refuses the calls.
    let unsigned = PontoClient::new(config_for(&fake)).unwrap();
    let err = unsigned.list_accounts(&mut tokens).unwrap_err();
    assert!(
        matches!(err, BankingError::Rejected { status: 400, ref code, .. } if code.as_deref() == Some("invalidSignature")),
        "{err:?}"
    );
}

#[test]
fn a_client_certificate_is_loaded_for_mutual_tls() {
    let fake = FakePonto::start(FakePontoConfig::default()).unwrap();
    let mut config = config_for(&fake);
    config.client_certificate = Some(ClientCertificate {
        certificate_path: fixture("client-cert.pem"),
        private_key_path: fixture("client-key.pem"),
    });
    let client = PontoClient::new(config.clone()).unwrap();
    // Over plain HTTP the certificate is simply not used; the client works.
    let mut tokens = link(&fake, &client);
    assert_eq!(client.list_accounts(&mut tokens).unwrap().len(), 3);
    config.client_certificate = Some(ClientCertificate {
        certificate_path: fixture("client-key.pem"),
        private_key_path: fixture("client-key.pem"),
    });
    assert!(PontoClient::new(config.clone()).is_err(), "a key is not a certificate");
    config.client_certificate = Some(ClientCertificate {
        certificate_path: fixture("missing.pem"),
        private_key_path: fixture("client-key.pem"),
    });
    assert!(PontoClient::new(config).is_err());
}

#[test]
fn added_transactions_show_up_newest_first() {
    let (fake, client) =
        start(FakePontoConfig { accounts: 1, transactions_per_account: 3, ..FakePontoConfig::default() });
    let account = fake.accounts()[0].id.clone();
    fake.add_transaction(FakeTransaction {
        id: "fresh".into(),
        account_id: account.clone(),
        amount: "0.01".into(),
        currency: "EUR".into(),
        counterpart_name: None,
        counterpart_reference: Some("not an iban".into()),
        remittance_information: Some("Betaling +++123/4567/89002+++".into()),
        remittance_information_type: "unstructured".into(),
        description: "Overschrijving".into(),
        execution_date: "2024-04-02".into(),
        value_date: "2024-04-03".into(),
        bank_transaction_code: None,
    });
    let mut tokens = link(&fake, &client);
    let got = all_transactions(&client, &mut tokens, &ProviderId::parse(&account).unwrap());
    assert_eq!(got.len(), 4);
    assert_eq!(got[0].provider_id().as_str(), "fresh");
    assert_eq!(got[0].counterparty_iban(), None);
    assert_eq!(got[0].structured_reference().unwrap().digits(), "123456789002");
    assert_eq!(got[0].value_date().unwrap().to_string(), "2024-04-03");
}

#[test]
fn mutual_tls_presents_the_client_certificate() {
    use billify_testkit::{FakeTls, test_pki_path};

    let fake =
        FakePonto::start(FakePontoConfig { tls: Some(FakeTls::mutual_with_test_pki()), ..FakePontoConfig::default() })
            .unwrap();
    assert!(fake.base_url().starts_with("https://127.0.0.1:"));
    let mut config = config_for(&fake);
    config.root_certificates = Some(test_pki_path("ca.pem"));
    config.client_certificate = Some(ClientCertificate {
        certificate_path: test_pki_path("client.pem"),
        private_key_path: test_pki_path("client-key.pem"),
    });
    let client = PontoClient::new(config.clone()).unwrap();
    let mut tokens = link(&fake, &client);
    assert_eq!(client.list_accounts(&mut tokens).unwrap().len(), 3);
    assert!(fake.tls_client_handshakes() >= 1);

    // Without the client certificate the handshake is refused: a transport error.
    config.client_certificate = None;
    let anonymous = PontoClient::new(config.clone()).unwrap();
    assert!(matches!(anonymous.list_accounts(&mut tokens), Err(BankingError::Transport(_))));

    // A certificate from another issuer is refused too.
    config.client_certificate = Some(ClientCertificate {
        certificate_path: fixture("client-cert.pem"),
        private_key_path: fixture("client-key.pem"),
    });
    let stranger = PontoClient::new(config.clone()).unwrap();
    assert!(matches!(stranger.list_accounts(&mut tokens), Err(BankingError::Transport(_))));

    // And the server is verified: without the test CA, the public roots do not know it.
    config.root_certificates = None;
    config.client_certificate = Some(ClientCertificate {
        certificate_path: test_pki_path("client.pem"),
        private_key_path: test_pki_path("client-key.pem"),
    });
    let untrusting = PontoClient::new(config).unwrap();
    assert!(matches!(untrusting.list_accounts(&mut tokens), Err(BankingError::Transport(_))));
}
