//! The Yuki client: sessions, the documented operations of Accounting.asmx, and faults mapped to
//! typed errors.

use std::collections::HashMap;
use std::io::BufReader;
use std::ops::ControlFlow;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use billify_ports::accounting::{
    AccountingConnection, AccountingError, AccountingProvider, AccountingRegion, Administration, CallMeter, ItemSide,
    OutstandingItem,
};
use sha2::{Digest as _, Sha256};
use ureq::http;

use crate::items::{administration, outstanding_item};
use crate::soap::{Answer, Fault, Record, YUKI_NS, envelope, read_answer};

/// Where Yuki lives per region, and how the client behaves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YukiConfig {
    /// The origin of the Dutch data centre (`https://api.yukiworks.nl`).
    pub nl_base_url: String,
    /// The origin of the Belgian data centre (`https://api.yukiworks.be`).
    pub be_base_url: String,
    /// The longest wait for an answer to start, and for each read of it.
    pub timeout: Duration,
    /// How long a session is used before a new one is asked for. Yuki documents no lifetime;
    /// sources say "about 24 h" (apis.md §2.3 [U]); the robust reading is to renew a little
    /// earlier and, in any case, once on a "session" fault.
    pub session_lifetime: Duration,
    /// The largest answer read.
    pub max_answer_bytes: u64,
}

impl YukiConfig {
    /// Yuki's production hosts.
    pub fn production() -> YukiConfig {
        YukiConfig {
            nl_base_url: "https://api.yukiworks.nl".into(),
            be_base_url: "https://api.yukiworks.be".into(),
            timeout: Duration::from_secs(120),
            session_lifetime: Duration::from_secs(20 * 3600),
            max_answer_bytes: 256 * 1024 * 1024,
        }
    }

    /// Both regions at one origin (a local fake, a proxy).
    pub fn at(base_url: &str) -> YukiConfig {
        let base = base_url.trim_end_matches('/').to_owned();
        YukiConfig { nl_base_url: base.clone(), be_base_url: base, ..YukiConfig::production() }
    }

    fn origin(&self, region: AccountingRegion) -> &str {
        match region {
            AccountingRegion::Nl => self.nl_base_url.trim_end_matches('/'),
            AccountingRegion::Be => self.be_base_url.trim_end_matches('/'),
        }
    }
}

/// A session kept for its lifetime.
struct Session {
    id: String,
    until: Instant,
}

/// How a fault is understood. apis.md §2.7: faultcode (`soap:Client` or `soap:Server`) is not
/// reliable, so faults are classified by their faultstring, like the known clients do.
enum FaultKind {
    AccessKey,
    Session,
    Budget,
    Other,
}

fn classify(fault: &Fault) -> FaultKind {
    let text = format!("{} {}", fault.message, fault.detail).to_lowercase();
    if text.contains("access key") || text.contains("accesskey") {
        FaultKind::AccessKey
    } else if text.contains("session") {
        FaultKind::Session
    } else if text.contains("limit") || text.contains("webservice calls") {
        FaultKind::Budget
    } else {
        FaultKind::Other
    }
}

/// The Yuki adapter. One per process: it keeps the session of every access key it used (keyed
/// by region and a digest of the key, never the key itself).
pub struct YukiClient {
    config: YukiConfig,
    agent: ureq::Agent,
    sessions: Mutex<HashMap<String, Session>>,
}

impl YukiClient {
    /// A client with this configuration.
    pub fn new(config: YukiConfig) -> YukiClient {
        let agent = ureq::Agent::config_builder()
            // An answer is read as it is processed (each item is stored before the next is read),
            // so a large administration takes longer than any fixed total: the limits are on
            // connecting, on the answer starting, and on each read, not on the whole call.
            .timeout_connect(Some(Duration::from_secs(30)))
            .timeout_recv_response(Some(config.timeout))
            .timeout_per_read(Some(config.timeout))
            // Faults come with HTTP 500: read them rather than fail on the status.
            .http_status_as_error(false)
            .max_redirects(0)
            .user_agent(concat!("billify/", env!("CARGO_PKG_VERSION")))
            .build()
            .new_agent();
        YukiClient { config, agent, sessions: Mutex::new(HashMap::new()) }
    }

    fn session_key(connection: &AccountingConnection<'_>) -> String {
        let digest = Sha256::digest(connection.access_key.as_bytes());
        format!("{}:{}", connection.region.code(), hex::encode(digest))
    }

    fn sessions(&self) -> std::sync::MutexGuard<'_, HashMap<String, Session>> {
        // A poisoned map only holds sessions: keep using it.
        self.sessions.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Posts one operation to Accounting.asmx and reads the answer as a stream.
    fn post(
        &self,
        connection: &AccountingConnection<'_>,
        operation: &str,
        parameters: &[(&str, &str)],
        record: &str,
        meter: &mut CallMeter,
        on_record: &mut dyn FnMut(Record) -> ControlFlow<()>,
    ) -> Result<Answer, AccountingError> {
        let url = format!("{}/ws/Accounting.asmx", self.config.origin(connection.region));
        let body = envelope(operation, parameters)?;
        let request = http::Request::builder()
            .method(http::Method::POST)
            .uri(&url)
            .header("content-type", "text/xml; charset=utf-8")
            .header("soapaction", format!("\"{YUKI_NS}{operation}\""))
            .body(body)
            .map_err(|e| AccountingError::Transport(format!("cannot build the request: {e}")))?;
        meter.count();
        let response = self.agent.run(request).map_err(|e| AccountingError::Transport(e.to_string()))?;
        let status = response.status().as_u16();
        log::debug!("yuki: {operation} -> {status}");
        let reader = response.into_body().into_with_config().limit(self.config.max_answer_bytes).reader();
        let result = format!("{}result", operation.to_ascii_lowercase());
        let answer = read_answer(BufReader::new(reader), &result, record, false, on_record);
        let answer = match answer {
            Ok(a) => a,
            Err(_) if status >= 400 => {
                return Err(AccountingError::Server { detail: format!("{operation} answered HTTP {status}") });
            }
            Err(e) => return Err(e),
        };
        if let Some(fault) = &answer.fault {
            let detail = format!("{operation}: {}", fault.message);
            return Err(match classify(fault) {
                FaultKind::AccessKey => AccountingError::InvalidAccessKey { detail },
                FaultKind::Session => AccountingError::Server { detail: format!("session: {detail}") },
                FaultKind::Budget => AccountingError::BudgetExceeded { detail },
                FaultKind::Other => AccountingError::Server { detail },
            });
        }
        if status >= 400 {
            return Err(AccountingError::Server { detail: format!("{operation} answered HTTP {status}") });
        }
        if !answer.has_result {
            return Err(AccountingError::InvalidResponse(format!("{operation}: no {operation}Result in the answer")));
        }
        Ok(answer)
    }

    fn authenticate_new(
        &self,
        connection: &AccountingConnection<'_>,
        meter: &mut CallMeter,
    ) -> Result<String, AccountingError> {
        let answer =
            self.post(connection, "Authenticate", &[("accessKey", connection.access_key)], "-", meter, &mut |_| {
                ControlFlow::Continue(())
            })?;
        let id = answer.result_text.trim().to_owned();
        if id.is_empty() || id.len() > 200 {
            // An empty result is how some domains answer an unusable key.
            return Err(AccountingError::InvalidAccessKey { detail: "Authenticate returned no session".into() });
        }
        let until = Instant::now() + self.config.session_lifetime;
        self.sessions().insert(Self::session_key(connection), Session { id: id.clone(), until });
        Ok(id)
    }

    fn session(&self, connection: &AccountingConnection<'_>, meter: &mut CallMeter) -> Result<String, AccountingError> {
        let key = Self::session_key(connection);
        if let Some(s) = self.sessions().get(&key).filter(|s| s.until > Instant::now()) {
            return Ok(s.id.clone());
        }
        self.authenticate_new(connection, meter)
    }

    /// Runs an operation with the session; on a "session" fault, authenticates once more and
    /// retries once.
    fn with_session(
        &self,
        connection: &AccountingConnection<'_>,
        meter: &mut CallMeter,
        call: &mut dyn FnMut(&str, &mut CallMeter) -> Result<Answer, AccountingError>,
    ) -> Result<Answer, AccountingError> {
        let session = self.session(connection, meter)?;
        match call(&session, meter) {
            Err(AccountingError::Server { detail }) if detail.starts_with("session: ") => {
                log::info!("yuki session expired; authenticating again");
                self.sessions().remove(&Self::session_key(connection));
                let session = self.authenticate_new(connection, meter)?;
                call(&session, meter)
            }
            other => other,
        }
    }
}

impl AccountingProvider for YukiClient {
    fn authenticate(
        &self,
        connection: &AccountingConnection<'_>,
        meter: &mut CallMeter,
    ) -> Result<(), AccountingError> {
        self.authenticate_new(connection, meter).map(|_| ())
    }

    fn administrations(
        &self,
        connection: &AccountingConnection<'_>,
        meter: &mut CallMeter,
    ) -> Result<Vec<Administration>, AccountingError> {
        let mut found = Vec::new();
        self.with_session(connection, meter, &mut |session, meter| {
            found.clear();
            self.post(connection, "Administrations", &[("sessionID", session)], "administration", meter, &mut |r| {
                found.extend(administration(&r));
                ControlFlow::Continue(())
            })
        })?;
        Ok(found)
    }

    fn outstanding_items(
        &self,
        connection: &AccountingConnection<'_>,
        administration_id: &str,
        side: ItemSide,
        meter: &mut CallMeter,
        on_item: &mut dyn FnMut(OutstandingItem) -> ControlFlow<()>,
    ) -> Result<(), AccountingError> {
        let operation = match side {
            ItemSide::Debtor => "OutstandingDebtorItems",
            ItemSide::Creditor => "OutstandingCreditorItems",
        };
        self.with_session(connection, meter, &mut |session, meter| {
            // Parameters in the documented order and case (apis.md §2.5). Unmatched bank
            // transactions are not invoices: `includeBankTransactions` is false.
            let parameters = [
                ("sessionID", session),
                ("administrationID", administration_id),
                ("includeBankTransactions", "false"),
                ("sortOrder", "DateAsc"),
            ];
            self.post(connection, operation, &parameters, "item", meter, &mut |r| on_item(outstanding_item(&r)))
        })?;
        Ok(())
    }

    fn forget(&self, connection: &AccountingConnection<'_>) {
        self.sessions().remove(&Self::session_key(connection));
    }
}
