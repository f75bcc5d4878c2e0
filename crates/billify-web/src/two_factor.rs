//! Two-factor authentication: TOTP enrolment, confirmation and removal, the second step of a
//! login, and which routes a member who lacks a required second factor may still call.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use billify_app::Actor;
use billify_app::two_factor::{PendingSecondFactor, SecondFactor, TwoFactorService};
use billify_domain::{Organisation, OrganisationId};
use serde::{Deserialize, Serialize};

use crate::answers::OrganisationView;
use crate::extract::JsonBody;
use crate::problem::ApiError;
use crate::{AppState, Authenticated, RouteInfo, blocking, timestamp};

/// Routes a member of an organisation that requires two-factor authentication may call without
/// it: enough to see who they are, enrol, and log out.
pub(crate) fn exempt_from_requirement(route: &RouteInfo) -> bool {
    route.path.starts_with("/api/v1/auth/2fa/") || matches!(route.path, "/api/v1/auth/me" | "/api/v1/auth/logout")
}

/// Refuses, with 403 `two-factor-required`, an actor whose organisation requires a second
/// factor they do not have. Runs on the blocking pool.
pub(crate) fn check_requirement(state: &AppState, actor: &Actor) -> Result<(), ApiError> {
    match state.accounts.two_factor() {
        Some(two_factor) => Ok(two_factor.check_requirement(actor)?),
        None => Ok(()),
    }
}

fn service(state: &AppState) -> Result<&TwoFactorService, ApiError> {
    state.accounts.two_factor().map(|s| s.as_ref()).ok_or_else(|| {
        log::error!("two-factor authentication is served but not wired");
        ApiError::Internal
    })
}

/// A second factor is needed: answer the challenge at POST /auth/login/totp.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct ChallengeView {
    second_factor_required: bool,
    challenge: String,
    expires_at: String,
}

/// The answer to a correct password of a user with two-factor authentication on: no session
/// yet, a challenge for `POST /auth/login/totp`.
pub(crate) fn challenge_answer(pending: &PendingSecondFactor) -> HttpResponse {
    HttpResponse::Ok().insert_header((header::CACHE_CONTROL, "no-store")).json(ChallengeView {
        second_factor_required: true,
        challenge: pending.challenge.expose().to_owned(),
        expires_at: timestamp(pending.expires_at),
    })
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct SecondFactorBody {
    challenge: String,
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    recovery_code: Option<String>,
    /// Set the session as a cookie (for browsers) instead of returning its token.
    #[serde(default)]
    cookie: bool,
}

/// `POST /auth/login/totp`: the challenge from the password step with a current code or a
/// recovery code; answers the session like `POST /auth/login`.
#[utoipa::path(
    post,
    path = "/api/v1/auth/login/totp",
    operation_id = "two_factor_login",
    tag = "auth",
    summary = "Answer a login challenge with a TOTP or recovery code.",
    request_body = SecondFactorBody,
    responses(
        (status = 200, description = "A session.", body = crate::answers::TokenView),
        (status = 401, description = "/problems/invalid-credentials"),
    )
)]
pub(crate) async fn login(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: JsonBody<SecondFactorBody>,
) -> Result<HttpResponse, ApiError> {
    let client = crate::answers::client_info(&req);
    let b = body.parse()?;
    let proof = match (b.code, b.recovery_code) {
        (Some(code), None) => SecondFactor::Code(code),
        (None, Some(code)) => SecondFactor::RecoveryCode(code),
        _ => return Err(ApiError::field("code", "give either `code` or `recovery_code`")),
    };
    let cookie = b.cookie.then(|| state.clone());
    let challenge = b.challenge;
    let outcome =
        blocking(move || state.accounts.login_second_factor(&challenge, &proof, &client).map_err(ApiError::from))
            .await?;
    Ok(crate::answers::session_answer(cookie.as_ref().map(|s| s.get_ref()), outcome.token, outcome.expires_at))
}

#[derive(Serialize, utoipa::ToSchema)]
struct SetupView {
    secret: String,
    otpauth_uri: String,
    algorithm: &'static str,
    digits: u8,
    period: u8,
}

/// `POST /auth/2fa/totp`: a new pending enrolment; the secret is in this answer only.
#[utoipa::path(
    post,
    path = "/api/v1/auth/2fa/totp",
    operation_id = "two_factor_enrol",
    tag = "auth",
    summary = "Start TOTP enrolment: the secret and its provisioning URI, shown once.",
    responses(
        (status = 200, description = "The secret to enter in an authenticator.", body = SetupView),
        (status = 409, description = "/problems/two-factor-enabled"),
    )
)]
pub(crate) async fn enrol(state: web::Data<AppState>, auth: Authenticated) -> Result<HttpResponse, ApiError> {
    let actor = auth.0.actor;
    let setup = blocking(move || Ok(service(&state)?.begin_enrolment(&actor)?)).await?;
    Ok(HttpResponse::Ok().insert_header((header::CACHE_CONTROL, "no-store")).json(SetupView {
        secret: setup.secret.expose().to_owned(),
        otpauth_uri: setup.uri.expose().to_owned(),
        algorithm: "SHA1",
        digits: 6,
        period: 30,
    }))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct CodeBody {
    code: String,
}

#[derive(Serialize, utoipa::ToSchema)]
struct RecoveryCodesView {
    enabled: bool,
    recovery_codes: Vec<String>,
}

/// `POST /auth/2fa/totp/confirm`: a current code turns the pending enrolment on; the recovery
/// codes are in this answer only.
#[utoipa::path(
    post,
    path = "/api/v1/auth/2fa/totp/confirm",
    operation_id = "two_factor_confirm",
    tag = "auth",
    summary = "Confirm enrolment with a first code: the recovery codes, shown once.",
    request_body = CodeBody,
    responses(
        (status = 200, description = "On; keep the recovery codes.", body = RecoveryCodesView),
        (status = 401, description = "/problems/invalid-credentials"),
        (status = 409, description = "/problems/two-factor-enabled /problems/two-factor-not-enabled"),
    )
)]
pub(crate) async fn confirm(
    state: web::Data<AppState>,
    auth: Authenticated,
    body: JsonBody<CodeBody>,
) -> Result<HttpResponse, ApiError> {
    let actor = auth.0.actor;
    let b = body.parse()?;
    let codes = blocking(move || Ok(service(&state)?.confirm_enrolment(&actor, &b.code)?)).await?;
    Ok(HttpResponse::Ok().insert_header((header::CACHE_CONTROL, "no-store")).json(RecoveryCodesView {
        enabled: true,
        recovery_codes: codes.iter().map(|c| c.expose().to_owned()).collect(),
    }))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct DisableBody {
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    password: Option<String>,
}

/// `DELETE /auth/2fa/totp`: turns TOTP off, proven with a current code or the password.
#[utoipa::path(
    delete,
    path = "/api/v1/auth/2fa/totp",
    operation_id = "two_factor_disable",
    tag = "auth",
    summary = "Turn two-factor authentication off (password required).",
    request_body = DisableBody,
    responses(
        (status = 204, description = "Off."),
        (status = 401, description = "/problems/invalid-credentials"),
        (status = 409, description = "/problems/two-factor-not-enabled"),
    )
)]
pub(crate) async fn disable(
    state: web::Data<AppState>,
    auth: Authenticated,
    body: JsonBody<DisableBody>,
) -> Result<HttpResponse, ApiError> {
    let actor = auth.0.actor;
    let b = body.parse()?;
    blocking(move || Ok(service(&state)?.disable(&actor, b.code.as_deref(), b.password.as_deref())?)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The two-factor part of `GET /auth/me`.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct TwoFactorView {
    enabled: bool,
    pending: bool,
    recovery_codes_left: u32,
}

impl TwoFactorView {
    /// The user's two-factor state as the profile read it, for `GET /auth/me` (all off when
    /// two-factor authentication is not `offered`).
    pub(crate) fn new(offered: bool, status: billify_app::two_factor::TwoFactorStatus) -> Self {
        if !offered {
            return TwoFactorView { enabled: false, pending: false, recovery_codes_left: 0 };
        }
        TwoFactorView {
            enabled: status.enabled,
            pending: status.pending,
            recovery_codes_left: status.recovery_codes_left,
        }
    }
}

/// Whether the organisation requires two-factor authentication, for `GET /organisation`.
/// Runs on the blocking pool.
pub(crate) fn required(state: &AppState, organisation: OrganisationId) -> Result<bool, ApiError> {
    match state.accounts.two_factor() {
        Some(two_factor) => Ok(two_factor.required(organisation)?),
        None => Ok(false),
    }
}

/// Sets whether the actor's organisation requires two-factor authentication, when the request
/// says. Runs on the blocking pool.
pub(crate) fn set_required(state: &AppState, actor: &Actor, required: Option<bool>) -> Result<(), ApiError> {
    match required {
        Some(required) => Ok(service(state)?.set_required(actor, required)?),
        None => Ok(()),
    }
}

/// An organisation with its security settings, for `GET` and `PATCH /organisation`.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct OrganisationSettingsView {
    #[serde(flatten)]
    organisation: OrganisationView,
    require_two_factor: bool,
}

impl OrganisationSettingsView {
    pub(crate) fn new(organisation: &Organisation, require_two_factor: bool) -> Self {
        OrganisationSettingsView { organisation: OrganisationView::new(organisation), require_two_factor }
    }
}
