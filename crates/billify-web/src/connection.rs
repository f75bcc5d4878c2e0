//! The server's connections: HTTP-layer refusals answered as problem documents.
//!
//! actix-http answers three kinds of request itself, before any application code runs, with a
//! bare head and no body: a request head it cannot parse (400), one over its 128 KiB buffer or its
//! 96 headers (431), and one that does not arrive within the client timeout (408). It has no hook
//! for those answers, and it closes the connection after each. [`ProblemAnswers`] wraps a
//! connection and recognises exactly those heads as actix writes them: a 400, 408 or 431 status
//! line with `content-length: 0`, no `content-type` and nothing after the head. It writes a problem
//! document with the same status instead, with a new `X-Request-Id` that the log line and the
//! document's `instance` carry. Every other byte passes through unchanged. The application's own
//! errors are problem documents already (with a `content-type`), so they are never touched.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

use crate::problem::http_problem_body;

/// Longer than any bare head actix writes (status line, `content-length`, `connection`, `date`).
const BARE_HEAD_LIMIT: usize = 256;

/// A connection whose HTTP-layer refusals are rewritten as problem documents.
pub struct ProblemAnswers<T> {
    inner: T,
    /// The problem answer still to be written, and how much of it is written.
    pending: Option<(Vec<u8>, usize)>,
}

impl<T> ProblemAnswers<T> {
    /// Wraps an accepted connection.
    pub fn new(inner: T) -> Self {
        ProblemAnswers { inner, pending: None }
    }
}

/// The status of a bare refusal as actix-http writes it, or `None` for anything else.
fn bare_refusal(buf: &[u8]) -> Option<u16> {
    if buf.len() > BARE_HEAD_LIMIT || !buf.ends_with(b"\r\n\r\n") {
        return None;
    }
    let status = match buf.get(..13)? {
        b"HTTP/1.1 400 " | b"HTTP/1.0 400 " => 400,
        b"HTTP/1.1 408 " | b"HTTP/1.0 408 " => 408,
        b"HTTP/1.1 431 " | b"HTTP/1.0 431 " => 431,
        _ => return None,
    };
    // The head ends at the first blank line; anything after it would be a body or another answer.
    let head_end = buf.windows(4).position(|w| w == b"\r\n\r\n")? + 4;
    if head_end != buf.len() {
        return None;
    }
    let lower = buf.to_ascii_lowercase();
    let has = |needle: &[u8]| lower.windows(needle.len()).any(|w| w == needle);
    (has(b"\r\ncontent-length: 0\r\n") && !has(b"\r\ncontent-type:")).then_some(status)
}

/// The whole answer that replaces a bare refusal with `status`.
fn problem_answer(status: u16) -> Vec<u8> {
    let request_id = crate::observe::new_request_id();
    let (reason, body) = http_problem_body(status, &request_id);
    log::info!("request_id={request_id} status={status} refused by the HTTP layer: {reason}");
    let mut answer = format!(
        "HTTP/1.1 {status} {reason}\r\ncontent-type: application/problem+json\r\ncontent-length: {}\r\n\
         x-request-id: {request_id}\r\nx-content-type-options: nosniff\r\ncache-control: no-store\r\n\
         connection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    answer.extend_from_slice(body.as_bytes());
    answer
}

impl<T: AsyncWrite + Unpin> ProblemAnswers<T> {
    /// Writes what is left of the problem answer; ready once all of it is written.
    fn poll_pending(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while let Some((answer, written)) = self.pending.as_mut() {
            if *written == answer.len() {
                self.pending = None;
                break;
            }
            match Pin::new(&mut self.inner).poll_write(cx, &answer[*written..]) {
                Poll::Ready(Ok(0)) => return Poll::Ready(Err(io::ErrorKind::WriteZero.into())),
                Poll::Ready(Ok(n)) => *written += n,
                Poll::Ready(Err(e)) => return Poll::Ready(Err(e)),
                Poll::Pending => return Poll::Pending,
            }
        }
        Poll::Ready(Ok(()))
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for ProblemAnswers<T> {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for ProblemAnswers<T> {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        if this.pending.is_some() {
            match this.poll_pending(cx) {
                Poll::Ready(Ok(())) => {}
                Poll::Ready(Err(e)) => return Poll::Ready(Err(e)),
                Poll::Pending => return Poll::Pending,
            }
        }
        if let Some(status) = bare_refusal(buf) {
            this.pending = Some((problem_answer(status), 0));
            // The bare head counts as written; the problem answer goes out here or on flush.
            return match this.poll_pending(cx) {
                Poll::Ready(Err(e)) => Poll::Ready(Err(e)),
                _ => Poll::Ready(Ok(buf.len())),
            };
        }
        Pin::new(&mut this.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = &mut *self;
        match this.poll_pending(cx) {
            Poll::Ready(Ok(())) => Pin::new(&mut this.inner).poll_flush(cx),
            other => other,
        }
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = &mut *self;
        match this.poll_pending(cx) {
            Poll::Ready(Ok(())) => Pin::new(&mut this.inner).poll_shutdown(cx),
            other => other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_actix_bare_refusals_are_recognised() {
        let date = "date: Sun, 06 Dec 2026 12:00:00 GMT\r\n";
        let bare = |status: &str| format!("HTTP/1.1 {status}\r\ncontent-length: 0\r\nconnection: close\r\n{date}\r\n");
        assert_eq!(bare_refusal(bare("400 Bad Request").as_bytes()), Some(400));
        assert_eq!(bare_refusal(bare("431 Request Header Fields Too Large").as_bytes()), Some(431));
        assert_eq!(bare_refusal(bare("408 Request Timeout").as_bytes()), Some(408));
        // Other statuses, answers with a body or a content type, and a head followed by more bytes
        // pass through.
        assert_eq!(bare_refusal(bare("404 Not Found").as_bytes()), None);
        assert_eq!(bare_refusal(bare("200 OK").as_bytes()), None);
        let problem = format!(
            "HTTP/1.1 400 Bad Request\r\ncontent-type: application/problem+json\r\ncontent-length: 0\r\n{date}\r\n"
        );
        assert_eq!(bare_refusal(problem.as_bytes()), None);
        let sized = format!("HTTP/1.1 400 Bad Request\r\ncontent-length: 2\r\n{date}\r\n");
        assert_eq!(bare_refusal(sized.as_bytes()), None);
        let followed = format!("{}HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n", bare("400 Bad Request"));
        assert_eq!(bare_refusal(followed.as_bytes()), None);
        assert_eq!(bare_refusal(b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n"), None);
    }

    #[test]
    fn the_answer_is_a_problem_document_with_its_length() {
        let answer = String::from_utf8(problem_answer(431)).unwrap();
        let (head, body) = answer.split_once("\r\n\r\n").unwrap();
        assert!(head.starts_with("HTTP/1.1 431 Request Header Fields Too Large\r\n"), "{head}");
        assert!(head.contains(&format!("content-length: {}\r\n", body.len())), "{head}");
        assert!(head.contains("content-type: application/problem+json"), "{head}");
        let doc: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(doc["type"], "/problems/headers-too-large");
        assert_eq!(doc["status"], 431);
        let id = head.lines().find_map(|l| l.strip_prefix("x-request-id: ")).unwrap();
        assert_eq!(doc["instance"], format!("urn:billify:request:{id}"));
    }
}
