//! Login sessions: the [`SessionRepository`].

use billify_domain::{OrganisationId, SessionId, UserId};
use billify_ports::{RepositoryError, Session, SessionRepository};
use diesel::prelude::*;

use super::Store;
use super::dialect::{self, Db, DbId, DbTime};
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
