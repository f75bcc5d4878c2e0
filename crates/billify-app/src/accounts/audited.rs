//! The audit trail of [`AccountService`]: logins, membership and invitation changes.
//!
//! Every entry of a change is built here or by the change's use case and stored by the
//! repository method that makes the change, in its transaction.
//!
//! A successful login is recorded in the chain of the organisation the session acts on, stored
//! with the session. A
//! failed login belongs to no organisation (the caller is not anyone yet), so it is a user-level
//! entry in the global chain, not readable through the API: no actor, the target user named only
//! when the email belongs to an account, the IP address, and the reason `invalid_credentials`
//! (a locked account is not told apart, exactly like the answer). The email typed, the password
//! and the token are never recorded.

use std::net::IpAddr;

use billify_domain::{EmailAddress, Invitation, Membership, OrganisationId, Role};
use serde_json::{Value, json};

use super::{Accepted, AccountError, AccountService, ClientInfo, Invitee, LoginOutcome};
use crate::Actor;
use billify_ports::audit::{AuditAction, AuditTarget, NewAuditEntry};

impl AccountService {
    /// The entry recording a change by `actor` now, stored with the change by the repository
    /// method that makes it.
    pub(super) fn audit_entry(
        &self,
        actor: &Actor,
        action: AuditAction,
        target: AuditTarget,
        before: Option<Value>,
        after: Option<Value>,
    ) -> NewAuditEntry {
        crate::audit::entry(actor, action, target, self.clock.now(), before, after)
    }

    /// [`AccountService::login_client`], recorded in the audit trail with the client's address.
    pub fn login_from(
        &self,
        email: &str,
        password: &str,
        organisation: Option<OrganisationId>,
        client: &ClientInfo,
    ) -> Result<LoginOutcome, AccountError> {
        let ip = client.ip;
        let result = self.check_login(email, password, organisation, client, LoginRecord::Recorded(None));
        let now = self.clock.now();
        match &result {
            // Recorded with its session.
            Ok(_) => {}
            Err(AccountError::InvalidCredentials | AccountError::Invalid { .. }) => {
                let user = EmailAddress::parse(email).ok().and_then(|e| self.accounts.user_by_email(&e).ok().flatten());
                let reason = match result {
                    Err(AccountError::Invalid { .. }) => "not_a_member",
                    _ => "invalid_credentials",
                };
                // A refused login changes nothing its entry records (the failure count it may
                // raise is throttling state), so the entry is a write of its own.
                self.audit.record(NewAuditEntry {
                    organisation_id: None,
                    actor: None,
                    action: AuditAction::LoginFailed,
                    target: user.map_or(AuditTarget::unnamed("user"), |u| AuditTarget::new("user", u.id)),
                    occurred_at: now,
                    ip,
                    before: None,
                    after: Some(json!({ "reason": reason })),
                });
            }
            Err(_) => {}
        }
        result
    }

    /// Records a refused second factor like a failed login: a user-level entry of the global
    /// chain naming the user when the challenge was known, never the code.
    pub(crate) fn audit_second_factor_failure(&self, user: Option<billify_domain::UserId>, ip: Option<IpAddr>) {
        // Like a refused login, the entry is a write of its own.
        self.audit.record(NewAuditEntry {
            organisation_id: None,
            actor: None,
            action: AuditAction::SecondFactorFailed,
            target: user.map_or(AuditTarget::unnamed("user"), |u| AuditTarget::new("user", u)),
            occurred_at: self.clock.now(),
            ip,
            before: None,
            after: Some(json!({ "reason": "invalid_second_factor" })),
        });
    }

    /// [`AccountService::accept_invitation`] from the client at `ip`, recorded in the audit
    /// trail of the organisation joined.
    pub fn accept_invitation_from(
        &self,
        token: &str,
        invitee: Invitee,
        ip: Option<IpAddr>,
    ) -> Result<Accepted, AccountError> {
        let accepted = self.accept_invitation_at(token, invitee, ip)?;
        // The invitee's overview lists the new membership.
        self.cache.invalidate();
        Ok(accepted)
    }
}

/// Whether opening a session records the login, and what it adds to the entry.
pub(crate) enum LoginRecord {
    /// Not recorded ([`AccountService::login_client`], for trusted callers and tests).
    Unrecorded,
    /// Recorded with the session, with this `after`.
    Recorded(Option<Value>),
}

/// The entry of a completed login, in the chain of the organisation its session acts on.
pub(super) fn login_succeeded(
    session: &billify_ports::Session,
    ip: Option<IpAddr>,
    after: Option<Value>,
) -> NewAuditEntry {
    NewAuditEntry {
        organisation_id: Some(session.organisation_id),
        actor: Some(session.user_id),
        action: AuditAction::LoginSucceeded,
        target: AuditTarget::new("user", session.user_id),
        occurred_at: session.created_at,
        ip,
        before: None,
        after,
    }
}

/// The entry of an accepted invitation: the new member is the actor, in the organisation joined.
pub(super) fn invitation_accepted(
    membership: &Membership,
    created_user: bool,
    ip: Option<IpAddr>,
    now: time::OffsetDateTime,
) -> NewAuditEntry {
    let actor =
        Actor { user_id: membership.user_id, organisation_id: membership.organisation_id, role: membership.role, ip };
    let after = json!({ "role": membership.role.code(), "created_user": created_user });
    let target = AuditTarget::new("user", membership.user_id);
    crate::audit::entry(&actor, AuditAction::InvitationAccepted, target, now, None, Some(after))
}

/// The audited state of an organisation's profile.
pub(super) fn organisation_state(o: &billify_domain::Organisation) -> Value {
    json!({
        "name": o.name.to_string(),
        "vat_number": o.vat_number.as_ref().map(|v| v.as_str().to_owned()),
        "time_zone": o.calendar.time_zone.as_str(),
        "vat_periodicity": o.calendar.vat_periodicity.code(),
        "vat_deadline_day": o.calendar.vat_deadline_day.day(),
    })
}

/// A member's role.
pub(super) fn role_state(role: Role) -> Value {
    json!({ "role": role.code() })
}

/// An invitation, without its token digest.
pub(super) fn invitation_state(i: &Invitation) -> Value {
    json!({
        "email": i.email.to_string(),
        "role": i.role.code(),
        "expires_at": i.expires_at.unix_timestamp(),
    })
}
