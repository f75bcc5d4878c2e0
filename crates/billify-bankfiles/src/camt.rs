//! ISO 20022 CAMT.053 (Bank to Customer Statement), any version: elements are matched by
//! local name, so `camt.053.001.02` to `.13` all read the same way.

use std::str::FromStr;

use bigdecimal::BigDecimal;
use billify_domain::{
    BankAccount, BankTransaction, Currency, Iban, Money, NewBankAccount, NewBankTransaction, ProviderId, RemittanceType,
};
use roxmltree::{Document, Node, ParsingOptions};
use time::{Date, OffsetDateTime, PrimitiveDateTime, Time};

use crate::{BankFileError, Statement, id_part, short_digest};

/// Largest document read (statements of big accounts are large, but not this large).
const MAX_BYTES: usize = 64 * 1024 * 1024;

fn err(path: &str, message: impl Into<String>) -> BankFileError {
    BankFileError::Camt { path: path.to_owned(), message: message.into() }
}

/// Reads every statement (`Stmt`) of a CAMT.053 document.
pub fn parse_camt053(bytes: &[u8]) -> Result<Vec<Statement>, BankFileError> {
    if bytes.len() > MAX_BYTES {
        return Err(err("Document", "the document is larger than 64 MiB"));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| err("Document", format!("not UTF-8: {e}")))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // DTDs are refused (the default), so no entity expansion can blow up.
    let doc = Document::parse_with_options(text, ParsingOptions::default())
        .map_err(|e| err("Document", format!("not well-formed XML: {e}")))?;
    let root = doc.root_element();
    if root.tag_name().name() != "Document" {
        return Err(err(root.tag_name().name(), "the root element must be Document"));
    }
    if !root.tag_name().namespace().is_none_or(|ns| ns.contains("camt.053")) {
        return Err(err("Document", "the namespace is not a camt.053 one"));
    }
    let message = child(root, "BkToCstmrStmt").ok_or_else(|| err("Document", "no BkToCstmrStmt element"))?;
    let base = "Document/BkToCstmrStmt";
    let created = child(message, "GrpHdr").and_then(|h| text_of(h, "CreDtTm"));
    let statements: Vec<Node<'_, '_>> = children(message, "Stmt").collect();
    if statements.is_empty() {
        return Err(err(base, "no Stmt element"));
    }
    statements
        .into_iter()
        .enumerate()
        .map(|(i, stmt)| statement(stmt, &format!("{base}/Stmt[{}]", i + 1), created.as_deref()))
        .collect()
}

fn child<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    node.children().find(|c| c.is_element() && c.tag_name().name() == name)
}

fn children<'a, 'i: 'a>(node: Node<'a, 'i>, name: &'a str) -> impl Iterator<Item = Node<'a, 'i>> + 'a {
    node.children().filter(move |c| c.is_element() && c.tag_name().name() == name)
}

/// The trimmed text of a descendant reached by a path of local names, if non-empty.
fn text_at(node: Node<'_, '_>, path: &[&str]) -> Option<String> {
    let mut current = node;
    for name in path {
        current = child(current, name)?;
    }
    current.text().map(str::trim).filter(|t| !t.is_empty()).map(str::to_owned)
}

fn text_of(node: Node<'_, '_>, name: &str) -> Option<String> {
    text_at(node, &[name])
}

/// An amount element (`<Amt Ccy="EUR">12.50</Amt>`) with its credit/debit indicator sibling.
fn signed_amount(parent: Node<'_, '_>, amount_path: &[&str], path: &str) -> Result<Money, BankFileError> {
    let mut node = parent;
    for name in amount_path {
        node = child(node, name).ok_or_else(|| err(path, format!("no {name} element")))?;
    }
    let amount_path_text = format!("{path}/{}", amount_path.join("/"));
    let currency = node.attribute("Ccy").ok_or_else(|| err(&amount_path_text, "no Ccy attribute"))?;
    let currency = Currency::parse(currency).map_err(|e| err(&amount_path_text, e.to_string()))?;
    let text = node.text().map(str::trim).unwrap_or_default();
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return Err(err(&amount_path_text, format!("{text:?} is not an unsigned decimal amount")));
    }
    let amount =
        BigDecimal::from_str(text).map_err(|_| err(&amount_path_text, format!("{text:?} is not a decimal")))?;
    let indicator = text_of(parent, "CdtDbtInd").ok_or_else(|| err(path, "no CdtDbtInd element"))?;
    let amount = match indicator.as_str() {
        "CRDT" => amount,
        "DBIT" => -amount,
        other => return Err(err(&format!("{path}/CdtDbtInd"), format!("{other:?} is neither CRDT nor DBIT"))),
    };
    Money::new(amount, currency).map_err(|e| err(&amount_path_text, e.to_string()))
}

/// A `Dt` or `DtTm` child of a date choice element (`BookgDt`, `ValDt`, `Bal/Dt`).
fn date_choice(node: Node<'_, '_>, path: &str) -> Result<Date, BankFileError> {
    if let Some(d) = text_of(node, "Dt") {
        return parse_date(&d).ok_or_else(|| err(&format!("{path}/Dt"), format!("{d:?} is not a date")));
    }
    if let Some(dt) = text_of(node, "DtTm") {
        return parse_date_time(&dt)
            .map(|t| t.date())
            .ok_or_else(|| err(&format!("{path}/DtTm"), format!("{dt:?} is not a date-time")));
    }
    Err(err(path, "neither Dt nor DtTm"))
}

fn parse_date(text: &str) -> Option<Date> {
    // ISODate may carry a zone suffix (`2024-03-04+01:00`); the calendar day is what counts.
    let day = text.get(..10)?;
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(day, &format).ok()
}

fn parse_date_time(text: &str) -> Option<OffsetDateTime> {
    if let Ok(t) = OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339) {
        return Some(t);
    }
    // ISODateTime without a zone is local bank time; read as UTC for ordering purposes.
    let date = parse_date(text)?;
    let clock = text.get(11..19)?;
    let format = time::macros::format_description!("[hour]:[minute]:[second]");
    let time = Time::parse(clock, &format).ok()?;
    Some(PrimitiveDateTime::new(date, time).assume_utc())
}

fn statement(stmt: Node<'_, '_>, path: &str, created: Option<&str>) -> Result<Statement, BankFileError> {
    let statement_id = text_of(stmt, "Id").ok_or_else(|| err(path, "no Id element"))?;
    let acct = child(stmt, "Acct").ok_or_else(|| err(path, "no Acct element"))?;
    let acct_path = format!("{path}/Acct");
    let given_iban = text_at(acct, &["Id", "IBAN"]);
    let account_number = given_iban
        .clone()
        .or_else(|| text_at(acct, &["Id", "Othr", "Id"]))
        .ok_or_else(|| err(&format!("{acct_path}/Id"), "neither IBAN nor Othr/Id"))?;
    // An account given as an IBAN must be a valid one.
    let iban = match given_iban {
        Some(text) => Some(
            Iban::parse(&text).map_err(|e| err(&format!("{acct_path}/Id/IBAN"), format!("not a valid IBAN: {e}")))?,
        ),
        None => Iban::parse(&account_number).ok(),
    };
    let account_key = iban.as_ref().map_or_else(|| id_part(&account_number), |i| i.as_str().to_owned());
    let account_id = ProviderId::parse(&account_key).map_err(|e| err(&format!("{acct_path}/Id"), e.to_string()))?;

    let mut opening = None;
    let mut closing = None;
    let mut available = None;
    for (i, bal) in children(stmt, "Bal").enumerate() {
        let bal_path = format!("{path}/Bal[{}]", i + 1);
        let code = text_at(bal, &["Tp", "CdOrPrtry", "Cd"]).or_else(|| text_at(bal, &["Tp", "CdOrPrtry", "Prtry"]));
        let amount = signed_amount(bal, &["Amt"], &bal_path)?;
        let date = child(bal, "Dt").map(|d| date_choice(d, &format!("{bal_path}/Dt"))).transpose()?;
        match code.as_deref() {
            Some("OPBD" | "PRCD") if opening.is_none() => opening = Some(amount),
            Some("CLBD") => closing = Some((amount, date)),
            Some("CLAV") => available = Some(amount),
            _ => {}
        }
    }
    let (closing, closing_date) = closing.ok_or_else(|| err(path, "no closing booked balance (Bal with Cd CLBD)"))?;
    let currency = text_of(acct, "Ccy")
        .map(|c| Currency::parse(&c).map_err(|e| err(&format!("{acct_path}/Ccy"), e.to_string())))
        .transpose()?
        .unwrap_or(closing.currency());
    let synchronized_at = text_of(stmt, "CreDtTm")
        .or_else(|| created.map(str::to_owned))
        .and_then(|t| parse_date_time(&t))
        .or_else(|| closing_date.map(|d| d.midnight().assume_utc()));
    let account = BankAccount::new(NewBankAccount {
        provider_id: account_id.clone(),
        iban,
        currency,
        current_balance: closing,
        available_balance: available,
        holder_name: text_at(acct, &["Ownr", "Nm"]),
        institution_name: text_at(acct, &["Svcr", "FinInstnId", "Nm"]),
        description: text_of(acct, "Nm"),
        authorization_expires_at: None,
        synchronized_at,
    })
    .map_err(|e| err(&acct_path, e.to_string()))?;

    let mut transactions = Vec::new();
    for (i, entry) in children(stmt, "Ntry").enumerate() {
        let entry_path = format!("{path}/Ntry[{}]", i + 1);
        transactions.extend(entry_transactions(entry, &entry_path, &account_id, &statement_id, i + 1)?);
    }
    Ok(Statement { account, statement_id, opening_balance: opening, transactions })
}

/// The booked transactions of one entry: one per `TxDtls` when each carries its own amount (a
/// batch), else one for the whole entry. Pending and informational entries are skipped.
fn entry_transactions(
    entry: Node<'_, '_>,
    path: &str,
    account: &ProviderId,
    statement_id: &str,
    index: usize,
) -> Result<Vec<BankTransaction>, BankFileError> {
    let status = text_of(entry, "Sts").or_else(|| text_at(entry, &["Sts", "Cd"]));
    match status.as_deref() {
        Some("BOOK") => {}
        Some("PDNG" | "INFO" | "FUTR") => return Ok(Vec::new()),
        Some(other) => return Err(err(&format!("{path}/Sts"), format!("unknown entry status {other:?}"))),
        None => return Err(err(path, "no Sts element")),
    }
    let amount = signed_amount(entry, &["Amt"], path)?;
    let booking = child(entry, "BookgDt").ok_or_else(|| err(path, "no BookgDt element"))?;
    let execution_date = date_choice(booking, &format!("{path}/BookgDt"))?;
    let value_date = child(entry, "ValDt").map(|v| date_choice(v, &format!("{path}/ValDt"))).transpose()?;
    let code = bank_transaction_code(entry);
    let bank_reference = text_of(entry, "AcctSvcrRef");
    let entry_ref = bank_reference.clone().or_else(|| text_of(entry, "NtryRef"));
    let details: Vec<Node<'_, '_>> =
        child(entry, "NtryDtls").map(|d| children(d, "TxDtls").collect()).unwrap_or_default();
    let split = details.len() > 1 && details.iter().all(|d| tx_amount(*d).is_some());
    let base_id = match &entry_ref {
        Some(r) => format!("camt:{account}:{}", id_part(r)),
        None => {
            let content: String = entry.descendants().filter_map(|n| n.text()).map(str::trim).collect();
            format!("camt:{account}:{}:{index}:{}", id_part(statement_id), short_digest(&[&content]))
        }
    };
    let build = |id: String, amount: Money, tx: Option<Node<'_, '_>>| -> Result<BankTransaction, BankFileError> {
        let provider_id = ProviderId::parse(&id).map_err(|e| err(path, e.to_string()))?;
        let (name, counter_account) = tx.map(|t| counterparty(t, amount.is_positive())).unwrap_or_default();
        let (remittance, kind) = tx
            .map(remittance)
            .unwrap_or_default()
            .or_else(|| text_of(entry, "AddtlNtryInf").map(|t| (t, RemittanceType::Unstructured)))
            .map_or((None, RemittanceType::Unstructured), |(t, k)| (Some(t), k));
        Ok(BankTransaction::new(NewBankTransaction {
            provider_id,
            account_provider_id: account.clone(),
            amount,
            counterparty_name: name,
            counterparty_account: counter_account,
            remittance_information: remittance,
            remittance_type: kind,
            description: text_of(entry, "AddtlNtryInf"),
            execution_date,
            value_date,
            bank_transaction_code: code.clone(),
            bank_reference: bank_reference.clone(),
        }))
    };
    if split {
        let sign_negative = amount.is_negative();
        details
            .iter()
            .enumerate()
            .map(|(n, tx)| {
                let tx_path = format!("{path}/NtryDtls/TxDtls[{}]", n + 1);
                let (raw, currency) = tx_amount(*tx).ok_or_else(|| err(&tx_path, "no amount"))?;
                let raw = if sign_negative { -raw } else { raw };
                let money = Money::new(raw, currency).map_err(|e| err(&tx_path, e.to_string()))?;
                build(format!("{base_id}:{}", n + 1), money, Some(*tx))
            })
            .collect()
    } else {
        Ok(vec![build(base_id, amount, details.first().copied())?])
    }
}

/// The unsigned amount of a transaction detail (`AmtDtls/TxAmt/Amt` or, from version 3 on,
/// `Amt`).
fn tx_amount(tx: Node<'_, '_>) -> Option<(BigDecimal, Currency)> {
    let node = child(tx, "Amt")
        .or_else(|| child(tx, "AmtDtls").and_then(|a| child(a, "TxAmt")).and_then(|t| child(t, "Amt")))?;
    let currency = Currency::parse(node.attribute("Ccy")?).ok()?;
    let amount = BigDecimal::from_str(node.text()?.trim()).ok()?;
    Some((amount, currency))
}

fn bank_transaction_code(entry: Node<'_, '_>) -> Option<String> {
    let code = child(entry, "BkTxCd")?;
    if let Some(domain) = child(code, "Domn") {
        let d = text_of(domain, "Cd")?;
        let family = child(domain, "Fmly");
        let f = family.and_then(|f| text_of(f, "Cd"));
        let s = family.and_then(|f| text_of(f, "SubFmlyCd"));
        return Some([Some(d), f, s].into_iter().flatten().collect::<Vec<_>>().join("-"));
    }
    text_at(code, &["Prtry", "Cd"])
}

/// The other party: the debtor of money received, the creditor of money paid. Versions 8 and
/// later wrap the party in `Pty`.
fn counterparty(tx: Node<'_, '_>, credit: bool) -> (Option<String>, Option<String>) {
    let Some(parties) = child(tx, "RltdPties") else { return (None, None) };
    let (party, account) = if credit { ("Dbtr", "DbtrAcct") } else { ("Cdtr", "CdtrAcct") };
    let name = child(parties, party).and_then(|p| text_of(p, "Nm").or_else(|| text_at(p, &["Pty", "Nm"])));
    let acct =
        child(parties, account).and_then(|a| text_at(a, &["Id", "IBAN"]).or_else(|| text_at(a, &["Id", "Othr", "Id"])));
    (name, acct)
}

/// The remittance: a structured creditor reference (`Strd/CdtrRefInf/Ref`) or the joined
/// unstructured lines (`Ustrd`).
fn remittance(tx: Node<'_, '_>) -> Option<(String, RemittanceType)> {
    let info = child(tx, "RmtInf")?;
    if let Some(reference) = children(info, "Strd").find_map(|s| text_at(s, &["CdtrRefInf", "Ref"])) {
        return Some((reference, RemittanceType::Structured));
    }
    let lines: Vec<String> = children(info, "Ustrd").filter_map(|u| u.text().map(|t| t.trim().to_owned())).collect();
    let joined = lines.join(" ");
    (!joined.trim().is_empty()).then_some((joined, RemittanceType::Unstructured))
}
