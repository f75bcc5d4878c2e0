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

    /// Whether the role may create, change and delete invoices.
    pub fn can_edit_invoices(&self) -> bool {
        matches!(self, Role::Owner | Role::Admin | Role::Accountant)
    }

    /// Whether the role may manage members and integrations.
    pub fn can_administer(&self) -> bool {
        matches!(self, Role::Owner | Role::Admin)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Role {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        [Role::Owner, Role::Admin, Role::Accountant, Role::Viewer]
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
}
