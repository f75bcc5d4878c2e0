//! The caller's personal access tokens: create (the token shown once), list, revoke.
//!
//! Only an interactive session manages tokens: these routes, like the rest of `/auth/*` except
//! `GET /auth/me`, refuse a request that comes with an access token
//! ([`crate::RouteInfo::accepts_access_tokens`]).

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use billify_app::NewAccessToken;
use billify_ports::AccessToken;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::auth::Authenticated;
use crate::extract::JsonBody;
use crate::problem::ApiError;
use crate::{AppState, blocking, timestamp};

#[derive(Deserialize, utoipa::ToSchema)]
#[schema(as = AccessTokenCreateBody)]
#[serde(deny_unknown_fields)]
pub(crate) struct CreateBody {
    name: String,
    scope: String,
    #[serde(default)]
    expires_in_days: Option<u32>,
}

#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = AccessTokenInfo)]
struct TokenView {
    id: String,
    organisation_id: String,
    name: String,
    scope: &'static str,
    created_at: String,
    expires_at: Option<String>,
    last_used_at: Option<String>,
}

impl TokenView {
    fn new(t: &AccessToken) -> Self {
        TokenView {
            id: t.id.to_string(),
            organisation_id: t.organisation_id.to_string(),
            name: t.name.clone(),
            scope: t.scope.code(),
            created_at: timestamp(t.created_at),
            expires_at: t.expires_at.map(timestamp),
            last_used_at: t.last_used_at.map(timestamp),
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
struct IssuedView {
    #[serde(flatten)]
    token: TokenView,
    /// The bearer token: shown this once, never stored.
    secret: String,
}

#[derive(Serialize, utoipa::ToSchema)]
struct TokenList {
    items: Vec<TokenView>,
}

/// `POST /auth/tokens`: 201 with the token's secret, which is never shown again.
#[utoipa::path(
    post,
    path = "/api/v1/auth/tokens",
    operation_id = "access_tokens_create",
    tag = "auth",
    summary = "Create a personal access token (its secret is shown once).",
    request_body = CreateBody,
    responses(
        (status = 201, description = "Created.", body = IssuedView),
        (status = 409, description = "/problems/too-many-tokens"),
    )
)]
pub(crate) async fn create(
    state: web::Data<AppState>,
    auth: Authenticated,
    body: JsonBody<CreateBody>,
) -> Result<HttpResponse, ApiError> {
    let b = body.parse()?;
    let request = NewAccessToken { name: b.name, scope: b.scope, expires_in_days: b.expires_in_days };
    let issued = blocking(move || state.accounts.create_access_token(&auth.0, request).map_err(ApiError::from)).await?;
    Ok(HttpResponse::Created()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(IssuedView { token: TokenView::new(&issued.token), secret: issued.secret }))
}

/// `GET /auth/tokens`: the caller's tokens in the organisation acted on, newest first.
#[utoipa::path(
    get,
    path = "/api/v1/auth/tokens",
    operation_id = "access_tokens_list",
    tag = "auth",
    summary = "The caller's personal access tokens in this organisation.",
    responses(
        (status = 200, description = "Tokens.", body = TokenList),
    )
)]
pub(crate) async fn list(state: web::Data<AppState>, auth: Authenticated) -> Result<HttpResponse, ApiError> {
    let actor = auth.0.actor;
    let tokens = blocking(move || state.accounts.access_tokens(&actor).map_err(ApiError::from)).await?;
    Ok(HttpResponse::Ok().json(TokenList { items: tokens.iter().map(TokenView::new).collect() }))
}

/// `DELETE /auth/tokens/{id}`: 204; another member's token (or none) is a 404.
#[utoipa::path(
    delete,
    path = "/api/v1/auth/tokens/{id}",
    operation_id = "access_tokens_revoke",
    tag = "auth",
    summary = "Revoke a personal access token.",
    responses(
        (status = 204, description = "Revoked."),
    )
)]
pub(crate) async fn revoke(
    state: web::Data<AppState>,
    auth: Authenticated,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = Uuid::try_parse(&path.into_inner()).map_err(|_| ApiError::NotFound("access token not found".into()))?;
    let actor = auth.0.actor;
    blocking(move || state.accounts.revoke_access_token(&actor, id).map_err(ApiError::from)).await?;
    Ok(HttpResponse::NoContent().finish())
}
