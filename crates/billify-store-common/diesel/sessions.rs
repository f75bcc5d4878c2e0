//! Login sessions: the [`SessionRepository`].

use billify_domain::{OrganisationId, Role, SessionId, UserId};
use billify_ports::audit::NewAuditEntry;
use billify_ports::{RepositoryError, Session, SessionAccess, SessionRepository};
use diesel::prelude::*;
use diesel::sql_types::{Bool, Nullable, Text};

use super::Store;
use super::audit::write_audited;
use super::dialect::{self, Db, DbId, DbTime, SqlId, SqlTime};
use super::schema::sessions;
use super::{db_err, map_err, org_id, user_id};

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

/// A session with the roles and the two-factor rule that authenticate it, in one statement: the
/// organisation named comes first (`$1`, bound once), the token digest second.
const SESSION_ACCESS_SQL: &str = "\
SELECT s.token_digest, s.organisation_id, s.user_id, s.created_at, s.expires_at, s.last_seen_at, s.id, \
       s.user_agent, s.ip, \
       (SELECT m.role FROM memberships m \
         WHERE m.organisation_id = s.organisation_id AND m.user_id = s.user_id) AS default_role, \
       (SELECT m.role FROM memberships m \
         WHERE m.organisation_id = p.named AND m.user_id = s.user_id) AS named_role, \
       COALESCE((SELECT o.require_two_factor FROM organisation_security o \
         WHERE o.organisation_id = COALESCE(p.named, s.organisation_id)), FALSE) AS two_factor_required, \
       EXISTS (SELECT 1 FROM user_totp t \
         WHERE t.user_id = s.user_id AND t.confirmed_at IS NOT NULL) AS has_two_factor \
FROM (SELECT $1 AS named) p, sessions s \
WHERE s.token_digest = $2";

#[derive(QueryableByName)]
struct SessionAccessRow {
    #[diesel(sql_type = Text)]
    token_digest: String,
    #[diesel(sql_type = SqlId)]
    organisation_id: DbId,
    #[diesel(sql_type = SqlId)]
    user_id: DbId,
    #[diesel(sql_type = SqlTime)]
    created_at: DbTime,
    #[diesel(sql_type = SqlTime)]
    expires_at: DbTime,
    #[diesel(sql_type = Nullable<SqlTime>)]
    last_seen_at: Option<DbTime>,
    #[diesel(sql_type = SqlId)]
    id: DbId,
    #[diesel(sql_type = Nullable<Text>)]
    user_agent: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    ip: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    default_role: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    named_role: Option<String>,
    #[diesel(sql_type = Bool)]
    two_factor_required: bool,
    #[diesel(sql_type = Bool)]
    has_two_factor: bool,
}

fn role(text: Option<String>) -> Result<Option<Role>, RepositoryError> {
    text.map(|t| t.parse::<Role>().map_err(|e| RepositoryError::Other(format!("stored role: {}", e.message).into())))
        .transpose()
}

impl SessionRepository for Store {
    fn find_session_access(
        &self,
        token_digest: &str,
        organisation: Option<OrganisationId>,
    ) -> Result<Option<SessionAccess>, RepositoryError> {
        let row: Option<SessionAccessRow> = diesel::sql_query(dialect::sql(SESSION_ACCESS_SQL))
            .bind::<Nullable<SqlId>, _>(organisation.map(org_id))
            .bind::<Text, _>(token_digest)
            .get_result(&mut self.conn()?)
            .optional()
            .map_err(db_err)?;
        let Some(r) = row else { return Ok(None) };
        let lacks_required_two_factor = r.two_factor_required && !r.has_two_factor;
        let (default_role, named_role) = (role(r.default_role)?, role(r.named_role)?);
        let session = SessionRow {
            token_digest: r.token_digest,
            organisation_id: r.organisation_id,
            user_id: r.user_id,
            created_at: r.created_at,
            expires_at: r.expires_at,
            last_seen_at: r.last_seen_at,
            id: r.id,
            user_agent: r.user_agent,
            ip: r.ip,
        }
        .into_domain()?;
        Ok(Some(SessionAccess { session, default_role, named_role, lacks_required_two_factor }))
    }

    fn create_session(&self, session: &Session) -> Result<(), RepositoryError> {
        insert_session_in(&mut *self.write_conn()?, session).map_err(|e| map_err(e, "session token collision"))
    }

    fn create_session_audited(&self, session: &Session, audit: &NewAuditEntry) -> Result<(), RepositoryError> {
        write_audited(&mut *self.write_conn()?, audit, |_| true, |conn| insert_session_in(conn, session))
            .map_err(|e| map_err(e, "session token collision"))
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

/// Stores a new session.
fn insert_session_in(conn: &mut dialect::Conn, session: &Session) -> Result<(), diesel::result::Error> {
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
        .execute(conn)?;
    Ok(())
}
