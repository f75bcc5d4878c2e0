//! Notifications: the [`NotificationRepository`] (alert settings, notifications with their
//! inbox and outbox, preferences, webhook endpoints).

use billify_domain::{AlertSettings, Channel, NotificationKind, OrganisationId, UserId};
use billify_ports::RepositoryError;
use billify_ports::audit::NewAuditEntry;
use billify_ports::notifications::{
    DELIVER_JOB, Delivery, DeliveryAttempt, DeliveryStatus, InboxItem, NewDelivery, NewNotification, Notification,
    NotificationRepository, Preference, WebhookEndpoint,
};
use diesel::prelude::*;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use super::Store;
use super::audit::write_audited;
use super::dialect::{self, Db, DbId, DbTime};
use super::schema::{
    alert_settings, jobs, notification_deliveries, notification_inbox, notification_preferences, notifications,
    webhook_endpoints,
};
use super::{db_err, org_id, user_id};

fn corrupt(what: &str, text: &str) -> RepositoryError {
    RepositoryError::Corrupt(format!("unknown {what} {text:?}"))
}

fn kind_of(code: &str) -> Result<NotificationKind, RepositoryError> {
    NotificationKind::parse(code).map_err(|_| corrupt("notification kind", code))
}

fn channel_of(code: &str) -> Result<Channel, RepositoryError> {
    Channel::parse(code).map_err(|_| corrupt("channel", code))
}

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = notifications, check_for_backend(Db), treat_none_as_default_value = false)]
struct NotificationRow {
    organisation_id: DbId,
    id: DbId,
    kind: String,
    dedupe_key: String,
    title: String,
    body: String,
    data: String,
    created_at: DbTime,
}

impl NotificationRow {
    fn into_domain(self) -> Result<Notification, RepositoryError> {
        Ok(Notification {
            organisation_id: OrganisationId::from_uuid(dialect::id_from_db(&self.organisation_id)?),
            id: dialect::id_from_db(&self.id)?,
            kind: kind_of(&self.kind)?,
            title: self.title,
            body: self.body,
            data: self.data,
            created_at: dialect::time_from_db(&self.created_at)?,
        })
    }
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = notification_deliveries, check_for_backend(Db))]
struct DeliveryRow {
    organisation_id: DbId,
    id: DbId,
    notification_id: DbId,
    channel: String,
    target_id: DbId,
    status: String,
    attempts: i32,
    last_error: Option<String>,
    response_status: Option<i32>,
    created_at: DbTime,
    updated_at: DbTime,
}

impl DeliveryRow {
    fn into_domain(self) -> Result<Delivery, RepositoryError> {
        Ok(Delivery {
            organisation_id: OrganisationId::from_uuid(dialect::id_from_db(&self.organisation_id)?),
            id: dialect::id_from_db(&self.id)?,
            notification_id: dialect::id_from_db(&self.notification_id)?,
            channel: channel_of(&self.channel)?,
            target_id: dialect::id_from_db(&self.target_id)?,
            status: DeliveryStatus::parse(&self.status).ok_or_else(|| corrupt("delivery status", &self.status))?,
            attempts: self.attempts,
            last_error: self.last_error,
            response_status: self.response_status,
            created_at: dialect::time_from_db(&self.created_at)?,
            updated_at: dialect::time_from_db(&self.updated_at)?,
        })
    }
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = webhook_endpoints, check_for_backend(Db))]
struct EndpointRow {
    organisation_id: DbId,
    id: DbId,
    url: String,
    sealed_secret: String,
    kinds: String,
    created_at: DbTime,
}

impl EndpointRow {
    fn into_domain(self) -> Result<(WebhookEndpoint, String), RepositoryError> {
        let kinds = self.kinds.split(',').filter(|k| !k.is_empty()).map(kind_of).collect::<Result<Vec<_>, _>>()?;
        Ok((
            WebhookEndpoint {
                organisation_id: OrganisationId::from_uuid(dialect::id_from_db(&self.organisation_id)?),
                id: dialect::id_from_db(&self.id)?,
                url: self.url,
                kinds,
                created_at: dialect::time_from_db(&self.created_at)?,
            },
            self.sealed_secret,
        ))
    }
}

impl Store {
    /// Every webhook endpoint's sealed secret, for key rotation.
    pub(super) fn sealed_webhook_secrets(&self) -> Result<Vec<(OrganisationId, Uuid, String)>, RepositoryError> {
        let rows: Vec<(DbId, DbId, String)> = webhook_endpoints::table
            .select((webhook_endpoints::organisation_id, webhook_endpoints::id, webhook_endpoints::sealed_secret))
            .load(&mut *self.conn()?)
            .map_err(db_err)?;
        rows.into_iter()
            .map(|(org, id, sealed)| {
                Ok((OrganisationId::from_uuid(dialect::id_from_db(&org)?), dialect::id_from_db(&id)?, sealed))
            })
            .collect()
    }

    /// Replaces a webhook endpoint's sealed secret if it still equals `old`.
    pub(super) fn reseal_webhook_secret(
        &self,
        organisation: OrganisationId,
        id: Uuid,
        old: &str,
        new: &str,
    ) -> Result<bool, RepositoryError> {
        let n = diesel::update(
            webhook_endpoints::table
                .filter(webhook_endpoints::organisation_id.eq(org_id(organisation)))
                .filter(webhook_endpoints::id.eq(dialect::id_to_db(id)))
                .filter(webhook_endpoints::sealed_secret.eq(old)),
        )
        .set(webhook_endpoints::sealed_secret.eq(new))
        .execute(&mut *self.write_conn()?)
        .map_err(db_err)?;
        Ok(n == 1)
    }
}

impl NotificationRepository for Store {
    fn alert_settings(&self, organisation: OrganisationId) -> Result<(AlertSettings, Option<Date>), RepositoryError> {
        let row: Option<(i32, i64, Option<Date>)> = alert_settings::table
            .filter(alert_settings::organisation_id.eq(org_id(organisation)))
            .select((
                alert_settings::payable_days,
                alert_settings::balance_threshold_minor,
                alert_settings::last_run_on,
            ))
            .first(&mut *self.conn()?)
            .optional()
            .map_err(db_err)?;
        match row {
            None => Ok((AlertSettings::default(), None)),
            Some((days, threshold, last)) => {
                let days = u16::try_from(days).map_err(|_| corrupt("payable window", &days.to_string()))?;
                let settings = AlertSettings::new(days, threshold)
                    .map_err(|e| RepositoryError::Corrupt(format!("alert settings of {organisation}: {e}")))?;
                Ok((settings, last))
            }
        }
    }

    fn save_alert_settings(
        &self,
        organisation: OrganisationId,
        settings: &AlertSettings,
        audit: &NewAuditEntry,
    ) -> Result<(), RepositoryError> {
        let days = i32::from(settings.payable_days());
        let threshold = settings.balance_threshold_minor();
        write_audited(
            &mut *self.write_conn()?,
            audit,
            |_| true,
            |conn| {
                diesel::insert_into(alert_settings::table)
                    .values((
                        alert_settings::organisation_id.eq(org_id(organisation)),
                        alert_settings::payable_days.eq(days),
                        alert_settings::balance_threshold_minor.eq(threshold),
                        alert_settings::last_run_on.eq(None::<Date>),
                    ))
                    .on_conflict(alert_settings::organisation_id)
                    .do_update()
                    .set((alert_settings::payable_days.eq(days), alert_settings::balance_threshold_minor.eq(threshold)))
                    .execute(conn)
            },
        )
        .map_err(db_err)?;
        Ok(())
    }

    fn mark_alerts_run(&self, organisation: OrganisationId, day: Date) -> Result<(), RepositoryError> {
        let mut conn = self.write_conn()?;
        dialect::write_transaction(&mut conn, |conn| {
            diesel::insert_into(alert_settings::table)
                .values((
                    alert_settings::organisation_id.eq(org_id(organisation)),
                    alert_settings::payable_days.eq(i32::from(AlertSettings::DEFAULT_PAYABLE_DAYS)),
                    alert_settings::balance_threshold_minor.eq(0_i64),
                    alert_settings::last_run_on.eq(None::<Date>),
                ))
                .on_conflict_do_nothing()
                .execute(conn)?;
            diesel::update(
                alert_settings::table
                    .filter(alert_settings::organisation_id.eq(org_id(organisation)))
                    .filter(alert_settings::last_run_on.is_null().or(alert_settings::last_run_on.lt(day))),
            )
            .set(alert_settings::last_run_on.eq(Some(day)))
            .execute(conn)
        })
        .map_err(db_err)?;
        Ok(())
    }

    fn raise(
        &self,
        n: &NewNotification,
        inbox: &[UserId],
        deliveries: &[NewDelivery],
        now: OffsetDateTime,
    ) -> Result<bool, RepositoryError> {
        let org = org_id(n.organisation_id);
        let id = dialect::id_to_db(n.id);
        let created = dialect::time_to_db(n.created_at);
        let now = dialect::time_to_db(now);
        let row = NotificationRow {
            organisation_id: org.clone(),
            id: id.clone(),
            kind: n.kind.code().to_owned(),
            dedupe_key: n.dedupe_key.clone(),
            title: n.title.clone(),
            body: n.body.clone(),
            data: n.data.clone(),
            created_at: created.clone(),
        };
        let mut conn = self.write_conn()?;
        dialect::write_transaction(&mut conn, |conn| {
            let inserted =
                diesel::insert_into(notifications::table).values(&row).on_conflict_do_nothing().execute(conn)?;
            if inserted == 0 {
                return Ok(false);
            }
            for user in inbox {
                diesel::insert_into(notification_inbox::table)
                    .values((
                        notification_inbox::organisation_id.eq(org.clone()),
                        notification_inbox::notification_id.eq(id.clone()),
                        notification_inbox::user_id.eq(user_id(*user)),
                        notification_inbox::created_at.eq(created.clone()),
                        notification_inbox::read_at.eq(None::<DbTime>),
                    ))
                    .execute(conn)?;
            }
            for d in deliveries {
                let delivery = dialect::id_to_db(d.id);
                diesel::insert_into(notification_deliveries::table)
                    .values((
                        notification_deliveries::organisation_id.eq(org.clone()),
                        notification_deliveries::id.eq(delivery.clone()),
                        notification_deliveries::notification_id.eq(id.clone()),
                        notification_deliveries::channel.eq(d.channel.code()),
                        notification_deliveries::target_id.eq(dialect::id_to_db(d.target_id)),
                        notification_deliveries::status.eq(DeliveryStatus::Pending.code()),
                        notification_deliveries::attempts.eq(0),
                        notification_deliveries::last_error.eq(None::<String>),
                        notification_deliveries::response_status.eq(None::<i32>),
                        notification_deliveries::created_at.eq(now.clone()),
                        notification_deliveries::updated_at.eq(now.clone()),
                    ))
                    .execute(conn)?;
                diesel::insert_into(jobs::table)
                    .values((
                        jobs::organisation_id.eq(org.clone()),
                        jobs::id.eq(dialect::id_to_db(Uuid::now_v7())),
                        jobs::kind.eq(DELIVER_JOB),
                        jobs::job_key.eq(d.id.to_string()),
                        jobs::payload.eq("{}"),
                        jobs::status.eq("queued"),
                        jobs::run_at.eq(now.clone()),
                        jobs::attempts.eq(0),
                        jobs::created_at.eq(now.clone()),
                        jobs::updated_at.eq(now.clone()),
                    ))
                    .execute(conn)?;
            }
            Ok(true)
        })
        .map_err(db_err)
    }

    fn notification(&self, organisation: OrganisationId, id: Uuid) -> Result<Option<Notification>, RepositoryError> {
        notifications::table
            .filter(notifications::organisation_id.eq(org_id(organisation)))
            .filter(notifications::id.eq(dialect::id_to_db(id)))
            .select(NotificationRow::as_select())
            .first(&mut *self.conn()?)
            .optional()
            .map_err(db_err)?
            .map(NotificationRow::into_domain)
            .transpose()
    }

    fn inbox(
        &self,
        organisation: OrganisationId,
        user: UserId,
        unread_only: bool,
        limit: u32,
    ) -> Result<Vec<InboxItem>, RepositoryError> {
        let mut query = notification_inbox::table
            .inner_join(
                notifications::table.on(notifications::organisation_id
                    .eq(notification_inbox::organisation_id)
                    .and(notifications::id.eq(notification_inbox::notification_id))),
            )
            .filter(notification_inbox::organisation_id.eq(org_id(organisation)))
            .filter(notification_inbox::user_id.eq(user_id(user)))
            .into_boxed();
        if unread_only {
            query = query.filter(notification_inbox::read_at.is_null());
        }
        let rows: Vec<(NotificationRow, Option<DbTime>)> = query
            .order((notification_inbox::created_at.desc(), notification_inbox::notification_id.desc()))
            .limit(i64::from(limit.clamp(1, 500)))
            .select((NotificationRow::as_select(), notification_inbox::read_at))
            .load(&mut *self.conn()?)
            .map_err(db_err)?;
        rows.into_iter()
            .map(|(n, read)| {
                Ok(InboxItem {
                    notification: n.into_domain()?,
                    read_at: read.as_ref().map(dialect::time_from_db).transpose()?,
                })
            })
            .collect()
    }

    fn mark_read(
        &self,
        organisation: OrganisationId,
        user: UserId,
        notification: Uuid,
        now: OffsetDateTime,
    ) -> Result<bool, RepositoryError> {
        let mut conn = self.write_conn()?;
        let item = || {
            notification_inbox::table
                .filter(notification_inbox::organisation_id.eq(org_id(organisation)))
                .filter(notification_inbox::user_id.eq(user_id(user)))
                .filter(notification_inbox::notification_id.eq(dialect::id_to_db(notification)))
        };
        let unread = diesel::update(item().filter(notification_inbox::read_at.is_null()))
            .set(notification_inbox::read_at.eq(Some(dialect::time_to_db(now))))
            .execute(&mut *conn)
            .map_err(db_err)?;
        if unread == 1 {
            return Ok(true);
        }
        let exists: i64 = item().count().get_result(&mut *conn).map_err(db_err)?;
        Ok(exists == 1)
    }

    fn mark_all_read(
        &self,
        organisation: OrganisationId,
        user: UserId,
        now: OffsetDateTime,
    ) -> Result<u64, RepositoryError> {
        let n = diesel::update(
            notification_inbox::table
                .filter(notification_inbox::organisation_id.eq(org_id(organisation)))
                .filter(notification_inbox::user_id.eq(user_id(user)))
                .filter(notification_inbox::read_at.is_null()),
        )
        .set(notification_inbox::read_at.eq(Some(dialect::time_to_db(now))))
        .execute(&mut *self.write_conn()?)
        .map_err(db_err)?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    fn preferences(&self, organisation: OrganisationId) -> Result<Vec<Preference>, RepositoryError> {
        let rows: Vec<(DbId, String, String, bool)> = notification_preferences::table
            .filter(notification_preferences::organisation_id.eq(org_id(organisation)))
            .select((
                notification_preferences::user_id,
                notification_preferences::kind,
                notification_preferences::channel,
                notification_preferences::enabled,
            ))
            .order((
                notification_preferences::user_id,
                notification_preferences::kind,
                notification_preferences::channel,
            ))
            .load(&mut *self.conn()?)
            .map_err(db_err)?;
        rows.into_iter()
            .map(|(user, kind, channel, enabled)| {
                Ok(Preference {
                    user_id: UserId::from_uuid(dialect::id_from_db(&user)?),
                    kind: kind_of(&kind)?,
                    channel: channel_of(&channel)?,
                    enabled,
                })
            })
            .collect()
    }

    fn set_preference(&self, organisation: OrganisationId, p: &Preference) -> Result<(), RepositoryError> {
        diesel::insert_into(notification_preferences::table)
            .values((
                notification_preferences::organisation_id.eq(org_id(organisation)),
                notification_preferences::user_id.eq(user_id(p.user_id)),
                notification_preferences::kind.eq(p.kind.code()),
                notification_preferences::channel.eq(p.channel.code()),
                notification_preferences::enabled.eq(p.enabled),
            ))
            .on_conflict((
                notification_preferences::organisation_id,
                notification_preferences::user_id,
                notification_preferences::kind,
                notification_preferences::channel,
            ))
            .do_update()
            .set(notification_preferences::enabled.eq(p.enabled))
            .execute(&mut *self.write_conn()?)
            .map_err(db_err)?;
        Ok(())
    }

    fn create_webhook_endpoint(
        &self,
        e: &WebhookEndpoint,
        sealed_secret: &str,
        audit: &NewAuditEntry,
    ) -> Result<(), RepositoryError> {
        let kinds = e.kinds.iter().map(|k| k.code()).collect::<Vec<_>>().join(",");
        write_audited(
            &mut *self.write_conn()?,
            audit,
            |_| true,
            |conn| {
                diesel::insert_into(webhook_endpoints::table)
                    .values((
                        webhook_endpoints::organisation_id.eq(org_id(e.organisation_id)),
                        webhook_endpoints::id.eq(dialect::id_to_db(e.id)),
                        webhook_endpoints::url.eq(&e.url),
                        webhook_endpoints::sealed_secret.eq(sealed_secret),
                        webhook_endpoints::kinds.eq(kinds),
                        webhook_endpoints::created_at.eq(dialect::time_to_db(e.created_at)),
                    ))
                    .execute(conn)
            },
        )
        .map_err(db_err)?;
        Ok(())
    }

    fn webhook_endpoints(&self, organisation: OrganisationId) -> Result<Vec<WebhookEndpoint>, RepositoryError> {
        let rows: Vec<EndpointRow> = webhook_endpoints::table
            .filter(webhook_endpoints::organisation_id.eq(org_id(organisation)))
            .order((webhook_endpoints::created_at, webhook_endpoints::id))
            .select(EndpointRow::as_select())
            .load(&mut *self.conn()?)
            .map_err(db_err)?;
        rows.into_iter().map(|r| r.into_domain().map(|(e, _)| e)).collect()
    }

    fn webhook_endpoint(
        &self,
        organisation: OrganisationId,
        id: Uuid,
    ) -> Result<Option<(WebhookEndpoint, String)>, RepositoryError> {
        webhook_endpoints::table
            .filter(webhook_endpoints::organisation_id.eq(org_id(organisation)))
            .filter(webhook_endpoints::id.eq(dialect::id_to_db(id)))
            .select(EndpointRow::as_select())
            .first(&mut *self.conn()?)
            .optional()
            .map_err(db_err)?
            .map(EndpointRow::into_domain)
            .transpose()
    }

    fn delete_webhook_endpoint(
        &self,
        organisation: OrganisationId,
        id: Uuid,
        audit: &NewAuditEntry,
    ) -> Result<bool, RepositoryError> {
        let n = write_audited(
            &mut *self.write_conn()?,
            audit,
            |n| *n == 1,
            |conn| {
                diesel::delete(
                    webhook_endpoints::table
                        .filter(webhook_endpoints::organisation_id.eq(org_id(organisation)))
                        .filter(webhook_endpoints::id.eq(dialect::id_to_db(id))),
                )
                .execute(conn)
            },
        )
        .map_err(db_err)?;
        Ok(n == 1)
    }

    fn delivery(&self, organisation: OrganisationId, id: Uuid) -> Result<Option<Delivery>, RepositoryError> {
        notification_deliveries::table
            .filter(notification_deliveries::organisation_id.eq(org_id(organisation)))
            .filter(notification_deliveries::id.eq(dialect::id_to_db(id)))
            .select(DeliveryRow::as_select())
            .first(&mut *self.conn()?)
            .optional()
            .map_err(db_err)?
            .map(DeliveryRow::into_domain)
            .transpose()
    }

    fn deliveries_to(
        &self,
        organisation: OrganisationId,
        target: Uuid,
        limit: u32,
    ) -> Result<Vec<Delivery>, RepositoryError> {
        let rows: Vec<DeliveryRow> = notification_deliveries::table
            .filter(notification_deliveries::organisation_id.eq(org_id(organisation)))
            .filter(notification_deliveries::target_id.eq(dialect::id_to_db(target)))
            .order((notification_deliveries::created_at.desc(), notification_deliveries::id.desc()))
            .limit(i64::from(limit.clamp(1, 500)))
            .select(DeliveryRow::as_select())
            .load(&mut *self.conn()?)
            .map_err(db_err)?;
        rows.into_iter().map(DeliveryRow::into_domain).collect()
    }

    fn record_attempt(
        &self,
        organisation: OrganisationId,
        id: Uuid,
        attempt: &DeliveryAttempt,
        now: OffsetDateTime,
    ) -> Result<bool, RepositoryError> {
        let n = diesel::update(
            notification_deliveries::table
                .filter(notification_deliveries::organisation_id.eq(org_id(organisation)))
                .filter(notification_deliveries::id.eq(dialect::id_to_db(id)))
                .filter(notification_deliveries::status.eq(DeliveryStatus::Pending.code())),
        )
        .set((
            notification_deliveries::status.eq(attempt.status.code()),
            notification_deliveries::attempts.eq(notification_deliveries::attempts + 1),
            notification_deliveries::last_error.eq(attempt.error.as_deref()),
            notification_deliveries::response_status.eq(attempt.response_status),
            notification_deliveries::updated_at.eq(dialect::time_to_db(now)),
        ))
        .execute(&mut *self.write_conn()?)
        .map_err(db_err)?;
        Ok(n == 1)
    }
}
