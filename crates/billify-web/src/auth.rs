//! Registration, login, logout, the current user, and the bearer-token extractor.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpMessage as _, HttpRequest, HttpResponse, web};
use billify_app::{AuthContext, Registration};
use billify_domain::OrganisationId;
use serde::{Deserialize, Serialize};

use crate::answers::{OrganisationView, UserView, client_info, client_ip, session_answer};
use crate::extract::JsonBody;
use crate::problem::ApiError;
use crate::{AppState, blocking, timestamp};

/// The request header naming the organisation acted on; without it, the session's default.
pub const ORGANISATION_HEADER: &str = "x-billify-organisation";

/// An authenticated request: the bearer token resolved to who acts where, with the role there
/// already checked against the permission the route requires (see [`crate::ROUTES`]).
///
/// The organisation is the one named by [`ORGANISATION_HEADER`], or the session's default; a
/// user who is not a member of the organisation named gets 404, a member whose role lacks the
/// route's permission 403.
pub struct Authenticated(pub AuthContext);

/// Why a personal access token is refused on a route that takes an interactive session.
const TOKEN_REFUSED: &str = "a personal access token cannot do this; log in";

fn bearer_token(req: &HttpRequest) -> Option<String> {
    req.headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
        .map(|t| t.trim().to_owned())
}

fn organisation_header(req: &HttpRequest) -> Result<Option<OrganisationId>, ApiError> {
    let Some(value) = req.headers().get(ORGANISATION_HEADER) else {
        return Ok(None);
    };
    // A value that is not a UUID cannot name an organisation of the caller's.
    value
        .to_str()
        .ok()
        .and_then(|v| v.trim().parse::<OrganisationId>().ok())
        .map(Some)
        .ok_or_else(|| ApiError::NotFound("organisation not found".into()))
}

impl FromRequest for Authenticated {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let token = bearer_token(req);
        let cookie = crate::security::cookie_token(req);
        let csrf = crate::security::changes_state(req.method()).then(|| crate::security::csrf_header(req));
        let organisation = organisation_header(req);
        let route = crate::route_of(req);
        let ip = client_ip(req);
        let request = req.clone();
        Box::pin(async move {
            let state = state.ok_or(ApiError::Internal)?;
            if let (Some(cookie), Some(given)) = (&cookie, &csrf) {
                crate::security::check_csrf(&state, cookie, given.as_deref())?;
            }
            let token = token.filter(|t| !t.is_empty()).or(cookie).ok_or(ApiError::Unauthenticated)?;
            let organisation = organisation?;
            let Some(route) = route else {
                log::error!("an authenticated handler is served outside the route table");
                return Err(ApiError::Internal);
            };
            // A member whose organisation requires a second factor they lack may only enrol.
            let exempt = crate::two_factor::exempt_from_requirement(route);
            // A session this process authenticated a moment ago is answered from memory, on the
            // event loop: no statement, no hop to the blocking pool.
            let mut context = match state.accounts.authenticate_cached(&token, organisation, exempt) {
                Some(context) => context,
                None => {
                    blocking(move || Ok(state.accounts.authenticate_request(&token, organisation, exempt)?)).await?
                }
            };
            context.actor.ip = ip;
            request.extensions_mut().insert(crate::observe::ActedOn(context.actor.organisation_id));
            if context.access_token.is_some() && !route.accepts_access_tokens() {
                return Err(ApiError::Forbidden(TOKEN_REFUSED.into()));
            }
            if let Some(permission) = route.access.permission()
                && !context.actor.role.can(permission)
            {
                return Err(ApiError::Forbidden("your role does not allow this".into()));
            }
            Ok(Authenticated(context))
        })
    }
}

/// A request that may carry a session (for routes open to anonymous callers that do more for
/// logged-in ones): `None` without an `Authorization` header or a live session cookie; a bad
/// bearer token is 401, a personal access token 403, and a state-changing request of a cookie session needs its CSRF token like
/// [`Authenticated`].
pub struct MaybeAuthenticated(pub Option<AuthContext>);

impl FromRequest for MaybeAuthenticated {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let token = bearer_token(req);
        let present = req.headers().contains_key(header::AUTHORIZATION);
        let cookie = crate::security::cookie_token(req);
        let csrf = crate::security::changes_state(req.method()).then(|| crate::security::csrf_header(req));
        let ip = client_ip(req);
        Box::pin(async move {
            if !present && cookie.is_none() {
                return Ok(MaybeAuthenticated(None));
            }
            let state = state.ok_or(ApiError::Internal)?;
            let token = token.filter(|t| !t.is_empty()).or(cookie.clone()).ok_or(ApiError::Unauthenticated)?;
            let accounts = state.clone();
            let mut context =
                match blocking(move || accounts.accounts.authenticate(&token).map_err(ApiError::from)).await {
                    Ok(context) => context,
                    // A browser whose session cookie expired is simply not logged in any more (and
                    // acts on no session's authority, so no CSRF token is due); a bad bearer token
                    // is the caller's mistake and says so.
                    Err(ApiError::Unauthenticated) if cookie.is_some() => return Ok(MaybeAuthenticated(None)),
                    Err(e) => return Err(e),
                };
            if let (Some(cookie), Some(given)) = (&cookie, &csrf) {
                crate::security::check_csrf(&state, cookie, given.as_deref())?;
            }
            if context.access_token.is_some() {
                return Err(ApiError::Forbidden(TOKEN_REFUSED.into()));
            }
            context.actor.ip = ip;
            Ok(MaybeAuthenticated(Some(context)))
        })
    }
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RegisterBody {
    organisation_name: String,
    name: String,
    email: String,
    password: String,
    #[serde(default)]
    vat_number: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
struct RegisteredView {
    organisation: OrganisationView,
    user: UserView,
}

#[utoipa::path(
    post,
    path = "/api/v1/auth/register",
    operation_id = "auth_register",
    tag = "auth",
    summary = "Register an organisation and its owner.",
    request_body = RegisterBody,
    responses(
        (status = 201, description = "Registered.", body = RegisteredView),
        (status = 409, description = "/problems/email-taken"),
    )
)]
pub(crate) async fn register(
    state: web::Data<AppState>,
    body: JsonBody<RegisterBody>,
) -> Result<HttpResponse, ApiError> {
    let b = body.parse()?;
    let (organisation, user) = blocking(move || {
        state
            .accounts
            .register(Registration {
                organisation_name: b.organisation_name,
                name: b.name,
                email: b.email,
                password: b.password,
                vat_number: b.vat_number,
            })
            .map_err(ApiError::from)
    })
    .await?;
    Ok(HttpResponse::Created()
        .json(RegisteredView { organisation: OrganisationView::new(&organisation), user: UserView::new(&user) }))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct LoginBody {
    email: String,
    password: String,
    #[serde(default)]
    organisation_id: Option<String>,
    /// Set the session as a cookie (for browsers) instead of returning its token.
    #[serde(default)]
    cookie: bool,
}

#[utoipa::path(
    post,
    path = "/api/v1/auth/login",
    operation_id = "auth_login",
    tag = "auth",
    summary = "Log in with email and password: a session token, a cookie session (`cookie: true`), or a second-factor challenge.",
    request_body = LoginBody,
    responses(
        (status = 200, description = "A session, or a challenge for POST /auth/login/totp when two-factor is on.", body = LoginAnswer),
        (status = 401, description = "/problems/invalid-credentials (also for a locked account)"),
    )
)]
pub(crate) async fn login(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: JsonBody<LoginBody>,
) -> Result<HttpResponse, ApiError> {
    let client = client_info(&req);
    let b = body.parse()?;
    // A browser login answers with a cookie (state kept for it: the call below takes it).
    let cookie = b.cookie.then(|| state.clone());
    let organisation = match b.organisation_id.as_deref() {
        None => None,
        Some(text) => Some(
            text.parse::<OrganisationId>()
                .map_err(|_| ApiError::field("organisation_id", "you are not a member of this organisation"))?,
        ),
    };
    let login = blocking(move || Ok(state.accounts.login_from(&b.email, &b.password, organisation, &client))).await?;
    let outcome = match login {
        // Two-factor authentication is on: no session yet, a challenge for the code.
        Err(billify_app::AccountError::SecondFactorRequired(pending)) => {
            return Ok(crate::two_factor::challenge_answer(&pending));
        }
        other => other?,
    };
    Ok(session_answer(cookie.as_ref().map(|s| s.get_ref()), outcome.token, outcome.expires_at))
}

#[utoipa::path(
    post,
    path = "/api/v1/auth/logout",
    operation_id = "auth_logout",
    tag = "auth",
    summary = "End this session.",
    responses(
        (status = 204, description = "Logged out."),
    )
)]
pub(crate) async fn logout(state: web::Data<AppState>, auth: Authenticated) -> Result<HttpResponse, ApiError> {
    let cleared = crate::security::cleared_cookie(state.security.behind_tls);
    blocking(move || state.accounts.logout(&auth.0).map_err(ApiError::from)).await?;
    Ok(HttpResponse::NoContent().insert_header((header::SET_COOKIE, cleared)).finish())
}

#[derive(Serialize, utoipa::ToSchema)]
struct MembershipView {
    organisation_id: String,
    role: &'static str,
}

#[derive(Serialize, utoipa::ToSchema)]
struct AccessTokenView {
    id: String,
    scope: &'static str,
}

#[derive(Serialize, utoipa::ToSchema)]
struct MeView {
    user: UserView,
    organisation: OrganisationView,
    role: &'static str,
    memberships: Vec<MembershipView>,
    session_expires_at: String,
    two_factor: crate::two_factor::TwoFactorView,
    /// When the request came with a personal access token: which one, and its scope.
    #[serde(skip_serializing_if = "Option::is_none")]
    access_token: Option<AccessTokenView>,
    /// For cookie sessions: the token state-changing requests carry in `X-CSRF-Token`.
    #[serde(skip_serializing_if = "Option::is_none")]
    csrf_token: Option<String>,
}

#[utoipa::path(
    get,
    path = "/api/v1/auth/me",
    operation_id = "auth_me",
    tag = "auth",
    summary = "Who acts, in which organisation, with which role.",
    responses(
        (status = 200, description = "The caller.", body = MeView),
    )
)]
pub(crate) async fn me(
    state: web::Data<AppState>,
    req: HttpRequest,
    auth: Authenticated,
) -> Result<HttpResponse, ApiError> {
    let csrf_token = crate::security::cookie_csrf(&req, &state);
    let actor = auth.0.actor;
    let expires_at = auth.0.expires_at;
    let access_token = auth.0.access_token.map(|t| AccessTokenView { id: t.id.to_string(), scope: t.scope.code() });
    let offered = state.accounts.two_factor().is_some();
    // A user shown a moment ago is answered from memory on the event loop, like the session.
    let profile = match state.accounts.profile_cached(&actor) {
        Some(profile) => profile,
        None => {
            let state = state.clone();
            blocking(move || Ok(state.accounts.profile(&actor)?)).await?
        }
    };
    let two_factor = crate::two_factor::TwoFactorView::new(offered, profile.two_factor);
    Ok(HttpResponse::Ok().json(MeView {
        user: UserView::new(&profile.user),
        organisation: OrganisationView::new(&profile.organisation),
        role: profile.role.code(),
        memberships: profile
            .memberships
            .iter()
            .map(|m| MembershipView { organisation_id: m.organisation_id.to_string(), role: m.role.code() })
            .collect(),
        session_expires_at: timestamp(expires_at),
        csrf_token,
        two_factor,
        access_token,
    }))
}

#[utoipa::path(
    get,
    path = "/api/v1/organisation",
    operation_id = "auth_organisation",
    tag = "organisation",
    summary = "The organisation acted on, with its settings.",
    responses(
        (status = 200, description = "The organisation.", body = crate::two_factor::OrganisationSettingsView),
    )
)]
pub(crate) async fn organisation(state: web::Data<AppState>, auth: Authenticated) -> Result<HttpResponse, ApiError> {
    let actor = auth.0.actor;
    let (profile, required) = blocking(move || {
        Ok((state.accounts.profile(&actor)?, crate::two_factor::required(&state, actor.organisation_id)?))
    })
    .await?;
    Ok(HttpResponse::Ok().json(crate::two_factor::OrganisationSettingsView::new(&profile.organisation, required)))
}

fn nullable<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(d).map(Some)
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct OrganisationPatch {
    #[serde(default)]
    name: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    vat_number: Option<Option<String>>,
    #[serde(default)]
    require_two_factor: Option<bool>,
    #[serde(default)]
    time_zone: Option<String>,
    #[serde(default)]
    vat_periodicity: Option<String>,
    #[serde(default)]
    vat_deadline_day: Option<i64>,
}

#[utoipa::path(
    patch,
    path = "/api/v1/organisation",
    operation_id = "auth_update_organisation",
    tag = "organisation",
    summary = "Change the organisation's name, VAT number, time zone, VAT periods or two-factor rule.",
    request_body = OrganisationPatch,
    responses(
        (status = 200, description = "Changed.", body = crate::two_factor::OrganisationSettingsView),
    )
)]
pub(crate) async fn update_organisation(
    state: web::Data<AppState>,
    auth: Authenticated,
    body: JsonBody<OrganisationPatch>,
) -> Result<HttpResponse, ApiError> {
    let actor = auth.0.actor;
    let patch = body.parse()?;
    let (organisation, required) = blocking(move || {
        // The requirement first: a role that may not set it changes nothing.
        crate::two_factor::set_required(&state, &actor, patch.require_two_factor)?;
        let organisation = state.accounts.update_organisation(
            &actor,
            billify_app::accounts::OrganisationChange {
                name: patch.name.as_deref(),
                vat_number: patch.vat_number.as_ref().map(|v| v.as_deref()),
                time_zone: patch.time_zone.as_deref(),
                vat_periodicity: patch.vat_periodicity.as_deref(),
                vat_deadline_day: patch.vat_deadline_day,
            },
        )?;
        Ok((organisation, crate::two_factor::required(&state, actor.organisation_id)?))
    })
    .await?;
    Ok(HttpResponse::Ok().json(crate::two_factor::OrganisationSettingsView::new(&organisation, required)))
}

/// The answer to a login: a session (a bearer token, or a cookie with `{"csrf_token"}` when
/// `cookie: true` was asked), or a second-factor challenge.
#[derive(serde::Serialize, utoipa::ToSchema)]
#[serde(untagged)]
#[allow(dead_code, reason = "documents the JSON the handler builds")]
pub(crate) enum LoginAnswer {
    /// A bearer session.
    Session(crate::answers::TokenView),
    /// A cookie session (the cookie is set) and its CSRF token.
    Cookie(crate::security::CookieLoginView),
    /// A second factor is needed.
    Challenge(crate::two_factor::ChallengeView),
}
