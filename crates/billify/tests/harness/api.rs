//! Helpers of the API test files: raw requests, an owner's session, a sample invoice, uploads
//! and statement imports.

#![allow(dead_code, reason = "each test file uses a different part")]

use actix_web::body::MessageBody;
use actix_web::dev::{Service, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::test;
use serde_json::{Value, json};

use super::{Reply, call};

pub async fn raw<S, B>(app: &S, req: test::TestRequest) -> Reply
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let resp = test::call_service(app, req.to_request()).await;
    let status = resp.status();
    let headers = resp.headers().clone();
    let bytes = test::read_body(resp).await;
    let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    Reply { status, headers, body, text: String::from_utf8_lossy(&bytes).into_owned() }
}

/// Registers an organisation and logs its owner in; returns the token.
pub async fn owner<S, B>(app: &S, email: &str) -> String
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let r = call(
        app,
        "POST",
        "/api/v1/auth/register",
        None,
        Some(json!({"organisation_name": format!("Org {email}"), "name": "Anna", "email": email, "password": "correct horse battery"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let r = call(
        app,
        "POST",
        "/api/v1/auth/login",
        None,
        Some(json!({"email": email, "password": "correct horse battery"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.body["token"].as_str().unwrap().to_owned()
}

/// Logs an existing user in again (after the test clock jumped past the idle timeout).
pub async fn login<S, B>(app: &S, email: &str) -> String
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let r = call(
        app,
        "POST",
        "/api/v1/auth/login",
        None,
        Some(json!({"email": email, "password": "correct horse battery"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.body["token"].as_str().unwrap().to_owned()
}

pub fn sample_invoice() -> Value {
    json!({
        "direction": "payable",
        "invoice_number": "INV-SO-2023-2812",
        "counterparty": {"name": "Bloc Group BV", "vat_number": "BE0662970353", "iban": "BE71 0018 6092 2869", "bic": "GEBABEBB"},
        "issue_date": "2026-03-01",
        "due_date": "2026-03-10",
        "currency": "EUR",
        "subtotal": "315.75",
        "vat_amount": "66.31",
        "total": "382.06",
        "payment_reference": "+++123/4567/89002+++"
    })
}

pub fn field_errors(r: &Reply) -> Vec<String> {
    r.body["errors"]
        .as_array()
        .map(|a| a.iter().map(|e| e["field"].as_str().unwrap().to_owned()).collect())
        .unwrap_or_default()
}

pub fn multipart(field: &str, file_name: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let boundary = "billify-test-boundary-7MA4YWxkTrZu0gW";
    let mut body = Vec::new();
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

pub async fn upload<S, B>(app: &S, token: &str, file_name: &str, bytes: &[u8]) -> Reply
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    post_file(app, token, "/api/v1/invoices/uploads", "file", file_name, bytes).await
}

/// Posts `bytes` as the multipart part `field` to `uri`.
pub async fn post_file<S, B>(app: &S, token: &str, uri: &str, field: &str, file_name: &str, bytes: &[u8]) -> Reply
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let (content_type, body) = multipart(field, file_name, bytes);
    raw(
        app,
        test::TestRequest::post()
            .uri(uri)
            .insert_header(("Authorization", format!("Bearer {token}")))
            .insert_header(("content-type", content_type))
            .set_payload(body),
    )
    .await
}

pub fn walk(dir: &std::path::Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else { return 0 };
    entries.filter_map(Result::ok).map(|e| if e.path().is_dir() { walk(&e.path()) } else { 1 }).sum()
}

pub async fn import<S, B>(app: &S, token: &str, bytes: &[u8]) -> Reply
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    post_file(app, token, "/api/v1/bank/statements", "file", "statement", bytes).await
}
