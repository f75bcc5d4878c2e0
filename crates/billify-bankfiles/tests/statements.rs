//! Statement files read from committed fixtures (see `fixtures/`), good and malformed.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test code")]

use billify_bankfiles::{BankFileError, parse_camt053, parse_coda, parse_statement_file};
use billify_domain::RemittanceType;

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)).unwrap()
}

#[test]
fn camt053_v02_reads_balances_entries_batches_and_references() {
    let statements = parse_camt053(&fixture("camt053-v02.xml")).unwrap();
    assert_eq!(statements.len(), 1);
    let s = &statements[0];
    assert_eq!(s.statement_id, "STMT-2024-012");
    assert_eq!(s.account.iban().unwrap().as_str(), "BE68539007547034");
    assert_eq!(s.account.provider_id().as_str(), "BE68539007547034");
    assert_eq!(s.account.current_balance().to_plain_string(), "2980.35");
    assert_eq!(s.account.available_balance().unwrap().to_plain_string(), "2900.00");
    assert_eq!(s.opening_balance.as_ref().unwrap().to_plain_string(), "1520.45");
    assert_eq!(s.account.holder_name(), Some("Billify BV"));
    assert_eq!(s.account.institution_name(), Some("Belfius Bank"));
    assert!(s.account.synchronized_at().is_some());

    // Three booked entries, the batch split in two; the pending one is skipped.
    let t = &s.transactions;
    assert_eq!(t.len(), 4);
    assert_eq!(t[0].amount().to_plain_string(), "1210.00");
    assert_eq!(t[0].counterparty_name(), Some("Acme NV"));
    assert_eq!(t[0].counterparty_iban().unwrap().as_str(), "BE71096123456769");
    assert_eq!(t[0].remittance_type(), RemittanceType::Structured);
    assert_eq!(t[0].structured_reference().unwrap().formatted(), "+++202/4000/12363+++");
    assert_eq!(t[0].bank_transaction_code(), Some("PMNT-RCDT-ESCT"));
    assert_eq!(t[0].provider_id().as_str(), "camt:BE68539007547034:2024030400017");

    assert_eq!(t[1].amount().to_plain_string(), "-0.10");
    assert_eq!(t[1].counterparty_name(), Some("Belfius Bank"));
    assert_eq!(t[1].counterparty_iban(), None);
    assert_eq!(t[1].remittance_information(), Some("Bank costs March ref +++123/4567/89002+++"));
    assert_eq!(t[1].structured_reference().unwrap().digits(), "123456789002");
    assert_eq!(t[1].execution_date().to_string(), "2024-03-05");
    assert_eq!(t[1].bank_transaction_code(), Some("01370000"));

    assert_eq!(t[2].amount().to_plain_string(), "100.00");
    assert_eq!(t[2].structured_reference().unwrap().digits(), "000000065472");
    assert_eq!(t[3].amount().to_plain_string(), "150.00");
    assert_eq!(t[3].counterparty_name(), Some("Luminus"));
    assert_eq!(t[3].provider_id().as_str(), "camt:BE68539007547034:2024030500099:2");
}

#[test]
fn camt053_v08_reads_the_newer_layout() {
    let s = &parse_camt053(&fixture("camt053-v08.xml")).unwrap()[0];
    assert_eq!(s.account.current_balance().to_plain_string(), "-5.00");
    assert_eq!(s.account.iban().unwrap().country(), "NL");
    let t = &s.transactions[0];
    assert_eq!(t.amount().to_plain_string(), "-12.50");
    assert_eq!(t.counterparty_name(), Some("Q8 Belgium"));
    assert_eq!(t.counterparty_iban().unwrap().as_str(), "BE71096123456769");
    assert!(t.provider_id().as_str().starts_with("camt:NL91ABNA0417164300:2024-013:1:"));
}

#[test]
fn importing_the_same_file_twice_gives_the_same_ids() {
    for (name, parse) in [
        ("camt053-v02.xml", parse_camt053 as fn(&[u8]) -> _),
        ("camt053-v08.xml", parse_camt053),
        ("statement.cod", parse_coda),
    ] {
        let ids = |bytes: &[u8]| -> Vec<String> {
            parse(bytes).unwrap().iter().flat_map(|s| &s.transactions).map(|t| t.provider_id().to_string()).collect()
        };
        let first = ids(&fixture(name));
        assert_eq!(first, ids(&fixture(name)), "{name}");
        let unique: std::collections::HashSet<_> = first.iter().collect();
        assert_eq!(unique.len(), first.len(), "{name}: ids are unique");
    }
}

#[test]
fn malformed_camt_names_the_element() {
    let cases = [
        ("camt053-missing-indicator.xml", "Document/BkToCstmrStmt/Stmt[1]/Ntry[2]", "CdtDbtInd"),
        ("camt053-bad-amount.xml", "Document/BkToCstmrStmt/Stmt[1]/Ntry[1]/Amt", "12,10"),
        ("camt053-truncated.xml", "Document", "well-formed"),
    ];
    for (name, path, needle) in cases {
        match parse_camt053(&fixture(name)) {
            Err(BankFileError::Camt { path: p, message }) => {
                assert_eq!(p, path, "{name}: {message}");
                assert!(message.contains(needle), "{name}: {message}");
            }
            other => panic!("{name}: {other:?}"),
        }
    }
    let not_camt =
        br#"<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"><CstmrCdtTrfInitn/></Document>"#;
    assert!(matches!(parse_camt053(not_camt), Err(BankFileError::Camt { .. })));
    let dtd = br#"<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa">]><Document/>"#;
    assert!(matches!(parse_camt053(dtd), Err(BankFileError::Camt { .. })));
}

#[test]
fn coda_reads_movements_communications_and_balances() {
    let statements = parse_coda(&fixture("statement.cod")).unwrap();
    assert_eq!(statements.len(), 1);
    let s = &statements[0];
    assert_eq!(s.statement_id, "2024-012");
    assert_eq!(s.account.iban().unwrap().as_str(), "BE68539007547034");
    assert_eq!(s.account.holder_name(), Some("Billify BV"));
    assert_eq!(s.account.description(), Some("Zichtrekening"));
    assert_eq!(s.opening_balance.as_ref().unwrap().to_plain_string(), "1520.45");
    assert_eq!(s.account.current_balance().to_plain_string(), "2730.35");
    let t = &s.transactions;
    assert_eq!(t.len(), 2);
    assert_eq!(t[0].provider_id().as_str(), "coda:BE68539007547034:2024-012:0001");
    assert_eq!(t[0].amount().to_plain_string(), "1210.00");
    assert_eq!(t[0].remittance_type(), RemittanceType::Structured);
    assert_eq!(t[0].structured_reference().unwrap().formatted(), "+++202/4000/12363+++");
    assert_eq!(t[0].counterparty_name(), Some("Acme NV"));
    assert_eq!(t[0].counterparty_iban().unwrap().as_str(), "BE71096123456769");
    assert_eq!(t[0].execution_date().to_string(), "2024-03-04");
    assert_eq!(t[0].bank_transaction_code(), Some("00150000"));
    assert_eq!(t[1].amount().to_plain_string(), "-0.10");
    assert_eq!(t[1].remittance_information(), Some("Bank costs for March, invoice INV-2024-17"));
    assert_eq!(t[1].counterparty_iban(), None);
    assert_eq!(t[1].structured_reference(), None);
    assert_eq!(parse_statement_file(&fixture("statement.cod")).unwrap(), statements);
    assert_eq!(parse_statement_file(&fixture("camt053-v02.xml")).unwrap().len(), 1);
}

#[test]
fn malformed_coda_names_the_line() {
    let cases = [
        ("bad-amount.cod", 7, "digits"),
        ("too-long.cod", 3, "128 characters"),
        ("wrong-balance.cod", 10, "new balance"),
        ("no-trailer.cod", 10, "trailer"),
    ];
    for (name, line, needle) in cases {
        match parse_coda(&fixture(name)) {
            Err(BankFileError::Coda { line: l, message }) => {
                assert_eq!(l, line, "{name}: {message}");
                assert!(message.contains(needle), "{name}: {message}");
            }
            other => panic!("{name}: {other:?}"),
        }
    }
    assert!(matches!(parse_coda(b""), Err(BankFileError::Coda { line: 1, .. })));
    assert!(matches!(parse_coda(b"1garbage"), Err(BankFileError::Coda { line: 1, .. })));
}

#[test]
fn two_statements_in_one_coda_file() {
    let one = String::from_utf8(fixture("statement.cod")).unwrap();
    let two = format!("{one}{one}");
    let statements = parse_coda(two.as_bytes()).unwrap();
    assert_eq!(statements.len(), 2);
    assert_eq!(statements[0], statements[1]);
}

#[test]
fn one_statement_in_coda_and_camt_form_carries_the_same_bank_references() {
    let coda = &parse_coda(&fixture("statement.cod")).unwrap()[0];
    let camt = &parse_camt053(&fixture("statement-as-camt053.xml")).unwrap()[0];
    assert_eq!(coda.account.provider_id(), camt.account.provider_id(), "one account, whatever the format");
    let key = |s: &billify_bankfiles::Statement| {
        s.transactions
            .iter()
            .map(|t| {
                (
                    t.bank_reference().map(str::to_owned),
                    t.execution_date(),
                    t.amount().to_plain_string(),
                    t.structured_reference().map(|r| r.formatted()),
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(key(coda), key(camt));
    assert_eq!(coda.transactions[0].bank_reference(), Some("EBNKA0AUA0001"));
    assert_ne!(coda.transactions[0].provider_id(), camt.transactions[0].provider_id(), "the formats' ids differ");
}

#[test]
fn an_account_given_as_an_invalid_iban_is_refused() {
    let camt = String::from_utf8(fixture("camt053-v02.xml")).unwrap();
    let bad = camt.replacen("<Id><IBAN>BE68539007547034</IBAN></Id>", "<Id><IBAN>BE00000000000000</IBAN></Id>", 1);
    assert_ne!(bad, camt);
    match parse_camt053(bad.as_bytes()) {
        Err(BankFileError::Camt { path, message }) => {
            assert_eq!(path, "Document/BkToCstmrStmt/Stmt[1]/Acct/Id/IBAN", "{message}");
            assert!(message.contains("IBAN"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    // CODA account structure 2: a Belgian account as IBAN.
    let coda = String::from_utf8(fixture("statement.cod")).unwrap();
    let bad = coda.replacen("12012BE68539007547034", "12012BE00000000000000", 1);
    assert_ne!(bad, coda);
    match parse_coda(bad.as_bytes()) {
        Err(BankFileError::Coda { line, message }) => {
            assert_eq!(line, 2, "{message}");
            assert!(message.contains("IBAN"), "{message}");
        }
        other => panic!("{other:?}"),
    }
}
