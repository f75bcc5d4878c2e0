//! Email over SMTP with lettre's blocking transport.

use std::time::Duration;

use billify_ports::SecretText;
use billify_ports::notifications::{DeliveryError, EmailMessage, EmailSender};
use lettre::message::Mailbox;
use lettre::message::header::ContentType;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{Message, SmtpTransport, Transport};

/// How the connection to the SMTP server is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpSecurity {
    /// STARTTLS, required (port 587 by default).
    StartTls,
    /// TLS from the first byte (port 465 by default).
    Tls,
    /// None: only for a relay on the same host or a trusted network (and tests).
    Plain,
}

impl SmtpSecurity {
    /// Parses `starttls`, `tls` or `none`.
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim() {
            "starttls" => Some(SmtpSecurity::StartTls),
            "tls" => Some(SmtpSecurity::Tls),
            "none" => Some(SmtpSecurity::Plain),
            _ => None,
        }
    }
}

/// Where and how to send email.
#[derive(Clone)]
pub struct SmtpSettings {
    /// The server's host name.
    pub host: String,
    /// Its port.
    pub port: u16,
    /// The connection's protection.
    pub security: SmtpSecurity,
    /// The user name and password, when the server wants them.
    pub credentials: Option<(String, SecretText)>,
    /// The sender, e.g. `Billify <alerts@billify.example>`.
    pub from: String,
    /// The limit of one exchange with the server.
    pub timeout: Duration,
}

impl std::fmt::Debug for SmtpSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpSettings")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("user", &self.credentials.as_ref().map(|(u, _)| u))
            .field("from", &self.from)
            .finish_non_exhaustive()
    }
}

/// Why a mailer cannot be set up from its settings.
#[derive(Debug, thiserror::Error)]
pub enum MailerError {
    /// The sender is not an email address.
    #[error("the sender address is not valid: {0}")]
    Sender(#[from] lettre::address::AddressError),
    /// TLS cannot be set up for the host.
    #[error(transparent)]
    Transport(#[from] lettre::transport::smtp::Error),
}

/// Sends email through one SMTP server.
pub struct SmtpMailer {
    transport: SmtpTransport,
    from: Mailbox,
}

impl SmtpMailer {
    /// A mailer for these settings; fails when the sender is not an address or TLS cannot be
    /// set up for the host.
    pub fn new(settings: &SmtpSettings) -> Result<Self, MailerError> {
        let from: Mailbox = settings.from.parse()?;
        let builder = match settings.security {
            SmtpSecurity::StartTls => SmtpTransport::starttls_relay(&settings.host)?,
            SmtpSecurity::Tls => SmtpTransport::relay(&settings.host)?,
            SmtpSecurity::Plain => SmtpTransport::builder_dangerous(settings.host.as_str()),
        };
        let mut builder = builder.port(settings.port).timeout(Some(settings.timeout));
        if let Some((user, password)) = &settings.credentials {
            builder = builder.credentials(Credentials::new(user.clone(), password.expose().to_owned()));
        }
        Ok(SmtpMailer { transport: builder.build(), from })
    }
}

impl EmailSender for SmtpMailer {
    fn send(&self, message: &EmailMessage) -> Result<(), DeliveryError> {
        let to: Mailbox = message
            .to
            .parse()
            .map_err(|e| DeliveryError::Permanent(format!("the recipient address is not valid: {e}")))?;
        let email = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(message.subject.as_str())
            .header(ContentType::TEXT_PLAIN)
            .body(message.text.clone())
            .map_err(|e| DeliveryError::Permanent(format!("the message cannot be built: {e}")))?;
        match self.transport.send(&email) {
            Ok(_) => Ok(()),
            Err(e) if e.is_permanent() => Err(DeliveryError::Permanent(e.to_string())),
            Err(e) => Err(DeliveryError::Transport(e.to_string())),
        }
    }
}
