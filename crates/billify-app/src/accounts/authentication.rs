//! Authenticating a request: a bearer token resolved to who is acting in which organisation,
//! from the session cache when this process answered it a moment ago, else in one statement.

use super::*;

impl AccountService {
    /// Resolves a bearer token to who is acting in the session's default organisation.
    /// Expired sessions, and sessions whose membership was removed, are refused.
    pub fn authenticate(&self, token: &str) -> Result<AuthContext, AccountError> {
        self.authenticate_in(token, None)
    }

    /// Resolves a bearer token to who is acting in `organisation` (the session's default
    /// organisation when `None`), with the user's role there.
    ///
    /// # Errors
    /// [`AccountError::Unauthenticated`] for a missing, unknown or expired session;
    /// [`AccountError::NotFound`] when the user is not a member of the organisation named, so
    /// another tenant's existence is never confirmed.
    pub fn authenticate_in(
        &self,
        token: &str,
        organisation: Option<OrganisationId>,
    ) -> Result<AuthContext, AccountError> {
        if token.is_empty() || token.len() > 256 {
            return Err(AccountError::Unauthenticated);
        }
        let now = self.clock.now();
        if Self::is_access_token(token) {
            return self.authenticate_access_token(token, organisation, now);
        }
        self.session_access(token, organisation, now).map(|cached| cached.context)
    }

    /// [`AccountService::authenticate_in`] for a request to a route, which also refuses
    /// ([`AccountError::TwoFactor`]) a member of an organisation requiring a second factor they
    /// lack, unless the route is `exempt` (enrolling one).
    pub fn authenticate_request(
        &self,
        token: &str,
        organisation: Option<OrganisationId>,
        exempt: bool,
    ) -> Result<AuthContext, AccountError> {
        if token.is_empty() || token.len() > 256 {
            return Err(AccountError::Unauthenticated);
        }
        let now = self.clock.now();
        if Self::is_access_token(token) {
            let context = self.authenticate_access_token(token, organisation, now)?;
            if let (false, Some(two_factor)) = (exempt, &self.two_factor) {
                two_factor.check_requirement(&context.actor)?;
            }
            return Ok(context);
        }
        let cached = self.session_access(token, organisation, now)?;
        if cached.lacks_two_factor && !exempt && self.two_factor.is_some() {
            return Err(crate::two_factor::TwoFactorError::Required.into());
        }
        Ok(cached.context)
    }

    /// [`AccountService::authenticate_request`] from memory alone, without a statement: the
    /// answer when this process authenticated the session within [`SESSION_CACHE_TTL`], and no
    /// change since, and the session is neither expired nor idle nor due to have its use
    /// recorded; `None` otherwise (ask [`AccountService::authenticate_request`]). Cheap enough
    /// to call on the event loop.
    pub fn authenticate_cached(
        &self,
        token: &str,
        organisation: Option<OrganisationId>,
        exempt: bool,
    ) -> Option<AuthContext> {
        if token.is_empty() || token.len() > 256 || Self::is_access_token(token) {
            return None;
        }
        let digest = self.tokens.digest(token);
        let cached = self.cache.get(&digest, organisation, self.two_factor_changes())?;
        let now = self.clock.now();
        let usable = cached.context.expires_at > now
            && !self.idle_expired(cached.last_seen, now)
            && now - cached.last_seen < self.touch_interval()
            && (exempt || !cached.lacks_two_factor || self.two_factor.is_none());
        usable.then_some(cached.context)
    }

    /// The session of a bearer token in `organisation`: from the cache when fresh, else read in
    /// one statement (recording its use when due) and cached.
    fn session_access(
        &self,
        token: &str,
        organisation: Option<OrganisationId>,
        now: OffsetDateTime,
    ) -> Result<session_cache::Cached, AccountError> {
        let digest = self.tokens.digest(token);
        let extra = self.two_factor_changes();
        if let Some(cached) = self.cache.get(&digest, organisation, extra)
            && cached.context.expires_at > now
            && !self.idle_expired(cached.last_seen, now)
            && now - cached.last_seen < self.touch_interval()
        {
            return Ok(cached);
        }
        // The generation before the read: a change after it keeps this read out of the cache.
        let generation = self.cache.generation(extra);
        let access = self.sessions.find_session_access(&digest, organisation)?.ok_or(AccountError::Unauthenticated)?;
        let session = access.session;
        if session.expires_at <= now || self.idle_expired(session.last_seen_at, now) {
            self.sessions.delete_session(&digest)?;
            self.cache.forget(&digest, organisation);
            return Err(AccountError::Unauthenticated);
        }
        let mut last_seen = session.last_seen_at;
        if now - session.last_seen_at >= self.touch_interval() {
            self.sessions.touch_session(&digest, now)?;
            last_seen = now;
        }
        let default_role = access.default_role.ok_or(AccountError::Unauthenticated)?;
        let (organisation_id, role) = match organisation {
            Some(o) if o != session.organisation_id => {
                (o, access.named_role.ok_or(AccountError::NotFound("organisation"))?)
            }
            _ => (session.organisation_id, default_role),
        };
        let context = AuthContext {
            actor: Actor { user_id: session.user_id, organisation_id, role, ip: None },
            token_digest: digest.clone(),
            session_id: Some(session.id),
            expires_at: session.expires_at,
            access_token: None,
        };
        let cached = session_cache::Cached { context, last_seen, lacks_two_factor: access.lacks_required_two_factor };
        self.cache.put(&digest, organisation, cached.clone(), generation, extra);
        Ok(cached)
    }
}
