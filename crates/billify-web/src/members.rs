//! Members of the organisation acted on, invitations, and accepting an invitation.

use actix_web::{HttpResponse, web};
use billify_app::Invitee;
use billify_domain::{Invitation, InvitationId, UserId};
use billify_ports::Member;
use serde::{Deserialize, Serialize};

use crate::answers::{OrganisationView, UserView};
use crate::auth::{Authenticated, MaybeAuthenticated};
use crate::extract::JsonBody;
use crate::problem::ApiError;
use crate::{AppState, blocking, timestamp};

#[derive(Serialize, utoipa::ToSchema)]
struct MemberView {
    user_id: String,
    email: String,
    name: String,
    role: &'static str,
    member_since: String,
}

impl MemberView {
    fn new(m: &Member) -> Self {
        MemberView {
            user_id: m.user.id.to_string(),
            email: m.user.email.to_string(),
            name: m.user.name.as_str().to_owned(),
            role: m.membership.role.code(),
            member_since: timestamp(m.membership.created_at),
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
struct Items<T> {
    items: Vec<T>,
}

fn member_id(text: &str) -> Result<UserId, ApiError> {
    // A malformed id cannot name a member: same answer as an unknown one.
    text.parse::<UserId>().map_err(|_| ApiError::NotFound("member not found".into()))
}

fn invitation_id(text: &str) -> Result<InvitationId, ApiError> {
    text.parse::<InvitationId>().map_err(|_| ApiError::NotFound("invitation not found".into()))
}

#[utoipa::path(
    get,
    path = "/api/v1/organisation/members",
    operation_id = "members_list",
    tag = "organisation",
    summary = "Members and their roles.",
    responses(
        (status = 200, description = "Members.", body = crate::doc_types::Items<MemberView>),
    )
)]
pub(crate) async fn list(state: web::Data<AppState>, auth: Authenticated) -> Result<HttpResponse, ApiError> {
    let actor = auth.0.actor;
    let members = blocking(move || state.accounts.members(&actor).map_err(ApiError::from)).await?;
    Ok(HttpResponse::Ok().json(Items { items: members.iter().map(MemberView::new).collect() }))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RoleBody {
    role: String,
}

#[utoipa::path(
    patch,
    path = "/api/v1/organisation/members/{user_id}",
    operation_id = "members_change_role",
    tag = "organisation",
    summary = "Change a member's role.",
    request_body = RoleBody,
    responses(
        (status = 200, description = "Changed.", body = MemberView),
        (status = 409, description = "/problems/last-owner"),
    )
)]
pub(crate) async fn change_role(
    state: web::Data<AppState>,
    auth: Authenticated,
    path: web::Path<String>,
    body: JsonBody<RoleBody>,
) -> Result<HttpResponse, ApiError> {
    let actor = auth.0.actor;
    let user = member_id(&path)?;
    let role =
        body.parse()?.role.parse().map_err(|e: billify_domain::ParseError| ApiError::field("role", e.message))?;
    let member = blocking(move || state.accounts.change_role(&actor, user, role).map_err(ApiError::from)).await?;
    Ok(HttpResponse::Ok().json(MemberView::new(&member)))
}

#[utoipa::path(
    delete,
    path = "/api/v1/organisation/members/{user_id}",
    operation_id = "members_remove",
    tag = "organisation",
    summary = "Remove a member.",
    responses(
        (status = 204, description = "Removed."),
        (status = 409, description = "/problems/last-owner"),
    )
)]
pub(crate) async fn remove(
    state: web::Data<AppState>,
    auth: Authenticated,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let actor = auth.0.actor;
    let user = member_id(&path)?;
    blocking(move || state.accounts.remove_member(&actor, user).map_err(ApiError::from)).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Serialize, utoipa::ToSchema)]
struct InvitationView {
    id: String,
    email: String,
    role: &'static str,
    invited_by: String,
    created_at: String,
    expires_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    token: Option<String>,
}

impl InvitationView {
    fn new(i: &Invitation, token: Option<String>) -> Self {
        InvitationView {
            id: i.id.to_string(),
            email: i.email.to_string(),
            role: i.role.code(),
            invited_by: i.invited_by.to_string(),
            created_at: timestamp(i.created_at),
            expires_at: timestamp(i.expires_at),
            token,
        }
    }
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct InviteBody {
    email: String,
    role: String,
}

#[utoipa::path(
    post,
    path = "/api/v1/organisation/invitations",
    operation_id = "members_invite",
    tag = "organisation",
    summary = "Invite someone by email (the token is shown once).",
    request_body = InviteBody,
    responses(
        (status = 201, description = "Invited.", body = InvitationView),
        (status = 409, description = "/problems/already-member"),
    )
)]
pub(crate) async fn invite(
    state: web::Data<AppState>,
    auth: Authenticated,
    body: JsonBody<InviteBody>,
) -> Result<HttpResponse, ApiError> {
    let actor = auth.0.actor;
    let b = body.parse()?;
    let issued = blocking(move || state.accounts.invite(&actor, &b.email, &b.role).map_err(ApiError::from)).await?;
    Ok(HttpResponse::Created().json(InvitationView::new(&issued.invitation, Some(issued.token))))
}

#[utoipa::path(
    get,
    path = "/api/v1/organisation/invitations",
    operation_id = "members_invitations",
    tag = "organisation",
    summary = "Pending invitations.",
    responses(
        (status = 200, description = "Invitations.", body = crate::doc_types::Items<InvitationView>),
    )
)]
pub(crate) async fn invitations(state: web::Data<AppState>, auth: Authenticated) -> Result<HttpResponse, ApiError> {
    let actor = auth.0.actor;
    let pending = blocking(move || state.accounts.invitations(&actor).map_err(ApiError::from)).await?;
    Ok(HttpResponse::Ok().json(Items { items: pending.iter().map(|i| InvitationView::new(i, None)).collect() }))
}

#[utoipa::path(
    delete,
    path = "/api/v1/organisation/invitations/{id}",
    operation_id = "members_revoke",
    tag = "organisation",
    summary = "Revoke an invitation.",
    responses(
        (status = 204, description = "Revoked."),
    )
)]
pub(crate) async fn revoke(
    state: web::Data<AppState>,
    auth: Authenticated,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let actor = auth.0.actor;
    let id = invitation_id(&path)?;
    blocking(move || state.accounts.revoke_invitation(&actor, id).map_err(ApiError::from)).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Deserialize, utoipa::ToSchema)]
#[schema(as = InvitationAcceptBody)]
#[serde(deny_unknown_fields)]
pub(crate) struct AcceptBody {
    token: String,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    password: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
struct AcceptedView {
    organisation: OrganisationView,
    user: UserView,
    role: &'static str,
}

#[utoipa::path(
    post,
    path = "/api/v1/invitations/accept",
    operation_id = "members_accept",
    tag = "organisation",
    summary = "Accept an invitation (a new user gives a name and password; an existing one logs in with the bearer token).",
    request_body = AcceptBody,
    responses(
        (status = 200, description = "Joined as an existing user.", body = AcceptedView),
        (status = 201, description = "Joined as a new user.", body = AcceptedView),
        (status = 401, description = "/problems/unauthenticated /problems/invalid-credentials"),
        (status = 403, description = "/problems/forbidden: the invitation is for another email address"),
        (status = 404, description = "/problems/not-found: no such invitation, or it expired"),
        (status = 409, description = "/problems/already-member /problems/email-taken"),
    )
)]
pub(crate) async fn accept(
    state: web::Data<AppState>,
    auth: MaybeAuthenticated,
    req: actix_web::HttpRequest,
    body: JsonBody<AcceptBody>,
) -> Result<HttpResponse, ApiError> {
    let ip = crate::answers::client_ip(&req);
    let b = body.parse()?;
    let invitee = match auth.0 {
        Some(context) => {
            if b.name.is_some() || b.password.is_some() {
                return Err(ApiError::field("password", "logged in: accept without name and password"));
            }
            Invitee::User(context.actor.user_id)
        }
        None => match (b.name, b.password) {
            (Some(name), Some(password)) => Invitee::NewUser { name, password },
            // The invited address has an account: its password proves the holder.
            (None, Some(password)) => Invitee::ExistingUser { password },
            (Some(_), None) => {
                return Err(ApiError::field("password", "give a password (with a name, to create your account)"));
            }
            (None, None) => {
                return Err(ApiError::field(
                    "password",
                    "log in, give your account's password, or a name and a password to create your account",
                ));
            }
        },
    };
    let token = b.token;
    let accepted =
        blocking(move || state.accounts.accept_invitation_from(&token, invitee, ip).map_err(ApiError::from)).await?;
    let view = AcceptedView {
        organisation: OrganisationView::new(&accepted.organisation),
        user: UserView::new(&accepted.user),
        role: accepted.role.code(),
    };
    Ok(if accepted.created_user { HttpResponse::Created().json(view) } else { HttpResponse::Ok().json(view) })
}
