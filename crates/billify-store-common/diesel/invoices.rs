//! Invoices and their event history: the [`InvoiceRepository`].

use billify_domain::cashflow::allocate_credit;
use billify_domain::reconcile::{number_key, reference_key};
use billify_domain::{Currency, Invoice, InvoiceEvent, InvoiceId, Money, OrganisationId};
use billify_ports::audit::NewAuditEntry;
use billify_ports::{
    Cursor, CursorKey, InvoicePage, InvoiceQuery, InvoiceRepository, RepositoryError, SortField, StoredInvoiceEvent,
};
use billify_store_common::columns::{self, InvoiceColumns};
use diesel::prelude::*;
use diesel::result::Error as DieselError;
use time::Date;
use uuid::Uuid;

use super::Store;
use super::audit::append_in;
use super::dialect::{self, Db, DbId, DbTime};
use super::literal::Code;
use super::schema::{invoice_events, invoices};
use super::{db_err, invoice_id, map_err, org_id};

diesel::define_sql_function!(fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text);

#[derive(Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(
    table_name = invoices,
    check_for_backend(Db),
    primary_key(organisation_id, id),
    treat_none_as_null = true,
    treat_none_as_default_value = false
)]
pub(crate) struct InvoiceRow {
    organisation_id: DbId,
    pub(super) id: DbId,
    direction: String,
    invoice_number: String,
    counterparty_key: String,
    counterparty_name: String,
    counterparty_vat: Option<String>,
    counterparty_iban: Option<String>,
    counterparty_bic: Option<String>,
    issue_date: Date,
    due_date: Date,
    currency: String,
    subtotal_minor: Option<i64>,
    vat_minor: Option<i64>,
    total_minor: i64,
    paid_minor: i64,
    status: String,
    manual_urgency: Option<String>,
    payment_reference: Option<String>,
    source: String,
    external_reference: Option<String>,
    created_at: DbTime,
    updated_at: DbTime,
    version: i64,
    kind: String,
    corrects_invoice_id: Option<DbId>,
    /// Reconciliation's look-up keys (`billify_domain::reconcile`); `''` when there is none.
    number_key: Option<String>,
    reference_key: Option<String>,
}

impl InvoiceRow {
    pub(super) fn from_invoice(invoice: &Invoice) -> Result<Self, RepositoryError> {
        let c = InvoiceColumns::from_invoice(invoice)?;
        Ok(InvoiceRow {
            organisation_id: dialect::id_to_db(c.organisation_id),
            id: dialect::id_to_db(c.id),
            direction: c.direction,
            invoice_number: c.invoice_number,
            counterparty_key: c.counterparty_key,
            counterparty_name: c.counterparty_name,
            counterparty_vat: c.counterparty_vat,
            counterparty_iban: c.counterparty_iban,
            counterparty_bic: c.counterparty_bic,
            issue_date: c.issue_date,
            due_date: c.due_date,
            currency: c.currency,
            subtotal_minor: c.subtotal_minor,
            vat_minor: c.vat_minor,
            total_minor: c.total_minor,
            paid_minor: c.paid_minor,
            status: c.status,
            manual_urgency: c.manual_urgency,
            payment_reference: c.payment_reference,
            source: c.source,
            external_reference: c.external_reference,
            created_at: dialect::time_to_db(c.created_at),
            updated_at: dialect::time_to_db(c.updated_at),
            version: c.version,
            kind: c.kind,
            corrects_invoice_id: c.corrects_invoice_id.map(dialect::id_to_db),
            number_key: Some(number_key(invoice.invoice_number().as_str()).unwrap_or_default()),
            reference_key: Some(invoice.payment_reference().and_then(reference_key).unwrap_or_default()),
        })
    }

    pub(super) fn into_domain(self) -> Result<Invoice, RepositoryError> {
        InvoiceColumns {
            organisation_id: dialect::id_from_db(&self.organisation_id)?,
            id: dialect::id_from_db(&self.id)?,
            direction: self.direction,
            kind: self.kind,
            corrects_invoice_id: self.corrects_invoice_id.as_ref().map(dialect::id_from_db).transpose()?,
            invoice_number: self.invoice_number,
            counterparty_key: self.counterparty_key,
            counterparty_name: self.counterparty_name,
            counterparty_vat: self.counterparty_vat,
            counterparty_iban: self.counterparty_iban,
            counterparty_bic: self.counterparty_bic,
            issue_date: self.issue_date,
            due_date: self.due_date,
            currency: self.currency,
            subtotal_minor: self.subtotal_minor,
            vat_minor: self.vat_minor,
            total_minor: self.total_minor,
            paid_minor: self.paid_minor,
            status: self.status,
            manual_urgency: self.manual_urgency,
            payment_reference: self.payment_reference,
            source: self.source,
            external_reference: self.external_reference,
            created_at: dialect::time_from_db(&self.created_at)?,
            updated_at: dialect::time_from_db(&self.updated_at)?,
            version: self.version,
        }
        .into_invoice()
    }
}

/// Fills in the look-up keys of invoices stored before the keys existed (migration 000028), a
/// thousand at a time; returns how many. Runs right after the migrations.
pub(crate) fn backfill_lookup_keys(conn: &mut dialect::Conn) -> Result<usize, DieselError> {
    let mut done = 0;
    loop {
        let rows: Vec<(DbId, DbId, String, Option<String>)> = invoices::table
            .filter(invoices::number_key.is_null().or(invoices::reference_key.is_null()))
            .select((invoices::organisation_id, invoices::id, invoices::invoice_number, invoices::payment_reference))
            .limit(1000)
            .load(conn)?;
        if rows.is_empty() {
            return Ok(done);
        }
        done += rows.len();
        dialect::write_transaction(conn, |conn| {
            for (org, id, number, reference) in &rows {
                let reference = reference
                    .as_deref()
                    .and_then(|r| billify_domain::PaymentReference::parse(r).ok())
                    .and_then(|r| reference_key(&r));
                diesel::update(invoices::table.filter(invoices::organisation_id.eq(org)).filter(invoices::id.eq(id)))
                    .set((
                        invoices::number_key.eq(Some(number_key(number).unwrap_or_default())),
                        invoices::reference_key.eq(Some(reference.unwrap_or_default())),
                    ))
                    .execute(conn)?;
            }
            Ok(())
        })?;
    }
}

/// A document's amounts as credit settlement needs them.
type CreditColumns = (DbId, Option<DbId>, String, String, String, i64, i64, Date);

/// The invoices of these rows, each with what credit notes settle of it
/// ([`Invoice::with_credit_settled`]): an invoice absorbs the unsettled amounts of the credit
/// notes that correct it (same direction and currency, oldest first) up to what it still asks,
/// and a credit note keeps only what its invoice did not absorb. Two queries whatever the number
/// of rows: the invoices involved and their credit notes.
pub(super) fn settled(
    conn: &mut dialect::Conn,
    org: &DbId,
    rows: Vec<InvoiceRow>,
) -> Result<Vec<Invoice>, RepositoryError> {
    use std::collections::HashMap;
    let mut roots: Vec<DbId> = Vec::new();
    for row in &rows {
        match (&row.corrects_invoice_id, row.kind.as_str()) {
            (Some(corrected), "credit_note") => roots.push(corrected.clone()),
            (_, "invoice") => roots.push(row.id.clone()),
            _ => {}
        }
    }
    roots.sort();
    roots.dedup();
    let invoices = rows.into_iter().map(InvoiceRow::into_domain).collect::<Result<Vec<_>, _>>()?;
    if roots.is_empty() {
        return Ok(invoices);
    }
    let columns = (
        invoices::id,
        invoices::corrects_invoice_id,
        invoices::kind,
        invoices::direction,
        invoices::currency,
        invoices::total_minor,
        invoices::paid_minor,
        invoices::issue_date,
    );
    let mut notes: Vec<CreditColumns> = Vec::new();
    let mut heads: HashMap<DbId, CreditColumns> = HashMap::new();
    for chunk in roots.chunks(500) {
        notes.extend(
            invoices::table
                .filter(invoices::organisation_id.eq(org))
                .filter(invoices::corrects_invoice_id.eq_any(chunk))
                .filter(invoices::kind.eq(Code("credit_note")))
                .filter(invoices::status.ne(Code("paid")))
                .select(columns)
                .load::<CreditColumns>(conn)
                .map_err(db_err)?,
        );
    }
    if notes.is_empty() {
        return Ok(invoices);
    }
    let mut wanted: Vec<DbId> = notes.iter().filter_map(|n| n.1.clone()).collect();
    wanted.sort();
    wanted.dedup();
    for chunk in wanted.chunks(500) {
        for head in invoices::table
            .filter(invoices::organisation_id.eq(org))
            .filter(invoices::id.eq_any(chunk))
            .filter(invoices::kind.eq(Code("invoice")))
            .select(columns)
            .load::<CreditColumns>(conn)
            .map_err(db_err)?
        {
            heads.insert(head.0.clone(), head);
        }
    }
    notes.sort_by(|a, b| (a.7, &a.0).cmp(&(b.7, &b.0)));
    let money = |minor: i64, code: &str| -> Result<Money, RepositoryError> {
        let currency = Currency::parse(code).map_err(|e| RepositoryError::Corrupt(format!("currency: {e}")))?;
        Money::from_minor_units(minor, currency).map_err(|e| RepositoryError::Corrupt(format!("amount: {e}")))
    };
    let mut credit: HashMap<DbId, Money> = HashMap::new();
    for (id, head) in &heads {
        let linked: Vec<&CreditColumns> =
            notes.iter().filter(|n| n.1.as_ref() == Some(id) && n.3 == head.3 && n.4 == head.4).collect();
        let amounts = linked.iter().map(|n| money(n.5 - n.6, &n.4)).collect::<Result<Vec<_>, _>>()?;
        let (applied, parts) = allocate_credit(&money(head.5 - head.6, &head.4)?, &amounts)
            .map_err(|e| RepositoryError::Corrupt(format!("credit: {e}")))?;
        credit.insert(id.clone(), applied);
        for (note, part) in linked.into_iter().zip(parts) {
            credit.insert(note.0.clone(), part);
        }
    }
    Ok(invoices
        .into_iter()
        .map(|invoice| match credit.get(&invoice_id(invoice.id())) {
            Some(amount) => {
                let amount = amount.clone();
                invoice.with_credit_settled(amount)
            }
            None => invoice,
        })
        .collect())
}

/// Whether an unpaid credit note corrects the row's invoice, as a column of the invoice query:
/// `EXISTS` over the partial index `invoices_by_corrected`. A read whose rows have none (nor are
/// credit notes) needs none of [`settled`]'s queries. One fixed SQL text, so a statement that
/// selects it stays in Diesel's prepared-statement cache.
#[derive(Debug, Clone, Copy, diesel::query_builder::QueryId)]
pub(super) struct HasOpenCreditNotes;

impl diesel::expression::Expression for HasOpenCreditNotes {
    type SqlType = diesel::sql_types::Bool;
}

impl diesel::query_builder::QueryFragment<Db> for HasOpenCreditNotes {
    fn walk_ast<'b>(&'b self, mut out: diesel::query_builder::AstPass<'_, 'b, Db>) -> QueryResult<()> {
        out.push_sql(
            "EXISTS (SELECT 1 FROM invoices credit_notes \
             WHERE credit_notes.organisation_id = invoices.organisation_id \
             AND credit_notes.corrects_invoice_id = invoices.id \
             AND credit_notes.kind = 'credit_note' AND credit_notes.status <> 'paid')",
        );
        Ok(())
    }
}

impl diesel::expression::AppearsOnTable<invoices::table> for HasOpenCreditNotes {}

impl diesel::expression::SelectableExpression<invoices::table> for HasOpenCreditNotes {}

impl diesel::expression::ValidGrouping<()> for HasOpenCreditNotes {
    type IsAggregate = diesel::expression::is_aggregate::Never;
}

/// A page's order and size: `ORDER BY column, id LIMIT n` with the size written into the SQL
/// text. Diesel's `limit` sends the size as a parameter, and PostgreSQL costs a generic plan
/// with an unknown `LIMIT` as if it read a tenth of the table, so it planned every list request
/// anew (about half of its time under load went to planning); with the size in the text the
/// prepared statement's generic plan is chosen after its first executions. A page has few sizes
/// (the default, the client's `limit`), so each is its own cached statement.
#[derive(Debug, Clone, Copy)]
struct OrderedPage {
    column: &'static str,
    descending: bool,
    limit: i64,
}

impl diesel::expression::Expression for OrderedPage {
    type SqlType = diesel::sql_types::Bool;
}

impl diesel::query_builder::QueryFragment<Db> for OrderedPage {
    fn walk_ast<'b>(&'b self, mut out: diesel::query_builder::AstPass<'_, 'b, Db>) -> QueryResult<()> {
        let direction = if self.descending { "DESC" } else { "ASC" };
        out.push_sql(&format!(
            "\"invoices\".\"{}\" {direction}, \"invoices\".\"id\" {direction} LIMIT {}",
            self.column, self.limit
        ));
        Ok(())
    }
}

impl diesel::expression::AppearsOnTable<invoices::table> for OrderedPage {}

impl diesel::expression::ValidGrouping<()> for OrderedPage {
    type IsAggregate = diesel::expression::is_aggregate::Never;
}

/// [`settled`] for rows read with [`HasOpenCreditNotes`]: no statement at all when no row is a
/// credit note or has an open one (the common case).
pub(super) fn settled_flagged(
    conn: &mut dialect::Conn,
    org: &DbId,
    rows: Vec<(InvoiceRow, bool)>,
) -> Result<Vec<Invoice>, RepositoryError> {
    let needs_credit = rows.iter().any(|(row, has_notes)| *has_notes || row.kind == "credit_note");
    if needs_credit {
        settled(conn, org, rows.into_iter().map(|(row, _)| row).collect())
    } else {
        rows.into_iter().map(|(row, _)| row.into_domain()).collect()
    }
}

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = invoice_events, check_for_backend(Db), treat_none_as_default_value = false)]
pub(crate) struct InvoiceEventRow {
    organisation_id: DbId,
    id: DbId,
    invoice_id: DbId,
    code: String,
    details: String,
    occurred_at: DbTime,
}

fn event_rows(events: &[InvoiceEvent]) -> Vec<InvoiceEventRow> {
    events
        .iter()
        .map(|e| InvoiceEventRow {
            organisation_id: org_id(e.organisation_id),
            id: dialect::id_to_db(Uuid::now_v7()),
            invoice_id: invoice_id(e.invoice_id),
            code: e.kind.code().to_owned(),
            details: columns::event_details(e),
            occurred_at: dialect::time_to_db(e.occurred_at),
        })
        .collect()
}

pub(super) fn insert_events(conn: &mut dialect::Conn, events: &[InvoiceEvent]) -> Result<(), DieselError> {
    if events.is_empty() {
        return Ok(());
    }
    diesel::insert_into(invoice_events::table).values(&event_rows(events)).execute(conn)?;
    Ok(())
}

pub(super) const DUPLICATE_INVOICE: &str = "an invoice with this number from this counterparty already exists";

/// After a conditional write touched no row: NotFound if the invoice is gone, else StaleVersion.
fn missing_or_stale(conn: &mut dialect::Conn, org: &DbId, id: &DbId) -> Result<RepositoryError, DieselError> {
    let current = invoices::table
        .filter(invoices::organisation_id.eq(org))
        .filter(invoices::id.eq(id))
        .select(invoices::version)
        .first::<i64>(conn)
        .optional()?;
    Ok(match current {
        None => RepositoryError::NotFound,
        Some(current) => RepositoryError::StaleVersion { current },
    })
}

/// A write that either succeeds or reports a domain outcome (not found, stale) without rolling
/// back as a database error would.
pub(super) enum WriteOutcome {
    Done,
    Refused(RepositoryError),
}

type InvoiceFilter = Box<dyn BoxableExpression<invoices::table, Db, SqlType = diesel::sql_types::Bool>>;

fn urgency_filter(query: &InvoiceQuery) -> Option<InvoiceFilter> {
    let level = query.urgency?;
    let (lo, hi) = level.day_range();
    let mut computed: InvoiceFilter = Box::new(invoices::manual_urgency.is_null());
    if let Some(lo) = lo {
        let from = query.today.saturating_add(time::Duration::days(lo));
        computed = Box::new(computed.and(invoices::due_date.ge(from)));
    }
    if let Some(hi) = hi {
        let to = query.today.saturating_add(time::Duration::days(hi));
        computed = Box::new(computed.and(invoices::due_date.le(to)));
    }
    let manual =
        invoices::manual_urgency.is_not_null().and(invoices::manual_urgency.assume_not_null().eq(level.code()));
    Some(Box::new(invoices::status.ne(Code("paid")).and(manual.or(computed))))
}

fn keyset_filter(cursor: &Cursor) -> Result<InvoiceFilter, RepositoryError> {
    let id = invoice_id(cursor.id);
    let desc = cursor.sort.descending;
    macro_rules! after {
        ($column:expr, $value:expr) => {{
            let value = $value;
            if desc {
                Box::new($column.lt(value.clone()).or($column.eq(value).and(invoices::id.lt(id)))) as InvoiceFilter
            } else {
                Box::new($column.gt(value.clone()).or($column.eq(value).and(invoices::id.gt(id)))) as InvoiceFilter
            }
        }};
    }
    let mismatch = || RepositoryError::Other("cursor does not match the sort order".into());
    Ok(match (cursor.sort.field, &cursor.key) {
        (SortField::DueDate, CursorKey::Date(d)) => after!(invoices::due_date, *d),
        (SortField::IssueDate, CursorKey::Date(d)) => after!(invoices::issue_date, *d),
        (SortField::Total, CursorKey::Minor(m)) => after!(invoices::total_minor, *m),
        (SortField::CreatedAt, CursorKey::Timestamp(t)) => after!(invoices::created_at, dialect::time_to_db(*t)),
        (SortField::InvoiceNumber, CursorKey::Text(s)) => after!(invoices::invoice_number, s.clone()),
        _ => return Err(mismatch()),
    })
}

/// A search text as an FTS5 phrase: its characters literal.
fn search_phrase(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

/// How many matches of a search make walking the sort's index and probing them cheaper than
/// reading and sorting every match (SQLite's search index; see `INVOICE_SEARCH_WALK_SQL`): at
/// 500 of 100,000 invoices a page of 10 walks about 2,000 index entries.
const COMMON_SEARCH: i64 = 500;

/// The invoice list's statement for these statuses (all when empty), with every other filter of
/// `query`, its cursor, its order and a page of `limit` rows; `common_search` when the search
/// text is one many invoices contain.
fn list_query<'a>(
    organisation: OrganisationId,
    query: &'a InvoiceQuery,
    statuses: &[&'a str],
    limit: u32,
    common_search: bool,
) -> Result<invoices::BoxedQuery<'a, Db>, RepositoryError> {
    let mut q = invoices::table.filter(invoices::organisation_id.eq(org_id(organisation))).into_boxed();
    match statuses {
        [] => {}
        [one] => q = q.filter(invoices::status.eq(*one)),
        many => q = q.filter(invoices::status.eq_any(many.to_vec())),
    }
    if let Some(direction) = query.direction {
        q = q.filter(invoices::direction.eq(direction.code()));
    }
    if let Some(filter) = urgency_filter(query) {
        q = q.filter(filter);
    }
    if let Some(from) = query.due_from {
        q = q.filter(invoices::due_date.ge(from));
    }
    if let Some(to) = query.due_to {
        q = q.filter(invoices::due_date.le(to));
    }
    if let Some(text) = query.text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        let search = if common_search { dialect::INVOICE_SEARCH_WALK_SQL } else { dialect::INVOICE_SEARCH_SQL };
        if let Some(sql) = search.filter(|_| text.chars().count() >= 3) {
            // A trigram index answers texts of three characters or more, as a phrase (its
            // characters literal, case folded like `lower`).
            let phrase = search_phrase(text);
            q = q.filter(
                diesel::dsl::sql::<diesel::sql_types::Bool>(sql).bind::<diesel::sql_types::Text, _>(phrase).sql(")"),
            );
        } else {
            let pattern = columns::contains_pattern(text);
            q = q.filter(
                lower(invoices::invoice_number).like(pattern.clone()).escape('\\').or(lower(
                    invoices::counterparty_name,
                )
                .like(pattern)
                .escape('\\')),
            );
        }
    }
    if let Some(cursor) = &query.after {
        q = q.filter(keyset_filter(cursor)?);
    }
    let column = match query.sort.field {
        SortField::DueDate => "due_date",
        SortField::IssueDate => "issue_date",
        SortField::Total => "total_minor",
        SortField::CreatedAt => "created_at",
        SortField::InvoiceNumber => "invoice_number",
    };
    q = q.order(OrderedPage { column, descending: query.sort.descending, limit: i64::from(limit) });
    Ok(q)
}

impl Store {
    /// Stores a new invoice with its events and, when given, its audit entry, in one transaction.
    fn write_insert(
        &self,
        invoice: &Invoice,
        events: &[InvoiceEvent],
        audit: Option<&NewAuditEntry>,
    ) -> Result<(), RepositoryError> {
        let row = InvoiceRow::from_invoice(invoice)?;
        let mut conn = self.write_conn()?;
        dialect::write_transaction(&mut conn, |conn| {
            diesel::insert_into(invoices::table).values(&row).execute(conn)?;
            insert_events(conn, events)?;
            if let Some(entry) = audit {
                append_in(conn, entry)?;
            }
            Ok(())
        })
        .map_err(|e| map_err(e, DUPLICATE_INVOICE))
    }

    /// Stores a changed invoice with its events and, when given, its audit entry, in one
    /// transaction.
    fn write_update(
        &self,
        invoice: &Invoice,
        events: &[InvoiceEvent],
        audit: Option<&NewAuditEntry>,
    ) -> Result<(), RepositoryError> {
        let row = InvoiceRow::from_invoice(invoice)?;
        let previous = invoice.version() - 1;
        let mut conn = self.write_conn()?;
        let outcome = dialect::write_transaction(&mut conn, |conn| {
            let n = diesel::update(
                invoices::table
                    .filter(invoices::organisation_id.eq(&row.organisation_id))
                    .filter(invoices::id.eq(&row.id))
                    .filter(invoices::version.eq(previous)),
            )
            .set(&row)
            .execute(conn)?;
            if n == 0 {
                return Ok(WriteOutcome::Refused(missing_or_stale(conn, &row.organisation_id, &row.id)?));
            }
            insert_events(conn, events)?;
            if let Some(entry) = audit {
                append_in(conn, entry)?;
            }
            Ok(WriteOutcome::Done)
        })
        .map_err(|e| map_err(e, DUPLICATE_INVOICE))?;
        match outcome {
            WriteOutcome::Done => Ok(()),
            WriteOutcome::Refused(e) => Err(e),
        }
    }

    /// Deletes an invoice, storing its events and, when given, its audit entry, in one
    /// transaction.
    fn write_delete(
        &self,
        organisation: OrganisationId,
        id: InvoiceId,
        expected_version: Option<i64>,
        events: &[InvoiceEvent],
        audit: Option<&NewAuditEntry>,
    ) -> Result<(), RepositoryError> {
        let (org, id) = (org_id(organisation), invoice_id(id));
        let mut conn = self.write_conn()?;
        let outcome = dialect::write_transaction(&mut conn, |conn| {
            let target = invoices::table.filter(invoices::organisation_id.eq(&org)).filter(invoices::id.eq(&id));
            let n = match expected_version {
                Some(v) => diesel::delete(target.filter(invoices::version.eq(v))).execute(conn)?,
                None => diesel::delete(target).execute(conn)?,
            };
            if n == 0 {
                return Ok(WriteOutcome::Refused(missing_or_stale(conn, &org, &id)?));
            }
            insert_events(conn, events)?;
            if let Some(entry) = audit {
                append_in(conn, entry)?;
            }
            Ok(WriteOutcome::Done)
        })
        .map_err(db_err)?;
        match outcome {
            WriteOutcome::Done => Ok(()),
            WriteOutcome::Refused(e) => Err(e),
        }
    }
}

impl InvoiceRepository for Store {
    fn insert(&self, invoice: &Invoice, events: &[InvoiceEvent]) -> Result<(), RepositoryError> {
        self.write_insert(invoice, events, None)
    }

    fn insert_many(&self, batch: &[(Invoice, Vec<InvoiceEvent>)]) -> Result<(), RepositoryError> {
        // Rows per statement: 500 invoices of about 30 columns stay under both backends' limits
        // on bound parameters (65,535 on PostgreSQL, 32,766 on SQLite).
        const ROWS: usize = 500;
        let rows = batch.iter().map(|(invoice, _)| InvoiceRow::from_invoice(invoice)).collect::<Result<Vec<_>, _>>()?;
        let events: Vec<InvoiceEvent> = batch.iter().flat_map(|(_, events)| events.iter().cloned()).collect();
        let mut conn = self.write_conn()?;
        dialect::write_transaction(&mut conn, |conn| {
            for chunk in rows.chunks(ROWS) {
                diesel::insert_into(invoices::table).values(chunk).execute(conn)?;
            }
            for chunk in events.chunks(ROWS * 2) {
                insert_events(conn, chunk)?;
            }
            Ok(())
        })
        .map_err(|e| map_err(e, DUPLICATE_INVOICE))
    }

    fn insert_bulk(
        &self,
        organisation: OrganisationId,
        batches: &mut dyn Iterator<Item = Result<Vec<(Invoice, Vec<InvoiceEvent>)>, RepositoryError>>,
    ) -> Result<usize, RepositoryError> {
        let org = org_id(organisation);
        let mut conn = self.write_conn()?;
        // A batch that cannot be read or built rolls the whole load back; its reason is kept here.
        let failure = std::cell::RefCell::new(None);
        let fail = |e: RepositoryError| {
            *failure.borrow_mut() = Some(e);
            DieselError::RollbackTransaction
        };
        dialect::write_transaction(&mut conn, |conn| {
            // The insert triggers of the kept sums (and SQLite's search index) skip this load's
            // rows; `end_bulk_load` brings them up to date for the invoices written here.
            dialect::begin_bulk_load(conn, &org)?;
            let mut written: Vec<DbId> = Vec::new();
            let mut corrected: Vec<DbId> = Vec::new();
            for batch in batches {
                let batch = batch.map_err(fail)?;
                let mut rows = Vec::with_capacity(batch.len());
                let mut events = Vec::with_capacity(batch.len());
                for (invoice, invoice_events) in &batch {
                    if invoice.organisation_id() != organisation {
                        return Err(fail(RepositoryError::Other(
                            "a bulk load holds another organisation's invoice".into(),
                        )));
                    }
                    let row = InvoiceRow::from_invoice(invoice).map_err(fail)?;
                    written.push(row.id.clone());
                    corrected.extend(row.corrects_invoice_id.clone());
                    rows.push(row);
                    events.extend(event_rows(invoice_events));
                }
                dialect::insert_invoice_rows(conn, &rows)?;
                dialect::insert_invoice_event_rows(conn, &events)?;
            }
            dialect::end_bulk_load(conn, &org, &written, &corrected)?;
            Ok(written.len())
        })
        .map_err(|e| failure.take().unwrap_or_else(|| map_err(e, DUPLICATE_INVOICE)))
    }

    fn refresh_statistics(&self) -> Result<(), RepositoryError> {
        use diesel::connection::SimpleConnection as _;
        self.write_conn()?.batch_execute(dialect::ANALYZE_AFTER_BULK).map_err(db_err)
    }

    fn insert_audited(
        &self,
        invoice: &Invoice,
        events: &[InvoiceEvent],
        audit: &NewAuditEntry,
    ) -> Result<(), RepositoryError> {
        self.write_insert(invoice, events, Some(audit))
    }

    fn update_audited(
        &self,
        invoice: &Invoice,
        events: &[InvoiceEvent],
        audit: &NewAuditEntry,
    ) -> Result<(), RepositoryError> {
        self.write_update(invoice, events, Some(audit))
    }

    fn delete_audited(
        &self,
        organisation: OrganisationId,
        id: InvoiceId,
        expected_version: Option<i64>,
        events: &[InvoiceEvent],
        audit: &NewAuditEntry,
    ) -> Result<(), RepositoryError> {
        self.write_delete(organisation, id, expected_version, events, Some(audit))
    }

    fn get(&self, organisation: OrganisationId, id: InvoiceId) -> Result<Option<Invoice>, RepositoryError> {
        let org = org_id(organisation);
        let mut conn = self.conn()?;
        let row = invoices::table
            .filter(invoices::organisation_id.eq(&org))
            .filter(invoices::id.eq(invoice_id(id)))
            .select((InvoiceRow::as_select(), HasOpenCreditNotes))
            .first::<(InvoiceRow, bool)>(&mut conn)
            .optional()
            .map_err(db_err)?;
        Ok(settled_flagged(&mut conn, &org, row.into_iter().collect())?.pop())
    }

    fn list(&self, organisation: OrganisationId, query: &InvoiceQuery) -> Result<InvoicePage, RepositoryError> {
        let limit = query.limit.clamp(1, InvoiceQuery::MAX_LIMIT);
        if let Some(cursor) = &query.after
            && cursor.sort != query.sort
        {
            return Err(RepositoryError::Other("cursor does not match the sort order".into()));
        }
        let codes: Vec<&str> = query.statuses.iter().map(|s| s.code()).collect();
        let mut conn = self.conn()?;
        let common_search = match query.text.as_deref().map(str::trim) {
            Some(text) if dialect::INVOICE_SEARCH_WALK_SQL.is_some() && text.chars().count() >= 3 => {
                dialect::invoice_search_is_common(&mut conn, &search_phrase(text), COMMON_SEARCH).map_err(db_err)?
            }
            _ => false,
        };
        let fetch = |conn: &mut dialect::Conn, statuses: &[&str]| -> Result<Vec<(InvoiceRow, bool)>, RepositoryError> {
            list_query(organisation, query, statuses, limit + 1, common_search)?
                .select((InvoiceRow::as_select(), HasOpenCreditNotes))
                .load::<(InvoiceRow, bool)>(conn)
                .map_err(db_err)
        };
        let rows = if codes.len() > 1 && query.sort.field == SortField::DueDate {
            // `status IN (..)` cannot walk `invoices_by_status_due` in due-date order: each status
            // walks its own part of the index and stops after a page, and the pages are merged.
            let mut rows = Vec::new();
            for code in &codes {
                rows.extend(fetch(&mut conn, std::slice::from_ref(code))?);
            }
            rows.sort_by(|(a, _), (b, _)| (a.due_date, &a.id).cmp(&(b.due_date, &b.id)));
            if query.sort.descending {
                rows.reverse();
            }
            rows.truncate(limit as usize + 1);
            rows
        } else {
            fetch(&mut conn, &codes)?
        };
        let has_more = rows.len() > limit as usize;
        let items = settled_flagged(&mut conn, &org_id(organisation), rows.into_iter().take(limit as usize).collect())?;
        let next = match items.last() {
            Some(last) if has_more => Some(Cursor::after(last, query.sort)?),
            _ => None,
        };
        Ok(InvoicePage { items, next })
    }

    fn update(&self, invoice: &Invoice, events: &[InvoiceEvent]) -> Result<(), RepositoryError> {
        self.write_update(invoice, events, None)
    }

    fn delete(
        &self,
        organisation: OrganisationId,
        id: InvoiceId,
        expected_version: Option<i64>,
        events: &[InvoiceEvent],
    ) -> Result<(), RepositoryError> {
        self.write_delete(organisation, id, expected_version, events, None)
    }

    fn pending_past_due(
        &self,
        organisation: OrganisationId,
        today: Date,
        limit: u32,
    ) -> Result<Vec<Invoice>, RepositoryError> {
        let org = org_id(organisation);
        let mut conn = self.conn()?;
        let rows = invoices::table
            .filter(invoices::organisation_id.eq(&org))
            .filter(invoices::status.eq(Code("pending")))
            .filter(invoices::due_date.lt(today))
            .order((invoices::due_date.asc(), invoices::id.asc()))
            .limit(i64::from(limit))
            .select(InvoiceRow::as_select())
            .load(&mut conn)
            .map_err(db_err)?;
        settled(&mut conn, &org, rows)
    }

    fn events(&self, organisation: OrganisationId, id: InvoiceId) -> Result<Vec<StoredInvoiceEvent>, RepositoryError> {
        invoice_events::table
            .filter(invoice_events::organisation_id.eq(org_id(organisation)))
            .filter(invoice_events::invoice_id.eq(invoice_id(id)))
            .order((invoice_events::occurred_at.asc(), invoice_events::id.asc()))
            .select(InvoiceEventRow::as_select())
            .load(&mut self.conn()?)
            .map_err(db_err)?
            .into_iter()
            .map(|r| {
                Ok(StoredInvoiceEvent {
                    invoice_id: InvoiceId::from_uuid(dialect::id_from_db(&r.invoice_id)?),
                    code: r.code,
                    details: r.details,
                    occurred_at: dialect::time_from_db(&r.occurred_at)?,
                })
            })
            .collect()
    }
}
