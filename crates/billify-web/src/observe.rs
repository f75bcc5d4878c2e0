//! Request ids, the access log and the HTTP metrics, in one middleware around every request.
//!
//! - Every answer carries `X-Request-Id`: the client's own when it is well-formed (1 to 64 of
//!   `A-Z a-z 0-9 . _ -`), else a new one. While the request is served the id is the thread's
//!   [`current_request_id`] (also on the blocking pool, see [`crate::blocking`]), so every log
//!   line of the request can carry it and problem documents name it in `instance`.
//! - One access-log line per request (target `billify::access`): route template, method,
//!   status, duration, organisation id and request id. Never the query string or a header,
//!   so never a token.
//! - Metrics through the `metrics` facade (the binary installs the Prometheus recorder):
//!   `billify_http_requests_total` and `billify_http_request_duration_seconds` by route
//!   template, method and status class.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Instant;

use actix_web::HttpMessage as _;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;

/// The request id header.
pub const REQUEST_ID_HEADER: &str = "x-request-id";

thread_local! {
    static CURRENT: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// The id of the request this thread is serving, if any.
pub fn current_request_id() -> Option<String> {
    CURRENT.with(|c| c.borrow().clone())
}

/// Runs `f` with `id` as this thread's request id, restoring the previous one after.
pub fn with_request_id<T>(id: Option<String>, f: impl FnOnce() -> T) -> T {
    let previous = CURRENT.with(|c| c.replace(id));
    let out = f();
    CURRENT.with(|c| *c.borrow_mut() = previous);
    out
}

/// A request's id, in its extensions.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

/// The organisation a request acted on, in its extensions (set by the `Authenticated`
/// extractor), for the access log.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ActedOn(pub billify_domain::OrganisationId);

/// Whether a client's id may be kept: short, and only characters that are safe in a log line
/// and a header.
pub fn well_formed(id: &str) -> bool {
    (1..=64).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

/// A new request id: 128 random bits as 32 hex digits.
pub fn new_request_id() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

/// A future polled with its request id as the thread's.
struct Scoped<F> {
    id: String,
    inner: Pin<Box<F>>,
}

impl<F: Future> Future for Scoped<F> {
    type Output = F::Output;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let id = self.id.clone();
        with_request_id(Some(id), || self.inner.as_mut().poll(cx))
    }
}

/// `2xx`, `4xx`, ...
fn status_class(status: u16) -> &'static str {
    match status {
        100..=199 => "1xx",
        200..=299 => "2xx",
        300..=399 => "3xx",
        400..=499 => "4xx",
        _ => "5xx",
    }
}

/// The middleware (see the module doc). Wrap the whole app with it.
pub async fn middleware<B: MessageBody + 'static>(
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<B>, actix_web::Error> {
    let started = Instant::now();
    let id = req
        .headers()
        .get(REQUEST_ID_HEADER)
        .and_then(|v| v.to_str().ok())
        .filter(|v| well_formed(v))
        .map_or_else(new_request_id, str::to_owned);
    req.extensions_mut().insert(RequestId(id.clone()));
    let method = req.method().as_str().to_owned();
    let served = Scoped { id: id.clone(), inner: Box::pin(next.call(req)) }.await;
    let mut response = served?;
    let status = response.status().as_u16();
    // The template, never the path itself: ids stay out of the metrics' labels.
    let route = response.request().match_pattern().unwrap_or_else(|| String::from("(unmatched)"));
    let organisation = response.request().extensions().get::<ActedOn>().map(|o| o.0.to_string());
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(HeaderName::from_static(REQUEST_ID_HEADER), value);
    }
    let elapsed = started.elapsed();
    let labels = [("route", route.clone()), ("method", method.clone()), ("status", status_class(status).to_owned())];
    metrics::counter!("billify_http_requests_total", &labels).increment(1);
    metrics::histogram!("billify_http_request_duration_seconds", &labels).record(elapsed.as_secs_f64());
    with_request_id(Some(id), || {
        log::info!(
            target: "billify::access",
            "{method} {route} {status} {:.1}ms organisation={}",
            elapsed.as_secs_f64() * 1000.0,
            organisation.as_deref().unwrap_or("-"),
        );
    });
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_ids_are_kept_only_when_well_formed() {
        assert!(well_formed("0b7c9a52-3c4e-4e0b-9a1e-1f2d3c4b5a69"));
        assert!(well_formed("req_123.abc"));
        assert!(!well_formed(""));
        assert!(!well_formed(&"a".repeat(65)));
        assert!(!well_formed("bad id"));
        assert!(!well_formed("line\nbreak"));
        assert!(!well_formed("Bearer:xyz"));
        assert_eq!(new_request_id().len(), 32);
        assert_ne!(new_request_id(), new_request_id());
    }

    #[test]
    fn the_id_is_scoped() {
        assert_eq!(current_request_id(), None);
        let inside = with_request_id(Some("abc".into()), current_request_id);
        assert_eq!(inside.as_deref(), Some("abc"));
        assert_eq!(current_request_id(), None);
    }
}
