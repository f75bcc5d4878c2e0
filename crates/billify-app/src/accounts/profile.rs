//! What `GET /auth/me` shows of a user ([`AccountService::profile`]), kept in memory with the
//! session cache.

use std::sync::Arc;

use billify_ports::UserOverview;

use super::{AccountError, AccountService, Profile};
use crate::Actor;

impl AccountService {
    /// The current user, organisation and role. The user's overview is kept in memory like an
    /// authenticated session ([`session_cache`](super::session_cache)): for
    /// [`SESSION_CACHE_TTL`](super::SESSION_CACHE_TTL), forgotten at once by every change this
    /// process makes to sessions, memberships, organisations or second factors.
    pub fn profile(&self, actor: &Actor) -> Result<Profile, AccountError> {
        if let Some(profile) = self.profile_cached(actor) {
            return Ok(profile);
        }
        let extra = self.two_factor_changes();
        let generation = self.cache.generation(extra);
        let overview = Arc::new(self.accounts.user_overview(actor.user_id)?.ok_or(AccountError::Unauthenticated)?);
        self.cache.put_overview(actor.user_id, overview.clone(), generation, extra);
        profile_of(actor, &overview)
    }

    /// [`AccountService::profile`] when the user's overview is in memory: no statement, so an
    /// HTTP handler may call it on its event loop.
    pub fn profile_cached(&self, actor: &Actor) -> Option<Profile> {
        let overview = self.cache.overview(actor.user_id, self.two_factor_changes())?;
        profile_of(actor, &overview).ok()
    }
}

/// What [`AccountService::profile`] shows of an overview to the actor.
fn profile_of(actor: &Actor, overview: &UserOverview) -> Result<Profile, AccountError> {
    let organisation = overview
        .memberships
        .iter()
        .find(|(m, _)| m.organisation_id == actor.organisation_id)
        .map(|(_, o)| o.clone())
        .ok_or(AccountError::Unauthenticated)?;
    let enabled = overview.totp_confirmed;
    let two_factor = crate::two_factor::TwoFactorStatus {
        enabled,
        pending: overview.totp_enrolled && !enabled,
        recovery_codes_left: if enabled { overview.recovery_codes_left } else { 0 },
    };
    let memberships = overview.memberships.iter().map(|(m, _)| m.clone()).collect();
    Ok(Profile { user: overview.user.clone(), organisation, role: actor.role, memberships, two_factor })
}
