//! TOTP enrolments, recovery codes, login challenges and organisation security settings: the
//! [`TwoFactorRepository`].

use billify_domain::{OrganisationId, UserId};
use billify_ports::audit::NewAuditEntry;
use billify_ports::two_factor::{LoginChallenge, TotpEnrolment, TwoFactorRepository, totp_context};
use billify_ports::{RepositoryError, SealedSecretRef};
use diesel::prelude::*;
use time::OffsetDateTime;
use uuid::Uuid;

use super::Store;
use super::audit::{append_in, write_audited};
use super::dialect::{self, Db, DbId, DbTime};
use super::schema::{login_challenges, organisation_security, recovery_codes, user_totp};
use super::{db_err, map_err, org_id};

/// The kind under which [`billify_ports::SealedSecretStore`] lists sealed TOTP secrets.
pub(super) const TOTP_SECRET_KIND: &str = "user.totp";

fn uid(user: UserId) -> DbId {
    dialect::id_to_db(*user.as_uuid())
}

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = user_totp, check_for_backend(Db), treat_none_as_default_value = false)]
struct TotpRow {
    user_id: DbId,
    sealed_secret: String,
    confirmed_at: Option<DbTime>,
    last_step: Option<i64>,
    created_at: DbTime,
}

impl TotpRow {
    fn into_domain(self) -> Result<TotpEnrolment, RepositoryError> {
        Ok(TotpEnrolment {
            user_id: UserId::from_uuid(dialect::id_from_db(&self.user_id)?),
            sealed_secret: self.sealed_secret,
            confirmed_at: self.confirmed_at.as_ref().map(dialect::time_from_db).transpose()?,
            last_step: self.last_step,
            created_at: dialect::time_from_db(&self.created_at)?,
        })
    }
}

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = login_challenges, check_for_backend(Db), treat_none_as_default_value = false)]
struct ChallengeRow {
    challenge_digest: String,
    user_id: DbId,
    organisation_id: Option<DbId>,
    created_at: DbTime,
    expires_at: DbTime,
}

impl ChallengeRow {
    fn into_domain(self) -> Result<LoginChallenge, RepositoryError> {
        Ok(LoginChallenge {
            challenge_digest: self.challenge_digest,
            user_id: UserId::from_uuid(dialect::id_from_db(&self.user_id)?),
            organisation_id: self
                .organisation_id
                .as_ref()
                .map(|o| dialect::id_from_db(o).map(OrganisationId::from_uuid))
                .transpose()?,
            created_at: dialect::time_from_db(&self.created_at)?,
            expires_at: dialect::time_from_db(&self.expires_at)?,
        })
    }
}

impl TwoFactorRepository for Store {
    fn totp(&self, user: UserId) -> Result<Option<TotpEnrolment>, RepositoryError> {
        user_totp::table
            .filter(user_totp::user_id.eq(uid(user)))
            .select(TotpRow::as_select())
            .first(&mut self.conn()?)
            .optional()
            .map_err(db_err)?
            .map(TotpRow::into_domain)
            .transpose()
    }

    fn begin_totp(&self, enrolment: &TotpEnrolment) -> Result<(), RepositoryError> {
        let row = TotpRow {
            user_id: uid(enrolment.user_id),
            sealed_secret: enrolment.sealed_secret.clone(),
            confirmed_at: enrolment.confirmed_at.map(dialect::time_to_db),
            last_step: enrolment.last_step,
            created_at: dialect::time_to_db(enrolment.created_at),
        };
        let mut conn = self.write_conn()?;
        dialect::write_transaction(&mut conn, |conn| {
            // A pending enrolment is replaced; an active one stays and makes the insert conflict.
            diesel::delete(
                user_totp::table.filter(user_totp::user_id.eq(&row.user_id)).filter(user_totp::confirmed_at.is_null()),
            )
            .execute(conn)?;
            diesel::insert_into(user_totp::table).values(&row).execute(conn)
        })
        .map_err(|e| map_err(e, "two-factor authentication is on already"))?;
        Ok(())
    }

    fn confirm_totp(
        &self,
        user: UserId,
        sealed_secret: &str,
        step: i64,
        recovery_digests: &[String],
        now: OffsetDateTime,
        audit: &NewAuditEntry,
    ) -> Result<bool, RepositoryError> {
        let id = uid(user);
        let mut conn = self.write_conn()?;
        dialect::write_transaction(&mut conn, |conn| {
            let confirmed = diesel::update(
                user_totp::table
                    .filter(user_totp::user_id.eq(&id))
                    .filter(user_totp::sealed_secret.eq(sealed_secret))
                    .filter(user_totp::confirmed_at.is_null()),
            )
            .set((user_totp::confirmed_at.eq(Some(dialect::time_to_db(now))), user_totp::last_step.eq(Some(step))))
            .execute(conn)?;
            if confirmed != 1 {
                return Ok(false);
            }
            diesel::delete(recovery_codes::table.filter(recovery_codes::user_id.eq(&id))).execute(conn)?;
            for digest in recovery_digests {
                diesel::insert_into(recovery_codes::table)
                    .values((
                        recovery_codes::user_id.eq(&id),
                        recovery_codes::code_digest.eq(digest),
                        recovery_codes::used_at.eq(None::<DbTime>),
                    ))
                    .execute(conn)?;
            }
            append_in(conn, audit)?;
            Ok(true)
        })
        .map_err(db_err)
    }

    fn use_totp_step(&self, user: UserId, step: i64) -> Result<bool, RepositoryError> {
        let n = diesel::update(
            user_totp::table
                .filter(user_totp::user_id.eq(uid(user)))
                .filter(user_totp::confirmed_at.is_not_null())
                .filter(user_totp::last_step.is_null().or(user_totp::last_step.lt(step))),
        )
        .set(user_totp::last_step.eq(Some(step)))
        .execute(&mut *self.write_conn()?)
        .map_err(db_err)?;
        Ok(n == 1)
    }

    fn use_recovery_code(&self, user: UserId, digest: &str, now: OffsetDateTime) -> Result<bool, RepositoryError> {
        let n = diesel::update(
            recovery_codes::table
                .filter(recovery_codes::user_id.eq(uid(user)))
                .filter(recovery_codes::code_digest.eq(digest))
                .filter(recovery_codes::used_at.is_null()),
        )
        .set(recovery_codes::used_at.eq(Some(dialect::time_to_db(now))))
        .execute(&mut *self.write_conn()?)
        .map_err(db_err)?;
        Ok(n == 1)
    }

    fn recovery_codes_left(&self, user: UserId) -> Result<u32, RepositoryError> {
        let n: i64 = recovery_codes::table
            .filter(recovery_codes::user_id.eq(uid(user)))
            .filter(recovery_codes::used_at.is_null())
            .count()
            .get_result(&mut self.conn()?)
            .map_err(db_err)?;
        Ok(u32::try_from(n).unwrap_or(u32::MAX))
    }

    fn remove_totp(&self, user: UserId, audit: &NewAuditEntry) -> Result<bool, RepositoryError> {
        let id = uid(user);
        write_audited(
            &mut *self.write_conn()?,
            audit,
            |n| *n == 1,
            |conn| {
                diesel::delete(recovery_codes::table.filter(recovery_codes::user_id.eq(&id))).execute(conn)?;
                diesel::delete(login_challenges::table.filter(login_challenges::user_id.eq(&id))).execute(conn)?;
                diesel::delete(
                    user_totp::table.filter(user_totp::user_id.eq(&id)).filter(user_totp::confirmed_at.is_not_null()),
                )
                .execute(conn)
            },
        )
        .map(|n| n == 1)
        .map_err(db_err)
    }

    fn create_login_challenge(&self, challenge: &LoginChallenge) -> Result<(), RepositoryError> {
        let row = ChallengeRow {
            challenge_digest: challenge.challenge_digest.clone(),
            user_id: uid(challenge.user_id),
            organisation_id: challenge.organisation_id.map(org_id),
            created_at: dialect::time_to_db(challenge.created_at),
            expires_at: dialect::time_to_db(challenge.expires_at),
        };
        diesel::insert_into(login_challenges::table)
            .values(&row)
            .execute(&mut *self.write_conn()?)
            .map_err(|e| map_err(e, "duplicate login challenge"))?;
        Ok(())
    }

    fn login_challenge(&self, digest: &str) -> Result<Option<LoginChallenge>, RepositoryError> {
        login_challenges::table
            .filter(login_challenges::challenge_digest.eq(digest))
            .select(ChallengeRow::as_select())
            .first(&mut self.conn()?)
            .optional()
            .map_err(db_err)?
            .map(ChallengeRow::into_domain)
            .transpose()
    }

    fn consume_login_challenge(&self, digest: &str) -> Result<bool, RepositoryError> {
        let n = diesel::delete(login_challenges::table.filter(login_challenges::challenge_digest.eq(digest)))
            .execute(&mut *self.write_conn()?)
            .map_err(db_err)?;
        Ok(n == 1)
    }

    fn delete_expired_login_challenges(&self, now: OffsetDateTime) -> Result<u64, RepositoryError> {
        let n =
            diesel::delete(login_challenges::table.filter(login_challenges::expires_at.le(dialect::time_to_db(now))))
                .execute(&mut *self.write_conn()?)
                .map_err(db_err)?;
        Ok(n as u64)
    }

    fn two_factor_required(&self, organisation: OrganisationId) -> Result<bool, RepositoryError> {
        let required: Option<bool> = organisation_security::table
            .filter(organisation_security::organisation_id.eq(org_id(organisation)))
            .select(organisation_security::require_two_factor)
            .first(&mut self.conn()?)
            .optional()
            .map_err(db_err)?;
        Ok(required.unwrap_or(false))
    }

    fn set_two_factor_required(
        &self,
        organisation: OrganisationId,
        required: bool,
        now: OffsetDateTime,
    ) -> Result<(), RepositoryError> {
        let org = org_id(organisation);
        let now = dialect::time_to_db(now);
        diesel::insert_into(organisation_security::table)
            .values((
                organisation_security::organisation_id.eq(&org),
                organisation_security::require_two_factor.eq(required),
                organisation_security::updated_at.eq(&now),
            ))
            .on_conflict(organisation_security::organisation_id)
            .do_update()
            .set((organisation_security::require_two_factor.eq(required), organisation_security::updated_at.eq(&now)))
            .execute(&mut *self.write_conn()?)
            .map_err(db_err)?;
        Ok(())
    }

    fn lacks_required_two_factor(&self, organisation: OrganisationId, user: UserId) -> Result<bool, RepositoryError> {
        if !self.two_factor_required(organisation)? {
            return Ok(false);
        }
        let active: i64 = user_totp::table
            .filter(user_totp::user_id.eq(uid(user)))
            .filter(user_totp::confirmed_at.is_not_null())
            .count()
            .get_result(&mut self.conn()?)
            .map_err(db_err)?;
        Ok(active == 0)
    }
}

impl Store {
    /// Every sealed TOTP secret, for key rotation (listed by the store's
    /// [`billify_ports::SealedSecretStore`]). Users are global, so the reference names no
    /// organisation (the nil id).
    pub(super) fn sealed_totp_secrets(&self) -> Result<Vec<(SealedSecretRef, String)>, RepositoryError> {
        let rows: Vec<(DbId, String)> = user_totp::table
            .select((user_totp::user_id, user_totp::sealed_secret))
            .load(&mut self.conn()?)
            .map_err(db_err)?;
        rows.into_iter()
            .map(|(user, sealed)| {
                let id = dialect::id_from_db(&user)?;
                let context = totp_context(UserId::from_uuid(id));
                let organisation_id = OrganisationId::from_uuid(Uuid::nil());
                Ok((SealedSecretRef { kind: TOTP_SECRET_KIND.into(), organisation_id, id, context }, sealed))
            })
            .collect()
    }

    /// Replaces a sealed TOTP secret if it still equals `old` (compare and swap).
    pub(super) fn reseal_totp_secret(
        &self,
        at: &SealedSecretRef,
        old: &str,
        new: &str,
    ) -> Result<bool, RepositoryError> {
        let n = diesel::update(
            user_totp::table
                .filter(user_totp::user_id.eq(dialect::id_to_db(at.id)))
                .filter(user_totp::sealed_secret.eq(old)),
        )
        .set(user_totp::sealed_secret.eq(new))
        .execute(&mut *self.write_conn()?)
        .map_err(db_err)?;
        Ok(n == 1)
    }
}
