//! Signing in (with the second factor when it is on), registering, signing out, accepting an
//! invitation, and the language and organisation choices.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use billify_app::two_factor::SecondFactor;
use billify_app::{AccountError, Invitee, Registration};
use billify_web::browser;
use billify_web::problem::ApiError;
use maud::html;

use crate::error::UiError;
use crate::i18n::{LANG_COOKIE, Lang};
use crate::layout::{self, Errors, Field};
use crate::session::{FormData, ORG_COOKIE, Signed, Visitor};

/// Where to go after signing in: a path on this site only (never `//host` or a URL).
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.starts_with("/\\") => n.to_owned(),
        _ => "/".to_owned(),
    }
}

/// Refuses a form posted from another site: a sign-in or registration has no session to carry
/// a CSRF token yet. Browsers say where a request comes from in `Sec-Fetch-Site`; older ones in
/// `Origin` (which is `null` under the pages' `no-referrer` policy, so only a named other origin
/// is refused there).
fn same_origin(req: &HttpRequest, lang: Lang) -> Result<(), UiError> {
    let header = |name: &str| req.headers().get(name).and_then(|v| v.to_str().ok());
    let cross_site = match header("sec-fetch-site") {
        Some(site) => !matches!(site, "same-origin" | "none"),
        None => match header(header::ORIGIN.as_str()) {
            None | Some("null") => false,
            Some(origin) => {
                let host = req.connection_info().host().to_owned();
                let origin_host = origin.split_once("://").map(|(_, h)| h).unwrap_or(origin);
                !origin_host.eq_ignore_ascii_case(&host)
            }
        },
    };
    if cross_site { Err(UiError::api(lang, ApiError::Csrf)) } else { Ok(()) }
}

fn signed_in(state: &billify_web::AppState, token: &str, next: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::SET_COOKIE, browser::session_cookie(state, token)))
        .insert_header((header::LOCATION, next.to_owned()))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .finish()
}

fn sign_in_form(lang: Lang, email: &str, next: &str, errors: &Errors) -> HttpResponse {
    layout::public(
        lang,
        lang.t("signin.title"),
        html! {
            section.card.narrow {
                h1 { (lang.t("signin.title")) }
                @for (_, message) in errors.others(&["email", "password"]) { p.error.form-error role="alert" { (message) } }
                form method="post" action="/sign-in" novalidate {
                    input type="hidden" name="next" value=(next);
                    (Field::new("email", lang.t("field.email"), email).kind("email").required().auto("username").render(errors))
                    (Field::new("password", lang.t("field.password"), "").kind("password").required().auto("current-password").render(errors))
                    button.primary type="submit" { (lang.t("signin.submit")) }
                }
                p { (lang.t("signin.no_account")) " " a href="/register" { (lang.t("register.title")) } }
            }
        },
    )
}

#[derive(serde::Deserialize)]
pub(crate) struct NextQuery {
    next: Option<String>,
}

/// `GET /sign-in`.
pub(crate) async fn sign_in_page(v: Visitor, q: web::Query<NextQuery>) -> HttpResponse {
    sign_in_form(v.lang, "", &safe_next(q.next.as_deref()), &Errors::default())
}

/// `POST /sign-in`: a session cookie and on to `next`, or the code step, or the form again.
pub(crate) async fn sign_in(v: Visitor, req: HttpRequest, body: web::Bytes) -> Result<HttpResponse, UiError> {
    let lang = v.lang;
    same_origin(&req, lang)?;
    browser::take_auth_rate(&v.state, &req).map_err(|e| UiError::api(lang, e))?;
    let form = FormData::parse(&body);
    let email = form.text("email");
    let password = form.get("password").unwrap_or_default().to_owned();
    let next = safe_next(form.get("next"));
    if let Err(e) = form.check_text(lang) {
        return Ok(refused(sign_in_form(lang, &email, &next, &Errors::from_api(&e))));
    }
    let client = browser::client_info(&req);
    let state = v.state.clone();
    let e = email.clone();
    let result = billify_web::blocking(move || Ok(state.accounts.login_from(&e, &password, None, &client))).await;
    match result.map_err(|e| UiError::api(lang, e))? {
        Ok(outcome) => Ok(signed_in(&v.state, &outcome.token, &next)),
        Err(AccountError::SecondFactorRequired(pending)) => {
            Ok(code_form(lang, pending.challenge.expose(), &next, &Errors::default()))
        }
        Err(AccountError::InvalidCredentials) => {
            Ok(sign_in_form(lang, &email, &next, &Errors(vec![("_form".into(), lang.t("signin.invalid").into())])))
        }
        Err(other) => {
            let e = ApiError::from(other);
            match e {
                ApiError::Validation(_) | ApiError::InvalidCredentials => {
                    Ok(sign_in_form(lang, &email, &next, &Errors::from_api(&e)))
                }
                other => Err(UiError::api(lang, other)),
            }
        }
    }
}

/// A form shown again because of refused fields: 422, as the API answers.
fn refused(mut page: HttpResponse) -> HttpResponse {
    *page.status_mut() = actix_web::http::StatusCode::UNPROCESSABLE_ENTITY;
    page
}

fn code_form(lang: Lang, challenge: &str, next: &str, errors: &Errors) -> HttpResponse {
    layout::public(
        lang,
        lang.t("signin.code_title"),
        html! {
            section.card.narrow {
                h1 { (lang.t("signin.code_title")) }
                p { (lang.t("signin.code_help")) }
                @for (_, message) in errors.others(&["code"]) { p.error.form-error role="alert" { (message) } }
                form method="post" action="/sign-in/code" {
                    input type="hidden" name="challenge" value=(challenge);
                    input type="hidden" name="next" value=(next);
                    (Field::new("code", lang.t("field.code"), "").required().auto("one-time-code")
                        .hint(lang.t("signin.code_hint")).render(errors))
                    button.primary type="submit" { (lang.t("signin.verify")) }
                }
            }
        },
    )
}

/// `POST /sign-in/code`: the second factor (a code, or a recovery code with a dash).
pub(crate) async fn sign_in_code(v: Visitor, req: HttpRequest, body: web::Bytes) -> Result<HttpResponse, UiError> {
    let lang = v.lang;
    same_origin(&req, lang)?;
    browser::take_auth_rate(&v.state, &req).map_err(|e| UiError::api(lang, e))?;
    let form = FormData::parse(&body);
    let challenge = form.text("challenge");
    let code = form.text("code");
    let next = safe_next(form.get("next"));
    if let Err(e) = form.check_text(lang) {
        return Ok(refused(code_form(lang, &challenge, &next, &Errors::from_api(&e))));
    }
    let proof = if code.contains('-') { SecondFactor::RecoveryCode(code) } else { SecondFactor::Code(code) };
    let client = browser::client_info(&req);
    let state = v.state.clone();
    let c = challenge.clone();
    let result = billify_web::blocking(move || Ok(state.accounts.login_second_factor(&c, &proof, &client))).await;
    match result.map_err(|e| UiError::api(lang, e))? {
        Ok(outcome) => Ok(signed_in(&v.state, &outcome.token, &next)),
        // A used or expired challenge cannot be answered again: back to the password.
        Err(AccountError::InvalidCredentials) => {
            Ok(sign_in_form(lang, "", &next, &Errors(vec![("_form".into(), lang.t("signin.code_invalid").into())])))
        }
        Err(other) => Err(UiError::api(lang, other.into())),
    }
}

fn register_form(lang: Lang, form: &FormData, errors: &Errors) -> HttpResponse {
    layout::public(
        lang,
        lang.t("register.title"),
        html! {
            section.card.narrow {
                h1 { (lang.t("register.title")) }
                @for (_, message) in errors.others(&["organisation_name", "vat_number", "name", "email", "password"]) {
                    p.error.form-error role="alert" { (message) }
                }
                form method="post" action="/register" novalidate {
                    (Field::new("organisation_name", lang.t("field.organisation_name"), &form.text("organisation_name")).required().auto("organization").render(errors))
                    (Field::new("vat_number", lang.t("field.vat_number"), &form.text("vat_number")).hint(lang.t("field.optional")).render(errors))
                    (Field::new("name", lang.t("field.name"), &form.text("name")).required().auto("name").render(errors))
                    (Field::new("email", lang.t("field.email"), &form.text("email")).kind("email").required().auto("email").render(errors))
                    (Field::new("password", lang.t("field.password"), "").kind("password").required().auto("new-password")
                        .hint(lang.t("register.password_hint")).render(errors))
                    button.primary type="submit" { (lang.t("register.submit")) }
                }
                p { (lang.t("register.have_account")) " " a href="/sign-in" { (lang.t("signin.title")) } }
            }
        },
    )
}

/// `GET /register`.
pub(crate) async fn register_page(v: Visitor) -> HttpResponse {
    register_form(v.lang, &FormData::parse(b""), &Errors::default())
}

/// `POST /register`: the organisation and its owner, then signed in.
pub(crate) async fn register(v: Visitor, req: HttpRequest, body: web::Bytes) -> Result<HttpResponse, UiError> {
    let lang = v.lang;
    same_origin(&req, lang)?;
    browser::take_auth_rate(&v.state, &req).map_err(|e| UiError::api(lang, e))?;
    let form = FormData::parse(&body);
    let registration = Registration {
        organisation_name: form.text("organisation_name"),
        name: form.text("name"),
        email: form.text("email"),
        password: form.get("password").unwrap_or_default().to_owned(),
        vat_number: form.optional("vat_number"),
    };
    let (email, password) = (registration.email.clone(), registration.password.clone());
    let client = browser::client_info(&req);
    let state = v.state.clone();
    let checked = form.check_text(lang);
    let result = billify_web::blocking(move || {
        checked?;
        state.accounts.register(registration).map_err(ApiError::from)?;
        Ok(state.accounts.login_from(&email, &password, None, &client)?)
    })
    .await;
    match result {
        Ok(outcome) => Ok(signed_in(&v.state, &outcome.token, "/")),
        Err(e @ (ApiError::Validation(_) | ApiError::Conflict { .. })) => {
            let errors = match &e {
                ApiError::Conflict { detail, .. } => Errors(vec![("email".into(), detail.clone())]),
                other => Errors::from_api(other),
            };
            Ok(refused(register_form(lang, &form, &errors)))
        }
        Err(e) => Err(UiError::api(lang, e)),
    }
}

/// `POST /sign-out`: ends the session (CSRF-checked) and clears the cookie.
pub(crate) async fn sign_out(s: Signed, body: web::Bytes) -> Result<HttpResponse, UiError> {
    s.check_csrf(&FormData::parse(&body))?;
    let lang = s.lang;
    let state = s.state.clone();
    let auth = s.auth.clone();
    billify_web::blocking(move || Ok(state.accounts.logout(&auth)?)).await.map_err(|e| UiError::api(lang, e))?;
    Ok(HttpResponse::SeeOther()
        .insert_header((header::SET_COOKIE, browser::cleared_session_cookie(&s.state)))
        .insert_header((header::LOCATION, "/sign-in"))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .finish())
}

#[derive(serde::Deserialize)]
pub(crate) struct TokenQuery {
    token: Option<String>,
}

fn accept_form(lang: Lang, token: &str, signed_in: bool, name: &str, errors: &Errors) -> HttpResponse {
    layout::public(
        lang,
        lang.t("invite.title"),
        html! {
            section.card.narrow {
                h1 { (lang.t("invite.title")) }
                @for (_, message) in errors.others(&["name", "password"]) { p.error.form-error role="alert" { (message) } }
                form method="post" action="/invitations/accept" novalidate {
                    input type="hidden" name="token" value=(token);
                    @if signed_in {
                        p { (lang.t("invite.signed_in")) }
                    } @else {
                        p { (lang.t("invite.help")) }
                        (Field::new("name", lang.t("field.name"), name).auto("name").hint(lang.t("invite.name_hint")).render(errors))
                        (Field::new("password", lang.t("field.password"), "").kind("password").required().auto("current-password").render(errors))
                    }
                    button.primary type="submit" { (lang.t("invite.submit")) }
                }
            }
        },
    )
}

/// `GET /invitations/accept?token=...`, the link an invitation gives.
pub(crate) async fn accept_page(v: Visitor, req: HttpRequest, q: web::Query<TokenQuery>) -> HttpResponse {
    let signed_in = browser::session_token(&req).is_some();
    accept_form(v.lang, q.token.as_deref().unwrap_or_default(), signed_in, "", &Errors::default())
}

/// `POST /invitations/accept`: joins as the signed-in user, an existing account (password) or a
/// new one (name and password), then signed in there.
pub(crate) async fn accept(v: Visitor, req: HttpRequest, body: web::Bytes) -> Result<HttpResponse, UiError> {
    let lang = v.lang;
    same_origin(&req, lang)?;
    browser::take_auth_rate(&v.state, &req).map_err(|e| UiError::api(lang, e))?;
    let form = FormData::parse(&body);
    let token = form.text("token");
    let name = form.text("name");
    let password = form.get("password").unwrap_or_default().to_owned();
    let session = browser::session_token(&req);
    let ip = browser::client_ip(&req);
    let client = browser::client_info(&req);
    let state = v.state.clone();
    let (t, n, p) = (token.clone(), name.clone(), password.clone());
    let checked = form.check_text(lang);
    let result = billify_web::blocking(move || {
        checked?;
        let current = match &session {
            Some(session_token) => state.accounts.authenticate(session_token).ok(),
            None => None,
        };
        if let (Some(context), Some(session_token)) = (&current, &session) {
            browser::check_csrf(&state, session_token, form.get(crate::session::CSRF_FIELD))?;
            let accepted = state.accounts.accept_invitation_from(&t, Invitee::User(context.actor.user_id), ip)?;
            return Ok((accepted, None));
        }
        let invitee = if n.is_empty() {
            Invitee::ExistingUser { password: p.clone() }
        } else {
            Invitee::NewUser { name: n, password: p.clone() }
        };
        let accepted = state.accounts.accept_invitation_from(&t, invitee, ip)?;
        let outcome =
            state.accounts.login_from(accepted.user.email.as_str(), &p, Some(accepted.organisation.id), &client)?;
        Ok((accepted, Some(outcome)))
    })
    .await;
    match result {
        Ok((accepted, outcome)) => {
            let mut response = HttpResponse::SeeOther();
            response
                .insert_header((header::LOCATION, "/"))
                .insert_header((header::CACHE_CONTROL, "no-store"))
                .append_header((header::SET_COOKIE, org_cookie(&accepted.organisation.id.to_string())));
            if let Some(outcome) = outcome {
                response.append_header((header::SET_COOKIE, browser::session_cookie(&v.state, &outcome.token)));
            }
            Ok(response.finish())
        }
        Err(e @ ApiError::Validation(_)) => Ok(refused(accept_form(lang, &token, false, &name, &Errors::from_api(&e)))),
        Err(ApiError::InvalidCredentials) => Ok(accept_form(
            lang,
            &token,
            false,
            &name,
            &Errors(vec![("password".into(), lang.t("signin.invalid").into())]),
        )),
        Err(e) => Err(UiError::api(lang, e)),
    }
}

fn org_cookie(id: &str) -> String {
    format!("{ORG_COOKIE}={id}; Path=/; Max-Age=31536000; HttpOnly; SameSite=Strict")
}

fn back(req: &HttpRequest) -> String {
    // Back to the page the form was on (same site only; the Referer is only read, never trusted
    // for anything but the way back).
    let host = req.connection_info().host().to_owned();
    req.headers()
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|r| r.split_once("://").map(|(_, rest)| rest.to_owned()))
        .and_then(|rest| rest.strip_prefix(host.as_str()).map(str::to_owned))
        .map(|path| safe_next(Some(&path)))
        .unwrap_or_else(|| "/".into())
}

/// `POST /language`: remembers the language chosen (a preference, not an action of the
/// session, so it needs no session).
pub(crate) async fn language(req: HttpRequest, body: web::Bytes) -> Result<HttpResponse, UiError> {
    let form = FormData::parse(&body);
    form.check_text(Lang::of(&req)).map_err(|e| UiError::api(Lang::of(&req), e))?;
    let lang = form.get("lang").and_then(Lang::parse).unwrap_or_else(|| Lang::of(&req));
    // Back where the form was: app.js says where (pages send no Referer), else the Referer.
    let to = form.get("next").map(|n| safe_next(Some(n))).unwrap_or_else(|| back(&req));
    Ok(HttpResponse::SeeOther()
        .insert_header((
            header::SET_COOKIE,
            format!("{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax", lang.code()),
        ))
        .insert_header((header::LOCATION, to))
        .finish())
}

/// `POST /organisation`: acts on another of the user's organisations from now on.
pub(crate) async fn switch_organisation(
    s: Signed,
    req: HttpRequest,
    body: web::Bytes,
) -> Result<HttpResponse, UiError> {
    let form = FormData::parse(&body);
    s.check_csrf(&form)?;
    let chosen = form.text("organisation");
    if !s.organisations.iter().any(|(id, _)| id.to_string() == chosen) {
        return Err(UiError::api(s.lang, ApiError::NotFound("organisation".into())));
    }
    Ok(HttpResponse::SeeOther()
        .insert_header((header::SET_COOKIE, org_cookie(&chosen)))
        .insert_header((header::LOCATION, back(&req)))
        .finish())
}
