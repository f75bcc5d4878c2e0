//! Organisations, users, memberships and invitations: the [`AccountRepository`].

use billify_domain::{
    EmailAddress, Invitation, InvitationId, Membership, Organisation, OrganisationId, Role, User, UserId,
};
use billify_ports::audit::NewAuditEntry;
use billify_ports::{AccountRepository, Member, MemberChange, RepositoryError, UserOverview};
use billify_store_common::columns::{self};
use diesel::prelude::*;
use diesel::result::Error as DieselError;
use diesel::sql_types::{BigInt, Bool, Integer, Nullable, Text};

use super::Store;
use super::audit::{append_in, write_audited};
use super::dialect::{self, Db, DbId, DbTime, SqlId, SqlTime};
use super::schema::{invitations, memberships, organisations, sessions, users};
use super::{db_err, map_err, org_id, user_id};

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = organisations, check_for_backend(Db), treat_none_as_default_value = false)]
struct OrganisationRow {
    id: DbId,
    name: String,
    vat_number: Option<String>,
    created_at: DbTime,
    time_zone: String,
    vat_periodicity: String,
    vat_deadline_day: i32,
}

impl OrganisationRow {
    fn from_domain(o: &Organisation) -> Self {
        OrganisationRow {
            id: org_id(o.id),
            name: o.name.as_str().to_owned(),
            vat_number: o.vat_number.as_ref().map(|v| v.as_str().to_owned()),
            created_at: dialect::time_to_db(o.created_at),
            time_zone: o.calendar.time_zone.as_str().to_owned(),
            vat_periodicity: o.calendar.vat_periodicity.code().to_owned(),
            vat_deadline_day: i32::from(o.calendar.vat_deadline_day.day()),
        }
    }

    fn into_domain(self) -> Result<Organisation, RepositoryError> {
        columns::organisation(
            dialect::id_from_db(&self.id)?,
            &self.name,
            self.vat_number.as_deref(),
            (&self.time_zone, &self.vat_periodicity, self.vat_deadline_day),
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

/// A user with one membership, its organisation and the user's two-factor state: one row per
/// membership (`$1` the user).
/// A user with every membership and its organisation, and the two-factor state, in one
/// statement: the columns and tables up to the user's id, and what follows it. Sent as
/// [`UserOverviewQuery`], a fixed text Diesel prepares once per connection (`sql_query` and SQL
/// literals are prepared anew each time): PostgreSQL took about 0.7 ms to plan this join on
/// every request, three times its execution.
const USER_OVERVIEW_HEAD: &str = "\
u.id AS user_id, u.email, u.name AS user_name, u.password_hash, u.created_at AS user_created_at, \
       m.role, m.created_at AS member_since, \
       o.id AS organisation_id, o.name AS organisation_name, o.vat_number, o.created_at AS organisation_created_at, \
       o.time_zone, o.vat_periodicity, o.vat_deadline_day, \
       t.user_id IS NOT NULL AS totp_enrolled, t.confirmed_at IS NOT NULL AS totp_confirmed, \
       (SELECT COUNT(*) FROM recovery_codes r WHERE r.user_id = u.id AND r.used_at IS NULL) AS recovery_codes_left \
FROM users u \
LEFT JOIN memberships m ON m.user_id = u.id \
LEFT JOIN organisations o ON o.id = m.organisation_id \
LEFT JOIN user_totp t ON t.user_id = u.id \
WHERE u.id = ";
const USER_OVERVIEW_TAIL: &str = " ORDER BY m.created_at, m.organisation_id";

/// The SQL types of [`UserOverviewRow`]'s columns, in order.
type UserOverviewSql = (
    SqlId,
    Text,
    Text,
    Text,
    SqlTime,
    Nullable<Text>,
    Nullable<SqlTime>,
    Nullable<SqlId>,
    Nullable<Text>,
    Nullable<Text>,
    Nullable<SqlTime>,
    Nullable<Text>,
    Nullable<Text>,
    Nullable<Integer>,
    Bool,
    Bool,
    BigInt,
);

/// The statement of `user_overview` for one user.
struct UserOverviewQuery {
    user: DbId,
}

impl diesel::query_builder::QueryId for UserOverviewQuery {
    type QueryId = UserOverviewQuery;
    const HAS_STATIC_QUERY_ID: bool = true;
}

impl diesel::query_builder::QueryFragment<Db> for UserOverviewQuery {
    fn walk_ast<'b>(&'b self, mut out: diesel::query_builder::AstPass<'_, 'b, Db>) -> QueryResult<()> {
        out.push_sql("SELECT ");
        out.push_sql(USER_OVERVIEW_HEAD);
        out.push_bind_param::<SqlId, _>(&self.user)?;
        out.push_sql(USER_OVERVIEW_TAIL);
        Ok(())
    }
}

impl diesel::query_builder::Query for UserOverviewQuery {
    type SqlType = UserOverviewSql;
}

impl RunQueryDsl<dialect::Conn> for UserOverviewQuery {}

#[derive(Queryable)]
struct UserOverviewRow {
    user_id: DbId,
    email: String,
    user_name: String,
    password_hash: String,
    user_created_at: DbTime,
    role: Option<String>,
    member_since: Option<DbTime>,
    organisation_id: Option<DbId>,
    organisation_name: Option<String>,
    vat_number: Option<String>,
    organisation_created_at: Option<DbTime>,
    time_zone: Option<String>,
    vat_periodicity: Option<String>,
    vat_deadline_day: Option<i32>,
    totp_enrolled: bool,
    totp_confirmed: bool,
    recovery_codes_left: i64,
}

impl UserOverviewRow {
    /// The membership and organisation of this row; `None` for a user without memberships.
    fn membership(self) -> Result<Option<(Membership, Organisation)>, RepositoryError> {
        let (
            Some(organisation_id),
            Some(role),
            Some(member_since),
            Some(name),
            Some(created_at),
            Some(zone),
            Some(periodicity),
            Some(deadline),
        ) = (
            self.organisation_id,
            self.role,
            self.member_since,
            self.organisation_name,
            self.organisation_created_at,
            self.time_zone,
            self.vat_periodicity,
            self.vat_deadline_day,
        )
        else {
            return Ok(None);
        };
        let membership = MembershipRow {
            organisation_id: organisation_id.clone(),
            user_id: self.user_id,
            role,
            created_at: member_since,
        }
        .into_domain()?;
        let organisation = OrganisationRow {
            id: organisation_id,
            name,
            vat_number: self.vat_number,
            created_at,
            time_zone: zone,
            vat_periodicity: periodicity,
            vat_deadline_day: deadline,
        }
        .into_domain()?;
        Ok(Some((membership, organisation)))
    }
}

impl AccountRepository for Store {
    fn user_overview(&self, user: UserId) -> Result<Option<UserOverview>, RepositoryError> {
        let rows: Vec<UserOverviewRow> =
            UserOverviewQuery { user: user_id(user) }.load(&mut *self.conn()?).map_err(db_err)?;
        let Some(first) = rows.first() else { return Ok(None) };
        let user = UserRow {
            id: first.user_id.clone(),
            email: first.email.clone(),
            name: first.user_name.clone(),
            password_hash: first.password_hash.clone(),
            created_at: first.user_created_at.clone(),
        }
        .into_domain()?;
        let (totp_enrolled, totp_confirmed) = (first.totp_enrolled, first.totp_confirmed);
        let recovery_codes_left = u32::try_from(first.recovery_codes_left).unwrap_or(u32::MAX);
        let mut memberships = Vec::with_capacity(rows.len());
        for row in rows {
            memberships.extend(row.membership()?);
        }
        Ok(Some(UserOverview { user, memberships, totp_enrolled, totp_confirmed, recovery_codes_left }))
    }

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

    fn update_organisation(&self, organisation: &Organisation, audit: &NewAuditEntry) -> Result<(), RepositoryError> {
        let row = OrganisationRow::from_domain(organisation);
        let n = write_audited(
            &mut *self.write_conn()?,
            audit,
            |n| *n > 0,
            |conn| {
                diesel::update(organisations::table.filter(organisations::id.eq(&row.id)))
                    .set((
                        organisations::name.eq(&row.name),
                        organisations::vat_number.eq(&row.vat_number),
                        organisations::time_zone.eq(&row.time_zone),
                        organisations::vat_periodicity.eq(&row.vat_periodicity),
                        organisations::vat_deadline_day.eq(row.vat_deadline_day),
                    ))
                    .execute(conn)
            },
        )
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
        audit: &NewAuditEntry,
    ) -> Result<MemberChange, RepositoryError> {
        write_audited(
            &mut *self.write_conn()?,
            audit,
            |c| *c == MemberChange::Done,
            |conn| {
                let Some(change) = lock_member_change(conn, organisation, user, from, to != Role::Owner)? else {
                    return Ok(MemberChange::LastOwner);
                };
                if change == MemberChange::Done {
                    diesel::update(member_filter(organisation, user))
                        .set(memberships::role.eq(to.code()))
                        .execute(conn)?;
                }
                Ok(change)
            },
        )
        .map_err(db_err)
    }

    fn remove_member(
        &self,
        organisation: OrganisationId,
        user: UserId,
        role: Role,
        audit: &NewAuditEntry,
    ) -> Result<MemberChange, RepositoryError> {
        write_audited(
            &mut *self.write_conn()?,
            audit,
            |c| *c == MemberChange::Done,
            |conn| {
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
            },
        )
        .map_err(db_err)
    }

    fn create_invitation(&self, invitation: &Invitation, audit: &NewAuditEntry) -> Result<(), RepositoryError> {
        let row = InvitationRow::from_domain(invitation);
        write_audited(
            &mut *self.write_conn()?,
            audit,
            |_| true,
            |conn| diesel::insert_into(invitations::table).values(row).execute(conn),
        )
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

    fn revoke_invitation(
        &self,
        organisation: OrganisationId,
        id: InvitationId,
        audit: &NewAuditEntry,
    ) -> Result<bool, RepositoryError> {
        let n = write_audited(
            &mut *self.write_conn()?,
            audit,
            |n| *n > 0,
            |conn| {
                diesel::delete(
                    invitations::table
                        .filter(invitations::organisation_id.eq(org_id(organisation)))
                        .filter(invitations::id.eq(dialect::id_to_db(*id.as_uuid())))
                        .filter(invitations::accepted_at.is_null()),
                )
                .execute(conn)
            },
        )
        .map_err(db_err)?;
        Ok(n > 0)
    }

    fn accept_invitation(
        &self,
        invitation: &Invitation,
        new_user: Option<&User>,
        membership: &Membership,
        now: time::OffsetDateTime,
        audit: &NewAuditEntry,
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
            append_in(conn, audit)?;
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
