//! The HTTP/1.1 listener: actix-web's application on actix-http's service, with each accepted
//! connection wrapped by [`billify_web::connection::ProblemAnswers`], so that even the requests
//! actix-http refuses before any route runs (a head it cannot parse, one over its limits, one that
//! does not arrive in time) are answered with problem documents. This is what
//! `actix_web::HttpServer` does, plus that wrapper, for which it has no hook.

use std::net::SocketAddr;
use std::time::Duration;

use actix_http::error::DispatchError;
use actix_http::{HttpService, Protocol, Request, Response};
use actix_service::{IntoServiceFactory, ServiceFactory, ServiceFactoryExt as _, fn_service, map_config};
use actix_web::body::MessageBody;
use actix_web::dev::{AppConfig, Server};
use actix_web::rt::net::TcpStream;
use anyhow::Context as _;
use billify_web::connection::ProblemAnswers;

/// How the listener treats connections and its workers.
#[derive(Debug, Clone, Copy)]
pub struct ListenerSettings {
    /// Worker threads, each with its own event loop.
    pub workers: usize,
    /// Threads each worker runs blocking work on (database statements, document reading); more
    /// work waits in order for one.
    pub blocking_threads: usize,
    /// How long a graceful stop waits for the requests in flight, in seconds.
    pub shutdown_timeout_seconds: u64,
    /// The time a client has to send a request head (else 408 and the connection closes).
    pub client_request_timeout: Duration,
    /// The time an unresponsive client has to close after the server's answer at shutdown.
    pub client_disconnect_timeout: Duration,
    /// How long an idle keep-alive connection stays open.
    pub keep_alive: Duration,
}

/// A server listening on `bind` with the application `factory` builds per worker; signals are
/// left to the caller. Returns the server (not yet polled) to run, and the address it listens on
/// (the port chosen when `bind` asks for port 0).
pub fn listen<F, I, S, B>(
    name: &str,
    bind: SocketAddr,
    settings: ListenerSettings,
    factory: F,
) -> anyhow::Result<(Server, SocketAddr)>
where
    F: Fn() -> I + Send + Clone + 'static,
    I: IntoServiceFactory<S, Request>,
    S: ServiceFactory<Request, Config = AppConfig> + 'static,
    S::Error: Into<actix_web::Error> + 'static,
    S::InitError: std::fmt::Debug,
    S::Response: Into<Response<B>> + 'static,
    B: MessageBody + 'static,
{
    let listener = std::net::TcpListener::bind(bind).with_context(|| format!("binding {bind}"))?;
    let local = listener.local_addr().with_context(|| format!("reading the address bound for {bind}"))?;
    let server = Server::build()
        .workers(settings.workers)
        .worker_max_blocking_threads(settings.blocking_threads)
        .shutdown_timeout(settings.shutdown_timeout_seconds)
        .disable_signals()
        .listen(name, listener, move || {
            let app = factory().into_factory().map_err(|e| e.into().error_response());
            // Routes read the host from the request's `Host` header; the configured address
            // below only stands in for HTTP/1.0 requests without one.
            let service = HttpService::build()
                .keep_alive(settings.keep_alive)
                .client_request_timeout(settings.client_request_timeout)
                .client_disconnect_timeout(settings.client_disconnect_timeout)
                .local_addr(local)
                .finish(map_config(app, |_| AppConfig::default()));
            fn_service(|io: TcpStream| async move {
                let peer = io.peer_addr().ok();
                Ok::<_, DispatchError>((ProblemAnswers::new(io), Protocol::Http1, peer))
            })
            .and_then(service)
        })
        .with_context(|| format!("listening on {local}"))?
        .run();
    Ok((server, local))
}
