//! A loopback fake of Yuki's SOAP 1.1 web services (`/ws/{Service}.asmx`), speaking the
//! envelopes of apis.md §2.7 and following its fake-server checklist (§2.10): dispatch on
//! `SOAPAction` (quotes stripped) or else the body's first element; `Authenticate` (a known key
//! returns a GUID, another gets the fault "Invalid access key"); `Administrations`;
//! `OutstandingDebtorItems` and `OutstandingCreditorItems` with their parameters checked by
//! exact name, namespace and order; unknown or expired sessions refused with a fault; a daily
//! call budget ("Daily limit exceeded" past it, every call counted, `Authenticate` too); answers
//! in `text/xml; charset=utf-8` with the inner `xmlns=""` documents; faults with HTTP 500.

use std::collections::HashSet;
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};

use crate::rng::SplitMix64;

/// Yuki's namespace.
const NS: &str = "http://www.theyukicompany.com/";
const SOAP_NS: &str = "http://schemas.xmlsoap.org/soap/envelope/";

/// One outstanding item as the fake serves it; amounts and dates are the wire text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FakeYukiItem {
    /// `Item@ID`.
    pub id: String,
    /// Debtor (`true`) or creditor item.
    pub debtor: bool,
    /// `Date`.
    pub date: String,
    /// `DueDate`, or none (the element left out).
    pub due_date: Option<String>,
    /// `Description`.
    pub description: String,
    /// `Contact`.
    pub contact: String,
    /// `VATNumber` (empty: an empty element).
    pub vat_number: String,
    /// `Reference` (the invoice number).
    pub reference: String,
    /// `OpenAmount`.
    pub open_amount: String,
    /// `OriginalAmount`.
    pub original_amount: String,
    /// A `Currency` element, when given (Yuki's XSD has none; some answers carry one).
    pub currency: Option<String>,
    /// A `PaymentReference` element, when given.
    pub payment_reference: Option<String>,
    /// An `IBAN` element, when given.
    pub iban: Option<String>,
}

/// How the fake behaves.
#[derive(Debug, Clone)]
pub struct FakeYukiConfig {
    /// The one access key it accepts.
    pub access_key: String,
    /// Administrations as `(id, name)`.
    pub administrations: Vec<(String, String)>,
    /// Generated debtor items.
    pub debtor_items: usize,
    /// Generated creditor items.
    pub creditor_items: usize,
    /// Calls a day before "Daily limit exceeded".
    pub daily_limit: u32,
    /// Seed of the generated data.
    pub seed: u64,
}

impl Default for FakeYukiConfig {
    fn default() -> Self {
        FakeYukiConfig {
            access_key: "fake-yuki-access-key".into(),
            administrations: vec![("6a1c0d2e-0000-4000-8000-00000000a001".into(), "Demo BV".into())],
            debtor_items: 6,
            creditor_items: 4,
            daily_limit: 1000,
            seed: 17,
        }
    }
}

/// A request the fake answered: its operation and its parameters in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YukiRequest {
    /// The operation (`Authenticate`, `OutstandingDebtorItems`, ...).
    pub operation: String,
    /// The `SOAPAction` header as sent.
    pub soap_action: Option<String>,
    /// Parameters as `(name, value)`, in order; the access key is replaced by `***`.
    pub parameters: Vec<(String, String)>,
}

struct State {
    config: FakeYukiConfig,
    items: Vec<FakeYukiItem>,
    sessions: HashSet<String>,
    rng: SplitMix64,
    calls_today: u32,
    log: Vec<YukiRequest>,
    faults: Vec<String>,
}

/// A running fake Yuki on `127.0.0.1`; it stops when dropped.
pub struct FakeYuki {
    origin: String,
    state: Arc<Mutex<State>>,
    server: actix_web::dev::ServerHandle,
    thread: Option<JoinHandle<()>>,
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

const NAMES: [(&str, &str); 6] = [
    ("Acme NV", "BE0403170701"),
    ("Bloc Group BV", "BE0662970353"),
    ("Brouwerij De Kroon", ""),
    ("Van Dijk Logistiek BV", "NL123456782B01"),
    ("Atelier Lumière SRL", "BE0417497106"),
    ("Kantoor & Co", ""),
];

/// Generated items: dated from 2026-09-01 on, some partly paid.
fn generate(rng: &mut SplitMix64, debtors: usize, creditors: usize) -> Vec<FakeYukiItem> {
    let mut items = Vec::with_capacity(debtors + creditors);
    for n in 0..debtors + creditors {
        let debtor = n < debtors;
        let (contact, vat) = NAMES[rng.below(NAMES.len() as u64) as usize];
        let day = rng.below(90) as i64;
        let date = time::Date::from_calendar_date(2026, time::Month::September, 1)
            .map(|d| d + time::Duration::days(day))
            .unwrap_or(time::Date::MIN);
        let due = date + time::Duration::days(30);
        let cents = 5_000 + rng.below(500_000) as i64;
        let open = if rng.below(4) == 0 { cents / 2 } else { cents };
        let reference = if debtor { format!("2026{:06}", n + 1) } else { format!("AF-{:05}", n + 1) };
        items.push(FakeYukiItem {
            id: rng.uuid(),
            debtor,
            date: date.to_string(),
            due_date: Some(due.to_string()),
            description: format!("Factuur {reference}"),
            contact: contact.into(),
            vat_number: vat.into(),
            reference,
            open_amount: format!("{}.{:02}", open / 100, open % 100),
            original_amount: format!("{}.{:02}", cents / 100, cents % 100),
            currency: None,
            payment_reference: None,
            iban: None,
        });
    }
    items
}

impl FakeYuki {
    /// Starts the fake on a free loopback port.
    pub fn start(config: FakeYukiConfig) -> std::io::Result<FakeYuki> {
        let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
        let origin = format!("http://127.0.0.1:{}", listener.local_addr()?.port());
        let mut rng = SplitMix64::new(config.seed);
        let items = generate(&mut rng, config.debtor_items, config.creditor_items);
        let state = Arc::new(Mutex::new(State {
            config,
            items,
            sessions: HashSet::new(),
            rng,
            calls_today: 0,
            log: Vec::new(),
            faults: Vec::new(),
        }));
        let shared = web::Data::from(Arc::clone(&state));
        let (started, handle) = std::sync::mpsc::channel();
        let thread = std::thread::Builder::new().name("fake-yuki".into()).spawn(move || {
            let system = actix_web::rt::System::new();
            let server = HttpServer::new(move || {
                App::new()
                    .app_data(shared.clone())
                    .app_data(web::PayloadConfig::new(1024 * 1024))
                    .default_service(web::to(serve))
            })
            .workers(1)
            .disable_signals()
            .listen(listener);
            let server = match server {
                Ok(server) => server.run(),
                Err(e) => {
                    let _ = started.send(Err(e));
                    return;
                }
            };
            let _ = started.send(Ok(server.handle()));
            let _ = system.block_on(server);
        })?;
        let server = handle.recv().map_err(|_| std::io::Error::other("the fake Yuki did not start"))??;
        Ok(FakeYuki { origin, state, server, thread: Some(thread) })
    }

    /// The origin to configure the adapter with (`http://127.0.0.1:PORT`); services are under
    /// `/ws/`.
    pub fn base_url(&self) -> String {
        self.origin.clone()
    }

    /// The accepted access key.
    pub fn access_key(&self) -> String {
        self.lock().config.access_key.clone()
    }

    /// The first administration's id.
    pub fn administration_id(&self) -> String {
        self.lock().config.administrations.first().map(|a| a.0.clone()).unwrap_or_default()
    }

    /// The outstanding items served now.
    pub fn items(&self) -> Vec<FakeYukiItem> {
        self.lock().items.clone()
    }

    /// Replaces the outstanding items.
    pub fn set_items(&self, items: Vec<FakeYukiItem>) {
        self.lock().items = items;
    }

    /// Adds or replaces an item (by id).
    pub fn upsert_item(&self, item: FakeYukiItem) {
        let mut s = self.lock();
        match s.items.iter_mut().find(|i| i.id == item.id) {
            Some(slot) => *slot = item,
            None => s.items.push(item),
        }
    }

    /// Removes an item (it was paid in the books); returns it.
    pub fn remove_item(&self, id: &str) -> Option<FakeYukiItem> {
        let mut s = self.lock();
        let at = s.items.iter().position(|i| i.id == id)?;
        Some(s.items.remove(at))
    }

    /// Replaces the items with `debtors` and `creditors` generated ones.
    pub fn generate_items(&self, debtors: usize, creditors: usize) {
        let mut s = self.lock();
        let items = generate(&mut s.rng, debtors, creditors);
        s.items = items;
    }

    /// Makes the fake refuse the access key from now on (and every session made with it), as
    /// when the key is revoked in Yuki.
    pub fn revoke_access_key(&self) {
        let mut s = self.lock();
        s.config.access_key = format!("revoked-{}", s.rng.uuid());
        s.sessions.clear();
    }

    /// Invalidates every session (as at their expiry).
    pub fn expire_sessions(&self) {
        self.lock().sessions.clear();
    }

    /// Answers the next requests (one per message, after `Authenticate`) with a server fault.
    pub fn fail_next(&self, messages: &[&str]) {
        self.lock().faults.extend(messages.iter().map(|m| (*m).to_owned()));
    }

    /// Calls counted today.
    pub fn calls_today(&self) -> u32 {
        self.lock().calls_today
    }

    /// Starts a new day: the call budget is reset.
    pub fn new_day(&self) {
        self.lock().calls_today = 0;
    }

    /// Every request answered so far.
    pub fn requests(&self) -> Vec<YukiRequest> {
        self.lock().log.clone()
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        lock(&self.state)
    }
}

impl Drop for FakeYuki {
    fn drop(&mut self) {
        drop(self.server.stop(false));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn xml_response(status: actix_web::http::StatusCode, body: Vec<u8>) -> HttpResponse {
    HttpResponse::build(status).content_type("text/xml; charset=utf-8").body(body)
}

/// A SOAP 1.1 fault, HTTP 500 as ASMX answers.
fn fault(code: &str, message: &str, detail: &str) -> HttpResponse {
    let mut w = Writer::new(Vec::new());
    let _ = write_envelope(&mut w, |w| {
        w.create_element("soap:Fault").write_inner_content(|w| {
            w.create_element("faultcode").write_text_content(BytesText::new(code))?;
            w.create_element("faultstring").write_text_content(BytesText::new(message))?;
            if detail.is_empty() {
                w.create_element("detail").write_empty()?;
            } else {
                w.create_element("detail").write_text_content(BytesText::new(detail))?;
            }
            Ok(())
        })?;
        Ok(())
    });
    xml_response(actix_web::http::StatusCode::INTERNAL_SERVER_ERROR, w.into_inner())
}

fn write_envelope(
    w: &mut Writer<Vec<u8>>,
    body: impl FnOnce(&mut Writer<Vec<u8>>) -> std::io::Result<()>,
) -> std::io::Result<()> {
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)))?;
    w.create_element("soap:Envelope")
        .with_attribute(("xmlns:soap", SOAP_NS))
        .with_attribute(("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"))
        .with_attribute(("xmlns:xsd", "http://www.w3.org/2001/XMLSchema"))
        .write_inner_content(|w| {
            w.create_element("soap:Body").write_inner_content(body)?;
            Ok(())
        })?;
    Ok(())
}

/// `<{op}Response xmlns=NS><{op}Result>…</{op}Result></{op}Response>`.
fn answer(operation: &str, result: impl FnOnce(&mut Writer<Vec<u8>>) -> std::io::Result<()>) -> HttpResponse {
    let mut w = Writer::new(Vec::new());
    let written = write_envelope(&mut w, |w| {
        w.create_element(format!("{operation}Response")).with_attribute(("xmlns", NS)).write_inner_content(|w| {
            w.create_element(format!("{operation}Result")).write_inner_content(result)?;
            Ok(())
        })?;
        Ok(())
    });
    match written {
        Ok(()) => xml_response(actix_web::http::StatusCode::OK, w.into_inner()),
        Err(e) => fault("soap:Server", &format!("fake: {e}"), ""),
    }
}

fn text(w: &mut Writer<Vec<u8>>, name: &str, value: &str) -> std::io::Result<()> {
    if value.is_empty() {
        w.create_element(name).write_empty()?;
    } else {
        w.create_element(name).write_text_content(BytesText::new(value))?;
    }
    Ok(())
}

fn write_items(w: &mut Writer<Vec<u8>>, root: &str, items: &[FakeYukiItem]) -> std::io::Result<()> {
    w.create_element(root).with_attribute(("xmlns", "")).write_inner_content(|w| {
        for i in items {
            w.create_element("Item").with_attribute(("ID", i.id.as_str())).write_inner_content(|w| {
                text(w, "Date", &i.date)?;
                text(w, "Description", &i.description)?;
                text(w, "Contact", &i.contact)?;
                text(w, "OpenAmount", &i.open_amount)?;
                text(w, "OriginalAmount", &i.original_amount)?;
                let (type_id, label) = if i.debtor { ("6", "Verkoopfactuur") } else { ("7", "Aankoopfactuur") };
                w.create_element("Type").with_attribute(("ID", type_id)).write_text_content(BytesText::new(label))?;
                text(w, "Reference", &i.reference)?;
                if let Some(due) = &i.due_date {
                    text(w, "DueDate", due)?;
                }
                text(w, "ContactCode", "")?;
                text(w, "VATNumber", &i.vat_number)?;
                text(w, "AddressLine_1", "")?;
                text(w, "AddressLine_2", "")?;
                text(w, "Country", "BE")?;
                if let Some(c) = &i.currency {
                    text(w, "Currency", c)?;
                }
                if let Some(p) = &i.payment_reference {
                    text(w, "PaymentReference", p)?;
                }
                if let Some(iban) = &i.iban {
                    text(w, "IBAN", iban)?;
                }
                text(w, "PaymentMethod", "ElectronicTransfer")?;
                Ok(())
            })?;
        }
        Ok(())
    })?;
    Ok(())
}

/// A parameter: `(local name, namespace, text)`.
type Parameter = (String, String, String);

/// The operation element's parameters in order.
fn parse_request(body: &str) -> Result<(String, Vec<Parameter>), String> {
    let doc = roxmltree::Document::parse(body).map_err(|e| e.to_string())?;
    let envelope = doc.root_element();
    if envelope.tag_name().name() != "Envelope" || envelope.tag_name().namespace() != Some(SOAP_NS) {
        return Err("not a SOAP 1.1 envelope".into());
    }
    let body = envelope.children().find(|n| n.is_element() && n.tag_name().name() == "Body").ok_or("no Body")?;
    let op = body.children().find(|n| n.is_element()).ok_or("empty Body")?;
    if op.tag_name().namespace() != Some(NS) {
        return Err(format!("{} is not in {NS}", op.tag_name().name()));
    }
    let params = op
        .children()
        .filter(|n| n.is_element())
        .map(|n| {
            (
                n.tag_name().name().to_owned(),
                n.tag_name().namespace().unwrap_or("").to_owned(),
                n.text().unwrap_or("").to_owned(),
            )
        })
        .collect();
    Ok((op.tag_name().name().to_owned(), params))
}

/// The documented parameters of each operation, in order (apis.md §2.3–2.5).
fn expected(operation: &str) -> Option<&'static [&'static str]> {
    Some(match operation {
        "Authenticate" => &["accessKey"],
        "Administrations" => &["sessionID"],
        "OutstandingDebtorItems" | "OutstandingCreditorItems" => {
            &["sessionID", "administrationID", "includeBankTransactions", "sortOrder"]
        }
        _ => return None,
    })
}

async fn serve(req: HttpRequest, body: web::Bytes, state: web::Data<Mutex<State>>) -> HttpResponse {
    if req.method() != actix_web::http::Method::POST
        || !req.path().starts_with("/ws/")
        || !req.path().ends_with(".asmx")
    {
        return HttpResponse::NotFound().finish();
    }
    let content_type = req.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("");
    if !content_type.starts_with("text/xml") {
        return HttpResponse::UnsupportedMediaType().finish();
    }
    let Ok(body) = std::str::from_utf8(&body) else { return fault("soap:Client", "Request is not UTF-8", "") };
    let (operation, params) = match parse_request(body) {
        Ok(p) => p,
        Err(e) => return fault("soap:Client", &format!("Server was unable to read request. ---> {e}"), ""),
    };
    let soap_action = req.headers().get("soapaction").and_then(|v| v.to_str().ok()).map(str::to_owned);
    if let Some(action) = &soap_action {
        let action = action.trim_matches('"');
        if action != format!("{NS}{operation}") {
            return fault(
                "soap:Client",
                &format!("Server did not recognize the value of HTTP Header SOAPAction: {action}."),
                "",
            );
        }
    }
    let mut s = lock(&state);
    s.log.push(YukiRequest {
        operation: operation.clone(),
        soap_action,
        parameters: params
            .iter()
            .map(|(n, _, v)| (n.clone(), if n == "accessKey" { "***".into() } else { v.clone() }))
            .collect(),
    });
    s.calls_today += 1;
    if s.calls_today > s.config.daily_limit {
        return fault("soap:Client", "Daily limit exceeded", "Every domain has 1000 free webservice calls a day.");
    }
    let Some(names) = expected(&operation) else {
        return fault("soap:Client", &format!("Unknown operation {operation}"), "");
    };
    let got: Vec<&str> = params.iter().map(|(n, _, _)| n.as_str()).collect();
    if got != names || params.iter().any(|(_, ns, _)| ns != NS) {
        return fault(
            "soap:Client",
            &format!("Server was unable to read request: {operation} expects {}", names.join(", ")),
            "",
        );
    }
    let value = |name: &str| params.iter().find(|(n, _, _)| n == name).map(|(_, _, v)| v.as_str()).unwrap_or("");
    if operation == "Authenticate" {
        if value("accessKey") != s.config.access_key {
            return fault("soap:Server", "Invalid access key", "");
        }
        let session = s.rng.uuid();
        s.sessions.insert(session.clone());
        return answer(&operation, |w| {
            w.write_event(Event::Text(BytesText::new(&session)))?;
            Ok(())
        });
    }
    if !s.sessions.contains(value("sessionID")) {
        return fault("soap:Server", "The session is not valid or has expired", "");
    }
    if !s.faults.is_empty() {
        let message = s.faults.remove(0);
        return fault("soap:Server", &message, "");
    }
    match operation.as_str() {
        "Administrations" => {
            let admins = s.config.administrations.clone();
            answer(&operation, |w| {
                w.create_element("Administrations").with_attribute(("xmlns", "")).write_inner_content(|w| {
                    for (id, name) in &admins {
                        w.create_element("Administration").with_attribute(("ID", id.as_str())).write_inner_content(
                            |w| {
                                text(w, "Name", name)?;
                                text(w, "Active", "true")?;
                                Ok(())
                            },
                        )?;
                    }
                    Ok(())
                })?;
                Ok(())
            })
        }
        _ => {
            let admin = value("administrationID");
            if !s.config.administrations.iter().any(|(id, _)| id == admin) {
                return fault("soap:Server", "No access to administration", "");
            }
            if !["true", "false"].contains(&value("includeBankTransactions")) {
                return fault("soap:Client", "includeBankTransactions is a boolean", "");
            }
            let sort = value("sortOrder");
            if !["ContactAsc", "ContactDesc", "AmountAsc", "AmountDesc", "DateAsc", "DateDesc"].contains(&sort) {
                return fault("soap:Client", &format!("Instance validation error: '{sort}' is not a valid value"), "");
            }
            let debtor = operation == "OutstandingDebtorItems";
            let items: Vec<FakeYukiItem> = s.items.iter().filter(|i| i.debtor == debtor).cloned().collect();
            drop(s);
            answer(&operation, |w| write_items(w, &operation, &items))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn post(fake: &FakeYuki, action: &str, body: &str) -> (u16, String) {
        let mut r = ureq::post(format!("{}/ws/Accounting.asmx", fake.base_url()))
            .config()
            .http_status_as_error(false)
            .build()
            .header("content-type", "text/xml; charset=utf-8")
            .header("soapaction", format!("\"{NS}{action}\""))
            .send(body)
            .unwrap();
        (r.status().as_u16(), r.body_mut().read_to_string().unwrap())
    }

    fn call(op: &str, params: &str) -> String {
        format!(
            r#"<soap:Envelope xmlns:soap="{SOAP_NS}"><soap:Body><{op} xmlns="{NS}">{params}</{op}></soap:Body></soap:Envelope>"#
        )
    }

    #[test]
    fn the_fake_authenticates_checks_parameters_and_counts_the_budget() {
        let fake = FakeYuki::start(FakeYukiConfig { daily_limit: 4, ..FakeYukiConfig::default() }).unwrap();
        let (status, body) = post(&fake, "Authenticate", &call("Authenticate", "<accessKey>wrong</accessKey>"));
        assert_eq!(status, 500);
        assert!(body.contains("<faultstring>Invalid access key</faultstring>"), "{body}");
        let key = fake.access_key();
        let (status, body) =
            post(&fake, "Authenticate", &call("Authenticate", &format!("<accessKey>{key}</accessKey>")));
        assert_eq!(status, 200, "{body}");
        let session = body.split("<AuthenticateResult>").nth(1).unwrap().split('<').next().unwrap().to_owned();
        // Out of order: refused.
        let admin = fake.administration_id();
        let wrong = format!(
            "<administrationID>{admin}</administrationID><sessionID>{session}</sessionID><includeBankTransactions>false</includeBankTransactions><sortOrder>DateAsc</sortOrder>"
        );
        let (status, _) = post(&fake, "OutstandingDebtorItems", &call("OutstandingDebtorItems", &wrong));
        assert_eq!(status, 500);
        let right = format!(
            "<sessionID>{session}</sessionID><administrationID>{admin}</administrationID><includeBankTransactions>false</includeBankTransactions><sortOrder>DateAsc</sortOrder>"
        );
        let (status, body) = post(&fake, "OutstandingDebtorItems", &call("OutstandingDebtorItems", &right));
        assert_eq!(status, 200);
        assert!(body.contains(r#"<OutstandingDebtorItems xmlns=""><Item ID="#), "{body}");
        let (status, body) = post(&fake, "OutstandingDebtorItems", &call("OutstandingDebtorItems", &right));
        assert_eq!(status, 500);
        assert!(body.contains("Daily limit exceeded"));
        assert_eq!(fake.calls_today(), 5);
    }
}
