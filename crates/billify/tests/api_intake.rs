//! The HTTP API end to end: document uploads, drafts, e-invoices and duplicates.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test code: a failed expectation is a failed test")]

#[macro_use]
mod harness;

use actix_web::http::StatusCode;
use actix_web::test;
use harness::api::*;
use harness::{FACTURX_PDF, SAMPLE_PDF, UBL_INVOICE};

const ENCRYPTED_PDF: &[u8] = include_bytes!("../../billify-pdf/tests/fixtures/encrypted.pdf");
const USER_PASSWORD_PDF: &[u8] = include_bytes!("../../billify-pdf/tests/fixtures/user_password_aes256.pdf");
const OWNER_PASSWORD_PDF: &[u8] = include_bytes!("../../billify-pdf/tests/fixtures/owner_only_aes256_objstm.pdf");
const SCANNED_PDF: &[u8] = include_bytes!("../../billify-pdf/corpus/sample/scan/de-00.pdf");
const IMAGE_ONLY_PDF: &[u8] = include_bytes!("../../billify-pdf/tests/fixtures/image_only.pdf");
const HOSTILE_OBJSTM_BOMB: &[u8] = include_bytes!("../../billify-pdf-guard/tests/fixtures/bomb_10g_objstm_double.pdf");
const HOSTILE_GLYPHS: &[u8] = include_bytes!("../../billify-pdf-guard/tests/fixtures/content_many_glyphs.pdf");
use diesel::connection::SimpleConnection as _;
use diesel::{Connection as _, SqliteConnection};
use harness::{assert_problem, call, harness, harness_with_ocr};
use serde_json::{Value, json};
use time::Duration;

#[actix_web::test]
async fn a_pdf_becomes_a_draft_then_an_invoice_with_its_document() {
    let h = harness();
    let app = app!(h);
    let token = owner(&app, "anna@cf.be").await;
    let t = Some(token.as_str());

    let r = upload(&app, &token, "../../etc/INV-SO-2023-2812.pdf", SAMPLE_PDF).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let draft = r.body.clone();
    let id = draft["id"].as_str().unwrap().to_owned();
    assert_eq!(draft["status"], "draft");
    assert_eq!(draft["method"], "pdf_text");
    assert_eq!(draft["document"]["file_name"], "INV-SO-2023-2812.pdf", "only the last path segment is kept");
    assert_eq!(draft["document"]["media_type"], "application/pdf");
    assert_eq!(
        draft["fields"],
        json!({
            "direction": "payable", "kind": "invoice", "corrects_invoice_number": null, "invoice_number": "INV-SO-2023-2812",
            "counterparty": {"name": "Bloc Group BV", "vat_number": "BE0662970353", "iban": "BE71001860922869", "bic": "GEBABEBB"},
            "issue_date": "2023-04-01", "due_date": "2023-04-10", "currency": "EUR",
            "subtotal": "315.75", "vat_amount": "66.31", "total": "382.06", "payment_reference": "INV-SO-2023-2812"
        })
    );
    assert!(draft["extraction"]["total"]["confidence"].as_u64().unwrap() > 50);

    let again = upload(&app, &token, "copy.pdf", SAMPLE_PDF).await;
    assert_eq!(again.status, StatusCode::OK, "the same file returns the existing draft");
    assert_eq!(again.body["id"], id.as_str());

    let r = call(
        &app,
        "PATCH",
        &format!("/api/v1/invoices/drafts/{id}"),
        t,
        Some(json!({"version": 1, "total": "382,06", "counterparty": {"iban": null}})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["fields"]["counterparty"]["iban"], Value::Null);
    let r = call(&app, "POST", &format!("/api/v1/invoices/drafts/{id}/confirm"), t, Some(json!({"version": 2}))).await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY, "validation");
    assert_eq!(field_errors(&r), ["fields.total"]);
    let r = call(&app, "POST", &format!("/api/v1/invoices/drafts/{id}/confirm"), t, Some(json!({"version": 1}))).await;
    assert_problem(&r, StatusCode::CONFLICT, "stale-version");
    let r = call(
        &app,
        "PATCH",
        &format!("/api/v1/invoices/drafts/{id}"),
        t,
        Some(json!({"version": 2, "total": "382.06", "counterparty": {"iban": "BE71 0018 6092 2869"}})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);

    let r = call(&app, "POST", &format!("/api/v1/invoices/drafts/{id}/confirm"), t, Some(json!({"version": 3}))).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let invoice_id = r.body["id"].as_str().unwrap().to_owned();
    assert_eq!(r.body["source"], "upload");
    assert_eq!(r.body["total"], "382.06");
    assert_eq!(r.body["status"], "overdue");
    let r = call(&app, "POST", &format!("/api/v1/invoices/drafts/{id}/confirm"), t, Some(json!({"version": 4}))).await;
    assert_problem(&r, StatusCode::CONFLICT, "draft-confirmed");

    let resp = test::call_service(
        &app,
        test::TestRequest::get()
            .uri(&format!("/api/v1/invoices/{invoice_id}/document"))
            .insert_header(("Authorization", format!("Bearer {token}")))
            .to_request(),
    )
    .await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers().get("content-type").unwrap(), "application/pdf");
    assert!(resp.headers().get("content-disposition").unwrap().to_str().unwrap().contains("INV-SO-2023-2812.pdf"));
    assert_eq!(test::read_body(resp).await.as_ref(), SAMPLE_PDF);

    let third = upload(&app, &token, "again.pdf", SAMPLE_PDF).await;
    assert_eq!(third.status, StatusCode::OK);
    assert_eq!(third.body["status"], "confirmed");
    assert_eq!(third.body["invoice_id"], invoice_id.as_str());

    let other = owner(&app, "bert@b.nl").await;
    let o = Some(other.as_str());
    assert_problem(
        &call(&app, "GET", &format!("/api/v1/invoices/drafts/{id}"), o, None).await,
        StatusCode::NOT_FOUND,
        "not-found",
    );
    assert_problem(
        &call(&app, "GET", &format!("/api/v1/invoices/{invoice_id}/document"), o, None).await,
        StatusCode::NOT_FOUND,
        "not-found",
    );
    let theirs = upload(&app, &other, "sample.pdf", SAMPLE_PDF).await;
    assert_eq!(theirs.status, StatusCode::CREATED, "another organisation gets its own draft");
    assert_ne!(theirs.body["id"], id.as_str());
}

#[actix_web::test]
async fn e_invoices_are_read_as_structured_data() {
    let h = harness();
    let app = app!(h);
    let token = owner(&app, "anna@demo.be").await;
    let r = upload(&app, &token, "invoice.xml", UBL_INVOICE).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["method"], "einvoice_ubl");
    assert_eq!(r.body["document"]["media_type"], "application/xml");
    assert_eq!(r.body["fields"]["invoice_number"], "INV-2026-0042");
    assert_eq!(r.body["fields"]["counterparty"]["name"], "Acme Consulting BV");
    assert_eq!(r.body["extraction"]["invoice_number"]["confidence"], 100);
    let r = upload(&app, &token, "facturx.pdf", FACTURX_PDF).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["method"], "einvoice_cii", "the embedded XML wins over the PDF text");
}

#[actix_web::test]
async fn hostile_uploads_are_too_complex_and_the_server_stays_up() {
    let h = harness();
    let app = app!(h);
    let token = owner(&app, "anna@demo.be").await;
    for (name, bytes) in [("bomb.pdf", HOSTILE_OBJSTM_BOMB), ("glyphs.pdf", HOSTILE_GLYPHS)] {
        let r = upload(&app, &token, name, bytes).await;
        assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY, "document-too-complex");
    }
    // The next upload is read as usual.
    let r = upload(&app, &token, "sample.pdf", SAMPLE_PDF).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
}

#[actix_web::test]
async fn bad_uploads_get_clear_problems() {
    let h = harness();
    let app = app!(h);
    let token = owner(&app, "anna@demo.be").await;
    assert_problem(
        &upload(&app, &token, "empty.pdf", b"").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "unreadable-document",
    );
    assert_problem(
        &upload(&app, &token, "cat.pdf", b"GIF89a....").await,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported-media-type",
    );
    let huge = vec![b'%'; 2 * 1024 * 1024];
    assert_problem(&upload(&app, &token, "huge.pdf", &huge).await, StatusCode::PAYLOAD_TOO_LARGE, "payload-too-large");
    let r = upload(&app, &token, "locked.pdf", ENCRYPTED_PDF).await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY, "password-protected-document");
    assert!(r.body["detail"].as_str().unwrap().contains("password"), "{}", r.body);
    let r = upload(&app, &token, "locked.pdf", USER_PASSWORD_PDF).await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY, "password-protected-document");
    let r = upload(&app, &token, "scan.pdf", IMAGE_ONLY_PDF).await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY, "unreadable-document");
    let truncated = &SAMPLE_PDF[..SAMPLE_PDF.len() / 3];
    assert_eq!(
        upload(&app, &token, "cut.pdf", truncated).await.status.as_u16() / 100,
        4,
        "a truncated PDF is a client error"
    );
    let r = post_file(&app, &token, "/api/v1/invoices/uploads", "attachment", "x.pdf", SAMPLE_PDF).await;
    assert_eq!(field_errors(&r), ["file"]);
    let r = raw(
        &app,
        test::TestRequest::post()
            .uri("/api/v1/invoices/uploads")
            .insert_header(("Authorization", format!("Bearer {token}")))
            .insert_header(("content-type", "application/pdf"))
            .set_payload(SAMPLE_PDF),
    )
    .await;
    assert_problem(&r, StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type");
}

#[actix_web::test]
async fn a_pdf_with_only_an_owner_password_is_read() {
    let h = harness();
    let app = app!(h);
    let token = owner(&app, "owen@demo.be").await;
    // `qpdf --encrypt "" owner-secret 256 --modify=none --extract=n` of fr_labels_above.pdf.
    let r = upload(&app, &token, "protected.pdf", OWNER_PASSWORD_PDF).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["method"], "pdf_text");
    assert_eq!(r.body["fields"]["invoice_number"], "FAC-2024-118");
    assert_eq!(r.body["fields"]["total"], "1493.82");
    assert_eq!(r.body["fields"]["counterparty"]["name"], "Atelier Lumière SRL");
}

/// A scan (no text layer) uploaded through the API, with OCR set up as the server sets it up:
/// the draft is read by OCR (`pdf_ocr`), with lower confidences. `.ci/run` installs Tesseract
/// and pdftoppm; without them the test says so and checks the draft that says OCR is off.
#[actix_web::test]
async fn a_scan_is_read_by_ocr_through_the_api() {
    let h = harness_with_ocr();
    let app = app!(h);
    let token = owner(&app, "oscar@demo.be").await;
    let r = upload(&app, &token, "scan.pdf", SCANNED_PDF).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["method"], "pdf_ocr", "{}", r.body);
    let rules: Vec<&str> =
        r.body["extraction"]["rule_violations"].as_array().unwrap().iter().filter_map(|v| v["rule"].as_str()).collect();
    if !matches!(billify_pdf::OcrSetting::detect(), billify_pdf::OcrSetting::On(_)) {
        eprintln!("skipped: tesseract or pdftoppm is not installed (Debian: tesseract-ocr, poppler-utils)");
        assert!(rules.contains(&"ocr-unavailable"), "{}", r.body);
        return;
    }
    assert!(!rules.contains(&"ocr-unavailable"), "{}", r.body);
    // The ground truth of billify-pdf/corpus/sample/scan/de-00.pdf (its manifest.json).
    let fields = &r.body["fields"];
    assert_eq!(fields["direction"], "payable");
    assert_eq!(fields["invoice_number"], "D70978837", "{}", r.body);
    assert_eq!(fields["issue_date"], "2024-02-12");
    assert_eq!(fields["currency"], "EUR");
    assert_eq!(fields["subtotal"], "1453.27");
    assert_eq!(fields["total"], "1729.39");
    assert_eq!(fields["counterparty"]["vat_number"], "DE115148858");
    let confidence = r.body["extraction"]["total"]["confidence"].as_u64().unwrap();
    assert!(confidence > 0 && confidence < 95, "OCR fields carry lower confidences: {confidence}");
    assert_eq!(r.body["document"]["media_type"], "application/pdf");
}

#[actix_web::test]
async fn duplicates_are_flagged_and_unconfirmed_drafts_expire() {
    let h = harness();
    let app = app!(h);
    let token = owner(&app, "anna@cf.be").await;
    let t = Some(token.as_str());
    let manual = json!({
        "direction": "payable", "invoice_number": "INV-SO-2023-2812",
        "counterparty": {"name": "Bloc Group BV", "vat_number": "BE0662970353"},
        "issue_date": "2023-04-01", "due_date": "2023-04-10", "total": "382.06"
    });
    let existing = call(&app, "POST", "/api/v1/invoices", t, Some(manual)).await;
    let r = upload(&app, &token, "sample.pdf", SAMPLE_PDF).await;
    assert_eq!(r.body["suspected_duplicates"], json!([existing.body["id"]]));
    let id = r.body["id"].as_str().unwrap().to_owned();
    let r = call(&app, "POST", &format!("/api/v1/invoices/drafts/{id}/confirm"), t, Some(json!({"version": 1}))).await;
    assert_problem(&r, StatusCode::CONFLICT, "duplicate-invoice");
    assert_eq!(call(&app, "GET", &format!("/api/v1/invoices/drafts/{id}"), t, None).await.body["status"], "draft");

    let documents = h.dir.path().join("documents");
    let files = || walk(&documents);
    assert_eq!(files(), 1);
    *h.clock.0.lock().unwrap() += Duration::hours(23);
    assert_eq!(h.state.intake.purge_expired_drafts().unwrap(), 0);
    *h.clock.0.lock().unwrap() += Duration::hours(2);
    assert_eq!(h.state.intake.purge_expired_drafts().unwrap(), 1);
    let token = login(&app, "anna@cf.be").await;
    let t = Some(token.as_str());
    assert_problem(
        &call(&app, "GET", &format!("/api/v1/invoices/drafts/{id}"), t, None).await,
        StatusCode::NOT_FOUND,
        "not-found",
    );
    assert_eq!(files(), 0, "the document of an expired draft is removed");

    let r = upload(&app, &token, "sample.pdf", SAMPLE_PDF).await;
    assert_eq!(r.status, StatusCode::CREATED);
    let id = r.body["id"].as_str().unwrap().to_owned();
    assert_eq!(
        call(&app, "DELETE", &format!("/api/v1/invoices/drafts/{id}"), t, None).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(files(), 0, "a discarded draft's document is removed");
}

#[actix_web::test]
async fn xml_that_is_not_an_e_invoice_is_refused_naming_the_problem() {
    let h = harness();
    let app = app!(h);
    let token = owner(&app, "anna@demo.be").await;
    let order: &[u8] = include_bytes!("../../billify-einvoice/tests/fixtures/unknown-root-ubl-order.xml");
    let r = upload(&app, &token, "order.xml", order).await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY, "unreadable-document");
    assert!(r.body["detail"].as_str().unwrap().contains("Order"), "{}", r.body);
    let broken: &[u8] = include_bytes!("../../billify-einvoice/tests/fixtures/malformed-unclosed.xml");
    assert_problem(
        &upload(&app, &token, "broken.xml", broken).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "unreadable-document",
    );
    let entity: &[u8] = include_bytes!("../../billify-einvoice/tests/fixtures/doctype-external-entity.xml");
    assert_problem(
        &upload(&app, &token, "xxe.xml", entity).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "unreadable-document",
    );
    let arithmetic: &[u8] = include_bytes!("../../billify-einvoice/tests/fixtures/ubl-broken-arithmetic.xml");
    let r = upload(&app, &token, "bad-sums.xml", arithmetic).await;
    assert_eq!(r.status, StatusCode::CREATED, "a document that breaks the rules is still a draft");
    let rules: Vec<&str> = r.body["extraction"]["rule_violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["rule"].as_str().unwrap())
        .collect();
    assert!(rules.iter().any(|r| r.starts_with("BR-CO-")), "{rules:?}");
}

/// Every file under `dir`.
fn files_under(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(files_under(&path));
        } else {
            out.push(path);
        }
    }
    out.sort();
    out
}

/// Uploading the same bytes again writes a file that went missing; the collection of stray files
/// removes files no draft refers to and abandoned temporary files, and never a draft's file.
#[actix_web::test]
async fn a_reupload_repairs_a_missing_file_and_stray_files_are_collected() {
    let h = harness();
    let app = app!(h);
    let token = owner(&app, "anna@repair.be").await;
    let documents = h.dir.path().join("documents");
    let r = upload(&app, &token, "invoice.xml", UBL_INVOICE).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.body["id"].as_str().unwrap().to_owned();
    let stored = files_under(&documents);
    assert_eq!(stored.len(), 1, "{stored:?}");
    std::fs::remove_file(&stored[0]).unwrap();

    let again = upload(&app, &token, "invoice.xml", UBL_INVOICE).await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
    assert_eq!(again.body["id"], id.as_str(), "the same draft");
    assert_eq!(files_under(&documents), stored, "the file is back");
    let confirmed =
        call(&app, "POST", &format!("/api/v1/invoices/drafts/{id}/confirm"), Some(&token), Some(json!({"version": 1})))
            .await;
    assert_eq!(confirmed.status, StatusCode::CREATED, "{}", confirmed.body);
    let document = test::TestRequest::get()
        .uri(&format!("/api/v1/invoices/{}/document", confirmed.body["id"].as_str().unwrap()))
        .insert_header(("authorization", format!("Bearer {token}")));
    assert_eq!(test::call_service(&app, document.to_request()).await.status(), StatusCode::OK);

    // What a crash leaves: a file written for a draft that never committed, and a half-written
    // temporary file of a process that is gone.
    let shard = stored[0].parent().unwrap();
    let stray = shard.parent().unwrap().join("00").join("0".repeat(64));
    std::fs::create_dir_all(stray.parent().unwrap()).unwrap();
    std::fs::write(&stray, b"no draft refers to this").unwrap();
    let temporary = shard.join(format!(".{}.{}.tmp", "1".repeat(64), u32::MAX));
    std::fs::write(&temporary, b"half").unwrap();
    assert_eq!(
        h.state.intake.collect_stray_documents(std::time::Duration::from_secs(600)).unwrap(),
        1,
        "young files are spared"
    );
    assert!(stray.exists() && !temporary.exists());
    assert_eq!(h.state.intake.collect_stray_documents(std::time::Duration::ZERO).unwrap(), 1);
    assert_eq!(files_under(&documents), stored, "only the invoice's file is left");
}

#[actix_web::test]
async fn confirmed_uploads_tell_how_well_documents_were_read() {
    let h = harness();
    let app = app!(h);
    let token = owner(&app, "anna@cf.be").await;
    let t = Some(token.as_str());
    let accuracy = |query: &'static str| {
        let app = &app;
        async move { call(app, "GET", &format!("/api/v1/invoices/reading-accuracy{query}"), t, None).await }
    };
    let r = accuracy("").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!((r.body["days"].as_u64(), r.body["drafts"].as_u64()), (Some(90), Some(0)));
    assert_eq!(r.body["overall"]["percent_kept"], Value::Null, "nothing counted yet");

    let draft = upload(&app, &token, "sample.pdf", SAMPLE_PDF).await.body;
    let id = draft["id"].as_str().unwrap().to_owned();
    assert_eq!(draft["extraction"]["proposed"]["counterparty_name"], "Bloc Group BV", "the proposal is kept");
    let r = call(
        &app,
        "PATCH",
        &format!("/api/v1/invoices/drafts/{id}"),
        t,
        Some(json!({"version": 1, "counterparty": {"name": "Bloc Group", "bic": null, "iban": "be71 0018 6092 2869"}})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = call(&app, "POST", &format!("/api/v1/invoices/drafts/{id}/confirm"), t, Some(json!({"version": 2}))).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    // A draft awaiting review is not counted.
    let waiting = upload(&app, &token, "scan.pdf", FACTURX_PDF).await;
    assert_eq!(waiting.status, StatusCode::CREATED, "{}", waiting.body);

    let r = accuracy("?days=30").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let body = &r.body;
    assert_eq!(
        (body["days"].as_u64(), body["drafts"].as_u64(), body["unchanged"].as_u64()),
        (Some(30), Some(1), Some(0))
    );
    let field = |name: &str| body["fields"].as_array().unwrap().iter().find(|f| f["field"] == name).unwrap().clone();
    assert_eq!(field("counterparty_name")["corrected"], 1);
    assert_eq!(field("counterparty_bic")["removed"], 1);
    assert_eq!(field("counterparty_iban")["kept"], 1, "spacing and case are no correction");
    assert_eq!(field("total")["kept"], 1);
    assert_eq!(body["overall"]["kept"], 12);
    assert_eq!(body["overall"]["percent_kept"], "85.7", "12 of 14 fields");
    assert_eq!(
        body["methods"],
        json!([{"method": "pdf_text", "drafts": 1, "kept": 12, "corrected": 1, "added": 0, "removed": 1, "percent_kept": "85.7"}])
    );

    for bad in ["?days=0", "?days=3651", "?days=soon"] {
        assert_problem(&accuracy(bad).await, StatusCode::UNPROCESSABLE_ENTITY, "validation");
    }
    assert_problem(&accuracy("?since=2026-01-01").await, StatusCode::UNPROCESSABLE_ENTITY, "validation");
    let other = owner(&app, "bert@b.nl").await;
    let r = call(&app, "GET", "/api/v1/invoices/reading-accuracy", Some(other.as_str()), None).await;
    assert_eq!(r.body["drafts"], 0, "another organisation's confirmations are not theirs");

    // Another organisation confirms the same document unchanged. The operator's report
    // (`billify reading-accuracy`) counts both, as counts only.
    let theirs = upload(&app, &other, "sample.pdf", SAMPLE_PDF).await.body;
    let path = format!("/api/v1/invoices/drafts/{}/confirm", theirs["id"].as_str().unwrap());
    let r = call(&app, "POST", &path, Some(other.as_str()), Some(json!({"version": 1}))).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let all = billify_web::reading_accuracy_json(&h.state.intake.reading_accuracy_of_all(30).unwrap());
    assert_eq!((all["drafts"].as_u64(), all["unchanged"].as_u64()), (Some(2), Some(1)));
    assert_eq!(all["overall"]["kept"], 12 + 14);
    assert_eq!(all["methods"][0]["drafts"], 2);
    let theirs_only = call(&app, "GET", "/api/v1/invoices/reading-accuracy", Some(other.as_str()), None).await.body;
    assert_eq!(theirs_only["overall"]["percent_kept"], "100.0");

    // Drafts confirmed before readings were stored have none; the periodic job measures them
    // from the proposal kept in their extraction, once.
    let mut conn = SqliteConnection::establish(h.dir.path().join("t.db").to_str().unwrap()).unwrap();
    conn.batch_execute("PRAGMA busy_timeout = 10000; UPDATE invoice_drafts SET reading = NULL;").unwrap();
    assert_eq!(accuracy("?days=30").await.body["drafts"], 0, "not measured yet");
    assert_eq!(h.state.intake.measure_confirmed_drafts().unwrap(), 2);
    assert_eq!(h.state.intake.measure_confirmed_drafts().unwrap(), 0, "measured once");
    assert_eq!(accuracy("?days=30").await.body, *body, "the same report as when measured on confirming");
}
