//! Uploaded documents and the invoice drafts read from them: the [`DraftRepository`].

use billify_domain::{Invoice, InvoiceEvent, InvoiceId, OrganisationId, UserId};
use billify_ports::RepositoryError;
use billify_ports::documents::{
    DocumentDigest, DocumentRecord, DocumentStoreError, Draft, DraftId, DraftRepository, ReadingCount,
};
use billify_ports::intake::ExtractionMethod;
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};

use super::Store;
use super::dialect::{self, Db, DbId, DbTime};
use super::invoices::{DUPLICATE_INVOICE, InvoiceRow, WriteOutcome, insert_events};
use super::schema::{documents, invoice_documents, invoice_drafts, invoices};
use super::{db_err, invoice_id, map_err, org_id, user_id};

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = documents, check_for_backend(Db))]
struct DocumentRow {
    organisation_id: DbId,
    digest: String,
    size: i64,
    media_type: String,
    file_name: String,
    created_at: DbTime,
}

impl DocumentRow {
    fn into_domain(self) -> Result<DocumentRecord, RepositoryError> {
        Ok(DocumentRecord {
            organisation_id: OrganisationId::from_uuid(dialect::id_from_db(&self.organisation_id)?),
            digest: DocumentDigest::parse(&self.digest)
                .ok_or_else(|| RepositoryError::Corrupt(format!("bad document digest {:?}", self.digest)))?,
            size: u64::try_from(self.size).map_err(|_| RepositoryError::Corrupt("negative document size".into()))?,
            media_type: self.media_type,
            file_name: self.file_name,
            created_at: dialect::time_from_db(&self.created_at)?,
        })
    }
}

#[derive(Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(
    table_name = invoice_drafts,
    check_for_backend(Db),
    primary_key(organisation_id, id),
    treat_none_as_null = true,
    treat_none_as_default_value = false
)]
struct DraftRow {
    organisation_id: DbId,
    id: DbId,
    created_by: DbId,
    digest: String,
    method: String,
    direction: Option<String>,
    invoice_number: Option<String>,
    counterparty_name: Option<String>,
    counterparty_vat_number: Option<String>,
    counterparty_iban: Option<String>,
    counterparty_bic: Option<String>,
    issue_date: Option<String>,
    due_date: Option<String>,
    currency: Option<String>,
    subtotal: Option<String>,
    vat_amount: Option<String>,
    total: Option<String>,
    payment_reference: Option<String>,
    extraction: String,
    invoice_id: Option<DbId>,
    created_at: DbTime,
    expires_at: DbTime,
    version: i64,
    kind: Option<String>,
    corrects_invoice_number: Option<String>,
    reading: Option<String>,
}

fn method_code(m: ExtractionMethod) -> &'static str {
    m.code()
}

fn method_from(code: &str) -> Result<ExtractionMethod, RepositoryError> {
    [ExtractionMethod::EinvoiceUbl, ExtractionMethod::EinvoiceCii, ExtractionMethod::PdfText, ExtractionMethod::PdfOcr]
        .into_iter()
        .find(|m| m.code() == code)
        .ok_or_else(|| RepositoryError::Corrupt(format!("unknown extraction method {code:?}")))
}

impl DraftRow {
    fn from_domain(d: &Draft) -> Self {
        let f = &d.fields;
        DraftRow {
            organisation_id: org_id(d.organisation_id),
            id: dialect::id_to_db(d.id.0),
            created_by: user_id(d.created_by),
            digest: d.digest.as_str().to_owned(),
            method: method_code(d.method).to_owned(),
            direction: f.direction.clone(),
            invoice_number: f.invoice_number.clone(),
            counterparty_name: f.counterparty_name.clone(),
            counterparty_vat_number: f.counterparty_vat_number.clone(),
            counterparty_iban: f.counterparty_iban.clone(),
            counterparty_bic: f.counterparty_bic.clone(),
            issue_date: f.issue_date.clone(),
            due_date: f.due_date.clone(),
            currency: f.currency.clone(),
            subtotal: f.subtotal.clone(),
            vat_amount: f.vat_amount.clone(),
            total: f.total.clone(),
            payment_reference: f.payment_reference.clone(),
            extraction: d.extraction.clone(),
            invoice_id: d.invoice_id.map(invoice_id),
            created_at: dialect::time_to_db(d.created_at),
            expires_at: dialect::time_to_db(d.expires_at),
            version: d.version,
            kind: f.kind.clone(),
            corrects_invoice_number: f.corrects_invoice_number.clone(),
            reading: d.reading.clone(),
        }
    }

    fn into_domain(self) -> Result<Draft, RepositoryError> {
        Ok(Draft {
            id: DraftId(dialect::id_from_db(&self.id)?),
            organisation_id: OrganisationId::from_uuid(dialect::id_from_db(&self.organisation_id)?),
            created_by: UserId::from_uuid(dialect::id_from_db(&self.created_by)?),
            digest: DocumentDigest::parse(&self.digest)
                .ok_or_else(|| RepositoryError::Corrupt(format!("bad document digest {:?}", self.digest)))?,
            method: method_from(&self.method)?,
            fields: billify_ports::InvoiceInput {
                direction: self.direction,
                invoice_number: self.invoice_number,
                counterparty_name: self.counterparty_name,
                counterparty_vat_number: self.counterparty_vat_number,
                counterparty_iban: self.counterparty_iban,
                counterparty_bic: self.counterparty_bic,
                issue_date: self.issue_date,
                due_date: self.due_date,
                currency: self.currency,
                subtotal: self.subtotal,
                vat_amount: self.vat_amount,
                total: self.total,
                payment_reference: self.payment_reference,
                kind: self.kind,
                corrects_invoice_number: self.corrects_invoice_number,
                // A draft holds what a document carries; these are not stored with it.
                amount_paid: None,
                manual_urgency: None,
                external_reference: None,
            },
            extraction: self.extraction,
            invoice_id: self.invoice_id.as_ref().map(dialect::id_from_db).transpose()?.map(InvoiceId::from_uuid),
            created_at: dialect::time_from_db(&self.created_at)?,
            expires_at: dialect::time_from_db(&self.expires_at)?,
            version: self.version,
            reading: self.reading,
        })
    }
}

/// After a conditional draft write touched no row: NotFound or StaleVersion.
fn draft_missing_or_stale(conn: &mut dialect::Conn, org: &DbId, id: &DbId) -> Result<RepositoryError, DieselError> {
    let current = invoice_drafts::table
        .filter(invoice_drafts::organisation_id.eq(org))
        .filter(invoice_drafts::id.eq(id))
        .select(invoice_drafts::version)
        .first::<i64>(conn)
        .optional()?;
    Ok(match current {
        None => RepositoryError::NotFound,
        Some(current) => RepositoryError::StaleVersion { current },
    })
}

fn write_draft(conn: &mut dialect::Conn, row: &DraftRow, previous: i64) -> Result<WriteOutcome, DieselError> {
    let n = diesel::update(
        invoice_drafts::table
            .filter(invoice_drafts::organisation_id.eq(&row.organisation_id))
            .filter(invoice_drafts::id.eq(&row.id))
            .filter(invoice_drafts::version.eq(previous)),
    )
    .set(row)
    .execute(conn)?;
    if n == 0 {
        return Ok(WriteOutcome::Refused(draft_missing_or_stale(conn, &row.organisation_id, &row.id)?));
    }
    Ok(WriteOutcome::Done)
}

impl DraftRepository for Store {
    fn create_draft(&self, document: &DocumentRecord, draft: &Draft) -> Result<(), RepositoryError> {
        let doc = DocumentRow {
            organisation_id: org_id(document.organisation_id),
            digest: document.digest.as_str().to_owned(),
            size: i64::try_from(document.size).map_err(|_| RepositoryError::Other("document too large".into()))?,
            media_type: document.media_type.clone(),
            file_name: document.file_name.clone(),
            created_at: dialect::time_to_db(document.created_at),
        };
        let row = DraftRow::from_domain(draft);
        let mut conn = self.write_conn()?;
        dialect::write_transaction(&mut conn, |conn| {
            diesel::insert_into(documents::table).values(&doc).on_conflict_do_nothing().execute(conn)?;
            diesel::insert_into(invoice_drafts::table).values(&row).execute(conn)?;
            Ok(())
        })
        .map_err(|e| map_err(e, "this document already has a draft"))
    }

    fn draft(&self, organisation: OrganisationId, id: DraftId) -> Result<Option<Draft>, RepositoryError> {
        invoice_drafts::table
            .filter(invoice_drafts::organisation_id.eq(org_id(organisation)))
            .filter(invoice_drafts::id.eq(dialect::id_to_db(id.0)))
            .select(DraftRow::as_select())
            .first(&mut self.conn()?)
            .optional()
            .map_err(db_err)?
            .map(DraftRow::into_domain)
            .transpose()
    }

    fn draft_of_document(
        &self,
        organisation: OrganisationId,
        digest: &DocumentDigest,
    ) -> Result<Option<Draft>, RepositoryError> {
        invoice_drafts::table
            .filter(invoice_drafts::organisation_id.eq(org_id(organisation)))
            .filter(invoice_drafts::digest.eq(digest.as_str()))
            .select(DraftRow::as_select())
            .first(&mut self.conn()?)
            .optional()
            .map_err(db_err)?
            .map(DraftRow::into_domain)
            .transpose()
    }

    fn update_draft(&self, draft: &Draft) -> Result<(), RepositoryError> {
        let row = DraftRow::from_domain(draft);
        let mut conn = self.write_conn()?;
        match dialect::write_transaction(&mut conn, |conn| write_draft(conn, &row, draft.version - 1))
            .map_err(db_err)?
        {
            WriteOutcome::Done => Ok(()),
            WriteOutcome::Refused(e) => Err(e),
        }
    }

    fn confirm_draft(
        &self,
        draft: &Draft,
        invoice: &Invoice,
        events: &[InvoiceEvent],
        audit: &billify_ports::audit::NewAuditEntry,
    ) -> Result<(), RepositoryError> {
        let row = DraftRow::from_domain(draft);
        let invoice_row = InvoiceRow::from_invoice(invoice)?;
        let mut conn = self.write_conn()?;
        let outcome = dialect::write_transaction(&mut conn, |conn| {
            if let WriteOutcome::Refused(e) = write_draft(conn, &row, draft.version - 1)? {
                return Ok(WriteOutcome::Refused(e));
            }
            diesel::insert_into(invoices::table).values(&invoice_row).execute(conn)?;
            insert_events(conn, events)?;
            diesel::insert_into(invoice_documents::table)
                .values((
                    invoice_documents::organisation_id.eq(&row.organisation_id),
                    invoice_documents::invoice_id.eq(&invoice_row.id),
                    invoice_documents::digest.eq(&row.digest),
                ))
                .execute(conn)?;
            super::audit::append_in(conn, audit)?;
            Ok(WriteOutcome::Done)
        })
        .map_err(|e| map_err(e, DUPLICATE_INVOICE))?;
        match outcome {
            WriteOutcome::Done => Ok(()),
            WriteOutcome::Refused(e) => Err(e),
        }
    }

    fn delete_draft(&self, organisation: OrganisationId, id: DraftId) -> Result<(), RepositoryError> {
        let n = diesel::delete(
            invoice_drafts::table
                .filter(invoice_drafts::organisation_id.eq(org_id(organisation)))
                .filter(invoice_drafts::id.eq(dialect::id_to_db(id.0))),
        )
        .execute(&mut *self.write_conn()?)
        .map_err(db_err)?;
        if n == 0 { Err(RepositoryError::NotFound) } else { Ok(()) }
    }

    fn expired_drafts(
        &self,
        organisation: OrganisationId,
        now: time::OffsetDateTime,
        limit: u32,
    ) -> Result<Vec<Draft>, RepositoryError> {
        invoice_drafts::table
            .filter(invoice_drafts::organisation_id.eq(org_id(organisation)))
            .filter(invoice_drafts::invoice_id.is_null())
            .filter(invoice_drafts::expires_at.lt(dialect::time_to_db(now)))
            .order(invoice_drafts::expires_at.asc())
            .limit(i64::from(limit))
            .select(DraftRow::as_select())
            .load(&mut self.conn()?)
            .map_err(db_err)?
            .into_iter()
            .map(DraftRow::into_domain)
            .collect()
    }

    fn reading_counts(
        &self,
        organisation: OrganisationId,
        since: time::OffsetDateTime,
    ) -> Result<Vec<ReadingCount>, RepositoryError> {
        let rows: Vec<(String, Option<String>, i64)> = invoice_drafts::table
            .filter(invoice_drafts::organisation_id.eq(org_id(organisation)))
            .filter(invoice_drafts::invoice_id.is_not_null())
            .filter(invoice_drafts::created_at.ge(dialect::time_to_db(since)))
            .filter(invoice_drafts::reading.is_not_null())
            .group_by((invoice_drafts::method, invoice_drafts::reading))
            .select((invoice_drafts::method, invoice_drafts::reading, diesel::dsl::count_star()))
            .load(&mut self.conn()?)
            .map_err(db_err)?;
        rows.into_iter()
            .map(|(method, reading, drafts)| {
                Ok(ReadingCount {
                    method: method_from(&method)?,
                    reading: reading.unwrap_or_default(),
                    drafts: u64::try_from(drafts).map_err(|_| RepositoryError::Corrupt("negative count".into()))?,
                })
            })
            .collect()
    }

    fn unmeasured_drafts(&self, organisation: OrganisationId, limit: u32) -> Result<Vec<Draft>, RepositoryError> {
        invoice_drafts::table
            .filter(invoice_drafts::organisation_id.eq(org_id(organisation)))
            .filter(invoice_drafts::invoice_id.is_not_null())
            .filter(invoice_drafts::reading.is_null())
            .order(invoice_drafts::id.asc())
            .limit(i64::from(limit))
            .select(DraftRow::as_select())
            .load(&mut self.conn()?)
            .map_err(db_err)?
            .into_iter()
            .map(DraftRow::into_domain)
            .collect()
    }

    fn set_draft_reading(
        &self,
        organisation: OrganisationId,
        id: DraftId,
        reading: &str,
    ) -> Result<(), RepositoryError> {
        let n = diesel::update(
            invoice_drafts::table
                .filter(invoice_drafts::organisation_id.eq(org_id(organisation)))
                .filter(invoice_drafts::id.eq(dialect::id_to_db(id.0)))
                .filter(invoice_drafts::invoice_id.is_not_null()),
        )
        .set(invoice_drafts::reading.eq(reading))
        .execute(&mut *self.write_conn()?)
        .map_err(db_err)?;
        if n == 0 { Err(RepositoryError::NotFound) } else { Ok(()) }
    }

    fn document_of_invoice(
        &self,
        organisation: OrganisationId,
        invoice: InvoiceId,
    ) -> Result<Option<DocumentRecord>, RepositoryError> {
        let mut conn = self.conn()?;
        let digest = invoice_documents::table
            .filter(invoice_documents::organisation_id.eq(org_id(organisation)))
            .filter(invoice_documents::invoice_id.eq(invoice_id(invoice)))
            .select(invoice_documents::digest)
            .first::<String>(&mut conn)
            .optional()
            .map_err(db_err)?;
        let Some(digest) = digest else { return Ok(None) };
        documents::table
            .filter(documents::organisation_id.eq(org_id(organisation)))
            .filter(documents::digest.eq(digest))
            .select(DocumentRow::as_select())
            .first(&mut conn)
            .optional()
            .map_err(db_err)?
            .map(DocumentRow::into_domain)
            .transpose()
    }

    fn delete_unreferenced_document(
        &self,
        organisation: OrganisationId,
        digest: &DocumentDigest,
        remove_bytes: &dyn Fn() -> Result<(), DocumentStoreError>,
    ) -> Result<bool, RepositoryError> {
        let org = org_id(organisation);
        let mut conn = self.write_conn()?;
        let result = dialect::write_transaction(&mut conn, |conn| {
            let drafts: i64 = invoice_drafts::table
                .filter(invoice_drafts::organisation_id.eq(&org))
                .filter(invoice_drafts::digest.eq(digest.as_str()))
                .count()
                .get_result(conn)?;
            let invoices: i64 = invoice_documents::table
                .filter(invoice_documents::organisation_id.eq(&org))
                .filter(invoice_documents::digest.eq(digest.as_str()))
                .count()
                .get_result(conn)?;
            if drafts + invoices > 0 {
                return Ok(false);
            }
            // The foreign keys refuse this delete if a reference appeared concurrently.
            diesel::delete(
                documents::table
                    .filter(documents::organisation_id.eq(&org))
                    .filter(documents::digest.eq(digest.as_str())),
            )
            .execute(conn)?;
            // No record either: the bytes (if any) are a crash's leftover; remove them too.
            remove_bytes().map_err(|e| DieselError::QueryBuilderError(Box::new(e)))?;
            Ok(true)
        });
        match result {
            Ok(deleted) => Ok(deleted),
            Err(DieselError::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, _)) => Ok(false),
            Err(e) => Err(db_err(e)),
        }
    }
}
