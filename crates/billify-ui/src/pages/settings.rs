//! Settings: the organisation (name, VAT number, two-factor requirement), members and their
//! roles, invitations, and the user's own password, two-factor authentication, sessions and
//! personal access tokens. Each section shows only to roles that may use it; secrets that exist
//! once (an invitation link, a token, recovery codes, a TOTP secret) are shown once, in the
//! answer to the form that made them.

use actix_web::{HttpResponse, web};
use billify_app::{NewAccessToken, OwnSession};
use billify_domain::{Invitation, InvitationId, NotificationKind, Permission, Role, SessionId, UserId};
use billify_ports::notifications::{Delivery, DeliveryStatus, WebhookEndpoint};
use billify_ports::{AccessToken, Member};
use billify_web::problem::ApiError;
use maud::{Markup, html};

use crate::error::UiError;
use crate::i18n::Lang;
use crate::layout::{self, Errors, Field, Nav};
use crate::session::{FormData, Signed};

struct Loaded {
    members: Vec<Member>,
    invitations: Vec<Invitation>,
    sessions: Vec<OwnSession>,
    tokens: Vec<AccessToken>,
    two_factor: Option<billify_app::two_factor::TwoFactorStatus>,
    required: bool,
    /// The webhook endpoints with their newest deliveries (admins).
    webhooks: Vec<(WebhookEndpoint, Vec<Delivery>)>,
}

/// How many deliveries of each endpoint the page shows.
const DELIVERIES: u32 = 20;

async fn load(s: &Signed) -> Result<Loaded, UiError> {
    let state = s.state.clone();
    let ctx = s.auth.clone();
    let manage = s.can(Permission::ManageMembers);
    let hooks = s.can(Permission::ManageIntegrations);
    billify_web::blocking(move || {
        let actor = ctx.actor;
        let (members, invitations) = if manage {
            (state.accounts.members(&actor)?, state.accounts.invitations(&actor)?)
        } else {
            (Vec::new(), Vec::new())
        };
        let (two_factor, required) = match state.accounts.two_factor() {
            Some(service) => (Some(service.status(actor.user_id)?), service.required(actor.organisation_id)?),
            None => (None, false),
        };
        let mut webhooks = Vec::new();
        if hooks {
            for endpoint in state.alerts.endpoints(&actor)? {
                let log = state.alerts.endpoint_deliveries(&actor, endpoint.id, DELIVERIES)?;
                webhooks.push((endpoint, log));
            }
        }
        Ok(Loaded {
            webhooks,
            members,
            invitations,
            sessions: state.accounts.own_sessions(&ctx)?,
            tokens: state.accounts.access_tokens(&actor)?,
            two_factor,
            required,
        })
    })
    .await
    .map_err(|e| UiError::api(s.lang, e))
}

fn when(lang: Lang, t: time::OffsetDateTime) -> String {
    lang.date(t.date())
}

fn role_select(lang: Lang, id: &str, current: Option<Role>) -> Markup {
    html! {
        select #(id) name="role" {
            @for r in Role::ALL {
                option value=(r.code()) selected[current == Some(r)] { (lang.t(&format!("role.{}", r.code()))) }
            }
        }
    }
}

fn delivery_badge(lang: Lang, status: DeliveryStatus) -> Markup {
    let (class, icon) = match status {
        DeliveryStatus::Sent => ("safe", "✓"),
        DeliveryStatus::Pending => ("upcoming", "◷"),
        DeliveryStatus::Failed => ("urgent", "!"),
    };
    html! { span class=(format!("badge {class}")) data-status=(status.code()) { span.icon aria-hidden="true" { (icon) } " " (lang.t(&format!("webhooks.status.{}", status.code()))) } }
}

/// Webhook endpoints (admins): each with the kinds it receives and its delivery log, a form to
/// add one (its signing secret is shown once, in the answer), and removal.
fn webhooks_section(
    s: &Signed,
    hooks: &[(WebhookEndpoint, Vec<Delivery>)],
    errors: &Errors,
    form: &FormData,
) -> Markup {
    let lang = s.lang;
    let kind_name = |k: NotificationKind| lang.t(&format!("notif.kind.{}", k.code()));
    html! {
        section.card #webhooks {
            h2 { (lang.t("webhooks.title")) }
            p.muted { (lang.t("webhooks.help")) }
            @if hooks.is_empty() { p.muted { (lang.t("webhooks.none")) } }
            @for (endpoint, log) in hooks {
                article.endpoint data-endpoint=(endpoint.id.to_string()) {
                    h3 { code { (endpoint.url) } }
                    p {
                        (lang.t("webhooks.kinds")) ": "
                        @if endpoint.kinds.is_empty() { (lang.t("webhooks.all_kinds")) }
                        @else { (endpoint.kinds.iter().map(|k| kind_name(*k)).collect::<Vec<_>>().join(", ")) }
                        " · " (lang.tf("webhooks.added", &[("date", &when(lang, endpoint.created_at))]))
                    }
                    form.inline method="post" action=(format!("/settings/webhooks/{}/delete", endpoint.id)) {
                        (layout::csrf(s))
                        button.danger type="submit" { (lang.t("webhooks.delete")) }
                    }
                    details.deliveries open[log.iter().any(|d| d.status != DeliveryStatus::Sent)] {
                        summary { (lang.tf("webhooks.log", &[("n", &log.len().to_string())])) }
                        @if log.is_empty() { p.muted { (lang.t("webhooks.no_deliveries")) } }
                        @else {
                            table.invoices {
                                thead { tr {
                                    th scope="col" { (lang.t("webhooks.when")) }
                                    th scope="col" { (lang.t("webhooks.status")) }
                                    th scope="col" .num { (lang.t("webhooks.attempts")) }
                                    th scope="col" { (lang.t("webhooks.answer")) }
                                } }
                                tbody {
                                    @for d in log {
                                        tr {
                                            td data-label=(lang.t("webhooks.when")) { (crate::pages::bank::when(lang, d.updated_at)) }
                                            td data-label=(lang.t("webhooks.status")) { (delivery_badge(lang, d.status)) }
                                            td.num data-label=(lang.t("webhooks.attempts")) { (d.attempts) }
                                            td data-label=(lang.t("webhooks.answer")) {
                                                @if let Some(code) = d.response_status { "HTTP " (code) " " }
                                                @if let Some(e) = &d.last_error { small.error { (e) } }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            h3 { (lang.t("webhooks.add")) }
            form method="post" action="/settings/webhooks" {
                (layout::csrf(s))
                (Field::new("webhook_url", lang.t("webhooks.url"), form.get("webhook_url").unwrap_or_default()).kind("url").required().hint(lang.t("webhooks.url_hint")).render(errors))
                fieldset.field {
                    legend { (lang.t("webhooks.kinds")) }
                    @for k in NotificationKind::ALL {
                        div.check {
                            input #(format!("f-hook-{}", k.code())) type="checkbox" name=(format!("kind.{}", k.code())) value="on" checked[form.get(&format!("kind.{}", k.code())) == Some("on")];
                            label for=(format!("f-hook-{}", k.code())) { (kind_name(k)) }
                        }
                    }
                    small.hint { (lang.t("webhooks.kinds_hint")) }
                }
                button.primary type="submit" { (lang.t("webhooks.create")) }
            }
        }
    }
}

/// The page, with a box shown once (`once`) and the errors of a refused form.
async fn render(s: &Signed, once: Option<Markup>, errors: &Errors, form: &FormData) -> Result<HttpResponse, UiError> {
    let lang = s.lang;
    let l = load(s).await?;
    let org = &s.profile.organisation;
    let me = s.auth.actor.user_id;
    Ok(layout::page(
        s,
        lang.t("settings.title"),
        Nav::Settings,
        html! {
            h1 { (lang.t("settings.title")) }
            @if let Some(once) = once { div.notice.once role="status" { (once) } }
            @for (_, message) in errors.others(&["name", "vat_number", "email", "role", "current_password", "new_password", "code", "token_name", "expires_in_days", "webhook_url"]) {
                p.error.form-error role="alert" { (message) }
            }
            @if s.can(Permission::ManageOrganisation) {
                section.card #organisation {
                    h2 { (lang.t("settings.organisation")) }
                    form method="post" action="/settings/organisation" {
                        (layout::csrf(s))
                        (Field::new("name", lang.t("field.organisation_name"), &form.get("name").map(str::to_owned).unwrap_or_else(|| org.name.to_string())).required().render(errors))
                        (Field::new("vat_number", lang.t("field.vat_number"), &form.get("vat_number").map(str::to_owned).unwrap_or_else(|| org.vat_number.as_ref().map(|v| v.as_str().to_owned()).unwrap_or_default())).hint(lang.t("field.optional")).render(errors))
                        @if l.two_factor.is_some() {
                            div.field.check {
                                input #f-require type="checkbox" name="require_two_factor" value="on" checked[l.required];
                                label for="f-require" { (lang.t("settings.require_two_factor")) }
                            }
                        }
                        button.primary type="submit" { (lang.t("settings.save")) }
                    }
                }
            }
            @if s.can(Permission::ManageMembers) {
                section.card #members {
                    h2 { (lang.t("settings.members")) }
                    table.invoices {
                        thead { tr { th scope="col" { (lang.t("field.name")) } th scope="col" { (lang.t("field.email")) } th scope="col" { (lang.t("settings.role")) } th scope="col" { span.sr-only { (lang.t("settings.actions")) } } } }
                        tbody {
                            @for m in &l.members {
                                @let uid = m.user.id.to_string();
                                tr {
                                    td data-label=(lang.t("field.name")) { (m.user.name.as_str()) }
                                    td data-label=(lang.t("field.email")) { (m.user.email.to_string()) }
                                    td data-label=(lang.t("settings.role")) {
                                        @if m.user.id == me { (lang.t(&format!("role.{}", m.membership.role.code()))) }
                                        @else {
                                            form.inline method="post" action=(format!("/settings/members/{uid}/role")) {
                                                (layout::csrf(s))
                                                label.sr-only for=(format!("role-{uid}")) { (lang.t("settings.role")) }
                                                (role_select(lang, &format!("role-{uid}"), Some(m.membership.role)))
                                                button type="submit" { (lang.t("settings.change_role")) }
                                            }
                                        }
                                    }
                                    td {
                                        @if m.user.id != me {
                                            form.inline method="post" action=(format!("/settings/members/{uid}/remove")) {
                                                (layout::csrf(s))
                                                button.danger type="submit" { (lang.t("settings.remove")) }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                    h3 { (lang.t("settings.invitations")) }
                    @if l.invitations.is_empty() { p.muted { (lang.t("settings.no_invitations")) } }
                    ul.next {
                        @for i in &l.invitations {
                            li {
                                (i.email.to_string()) " · " (lang.t(&format!("role.{}", i.role.code()))) " · "
                                (lang.tf("settings.invitation_expires", &[("date", &when(lang, i.expires_at))]))
                                form.inline method="post" action=(format!("/settings/invitations/{}/revoke", i.id)) {
                                    (layout::csrf(s))
                                    button.linkish type="submit" { (lang.t("settings.revoke")) }
                                }
                            }
                        }
                    }
                    form method="post" action="/settings/invitations" {
                        (layout::csrf(s))
                        (Field::new("email", lang.t("field.email"), form.get("email").unwrap_or_default()).kind("email").required().render(errors))
                        div.field {
                            label for="f-invite-role" { (lang.t("settings.role")) }
                            (role_select(lang, "f-invite-role", form.get("role").and_then(|r| r.parse().ok()).or(Some(Role::Viewer))))
                            @if let Some(m) = errors.of("role") { p.error { (m) } }
                        }
                        button.primary type="submit" { (lang.t("settings.invite")) }
                    }
                }
            }
            @if s.can(Permission::ManageIntegrations) { (webhooks_section(s, &l.webhooks, errors, form)) }
            @if s.can(Permission::ExportData) {
                section.card #export {
                    h2 { (lang.t("settings.export")) }
                    p { (lang.t("settings.export_help")) }
                    // The API's export answers a signed-in browser too (a GET needs no CSRF token).
                    p { a.button href="/api/v1/organisation/export" download { (lang.t("settings.export_download")) } }
                }
            }
            section.card #password {
                h2 { (lang.t("settings.password")) }
                form method="post" action="/settings/password" {
                    (layout::csrf(s))
                    (Field::new("current_password", lang.t("settings.current_password"), "").kind("password").required().auto("current-password").render(errors))
                    (Field::new("new_password", lang.t("settings.new_password"), "").kind("password").required().auto("new-password").hint(lang.t("register.password_hint")).render(errors))
                    button type="submit" { (lang.t("settings.change_password")) }
                }
            }
            @if let Some(status) = l.two_factor {
                section.card #two-factor {
                    h2 { (lang.t("settings.two_factor")) }
                    @if status.enabled {
                        p { span.badge.safe { "✓ " (lang.t("settings.two_factor_on")) } " "
                            (lang.tf("settings.recovery_left", &[("n", &status.recovery_codes_left.to_string())])) }
                        form method="post" action="/settings/two-factor/disable" {
                            (layout::csrf(s))
                            (Field::new("code", lang.t("field.code"), "").auto("one-time-code").hint(lang.t("settings.disable_hint")).render(errors))
                            button.danger type="submit" { (lang.t("settings.two_factor_disable")) }
                        }
                    } @else if status.pending {
                        form method="post" action="/settings/two-factor/confirm" {
                            (layout::csrf(s))
                            (Field::new("code", lang.t("field.code"), "").required().auto("one-time-code").hint(lang.t("settings.confirm_hint")).render(errors))
                            button.primary type="submit" { (lang.t("settings.two_factor_confirm")) }
                        }
                        form method="post" action="/settings/two-factor/start" {
                            (layout::csrf(s))
                            button.linkish type="submit" { (lang.t("settings.two_factor_restart")) }
                        }
                    } @else {
                        p { span.badge.neutral { (lang.t("settings.two_factor_off")) } }
                        form method="post" action="/settings/two-factor/start" {
                            (layout::csrf(s))
                            button.primary type="submit" { (lang.t("settings.two_factor_start")) }
                        }
                    }
                }
            }
            section.card #sessions {
                h2 { (lang.t("settings.sessions")) }
                ul.next {
                    @for own in &l.sessions {
                        li {
                            (own.session.user_agent.as_deref().unwrap_or("?"))
                            @if let Some(ip) = &own.session.ip { " · " (ip) }
                            " · " (lang.tf("settings.last_seen", &[("date", &when(lang, own.session.last_seen_at))]))
                            @if own.current { " " span.tag { (lang.t("settings.this_session")) } }
                            @else {
                                form.inline method="post" action=(format!("/settings/sessions/{}/revoke", own.session.id)) {
                                    (layout::csrf(s))
                                    button.linkish type="submit" { (lang.t("settings.end_session")) }
                                }
                            }
                        }
                    }
                }
                form method="post" action="/settings/sessions/revoke-all" {
                    (layout::csrf(s))
                    button.danger type="submit" { (lang.t("settings.end_all")) }
                }
            }
            section.card #tokens {
                h2 { (lang.t("settings.tokens")) }
                p.muted { (lang.t("settings.tokens_help")) }
                ul.next {
                    @for t in &l.tokens {
                        li {
                            strong { (t.name) } " · " (lang.t(&format!("scope.{}", t.scope.code())))
                            @if let Some(exp) = t.expires_at { " · " (lang.tf("settings.token_expires", &[("date", &when(lang, exp))])) }
                            form.inline method="post" action=(format!("/settings/tokens/{}/revoke", t.id)) {
                                (layout::csrf(s))
                                button.linkish type="submit" { (lang.t("settings.revoke")) }
                            }
                        }
                    }
                }
                form method="post" action="/settings/tokens" {
                    (layout::csrf(s))
                    (Field::new("token_name", lang.t("settings.token_name"), form.get("token_name").unwrap_or_default()).required().render(errors))
                    div.field {
                        label for="f-scope" { (lang.t("settings.token_scope")) }
                        select #f-scope name="scope" {
                            option value="read" { (lang.t("scope.read")) }
                            option value="read_write" selected[form.get("scope") == Some("read_write")] { (lang.t("scope.read_write")) }
                        }
                    }
                    (Field::new("expires_in_days", lang.t("settings.token_days"), form.get("expires_in_days").unwrap_or("90")).kind("number").render(errors))
                    button type="submit" { (lang.t("settings.token_create")) }
                }
            }
        },
    ))
}

/// `GET /settings`.
pub(crate) async fn page(s: Signed) -> Result<HttpResponse, UiError> {
    render(&s, None, &Errors::default(), &FormData::parse(b"")).await
}

/// Runs a change; on success back to the page's section, on refused input the page with the
/// errors next to the fields and what was typed.
async fn change<T: Send + 'static>(
    s: &Signed,
    form: &FormData,
    anchor: &str,
    f: impl FnOnce(&billify_web::AppState) -> Result<T, ApiError> + Send + 'static,
    shown_once: impl FnOnce(Lang, T) -> Option<Markup>,
) -> Result<HttpResponse, UiError> {
    s.check_csrf_only(form)?;
    let state = s.state.clone();
    let checked = form.check_text(s.lang);
    match billify_web::blocking(move || checked.and_then(|()| f(&state))).await {
        Ok(value) => match shown_once(s.lang, value) {
            Some(once) => render(s, Some(once), &Errors::default(), &FormData::parse(b"")).await,
            None => Ok(layout::see_other(&format!("/settings#{anchor}"))),
        },
        Err(e @ (ApiError::Validation(_) | ApiError::Conflict { .. } | ApiError::InvalidCredentials)) => {
            let errors = match &e {
                ApiError::InvalidCredentials => Errors(vec![("code".into(), s.lang.t("signin.code_invalid").into())]),
                other => Errors::from_api(other),
            };
            let mut response = render(s, None, &errors, form).await?;
            *response.status_mut() = actix_web::http::StatusCode::UNPROCESSABLE_ENTITY;
            Ok(response)
        }
        Err(e) => Err(UiError::api(s.lang, e)),
    }
}

fn none<T>(_: Lang, _: T) -> Option<Markup> {
    None
}

/// `POST /settings/organisation`.
pub(crate) async fn organisation(s: Signed, body: web::Bytes) -> Result<HttpResponse, UiError> {
    let form = FormData::parse(&body);
    let actor = s.auth.actor;
    let name = form.text("name");
    let vat = form.optional("vat_number");
    let required = form.get("require_two_factor") == Some("on");
    let has_two_factor = s.state.accounts.two_factor().is_some();
    change(
        &s,
        &form,
        "organisation",
        move |state| {
            if has_two_factor {
                billify_web::browser::set_two_factor_requirement(state, &actor, Some(required))?;
            }
            Ok(state.accounts.update_organisation(
                &actor,
                billify_app::OrganisationChange {
                    name: Some(&name),
                    vat_number: Some(vat.as_deref()),
                    ..Default::default()
                },
            )?)
        },
        none,
    )
    .await
}

fn user_id(lang: Lang, text: &str) -> Result<UserId, UiError> {
    text.parse::<UserId>().map_err(|_| UiError::api(lang, ApiError::NotFound("member".into())))
}

/// `POST /settings/members/{user_id}/role`.
pub(crate) async fn member_role(s: Signed, path: web::Path<String>, body: web::Bytes) -> Result<HttpResponse, UiError> {
    let form = FormData::parse(&body);
    let user = user_id(s.lang, &path)?;
    let actor = s.auth.actor;
    let role = form.text("role");
    change(
        &s,
        &form,
        "members",
        move |state| {
            let role = role.parse::<Role>().map_err(|e| ApiError::field("role", e.to_string()))?;
            Ok(state.accounts.change_role(&actor, user, role)?)
        },
        none,
    )
    .await
}

/// `POST /settings/members/{user_id}/remove`.
pub(crate) async fn member_remove(
    s: Signed,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, UiError> {
    let form = FormData::parse(&body);
    let user = user_id(s.lang, &path)?;
    let actor = s.auth.actor;
    change(&s, &form, "members", move |state| Ok(state.accounts.remove_member(&actor, user)?), none).await
}

/// `POST /settings/invitations`: the invitation link is shown once.
pub(crate) async fn invite(s: Signed, body: web::Bytes) -> Result<HttpResponse, UiError> {
    let form = FormData::parse(&body);
    let actor = s.auth.actor;
    let (email, role) = (form.text("email"), form.text("role"));
    change(
        &s,
        &form,
        "members",
        move |state| Ok(state.accounts.invite(&actor, &email, &role)?),
        |lang, issued| {
            let link = format!("/invitations/accept?token={}", issued.token);
            Some(html! {
                p { strong { (lang.tf("settings.invited", &[("email", &issued.invitation.email.to_string())])) } }
                p { (lang.t("settings.invite_link")) }
                p { code.secret { (link) } }
            })
        },
    )
    .await
}

/// `POST /settings/invitations/{id}/revoke`.
pub(crate) async fn invitation_revoke(
    s: Signed,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, UiError> {
    let form = FormData::parse(&body);
    let id = path.parse::<InvitationId>().map_err(|_| UiError::api(s.lang, ApiError::NotFound("invitation".into())))?;
    let actor = s.auth.actor;
    change(&s, &form, "members", move |state| Ok(state.accounts.revoke_invitation(&actor, id)?), none).await
}

/// `POST /settings/password`: other sessions end; this one stays.
pub(crate) async fn password(
    s: Signed,
    req: actix_web::HttpRequest,
    body: web::Bytes,
) -> Result<HttpResponse, UiError> {
    let form = FormData::parse(&body);
    billify_web::browser::take_auth_rate(&s.state, &req).map_err(|e| UiError::api(s.lang, e))?;
    let ctx = s.auth.clone();
    let current = form.get("current_password").unwrap_or_default().to_owned();
    let new = form.get("new_password").unwrap_or_default().to_owned();
    change(
        &s,
        &form,
        "password",
        move |state| Ok(state.accounts.change_password(&ctx, &current, &new)?),
        |lang, ()| Some(html! { p { "✓ " (lang.t("settings.password_changed")) } }),
    )
    .await
}

fn two_factor(state: &billify_web::AppState) -> Result<&billify_app::two_factor::TwoFactorService, ApiError> {
    state.accounts.two_factor().map(|s| s.as_ref()).ok_or(ApiError::NotFound("two-factor authentication".into()))
}

/// The QR code of `text` as an inline SVG element (the XML declaration left out), or `None`
/// when it does not fit in a QR code. The SVG holds only shapes and colours generated here.
fn qr_svg(text: &str) -> Option<String> {
    let code = qrcode::QrCode::new(text.as_bytes()).ok()?;
    let svg = code.render::<qrcode::render::svg::Color<'_>>().min_dimensions(200, 200).quiet_zone(true).build();
    svg.find("<svg").map(|at| svg[at..].to_owned())
}

/// `POST /settings/two-factor/start`: the secret, shown once, as a QR code and as text, to add
/// to an authenticator app.
pub(crate) async fn two_factor_start(s: Signed, body: web::Bytes) -> Result<HttpResponse, UiError> {
    let form = FormData::parse(&body);
    let actor = s.auth.actor;
    change(
        &s,
        &form,
        "two-factor",
        move |state| Ok(two_factor(state)?.begin_enrolment(&actor)?),
        |lang, setup| {
            Some(html! {
                p { strong { (lang.t("settings.two_factor_scan")) } }
                @if let Some(svg) = qr_svg(setup.uri.expose()) {
                    figure.qr role="img" aria-label=(lang.t("settings.two_factor_qr")) { (maud::PreEscaped(svg)) }
                }
                p { (lang.t("settings.two_factor_secret")) " " code.secret { (setup.secret.expose()) } }
                p.muted { code.secret { (setup.uri.expose()) } }
                p { (lang.t("settings.confirm_hint")) }
            })
        },
    )
    .await
}

/// `POST /settings/two-factor/confirm`: on; the recovery codes are shown once.
pub(crate) async fn two_factor_confirm(s: Signed, body: web::Bytes) -> Result<HttpResponse, UiError> {
    let form = FormData::parse(&body);
    let actor = s.auth.actor;
    let code = form.text("code");
    change(
        &s,
        &form,
        "two-factor",
        move |state| Ok(two_factor(state)?.confirm_enrolment(&actor, &code)?),
        |lang, codes| {
            Some(html! {
                p { strong { "✓ " (lang.t("settings.two_factor_on")) } }
                p { (lang.t("settings.recovery_codes")) }
                ul.codes { @for c in &codes { li { code.secret { (c.expose()) } } } }
            })
        },
    )
    .await
}

/// `POST /settings/two-factor/disable`: with a current code.
pub(crate) async fn two_factor_disable(s: Signed, body: web::Bytes) -> Result<HttpResponse, UiError> {
    let form = FormData::parse(&body);
    let actor = s.auth.actor;
    let code = form.optional("code");
    change(&s, &form, "two-factor", move |state| Ok(two_factor(state)?.disable(&actor, code.as_deref(), None)?), none)
        .await
}

/// `POST /settings/sessions/{id}/revoke`.
pub(crate) async fn session_revoke(
    s: Signed,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, UiError> {
    let form = FormData::parse(&body);
    let id = path.parse::<SessionId>().map_err(|_| UiError::api(s.lang, ApiError::NotFound("session".into())))?;
    let ctx = s.auth.clone();
    change(&s, &form, "sessions", move |state| Ok(state.accounts.revoke_session(&ctx, id)?), none).await
}

/// `POST /settings/sessions/revoke-all`: every session of the user ends, this one too.
pub(crate) async fn sessions_revoke_all(s: Signed, body: web::Bytes) -> Result<HttpResponse, UiError> {
    let form = FormData::parse(&body);
    s.check_csrf(&form)?;
    let state = s.state.clone();
    let ctx = s.auth.clone();
    billify_web::blocking(move || Ok(state.accounts.logout_all(&ctx)?)).await.map_err(|e| UiError::api(s.lang, e))?;
    Ok(HttpResponse::SeeOther()
        .insert_header((actix_web::http::header::SET_COOKIE, billify_web::browser::cleared_session_cookie(&s.state)))
        .insert_header((actix_web::http::header::LOCATION, "/sign-in"))
        .finish())
}

/// `POST /settings/tokens`: the token is shown once.
pub(crate) async fn token_create(s: Signed, body: web::Bytes) -> Result<HttpResponse, UiError> {
    let form = FormData::parse(&body);
    let ctx = s.auth.clone();
    let name = form.text("token_name");
    let scope = form.text("scope");
    let days = form.text("expires_in_days");
    change(
        &s,
        &form,
        "tokens",
        move |state| {
            let expires_in_days = if days.is_empty() {
                None
            } else {
                Some(days.parse::<u32>().map_err(|_| ApiError::field("expires_in_days", "a whole number of days"))?)
            };
            let issued = state.accounts.create_access_token(&ctx, NewAccessToken { name, scope, expires_in_days });
            issued.map_err(|e| match ApiError::from(e) {
                // The use case names the field `name`; this form calls it `token_name`.
                ApiError::Validation(fields) => ApiError::Validation(
                    fields
                        .into_iter()
                        .map(|mut f| {
                            if f.field == "name" {
                                f.field = "token_name".into();
                            }
                            f
                        })
                        .collect(),
                ),
                other => other,
            })
        },
        |lang, issued| {
            Some(html! {
                p { strong { (lang.tf("settings.token_created", &[("name", &issued.token.name)])) } }
                p { (lang.t("settings.token_once")) }
                p { code.secret { (issued.secret) } }
            })
        },
    )
    .await
}

/// `POST /settings/tokens/{id}/revoke`.
pub(crate) async fn token_revoke(
    s: Signed,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, UiError> {
    let form = FormData::parse(&body);
    let id = uuid::Uuid::parse_str(&path).map_err(|_| UiError::api(s.lang, ApiError::NotFound("token".into())))?;
    let actor = s.auth.actor;
    change(&s, &form, "tokens", move |state| Ok(state.accounts.revoke_access_token(&actor, id)?), none).await
}

/// `POST /settings/webhooks`: a new endpoint (`webhook_url`, a checkbox per kind, none for
/// every kind); its signing secret is shown once.
pub(crate) async fn webhook_create(s: Signed, body: web::Bytes) -> Result<HttpResponse, UiError> {
    let form = FormData::parse(&body);
    let actor = s.auth.actor;
    let url = form.text("webhook_url");
    let kinds: Vec<NotificationKind> =
        NotificationKind::ALL.into_iter().filter(|k| form.get(&format!("kind.{}", k.code())) == Some("on")).collect();
    change(
        &s,
        &form,
        "webhooks",
        move |state| {
            state.alerts.create_endpoint(&actor, &url, kinds).map_err(|e| match ApiError::from(e) {
                // The use case names the field `url`; this form calls it `webhook_url`.
                ApiError::Validation(fields) => ApiError::Validation(
                    fields
                        .into_iter()
                        .map(|mut f| {
                            if f.field == "url" {
                                f.field = "webhook_url".into();
                            }
                            f
                        })
                        .collect(),
                ),
                other => other,
            })
        },
        |lang, created| {
            Some(html! {
                p { strong { (lang.tf("webhooks.created", &[("url", &created.endpoint.url)])) } }
                p { (lang.t("webhooks.secret_once")) }
                p { code.secret #webhook-secret { (created.secret.expose()) } }
            })
        },
    )
    .await
}

/// `POST /settings/webhooks/{id}/delete`: the endpoint receives nothing more; its log stays.
pub(crate) async fn webhook_delete(
    s: Signed,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, UiError> {
    let form = FormData::parse(&body);
    let id = uuid::Uuid::parse_str(&path).map_err(|_| UiError::api(s.lang, ApiError::NotFound("webhook".into())))?;
    let actor = s.auth.actor;
    change(&s, &form, "webhooks", move |state| Ok(state.alerts.delete_endpoint(&actor, id)?), none).await
}
