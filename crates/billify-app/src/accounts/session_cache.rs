//! A short-lived in-process cache of authenticated sessions, so that a request whose session
//! this process authenticated a moment ago costs no database statement and no blocking hop.
//!
//! **What it may not change.** Expiry and the idle timeout are checked against the clock on
//! every hit, exactly as on a miss; a hit whose use is due to be recorded
//! ([`super::AccountService::touch_interval`]) goes to the database like a miss. Every change
//! this process makes that ends or narrows a session (logout, logout everywhere, a password
//! change, a session revoked, a member removed or given another role, two-factor
//! authentication turned off or required, an organisation deleted) invalidates the whole cache
//! before the call returns, so it takes effect at once here. Another process learns of such a
//! change when its entry is older than [`SESSION_CACHE_TTL`]: that is the bound on how long a
//! revoked session or a removed role may still be accepted there.
//!
//! Entries carry the generation they were read in; a change bumps the generation after its
//! write commits, and an entry of an older generation is never served. A read that started
//! before the change therefore cannot put a stale entry back.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use std::sync::Arc;

use billify_domain::{OrganisationId, UserId};
use billify_ports::accounts::UserOverview;
use time::OffsetDateTime;

use super::AuthContext;

/// How long an authenticated session is trusted from memory; the longest another process may
/// still accept a session revoked, or a role changed, elsewhere.
pub const SESSION_CACHE_TTL: Duration = Duration::from_secs(2);

/// Entries kept at most; past it the cache starts over (memory stays bounded whatever the
/// number of sessions).
const CAPACITY: usize = 10_000;

/// A session authenticated by this process.
#[derive(Clone)]
pub(super) struct Cached {
    /// What the request acts as.
    pub(super) context: AuthContext,
    /// The session's recorded last use.
    pub(super) last_seen: OffsetDateTime,
    /// The organisation acted on requires a second factor the user lacks.
    pub(super) lacks_two_factor: bool,
}

struct Entry {
    cached: Cached,
    filled: Instant,
    generation: u64,
}

/// The cache; see the module documentation.
pub(super) struct SessionCache {
    ttl: Duration,
    generation: AtomicU64,
    entries: Mutex<HashMap<(String, Option<OrganisationId>), Entry>>,
    /// What `GET /auth/me` shows of a user, under the same generation and age as the sessions:
    /// every change that invalidates sessions, and every change of an organisation, a
    /// membership or a second factor made in this process, forgets it at once.
    overviews: Mutex<HashMap<UserId, OverviewEntry>>,
}

struct OverviewEntry {
    overview: Arc<UserOverview>,
    filled: Instant,
    generation: u64,
}

impl SessionCache {
    pub(super) fn new(ttl: Duration) -> Self {
        SessionCache {
            ttl,
            generation: AtomicU64::new(0),
            entries: Mutex::new(HashMap::new()),
            overviews: Mutex::new(HashMap::new()),
        }
    }

    /// The generation to pass to [`SessionCache::put`]: read it before reading the database.
    pub(super) fn generation(&self, extra: u64) -> u64 {
        self.generation.load(Ordering::Acquire).wrapping_add(extra)
    }

    /// The entry for a token digest and organisation, if fresh and of the current generation.
    pub(super) fn get(&self, digest: &str, organisation: Option<OrganisationId>, extra: u64) -> Option<Cached> {
        if self.ttl.is_zero() {
            return None;
        }
        let current = self.generation(extra);
        let entries = self.entries.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let entry = entries.get(&(digest.to_owned(), organisation))?;
        (entry.generation == current && entry.filled.elapsed() < self.ttl).then(|| entry.cached.clone())
    }

    /// Remembers a session read in `generation`; nothing when a change happened since.
    pub(super) fn put(
        &self,
        digest: &str,
        organisation: Option<OrganisationId>,
        cached: Cached,
        generation: u64,
        extra: u64,
    ) {
        if self.ttl.is_zero() || generation != self.generation(extra) {
            return;
        }
        let mut entries = self.entries.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        make_room(&mut entries, self.ttl, |e| e.filled);
        entries.insert((digest.to_owned(), organisation), Entry { cached, filled: Instant::now(), generation });
    }

    /// Forgets every entry: a session, membership or role changed. Call after the change is
    /// stored.
    pub(super) fn invalidate(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
        self.entries.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clear();
        self.overviews.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clear();
    }

    /// The user's overview, if fresh and of the current generation.
    pub(super) fn overview(&self, user: UserId, extra: u64) -> Option<Arc<UserOverview>> {
        if self.ttl.is_zero() {
            return None;
        }
        let current = self.generation(extra);
        let overviews = self.overviews.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let entry = overviews.get(&user)?;
        (entry.generation == current && entry.filled.elapsed() < self.ttl).then(|| entry.overview.clone())
    }

    /// Remembers a user's overview read in `generation`; nothing when a change happened since.
    pub(super) fn put_overview(&self, user: UserId, overview: Arc<UserOverview>, generation: u64, extra: u64) {
        if self.ttl.is_zero() || generation != self.generation(extra) {
            return;
        }
        let mut overviews = self.overviews.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        make_room(&mut overviews, self.ttl, |e| e.filled);
        overviews.insert(user, OverviewEntry { overview, filled: Instant::now(), generation });
    }

    /// Forgets one entry (the session's use was recorded again, or it ended).
    pub(super) fn forget(&self, digest: &str, organisation: Option<OrganisationId>) {
        self.entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .remove(&(digest.to_owned(), organisation));
    }
}

/// Keeps a full map within [`CAPACITY`]: drops the entries older than `ttl`, and everything
/// when that is not enough.
fn make_room<K, V>(map: &mut HashMap<K, V>, ttl: Duration, filled: impl Fn(&V) -> Instant) {
    if map.len() >= CAPACITY {
        map.retain(|_, e| filled(e).elapsed() < ttl);
        if map.len() >= CAPACITY {
            map.clear();
        }
    }
}
