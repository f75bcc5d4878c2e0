//! Request limits on the real server: slow clients are cut off, oversized heads and bodies are
//! refused before they cost memory, and every refusal, even those actix-http writes before any
//! route runs, is a problem document.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test code: a failed expectation is a failed test")]

mod common;

use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use common::Server;

fn server(dir: &tempfile::TempDir) -> Server {
    Server::start(&[
        ("BILLIFY_DATABASE_URL", format!("sqlite://{}", dir.path().join("l.db").display())),
        ("BILLIFY_DOCUMENTS_DIR", dir.path().join("docs").display().to_string()),
        ("BILLIFY_CLIENT_TIMEOUT_SECONDS", "1".to_owned()),
    ])
}

fn connect(server: &Server) -> TcpStream {
    let stream = TcpStream::connect(server.base.trim_start_matches("http://")).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    stream
}

/// Writes `request` and reads until the server closes or 10 s pass; returns the answer's text.
fn exchange(server: &Server, request: &[u8]) -> String {
    let mut stream = connect(server);
    stream.write_all(request).unwrap();
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    String::from_utf8_lossy(&answer).into_owned()
}

/// `answer` is a whole HTTP answer whose body is a problem document of a type starting with `kind`,
/// with its length and the request id of its `X-Request-Id` header as its instance.
fn assert_problem(answer: &str, kind: &str) {
    let (head, body) = answer.split_once("\r\n\r\n").unwrap_or_else(|| panic!("no head in {answer:?}"));
    let id = head
        .lines()
        .find(|l| l.to_ascii_lowercase().starts_with("x-request-id: "))
        .map(|l| l["x-request-id: ".len()..].to_owned())
        .expect("an X-Request-Id");
    let head = head.to_ascii_lowercase();
    assert!(head.contains("\r\ncontent-type: application/problem+json"), "{head}");
    assert!(head.contains(&format!("\r\ncontent-length: {}\r\n", body.len())), "{head}");
    let doc: serde_json::Value = serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}"));
    assert!(doc["type"].as_str().unwrap().starts_with(kind), "{doc}");
    assert_eq!(doc["status"].as_u64().unwrap().to_string(), answer[9..12], "{doc}");
    assert_eq!(doc["instance"], format!("urn:billify:request:{id}"));
}

#[test]
fn a_client_that_never_finishes_its_headers_is_cut_off() {
    let dir = tempfile::tempdir().unwrap();
    let server = server(&dir);
    let started = Instant::now();
    let answer = exchange(&server, b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n");
    let waited = started.elapsed();
    assert!(waited < Duration::from_secs(5), "the connection was held for {waited:?}");
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert_problem(&answer, "/problems/request-timeout");
    server.stop();
}

#[test]
fn oversized_heads_and_bodies_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let server = server(&dir);
    let huge = "a".repeat(200 * 1024);
    let answer = exchange(
        &server,
        format!("GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-Big: {huge}\r\nConnection: close\r\n\r\n").as_bytes(),
    );
    assert!(answer.starts_with("HTTP/1.1 431"), "{}", &answer[..answer.len().min(200)]);
    assert_problem(&answer, "/problems/headers-too-large");

    // A request line over what actix-http reads (a 100,000-character cursor), and a head that is
    // not HTTP at all.
    let cursor = "c".repeat(100_000);
    let answer =
        exchange(&server, format!("GET /api/v1/invoices?cursor={cursor} HTTP/1.1\r\nHost: x\r\n\r\n").as_bytes());
    assert!(answer.starts_with("HTTP/1.1 4"), "{}", &answer[..answer.len().min(200)]);
    assert_problem(&answer, "/problems/");
    let answer = exchange(&server, b"NOT HTTP AT ALL\r\n\r\n");
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
    assert_problem(&answer, "/problems/bad-request");

    let body = format!("{{\"email\":\"{}\"}}", "a".repeat(100 * 1024));
    let answer = exchange(
        &server,
        format!(
            "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .as_bytes(),
    );
    assert!(answer.starts_with("HTTP/1.1 413"), "{}", &answer[..answer.len().min(200)]);
    assert!(answer.contains("payload-too-large"), "a problem document: {answer}");
    server.stop();
}
