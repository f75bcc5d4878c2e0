//! Organisations (the tenants), users and their memberships.

use std::fmt;
use std::str::FromStr;
use time::OffsetDateTime;

use crate::{OrganisationId, ParseError, UserId};

fn clean_name(text: &str, kind: &'static str, max: usize) -> Result<String, ParseError> {
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if collapsed.is_empty() {
        return Err(ParseError::new(kind, format!("the {kind} cannot be empty")));
    }
    if collapsed.chars().count() > max {
        return Err(ParseError::new(kind, format!("the {kind} has at most {max} characters")));
    }
    if collapsed.chars().any(char::is_control) {
        return Err(ParseError::new(kind, format!("the {kind} cannot contain control characters")));
    }
    Ok(collapsed)
}

/// The name of an organisation: 1 to 200 characters, whitespace collapsed.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct OrganisationName(String);

impl OrganisationName {
    /// Parses and normalises an organisation name.
    pub fn parse(text: &str) -> Result<Self, ParseError> {
        clean_name(text, "organisation name", 200).map(Self)
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for OrganisationName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A person's display name: 1 to 200 characters, whitespace collapsed.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PersonName(String);

impl PersonName {
    /// Parses and normalises a person's name.
    pub fn parse(text: &str) -> Result<Self, ParseError> {
        clean_name(text, "name", 200).map(Self)
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An email address, trimmed and lower-cased so that it identifies one account.
///
/// Validation is deliberately structural (one `@`, a non-empty local part, a domain with a dot
/// and no spaces): the only real proof of an address is a message that reaches it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EmailAddress(String);

impl EmailAddress {
    /// Parses an email address.
    pub fn parse(text: &str) -> Result<Self, ParseError> {
        let t = text.trim().to_lowercase();
        let err = || ParseError::new("email", "not a valid email address");
        if t.len() > 254 || t.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(err());
        }
        let (local, domain) = t.split_once('@').ok_or_else(err)?;
        if local.is_empty() || local.len() > 64 || domain.contains('@') {
            return Err(err());
        }
        let labels: Vec<&str> = domain.split('.').collect();
        if labels.len() < 2 || labels.iter().any(|l| l.is_empty() || l.starts_with('-') || l.ends_with('-')) {
            return Err(err());
        }
        Ok(EmailAddress(t))
    }

    /// The normalised address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A tenant: a business whose data is invisible to every other organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Organisation {
    /// Its identifier.
    pub id: OrganisationId,
    /// Its name.
    pub name: OrganisationName,
    /// Its own VAT number, when known (so documents it receives can be told apart from those
    /// it sends).
    pub vat_number: Option<crate::VatNumber>,
    /// Its time zone and VAT periods.
    pub calendar: crate::OrganisationCalendar,
    /// When it was created.
    pub created_at: OffsetDateTime,
}

/// A person who can log in. Users are global identities; what they may see is decided by their
/// memberships, one per organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// Its identifier.
    pub id: UserId,
    /// The login address.
    pub email: EmailAddress,
    /// The display name.
    pub name: PersonName,
    /// The password hash in PHC string format; never the password itself.
    pub password_hash: String,
    /// When the account was created.
    pub created_at: OffsetDateTime,
}

/// What a member may do within one organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
pub enum Role {
    /// Everything, including deleting the organisation.
    Owner,
    /// Everything except deleting the organisation.
    Admin,
    /// Reads everything and edits invoices; manages no users or integrations.
    Accountant,
    /// Reads only.
    Viewer,
}

impl Role {
    /// The stable machine code.
    pub fn code(&self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Admin => "admin",
            Role::Accountant => "accountant",
            Role::Viewer => "viewer",
        }
    }

    /// Every role, most powerful first.
    pub const ALL: [Role; 4] = [Role::Owner, Role::Admin, Role::Accountant, Role::Viewer];

    /// Whether the role grants the permission. This is the one place where Billify decides what
    /// a member may do; every use case and every route asks it.
    pub fn can(&self, permission: Permission) -> bool {
        use Permission as P;
        match self {
            Role::Owner => true,
            Role::Admin => !matches!(permission, P::DeleteOrganisation),
            Role::Accountant => matches!(permission, P::ReadData | P::WriteInvoices | P::ImportBankData),
            Role::Viewer => matches!(permission, P::ReadData),
        }
    }

    /// Whether a member with this role may give `role` to someone, or change or remove a member
    /// who has `role`: managers of members only, and only owners touch owners.
    pub fn can_grant(&self, role: Role) -> bool {
        self.can(Permission::ManageMembers) && (role != Role::Owner || *self == Role::Owner)
    }

    /// Whether the role may create, change and delete invoices
    /// (shorthand for [`Permission::WriteInvoices`]).
    pub fn can_edit_invoices(&self) -> bool {
        self.can(Permission::WriteInvoices)
    }

    /// Whether the role may manage members and integrations
    /// (shorthand for [`Permission::ManageMembers`]).
    pub fn can_administer(&self) -> bool {
        self.can(Permission::ManageMembers)
    }
}

/// Something a member may or may not do in an organisation; [`Role::can`] decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Permission {
    /// Read invoices, drafts, documents, bank data and the organisation's profile.
    ReadData,
    /// Create, change and delete invoices, uploads and drafts.
    WriteInvoices,
    /// Import bank statement files.
    ImportBankData,
    /// Invite, list, change and remove members.
    ManageMembers,
    /// Connect, disconnect and synchronise integrations (banks, accounting).
    ManageIntegrations,
    /// Change the organisation's name and VAT number.
    ManageOrganisation,
    /// Read the audit trail.
    ReadAudit,
    /// Export all of the organisation's data.
    ExportData,
    /// Delete the organisation and everything it holds.
    DeleteOrganisation,
}

impl Permission {
    /// Every permission.
    pub const ALL: [Permission; 9] = [
        Permission::ReadData,
        Permission::WriteInvoices,
        Permission::ImportBankData,
        Permission::ManageMembers,
        Permission::ManageIntegrations,
        Permission::ManageOrganisation,
        Permission::ReadAudit,
        Permission::ExportData,
        Permission::DeleteOrganisation,
    ];
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Role {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.code() == s)
            .ok_or_else(|| ParseError::new("role", "role is one of owner, admin, accountant, viewer"))
    }
}

/// A user's role in one organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Membership {
    /// The organisation.
    pub organisation_id: OrganisationId,
    /// The member.
    pub user_id: UserId,
    /// What the member may do there.
    pub role: Role,
    /// When the membership began.
    pub created_at: OffsetDateTime,
}

/// How long an invitation can be accepted.
pub const INVITATION_LIFETIME: time::Duration = time::Duration::days(7);

/// An invitation to join an organisation with a role. The token that accepts it is given to the
/// inviter once and stored only as a digest; it is single-use and expires.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitation {
    /// Its identifier.
    pub id: crate::InvitationId,
    /// The organisation to join.
    pub organisation_id: OrganisationId,
    /// The address invited; only the account with this address can accept.
    pub email: EmailAddress,
    /// The role the new member gets.
    pub role: Role,
    /// Who invited.
    pub invited_by: UserId,
    /// The digest of the token.
    pub token_digest: String,
    /// When it was created.
    pub created_at: OffsetDateTime,
    /// When it stops working.
    pub expires_at: OffsetDateTime,
    /// When it was accepted, if it was.
    pub accepted_at: Option<OffsetDateTime>,
}

impl Invitation {
    /// Whether the invitation can still be accepted at `now`.
    pub fn is_pending(&self, now: OffsetDateTime) -> bool {
        self.accepted_at.is_none() && now < self.expires_at
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(EmailAddress::parse("  Anna@Example.BE ").unwrap().as_str(), "anna@example.be");
        for bad in ["", "anna", "anna@", "@example.be", "anna@example", "an na@example.be", "a@b@c.be", "a@-x.be"] {
            assert!(EmailAddress::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn names_collapse_whitespace_and_reject_empty() {
        assert_eq!(OrganisationName::parse("  Bloc   Group BV ").unwrap().as_str(), "Bloc Group BV");
        assert!(OrganisationName::parse("   ").is_err());
        assert!(PersonName::parse(&"x".repeat(201)).is_err());
    }

    #[test]
    fn roles_grant_what_they_say() {
        assert!(Role::Accountant.can_edit_invoices());
        assert!(!Role::Accountant.can_administer());
        assert!(!Role::Viewer.can_edit_invoices());
        assert_eq!("admin".parse::<Role>().unwrap(), Role::Admin);
    }

    #[test]
    fn the_permission_matrix() {
        use Permission as P;
        let granted = |role: Role| P::ALL.into_iter().filter(|p| role.can(*p)).collect::<Vec<_>>();
        assert_eq!(granted(Role::Owner), P::ALL.to_vec());
        assert_eq!(
            granted(Role::Admin),
            P::ALL.iter().copied().filter(|p| *p != P::DeleteOrganisation).collect::<Vec<_>>()
        );
        assert_eq!(granted(Role::Accountant), vec![P::ReadData, P::WriteInvoices, P::ImportBankData]);
        assert_eq!(granted(Role::Viewer), vec![P::ReadData]);
    }

    #[test]
    fn only_owners_grant_or_touch_owners() {
        assert!(Role::Owner.can_grant(Role::Owner));
        assert!(!Role::Admin.can_grant(Role::Owner));
        assert!(Role::Admin.can_grant(Role::Admin));
        assert!(Role::Admin.can_grant(Role::Viewer));
        assert!(!Role::Accountant.can_grant(Role::Viewer));
        assert!(!Role::Viewer.can_grant(Role::Viewer));
    }
}
