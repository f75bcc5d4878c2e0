//! Personal access tokens: bearer tokens for scripts, each bound to one member of one
//! organisation with a scope ([`TokenScope`]), shown once and stored as a digest only.
//!
//! A token reads `bfy_pat_<organisation>_<secret>`: the organisation part lets authentication
//! look the digest up within its tenant, like every other query, and makes a leaked token easy
//! to recognise (secret scanners match the prefix). A token acts with its member's *current*
//! role, capped to a viewer's for read tokens; it dies with the membership, on revocation and
//! at its expiry (every token expires: at most [`MAX_TOKEN_DAYS`] days).

use std::sync::Arc;

use billify_domain::OrganisationId;
use serde_json::json;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use super::{AccountError, AccountService, AuthContext, TOUCH_INTERVAL, invalid};
use crate::Actor;
use billify_ports::access_tokens::{AccessToken, AccessTokenRepository, TokenScope};
use billify_ports::audit::{AuditAction, AuditTarget};

/// The prefix of every personal access token.
pub const TOKEN_PREFIX: &str = "bfy_pat_";
/// The longest lifetime a token may be given, in days.
pub const MAX_TOKEN_DAYS: u32 = 366;
/// The lifetime of a token when none is asked for, in days.
pub const DEFAULT_TOKEN_DAYS: u32 = 90;
/// How many tokens one member may hold in one organisation.
pub const MAX_TOKENS_PER_MEMBER: usize = 50;
/// The longest token name, in characters.
pub const MAX_TOKEN_NAME_CHARS: usize = 100;

/// What an authenticated request's personal access token is, when it came with one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenGrant {
    /// The token's public id.
    pub id: Uuid,
    /// Its scope.
    pub scope: TokenScope,
}

/// What the owner of a new token asks for.
#[derive(Debug, Clone)]
pub struct NewAccessToken {
    /// A label, 1 to 100 characters (`MAX_TOKEN_NAME_CHARS`).
    pub name: String,
    /// `read` or `read_write`.
    pub scope: String,
    /// The lifetime in days, 1 to [`MAX_TOKEN_DAYS`]; [`DEFAULT_TOKEN_DAYS`] when `None`.
    pub expires_in_days: Option<u32>,
}

/// A new token with its secret, which is shown once and never stored.
#[derive(Debug, Clone)]
pub struct IssuedAccessToken {
    /// The token as stored.
    pub token: AccessToken,
    /// The bearer token.
    pub secret: String,
}

/// The organisation part of a personal access token, when `token` has the form of one.
fn token_organisation(token: &str) -> Option<OrganisationId> {
    let (organisation, secret) = token.strip_prefix(TOKEN_PREFIX)?.split_once('_')?;
    if secret.is_empty() {
        return None;
    }
    Uuid::try_parse(organisation).ok().map(OrganisationId::from_uuid)
}

impl AccountService {
    fn token_repository(&self) -> Result<&Arc<dyn AccessTokenRepository>, AccountError> {
        Ok(&self.access_tokens)
    }

    /// Whether `token` is a personal access token rather than a session token.
    pub fn is_access_token(token: &str) -> bool {
        token.starts_with(TOKEN_PREFIX)
    }

    /// Creates a token for the caller in the organisation acted on. Only an interactive session
    /// creates tokens: a token cannot mint another.
    pub fn create_access_token(
        &self,
        context: &AuthContext,
        request: NewAccessToken,
    ) -> Result<IssuedAccessToken, AccountError> {
        if context.access_token.is_some() {
            return Err(AccountError::Forbidden);
        }
        let repository = self.token_repository()?;
        let name = request.name.trim();
        let name_problem = if name.is_empty() {
            Some("give the token a name")
        } else if name.chars().count() > MAX_TOKEN_NAME_CHARS {
            Some("at most 100 characters")
        } else if name.chars().any(char::is_control) {
            Some("no control characters")
        } else {
            None
        };
        let scope = TokenScope::parse(&request.scope);
        let days = request.expires_in_days.unwrap_or(DEFAULT_TOKEN_DAYS);
        if let Some(problem) = name_problem {
            return Err(invalid("name", problem));
        }
        let Some(scope) = scope else {
            return Err(invalid("scope", "expected read or read_write"));
        };
        if !(1..=MAX_TOKEN_DAYS).contains(&days) {
            return Err(invalid("expires_in_days", format!("between 1 and {MAX_TOKEN_DAYS}")));
        }
        let actor = &context.actor;
        if repository.access_tokens_of(actor.organisation_id, actor.user_id)?.len() >= MAX_TOKENS_PER_MEMBER {
            return Err(AccountError::TooManyTokens);
        }
        let now = self.clock.now();
        let secret = format!("{TOKEN_PREFIX}{}_{}", actor.organisation_id.as_uuid().simple(), self.tokens.generate());
        let token = AccessToken {
            id: Uuid::now_v7(),
            organisation_id: actor.organisation_id,
            user_id: actor.user_id,
            name: name.to_owned(),
            scope,
            token_digest: self.tokens.digest(&secret),
            created_at: now,
            expires_at: Some(now + Duration::days(i64::from(days))),
            last_used_at: None,
        };
        let after = json!({ "name": token.name, "scope": scope.code(), "expires_at": token.expires_at.map(|t| t.unix_timestamp()) });
        let audit = self.audit_entry(
            actor,
            AuditAction::AccessTokenCreated,
            AuditTarget::new("access_token", token.id),
            None,
            Some(after),
        );
        repository.create_access_token(&token, &audit).map_err(|e| match e {
            billify_ports::RepositoryError::NotFound => AccountError::Unauthenticated,
            e => e.into(),
        })?;
        log::info!("user {} created access token {} in {}", actor.user_id, token.id, actor.organisation_id);
        Ok(IssuedAccessToken { token, secret })
    }

    /// The caller's tokens in the organisation acted on, newest first (never their secrets).
    pub fn access_tokens(&self, actor: &Actor) -> Result<Vec<AccessToken>, AccountError> {
        Ok(self.token_repository()?.access_tokens_of(actor.organisation_id, actor.user_id)?)
    }

    /// Revokes one of the caller's tokens in the organisation acted on; another member's token
    /// (or none) is [`AccountError::NotFound`].
    pub fn revoke_access_token(&self, actor: &Actor, id: Uuid) -> Result<(), AccountError> {
        let audit =
            self.audit_entry(actor, AuditAction::AccessTokenRevoked, AuditTarget::new("access_token", id), None, None);
        if !self.token_repository()?.delete_access_token(actor.organisation_id, actor.user_id, id, &audit)? {
            return Err(AccountError::NotFound("access token"));
        }
        log::info!("user {} revoked access token {id} in {}", actor.user_id, actor.organisation_id);
        Ok(())
    }

    /// Resolves a personal access token to who acts where: its member in its one organisation
    /// (`organisation`, when named, must be that one: any other is [`AccountError::NotFound`]),
    /// with the member's current role capped by the scope.
    pub(super) fn authenticate_access_token(
        &self,
        token: &str,
        organisation: Option<OrganisationId>,
        now: OffsetDateTime,
    ) -> Result<AuthContext, AccountError> {
        let repository = &self.access_tokens;
        let token_organisation = token_organisation(token).ok_or(AccountError::Unauthenticated)?;
        let digest = self.tokens.digest(token);
        let stored = repository.access_token(token_organisation, &digest)?.ok_or(AccountError::Unauthenticated)?;
        if stored.is_expired(now) {
            return Err(AccountError::Unauthenticated);
        }
        if organisation.is_some_and(|o| o != stored.organisation_id) {
            return Err(AccountError::NotFound("organisation"));
        }
        let membership =
            self.accounts.membership(stored.organisation_id, stored.user_id)?.ok_or(AccountError::Unauthenticated)?;
        if stored.last_used_at.is_none_or(|at| now - at >= TOUCH_INTERVAL) {
            repository.touch_access_token(stored.organisation_id, stored.id, now)?;
        }
        Ok(AuthContext {
            actor: Actor {
                user_id: stored.user_id,
                organisation_id: stored.organisation_id,
                role: stored.scope.effective_role(membership.role),
                ip: None,
            },
            token_digest: digest,
            session_id: None,
            expires_at: stored.expires_at.unwrap_or(now + Duration::days(i64::from(MAX_TOKEN_DAYS))),
            access_token: Some(TokenGrant { id: stored.id, scope: stored.scope }),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_well_formed_tokens_name_an_organisation() {
        let org = Uuid::now_v7();
        let token = format!("{TOKEN_PREFIX}{}_abc-_def", org.simple());
        assert_eq!(token_organisation(&token), Some(OrganisationId::from_uuid(org)));
        assert_eq!(token_organisation(&format!("{TOKEN_PREFIX}{}_", org.simple())), None);
        assert_eq!(token_organisation(&format!("{TOKEN_PREFIX}{}", org.simple())), None);
        assert_eq!(token_organisation(&format!("{TOKEN_PREFIX}not-a-uuid_secret")), None);
        assert_eq!(token_organisation("a-session-token"), None);
    }
}
