//! Linking a bank: the consent URL with a fresh state and PKCE verifier, and the callback that
//! turns the code into sealed tokens, accepted only from the session that asked, once.

use super::tokens::tokens_to_text;
use super::{ConsentStart, SyncError, SyncService};
use crate::AuthContext;
use crate::audit::entry;
use billify_domain::Permission;
use billify_ports::audit::{AuditAction, AuditTarget};
use billify_ports::banking::CodeVerifier;
use billify_ports::integrations::{Integration, IntegrationStatus, Provider, tokens_context, verifier_context};
use billify_ports::secrets::SecretText;

impl SyncService {
    /// Starts linking the organisation's bank through Ponto: returns the consent URL to send the
    /// user to. The `state` is bound to the calling session.
    pub fn connect(&self, ctx: &AuthContext) -> Result<ConsentStart, SyncError> {
        Self::require(&ctx.actor, Permission::ManageIntegrations)?;
        let provider = self.provider()?;
        let request = provider.consent_request()?;
        let organisation = ctx.actor.organisation_id;
        let state_digest = self.tokens.digest(&request.state);
        let sealed_verifier = self
            .cipher
            .seal(&SecretText::new(request.code_verifier.expose()), &verifier_context(organisation, &state_digest))?;
        let audit = |integration: &Integration| {
            let target = AuditTarget::new("integration", integration.id);
            let after =
                serde_json::json!({"provider": integration.provider.code(), "status": integration.status.code()});
            let at = integration.updated_at;
            entry(&ctx.actor, AuditAction::IntegrationConnectStarted, target, at, None, Some(after))
        };
        let integration = self.integrations.begin_consent_audited(
            organisation,
            Provider::Ponto,
            &state_digest,
            &sealed_verifier,
            &ctx.token_digest,
            ctx.actor.user_id,
            self.clock.now(),
            &audit,
        )?;
        log::info!("consent requested for integration {} of {organisation}", integration.id);
        Ok(ConsentStart { integration, consent_url: request.url })
    }

    /// Completes linking with the `code` and `state` the provider sent to the redirect URI:
    /// exchanges the code, stores the tokens sealed, and schedules the first sync now.
    pub fn complete_consent(&self, ctx: &AuthContext, code: &str, state: &str) -> Result<Integration, SyncError> {
        Self::require(&ctx.actor, Permission::ManageIntegrations)?;
        let provider = self.provider()?;
        let organisation = ctx.actor.organisation_id;
        let state_digest = self.tokens.digest(state);
        let consent = self.integrations.take_consent(organisation, &state_digest)?.ok_or(SyncError::ConsentInvalid)?;
        let now = self.clock.now();
        if consent.session_digest != ctx.token_digest || now > consent.requested_at + self.settings.consent_ttl {
            return Err(SyncError::ConsentInvalid);
        }
        let verifier = self.cipher.open(&consent.sealed_verifier, &verifier_context(organisation, &state_digest))?;
        let tokens = provider.exchange_code(code, &CodeVerifier::new(verifier.expose()))?;
        let mut integration = consent.integration;
        let sealed = self.cipher.seal(&tokens_to_text(&tokens), &tokens_context(organisation, integration.id))?;
        integration.token_version =
            self.integrations.store_tokens(organisation, integration.id, integration.token_version, &sealed, now)?;
        integration.has_tokens = true;
        integration.status = IntegrationStatus::Connected;
        integration.connected_by = Some(ctx.actor.user_id);
        integration.last_error = None;
        integration.consecutive_failures = 0;
        integration.next_sync_at = Some(now);
        integration.updated_at = now;
        // Recorded with the status that makes it connected (the tokens stored just before are
        // of no use without it).
        let target = AuditTarget::new("integration", integration.id);
        let after = serde_json::json!({"provider": integration.provider.code(), "status": integration.status.code()});
        let audit = entry(&ctx.actor, AuditAction::IntegrationConnected, target, now, None, Some(after));
        if !self.integrations.save_status_audited(&integration, &audit)? {
            return Err(SyncError::NotFound);
        }
        self.enqueue(organisation, integration.id, None, now)?;
        log::info!("integration {} of {organisation} connected", integration.id);
        Ok(integration)
    }
}
