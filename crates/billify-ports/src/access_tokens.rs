//! Ports for personal access tokens: long-lived bearer tokens for scripts, each bound to one
//! member of one organisation with a scope.

use std::fmt;

use billify_domain::{OrganisationId, Role, UserId};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::RepositoryError;
use crate::audit::NewAuditEntry;

/// What a personal access token may do, on top of what its member's role allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenScope {
    /// Read only: the token acts as a viewer, whatever the member's role.
    Read,
    /// Read and write with the member's role (routes that manage the user's own credentials and
    /// the deletion of the organisation still need an interactive session).
    ReadWrite,
}

impl TokenScope {
    /// Every scope.
    pub const ALL: [TokenScope; 2] = [TokenScope::Read, TokenScope::ReadWrite];

    /// The stored and wire code: `read` or `read_write`.
    pub fn code(self) -> &'static str {
        match self {
            TokenScope::Read => "read",
            TokenScope::ReadWrite => "read_write",
        }
    }

    /// The scope with this code.
    pub fn parse(code: &str) -> Option<TokenScope> {
        TokenScope::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The role a token of this scope acts with, for a member whose role is `role`: never more
    /// than the member has, and no more than a viewer for a read token.
    pub fn effective_role(self, role: Role) -> Role {
        match self {
            TokenScope::Read => Role::Viewer,
            TokenScope::ReadWrite => role,
        }
    }
}

impl fmt::Display for TokenScope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A personal access token as stored: never the token, only its digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessToken {
    /// The public id, by which its owner lists and revokes it.
    pub id: Uuid,
    /// The one organisation it acts on.
    pub organisation_id: OrganisationId,
    /// The member it acts as.
    pub user_id: UserId,
    /// The owner's label for it (e.g. "monthly export script").
    pub name: String,
    /// What it may do.
    pub scope: TokenScope,
    /// The digest of the bearer token.
    pub token_digest: String,
    /// When it was created.
    pub created_at: OffsetDateTime,
    /// When it stops working, if it does.
    pub expires_at: Option<OffsetDateTime>,
    /// When it was last used (recorded at most once a minute), if ever.
    pub last_used_at: Option<OffsetDateTime>,
}

impl AccessToken {
    /// Whether it has expired at `now`.
    pub fn is_expired(&self, now: OffsetDateTime) -> bool {
        self.expires_at.is_some_and(|at| at <= now)
    }
}

/// Stores personal access tokens. A token goes with its membership: removing the member (or the
/// organisation) removes the member's tokens there.
pub trait AccessTokenRepository: Send + Sync {
    /// Stores a new token and, in the same transaction, `audit`.
    ///
    /// # Errors
    /// [`RepositoryError::NotFound`] when the user is not a member of the organisation (any
    /// more); nothing is stored then.
    fn create_access_token(&self, token: &AccessToken, audit: &NewAuditEntry) -> Result<(), RepositoryError>;

    /// The organisation's token with this digest, if any (expired ones included; the caller
    /// decides).
    fn access_token(
        &self,
        organisation: OrganisationId,
        token_digest: &str,
    ) -> Result<Option<AccessToken>, RepositoryError>;

    /// The member's tokens in the organisation, newest first.
    fn access_tokens_of(&self, organisation: OrganisationId, user: UserId)
    -> Result<Vec<AccessToken>, RepositoryError>;

    /// Records that the token was used at `now`.
    fn touch_access_token(
        &self,
        organisation: OrganisationId,
        id: Uuid,
        now: OffsetDateTime,
    ) -> Result<(), RepositoryError>;

    /// Deletes the member's token with this id and, when one was deleted, appends `audit` in
    /// the same transaction; returns whether one was (another member's token is never touched).
    fn delete_access_token(
        &self,
        organisation: OrganisationId,
        user: UserId,
        id: Uuid,
        audit: &NewAuditEntry,
    ) -> Result<bool, RepositoryError>;
}
