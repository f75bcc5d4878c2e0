//! `GET /api/v1/events`: the organisation's live events as Server-Sent Events.
//!
//! A stream holds no database connection and no thread while it waits: it is an async body
//! that sleeps on the [`EventHub`]'s broadcast of wake-ups (fed by the store: in-process on
//! SQLite, `LISTEN/NOTIFY` on PostgreSQL) and on its heartbeat timer. When its organisation
//! has new events it reads them through the use case on the blocking pool, writes those the
//! member's role may see, and sleeps again. Every event carries its number as the SSE `id`, so
//! a browser that reconnects sends `Last-Event-ID` and resumes where it stopped.

use std::time::Duration;

use actix_web::http::header::{self, HeaderValue};
use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse, web};
use billify_app::{Actor, EventBatch, EventError};
use billify_domain::OrganisationId;
use billify_ports::{EventListener, StoredEvent};
use serde::Deserialize;
use tokio::sync::broadcast;

use crate::auth::Authenticated;
use crate::extract::parse_query;
use crate::problem::ApiError;
use crate::{AppState, blocking, timestamp};

impl From<EventError> for ApiError {
    fn from(e: EventError) -> Self {
        match e {
            EventError::Forbidden => {
                ApiError::Forbidden("your role does not allow reading this organisation's data".into())
            }
            EventError::Repository(e) => e.into(),
        }
    }
}

/// How streams behave.
#[derive(Debug, Clone, Copy)]
pub struct StreamSettings {
    /// A comment line is sent after this long without an event, so proxies and clients keep
    /// the connection and notice a dead one.
    pub heartbeat: Duration,
    /// A stream ends after this long; the client reconnects with `Last-Event-ID`, and its
    /// session is checked again.
    pub max_duration: Duration,
}

impl Default for StreamSettings {
    fn default() -> Self {
        StreamSettings { heartbeat: Duration::from_secs(15), max_duration: Duration::from_secs(15 * 60) }
    }
}

/// A wake-up.
#[derive(Debug, Clone, Copy)]
enum Wake {
    /// The organisation's events up to this number are committed.
    Published(OrganisationId, i64),
    /// Wake-ups may have been lost: every stream reads again.
    Everyone,
    /// The server is shutting down: every stream ends (clients reconnect with `Last-Event-ID`).
    Closing,
}

/// The process's streams' wake-up hub: the store tells it about new events
/// ([`EventListener`]), it broadcasts to every open stream, and each stream keeps what concerns
/// its organisation.
pub struct EventHub {
    sender: broadcast::Sender<Wake>,
    settings: StreamSettings,
    closing: std::sync::atomic::AtomicBool,
}

impl EventHub {
    /// A hub whose streams behave as `settings` say.
    pub fn new(settings: StreamSettings) -> Self {
        // A stream that falls this far behind reads the log again (`Lagged`): nothing is lost.
        let (sender, _) = broadcast::channel(1024);
        EventHub { sender, settings, closing: std::sync::atomic::AtomicBool::new(false) }
    }

    /// Ends every open stream and refuses new ones (503): the server is shutting down, and a
    /// graceful shutdown must not wait for streams that never end. Clients reconnect, to
    /// another process or after the restart, with `Last-Event-ID`.
    pub fn close(&self) {
        self.closing.store(true, std::sync::atomic::Ordering::SeqCst);
        let _ = self.sender.send(Wake::Closing);
    }

    fn is_closing(&self) -> bool {
        self.closing.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// How many streams are open.
    pub fn streams(&self) -> usize {
        self.sender.receiver_count()
    }
}

impl EventListener for EventHub {
    fn published(&self, organisation: OrganisationId, last_id: i64) {
        // No receiver (no open stream) is not an error.
        let _ = self.sender.send(Wake::Published(organisation, last_id));
    }

    fn resync(&self) {
        let _ = self.sender.send(Wake::Everyone);
    }
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct StreamParams {
    after: Option<String>,
    stream: Option<String>,
}

/// The request header a reconnecting `EventSource` sends.
const LAST_EVENT_ID: &str = "last-event-id";

/// `GET /events`: `Last-Event-ID` (or `?after=N`) resumes after event N; without either the
/// stream starts at the organisation's latest event. `?stream=false` answers the events after
/// the cursor and ends, instead of following.
#[utoipa::path(
    get,
    path = "/api/v1/events",
    operation_id = "events_stream",
    tag = "events",
    summary = "Server-Sent Events of the organisation: sync finished, invoices, matches, notifications, forecast changed. Resumes with Last-Event-ID.",
    responses(
        (status = 200, description = "An event stream.", content_type = "text/event-stream"),
    )
)]
pub(crate) async fn stream(
    auth: Authenticated,
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (after, follow) = stream_request(&req)?;
    serve(state, auth.0.actor, after, follow).await
}

/// Where a stream request resumes (`Last-Event-ID`, else `?after=`) and whether it follows new
/// events (`?stream=false` does not); shared with the browser interface's stream.
pub fn stream_request(req: &HttpRequest) -> Result<(Option<i64>, bool), ApiError> {
    let params: StreamParams = parse_query(req.query_string())?;
    let header = req.headers().get(LAST_EVENT_ID).map(|v| v.to_str().unwrap_or("-").trim().to_owned());
    let after = match (header.filter(|h| !h.is_empty()), params.after) {
        (Some(v), _) => Some(cursor(LAST_EVENT_ID, &v)?),
        (None, Some(v)) => Some(cursor("after", &v)?),
        (None, None) => None,
    };
    let follow = match params.stream.as_deref() {
        None | Some("true") => true,
        Some("false") => false,
        Some(_) => return Err(ApiError::field("stream", "stream is true or false")),
    };
    Ok((after, follow))
}

fn cursor(field: &str, value: &str) -> Result<i64, ApiError> {
    value.parse::<i64>().ok().filter(|n| *n >= 0).ok_or_else(|| {
        ApiError::field(field, format!("{field} is the number of an event this stream sent (0 or more)"))
    })
}

/// Answers the actor's organisation's events as `text/event-stream`: after `after` (else from
/// the latest), following new ones when `follow`. Shared with the browser interface's stream.
pub async fn serve(
    state: web::Data<AppState>,
    actor: Actor,
    after: Option<i64>,
    follow: bool,
) -> Result<HttpResponse, ApiError> {
    // Subscribe before reading the cursor, so no wake-up between the two is missed.
    let wakeups = state.event_hub.sender.subscribe();
    if state.event_hub.is_closing() {
        return Err(ApiError::Unavailable);
    }
    let settings = state.event_hub.settings;
    let st = state.clone();
    let (cursor, first) = blocking(move || match after {
        Some(after) => {
            let batch = st.events.events_after(&actor, after)?;
            Ok((after, Some(batch)))
        }
        None => Ok((st.events.last_event_id(&actor)?, None)),
    })
    .await?;
    let mut opening = format!("retry: 3000\nid: {cursor}\n\n").into_bytes();
    let mut stream = Stream { state, actor, cursor, wakeups, settings, dirty: false };
    if let Some(batch) = first {
        opening.extend(stream.render(batch));
    }
    if !follow {
        while stream.dirty {
            let batch = stream.read().await?;
            opening.extend(stream.render(batch));
        }
        return Ok(response().body(opening));
    }
    let deadline = actix_web::rt::time::Instant::now() + settings.max_duration;
    let body = futures_util::stream::unfold(
        (stream, Some(Bytes::from(opening)), deadline),
        |(mut stream, pending, deadline)| async move {
            if let Some(bytes) = pending {
                return Some((Ok::<_, actix_web::Error>(bytes), (stream, None, deadline)));
            }
            let bytes = stream.next_chunk(deadline).await?;
            Some((Ok(bytes), (stream, None, deadline)))
        },
    );
    Ok(response().streaming(body))
}

fn response() -> actix_web::HttpResponseBuilder {
    let mut builder = HttpResponse::Ok();
    builder
        .content_type("text/event-stream")
        .insert_header((header::CACHE_CONTROL, HeaderValue::from_static("no-store")))
        // Proxies (nginx) must pass each event on at once.
        .insert_header(("x-accel-buffering", "no"));
    builder
}

/// One open stream.
struct Stream {
    state: web::Data<AppState>,
    actor: Actor,
    /// The last event read (seen or not).
    cursor: i64,
    wakeups: broadcast::Receiver<Wake>,
    settings: StreamSettings,
    /// The log may hold events after the cursor.
    dirty: bool,
}

impl Stream {
    /// The next bytes to send: events, or a heartbeat; `None` ends the stream.
    async fn next_chunk(&mut self, deadline: actix_web::rt::time::Instant) -> Option<Bytes> {
        loop {
            if self.dirty {
                match self.read().await {
                    Ok(batch) => {
                        let bytes = self.render(batch);
                        if !bytes.is_empty() {
                            return Some(Bytes::from(bytes));
                        }
                        continue;
                    }
                    Err(e) => {
                        log::warn!("a live-event stream of {} stops: {e}", self.actor.organisation_id);
                        return None;
                    }
                }
            }
            let now = actix_web::rt::time::Instant::now();
            if now >= deadline {
                return None;
            }
            let wait = self.settings.heartbeat.min(deadline - now);
            match actix_web::rt::time::timeout(wait, self.wakeups.recv()).await {
                Err(_) if actix_web::rt::time::Instant::now() >= deadline => return None,
                Err(_) => return Some(Bytes::from_static(b": heartbeat\n\n")),
                Ok(Ok(Wake::Published(organisation, last))) => {
                    self.dirty = organisation == self.actor.organisation_id && last > self.cursor;
                }
                Ok(Ok(Wake::Everyone) | Err(broadcast::error::RecvError::Lagged(_))) => {
                    self.dirty = true;
                    if self.state.event_hub.is_closing() {
                        return None;
                    }
                }
                Ok(Ok(Wake::Closing) | Err(broadcast::error::RecvError::Closed)) => return None,
            }
        }
    }

    /// Reads what follows the cursor, on the blocking pool.
    async fn read(&mut self) -> Result<EventBatch, ApiError> {
        let (state, actor, after) = (self.state.clone(), self.actor, self.cursor);
        blocking(move || Ok(state.events.events_after(&actor, after)?)).await
    }

    /// The SSE text of a batch; moves the cursor past it.
    fn render(&mut self, batch: EventBatch) -> Vec<u8> {
        let mut out = String::new();
        if let Some(n) = batch.reset_to {
            // Events were pruned (or the cursor was never valid): the client reloads what it shows.
            out.push_str(&format!("id: {n}\nevent: reset\ndata: {{\"last_event_id\":{n}}}\n\n"));
        }
        for event in &batch.events {
            out.push_str(&frame(event));
        }
        self.cursor = self.cursor.max(batch.next);
        self.dirty = batch.more;
        out.into_bytes()
    }
}

/// One event as an SSE frame: its number, its kind as the event name, and one line of JSON.
fn frame(event: &StoredEvent) -> String {
    let data: serde_json::Value = serde_json::from_str(&event.data).unwrap_or(serde_json::Value::Null);
    let body = serde_json::json!({
        "id": event.id,
        "type": event.kind.code(),
        "created_at": timestamp(event.created_at),
        "data": data,
    });
    format!("id: {}\nevent: {}\ndata: {}\n\n", event.id, event.kind.code(), body)
}
