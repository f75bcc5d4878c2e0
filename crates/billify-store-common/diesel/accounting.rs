//! Accounting integrations (Yuki): creating one with its sealed access key, its settings, the
//! provider's daily call count, the outstanding items its syncs saw, and the invoice lookup that
//! links an item to an invoice typed in or uploaded earlier: the [`AccountingRepository`].

use billify_domain::{Direction, Invoice, OrganisationId};
use billify_ports::RepositoryError;
use billify_ports::accounting::{
    AccountingItem, AccountingRepository, AccountingSettings, AuditedInvoice, ItemSide, KnownItem,
};
use billify_ports::audit::NewAuditEntry;
use billify_ports::integrations::{Integration, IntegrationStatus};
use diesel::prelude::*;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use super::Store;
use super::audit::{append_all_in, write_audited};
use super::dialect::{self, Db, DbId, DbTime};
use super::invoices::{DUPLICATE_INVOICE, InvoiceRow, insert_events};
use super::literal::Code;
use super::schema::{accounting_items, integrations, invoices};
use super::{db_err, invoice_id, map_err, org_id};

#[derive(Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(
    table_name = accounting_items,
    check_for_backend(Db),
    primary_key(organisation_id, integration_id, item_id),
    treat_none_as_null = true,
    treat_none_as_default_value = false
)]
struct ItemRow {
    organisation_id: DbId,
    integration_id: DbId,
    item_id: String,
    side: String,
    invoice_id: Option<DbId>,
    outstanding: bool,
    fingerprint: String,
    flags: String,
    reference: Option<String>,
    open_amount: Option<String>,
    original_amount: Option<String>,
    currency: Option<String>,
    last_seen_at: DbTime,
    closed_at: Option<DbTime>,
}

fn corrupt(what: &str, e: impl std::fmt::Display) -> RepositoryError {
    RepositoryError::Corrupt(format!("{what}: {e}"))
}

fn side_of(code: &str) -> Result<ItemSide, RepositoryError> {
    ItemSide::parse(code).ok_or_else(|| corrupt("accounting item side", code))
}

fn invoice_of(id: &Option<DbId>) -> Result<Option<billify_domain::InvoiceId>, RepositoryError> {
    id.as_ref().map(|i| dialect::id_from_db(i).map(billify_domain::InvoiceId::from_uuid)).transpose()
}

impl ItemRow {
    fn from_domain(i: &AccountingItem) -> ItemRow {
        ItemRow {
            organisation_id: org_id(i.organisation_id),
            integration_id: dialect::id_to_db(i.integration_id),
            item_id: i.item_id.clone(),
            side: i.side.code().to_owned(),
            invoice_id: i.invoice_id.map(invoice_id),
            outstanding: i.outstanding,
            fingerprint: i.fingerprint.clone(),
            flags: i.flags.join(","),
            reference: i.reference.clone(),
            open_amount: i.open_amount.clone(),
            original_amount: i.original_amount.clone(),
            currency: i.currency.clone(),
            last_seen_at: dialect::time_to_db(i.last_seen_at),
            closed_at: i.closed_at.map(dialect::time_to_db),
        }
    }

    fn into_domain(self) -> Result<AccountingItem, RepositoryError> {
        Ok(AccountingItem {
            organisation_id: OrganisationId::from_uuid(dialect::id_from_db(&self.organisation_id)?),
            integration_id: dialect::id_from_db(&self.integration_id)?,
            side: side_of(&self.side)?,
            invoice_id: invoice_of(&self.invoice_id)?,
            item_id: self.item_id,
            outstanding: self.outstanding,
            fingerprint: self.fingerprint,
            flags: self.flags.split(',').filter(|f| !f.is_empty()).map(str::to_owned).collect(),
            reference: self.reference,
            open_amount: self.open_amount,
            original_amount: self.original_amount,
            currency: self.currency,
            last_seen_at: dialect::time_from_db(&self.last_seen_at)?,
            closed_at: self.closed_at.as_ref().map(dialect::time_from_db).transpose()?,
        })
    }
}

fn one(
    organisation: OrganisationId,
    id: Uuid,
) -> diesel::dsl::Filter<
    diesel::dsl::Filter<integrations::table, diesel::dsl::Eq<integrations::organisation_id, DbId>>,
    diesel::dsl::Eq<integrations::id, DbId>,
> {
    integrations::table
        .filter(integrations::organisation_id.eq(org_id(organisation)))
        .filter(integrations::id.eq(dialect::id_to_db(id)))
}

impl AccountingRepository for Store {
    fn create_accounting_integration(
        &self,
        i: &Integration,
        settings: &AccountingSettings,
        sealed_key: &str,
        audit: &NewAuditEntry,
    ) -> Result<(), RepositoryError> {
        write_audited(
            &mut *self.write_conn()?,
            audit,
            |_| true,
            |conn| {
                diesel::insert_into(integrations::table)
                    .values((
                        integrations::organisation_id.eq(org_id(i.organisation_id)),
                        integrations::id.eq(dialect::id_to_db(i.id)),
                        integrations::provider.eq(i.provider.code()),
                        integrations::status.eq(i.status.code()),
                        integrations::sealed_tokens.eq(sealed_key),
                        integrations::token_version.eq(1_i64),
                        integrations::connected_by.eq(i.connected_by.map(|u| dialect::id_to_db(*u.as_uuid()))),
                        integrations::next_sync_at.eq(i.next_sync_at.map(dialect::time_to_db)),
                        integrations::pending_synchronizations.eq(""),
                        integrations::created_at.eq(dialect::time_to_db(i.created_at)),
                        integrations::updated_at.eq(dialect::time_to_db(i.updated_at)),
                        integrations::accounting_region.eq(settings.region.code()),
                        integrations::accounting_administration_id.eq(settings.administration_id.as_deref()),
                        integrations::calls_day.eq(i.calls_day),
                        integrations::calls_used.eq(i32::try_from(i.calls_used).unwrap_or(i32::MAX)),
                    ))
                    .execute(conn)
            },
        )
        .map_err(|e| map_err(e, "the organisation already has a live integration with this provider"))?;
        Ok(())
    }

    fn save_accounting_settings(
        &self,
        organisation: OrganisationId,
        id: Uuid,
        settings: &AccountingSettings,
        now: OffsetDateTime,
        audit: &NewAuditEntry,
    ) -> Result<bool, RepositoryError> {
        let n = write_audited(
            &mut *self.write_conn()?,
            audit,
            |n| *n == 1,
            |conn| {
                diesel::update(
                    one(organisation, id)
                        .filter(integrations::status.ne(IntegrationStatus::Disconnected.code()))
                        .filter(integrations::accounting_region.is_not_null()),
                )
                .set((
                    integrations::accounting_region.eq(settings.region.code()),
                    integrations::accounting_administration_id.eq(settings.administration_id.as_deref()),
                    integrations::updated_at.eq(dialect::time_to_db(now)),
                ))
                .execute(conn)
            },
        )
        .map_err(db_err)?;
        Ok(n == 1)
    }

    fn count_calls(
        &self,
        organisation: OrganisationId,
        id: Uuid,
        day: Date,
        calls: u32,
    ) -> Result<u32, RepositoryError> {
        let calls = i32::try_from(calls).unwrap_or(i32::MAX);
        let mut conn = self.write_conn()?;
        dialect::write_transaction(&mut conn, |conn| {
            let current: Option<(Option<Date>, i32)> = one(organisation, id)
                .select((integrations::calls_day, integrations::calls_used))
                .first(conn)
                .optional()?;
            let Some((stored_day, used)) = current else { return Err(diesel::result::Error::NotFound) };
            // A count of an earlier day is over; a later day's is kept (a clock that went back).
            let total = match stored_day {
                Some(d) if d == day => used.saturating_add(calls),
                Some(d) if d > day => return Ok(used),
                _ => calls,
            };
            diesel::update(one(organisation, id))
                .set((integrations::calls_day.eq(Some(day)), integrations::calls_used.eq(total)))
                .execute(conn)?;
            Ok(total)
        })
        .map(|n| u32::try_from(n).unwrap_or(0))
        .map_err(db_err)
    }

    fn known_items(&self, organisation: OrganisationId, integration: Uuid) -> Result<Vec<KnownItem>, RepositoryError> {
        let rows: Vec<(String, String, Option<DbId>, bool, String)> = accounting_items::table
            .filter(accounting_items::organisation_id.eq(org_id(organisation)))
            .filter(accounting_items::integration_id.eq(dialect::id_to_db(integration)))
            .select((
                accounting_items::item_id,
                accounting_items::side,
                accounting_items::invoice_id,
                accounting_items::outstanding,
                accounting_items::fingerprint,
            ))
            .load(&mut self.conn()?)
            .map_err(db_err)?;
        rows.into_iter()
            .map(|(item_id, side, invoice, outstanding, fingerprint)| {
                Ok(KnownItem {
                    item_id,
                    side: side_of(&side)?,
                    invoice_id: invoice_of(&invoice)?,
                    outstanding,
                    fingerprint,
                })
            })
            .collect()
    }

    fn save_items(&self, items: &[AccountingItem]) -> Result<(), RepositoryError> {
        if items.is_empty() {
            return Ok(());
        }
        let rows: Vec<ItemRow> = items.iter().map(ItemRow::from_domain).collect();
        let mut conn = self.write_conn()?;
        dialect::write_transaction(&mut conn, |conn| {
            for row in &rows {
                let n = diesel::update(
                    accounting_items::table
                        .filter(accounting_items::organisation_id.eq(&row.organisation_id))
                        .filter(accounting_items::integration_id.eq(&row.integration_id))
                        .filter(accounting_items::item_id.eq(&row.item_id)),
                )
                .set(row)
                .execute(conn)?;
                if n == 0 {
                    diesel::insert_into(accounting_items::table).values(row).execute(conn)?;
                }
            }
            Ok(())
        })
        .map_err(|e| map_err(e, "an accounting item names an integration the organisation does not have"))
    }

    fn close_items(
        &self,
        organisation: OrganisationId,
        integration: Uuid,
        item_ids: &[String],
        now: OffsetDateTime,
    ) -> Result<(), RepositoryError> {
        let (org, integration) = (org_id(organisation), dialect::id_to_db(integration));
        let now = dialect::time_to_db(now);
        let mut conn = self.write_conn()?;
        dialect::write_transaction(&mut conn, |conn| {
            // Bounded statements: an `IN` list per chunk.
            for chunk in item_ids.chunks(500) {
                diesel::update(
                    accounting_items::table
                        .filter(accounting_items::organisation_id.eq(&org))
                        .filter(accounting_items::integration_id.eq(&integration))
                        .filter(accounting_items::item_id.eq_any(chunk)),
                )
                .set((accounting_items::outstanding.eq(false), accounting_items::closed_at.eq(Some(&now))))
                .execute(conn)?;
            }
            Ok(())
        })
        .map_err(db_err)
    }

    fn flagged_items(
        &self,
        organisation: OrganisationId,
        integration: Uuid,
        limit: u32,
    ) -> Result<Vec<AccountingItem>, RepositoryError> {
        accounting_items::table
            .filter(accounting_items::organisation_id.eq(org_id(organisation)))
            .filter(accounting_items::integration_id.eq(dialect::id_to_db(integration)))
            .filter(accounting_items::flags.ne(Code("")))
            .order(accounting_items::item_id)
            .limit(i64::from(limit))
            .select(ItemRow::as_select())
            .load(&mut self.conn()?)
            .map_err(db_err)?
            .into_iter()
            .map(ItemRow::into_domain)
            .collect()
    }

    fn invoice_by_number(
        &self,
        organisation: OrganisationId,
        direction: Direction,
        counterparty_key: &str,
        invoice_number: &str,
    ) -> Result<Option<Invoice>, RepositoryError> {
        invoices::table
            .filter(invoices::organisation_id.eq(org_id(organisation)))
            .filter(invoices::direction.eq(direction.code()))
            .filter(invoices::counterparty_key.eq(counterparty_key))
            .filter(invoices::invoice_number.eq(invoice_number))
            .select(InvoiceRow::as_select())
            .first(&mut self.conn()?)
            .optional()
            .map_err(db_err)?
            .map(InvoiceRow::into_domain)
            .transpose()
    }

    fn insert_invoices_audited(&self, batch: &[AuditedInvoice<'_>]) -> Result<(), RepositoryError> {
        if batch.is_empty() {
            return Ok(());
        }
        let rows = batch.iter().map(|b| InvoiceRow::from_invoice(b.invoice)).collect::<Result<Vec<_>, _>>()?;
        let mut conn = self.write_conn()?;
        // One commit for the batch: on PostgreSQL a commit waits for the disk, and one per
        // invoice made a large administration's first sync take minutes.
        // Multi-row statements: each statement on `invoices` runs the kept sums' triggers once.
        dialect::write_transaction(&mut conn, |conn| {
            for chunk in rows.chunks(200) {
                diesel::insert_into(invoices::table).values(chunk).execute(conn)?;
            }
            insert_events(conn, &batch.iter().flat_map(|b| b.events.iter().cloned()).collect::<Vec<_>>())?;
            append_all_in(conn, &batch.iter().map(|b| b.audit).collect::<Vec<_>>())
        })
        .map_err(|e| map_err(e, DUPLICATE_INVOICE))
    }
}
