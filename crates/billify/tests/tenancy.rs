//! Tenancy end to end: the role matrix over every route, isolation between organisations over
//! every route, the organisation header, members and invitations; and, reusing the same route
//! cases, the refusal of control characters in every text field and query parameter.
//!
//! **Why this file is long:** the route cases (`world`, `case`) are shared by every route-wide
//! test, and splitting them across files would duplicate them.
//!
//! The route-wide tests enumerate `billify_web::ROUTES`, the table the router is built from, so a
//! route added without a case here fails them.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

#[macro_use]
mod harness;

use actix_web::body::MessageBody;
use actix_web::dev::{Service, ServiceResponse};
use actix_web::http::StatusCode;
use billify_domain::Role;
use billify_web::{Access, ROUTES};
use harness::*;
use serde_json::{Value, json};
use time::Duration;

/// The resources of one organisation that the route cases point at.
struct World {
    organisation: String,
    owner_token: String,
    actor_email: String,
    actor_token: String,
    /// A viewer, for member changes.
    target: String,
    invoice: String,
    invoice_with_document: String,
    draft: String,
    invitation: String,
    /// The public id of the acting member's session.
    actor_session: String,
    /// The acting member's personal access tokens, read-only and read-write.
    read_token: String,
    write_token: String,
    /// The public id of the read-write token.
    write_token_id: String,
    /// A bank transaction matched by the rules, its match, and a pending suggestion.
    transaction: String,
    reconciliation_match: String,
    suggestion: String,
    /// A credit no rule matched, and an open receivable it could pay by hand.
    unmatched_transaction: String,
    open_receivable: String,
    /// A candidate of the suggestion.
    candidate: String,
    /// A notification in the acting member's inbox (suggestions waiting).
    notification: String,
    /// A webhook endpoint.
    webhook: String,
    /// Strings that must never appear in another tenant's answers.
    secrets: Vec<String>,
}

/// Builds an organisation whose acting member has `role`, with one of everything.
async fn world<S, B>(h: &Harness, app: &S, prefix: &str, role: Role) -> World
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let owner_email = format!("{prefix}-owner@example.be");
    let (organisation, owner_token) = owner(app, &owner_email).await;
    let actor_email = format!("{prefix}-actor@example.be");
    let (actor, actor_token) = member(app, &owner_token, &organisation, &actor_email, role.code()).await;
    let (target, _) = member(app, &owner_token, &organisation, &format!("{prefix}-target@example.be"), "viewer").await;
    let o = Some(owner_token.as_str());
    let r = call(app, "POST", "/api/v1/invoices", o, Some(invoice(&format!("{prefix}-INV-1")))).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let invoice = r.body["id"].as_str().unwrap().to_owned();
    let r = send(app, "POST", "/api/v1/invoices/uploads", o, None, Body::File(SAMPLE_PDF)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let uri = format!("/api/v1/invoices/drafts/{}/confirm", r.body["id"].as_str().unwrap());
    let r = call(app, "POST", &uri, o, Some(json!({"version": 1}))).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let invoice_with_document = r.body["id"].as_str().unwrap().to_owned();
    let r = send(app, "POST", "/api/v1/invoices/uploads", o, None, Body::File(UBL_INVOICE)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let draft = r.body["id"].as_str().unwrap().to_owned();
    // Invoices the statement's credits pay: one by its OGM, two that make a suggestion (amount
    // and counterparty), and one left for a manual match.
    let receivable = |number: &str, name: &str, total: &str, reference: Option<&str>| {
        let mut v = json!({"direction": "receivable", "invoice_number": format!("{prefix}-{number}"),
            "counterparty": {"name": name}, "issue_date": "2024-02-01", "due_date": "2024-03-05", "total": total});
        if let Some(r) = reference {
            v["payment_reference"] = json!(r);
        }
        v
    };
    let mut created = Vec::new();
    for body in [
        receivable("R-1", "Acme NV", "1210.00", Some("+++202/4000/12363+++")),
        receivable("S-1", "Studio Peeters", "100.00", None),
        receivable("S-2", "Studio Peeters", "100.00", None),
        receivable("M-1", "Luminus", "900.00", None),
    ] {
        let r = call(app, "POST", "/api/v1/invoices", o, Some(body)).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        created.push(r.body["id"].as_str().unwrap().to_owned());
    }
    let r = send(app, "POST", "/api/v1/bank/statements", o, None, Body::File(CAMT)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    while h.state.sync.run_next_job("tenancy").unwrap().is_some() {}
    let r = call(app, "GET", &format!("/api/v1/reconciliation/matches?invoice_id={}", created[0]), o, None).await;
    let transaction = r.body["items"][0]["transaction_id"].as_str().unwrap().to_owned();
    let reconciliation_match = r.body["items"][0]["id"].as_str().unwrap().to_owned();
    let r = call(app, "GET", "/api/v1/reconciliation/suggestions", o, None).await;
    let suggestion = r.body["items"][0]["id"].as_str().unwrap().to_owned();
    let r = call(app, "GET", "/api/v1/bank/transactions", o, None).await;
    let unmatched_transaction =
        r.body["items"].as_array().unwrap().iter().find(|t| t["counterparty_name"] == "Luminus").unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned();
    let open_receivable = created[3].clone();
    let candidate = created[1].clone();
    let invitation = invite(app, &owner_token, &format!("{prefix}-invited@example.be"), "viewer").await;
    let invitation = invitation["id"].as_str().unwrap().to_owned();
    let r = call(app, "GET", "/api/v1/auth/sessions", Some(&actor_token), None).await;
    let current = r.body["items"].as_array().unwrap().iter().find(|s| s["current"] == true).unwrap();
    let actor_session = current["id"].as_str().unwrap().to_owned();
    let (read_token, read_token_id) = access_token(app, &actor_token, "read").await;
    let (write_token, write_token_id) = access_token(app, &actor_token, "read_write").await;
    // The daily alerts: the pending suggestion raises a notification for every member.
    let org_id = billify_domain::OrganisationId::from_uuid(organisation.parse().unwrap());
    let today = billify_ports::Clock::now(h.clock.as_ref()).date();
    assert!(h.state.alerts.raise_alerts(org_id, today).unwrap().raised >= 1);
    let r = call(app, "GET", "/api/v1/notifications", Some(&actor_token), None).await;
    let notification = r.body["items"][0]["id"].as_str().unwrap().to_owned();
    let r = call(app, "POST", "/api/v1/webhooks", o, Some(json!({"url": "https://hooks.example.be/billify"}))).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let webhook = r.body["id"].as_str().unwrap().to_owned();
    let webhook_secret = r.body["secret"].as_str().unwrap().to_owned();
    let secrets = vec![
        notification.clone(),
        webhook.clone(),
        webhook_secret,
        actor_session.clone(),
        read_token_id,
        write_token_id.clone(),
        organisation.clone(),
        format!("Org {owner_email}"),
        owner_email,
        actor,
        target.clone(),
        invoice.clone(),
        format!("{prefix}-INV-1"),
        invoice_with_document.clone(),
        draft.clone(),
        invitation.clone(),
        reconciliation_match.clone(),
        suggestion.clone(),
        format!("{prefix}-R-1"),
    ];
    World {
        organisation,
        owner_token,
        actor_email,
        actor_token,
        target,
        invoice,
        invoice_with_document,
        draft,
        invitation,
        actor_session,
        read_token,
        write_token,
        write_token_id,
        transaction,
        reconciliation_match,
        suggestion,
        unmatched_transaction,
        open_receivable,
        candidate,
        notification,
        webhook,
        secrets,
    }
}

/// A new personal access token of the session's member: the secret and the public id.
async fn access_token<S, B>(app: &S, session: &str, scope: &str) -> (String, String)
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let r = call(app, "POST", "/api/v1/auth/tokens", Some(session), Some(json!({"name": scope, "scope": scope}))).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    (r.body["secret"].as_str().unwrap().to_owned(), r.body["id"].as_str().unwrap().to_owned())
}

/// Who may call a route, written here independently of the route table.
#[derive(Clone, Copy, Debug)]
enum Who {
    Anyone,
    Readers,
    Writers,
    Managers,
    Owners,
}

impl Who {
    fn admits(self, role: Role) -> bool {
        match self {
            Who::Anyone | Who::Readers => true,
            Who::Writers => role != Role::Viewer,
            Who::Managers => matches!(role, Role::Owner | Role::Admin),
            Who::Owners => role == Role::Owner,
        }
    }
}

/// One call of a route against `w`: the URI, the body, who may call it, and the status when
/// allowed. `None` for a route without a case: add one.
fn case(method: &str, path: &str, w: &World) -> Option<(String, Body, Who, StatusCode)> {
    use StatusCode as S;
    let id = |template: &str, value: &str| template.replace("{id}", value).replace("{user_id}", value);
    let unknown = "0194b3a0-0000-7000-8000-000000000000";
    let json = |v: Value| Body::Json(v);
    Some(match (method, path.strip_prefix("/api/v1")?) {
        ("GET", "/health") => (path.into(), Body::None, Who::Anyone, S::OK),
        ("GET", "/ready") => (path.into(), Body::None, Who::Anyone, S::OK),
        ("GET", "/openapi.json") => (path.into(), Body::None, Who::Anyone, S::OK),
        ("POST", "/auth/register") => (
            path.into(),
            json(
                json!({"organisation_name": "New", "name": "N", "email": format!("new-{}@example.be", uuid::Uuid::now_v7()), "password": PASSWORD}),
            ),
            Who::Anyone,
            S::CREATED,
        ),
        ("POST", "/auth/login") => {
            (path.into(), json(json!({"email": w.actor_email, "password": PASSWORD})), Who::Anyone, S::OK)
        }
        ("POST", "/auth/logout") => (path.into(), Body::None, Who::Anyone, S::NO_CONTENT),
        ("GET", "/auth/me") => (path.into(), Body::None, Who::Anyone, S::OK),
        ("POST", "/auth/login/totp") => {
            (path.into(), json(json!({"challenge": "forged", "code": "123456"})), Who::Anyone, S::UNAUTHORIZED)
        }
        ("POST", "/auth/2fa/totp") => (path.into(), Body::None, Who::Anyone, S::OK),
        // Nothing to confirm or turn off without an enrolment.
        ("POST", "/auth/2fa/totp/confirm") => (path.into(), json(json!({"code": "000000"})), Who::Anyone, S::CONFLICT),
        ("DELETE", "/auth/2fa/totp") => (path.into(), json(json!({"password": PASSWORD})), Who::Anyone, S::CONFLICT),
        ("POST", "/auth/password") => (
            path.into(),
            json(json!({"current_password": PASSWORD, "new_password": PASSWORD})),
            Who::Anyone,
            S::NO_CONTENT,
        ),
        ("POST", "/auth/logout-all") => (path.into(), Body::None, Who::Anyone, S::NO_CONTENT),
        ("GET", "/auth/sessions") => (path.into(), Body::None, Who::Anyone, S::OK),
        ("DELETE", "/auth/sessions/{id}") => (id(path, &w.actor_session), Body::None, Who::Anyone, S::NO_CONTENT),
        ("POST", "/auth/tokens") => {
            (path.into(), json(json!({"name": "script", "scope": "read"})), Who::Anyone, S::CREATED)
        }
        ("GET", "/auth/tokens") => (path.into(), Body::None, Who::Anyone, S::OK),
        ("DELETE", "/auth/tokens/{id}") => (id(path, &w.write_token_id), Body::None, Who::Anyone, S::NO_CONTENT),
        ("GET", "/organisation") => (path.into(), Body::None, Who::Readers, S::OK),
        ("PATCH", "/organisation") => (path.into(), json(json!({"name": "Renamed"})), Who::Managers, S::OK),
        // A wrong confirmation: refused after the role check, and nothing is deleted.
        ("DELETE", "/organisation") => {
            (path.into(), json(json!({"confirm": "not the name"})), Who::Owners, S::UNPROCESSABLE_ENTITY)
        }
        ("GET", "/organisation/export") => (path.into(), Body::None, Who::Managers, S::OK),
        ("GET", "/audit") => (path.into(), Body::None, Who::Managers, S::OK),
        ("GET", "/organisation/members") => (path.into(), Body::None, Who::Managers, S::OK),
        ("PATCH", "/organisation/members/{user_id}") => {
            (id(path, &w.target), json(json!({"role": "accountant"})), Who::Managers, S::OK)
        }
        ("DELETE", "/organisation/members/{user_id}") => {
            (id(path, &w.target), Body::None, Who::Managers, S::NO_CONTENT)
        }
        ("POST", "/organisation/invitations") => {
            (path.into(), json(json!({"email": "someone@example.be", "role": "viewer"})), Who::Managers, S::CREATED)
        }
        ("GET", "/organisation/invitations") => (path.into(), Body::None, Who::Managers, S::OK),
        ("DELETE", "/organisation/invitations/{id}") => {
            (id(path, &w.invitation), Body::None, Who::Managers, S::NO_CONTENT)
        }
        ("POST", "/invitations/accept") => {
            (path.into(), json(json!({"token": format!("{}.forged", w.organisation)})), Who::Anyone, S::NOT_FOUND)
        }
        ("POST", "/invoices/uploads") => (path.into(), Body::File(FACTURX_PDF), Who::Writers, S::CREATED),
        ("GET", "/invoices/reading-accuracy") => (format!("{path}?days=90"), Body::None, Who::Readers, S::OK),
        ("GET", "/invoices/drafts/{id}") => (id(path, &w.draft), Body::None, Who::Readers, S::OK),
        ("PATCH", "/invoices/drafts/{id}") => {
            (id(path, &w.draft), json(json!({"version": 1, "invoice_number": "X-1"})), Who::Writers, S::OK)
        }
        ("DELETE", "/invoices/drafts/{id}") => (id(path, &w.draft), Body::None, Who::Writers, S::NO_CONTENT),
        ("POST", "/invoices/drafts/{id}/confirm") => {
            (id(path, &w.draft), json(json!({"version": 1})), Who::Writers, S::CREATED)
        }
        ("GET", "/invoices") => (path.into(), Body::None, Who::Readers, S::OK),
        ("POST", "/invoices") => (path.into(), json(invoice("NEW-1")), Who::Writers, S::CREATED),
        ("GET", "/invoices/{id}") => (id(path, &w.invoice), Body::None, Who::Readers, S::OK),
        ("PATCH", "/invoices/{id}") => {
            (id(path, &w.invoice), json(json!({"version": 1, "due_date": "2026-04-01"})), Who::Writers, S::OK)
        }
        ("DELETE", "/invoices/{id}") => (id(path, &w.invoice), Body::None, Who::Writers, S::NO_CONTENT),
        ("POST", "/invoices/{id}/payments") => (id(path, &w.invoice), json(json!({"version": 1})), Who::Writers, S::OK),
        ("POST", "/invoices/{id}/reopen") => {
            (id(path, &w.invoice), json(json!({"version": 1, "reason": "r"})), Who::Writers, S::CONFLICT)
        }
        ("GET", "/invoices/{id}/events") => (id(path, &w.invoice), Body::None, Who::Readers, S::OK),
        ("GET", "/invoices/{id}/document") => (id(path, &w.invoice_with_document), Body::None, Who::Readers, S::OK),
        ("POST", "/bank/statements") => (path.into(), Body::File(CAMT), Who::Writers, S::OK),
        ("GET", "/bank/accounts") => (path.into(), Body::None, Who::Readers, S::OK),
        ("GET", "/bank/transactions") => (path.into(), Body::None, Who::Readers, S::OK),
        // No bank provider is configured in tests: connecting is refused after the role check.
        ("POST", "/bank/integrations/ponto/connect") => {
            (path.into(), Body::None, Who::Managers, S::UNPROCESSABLE_ENTITY)
        }
        ("GET", "/bank/integrations/ponto/callback") => {
            (path.into(), Body::None, Who::Managers, S::UNPROCESSABLE_ENTITY)
        }
        ("GET", "/bank/integrations") => (path.into(), Body::None, Who::Readers, S::OK),
        ("GET", "/bank/integrations/{id}") => (id(path, unknown), Body::None, Who::Readers, S::NOT_FOUND),
        ("DELETE", "/bank/integrations/{id}") => (id(path, unknown), Body::None, Who::Managers, S::NOT_FOUND),
        ("POST", "/bank/integrations/{id}/sync") => (id(path, unknown), Body::None, Who::Managers, S::NOT_FOUND),
        ("GET", "/bank/integrations/{id}/runs") => (id(path, unknown), Body::None, Who::Readers, S::NOT_FOUND),
        ("GET", "/integrations") => (path.into(), Body::None, Who::Readers, S::OK),
        // No accounting provider is configured here: connecting is refused after the role check.
        ("POST", "/integrations/yuki/connect") => {
            (path.into(), json(json!({"access_key": "k", "region": "be"})), Who::Managers, S::UNPROCESSABLE_ENTITY)
        }
        ("GET", "/integrations/{id}") => (id(path, unknown), Body::None, Who::Readers, S::NOT_FOUND),
        ("PATCH", "/integrations/{id}") => {
            (id(path, unknown), json(json!({"region": "nl"})), Who::Managers, S::NOT_FOUND)
        }
        ("DELETE", "/integrations/{id}") => (id(path, unknown), Body::None, Who::Managers, S::NOT_FOUND),
        ("POST", "/integrations/{id}/sync") => (id(path, unknown), Body::None, Who::Managers, S::NOT_FOUND),
        ("GET", "/integrations/{id}/runs") => (id(path, unknown), Body::None, Who::Readers, S::NOT_FOUND),
        ("GET", "/integrations/{id}/flagged-items") => (id(path, unknown), Body::None, Who::Readers, S::NOT_FOUND),
        ("GET", "/reconciliation/suggestions") => (path.into(), Body::None, Who::Readers, S::OK),
        ("POST", "/reconciliation/suggestions/{id}/accept") => {
            (id(path, &w.suggestion), json(json!({"invoice_ids": [w.candidate]})), Who::Writers, S::OK)
        }
        ("POST", "/reconciliation/suggestions/{id}/reject") => {
            (id(path, &w.suggestion), Body::None, Who::Writers, S::OK)
        }
        ("GET", "/reconciliation/matches") => {
            (format!("{path}?transaction_id={}", w.transaction), Body::None, Who::Readers, S::OK)
        }
        ("POST", "/reconciliation/matches") => (
            path.into(),
            json(json!({"transaction_id": w.unmatched_transaction,
                "invoices": [{"invoice_id": w.open_receivable, "amount": "150.00"}]})),
            Who::Writers,
            S::CREATED,
        ),
        ("DELETE", "/reconciliation/matches/{id}") => {
            (id(path, &w.reconciliation_match), Body::None, Who::Writers, S::OK)
        }
        ("POST", "/reconciliation/run") => (path.into(), Body::None, Who::Writers, S::ACCEPTED),
        ("GET", "/cashflow/summary") => (path.into(), Body::None, Who::Readers, S::OK),
        ("GET", "/notifications") => (format!("{path}?unread=true"), Body::None, Who::Anyone, S::OK),
        ("POST", "/notifications/read-all") => (path.into(), Body::None, Who::Anyone, S::OK),
        ("POST", "/notifications/{id}/read") => (id(path, &w.notification), Body::None, Who::Anyone, S::NO_CONTENT),
        ("GET", "/notifications/preferences") => (path.into(), Body::None, Who::Anyone, S::OK),
        ("PATCH", "/notifications/preferences") => (
            path.into(),
            json(json!({"items": [{"kind": "low_balance", "channel": "email", "enabled": false}]})),
            Who::Anyone,
            S::OK,
        ),
        ("GET", "/notifications/settings") => (path.into(), Body::None, Who::Readers, S::OK),
        ("PATCH", "/notifications/settings") => (path.into(), json(json!({"payable_days": 10})), Who::Managers, S::OK),
        ("GET", "/webhooks") => (path.into(), Body::None, Who::Managers, S::OK),
        ("POST", "/webhooks") => {
            (path.into(), json(json!({"url": "https://hooks.example.be/other"})), Who::Managers, S::CREATED)
        }
        ("DELETE", "/webhooks/{id}") => (id(path, &w.webhook), Body::None, Who::Managers, S::NO_CONTENT),
        ("GET", "/webhooks/{id}/deliveries") => (id(path, &w.webhook), Body::None, Who::Managers, S::OK),
        ("GET", "/cashflow/forecast") => (format!("{path}?days=30"), Body::None, Who::Readers, S::OK),
        // A scenario stores nothing: readers may ask.
        ("POST", "/cashflow/forecast/scenario") => {
            (path.into(), json(json!({"days": 30, "adjustments": []})), Who::Readers, S::OK)
        }
        ("GET", "/cashflow/forecast/accuracy") => (path.into(), Body::None, Who::Readers, S::OK),
        ("GET", "/cashflow/recurring") => (path.into(), Body::None, Who::Readers, S::OK),
        // The world has no recurring flow: deciding on an unknown series is refused after the
        // role check.
        ("POST", "/cashflow/recurring/{id}/confirm") => {
            (id(path, "0123456789abcdef"), Body::None, Who::Writers, S::NOT_FOUND)
        }
        ("POST", "/cashflow/recurring/{id}/dismiss") => {
            (id(path, "0123456789abcdef"), Body::None, Who::Writers, S::NOT_FOUND)
        }
        // Every event since the first, without following (a following stream never ends).
        ("GET", "/events") => (format!("{path}?after=0&stream=false"), Body::None, Who::Readers, S::OK),
        _ => return None,
    })
}

#[actix_web::test]
async fn role_matrix_every_route_every_role() {
    let mut failures = Vec::new();
    for role in Role::ALL {
        for route in ROUTES {
            // A fresh organisation per call, so that no call depends on another's effects.
            let h = harness();
            let app = app!(h);
            let w = world(&h, &app, "m", role).await;
            let method = route.method.as_str();
            let Some((uri, body, who, allowed)) = case(method, route.path, &w) else {
                panic!("{route:?} has no case in the role matrix: add one");
            };
            let token =
                (route.access != Access::Public || route.path.ends_with("/accept")).then_some(w.actor_token.as_str());
            let r = send(&app, method, &uri, token, None, body).await;
            let expected = if who.admits(role) { allowed } else { StatusCode::FORBIDDEN };
            if r.status != expected {
                failures.push(format!("{role} {method} {uri}: expected {expected}, got {} {}", r.status, r.text));
            } else if expected == StatusCode::FORBIDDEN {
                assert_problem(&r, StatusCode::FORBIDDEN, "forbidden");
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The text query parameters of the `GET` routes that take a query string.
const QUERY_PARAMETERS: &[(&str, &[&str])] = &[
    ("/api/v1/invoices", &["status", "direction", "urgency", "due_from", "due_to", "q", "sort", "cursor", "limit"]),
    ("/api/v1/audit", &["action", "actor", "from", "to", "target", "target_id", "limit", "cursor"]),
    ("/api/v1/bank/transactions", &["account_id", "from", "to", "cursor", "limit"]),
    ("/api/v1/reconciliation/suggestions", &["limit"]),
    ("/api/v1/reconciliation/matches", &["invoice_id", "transaction_id"]),
    ("/api/v1/bank/integrations/ponto/callback", &["code", "state", "error", "error_description"]),
    ("/api/v1/bank/integrations/{id}/runs", &["limit"]),
    ("/api/v1/cashflow/summary", &["from", "to", "interval", "upcoming"]),
    ("/api/v1/invoices/reading-accuracy", &["days"]),
];

/// The path (`counterparty.name`, `invoices[0].amount`) of every string in a JSON value.
fn string_leaves(value: &Value, path: &str, out: &mut Vec<String>) {
    let join = |key: &str| if path.is_empty() { key.to_owned() } else { format!("{path}.{key}") };
    match value {
        Value::String(_) => out.push(path.to_owned()),
        Value::Array(items) => {
            items.iter().enumerate().for_each(|(i, item)| string_leaves(item, &format!("{path}[{i}]"), out))
        }
        Value::Object(fields) => fields.iter().for_each(|(key, item)| string_leaves(item, &join(key), out)),
        _ => {}
    }
}

/// Replaces the string at `path` (as `string_leaves` names it) with `text`.
fn replace_leaf(value: &mut Value, path: &str, text: &str) {
    let mut current = value;
    for part in path.split('.') {
        let (key, index) = match part.split_once('[') {
            Some((key, rest)) => (key, rest.trim_end_matches(']').parse::<usize>().ok()),
            None => (part, None),
        };
        current = &mut current[key];
        if let Some(i) = index {
            current = &mut current[i];
        }
    }
    *current = Value::String(text.to_owned());
}

/// A NUL, an escape or another control character in any text field of any route's body, or in
/// any query parameter, is a 422 naming the field or parameter, before anything reaches storage,
/// so both backends answer the same (PostgreSQL cannot store a NUL; SQLite would). The bodies
/// are the route cases of the role matrix, driven by `ROUTES`.
#[actix_web::test]
async fn control_characters_are_refused_in_every_text_field_and_query_parameter() {
    let h = harness();
    let app = app!(h);
    let w = world(&h, &app, "c", Role::Owner).await;
    let mut failures = Vec::new();
    let (mut fields, mut parameters) = (0, 0);
    for (n, route) in ROUTES.iter().enumerate() {
        let method = route.method.as_str();
        let Some((uri, body, _, _)) = case(method, route.path, &w) else {
            panic!("{route:?} has no case in the role matrix: add one");
        };
        let token =
            (route.access != Access::Public || route.path.ends_with("/accept")).then_some(w.actor_token.as_str());
        let bad = ["x\u{0}y", "x\u{1b}[31my", "\u{7f}", "a\rb"][n % 4];
        if let Body::Json(value) = &body {
            let mut leaves = Vec::new();
            string_leaves(value, "", &mut leaves);
            for leaf in leaves {
                let mut sent = value.clone();
                replace_leaf(&mut sent, &leaf, bad);
                let r = send(&app, method, &uri, token, None, Body::Json(sent)).await;
                fields += 1;
                if r.status != StatusCode::UNPROCESSABLE_ENTITY || r.body["errors"][0]["field"] != leaf.as_str() {
                    failures.push(format!("{method} {uri} field {leaf}: {} {}", r.status, r.text));
                }
            }
        }
        let names = QUERY_PARAMETERS
            .iter()
            .find(|(path, _)| *path == route.path && method == "GET")
            .map_or(&[][..], |(_, names)| names);
        for name in names {
            let path = uri.split('?').next().unwrap();
            let query = format!("{path}?{name}=x%00y");
            let r = send(&app, method, &query, token, None, Body::None).await;
            parameters += 1;
            if r.status != StatusCode::UNPROCESSABLE_ENTITY || r.body["errors"][0]["field"] != *name {
                failures.push(format!("{method} {query}: {} {}", r.status, r.text));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(fields >= 30 && parameters >= 30, "the cases cover the text ({fields} fields, {parameters} parameters)");
    // Tab and newline stay allowed where text is free.
    let r = send(
        &app,
        "POST",
        "/api/v1/invoices",
        Some(&w.actor_token),
        None,
        Body::Json({
            let mut v = invoice("TAB-1");
            v["counterparty"]["name"] = json!("Bloc\tGroup\nBV");
            v
        }),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
}

/// Whether a personal access token is refused on a route whatever its scope, written here
/// independently of the route table: it manages no credentials (only reads who it is) and never
/// deletes the organisation.
fn refuses_access_tokens(method: &str, path: &str) -> bool {
    let path = path.strip_prefix("/api/v1").unwrap();
    (path.starts_with("/auth/") && (method, path) != ("GET", "/auth/me"))
        || (method, path) == ("DELETE", "/organisation")
}

#[actix_web::test]
async fn access_token_matrix_every_route_every_role_and_scope() {
    let mut failures = Vec::new();
    // A read token of the most powerful role stands for every read token (the scope caps the
    // role); read-write tokens act with their member's role.
    let combinations = [
        (Role::Owner, "read"),
        (Role::Owner, "read_write"),
        (Role::Accountant, "read_write"),
        (Role::Viewer, "read_write"),
    ];
    for (role, scope) in combinations {
        {
            for route in ROUTES {
                // Public routes ignore credentials, except accepting an invitation, which acts
                // as the caller when there is one.
                if route.access == Access::Public && !route.path.ends_with("/accept") {
                    continue;
                }
                let h = harness();
                let app = app!(h);
                let w = world(&h, &app, "t", role).await;
                let method = route.method.as_str();
                let Some((uri, body, who, allowed)) = case(method, route.path, &w) else {
                    panic!("{route:?} has no case in the role matrix: add one");
                };
                let token = if scope == "read" { &w.read_token } else { &w.write_token };
                let r = send(&app, method, &uri, Some(token), None, body).await;
                // A read token acts as a viewer; a read-write one with the member's role.
                let acting = if scope == "read" { Role::Viewer } else { role };
                let expected = if refuses_access_tokens(method, route.path) || route.access == Access::Public {
                    StatusCode::FORBIDDEN
                } else if who.admits(acting) {
                    allowed
                } else {
                    StatusCode::FORBIDDEN
                };
                if r.status != expected {
                    failures.push(format!(
                        "{role} {scope} token {method} {uri}: expected {expected}, got {} {}",
                        r.status, r.text
                    ));
                } else if expected == StatusCode::FORBIDDEN {
                    assert_problem(&r, StatusCode::FORBIDDEN, "forbidden");
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[actix_web::test]
async fn a_member_of_another_organisation_sees_nothing_on_any_route() {
    let h = harness();
    let app = app!(h);
    let a = world(&h, &app, "a", Role::Viewer).await;
    // The intruder owns organisation B: no role limit hides a leak.
    let (_, mut b_token) = owner(&app, "intruder@example.be").await;
    let mut failures = Vec::new();
    for route in ROUTES {
        let method = route.method.as_str();
        let body = || case(method, route.path, &a).map(|(_, body, _, _)| body).unwrap_or(Body::None);
        let Some((uri, _, _, _)) = case(method, route.path, &a) else {
            panic!("{route:?} has no case in the isolation table: add one");
        };
        let leaks = |r: &Reply| a.secrets.iter().filter(|s| r.text.contains(s.as_str())).cloned().collect::<Vec<_>>();
        // Naming organisation A in the header: every authenticated route is 404, whatever it is.
        let named = send(&app, method, &uri, Some(&b_token), Some(&a.organisation), body()).await;
        let problem_404 = named.status == StatusCode::NOT_FOUND
            && named.headers.get("content-type").unwrap() == "application/problem+json";
        if route.access != Access::Public && !problem_404 {
            failures.push(format!("{method} {uri} with the header: {} {}", named.status, named.text));
        }
        // Acting on B with A's ids in the path: a resource of A is "not found" in B.
        let own = send(&app, method, &uri, Some(&b_token), None, body()).await;
        if route.path.contains('{') && own.status != StatusCode::NOT_FOUND {
            failures.push(format!("{method} {uri} acting on B: {} {}", own.status, own.text));
        }
        for (what, r) in [("with the header", &named), ("acting on B", &own)] {
            let leaked = leaks(r);
            if !leaked.is_empty() {
                failures.push(format!("{method} {uri} {what} leaks {leaked:?}: {}", r.text));
            }
        }
        if route.path.ends_with("/logout") || route.path.ends_with("/logout-all") {
            // Acting on B, the intruder logged out of B: log in again for the next routes.
            b_token = login(&app, "intruder@example.be", None).await;
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // A's data is intact and A's owner still sees it.
    let r = call(&app, "GET", &format!("/api/v1/invoices/{}", a.invoice), Some(&a.owner_token), None).await;
    assert_eq!(r.status, StatusCode::OK);
}

#[actix_web::test]
async fn invitations_are_single_use_expire_and_can_be_revoked() {
    let h = harness();
    let app = app!(h);
    let (org, token) = owner(&app, "anna@example.be").await;
    let t = Some(token.as_str());
    let invitation = invite(&app, &token, "Bert@Example.be", "accountant").await;
    assert_eq!(invitation["email"], "bert@example.be");
    assert_eq!(invitation["role"], "accountant");
    let invite_token = invitation["token"].as_str().unwrap().to_owned();
    let r = call(&app, "GET", "/api/v1/organisation/invitations", t, None).await;
    assert_eq!(r.body["items"].as_array().unwrap().len(), 1);
    assert!(r.body["items"][0].get("token").is_none(), "the token is shown once, at creation");

    let accept = json!({"token": invite_token, "name": "Bert", "password": PASSWORD});
    let r = call(
        &app,
        "POST",
        "/api/v1/invitations/accept",
        None,
        Some(json!({"token": invite_token, "name": "Bert", "password": "short"})),
    )
    .await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY, "validation");
    let r = call(&app, "POST", "/api/v1/invitations/accept", None, Some(accept.clone())).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.body["organisation"]["id"], org.as_str());
    let r = call(&app, "POST", "/api/v1/invitations/accept", None, Some(accept)).await;
    assert_problem(&r, StatusCode::NOT_FOUND, "not-found");
    let bert = login(&app, "bert@example.be", None).await;
    let r = call(&app, "GET", "/api/v1/auth/me", Some(&bert), None).await;
    assert_eq!(r.body["role"], "accountant");
    let r = call(&app, "GET", "/api/v1/organisation/invitations", t, None).await;
    assert_eq!(r.body["items"], json!([]), "accepted invitations are not pending");

    // Expiry: seven days.
    let late = invite(&app, &token, "carl@example.be", "viewer").await;
    h.clock.advance(Duration::days(7));
    let token = login(&app, "anna@example.be", None).await;
    let r = call(&app, "GET", "/api/v1/organisation/invitations", Some(&token), None).await;
    assert_eq!(r.body["items"], json!([]));
    let r = call(
        &app,
        "POST",
        "/api/v1/invitations/accept",
        None,
        Some(json!({"token": late["token"], "name": "Carl", "password": PASSWORD})),
    )
    .await;
    assert_problem(&r, StatusCode::NOT_FOUND, "not-found");

    // Revocation.
    let revoked = invite(&app, &token, "dora@example.be", "viewer").await;
    let uri = format!("/api/v1/organisation/invitations/{}", revoked["id"].as_str().unwrap());
    assert_eq!(call(&app, "DELETE", &uri, Some(&token), None).await.status, StatusCode::NO_CONTENT);
    assert_eq!(call(&app, "DELETE", &uri, Some(&token), None).await.status, StatusCode::NOT_FOUND);
    let r = call(
        &app,
        "POST",
        "/api/v1/invitations/accept",
        None,
        Some(json!({"token": revoked["token"], "name": "Dora", "password": PASSWORD})),
    )
    .await;
    assert_problem(&r, StatusCode::NOT_FOUND, "not-found");
}

#[actix_web::test]
async fn invitation_tokens_are_stored_only_as_digests() {
    use billify_ports::{AccountRepository, SecretTokens};
    let h = harness();
    let app = app!(h);
    let (org, token) = owner(&app, "anna@example.be").await;
    let invitation = invite(&app, &token, "bert@example.be", "viewer").await;
    let invite_token = invitation["token"].as_str().unwrap();
    let secret = invite_token.split_once('.').unwrap().1;
    assert!(secret.len() >= 40, "a long random secret");
    let organisation = billify_domain::OrganisationId::from_uuid(org.parse().unwrap());
    let digest = billify_crypto::RandomTokens.digest(invite_token);
    let stored = h.store.invitation_by_digest(organisation, &digest).unwrap().expect("stored under its digest");
    assert_eq!(stored.token_digest, digest);
    assert_eq!(digest.len(), 64, "hex SHA-256");
    assert_no_file_holds(&h, secret);
}

#[actix_web::test]
async fn a_logged_in_user_accepts_for_their_own_address_only() {
    let h = harness();
    let app = app!(h);
    let (a, anna) = owner(&app, "anna@example.be").await;
    let (_, bert) = owner(&app, "bert@example.be").await;
    let (_, carl) = owner(&app, "carl@example.be").await;
    let invitation = invite(&app, &anna, "bert@example.be", "viewer").await;
    let body = json!({"token": invitation["token"]});
    let r = call(&app, "POST", "/api/v1/invitations/accept", Some(&carl), Some(body.clone())).await;
    assert_problem(&r, StatusCode::FORBIDDEN, "forbidden");
    let r = call(
        &app,
        "POST",
        "/api/v1/invitations/accept",
        None,
        Some(json!({"token": invitation["token"], "name": "B", "password": PASSWORD})),
    )
    .await;
    assert_problem(&r, StatusCode::CONFLICT, "email-taken");
    let r = call(&app, "POST", "/api/v1/invitations/accept", Some(&bert), Some(body)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["role"], "viewer");
    let r = call(
        &app,
        "POST",
        "/api/v1/organisation/invitations",
        Some(&anna),
        Some(json!({"email": "bert@example.be", "role": "admin"})),
    )
    .await;
    assert_problem(&r, StatusCode::CONFLICT, "already-member");
    let r = send(&app, "GET", "/api/v1/organisation", Some(&bert), Some(&a), Body::None).await;
    assert_eq!(r.status, StatusCode::OK, "Bert reads Anna's organisation now");
}

#[actix_web::test]
async fn the_organisation_header_chooses_where_to_act() {
    let h = harness();
    let app = app!(h);
    let (a, anna) = owner(&app, "anna@example.be").await;
    let (b, bert) = owner(&app, "bert@example.be").await;
    let invitation = invite(&app, &anna, "bert@example.be", "viewer").await;
    let r = call(&app, "POST", "/api/v1/invitations/accept", Some(&bert), Some(json!({"token": invitation["token"]})))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);

    // Without the header, Bert acts on his first organisation, as owner.
    let r = send(&app, "GET", "/api/v1/auth/me", Some(&bert), None, Body::None).await;
    assert_eq!((r.body["organisation"]["id"].as_str(), r.body["role"].as_str()), (Some(b.as_str()), Some("owner")));
    assert_eq!(r.body["memberships"].as_array().unwrap().len(), 2);
    // With it, on Anna's, as viewer: reading works, writing is 403.
    let r = send(&app, "GET", "/api/v1/auth/me", Some(&bert), Some(&a), Body::None).await;
    assert_eq!((r.body["organisation"]["id"].as_str(), r.body["role"].as_str()), (Some(a.as_str()), Some("viewer")));
    let r = send(&app, "POST", "/api/v1/invoices", Some(&bert), Some(&a), Body::Json(invoice("B-1"))).await;
    assert_problem(&r, StatusCode::FORBIDDEN, "forbidden");
    let r = send(&app, "POST", "/api/v1/invoices", Some(&anna), None, Body::Json(invoice("A-1"))).await;
    assert_eq!(r.status, StatusCode::CREATED);
    let r = send(&app, "GET", "/api/v1/invoices", Some(&bert), Some(&a), Body::None).await;
    assert_eq!(r.body["items"].as_array().unwrap().len(), 1);
    let r = send(&app, "GET", "/api/v1/invoices", Some(&bert), None, Body::None).await;
    assert_eq!(r.body["items"], json!([]), "his own organisation has none");
    // A session chosen at login acts there by default.
    let bert_in_a = login(&app, "bert@example.be", Some(&a)).await;
    let r = send(&app, "GET", "/api/v1/auth/me", Some(&bert_in_a), None, Body::None).await;
    assert_eq!(r.body["organisation"]["id"], a.as_str());
    // Not a member, unknown, malformed: 404, and Anna's organisation is not confirmed to exist.
    for header in [b.as_str(), "0194b3a0-0000-7000-8000-000000000000", "not-a-uuid"] {
        let r = send(&app, "GET", "/api/v1/organisation", Some(&anna), Some(header), Body::None).await;
        assert_problem(&r, StatusCode::NOT_FOUND, "not-found");
        assert!(!r.text.contains(&b), "{}", r.text);
    }
    let r = call(
        &app,
        "POST",
        "/api/v1/auth/login",
        None,
        Some(json!({"email": "anna@example.be", "password": PASSWORD, "organisation_id": b})),
    )
    .await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY, "validation");
}

#[actix_web::test]
async fn admins_cannot_grant_or_touch_owners_and_the_last_owner_stays() {
    let h = harness();
    let app = app!(h);
    let (org, anna) = owner(&app, "anna@example.be").await;
    let anna_id =
        call(&app, "GET", "/api/v1/auth/me", Some(&anna), None).await.body["user"]["id"].as_str().unwrap().to_owned();
    let (_, admin) = member(&app, &anna, &org, "adam@example.be", "admin").await;
    let (viewer, _) = member(&app, &anna, &org, "vera@example.be", "viewer").await;
    let ad = Some(admin.as_str());

    let r = call(
        &app,
        "POST",
        "/api/v1/organisation/invitations",
        ad,
        Some(json!({"email": "o@example.be", "role": "owner"})),
    )
    .await;
    assert_problem(&r, StatusCode::FORBIDDEN, "forbidden");
    let r = call(&app, "PATCH", &format!("/api/v1/organisation/members/{viewer}"), ad, Some(json!({"role": "owner"})))
        .await;
    assert_problem(&r, StatusCode::FORBIDDEN, "forbidden");
    let r =
        call(&app, "PATCH", &format!("/api/v1/organisation/members/{anna_id}"), ad, Some(json!({"role": "viewer"})))
            .await;
    assert_problem(&r, StatusCode::FORBIDDEN, "forbidden");
    let r = call(&app, "DELETE", &format!("/api/v1/organisation/members/{anna_id}"), ad, None).await;
    assert_problem(&r, StatusCode::FORBIDDEN, "forbidden");
    let r = call(&app, "PATCH", &format!("/api/v1/organisation/members/{viewer}"), ad, Some(json!({"role": "admin"})))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["role"], "admin");
    let r = call(&app, "PATCH", &format!("/api/v1/organisation/members/{viewer}"), ad, Some(json!({"role": "chief"})))
        .await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY, "validation");

    // The last owner can be neither demoted nor removed, even by herself.
    let a = Some(anna.as_str());
    let r = call(&app, "PATCH", &format!("/api/v1/organisation/members/{anna_id}"), a, Some(json!({"role": "admin"})))
        .await;
    assert_problem(&r, StatusCode::CONFLICT, "last-owner");
    let r = call(&app, "DELETE", &format!("/api/v1/organisation/members/{anna_id}"), a, None).await;
    assert_problem(&r, StatusCode::CONFLICT, "last-owner");
    // With a second owner she can step down.
    let r =
        call(&app, "PATCH", &format!("/api/v1/organisation/members/{viewer}"), a, Some(json!({"role": "owner"}))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let r = call(&app, "PATCH", &format!("/api/v1/organisation/members/{anna_id}"), a, Some(json!({"role": "admin"})))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let r = call(&app, "GET", "/api/v1/organisation/members", a, None).await;
    let roles: Vec<_> =
        r.body["items"].as_array().unwrap().iter().map(|m| m["role"].as_str().unwrap().to_owned()).collect();
    assert_eq!(roles, ["admin", "admin", "owner"]);
}

#[actix_web::test]
async fn removing_a_member_ends_their_sessions_there() {
    let h = harness();
    let app = app!(h);
    let (a, anna) = owner(&app, "anna@example.be").await;
    // Bert has his own organisation first, then joins Anna's.
    let (b, bert_home) = owner(&app, "bert@example.be").await;
    let invitation = invite(&app, &anna, "bert@example.be", "accountant").await;
    let r =
        call(&app, "POST", "/api/v1/invitations/accept", Some(&bert_home), Some(json!({"token": invitation["token"]})))
            .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let bert_id = r.body["user"]["id"].as_str().unwrap().to_owned();
    let bert_in_a = login(&app, "bert@example.be", Some(&a)).await;
    assert_eq!(send(&app, "GET", "/api/v1/invoices", Some(&bert_in_a), None, Body::None).await.status, StatusCode::OK);

    let r = call(&app, "DELETE", &format!("/api/v1/organisation/members/{bert_id}"), Some(&anna), None).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
    // The session acting on A is gone; the one on his own organisation lives, but not in A.
    let r = send(&app, "GET", "/api/v1/auth/me", Some(&bert_in_a), None, Body::None).await;
    assert_problem(&r, StatusCode::UNAUTHORIZED, "unauthenticated");
    let r = send(&app, "GET", "/api/v1/invoices", Some(&bert_home), Some(&a), Body::None).await;
    assert_problem(&r, StatusCode::NOT_FOUND, "not-found");
    let r = send(&app, "GET", "/api/v1/auth/me", Some(&bert_home), None, Body::None).await;
    assert_eq!(r.body["organisation"]["id"], b.as_str());
    let r = call(&app, "GET", "/api/v1/organisation/members", Some(&anna), None).await;
    assert_eq!(r.body["items"].as_array().unwrap().len(), 1);
}

#[actix_web::test]
async fn someone_removed_from_their_last_organisation_accepts_a_new_invitation_with_their_password() {
    let h = harness();
    let app = app!(h);
    let (org, owner_token) = owner(&app, "anna@example.be").await;
    let (bert, _) = member(&app, &owner_token, &org, "bert@example.be", "viewer").await;
    let r = call(&app, "DELETE", &format!("/api/v1/organisation/members/{bert}"), Some(&owner_token), None).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    // With no organisation left, Bert cannot log in...
    let r =
        call(&app, "POST", "/api/v1/auth/login", None, Some(json!({"email": "bert@example.be", "password": PASSWORD})))
            .await;
    assert_problem(&r, StatusCode::UNAUTHORIZED, "invalid-credentials");
    // ...so he accepts with his account's password: a wrong one is refused like a login.
    let invitation = invite(&app, &owner_token, "bert@example.be", "accountant").await;
    let token = invitation["token"].clone();
    let accept = |password: &str| json!({"token": token, "password": password});
    let r = call(&app, "POST", "/api/v1/invitations/accept", None, Some(accept("wrong password here"))).await;
    assert_problem(&r, StatusCode::UNAUTHORIZED, "invalid-credentials");
    let r = call(&app, "POST", "/api/v1/invitations/accept", None, Some(json!({"token": token}))).await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY, "validation");
    let r = call(&app, "POST", "/api/v1/invitations/accept", None, Some(accept(PASSWORD))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!((r.body["user"]["id"].as_str(), r.body["role"].as_str()), (Some(bert.as_str()), Some("accountant")));
    login(&app, "bert@example.be", None).await;
    // For an address without an account, the password alone creates nothing.
    let invitation = invite(&app, &owner_token, "carl@example.be", "viewer").await;
    let r = call(
        &app,
        "POST",
        "/api/v1/invitations/accept",
        None,
        Some(json!({"token": invitation["token"], "password": PASSWORD})),
    )
    .await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY, "validation");
    assert_eq!(r.body["errors"][0]["field"], "name");
}
