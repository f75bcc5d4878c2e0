//! OAuth2 as Ponto Connect speaks it: the consent page, authorization codes with a PKCE S256
//! check, HTTP Basic client authentication, rotating refresh tokens, revocation and discovery.

use std::collections::HashMap;
use std::time::Instant;

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use serde_json::{Value, json};
use sha2::{Digest as _, Sha256};

use super::state::{PREFIX, PendingCode, Reply, State};
use super::{ConsentRedirect, LoggedRequest};

pub(super) fn authenticate(s: &mut State, req: &LoggedRequest) -> Result<(), Reply> {
    let token = req.header("authorization").and_then(|h| h.strip_prefix("Bearer ")).unwrap_or_default();
    match s.access_tokens.get(token) {
        Some(expiry) if *expiry > Instant::now() => Ok(()),
        Some(_) => Err(Reply::error(401, "unauthorized", "The access token has expired")),
        None => Err(Reply::error(401, "unauthorized", "The access token is invalid")),
    }
}

pub(super) fn query_params(query: &str) -> Vec<(String, String)> {
    serde_urlencoded::from_str::<Vec<(String, String)>>(query).unwrap_or_default()
}

pub(super) fn consent(s: &mut State, consent_url: &str) -> Result<ConsentRedirect, String> {
    let query = consent_url.split_once('?').map(|(_, q)| q).ok_or("the consent URL has no query")?;
    let params: HashMap<String, String> = query_params(query).into_iter().collect();
    let get = |k: &str| params.get(k).filter(|v| !v.is_empty()).ok_or(format!("missing {k}"));
    if *get("client_id")? != s.config.client_id {
        return Err("unknown client_id".into());
    }
    if get("response_type")? != "code" {
        return Err("response_type must be code".into());
    }
    if get("code_challenge_method")? != "S256" {
        return Err("code_challenge_method must be S256".into());
    }
    let challenge = get("code_challenge")?.clone();
    if challenge.len() != 43 || URL_SAFE_NO_PAD.decode(&challenge).is_err() {
        return Err("code_challenge must be base64url(SHA-256) without padding".into());
    }
    let scope = get("scope")?;
    if !scope.split(' ').any(|sc| sc == "ai") {
        return Err("scope must include ai".into());
    }
    let state = get("state")?.clone();
    let redirect_uri = get("redirect_uri")?.clone();
    let code = format!("code-{}", s.rng.token());
    s.codes.insert(code.clone(), PendingCode { challenge, redirect_uri: redirect_uri.clone(), state: state.clone() });
    let separator = if redirect_uri.contains('?') { '&' } else { '?' };
    let encoded = serde_urlencoded::to_string([("code", code.as_str()), ("state", state.as_str())])
        .map_err(|e| format!("cannot encode the redirect: {e}"))?;
    Ok(ConsentRedirect { redirect_url: format!("{redirect_uri}{separator}{encoded}"), code, state })
}

fn client_authenticated(s: &State, req: &LoggedRequest) -> bool {
    let expected = format!("Basic {}", STANDARD.encode(format!("{}:{}", s.config.client_id, s.config.client_secret)));
    req.header("authorization") == Some(expected.as_str())
}

fn issue_tokens(s: &mut State, with_refresh: bool) -> Reply {
    let access = format!("at-{}", s.rng.token());
    let ttl = s.config.access_token_ttl;
    s.access_tokens.insert(access.clone(), Instant::now() + ttl);
    let mut body = json!({"access_token": access, "expires_in": ttl.as_secs(), "scope": "ai pi name offline_access",
        "token_type": "bearer"});
    if with_refresh {
        let refresh = format!("rt-{}", s.rng.token());
        s.refresh_tokens.insert(refresh.clone());
        body["refresh_token"] = Value::String(refresh);
    }
    let mut reply = Reply::value(200, &body);
    reply.headers = vec![("Content-Type", "application/json".into())];
    reply
}

pub(super) fn token(s: &mut State, req: &LoggedRequest) -> Reply {
    if !client_authenticated(s, req) {
        return Reply::oauth_error(401, "invalid_client", "client authentication failed");
    }
    let form: HashMap<String, String> =
        serde_urlencoded::from_bytes::<Vec<(String, String)>>(&req.body).unwrap_or_default().into_iter().collect();
    match form.get("grant_type").map(String::as_str) {
        Some("authorization_code") => {
            let Some(pending) = form.get("code").and_then(|c| s.codes.remove(c)) else {
                return Reply::oauth_error(400, "invalid_grant", "unknown or used authorization code");
            };
            if form.get("redirect_uri") != Some(&pending.redirect_uri) {
                return Reply::oauth_error(400, "invalid_grant", "redirect_uri does not match");
            }
            let verifier = form.get("code_verifier").cloned().unwrap_or_default();
            let well_formed = (43..=128).contains(&verifier.len())
                && verifier.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b));
            if !well_formed {
                return Reply::oauth_error(400, "invalid_grant", "malformed code_verifier");
            }
            if verifier == pending.state {
                return Reply::oauth_error(400, "invalid_grant", "the code_verifier was sent as state");
            }
            if URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes())) != pending.challenge {
                return Reply::oauth_error(400, "invalid_grant", "PKCE verification failed");
            }
            issue_tokens(s, true)
        }
        Some("refresh_token") => {
            let known = form.get("refresh_token").is_some_and(|t| s.refresh_tokens.remove(t));
            if !known {
                return Reply::oauth_error(400, "invalid_grant", "the refresh token is invalid, expired or revoked");
            }
            issue_tokens(s, true)
        }
        Some("client_credentials") => issue_tokens(s, false),
        _ => Reply::oauth_error(400, "unsupported_grant_type", "unsupported grant_type"),
    }
}

pub(super) fn revoke(s: &mut State, req: &LoggedRequest) -> Reply {
    if !client_authenticated(s, req) {
        return Reply::oauth_error(401, "invalid_client", "client authentication failed");
    }
    let form: HashMap<String, String> =
        serde_urlencoded::from_bytes::<Vec<(String, String)>>(&req.body).unwrap_or_default().into_iter().collect();
    if let Some(token) = form.get("token") {
        s.refresh_tokens.remove(token);
        s.access_tokens.remove(token);
    }
    Reply { status: 200, headers: Vec::new(), body: Vec::new() }
}

pub(super) fn discovery(s: &State) -> Reply {
    let b = format!("{}{PREFIX}", s.origin);
    Reply::value(
        200,
        &json!({"links": {
            "accounts": format!("{b}/accounts/{{accountId}}"),
            "account": {"transactions": format!("{b}/accounts/{{accountId}}/transactions/{{transactionId}}")},
            "financialInstitutions": format!("{b}/financial-institutions/{{financialInstitutionId}}"),
            "synchronizations": format!("{b}/synchronizations/{{synchronizationId}}"),
            "synchronization": {"updatedTransactions": format!("{b}/synchronizations/{{synchronizationId}}/updated-transactions")},
            "oauth2": {"token": format!("{b}/oauth2/token"), "revoke": format!("{b}/oauth2/revoke")},
            "userinfo": format!("{b}/userinfo"),
        }}),
    )
}
