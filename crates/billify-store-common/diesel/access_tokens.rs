//! Personal access tokens: the [`AccessTokenRepository`].

use billify_domain::{OrganisationId, UserId};
use billify_ports::audit::NewAuditEntry;
use billify_ports::{AccessToken, AccessTokenRepository, RepositoryError, TokenScope};
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use time::OffsetDateTime;
use uuid::Uuid;

use super::Store;
use super::audit::write_audited;
use super::dialect::{self, Db, DbId, DbTime};
use super::schema::access_tokens;
use super::{db_err, map_err, org_id};

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = access_tokens, check_for_backend(Db), treat_none_as_default_value = false)]
struct AccessTokenRow {
    id: DbId,
    organisation_id: DbId,
    user_id: DbId,
    name: String,
    scope: String,
    token_digest: String,
    created_at: DbTime,
    expires_at: Option<DbTime>,
    last_used_at: Option<DbTime>,
}

impl AccessTokenRow {
    fn from_domain(t: &AccessToken) -> Self {
        AccessTokenRow {
            id: dialect::id_to_db(t.id),
            organisation_id: org_id(t.organisation_id),
            user_id: dialect::id_to_db(*t.user_id.as_uuid()),
            name: t.name.clone(),
            scope: t.scope.code().to_owned(),
            token_digest: t.token_digest.clone(),
            created_at: dialect::time_to_db(t.created_at),
            expires_at: t.expires_at.map(dialect::time_to_db),
            last_used_at: t.last_used_at.map(dialect::time_to_db),
        }
    }

    fn into_domain(self) -> Result<AccessToken, RepositoryError> {
        let time = |t: Option<DbTime>| t.as_ref().map(dialect::time_from_db).transpose();
        Ok(AccessToken {
            id: dialect::id_from_db(&self.id)?,
            organisation_id: OrganisationId::from_uuid(dialect::id_from_db(&self.organisation_id)?),
            user_id: UserId::from_uuid(dialect::id_from_db(&self.user_id)?),
            scope: TokenScope::parse(&self.scope)
                .ok_or_else(|| RepositoryError::Other(format!("unknown token scope {:?}", self.scope).into()))?,
            name: self.name,
            token_digest: self.token_digest,
            created_at: dialect::time_from_db(&self.created_at)?,
            expires_at: time(self.expires_at)?,
            last_used_at: time(self.last_used_at)?,
        })
    }
}

impl AccessTokenRepository for Store {
    fn create_access_token(&self, token: &AccessToken, audit: &NewAuditEntry) -> Result<(), RepositoryError> {
        let row = AccessTokenRow::from_domain(token);
        write_audited(
            &mut *self.write_conn()?,
            audit,
            |_| true,
            |conn| diesel::insert_into(access_tokens::table).values(row).execute(conn),
        )
        .map_err(|e| match e {
            // The membership is gone (removed meanwhile): no token for a non-member.
            DieselError::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, _) => RepositoryError::NotFound,
            e => map_err(e, "access token collision"),
        })?;
        Ok(())
    }

    fn access_token(
        &self,
        organisation: OrganisationId,
        token_digest: &str,
    ) -> Result<Option<AccessToken>, RepositoryError> {
        access_tokens::table
            .filter(access_tokens::organisation_id.eq(org_id(organisation)))
            .filter(access_tokens::token_digest.eq(token_digest))
            .select(AccessTokenRow::as_select())
            .first(&mut self.conn()?)
            .optional()
            .map_err(db_err)?
            .map(AccessTokenRow::into_domain)
            .transpose()
    }

    fn access_tokens_of(
        &self,
        organisation: OrganisationId,
        user: UserId,
    ) -> Result<Vec<AccessToken>, RepositoryError> {
        access_tokens::table
            .filter(access_tokens::organisation_id.eq(org_id(organisation)))
            .filter(access_tokens::user_id.eq(dialect::id_to_db(*user.as_uuid())))
            .order((access_tokens::created_at.desc(), access_tokens::id.desc()))
            .select(AccessTokenRow::as_select())
            .load(&mut self.conn()?)
            .map_err(db_err)?
            .into_iter()
            .map(AccessTokenRow::into_domain)
            .collect()
    }

    fn touch_access_token(
        &self,
        organisation: OrganisationId,
        id: Uuid,
        now: OffsetDateTime,
    ) -> Result<(), RepositoryError> {
        diesel::update(
            access_tokens::table
                .filter(access_tokens::organisation_id.eq(org_id(organisation)))
                .filter(access_tokens::id.eq(dialect::id_to_db(id))),
        )
        .set(access_tokens::last_used_at.eq(Some(dialect::time_to_db(now))))
        .execute(&mut *self.write_conn()?)
        .map_err(db_err)?;
        Ok(())
    }

    fn delete_access_token(
        &self,
        organisation: OrganisationId,
        user: UserId,
        id: Uuid,
        audit: &NewAuditEntry,
    ) -> Result<bool, RepositoryError> {
        let n = write_audited(
            &mut *self.write_conn()?,
            audit,
            |n| *n == 1,
            |conn| {
                diesel::delete(
                    access_tokens::table
                        .filter(access_tokens::organisation_id.eq(org_id(organisation)))
                        .filter(access_tokens::user_id.eq(dialect::id_to_db(*user.as_uuid())))
                        .filter(access_tokens::id.eq(dialect::id_to_db(id))),
                )
                .execute(conn)
            },
        )
        .map_err(db_err)?;
        Ok(n == 1)
    }
}
