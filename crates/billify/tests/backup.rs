//! `billify backup` and `billify restore`: a backup taken while invoices are being written
//! restores to one consistent instant (every table, every document), and a damaged, truncated or
//! foreign file, or an occupied location, is refused with a message and changes nothing.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test code: a failed expectation is a failed test")]

#[macro_use]
mod harness;

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};

use actix_web::http::StatusCode;
use billify::backup::{Locations, Manifest, backup, restore};
use diesel::connection::SimpleConnection as _;
use diesel::sql_types::Text;
use diesel::{Connection as _, RunQueryDsl as _, SqliteConnection};
use harness::*;

#[derive(diesel::QueryableByName)]
struct Row {
    #[diesel(sql_type = Text)]
    row: String,
}

/// Every row of every table of the SQLite file, each written out with SQLite's `quote()`.
fn dump(db: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut conn = SqliteConnection::establish(db.to_str().unwrap()).unwrap();
    conn.batch_execute("PRAGMA busy_timeout = 10000;").unwrap();
    let tables: Vec<Row> = diesel::sql_query(
        "SELECT name AS row FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
    )
    .load(&mut conn)
    .unwrap();
    let mut dump = BTreeMap::new();
    for table in tables.into_iter().map(|t| t.row) {
        let columns: Vec<Row> = diesel::sql_query("SELECT name AS row FROM pragma_table_info(?)")
            .bind::<Text, _>(&table)
            .load(&mut conn)
            .unwrap();
        let row = columns.iter().map(|c| format!("quote(\"{}\")", c.row)).collect::<Vec<_>>().join(" || '|' || ");
        let rows: Vec<Row> =
            diesel::sql_query(format!("SELECT {row} AS row FROM \"{table}\"")).load(&mut conn).unwrap();
        let set: BTreeSet<String> = rows.into_iter().map(|r| r.row).collect();
        dump.insert(table, set);
    }
    dump
}

/// Every file under `dir`, by relative path, with its bytes.
fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                out.insert(path.strip_prefix(root).unwrap().to_owned(), std::fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

fn locations(dir: &Path) -> Locations {
    Locations {
        database: Some(dir.join("billify.db")),
        documents: dir.join("documents"),
        key_file: Some(dir.join("secret.key")),
        key_in_variable: false,
    }
}

fn harness_locations(h: &Harness) -> Locations {
    Locations {
        database: Some(h.dir.path().join("t.db")),
        documents: h.dir.path().join("documents"),
        key_file: Some(h.dir.path().join("secret.key")),
        key_in_variable: false,
    }
}

/// Tables of heads that move with every entry of their chain (updated in place).
const HEADS: [&str; 2] = ["audit_chains", "live_event_heads"];

/// Tables the database keeps from other tables in the statements that write those (sums kept by
/// triggers, the invoice search index): their rows change in place, so an instant's rows need not
/// appear before or after it. They are checked against the tables they are kept from instead.
fn derived(table: &str) -> bool {
    table.starts_with("invoices_search")
        || [
            "invoice_open_amounts",
            "invoice_open_items",
            "invoice_daily_vat",
            "bank_daily_own_transfers",
            "bank_daily_flows",
        ]
        .contains(&table)
}

const KEY_FILE: &[u8] = b"# Billify's secret key\ntest:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n";

/// The organisation's invoices numbered `LOAD-n`, by n.
fn load_numbers(rows: &BTreeSet<String>) -> BTreeSet<u32> {
    rows.iter()
        .filter_map(|r| r.split("'LOAD-").nth(1))
        .map(|rest| rest.split('\'').next().unwrap().parse().unwrap())
        .collect()
}

#[actix_web::test]
async fn a_backup_under_write_load_restores_every_table_and_document_of_one_instant() {
    let _ = env_logger::builder().is_test(true).try_init();
    let h = harness();
    let app = app!(h);
    let (_, token) = owner(&app, "anna@backup.be").await;
    let t = Some(token.as_str());
    for file in [SAMPLE_PDF, UBL_INVOICE, FACTURX_PDF] {
        let r = send(&app, "POST", "/api/v1/invoices/uploads", t, None, Body::File(file)).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    }
    for n in 0..100 {
        let r = call(&app, "POST", "/api/v1/invoices", t, Some(invoice(&format!("BEFORE-{n}")))).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    }
    let source = harness_locations(&h);
    std::fs::write(source.key_file.as_ref().unwrap(), KEY_FILE).unwrap();
    let before = dump(source.database.as_ref().unwrap());
    let source_documents = files(&source.documents);
    assert_eq!(source_documents.len(), 3);

    // The backup runs on its own thread while this one keeps inserting invoices.
    let out_dir = tempfile::tempdir().unwrap();
    let file = out_dir.path().join("billify.backup");
    let running = {
        let (source, file) = (source.clone(), file.clone());
        std::thread::spawn(move || backup(&source, &file, true))
    };
    let mut written = 0;
    while !running.is_finished() {
        let r = call(&app, "POST", "/api/v1/invoices", t, Some(invoice(&format!("LOAD-{written}")))).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        written += 1;
    }
    let report = running.join().unwrap().unwrap();
    for n in written..written + 5 {
        let r = call(&app, "POST", "/api/v1/invoices", t, Some(invoice(&format!("LOAD-{n}")))).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    }
    assert!(written > 0, "invoices were written while the backup ran");
    let after = dump(source.database.as_ref().unwrap());
    assert_eq!(report.manifest.documents.len(), 3);
    assert!(report.manifest.key.is_some());
    assert_eq!(std::fs::metadata(&file).unwrap().len(), report.bytes);

    let target = tempfile::tempdir().unwrap();
    let restored_at = locations(target.path());
    let restored = restore(&restored_at, &file).unwrap();
    assert_eq!(restored.manifest, report.manifest);
    let copy = dump(restored_at.database.as_ref().unwrap());

    assert_eq!(copy.keys().collect::<Vec<_>>(), after.keys().collect::<Vec<_>>(), "every table");
    let mut wrong = Vec::new();
    for (table, rows) in &copy {
        assert_eq!(
            rows.len() as u64,
            report.manifest.database.tables[table],
            "{table}: the manifest counts the rows restored"
        );
        // Everything written before the backup is there, and nothing that never existed.
        if derived(table) {
            continue;
        }
        if HEADS.contains(&table.as_str()) {
            // A chain's head moves with every entry: the copy has a head for each chain (checked
            // against its entries below).
            let keys = |rows: &BTreeSet<String>| -> BTreeSet<String> {
                rows.iter().map(|r| r.split('|').next().unwrap().to_owned()).collect()
            };
            assert!(keys(&before[table]).is_subset(&keys(rows)) && keys(rows).is_subset(&keys(&after[table])));
            continue;
        }
        let missing: Vec<_> = before[table].difference(rows).collect();
        if !missing.is_empty() {
            wrong.push(format!("{table}: rows written before the backup are missing: {missing:?}"));
        }
        let invented: Vec<_> = rows.difference(&after[table]).collect();
        if !invented.is_empty() {
            wrong.push(format!("{table}: rows that the source never held: {invented:?}"));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
    let mut conn = SqliteConnection::establish(restored_at.database.as_ref().unwrap().to_str().unwrap()).unwrap();
    for (table, check) in [
        (
            "audit_chains",
            "SELECT chain_id AS row FROM audit_chains c \
             WHERE c.last_seq IS NOT (SELECT MAX(seq) FROM audit_log l WHERE l.chain_id = c.chain_id)",
        ),
        (
            "live_event_heads",
            "SELECT organisation_id AS row FROM live_event_heads h \
             WHERE h.last_id IS NOT (SELECT MAX(id) FROM live_events e WHERE e.organisation_id = h.organisation_id)",
        ),
    ] {
        let off: Vec<Row> = diesel::sql_query(check).load(&mut conn).unwrap();
        assert!(off.is_empty(), "{table}: heads that are not their chain's last entry: {:?}", off.len());
        assert!(!copy[table].is_empty());
    }
    // The kept sums and the search index agree with the tables they are kept from.
    for (table, check) in [
        (
            "invoice_open_amounts",
            "SELECT a.due_date AS row FROM invoice_open_amounts a WHERE a.amount_minor IS NOT \
             (SELECT COALESCE(SUM(i.amount_minor), 0) FROM invoice_open_items i WHERE i.organisation_id = a.organisation_id \
              AND i.direction = a.direction AND i.currency = a.currency AND i.due_date = a.due_date \
              AND i.manual_urgency = a.manual_urgency) \
             OR a.items IS NOT (SELECT COUNT(*) FROM invoice_open_items i WHERE i.organisation_id = a.organisation_id \
              AND i.direction = a.direction AND i.currency = a.currency AND i.due_date = a.due_date \
              AND i.manual_urgency = a.manual_urgency)",
        ),
        (
            "invoice_daily_vat",
            "SELECT v.day AS row FROM invoice_daily_vat v WHERE v.documents IS NOT \
             (SELECT COUNT(*) FROM invoices i WHERE i.organisation_id = v.organisation_id AND i.issue_date = v.day \
              AND i.currency = v.currency) \
             OR v.on_purchases IS NOT (SELECT COALESCE(SUM(CASE WHEN i.kind = 'invoice' THEN i.vat_minor \
              ELSE 0 - i.vat_minor END), 0) FROM invoices i WHERE i.organisation_id = v.organisation_id \
              AND i.issue_date = v.day AND i.currency = v.currency AND i.direction = 'payable')",
        ),
    ] {
        let off: Vec<Row> = diesel::sql_query(check).load(&mut conn).unwrap();
        assert!(off.is_empty(), "{table}: kept sums that disagree with their rows: {:?}", off.len());
        assert!(!copy[table].is_empty(), "{table} holds the sums of the invoices written");
    }
    diesel::sql_query("INSERT INTO invoices_search (invoices_search) VALUES ('integrity-check')")
        .execute(&mut conn)
        .expect("the restored search index matches the invoices");
    let searched: Vec<Row> = diesel::sql_query(
        "SELECT CAST(COUNT(*) AS TEXT) AS row FROM invoices_search WHERE invoices_search MATCH 'invoice_number : \"LOAD-\"'",
    )
    .load(&mut conn)
    .unwrap();
    let found: usize = searched[0].row.parse().unwrap();
    assert_eq!(found, load_numbers(&copy["invoices"]).len(), "search finds every restored LOAD- invoice");

    // One instant: the invoices written under load are a prefix of the sequence, each with its
    // events, and some were written after the copy was taken.
    let numbers = load_numbers(&copy["invoices"]);
    let prefix: BTreeSet<u32> = (0..numbers.len() as u32).collect();
    assert_eq!(numbers, prefix, "the copy holds LOAD-0 .. LOAD-{} without gaps", numbers.len());
    assert!(numbers.len() < load_numbers(&after["invoices"]).len(), "the copy is older than the last writes");
    let without_events: Vec<Row> = diesel::sql_query(
        "SELECT invoice_number AS row FROM invoices i WHERE NOT EXISTS \
         (SELECT 1 FROM invoice_events e WHERE e.organisation_id = i.organisation_id AND e.invoice_id = i.id)",
    )
    .load(&mut conn)
    .unwrap();
    assert!(without_events.is_empty(), "every restored invoice has its events");

    // Every document, byte for byte, and its digest is its name.
    let restored_documents = files(&restored_at.documents);
    assert_eq!(restored_documents, source_documents);
    for (path, bytes) in &restored_documents {
        let name = path.file_name().unwrap().to_str().unwrap();
        assert_eq!(name, hex::encode(<sha2::Sha256 as sha2::Digest>::digest(bytes)));
    }
    assert_eq!(std::fs::read(restored_at.key_file.as_ref().unwrap()).unwrap(), KEY_FILE);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(restored_at.key_file.as_ref().unwrap()).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "the restored key is private");
        let mode = std::fs::metadata(&file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "the backup file is private");
    }
    // The restored database serves: it opens and migrates (nothing to do) like the server does.
    let store = billify_store_sqlite::SqliteStore::open(
        &format!("sqlite://{}", restored_at.database.as_ref().unwrap().display()),
        2,
    )
    .unwrap();
    assert_eq!(store.run_migrations().unwrap(), Vec::<String>::new());
}

/// A small backup of a harness with one document and a few invoices, without the key.
async fn small_backup(dir: &Path) -> (PathBuf, Manifest) {
    let h = harness();
    let app = app!(h);
    let (_, token) = owner(&app, "anna@small.be").await;
    let t = Some(token.as_str());
    let r = send(&app, "POST", "/api/v1/invoices/uploads", t, None, Body::File(SAMPLE_PDF)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    for n in 0..5 {
        call(&app, "POST", "/api/v1/invoices", t, Some(invoice(&format!("SMALL-{n}")))).await;
    }
    let file = dir.join("small.backup");
    let report = backup(&harness_locations(&h), &file, false).unwrap();
    assert!(report.manifest.key.is_none(), "no key unless asked");
    (file, report.manifest)
}

/// The entries of a backup file, in order.
fn entries(file: &Path) -> Vec<(String, Vec<u8>)> {
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(std::fs::File::open(file).unwrap()));
    archive
        .entries()
        .unwrap()
        .map(|e| {
            let mut e = e.unwrap();
            let path = e.path().unwrap().to_string_lossy().into_owned();
            let mut bytes = Vec::new();
            e.read_to_end(&mut bytes).unwrap();
            (path, bytes)
        })
        .collect()
}

/// Writes entries as a backup file.
fn write_entries(file: &Path, entries: &[(String, Vec<u8>)]) {
    let gz = flate2::write::GzEncoder::new(std::fs::File::create(file).unwrap(), flate2::Compression::fast());
    let mut tar = tar::Builder::new(gz);
    for (path, bytes) in entries {
        let mut header = tar::Header::new_gnu();
        header.set_size(bytes.len() as u64);
        header.set_mode(0o600);
        if path.contains("..") {
            // What a hostile archive holds; the builder itself refuses to write it.
            header.as_old_mut().name[..path.len()].copy_from_slice(path.as_bytes());
            header.set_cksum();
            tar.append(&header, bytes.as_slice()).unwrap();
        } else {
            tar.append_data(&mut header, path, bytes.as_slice()).unwrap();
        }
    }
    tar.into_inner().unwrap().finish().unwrap().flush().unwrap();
}

/// Restores `file` into a new empty directory, expecting a refusal that says `says`; checks
/// that the directory is still empty.
fn refused(file: &Path, says: &[&str]) -> String {
    let target = tempfile::tempdir().unwrap();
    let error = format!("{:#}", restore(&locations(target.path()), file).expect_err("refused"));
    assert!(says.iter().any(|s| error.contains(s)), "{error:?} says none of {says:?}");
    assert!(error.contains("nothing was restored"), "{error}");
    let left: Vec<_> = std::fs::read_dir(target.path()).unwrap().collect();
    assert!(left.is_empty(), "nothing was written: {left:?}");
    error
}

#[actix_web::test]
async fn damaged_truncated_and_foreign_files_are_refused_and_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (file, manifest) = small_backup(dir.path()).await;
    let bytes = std::fs::read(&file).unwrap();
    let original = entries(&file);
    assert_eq!(original[0].0, "billify-backup.json", "the manifest comes first");
    assert_eq!(
        original.len(),
        3,
        "manifest, database, one document: {:?}",
        original.iter().map(|e| &e.0).collect::<Vec<_>>()
    );
    assert_eq!(manifest.documents.len(), 1);
    assert_eq!(manifest.database.tables["invoices"], 5);

    // Truncated anywhere: at the half, and just before gzip's trailer.
    for len in [bytes.len() / 2, bytes.len() - 4] {
        let cut = dir.path().join(format!("cut-{len}"));
        std::fs::write(&cut, &bytes[..len]).unwrap();
        refused(&cut, &["truncated"]);
    }
    // A document changed inside an otherwise sound archive.
    let mut tampered = original.clone();
    let last = tampered[2].1.len() - 10;
    tampered[2].1[last] ^= 0xff;
    let file_tampered = dir.path().join("tampered");
    write_entries(&file_tampered, &tampered);
    refused(&file_tampered, &["damaged (documents/"]);
    // The database changed.
    let mut tampered = original.clone();
    tampered[1].1[4096] ^= 0x01;
    write_entries(&file_tampered, &tampered);
    refused(&file_tampered, &["damaged (database.sqlite3 does not match"]);
    // An entry missing.
    write_entries(&file_tampered, &original[..2]);
    refused(&file_tampered, &["missing, the first documents/"]);
    // Bytes flipped in the compressed stream. Rarely a flip leaves the stream decoding to the
    // very same bytes (a Huffman table that still describes the same codes): nothing the archive
    // holds is damaged then, so there is nothing to refuse.
    let decoded = |b: &[u8]| {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(b).read_to_end(&mut out).map(|_| out).ok()
    };
    let original_stream = decoded(&bytes).expect("the backup decodes");
    for at in [bytes.len() / 3, bytes.len() * 2 / 3] {
        let mut flipped = bytes.clone();
        flipped[at] ^= 0x55;
        if decoded(&flipped).as_ref() == Some(&original_stream) {
            continue;
        }
        let file_flipped = dir.path().join(format!("flipped-{at}"));
        std::fs::write(&file_flipped, &flipped).unwrap();
        refused(&file_flipped, &["damaged", "truncated"]);
    }
    // Foreign files.
    let foreign = dir.path().join("foreign");
    std::fs::write(&foreign, b"PK\x03\x04 a zip file, not a backup").unwrap();
    refused(&foreign, &["not a Billify backup (not a gzip-compressed tar file)"]);
    write_entries(&foreign, &[("etc/passwd".into(), b"root:x:0:0".to_vec())]);
    refused(&foreign, &["not a Billify backup (its first entry is \"etc/passwd\""]);
    write_entries(&foreign, &[("billify-backup.json".into(), br#"{"format":"something-else"}"#.to_vec())]);
    refused(&foreign, &["not a Billify backup"]);
    std::fs::write(&foreign, b"").unwrap();
    refused(&foreign, &["not a Billify backup"]);
    // A later format.
    let mut later = original.clone();
    let mut json: serde_json::Value = serde_json::from_slice(&later[0].1).unwrap();
    json["format_version"] = 2.into();
    later[0].1 = serde_json::to_vec(&json).unwrap();
    write_entries(&foreign, &later);
    refused(&foreign, &["backup format version 2 is not readable"]);
    // An entry not in the manifest (a path that would escape, say).
    let mut extra = original.clone();
    extra.push(("../../escape".into(), b"x".to_vec()));
    write_entries(&foreign, &extra);
    refused(&foreign, &["is not in its manifest"]);

    // The sound file restores.
    let target = tempfile::tempdir().unwrap();
    restore(&locations(target.path()), &file).unwrap();
}

#[actix_web::test]
async fn a_restore_never_overwrites_and_a_backup_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let (file, _) = small_backup(dir.path()).await;

    let target = tempfile::tempdir().unwrap();
    let at = locations(target.path());
    // A database in the way.
    std::fs::write(at.database.as_ref().unwrap(), b"precious").unwrap();
    let error = format!("{:#}", restore(&at, &file).unwrap_err());
    assert!(error.contains("exists: restore only into an empty location"), "{error}");
    assert_eq!(std::fs::read(at.database.as_ref().unwrap()).unwrap(), b"precious");
    assert!(!at.documents.exists(), "nothing else was written");
    std::fs::remove_file(at.database.as_ref().unwrap()).unwrap();
    // Documents in the way.
    std::fs::create_dir_all(at.documents.join("x")).unwrap();
    let error = format!("{:#}", restore(&at, &file).unwrap_err());
    assert!(error.contains("is not empty"), "{error}");
    assert!(!at.database.as_ref().unwrap().exists());
    std::fs::remove_dir_all(&at.documents).unwrap();
    // An empty document directory is fine, and a second restore is refused.
    std::fs::create_dir_all(&at.documents).unwrap();
    restore(&at, &file).unwrap();
    let first = std::fs::read(at.database.as_ref().unwrap()).unwrap();
    let error = format!("{:#}", restore(&at, &file).unwrap_err());
    assert!(error.contains("exists"), "{error}");
    assert_eq!(std::fs::read(at.database.as_ref().unwrap()).unwrap(), first);

    // A backup never replaces a file either.
    let error = format!("{:#}", backup(&at, &file, false).unwrap_err());
    assert!(error.contains("exists: a backup never overwrites"), "{error}");
    // The key only on request, and only from a file.
    let mut in_variable = at.clone();
    in_variable.key_in_variable = true;
    let error = format!("{:#}", backup(&in_variable, &dir.path().join("k.backup"), true).unwrap_err());
    assert!(error.contains("BILLIFY_SECRET_KEY"), "{error}");
    assert!(!dir.path().join("k.backup").exists());
}

/// The command line: messages on stderr, a failing exit code, and PostgreSQL said plainly.
#[test]
fn the_commands_say_what_is_wrong() {
    let dir = tempfile::tempdir().unwrap();
    let foreign = dir.path().join("notes.txt");
    std::fs::write(&foreign, b"not a backup").unwrap();
    let run = |args: &[&str], url: &str| {
        // Restores go into a document directory of their own.
        let documents = if args[0] == "restore" { "restored-documents" } else { "documents" };
        std::process::Command::new(env!("CARGO_BIN_EXE_billify"))
            .args(args)
            .env_clear()
            .env("BILLIFY_DATABASE_URL", url)
            .env("BILLIFY_DOCUMENTS_DIR", dir.path().join(documents))
            .env("BILLIFY_LOG", "info")
            .output()
            .unwrap()
    };
    let sqlite = format!("sqlite://{}", dir.path().join("restored.db").display());
    let out = run(&["restore", foreign.to_str().unwrap()], &sqlite);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(stderr.contains("not a Billify backup") && stderr.contains("nothing was restored"), "{stderr}");
    assert!(!dir.path().join("restored.db").exists());

    // On PostgreSQL, the documents and the manifest, and a plain word about the database.
    std::fs::create_dir_all(dir.path().join("documents")).unwrap();
    let store = billify_files::LocalDocumentStore::open(dir.path().join("documents")).unwrap();
    let org: billify_domain::OrganisationId = "0193a5c8-0000-7000-8000-000000000001".parse().unwrap();
    use billify_ports::documents::DocumentStore as _;
    store.put(org, &billify_ports::documents::DocumentDigest::of(SAMPLE_PDF), SAMPLE_PDF).unwrap();
    let file = dir.path().join("pg.backup");
    let out = run(&["backup", file.to_str().unwrap()], "postgres://billify@127.0.0.1:1/none");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("pg_dump"), "{stderr}");
    let entries = entries(&file);
    let names: Vec<&str> = entries.iter().map(|e| e.0.as_str()).collect();
    assert_eq!(names.len(), 2, "{names:?}");
    assert_eq!(names[0], "billify-backup.json");
    assert!(names[1].starts_with("documents/0193a5c8-0000-7000-8000-000000000001/"));
    let manifest: Manifest = serde_json::from_slice(&entries[0].1).unwrap();
    assert_eq!(manifest.database.backend, "postgresql");
    assert!(manifest.database.file.is_none());
    // It restores its documents on PostgreSQL, and is refused on SQLite.
    let out = run(&["restore", file.to_str().unwrap()], &sqlite);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(stderr.contains("made on PostgreSQL"), "{stderr}");
}
