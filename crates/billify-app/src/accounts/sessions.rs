//! A user's own sessions: password change, logout everywhere, listing and ending sessions.

use std::net::IpAddr;

use billify_domain::SessionId;

use super::{
    AccountError, AccountService, AuthContext, LOGIN_FAILURE_WINDOW, LOGIN_LOCK_DURATION, MAX_LOGIN_FAILURES,
    MAX_PASSWORD_CHARS, check_password, invalid,
};
use billify_ports::{MAX_USER_AGENT_CHARS, Session};

/// What the server knows of the client that logs in, kept with the session so that its user
/// recognises it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClientInfo {
    /// The `User-Agent` header, as sent.
    pub user_agent: Option<String>,
    /// The client's IP address.
    pub ip: Option<IpAddr>,
}

impl ClientInfo {
    /// The user agent as stored: control characters dropped, at most
    /// [`MAX_USER_AGENT_CHARS`] characters, `None` when nothing is left.
    pub fn user_agent(&self) -> Option<String> {
        let text: String =
            self.user_agent.as_deref()?.chars().filter(|c| !c.is_control()).take(MAX_USER_AGENT_CHARS).collect();
        let text = text.trim();
        (!text.is_empty()).then(|| text.to_owned())
    }
}

/// One of the user's live sessions.
#[derive(Debug, Clone)]
pub struct OwnSession {
    /// The session (its token digest is for the service only, never shown).
    pub session: Session,
    /// Whether it is the session making the request.
    pub current: bool,
}

impl AccountService {
    /// Changes the user's password after checking the current one, and ends every other session
    /// of the user; the session making the change stays. A wrong current password counts as a
    /// failed login (towards the lock), so a stolen session cannot be used to guess it.
    ///
    /// # Errors
    /// [`AccountError::Invalid`] naming `current_password` when it is wrong (or the account is
    /// locked), or `new_password` when the policy refuses it.
    pub fn change_password(
        &self,
        context: &AuthContext,
        current_password: &str,
        new_password: &str,
    ) -> Result<(), AccountError> {
        let user_id = context.actor.user_id;
        let user = self.accounts.user(user_id)?.ok_or(AccountError::Unauthenticated)?;
        let wrong = || invalid("current_password", "this is not your current password");
        let now = self.clock.now();
        if self.accounts.login_locked_until(user_id)?.is_some_and(|until| until > now) {
            self.hasher.verify_dummy(current_password);
            return Err(wrong());
        }
        if current_password.chars().count() > MAX_PASSWORD_CHARS
            || !self.hasher.verify(current_password, &user.password_hash)?
        {
            log::info!("failed password change for user {user_id}: wrong current password");
            self.accounts.record_login_failure(
                user_id,
                now,
                now - LOGIN_FAILURE_WINDOW,
                MAX_LOGIN_FAILURES,
                now + LOGIN_LOCK_DURATION,
            )?;
            return Err(wrong());
        }
        check_password(new_password, &[user.email.as_str(), user.name.as_str()]).map_err(|e| match e {
            AccountError::Invalid { message, .. } => invalid("new_password", message),
            other => other,
        })?;
        let hash = self.hasher.hash(new_password)?;
        let keep = context.session_id.is_some().then_some(context.token_digest.as_str());
        let changed = self.accounts.change_password(user_id, &hash, keep);
        self.cache.invalidate();
        changed?;
        self.accounts.clear_login_failures(user_id)?;
        log::info!("user {user_id} changed their password; their other sessions ended");
        Ok(())
    }

    /// Ends every session of the user, this one included; returns how many ended.
    pub fn logout_all(&self, context: &AuthContext) -> Result<u64, AccountError> {
        let ended = self.sessions.delete_user_sessions(context.actor.user_id);
        self.cache.invalidate();
        let ended = ended?;
        log::info!("user {} logged out everywhere ({ended} sessions)", context.actor.user_id);
        Ok(ended)
    }

    /// The user's live sessions, newest first, the current one marked.
    pub fn own_sessions(&self, context: &AuthContext) -> Result<Vec<OwnSession>, AccountError> {
        let now = self.clock.now();
        Ok(self
            .sessions
            .sessions_of_user(context.actor.user_id)?
            .into_iter()
            .filter(|s| s.expires_at > now && !self.idle_expired(s.last_seen_at, now))
            .map(|session| OwnSession { current: session.token_digest == context.token_digest, session })
            .collect())
    }

    /// Ends one of the user's sessions; another user's session is [`AccountError::NotFound`].
    pub fn revoke_session(&self, context: &AuthContext, id: SessionId) -> Result<(), AccountError> {
        let deleted = self.sessions.delete_user_session(context.actor.user_id, id);
        self.cache.invalidate();
        if deleted? {
            log::info!("user {} ended session {id}", context.actor.user_id);
            Ok(())
        } else {
            Err(AccountError::NotFound("session"))
        }
    }

    /// The CSRF token of a browser session: the digest of `billify-csrf:` and the session's
    /// token, so nothing is stored and it is known only to whoever holds the session.
    pub fn csrf_token(&self, session_token: &str) -> String {
        self.tokens.digest(&format!("billify-csrf:{session_token}"))
    }

    /// Whether `given` is the CSRF token of the session. Digests are compared, so the time taken
    /// tells nothing about the expected token.
    pub fn csrf_matches(&self, session_token: &str, given: &str) -> bool {
        self.tokens.digest(&self.csrf_token(session_token)) == self.tokens.digest(given)
    }
}
