//! The fake Ponto over real HTTP: OAuth checks, paging in both bracket notations, faults.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test code")]

use base64::Engine as _;
use billify_testkit::{FakePonto, FakePontoConfig, Fault, FaultKind};
use sha2::Digest as _;

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder().http_status_as_error(false).max_redirects(0).build().new_agent()
}

fn basic(fake: &FakePonto) -> String {
    let b64 = base64::engine::general_purpose::STANDARD;
    format!("Basic {}", b64.encode(format!("{}:{}", fake.client_id(), fake.client_secret())))
}

fn consent_url(fake: &FakePonto, verifier: &str, state: &str) -> String {
    let challenge = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(verifier));
    format!(
        "{}?client_id={}&redirect_uri=https%3A%2F%2Fapp.example%2Fcb&response_type=code&scope=ai%20pi%20offline_access&state={state}&code_challenge={challenge}&code_challenge_method=S256",
        fake.authorization_url(),
        fake.client_id()
    )
}

fn token(fake: &FakePonto, form: &str) -> (u16, serde_json::Value) {
    let mut resp = agent()
        .post(format!("{}/oauth2/token", fake.base_url()))
        .header("authorization", basic(fake))
        .header("content-type", "application/x-www-form-urlencoded")
        .send(form)
        .unwrap();
    let status = resp.status().as_u16();
    (status, serde_json::from_str(&resp.body_mut().read_to_string().unwrap()).unwrap())
}

fn access_token(fake: &FakePonto) -> String {
    let verifier = "v".repeat(50);
    let redirect = fake.consent(&consent_url(fake, &verifier, "st4te")).unwrap();
    let (status, body) = token(
        fake,
        &format!(
            "grant_type=authorization_code&code={}&redirect_uri=https%3A%2F%2Fapp.example%2Fcb&code_verifier={verifier}",
            redirect.code
        ),
    );
    assert_eq!(status, 200, "{body}");
    body["access_token"].as_str().unwrap().to_owned()
}

#[test]
fn the_consent_page_redirects_and_pkce_is_checked() {
    let fake = FakePonto::start(FakePontoConfig::default()).unwrap();
    let verifier = "a".repeat(43);
    let resp = agent().get(consent_url(&fake, &verifier, "xyz")).call().unwrap();
    assert_eq!(resp.status().as_u16(), 302);
    let location = resp.headers().get("location").unwrap().to_str().unwrap().to_owned();
    assert!(
        location.starts_with("https://app.example/cb?code=code-") && location.ends_with("&state=xyz"),
        "{location}"
    );
    let code = location.split("code=").nth(1).unwrap().split('&').next().unwrap();
    let wrong = format!(
        "grant_type=authorization_code&code={code}&redirect_uri=https%3A%2F%2Fapp.example%2Fcb&code_verifier={}",
        "b".repeat(43)
    );
    assert_eq!(token(&fake, &wrong).1["error"], "invalid_grant");
    // The code was used up by the failed attempt.
    let right = wrong.replace(&"b".repeat(43), &verifier);
    assert_eq!(token(&fake, &right).1["error"], "invalid_grant");
    // A verifier sent as state is refused.
    let same = "s".repeat(43);
    let redirect = fake.consent(&consent_url(&fake, &same, &same)).unwrap();
    let form = format!(
        "grant_type=authorization_code&code={}&redirect_uri=https%3A%2F%2Fapp.example%2Fcb&code_verifier={same}",
        redirect.code
    );
    assert_eq!(token(&fake, &form).1["error_description"], "the code_verifier was sent as state");
}

#[test]
fn refresh_tokens_rotate() {
    let fake = FakePonto::start(FakePontoConfig::default()).unwrap();
    let verifier = "r".repeat(60);
    let redirect = fake.consent(&consent_url(&fake, &verifier, "s")).unwrap();
    let (_, body) = token(
        &fake,
        &format!(
            "grant_type=authorization_code&code={}&redirect_uri=https%3A%2F%2Fapp.example%2Fcb&code_verifier={verifier}",
            redirect.code
        ),
    );
    let rt = body["refresh_token"].as_str().unwrap().to_owned();
    let (status, next) = token(&fake, &format!("grant_type=refresh_token&refresh_token={rt}"));
    assert_eq!(status, 200);
    assert_ne!(next["refresh_token"], body["refresh_token"]);
    assert_eq!(token(&fake, &format!("grant_type=refresh_token&refresh_token={rt}")).0, 400);
}

#[test]
fn paging_accepts_both_bracket_notations_and_faults_fire() {
    let fake = FakePonto::start(FakePontoConfig { transactions_per_account: 5, ..FakePontoConfig::default() }).unwrap();
    let at = access_token(&fake);
    let account = &fake.accounts()[0];
    let get = |url: &str| {
        let mut resp = agent().get(url).header("authorization", format!("Bearer {at}")).call().unwrap();
        let status = resp.status().as_u16();
        (status, resp.body_mut().read_to_string().unwrap())
    };
    let base = format!("{}/accounts/{}/transactions", fake.base_url(), account.id);
    let (status, body) = get(&format!("{base}?page%5Blimit%5D=2"));
    assert_eq!(status, 200, "{body}");
    // The amount is written exactly, as a JSON number.
    assert!(body.contains("\"amount\":1234.56,"), "{body}");
    let doc: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(doc["data"].as_array().unwrap().len(), 2);
    let next = doc["links"]["next"].as_str().unwrap();
    let (_, page2) = get(next);
    let page2: serde_json::Value = serde_json::from_str(&page2).unwrap();
    assert_eq!(page2["data"][0]["id"], fake.transactions(&account.id)[2].id.as_str());

    fake.inject(Fault::new("/transactions", FaultKind::RateLimited { retry_after_secs: 7 }, 1).after(1));
    assert_eq!(get(&base).0, 200);
    let resp = agent().get(&base).header("authorization", format!("Bearer {at}")).call().unwrap();
    assert_eq!(resp.status().as_u16(), 429);
    assert_eq!(resp.headers().get("retry-after").unwrap(), "7");
    assert_eq!(get(&base).0, 200);
    assert_eq!(get(&format!("{}/accounts", fake.base_url())).0, 200);
    fake.expire_access_tokens();
    assert_eq!(get(&base).0, 401);
    assert!(fake.requests().iter().any(|r| r.url.contains("page%5Blimit%5D=2")));
}
