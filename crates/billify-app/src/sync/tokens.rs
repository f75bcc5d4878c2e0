//! The integration's provider tokens: sealed as text, loaded for a run, and stored again
//! (compare-and-swap) whenever a provider call refreshed them.

use billify_ports::RepositoryError;
use billify_ports::banking::{BankingError, ProviderTokens};
use billify_ports::integrations::{Integration, tokens_context};
use billify_ports::secrets::{SecretError, SecretText};
use time::OffsetDateTime;

use super::RunFailure;
use super::SyncService;

pub(super) fn tokens_to_text(tokens: &ProviderTokens) -> SecretText {
    SecretText::new(
        serde_json::json!({
            "access_token": tokens.access_token,
            "refresh_token": tokens.refresh_token,
            "expires_at": tokens.expires_at.unix_timestamp(),
        })
        .to_string(),
    )
}

pub(super) fn tokens_from_text(text: &SecretText) -> Result<ProviderTokens, SecretError> {
    let value: serde_json::Value = serde_json::from_str(text.expose()).map_err(|_| SecretError::Malformed)?;
    let field = |name: &str| value.get(name).and_then(|v| v.as_str()).map(str::to_owned).ok_or(SecretError::Malformed);
    let expires = value.get("expires_at").and_then(|v| v.as_i64()).ok_or(SecretError::Malformed)?;
    Ok(ProviderTokens {
        access_token: field("access_token")?,
        refresh_token: field("refresh_token")?,
        expires_at: OffsetDateTime::from_unix_timestamp(expires).map_err(|_| SecretError::Malformed)?,
    })
}

/// The tokens of a running sync and the version they were stored under.
pub(super) struct LiveTokens {
    pub(super) tokens: ProviderTokens,
    pub(super) version: i64,
}

impl SyncService {
    /// Opens the stored tokens.
    pub(super) fn load_tokens(&self, integration: &Integration) -> Result<LiveTokens, RunFailure> {
        let Some((sealed, version)) = self.integrations.sealed_tokens(integration.organisation_id, integration.id)?
        else {
            return Err(RunFailure::Provider(BankingError::AuthorizationInvalid { detail: "no tokens stored".into() }));
        };
        let text = self.cipher.open(&sealed, &tokens_context(integration.organisation_id, integration.id))?;
        Ok(LiveTokens { tokens: tokens_from_text(&text)?, version })
    }

    /// Stores the tokens if a provider call changed them.
    pub(super) fn persist_tokens(
        &self,
        integration: &Integration,
        live: &mut LiveTokens,
        before: &ProviderTokens,
    ) -> Result<(), RunFailure> {
        if &live.tokens == before {
            return Ok(());
        }
        let sealed = self
            .cipher
            .seal(&tokens_to_text(&live.tokens), &tokens_context(integration.organisation_id, integration.id))?;
        match self.integrations.store_tokens(
            integration.organisation_id,
            integration.id,
            live.version,
            &sealed,
            self.clock.now(),
        ) {
            Ok(version) => {
                live.version = version;
                Ok(())
            }
            Err(RepositoryError::Conflict(_)) => Err(RunFailure::Superseded),
            Err(e) => Err(e.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_survive_sealing_text_and_nothing_else_parses() {
        let tokens = ProviderTokens {
            access_token: "a".into(),
            refresh_token: "r".into(),
            expires_at: OffsetDateTime::UNIX_EPOCH + time::Duration::seconds(1_800_000_000),
        };
        assert_eq!(tokens_from_text(&tokens_to_text(&tokens)), Ok(tokens));
        assert_eq!(tokens_from_text(&SecretText::new("{}")), Err(SecretError::Malformed));
    }
}
