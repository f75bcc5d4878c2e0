//! The per-client rate limit of the authentication routes: a token bucket per client address in
//! process memory (IPv6 addresses grouped by /64), answered with a 429 problem and
//! `Retry-After` when empty.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{HttpRequest, ResponseError};

use crate::problem::ApiError;

/// The routes the limit applies to: registration, login (and every login step under
/// `/auth/login/`), accepting an invitation and changing the password.
pub(crate) fn applies_to(path: &str) -> bool {
    let Some(path) = path.strip_prefix(crate::API_PREFIX) else {
        return false;
    };
    matches!(path, "/auth/register" | "/auth/login" | "/auth/password" | "/invitations/accept")
        || path.starts_with("/auth/login/")
}

/// How fast a client may call the authentication routes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    /// Requests a minute, sustained (at least 1).
    pub per_minute: u32,
    /// Requests allowed at once after a quiet period (at least 1).
    pub burst: u32,
}

impl RateLimit {
    /// 10 requests a minute with bursts of 20.
    pub const DEFAULT: RateLimit = RateLimit { per_minute: 10, burst: 20 };
}

impl Default for RateLimit {
    fn default() -> Self {
        RateLimit::DEFAULT
    }
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    updated: Instant,
}

/// How often idle buckets are dropped.
const PRUNE_EVERY: Duration = Duration::from_secs(60);

/// Token buckets of the authentication routes, one per client address, shared by all workers.
#[derive(Debug)]
pub struct AuthRateLimiter {
    limit: RateLimit,
    trusted_proxy: Option<IpAddr>,
    state: Mutex<Buckets>,
}

#[derive(Debug)]
struct Buckets {
    by_client: HashMap<IpAddr, Bucket>,
    pruned: Instant,
}

impl Default for AuthRateLimiter {
    fn default() -> Self {
        AuthRateLimiter::new(RateLimit::DEFAULT, None)
    }
}

impl AuthRateLimiter {
    /// A limiter allowing `limit`; `X-Forwarded-For` is believed only from `trusted_proxy`.
    pub fn new(limit: RateLimit, trusted_proxy: Option<IpAddr>) -> Self {
        let limit = RateLimit { per_minute: limit.per_minute.max(1), burst: limit.burst.max(1) };
        AuthRateLimiter {
            limit,
            trusted_proxy,
            state: Mutex::new(Buckets { by_client: HashMap::new(), pruned: Instant::now() }),
        }
    }

    /// The limit applied.
    pub fn limit(&self) -> RateLimit {
        self.limit
    }

    /// The client a request is counted against: the peer address, or the last address of
    /// `X-Forwarded-For` when the peer is the trusted proxy; IPv6 addresses by their /64.
    pub(crate) fn client_of(&self, req: &HttpRequest) -> IpAddr {
        group(self.client_address(req).unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED)))
    }

    /// The client's address: the peer address, or the last address of `X-Forwarded-For` when
    /// the peer is the trusted proxy. `None` without a peer (in-process tests).
    pub(crate) fn client_address(&self, req: &HttpRequest) -> Option<IpAddr> {
        let peer = req.peer_addr().map(|a| a.ip())?;
        match self.trusted_proxy {
            Some(proxy) if canonical(peer) == canonical(proxy) => Some(forwarded_for(req).unwrap_or(peer)),
            _ => Some(peer),
        }
    }

    /// Takes one token for `client` at `now`; `Err(seconds)` says when the next one is there.
    pub(crate) fn take(&self, client: IpAddr, now: Instant) -> Result<(), u64> {
        let rate = f64::from(self.limit.per_minute) / 60.0;
        let burst = f64::from(self.limit.burst);
        let mut state = match self.state.lock() {
            Ok(state) => state,
            Err(poisoned) => poisoned.into_inner(),
        };
        if now.saturating_duration_since(state.pruned) >= PRUNE_EVERY {
            // A bucket that has refilled is the same as no bucket.
            state
                .by_client
                .retain(|_, b| b.tokens + now.saturating_duration_since(b.updated).as_secs_f64() * rate < burst);
            state.pruned = now;
        }
        let bucket = state.by_client.entry(client).or_insert(Bucket { tokens: burst, updated: now });
        let elapsed = now.saturating_duration_since(bucket.updated).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * rate).min(burst);
        bucket.updated = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            let wait = ((1.0 - bucket.tokens) / rate).ceil();
            // At most a minute and a bit: the conversion cannot overflow.
            Err(if wait.is_finite() && wait >= 1.0 { wait as u64 } else { 1 })
        }
    }

    /// How many clients have a bucket (for tests of pruning).
    #[cfg(test)]
    fn clients(&self) -> usize {
        self.state.lock().map(|s| s.by_client.len()).unwrap_or(0)
    }
}

fn forwarded_for(req: &HttpRequest) -> Option<IpAddr> {
    // The last entry is the one the trusted proxy added: the address it saw.
    let header = req.headers().get_all("x-forwarded-for").last()?;
    header.to_str().ok()?.rsplit(',').next()?.trim().parse().ok()
}

fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4),
        v4 => v4,
    }
}

/// IPv4 addresses as they are; IPv6 addresses by their /64 (one subscriber's network).
fn group(ip: IpAddr) -> IpAddr {
    match canonical(ip) {
        IpAddr::V6(v6) => {
            let bits = u128::from(v6) & !((1u128 << 64) - 1);
            IpAddr::V6(Ipv6Addr::from(bits))
        }
        v4 => v4,
    }
}

/// The middleware wrapped around the rate-limited routes: a 429 problem (with `Retry-After`)
/// before the request reaches its handler, when the client's bucket is empty.
pub(crate) async fn limit<B: MessageBody + 'static>(
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<EitherBody<B>>, actix_web::Error> {
    let state = req.app_data::<actix_web::web::Data<crate::AppState>>().cloned();
    if let Some(state) = state {
        let limiter = &state.security.auth_rate;
        let client = limiter.client_of(req.request());
        if let Err(retry_after_seconds) = limiter.take(client, Instant::now()) {
            log::warn!("rate limit reached on {} by {client}", req.path());
            let response = ApiError::RateLimited { retry_after_seconds }.error_response();
            return Ok(req.into_response(response).map_into_right_body());
        }
    }
    Ok(next.call(req).await?.map_into_left_body())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn a_burst_then_the_rate() {
        let limiter = AuthRateLimiter::new(RateLimit { per_minute: 6, burst: 2 }, None);
        let t0 = Instant::now();
        assert_eq!(limiter.take(ip("192.0.2.1"), t0), Ok(()));
        assert_eq!(limiter.take(ip("192.0.2.1"), t0), Ok(()));
        assert_eq!(limiter.take(ip("192.0.2.1"), t0), Err(10));
        // Another client has its own bucket.
        assert_eq!(limiter.take(ip("192.0.2.2"), t0), Ok(()));
        assert_eq!(limiter.take(ip("192.0.2.1"), t0 + Duration::from_secs(10)), Ok(()));
        assert!(limiter.take(ip("192.0.2.1"), t0 + Duration::from_secs(11)).is_err());
    }

    #[test]
    fn ipv6_clients_are_grouped_by_64() {
        assert_eq!(group(ip("2001:db8:1:2:aaaa::1")), group(ip("2001:db8:1:2:bbbb::9")));
        assert_ne!(group(ip("2001:db8:1:2::1")), group(ip("2001:db8:1:3::1")));
        assert_eq!(group(ip("::ffff:192.0.2.7")), ip("192.0.2.7"));
        assert_eq!(group(ip("192.0.2.7")), ip("192.0.2.7"));
    }

    #[test]
    fn idle_buckets_are_pruned() {
        let limiter = AuthRateLimiter::new(RateLimit { per_minute: 60, burst: 5 }, None);
        let t0 = Instant::now();
        limiter.take(ip("192.0.2.1"), t0).unwrap();
        limiter.take(ip("192.0.2.2"), t0).unwrap();
        assert_eq!(limiter.clients(), 2);
        limiter.take(ip("192.0.2.3"), t0 + Duration::from_secs(120)).unwrap();
        assert_eq!(limiter.clients(), 1);
    }

    #[test]
    fn forwarded_for_only_from_the_trusted_proxy() {
        use actix_web::test::TestRequest;
        let limiter = AuthRateLimiter::new(RateLimit::DEFAULT, Some(ip("10.0.0.1")));
        let via_proxy = TestRequest::default()
            .peer_addr("10.0.0.1:5000".parse().unwrap())
            .insert_header(("X-Forwarded-For", "203.0.113.9, 198.51.100.4"))
            .to_http_request();
        assert_eq!(limiter.client_of(&via_proxy), ip("198.51.100.4"));
        let direct = TestRequest::default()
            .peer_addr("192.0.2.1:5000".parse().unwrap())
            .insert_header(("X-Forwarded-For", "198.51.100.4"))
            .to_http_request();
        assert_eq!(limiter.client_of(&direct), ip("192.0.2.1"));
        assert!(applies_to("/api/v1/auth/login/totp"));
        assert!(applies_to("/api/v1/auth/password"));
        assert!(!applies_to("/api/v1/auth/logout"));
        assert!(!applies_to("/api/v1/invoices"));
    }
}
