// Repository implementations shared by the PostgreSQL and SQLite adapters.
//
// This file is not a module of `billify-store-common`: each backend crate compiles it with
// `#[path = "../../billify-store-common/src/diesel_repositories.rs"] mod repositories;`, next to
// its own `schema` (the backend's `table!` definitions) and `dialect` (type aliases and the few
// functions that differ between backends). The query code is therefore written once and
// type-checked against both backends.

#![allow(clippy::clone_on_copy, reason = "ids and timestamps are Copy on PostgreSQL but Strings on SQLite")]

use billify_domain::{
    EmailAddress, Invitation, InvitationId, Invoice, InvoiceEvent, InvoiceId, Membership, Organisation, OrganisationId,
    Role, SessionId, User, UserId,
};
use billify_ports::{
    AccountRepository, Cursor, CursorKey, InvoicePage, InvoiceQuery, InvoiceRepository, Member, MemberChange,
    RepositoryError, Session, SessionRepository, SortField, StoredInvoiceEvent,
};
use billify_store_common::columns::{self, InvoiceColumns};
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use time::Date;
use uuid::Uuid;

use super::Store;
use super::dialect::{self, Db, DbId, DbTime};
use super::schema::{invitations, invoice_events, invoices, memberships, organisations, sessions, users};

diesel::define_sql_function!(fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text);

/// Maps a Diesel error; unique violations become conflicts described by `conflict`.
pub(super) fn map_err(e: DieselError, conflict: &str) -> RepositoryError {
    match e {
        DieselError::NotFound => RepositoryError::NotFound,
        DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => {
            RepositoryError::Conflict(conflict.to_owned())
        }
        DieselError::DatabaseError(DatabaseErrorKind::ClosedConnection, info) => {
            RepositoryError::Unavailable(info.message().to_owned())
        }
        other => RepositoryError::Other(Box::new(other)),
    }
}

pub(super) fn db_err(e: DieselError) -> RepositoryError {
    map_err(e, "duplicate record")
}

// ---------------------------------------------------------------------------------------------
// Accounts

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = organisations, check_for_backend(Db), treat_none_as_default_value = false)]
struct OrganisationRow {
    id: DbId,
    name: String,
    vat_number: Option<String>,
    created_at: DbTime,
}

impl OrganisationRow {
    fn from_domain(o: &Organisation) -> Self {
        OrganisationRow {
            id: org_id(o.id),
            name: o.name.as_str().to_owned(),
            vat_number: o.vat_number.as_ref().map(|v| v.as_str().to_owned()),
            created_at: dialect::time_to_db(o.created_at),
        }
    }

    fn into_domain(self) -> Result<Organisation, RepositoryError> {
        columns::organisation(
            dialect::id_from_db(&self.id)?,
            &self.name,
            self.vat_number.as_deref(),
            dialect::time_from_db(&self.created_at)?,
        )
    }
}

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = users, check_for_backend(Db))]
struct UserRow {
    id: DbId,
    email: String,
    name: String,
    password_hash: String,
    created_at: DbTime,
}

impl UserRow {
    fn from_domain(user: &User) -> Self {
        UserRow {
            id: user_id(user.id),
            email: user.email.as_str().to_owned(),
            name: user.name.as_str().to_owned(),
            password_hash: user.password_hash.clone(),
            created_at: dialect::time_to_db(user.created_at),
        }
    }

    fn into_domain(self) -> Result<User, RepositoryError> {
        columns::user(
            dialect::id_from_db(&self.id)?,
            &self.email,
            &self.name,
            self.password_hash,
            dialect::time_from_db(&self.created_at)?,
        )
    }
}

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = memberships, check_for_backend(Db))]
struct MembershipRow {
    organisation_id: DbId,
    user_id: DbId,
    role: String,
    created_at: DbTime,
}

impl MembershipRow {
    fn from_domain(membership: &Membership) -> Self {
        MembershipRow {
            organisation_id: org_id(membership.organisation_id),
            user_id: user_id(membership.user_id),
            role: membership.role.code().to_owned(),
            created_at: dialect::time_to_db(membership.created_at),
        }
    }

    fn into_domain(self) -> Result<Membership, RepositoryError> {
        columns::membership(
            dialect::id_from_db(&self.organisation_id)?,
            dialect::id_from_db(&self.user_id)?,
            &self.role,
            dialect::time_from_db(&self.created_at)?,
        )
    }
}

pub(super) fn org_id(id: OrganisationId) -> DbId {
    dialect::id_to_db(*id.as_uuid())
}

fn user_id(id: UserId) -> DbId {
    dialect::id_to_db(*id.as_uuid())
}

fn invoice_id(id: InvoiceId) -> DbId {
    dialect::id_to_db(*id.as_uuid())
}

impl AccountRepository for Store {
    fn register(
        &self,
        organisation: &Organisation,
        user: &User,
        membership: &Membership,
    ) -> Result<(), RepositoryError> {
        let mut conn = self.write_conn()?;
        dialect::write_transaction(&mut conn, |conn| {
            diesel::insert_into(organisations::table)
                .values(OrganisationRow::from_domain(organisation))
                .execute(conn)?;
            diesel::insert_into(users::table)
                .values(UserRow {
                    id: user_id(user.id),
                    email: user.email.as_str().to_owned(),
                    name: user.name.as_str().to_owned(),
                    password_hash: user.password_hash.clone(),
                    created_at: dialect::time_to_db(user.created_at),
                })
                .execute(conn)?;
            diesel::insert_into(memberships::table)
                .values(MembershipRow {
                    organisation_id: org_id(membership.organisation_id),
                    user_id: user_id(membership.user_id),
                    role: membership.role.code().to_owned(),
                    created_at: dialect::time_to_db(membership.created_at),
                })
                .execute(conn)?;
            Ok(())
        })
        .map_err(|e| map_err(e, "a user with this email already exists"))
    }

    fn update_organisation(&self, organisation: &Organisation) -> Result<(), RepositoryError> {
        let row = OrganisationRow::from_domain(organisation);
        let n = diesel::update(organisations::table.filter(organisations::id.eq(&row.id)))
            .set((organisations::name.eq(&row.name), organisations::vat_number.eq(&row.vat_number)))
            .execute(&mut *self.write_conn()?)
            .map_err(db_err)?;
        if n == 0 { Err(RepositoryError::NotFound) } else { Ok(()) }
    }

    fn user_by_email(&self, email: &EmailAddress) -> Result<Option<User>, RepositoryError> {
        let row = users::table
            .filter(users::email.eq(email.as_str()))
            .select(UserRow::as_select())
            .first(&mut self.conn()?)
            .optional()
            .map_err(db_err)?;
        row.map(UserRow::into_domain).transpose()
    }

    fn login_locked_until(&self, user: UserId) -> Result<Option<time::OffsetDateTime>, RepositoryError> {
        let locked: Option<Option<DbTime>> = users::table
            .filter(users::id.eq(user_id(user)))
            .select(users::locked_until)
            .first(&mut self.conn()?)
            .optional()
            .map_err(db_err)?;
        locked.flatten().as_ref().map(dialect::time_from_db).transpose()
    }

    fn record_login_failure(
        &self,
        user: UserId,
        now: time::OffsetDateTime,
        window_start: time::OffsetDateTime,
        max_failures: i32,
        lock_until: time::OffsetDateTime,
    ) -> Result<Option<time::OffsetDateTime>, RepositoryError> {
        let id = user_id(user);
        let mut conn = self.write_conn()?;
        dialect::write_transaction(&mut conn, |conn| {
            let target = users::table.filter(users::id.eq(&id));
            // Forget failures from before the window, then count this one atomically.
            diesel::update(target.filter(
                users::failures_since.is_null().or(users::failures_since.lt(dialect::time_to_db(window_start))),
            ))
            .set((users::failed_logins.eq(0), users::failures_since.eq(Some(dialect::time_to_db(now)))))
            .execute(conn)?;
            diesel::update(target).set(users::failed_logins.eq(users::failed_logins + 1)).execute(conn)?;
            let failures: i32 = target.select(users::failed_logins).first(conn)?;
            if failures < max_failures {
                return Ok(None);
            }
            diesel::update(target)
                .set((
                    users::locked_until.eq(Some(dialect::time_to_db(lock_until))),
                    users::failed_logins.eq(0),
                    users::failures_since.eq(None::<DbTime>),
                ))
                .execute(conn)?;
            Ok(Some(lock_until))
        })
        .map_err(db_err)
    }

    fn clear_login_failures(&self, user: UserId) -> Result<(), RepositoryError> {
        diesel::update(users::table.filter(users::id.eq(user_id(user))))
            .set((
                users::failed_logins.eq(0),
                users::failures_since.eq(None::<DbTime>),
                users::locked_until.eq(None::<DbTime>),
            ))
            .execute(&mut *self.write_conn()?)
            .map_err(db_err)?;
        Ok(())
    }

    fn user(&self, id: UserId) -> Result<Option<User>, RepositoryError> {
        let row = users::table
            .filter(users::id.eq(user_id(id)))
            .select(UserRow::as_select())
            .first(&mut self.conn()?)
            .optional()
            .map_err(db_err)?;
        row.map(UserRow::into_domain).transpose()
    }

    fn organisation(&self, id: OrganisationId) -> Result<Option<Organisation>, RepositoryError> {
        let row = organisations::table
            .filter(organisations::id.eq(org_id(id)))
            .select(OrganisationRow::as_select())
            .first(&mut self.conn()?)
            .optional()
            .map_err(db_err)?;
        row.map(OrganisationRow::into_domain).transpose()
    }

    fn membership(&self, organisation: OrganisationId, user: UserId) -> Result<Option<Membership>, RepositoryError> {
        let row = memberships::table
            .filter(memberships::organisation_id.eq(org_id(organisation)))
            .filter(memberships::user_id.eq(user_id(user)))
            .select(MembershipRow::as_select())
            .first(&mut self.conn()?)
            .optional()
            .map_err(db_err)?;
        row.map(MembershipRow::into_domain).transpose()
    }

    fn memberships_of(&self, user: UserId) -> Result<Vec<Membership>, RepositoryError> {
        memberships::table
            .filter(memberships::user_id.eq(user_id(user)))
            .order((memberships::created_at.asc(), memberships::organisation_id.asc()))
            .select(MembershipRow::as_select())
            .load(&mut self.conn()?)
            .map_err(db_err)?
            .into_iter()
            .map(MembershipRow::into_domain)
            .collect()
    }

    fn organisation_ids(
        &self,
        after: Option<OrganisationId>,
        limit: u32,
    ) -> Result<Vec<OrganisationId>, RepositoryError> {
        let mut query = organisations::table.select(organisations::id).order(organisations::id.asc()).into_boxed();
        if let Some(after) = after {
            query = query.filter(organisations::id.gt(org_id(after)));
        }
        query
            .limit(i64::from(limit))
            .load::<DbId>(&mut self.conn()?)
            .map_err(db_err)?
            .iter()
            .map(|id| dialect::id_from_db(id).map(OrganisationId::from_uuid))
            .collect()
    }

    fn members(&self, organisation: OrganisationId) -> Result<Vec<Member>, RepositoryError> {
        memberships::table
            .inner_join(users::table.on(users::id.eq(memberships::user_id)))
            .filter(memberships::organisation_id.eq(org_id(organisation)))
            .order((memberships::created_at.asc(), memberships::user_id.asc()))
            .select((MembershipRow::as_select(), UserRow::as_select()))
            .load::<(MembershipRow, UserRow)>(&mut self.conn()?)
            .map_err(db_err)?
            .into_iter()
            .map(|(m, u)| Ok(Member { membership: m.into_domain()?, user: u.into_domain()? }))
            .collect()
    }

    fn change_role(
        &self,
        organisation: OrganisationId,
        user: UserId,
        from: Role,
        to: Role,
    ) -> Result<MemberChange, RepositoryError> {
        let mut conn = self.write_conn()?;
        dialect::write_transaction(&mut conn, |conn| {
            let Some(change) = lock_member_change(conn, organisation, user, from, to != Role::Owner)? else {
                return Ok(MemberChange::LastOwner);
            };
            if change == MemberChange::Done {
                diesel::update(member_filter(organisation, user)).set(memberships::role.eq(to.code())).execute(conn)?;
            }
            Ok(change)
        })
        .map_err(db_err)
    }

    fn remove_member(
        &self,
        organisation: OrganisationId,
        user: UserId,
        role: Role,
    ) -> Result<MemberChange, RepositoryError> {
        let mut conn = self.write_conn()?;
        dialect::write_transaction(&mut conn, |conn| {
            let Some(change) = lock_member_change(conn, organisation, user, role, true)? else {
                return Ok(MemberChange::LastOwner);
            };
            if change == MemberChange::Done {
                diesel::delete(
                    sessions::table
                        .filter(sessions::organisation_id.eq(org_id(organisation)))
                        .filter(sessions::user_id.eq(user_id(user))),
                )
                .execute(conn)?;
                diesel::delete(member_filter(organisation, user)).execute(conn)?;
            }
            Ok(change)
        })
        .map_err(db_err)
    }

    fn create_invitation(&self, invitation: &Invitation) -> Result<(), RepositoryError> {
        diesel::insert_into(invitations::table)
            .values(InvitationRow::from_domain(invitation))
            .execute(&mut *self.write_conn()?)
            .map_err(|e| map_err(e, "invitation token collision"))?;
        Ok(())
    }

    fn invitation_by_digest(
        &self,
        organisation: OrganisationId,
        token_digest: &str,
    ) -> Result<Option<Invitation>, RepositoryError> {
        let row = invitations::table
            .filter(invitations::organisation_id.eq(org_id(organisation)))
            .filter(invitations::token_digest.eq(token_digest))
            .select(InvitationRow::as_select())
            .first(&mut self.conn()?)
            .optional()
            .map_err(db_err)?;
        row.map(InvitationRow::into_domain).transpose()
    }

    fn pending_invitations(
        &self,
        organisation: OrganisationId,
        now: time::OffsetDateTime,
    ) -> Result<Vec<Invitation>, RepositoryError> {
        invitations::table
            .filter(invitations::organisation_id.eq(org_id(organisation)))
            .filter(invitations::accepted_at.is_null())
            .filter(invitations::expires_at.gt(dialect::time_to_db(now)))
            .order((invitations::created_at.asc(), invitations::id.asc()))
            .select(InvitationRow::as_select())
            .load(&mut self.conn()?)
            .map_err(db_err)?
            .into_iter()
            .map(InvitationRow::into_domain)
            .collect()
    }

    fn revoke_invitation(&self, organisation: OrganisationId, id: InvitationId) -> Result<bool, RepositoryError> {
        let n = diesel::delete(
            invitations::table
                .filter(invitations::organisation_id.eq(org_id(organisation)))
                .filter(invitations::id.eq(dialect::id_to_db(*id.as_uuid())))
                .filter(invitations::accepted_at.is_null()),
        )
        .execute(&mut *self.write_conn()?)
        .map_err(db_err)?;
        Ok(n > 0)
    }

    fn accept_invitation(
        &self,
        invitation: &Invitation,
        new_user: Option<&User>,
        membership: &Membership,
        now: time::OffsetDateTime,
    ) -> Result<(), RepositoryError> {
        let mut conn = self.write_conn()?;
        dialect::write_transaction(&mut conn, |conn| {
            // Claiming the invitation first makes it single-use even under concurrent accepts:
            // the second claim touches no row.
            let claimed = diesel::update(
                invitations::table
                    .filter(invitations::organisation_id.eq(org_id(invitation.organisation_id)))
                    .filter(invitations::id.eq(dialect::id_to_db(*invitation.id.as_uuid())))
                    .filter(invitations::accepted_at.is_null())
                    .filter(invitations::expires_at.gt(dialect::time_to_db(now))),
            )
            .set((
                invitations::accepted_at.eq(Some(dialect::time_to_db(now))),
                invitations::accepted_by.eq(Some(user_id(membership.user_id))),
            ))
            .execute(conn)?;
            if claimed == 0 {
                return Err(DieselError::NotFound);
            }
            if let Some(user) = new_user {
                diesel::insert_into(users::table).values(UserRow::from_domain(user)).execute(conn)?;
            }
            diesel::insert_into(memberships::table).values(MembershipRow::from_domain(membership)).execute(conn)?;
            Ok(())
        })
        .map_err(|e| map_err(e, "already a member, or the email is taken"))
    }

    fn change_password(
        &self,
        user: UserId,
        password_hash: &str,
        keep_session: Option<&str>,
    ) -> Result<(), RepositoryError> {
        let mut conn = self.write_conn()?;
        dialect::write_transaction(&mut conn, |conn| {
            let changed = diesel::update(users::table.filter(users::id.eq(user_id(user))))
                .set(users::password_hash.eq(password_hash))
                .execute(conn)?;
            if changed == 0 {
                return Err(DieselError::NotFound);
            }
            let sessions_of_user = sessions::table.filter(sessions::user_id.eq(user_id(user)));
            match keep_session {
                Some(keep) => diesel::delete(sessions_of_user.filter(sessions::token_digest.ne(keep))).execute(conn)?,
                None => diesel::delete(sessions_of_user).execute(conn)?,
            };
            Ok(())
        })
        .map_err(db_err)
    }
}

fn member_filter(
    organisation: OrganisationId,
    user: UserId,
) -> diesel::dsl::Filter<
    diesel::dsl::Filter<memberships::table, diesel::dsl::Eq<memberships::organisation_id, DbId>>,
    diesel::dsl::Eq<memberships::user_id, DbId>,
> {
    memberships::table
        .filter(memberships::organisation_id.eq(org_id(organisation)))
        .filter(memberships::user_id.eq(user_id(user)))
}

/// Serialises membership changes of one organisation (an idempotent write to its row takes
/// the row lock on PostgreSQL; SQLite write transactions are serial anyway), then checks that the
/// member still has `role` and, when `loses_owner` and the member is an owner, that another
/// owner remains. `None` means the change would leave no owner.
fn lock_member_change(
    conn: &mut dialect::Conn,
    organisation: OrganisationId,
    user: UserId,
    role: Role,
    loses_owner: bool,
) -> Result<Option<MemberChange>, DieselError> {
    diesel::update(organisations::table.filter(organisations::id.eq(org_id(organisation))))
        .set(organisations::name.eq(organisations::name))
        .execute(conn)?;
    let current: Option<String> = member_filter(organisation, user).select(memberships::role).first(conn).optional()?;
    if current.as_deref() != Some(role.code()) {
        return Ok(Some(MemberChange::NotFound));
    }
    if loses_owner && role == Role::Owner {
        let owners: i64 = memberships::table
            .filter(memberships::organisation_id.eq(org_id(organisation)))
            .filter(memberships::role.eq(Role::Owner.code()))
            .count()
            .get_result(conn)?;
        if owners <= 1 {
            return Ok(None);
        }
    }
    Ok(Some(MemberChange::Done))
}

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = invitations, check_for_backend(Db), treat_none_as_default_value = false)]
struct InvitationRow {
    organisation_id: DbId,
    id: DbId,
    email: String,
    role: String,
    invited_by: DbId,
    token_digest: String,
    created_at: DbTime,
    expires_at: DbTime,
    accepted_at: Option<DbTime>,
}

impl InvitationRow {
    fn from_domain(i: &Invitation) -> Self {
        InvitationRow {
            organisation_id: org_id(i.organisation_id),
            id: dialect::id_to_db(*i.id.as_uuid()),
            email: i.email.as_str().to_owned(),
            role: i.role.code().to_owned(),
            invited_by: user_id(i.invited_by),
            token_digest: i.token_digest.clone(),
            created_at: dialect::time_to_db(i.created_at),
            expires_at: dialect::time_to_db(i.expires_at),
            accepted_at: i.accepted_at.map(dialect::time_to_db),
        }
    }

    fn into_domain(self) -> Result<Invitation, RepositoryError> {
        let id = dialect::id_from_db(&self.id)?;
        let corrupt = |what: &str, e: billify_domain::ParseError| {
            RepositoryError::Corrupt(format!("invitation {id} {what}: {e}"))
        };
        Ok(Invitation {
            id: InvitationId::from_uuid(id),
            organisation_id: OrganisationId::from_uuid(dialect::id_from_db(&self.organisation_id)?),
            email: EmailAddress::parse(&self.email).map_err(|e| corrupt("email", e))?,
            role: self.role.parse::<Role>().map_err(|e| corrupt("role", e))?,
            invited_by: UserId::from_uuid(dialect::id_from_db(&self.invited_by)?),
            token_digest: self.token_digest,
            created_at: dialect::time_from_db(&self.created_at)?,
            expires_at: dialect::time_from_db(&self.expires_at)?,
            accepted_at: self.accepted_at.as_ref().map(dialect::time_from_db).transpose()?,
        })
    }
}

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = sessions, check_for_backend(Db), treat_none_as_default_value = false)]
struct SessionRow {
    token_digest: String,
    organisation_id: DbId,
    user_id: DbId,
    created_at: DbTime,
    expires_at: DbTime,
    last_seen_at: Option<DbTime>,
    id: DbId,
    user_agent: Option<String>,
    ip: Option<String>,
}

impl SessionRow {
    fn into_domain(self) -> Result<Session, RepositoryError> {
        Ok(Session {
            id: SessionId::from_uuid(dialect::id_from_db(&self.id)?),
            user_id: UserId::from_uuid(dialect::id_from_db(&self.user_id)?),
            organisation_id: OrganisationId::from_uuid(dialect::id_from_db(&self.organisation_id)?),
            created_at: dialect::time_from_db(&self.created_at)?,
            expires_at: dialect::time_from_db(&self.expires_at)?,
            last_seen_at: dialect::time_from_db(self.last_seen_at.as_ref().unwrap_or(&self.created_at))?,
            token_digest: self.token_digest,
            user_agent: self.user_agent,
            ip: self.ip,
        })
    }
}

impl SessionRepository for Store {
    fn create_session(&self, session: &Session) -> Result<(), RepositoryError> {
        diesel::insert_into(sessions::table)
            .values(SessionRow {
                token_digest: session.token_digest.clone(),
                organisation_id: org_id(session.organisation_id),
                user_id: user_id(session.user_id),
                created_at: dialect::time_to_db(session.created_at),
                expires_at: dialect::time_to_db(session.expires_at),
                last_seen_at: Some(dialect::time_to_db(session.last_seen_at)),
                id: dialect::id_to_db(*session.id.as_uuid()),
                user_agent: session.user_agent.clone(),
                ip: session.ip.clone(),
            })
            .execute(&mut *self.write_conn()?)
            .map_err(|e| map_err(e, "session token collision"))?;
        Ok(())
    }

    fn find_session(&self, token_digest: &str) -> Result<Option<Session>, RepositoryError> {
        let row = sessions::table
            .filter(sessions::token_digest.eq(token_digest))
            .select(SessionRow::as_select())
            .first(&mut self.conn()?)
            .optional()
            .map_err(db_err)?;
        row.map(SessionRow::into_domain).transpose()
    }

    fn touch_session(&self, token_digest: &str, now: time::OffsetDateTime) -> Result<(), RepositoryError> {
        diesel::update(sessions::table.filter(sessions::token_digest.eq(token_digest)))
            .set(sessions::last_seen_at.eq(Some(dialect::time_to_db(now))))
            .execute(&mut *self.write_conn()?)
            .map_err(db_err)?;
        Ok(())
    }

    fn delete_session(&self, token_digest: &str) -> Result<bool, RepositoryError> {
        let n = diesel::delete(sessions::table.filter(sessions::token_digest.eq(token_digest)))
            .execute(&mut *self.write_conn()?)
            .map_err(db_err)?;
        Ok(n > 0)
    }

    fn delete_expired_sessions(&self, now: time::OffsetDateTime) -> Result<u64, RepositoryError> {
        let n = diesel::delete(sessions::table.filter(sessions::expires_at.le(dialect::time_to_db(now))))
            .execute(&mut *self.write_conn()?)
            .map_err(db_err)?;
        Ok(n as u64)
    }

    fn sessions_of_user(&self, user: UserId) -> Result<Vec<Session>, RepositoryError> {
        sessions::table
            .filter(sessions::user_id.eq(user_id(user)))
            .order((sessions::created_at.desc(), sessions::id.desc()))
            .select(SessionRow::as_select())
            .load(&mut self.conn()?)
            .map_err(db_err)?
            .into_iter()
            .map(SessionRow::into_domain)
            .collect()
    }

    fn delete_user_session(&self, user: UserId, id: SessionId) -> Result<bool, RepositoryError> {
        let n = diesel::delete(
            sessions::table
                .filter(sessions::user_id.eq(user_id(user)))
                .filter(sessions::id.eq(dialect::id_to_db(*id.as_uuid()))),
        )
        .execute(&mut *self.write_conn()?)
        .map_err(db_err)?;
        Ok(n > 0)
    }

    fn delete_user_sessions(&self, user: UserId) -> Result<u64, RepositoryError> {
        let n = diesel::delete(sessions::table.filter(sessions::user_id.eq(user_id(user))))
            .execute(&mut *self.write_conn()?)
            .map_err(db_err)?;
        Ok(n as u64)
    }
}

// ---------------------------------------------------------------------------------------------
// Invoices

#[derive(Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(
    table_name = invoices,
    check_for_backend(Db),
    primary_key(organisation_id, id),
    treat_none_as_null = true,
    treat_none_as_default_value = false
)]
struct InvoiceRow {
    organisation_id: DbId,
    id: DbId,
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
}

impl InvoiceRow {
    fn from_invoice(invoice: &Invoice) -> Result<Self, RepositoryError> {
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
        })
    }

    fn into_domain(self) -> Result<Invoice, RepositoryError> {
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

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = invoice_events, check_for_backend(Db))]
struct InvoiceEventRow {
    organisation_id: DbId,
    id: DbId,
    invoice_id: DbId,
    code: String,
    details: String,
    occurred_at: DbTime,
}

fn insert_events(conn: &mut dialect::Conn, events: &[InvoiceEvent]) -> Result<(), DieselError> {
    if events.is_empty() {
        return Ok(());
    }
    let rows: Vec<InvoiceEventRow> = events
        .iter()
        .map(|e| InvoiceEventRow {
            organisation_id: org_id(e.organisation_id),
            id: dialect::id_to_db(Uuid::now_v7()),
            invoice_id: invoice_id(e.invoice_id),
            code: e.kind.code().to_owned(),
            details: columns::event_details(e),
            occurred_at: dialect::time_to_db(e.occurred_at),
        })
        .collect();
    diesel::insert_into(invoice_events::table).values(&rows).execute(conn)?;
    Ok(())
}

const DUPLICATE_INVOICE: &str = "an invoice with this number from this counterparty already exists";

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
enum WriteOutcome {
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
    Some(Box::new(invoices::status.ne("paid").and(manual.or(computed))))
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

impl InvoiceRepository for Store {
    fn insert(&self, invoice: &Invoice, events: &[InvoiceEvent]) -> Result<(), RepositoryError> {
        let row = InvoiceRow::from_invoice(invoice)?;
        let mut conn = self.write_conn()?;
        dialect::write_transaction(&mut conn, |conn| {
            diesel::insert_into(invoices::table).values(&row).execute(conn)?;
            insert_events(conn, events)
        })
        .map_err(|e| map_err(e, DUPLICATE_INVOICE))
    }

    fn get(&self, organisation: OrganisationId, id: InvoiceId) -> Result<Option<Invoice>, RepositoryError> {
        let row = invoices::table
            .filter(invoices::organisation_id.eq(org_id(organisation)))
            .filter(invoices::id.eq(invoice_id(id)))
            .select(InvoiceRow::as_select())
            .first(&mut self.conn()?)
            .optional()
            .map_err(db_err)?;
        row.map(InvoiceRow::into_domain).transpose()
    }

    fn list(&self, organisation: OrganisationId, query: &InvoiceQuery) -> Result<InvoicePage, RepositoryError> {
        let limit = query.limit.clamp(1, InvoiceQuery::MAX_LIMIT);
        let mut q = invoices::table.filter(invoices::organisation_id.eq(org_id(organisation))).into_boxed();
        if !query.statuses.is_empty() {
            q = q.filter(invoices::status.eq_any(query.statuses.iter().map(|s| s.code()).collect::<Vec<_>>()));
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
            let pattern = columns::contains_pattern(text);
            q = q.filter(
                lower(invoices::invoice_number).like(pattern.clone()).escape('\\').or(lower(
                    invoices::counterparty_name,
                )
                .like(pattern)
                .escape('\\')),
            );
        }
        if let Some(cursor) = &query.after {
            if cursor.sort != query.sort {
                return Err(RepositoryError::Other("cursor does not match the sort order".into()));
            }
            q = q.filter(keyset_filter(cursor)?);
        }
        macro_rules! order {
            ($column:expr) => {
                if query.sort.descending {
                    q.order(($column.desc(), invoices::id.desc()))
                } else {
                    q.order(($column.asc(), invoices::id.asc()))
                }
            };
        }
        q = match query.sort.field {
            SortField::DueDate => order!(invoices::due_date),
            SortField::IssueDate => order!(invoices::issue_date),
            SortField::Total => order!(invoices::total_minor),
            SortField::CreatedAt => order!(invoices::created_at),
            SortField::InvoiceNumber => order!(invoices::invoice_number),
        };
        let rows =
            q.limit(i64::from(limit) + 1).select(InvoiceRow::as_select()).load(&mut self.conn()?).map_err(db_err)?;
        let has_more = rows.len() > limit as usize;
        let items =
            rows.into_iter().take(limit as usize).map(InvoiceRow::into_domain).collect::<Result<Vec<_>, _>>()?;
        let next = match items.last() {
            Some(last) if has_more => Some(Cursor::after(last, query.sort)?),
            _ => None,
        };
        Ok(InvoicePage { items, next })
    }

    fn update(&self, invoice: &Invoice, events: &[InvoiceEvent]) -> Result<(), RepositoryError> {
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
            Ok(WriteOutcome::Done)
        })
        .map_err(|e| map_err(e, DUPLICATE_INVOICE))?;
        match outcome {
            WriteOutcome::Done => Ok(()),
            WriteOutcome::Refused(e) => Err(e),
        }
    }

    fn delete(
        &self,
        organisation: OrganisationId,
        id: InvoiceId,
        expected_version: Option<i64>,
        events: &[InvoiceEvent],
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
            Ok(WriteOutcome::Done)
        })
        .map_err(db_err)?;
        match outcome {
            WriteOutcome::Done => Ok(()),
            WriteOutcome::Refused(e) => Err(e),
        }
    }

    fn pending_past_due(
        &self,
        organisation: OrganisationId,
        today: Date,
        limit: u32,
    ) -> Result<Vec<Invoice>, RepositoryError> {
        invoices::table
            .filter(invoices::organisation_id.eq(org_id(organisation)))
            .filter(invoices::status.eq("pending"))
            .filter(invoices::due_date.lt(today))
            .order((invoices::due_date.asc(), invoices::id.asc()))
            .limit(i64::from(limit))
            .select(InvoiceRow::as_select())
            .load(&mut self.conn()?)
            .map_err(db_err)?
            .into_iter()
            .map(InvoiceRow::into_domain)
            .collect()
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

// ---------------------------------------------------------------------------------------------
// Documents and drafts

use billify_ports::documents::{DocumentDigest, DocumentRecord, Draft, DraftFields, DraftId, DraftRepository};
use billify_ports::intake::ExtractionMethod;

use super::schema::{documents, invoice_documents, invoice_drafts};

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
}

fn method_code(m: ExtractionMethod) -> &'static str {
    m.code()
}

fn method_from(code: &str) -> Result<ExtractionMethod, RepositoryError> {
    [ExtractionMethod::EinvoiceUbl, ExtractionMethod::EinvoiceCii, ExtractionMethod::PdfText]
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
            fields: DraftFields {
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
            },
            extraction: self.extraction,
            invoice_id: self.invoice_id.as_ref().map(dialect::id_from_db).transpose()?.map(InvoiceId::from_uuid),
            created_at: dialect::time_from_db(&self.created_at)?,
            expires_at: dialect::time_from_db(&self.expires_at)?,
            version: self.version,
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

    fn confirm_draft(&self, draft: &Draft, invoice: &Invoice, events: &[InvoiceEvent]) -> Result<(), RepositoryError> {
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
        remove_bytes: &dyn Fn() -> Result<(), String>,
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
            let n = diesel::delete(
                documents::table
                    .filter(documents::organisation_id.eq(&org))
                    .filter(documents::digest.eq(digest.as_str())),
            )
            .execute(conn)?;
            if n > 0 {
                remove_bytes().map_err(|e| DieselError::QueryBuilderError(e.into()))?;
            }
            Ok(n > 0)
        });
        match result {
            Ok(deleted) => Ok(deleted),
            Err(DieselError::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, _)) => Ok(false),
            Err(e) => Err(db_err(e)),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Bank data

use billify_domain::{
    BankAccount, BankTransaction, Currency, Iban, Money, NewBankAccount, NewBankTransaction, ProviderId, RemittanceType,
};
use billify_ports::bank::{
    BankRepository, BankSource, BankTransactionPage, BankTransactionQuery, StoredBankAccount, StoredBankTransaction,
    UpsertCounts,
};

use super::schema::{bank_accounts, bank_transactions};

fn corrupt(what: &str, e: impl std::fmt::Display) -> RepositoryError {
    RepositoryError::Corrupt(format!("{what}: {e}"))
}

fn minor_units(m: &Money) -> Result<i64, RepositoryError> {
    m.to_minor_units().map_err(|e| corrupt("amount", e))
}

#[derive(Queryable, Selectable, Insertable, AsChangeset)]
// Options bind NULL (see `BankTransactionRow`).
#[diesel(
    table_name = bank_accounts,
    check_for_backend(Db),
    primary_key(organisation_id, id),
    treat_none_as_null = true,
    treat_none_as_default_value = false
)]
pub(crate) struct BankAccountRow {
    organisation_id: DbId,
    id: DbId,
    source: String,
    provider_id: String,
    iban: Option<String>,
    currency: String,
    current_balance_minor: i64,
    available_balance_minor: Option<i64>,
    holder_name: Option<String>,
    institution_name: Option<String>,
    description: Option<String>,
    authorization_expires_at: Option<DbTime>,
    synchronized_at: Option<DbTime>,
    created_at: DbTime,
    updated_at: DbTime,
}

impl BankAccountRow {
    pub(crate) fn into_domain(self) -> Result<StoredBankAccount, RepositoryError> {
        let currency = Currency::parse(&self.currency).map_err(|e| corrupt("bank account currency", e))?;
        let money = |units: i64| Money::from_minor_units(units, currency).map_err(|e| corrupt("bank balance", e));
        let account = BankAccount::new(NewBankAccount {
            provider_id: ProviderId::parse(&self.provider_id).map_err(|e| corrupt("bank account id", e))?,
            iban: self.iban.as_deref().map(Iban::parse).transpose().map_err(|e| corrupt("bank account iban", e))?,
            currency,
            current_balance: money(self.current_balance_minor)?,
            available_balance: self.available_balance_minor.map(money).transpose()?,
            holder_name: self.holder_name,
            institution_name: self.institution_name,
            description: self.description,
            authorization_expires_at: self.authorization_expires_at.as_ref().map(dialect::time_from_db).transpose()?,
            synchronized_at: self.synchronized_at.as_ref().map(dialect::time_from_db).transpose()?,
        })
        .map_err(|e| corrupt("bank account", e))?;
        Ok(StoredBankAccount {
            id: dialect::id_from_db(&self.id)?,
            source: BankSource::parse(&self.source).ok_or_else(|| corrupt("bank account source", &self.source))?,
            account,
            updated_at: dialect::time_from_db(&self.updated_at)?,
        })
    }
}

#[derive(Clone, Queryable, Selectable, Insertable, AsChangeset)]
// Options bind NULL, so one statement inserts many rows on SQLite too: with "None means the
// column's DEFAULT" (Diesel's default), SQLite has no DEFAULT keyword in VALUES, so Diesel
// inserts such rows one at a time, building and preparing each statement anew.
#[diesel(
    table_name = bank_transactions,
    check_for_backend(Db),
    primary_key(organisation_id, id),
    treat_none_as_null = true,
    treat_none_as_default_value = false
)]
pub(crate) struct BankTransactionRow {
    pub(crate) organisation_id: DbId,
    pub(crate) id: DbId,
    pub(crate) account_id: DbId,
    pub(crate) provider_id: String,
    pub(crate) amount_minor: i64,
    pub(crate) currency: String,
    pub(crate) counterparty_name: Option<String>,
    pub(crate) counterparty_account: Option<String>,
    pub(crate) remittance_information: Option<String>,
    pub(crate) remittance_type: String,
    pub(crate) description: Option<String>,
    pub(crate) execution_date: Date,
    pub(crate) value_date: Option<Date>,
    pub(crate) bank_transaction_code: Option<String>,
    pub(crate) created_at: DbTime,
    pub(crate) updated_at: DbTime,
}

impl BankTransactionRow {
    /// The values that make two versions of a transaction equal (ids and timestamps aside).
    fn content(&self) -> impl PartialEq + '_ {
        (
            self.amount_minor,
            &self.currency,
            &self.counterparty_name,
            &self.counterparty_account,
            &self.remittance_information,
            &self.remittance_type,
            &self.description,
            self.execution_date,
            self.value_date,
            &self.bank_transaction_code,
        )
    }

    fn into_domain(self, account_provider_id: &ProviderId) -> Result<StoredBankTransaction, RepositoryError> {
        let currency = Currency::parse(&self.currency).map_err(|e| corrupt("bank transaction currency", e))?;
        let remittance_type = match self.remittance_type.as_str() {
            "structured" => RemittanceType::Structured,
            _ => RemittanceType::Unstructured,
        };
        let transaction = BankTransaction::new(NewBankTransaction {
            provider_id: ProviderId::parse(&self.provider_id).map_err(|e| corrupt("bank transaction id", e))?,
            account_provider_id: account_provider_id.clone(),
            amount: Money::from_minor_units(self.amount_minor, currency).map_err(|e| corrupt("bank amount", e))?,
            counterparty_name: self.counterparty_name,
            counterparty_account: self.counterparty_account,
            remittance_information: self.remittance_information,
            remittance_type,
            description: self.description,
            execution_date: self.execution_date,
            value_date: self.value_date,
            bank_transaction_code: self.bank_transaction_code,
        });
        Ok(StoredBankTransaction {
            id: dialect::id_from_db(&self.id)?,
            account_id: dialect::id_from_db(&self.account_id)?,
            transaction,
        })
    }
}

/// A stored account row with its sync watermark (transaction id and execution date).
pub(crate) type AccountWithWatermark = (BankAccountRow, Option<String>, Option<Date>);

/// Inserts or updates an account by source and provider id inside the caller's transaction;
/// returns its id and, when it existed, its row before and its watermark.
pub(crate) fn upsert_account_in(
    conn: &mut dialect::Conn,
    org: &DbId,
    source: BankSource,
    account: &BankAccount,
    now_db: &DbTime,
) -> Result<(DbId, Option<AccountWithWatermark>), DieselError> {
    let existing: Option<AccountWithWatermark> = bank_accounts::table
        .filter(bank_accounts::organisation_id.eq(org))
        .filter(bank_accounts::source.eq(source.code()))
        .filter(bank_accounts::provider_id.eq(account.provider_id().as_str()))
        .select((BankAccountRow::as_select(), bank_accounts::sync_watermark_id, bank_accounts::sync_watermark_date))
        .first(conn)
        .optional()?;
    let (id, created_at) = match &existing {
        Some((row, _, _)) => (row.id.clone(), row.created_at.clone()),
        None => (dialect::id_to_db(Uuid::now_v7()), now_db.clone()),
    };
    let money = |m: &Money| minor_units(m).map_err(|e| DieselError::QueryBuilderError(e.into()));
    let row = BankAccountRow {
        organisation_id: org.clone(),
        id: id.clone(),
        source: source.code().to_owned(),
        provider_id: account.provider_id().as_str().to_owned(),
        iban: account.iban().map(|i| i.as_str().to_owned()),
        currency: account.currency().code().to_owned(),
        current_balance_minor: money(account.current_balance())?,
        available_balance_minor: account.available_balance().map(money).transpose()?,
        holder_name: account.holder_name().map(str::to_owned),
        institution_name: account.institution_name().map(str::to_owned),
        description: account.description().map(str::to_owned),
        authorization_expires_at: account.authorization_expires_at().map(dialect::time_to_db),
        synchronized_at: account.synchronized_at().map(dialect::time_to_db),
        created_at,
        updated_at: now_db.clone(),
    };
    if existing.is_some() {
        diesel::update(
            bank_accounts::table.filter(bank_accounts::organisation_id.eq(org)).filter(bank_accounts::id.eq(&id)),
        )
        .set(&row)
        .execute(conn)?;
    } else {
        diesel::insert_into(bank_accounts::table).values(&row).execute(conn)?;
    }
    Ok((id, existing))
}

/// The rows of pages of transactions (each of one account), one per account and provider id: a
/// provider id twice for an account keeps the last version, where the first one was, as if they
/// were written one after another. Built before the write turn, which
/// [`upsert_transactions_in`] then spends on the database alone.
pub(crate) fn transaction_rows<'a>(
    org: &DbId,
    pages: impl IntoIterator<Item = (DbId, &'a [BankTransaction])>,
    now: time::OffsetDateTime,
) -> Result<Vec<BankTransactionRow>, RepositoryError> {
    let now_db = dialect::time_to_db(now);
    let mut rows: Vec<BankTransactionRow> = Vec::new();
    let mut positions: std::collections::HashMap<(DbId, String), usize> = std::collections::HashMap::new();
    for (account, transactions) in pages {
        rows.reserve(transactions.len());
        positions.reserve(transactions.len());
        for t in transactions {
            let row = BankTransactionRow {
                organisation_id: org.clone(),
                id: dialect::id_to_db(Uuid::now_v7()),
                account_id: account.clone(),
                provider_id: t.provider_id().as_str().to_owned(),
                amount_minor: minor_units(t.amount())?,
                currency: t.amount().currency().code().to_owned(),
                counterparty_name: t.counterparty_name().map(str::to_owned),
                counterparty_account: t.counterparty_iban().map(|i| i.as_str().to_owned()),
                remittance_information: t.remittance_information().map(str::to_owned),
                remittance_type: t.remittance_type().code().to_owned(),
                description: t.description().map(str::to_owned),
                execution_date: t.execution_date(),
                value_date: t.value_date(),
                bank_transaction_code: t.bank_transaction_code().map(str::to_owned),
                created_at: now_db.clone(),
                updated_at: now_db.clone(),
            };
            match positions.entry((row.account_id.clone(), row.provider_id.clone())) {
                std::collections::hash_map::Entry::Occupied(at) => rows[*at.get()] = row,
                std::collections::hash_map::Entry::Vacant(at) => {
                    at.insert(rows.len());
                    rows.push(row);
                }
            }
        }
    }
    Ok(rows)
}

/// Upserts transaction rows of any of the organisation's accounts, one per account and provider
/// id (as [`transaction_rows`] makes them), inside the caller's transaction. Set-based: one query
/// reads what exists, one statement inserts what is new, and only changed rows are updated (a
/// sync mostly re-reads rows it already has).
pub(crate) fn upsert_transactions_in(
    conn: &mut dialect::Conn,
    org: &DbId,
    rows: &mut [BankTransactionRow],
) -> Result<UpsertCounts, DieselError> {
    let mut counts = UpsertCounts::default();
    for chunk in rows.chunks_mut(500) {
        let keys: Vec<(&DbId, &str)> = chunk.iter().map(|r| (&r.account_id, r.provider_id.as_str())).collect();
        let found = dialect::existing_bank_transactions(conn, org, &keys)?;
        let existing: std::collections::HashMap<(&DbId, &str), &BankTransactionRow> =
            found.iter().map(|r| ((&r.account_id, r.provider_id.as_str()), r)).collect();
        let mut new_rows = Vec::new();
        for row in chunk.iter_mut() {
            match existing.get(&(&row.account_id, row.provider_id.as_str())).copied() {
                None => new_rows.push(&*row),
                Some(old) if old.content() == row.content() => counts.unchanged += 1,
                Some(old) => {
                    row.id = old.id.clone();
                    row.created_at = old.created_at.clone();
                    diesel::update(
                        bank_transactions::table
                            .filter(bank_transactions::organisation_id.eq(org))
                            .filter(bank_transactions::id.eq(&row.id)),
                    )
                    .set(&*row)
                    .execute(conn)?;
                    counts.changed += 1;
                }
            }
        }
        if !new_rows.is_empty() {
            counts.new += u32::try_from(new_rows.len()).unwrap_or(u32::MAX);
            dialect::insert_bank_transactions(conn, &new_rows)?;
        }
    }
    Ok(counts)
}

impl BankRepository for Store {
    fn upsert_bank_account(
        &self,
        organisation: OrganisationId,
        source: BankSource,
        account: &BankAccount,
        now: time::OffsetDateTime,
    ) -> Result<(Uuid, bool), RepositoryError> {
        let org = org_id(organisation);
        let now_db = dialect::time_to_db(now);
        let mut conn = self.write_conn()?;
        let (id, old) =
            dialect::write_transaction(&mut conn, |conn| upsert_account_in(conn, &org, source, account, &now_db))
                .map_err(db_err)?;
        Ok((dialect::id_from_db(&id)?, old.is_none()))
    }

    fn upsert_bank_transactions(
        &self,
        organisation: OrganisationId,
        account_id: Uuid,
        transactions: &[BankTransaction],
        now: time::OffsetDateTime,
    ) -> Result<UpsertCounts, RepositoryError> {
        let org = org_id(organisation);
        let account = dialect::id_to_db(account_id);
        let mut rows = transaction_rows(&org, [(account, transactions)], now)?;
        let mut conn = self.write_conn()?;
        dialect::write_transaction(&mut conn, |conn| upsert_transactions_in(conn, &org, &mut rows)).map_err(db_err)
    }

    fn bank_accounts(&self, organisation: OrganisationId) -> Result<Vec<StoredBankAccount>, RepositoryError> {
        bank_accounts::table
            .filter(bank_accounts::organisation_id.eq(org_id(organisation)))
            .order((bank_accounts::created_at.asc(), bank_accounts::id.asc()))
            .select(BankAccountRow::as_select())
            .load(&mut self.conn()?)
            .map_err(db_err)?
            .into_iter()
            .map(BankAccountRow::into_domain)
            .collect()
    }

    fn bank_transactions(
        &self,
        organisation: OrganisationId,
        query: &BankTransactionQuery,
    ) -> Result<BankTransactionPage, RepositoryError> {
        let org = org_id(organisation);
        let limit = query.limit.clamp(1, 200);
        let mut conn = self.conn()?;
        let accounts: Vec<(DbId, String)> = bank_accounts::table
            .filter(bank_accounts::organisation_id.eq(&org))
            .select((bank_accounts::id, bank_accounts::provider_id))
            .load(&mut conn)
            .map_err(db_err)?;
        let mut q = bank_transactions::table.filter(bank_transactions::organisation_id.eq(&org)).into_boxed();
        if let Some(account) = query.account_id {
            q = q.filter(bank_transactions::account_id.eq(dialect::id_to_db(account)));
        }
        if let Some(from) = query.from {
            q = q.filter(bank_transactions::execution_date.ge(from));
        }
        if let Some(to) = query.to {
            q = q.filter(bank_transactions::execution_date.le(to));
        }
        if let Some((date, id)) = query.after {
            let id = dialect::id_to_db(id);
            q = q.filter(
                bank_transactions::execution_date
                    .lt(date)
                    .or(bank_transactions::execution_date.eq(date).and(bank_transactions::id.lt(id))),
            );
        }
        let rows = q
            .order((bank_transactions::execution_date.desc(), bank_transactions::id.desc()))
            .limit(i64::from(limit) + 1)
            .select(BankTransactionRow::as_select())
            .load(&mut conn)
            .map_err(db_err)?;
        let has_more = rows.len() > limit as usize;
        let mut items = Vec::with_capacity(rows.len().min(limit as usize));
        for row in rows.into_iter().take(limit as usize) {
            let provider = accounts
                .iter()
                .find(|(id, _)| *id == row.account_id)
                .and_then(|(_, p)| ProviderId::parse(p).ok())
                .ok_or_else(|| corrupt("bank transaction", "its account is missing"))?;
            items.push(row.into_domain(&provider)?);
        }
        let next = match items.last() {
            Some(last) if has_more => Some((last.transaction.execution_date(), last.id)),
            _ => None,
        };
        Ok(BankTransactionPage { items, next })
    }
}

// ---------------------------------------------------------------------------------------------
// Jobs

use billify_ports::jobs::{Job, JobQueue, NewJob};

use super::schema::jobs;

#[derive(Queryable, Selectable)]
#[diesel(table_name = jobs, check_for_backend(Db))]
struct JobRow {
    organisation_id: DbId,
    id: DbId,
    kind: String,
    job_key: String,
    payload: String,
    attempts: i32,
    lease_expires_at: Option<DbTime>,
    last_error: Option<String>,
}

impl JobRow {
    fn into_domain(self) -> Result<Job, RepositoryError> {
        Ok(Job {
            organisation_id: OrganisationId::from_uuid(dialect::id_from_db(&self.organisation_id)?),
            id: dialect::id_from_db(&self.id)?,
            kind: self.kind,
            key: self.job_key,
            payload: self.payload,
            attempts: self.attempts,
            lease_expires_at: self.lease_expires_at.as_ref().map(dialect::time_from_db).transpose()?,
            last_error: self.last_error,
        })
    }
}

const LEASE_LOST: &str = "the job's lease was lost to another worker";

/// A job by organisation and id.
type JobById = diesel::dsl::Filter<
    diesel::dsl::Filter<jobs::table, diesel::dsl::Eq<jobs::organisation_id, DbId>>,
    diesel::dsl::Eq<jobs::id, DbId>,
>;

/// A job by organisation and id, if it is running and its lease is held by a worker.
type HeldJob<'a> = diesel::dsl::Filter<
    diesel::dsl::Filter<JobById, diesel::dsl::Eq<jobs::status, &'static str>>,
    diesel::dsl::Eq<jobs::lease_owner, &'a str>,
>;

/// The job, if it is running and `worker` holds its lease.
fn held<'a>(job: &Job, worker: &'a str) -> HeldJob<'a> {
    jobs::table
        .filter(jobs::organisation_id.eq(org_id(job.organisation_id)))
        .filter(jobs::id.eq(dialect::id_to_db(job.id)))
        .filter(jobs::status.eq("running"))
        .filter(jobs::lease_owner.eq(worker))
}

/// Marks a running job done if `worker` still holds its lease, inside the caller's transaction
/// (or on its own); returns whether it did.
pub(crate) fn complete_job_in(
    conn: &mut dialect::Conn,
    job: &Job,
    worker: &str,
    now_db: &DbTime,
) -> Result<bool, DieselError> {
    let n = diesel::update(held(job, worker))
        .set((
            jobs::status.eq("done"),
            jobs::lease_owner.eq(None::<String>),
            jobs::lease_expires_at.eq(None::<DbTime>),
            jobs::updated_at.eq(now_db),
        ))
        .execute(conn)?;
    Ok(n == 1)
}

impl JobQueue for Store {
    fn delete_finished_jobs(&self, before: time::OffsetDateTime) -> Result<u64, RepositoryError> {
        let n = diesel::delete(
            jobs::table
                .filter(jobs::status.eq_any(["done", "failed"]))
                .filter(jobs::updated_at.lt(dialect::time_to_db(before))),
        )
        .execute(&mut *self.write_conn()?)
        .map_err(db_err)?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    fn enqueue(&self, job: &NewJob, now: time::OffsetDateTime) -> Result<bool, RepositoryError> {
        let now = dialect::time_to_db(now);
        let result = diesel::insert_into(jobs::table)
            .values((
                jobs::organisation_id.eq(org_id(job.organisation_id)),
                jobs::id.eq(dialect::id_to_db(Uuid::now_v7())),
                jobs::kind.eq(&job.kind),
                jobs::job_key.eq(&job.key),
                jobs::payload.eq(&job.payload),
                jobs::status.eq("queued"),
                jobs::run_at.eq(dialect::time_to_db(job.run_at)),
                jobs::attempts.eq(0),
                jobs::created_at.eq(now.clone()),
                jobs::updated_at.eq(now),
            ))
            .execute(&mut *self.write_conn()?);
        match result {
            Ok(_) => Ok(true),
            Err(DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => Ok(false),
            Err(e) => Err(db_err(e)),
        }
    }

    fn claim(
        &self,
        worker: &str,
        now: time::OffsetDateTime,
        lease: time::Duration,
    ) -> Result<Option<Job>, RepositoryError> {
        let now_db = dialect::time_to_db(now);
        let mut conn = self.write_conn()?;
        dialect::write_transaction(&mut conn, |conn| {
            let Some((org, id)) = dialect::claim_candidate(conn, now_db.clone())? else { return Ok(None) };
            let target = jobs::table.filter(jobs::organisation_id.eq(&org)).filter(jobs::id.eq(&id));
            diesel::update(target)
                .set((
                    jobs::status.eq("running"),
                    jobs::lease_owner.eq(worker),
                    jobs::lease_expires_at.eq(dialect::time_to_db(now + lease)),
                    jobs::attempts.eq(jobs::attempts + 1),
                    jobs::updated_at.eq(now_db.clone()),
                ))
                .returning(JobRow::as_returning())
                .get_result(conn)
                .map(Some)
        })
        .map_err(db_err)?
        .map(JobRow::into_domain)
        .transpose()
    }

    fn renew_lease(&self, job: &Job, worker: &str, until: time::OffsetDateTime) -> Result<bool, RepositoryError> {
        let n = diesel::update(held(job, worker))
            .set(jobs::lease_expires_at.eq(Some(dialect::time_to_db(until))))
            .execute(&mut *self.write_conn()?)
            .map_err(db_err)?;
        Ok(n == 1)
    }

    fn complete(&self, job: &Job, worker: &str, now: time::OffsetDateTime) -> Result<(), RepositoryError> {
        let mut conn = self.write_conn()?;
        let done = complete_job_in(&mut conn, job, worker, &dialect::time_to_db(now)).map_err(db_err)?;
        if done { Ok(()) } else { Err(RepositoryError::Conflict(LEASE_LOST.into())) }
    }

    fn fail(
        &self,
        job: &Job,
        worker: &str,
        error: &str,
        retry_at: Option<time::OffsetDateTime>,
        now: time::OffsetDateTime,
    ) -> Result<(), RepositoryError> {
        let target = held(job, worker);
        let (status, run_at) = match retry_at {
            Some(at) => ("queued", Some(dialect::time_to_db(at))),
            None => ("failed", None),
        };
        let mut conn = self.write_conn()?;
        let n = match run_at {
            Some(run_at) => diesel::update(target)
                .set((
                    jobs::status.eq(status),
                    jobs::run_at.eq(run_at),
                    jobs::lease_owner.eq(None::<String>),
                    jobs::lease_expires_at.eq(None::<DbTime>),
                    jobs::last_error.eq(error),
                    jobs::updated_at.eq(dialect::time_to_db(now)),
                ))
                .execute(&mut *conn),
            None => diesel::update(target)
                .set((
                    jobs::status.eq(status),
                    jobs::lease_owner.eq(None::<String>),
                    jobs::lease_expires_at.eq(None::<DbTime>),
                    jobs::last_error.eq(error),
                    jobs::updated_at.eq(dialect::time_to_db(now)),
                ))
                .execute(&mut *conn),
        }
        .map_err(db_err)?;
        if n == 0 { Err(RepositoryError::Conflict(LEASE_LOST.into())) } else { Ok(()) }
    }
}
