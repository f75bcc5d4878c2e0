//! Who is asking: the language, and for pages behind sign-in the cookie session of
//! `billify-web` resolved to an actor in the organisation chosen (the `billify_org` cookie,
//! else the session's default), with the organisation's two-factor requirement enforced.
//! State-changing forms carry the session's CSRF token in a `csrf_token` field; it is checked
//! with `billify-web`'s own check before anything else is read.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};
use billify_app::{AuthContext, Profile};
use billify_domain::OrganisationId;
use billify_web::AppState;
use billify_web::browser;
use billify_web::problem::ApiError;

use crate::cookies::cookie;
use crate::error::UiError;
use crate::i18n::Lang;

/// The cookie naming the organisation a user with several acts on.
pub const ORG_COOKIE: &str = "billify_org";

/// The unread count the header shows at most ("99+" beyond).
pub const COUNT_CAP: u32 = 99;

/// The name of the form field carrying the CSRF token.
pub const CSRF_FIELD: &str = "csrf_token";

/// Any page's request: its language and the wired services.
pub struct Visitor {
    /// The interface language.
    pub lang: Lang,
    /// The services.
    pub state: web::Data<AppState>,
}

impl FromRequest for Visitor {
    type Error = UiError;
    type Future = std::future::Ready<Result<Self, UiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let lang = Lang::of(req);
        if let Err(e) = check_query(req, lang) {
            return std::future::ready(Err(e));
        }
        std::future::ready(match req.app_data::<web::Data<AppState>>() {
            Some(state) => Ok(Visitor { lang, state: state.clone() }),
            None => Err(UiError::api(lang, ApiError::Internal)),
        })
    }
}

/// A signed-in user acting in an organisation, with what the page shell shows (names, the
/// other organisations, the CSRF token for forms).
pub struct Signed {
    /// The interface language.
    pub lang: Lang,
    /// The services.
    pub state: web::Data<AppState>,
    /// The session resolved to an actor.
    pub auth: AuthContext,
    /// The user, the organisation acted on, the role and every membership.
    pub profile: Profile,
    /// Names of the user's organisations, for the switcher.
    pub organisations: Vec<(OrganisationId, String)>,
    /// The CSRF token forms carry.
    pub csrf: String,
    /// How many of the user's notifications are unread (counted up to just past the header's
    /// cap).
    pub unread: u32,
    session_token: String,
}

impl Signed {
    /// Whether the role allows a permission (to show or hide write controls; the use cases
    /// check again).
    pub fn can(&self, permission: billify_domain::Permission) -> bool {
        self.auth.actor.role.can(permission)
    }

    /// Checks the form's CSRF token against the session's, then refuses a field holding a
    /// control character (a 422 page naming it; forms that show errors next to their fields
    /// use [`Signed::check_csrf_only`] and [`FormData::check_text`] instead).
    pub fn check_csrf(&self, form: &FormData) -> Result<(), UiError> {
        self.check_csrf_only(form)?;
        form.check_text(self.lang).map_err(|e| UiError::api(self.lang, e))
    }

    /// Checks the form's CSRF token against the session's, and nothing else.
    pub fn check_csrf_only(&self, form: &FormData) -> Result<(), UiError> {
        browser::check_csrf(&self.state, &self.session_token, form.get(CSRF_FIELD))
            .map_err(|e| UiError::api(self.lang, e))
    }

    /// Checks a CSRF token sent in the `X-CSRF-Token` header (scripted uploads).
    pub fn check_csrf_token(&self, given: Option<&str>) -> Result<(), UiError> {
        browser::check_csrf(&self.state, &self.session_token, given).map_err(|e| UiError::api(self.lang, e))
    }
}

impl FromRequest for Signed {
    type Error = UiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, UiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let lang = Lang::of(req);
        if let Err(e) = check_query(req, lang) {
            return Box::pin(std::future::ready(Err(e)));
        }
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let token = browser::session_token(req);
        let chosen = cookie(req, ORG_COOKIE).and_then(|v| v.parse::<OrganisationId>().ok());
        let ip = browser::client_ip(req);
        // After signing in, back to the page asked for (a form's target is no page to return to).
        let next = match *req.method() {
            actix_web::http::Method::GET => req.uri().path_and_query().map(|p| p.as_str().to_owned()),
            _ => None,
        }
        .unwrap_or_else(|| "/".into());
        Box::pin(async move {
            let state = state.ok_or(UiError::api(lang, ApiError::Internal))?;
            let Some(token) = token else {
                return Err(UiError::SignIn { next });
            };
            let st = state.clone();
            let session_token = token.clone();
            let resolved = billify_web::blocking(move || {
                let mut auth = match st.accounts.authenticate_in(&token, chosen) {
                    // The chosen organisation is no longer the user's: the session's default.
                    Err(billify_app::AccountError::NotFound(_)) if chosen.is_some() => {
                        st.accounts.authenticate_in(&token, None)?
                    }
                    other => other?,
                };
                auth.actor.ip = ip;
                if auth.access_token.is_some() {
                    return Err(ApiError::Unauthenticated);
                }
                browser::check_two_factor_requirement(&st, &auth.actor)?;
                let profile = st.accounts.profile(&auth.actor)?;
                let organisations = st.accounts.organisation_names(&auth.actor)?;
                let csrf = st.accounts.csrf_token(&token);
                let cap = COUNT_CAP + 1;
                let unread = st.alerts.inbox(&auth.actor, true, cap)?.len();
                Ok((auth, profile, organisations, csrf, u32::try_from(unread).unwrap_or(cap)))
            })
            .await;
            match resolved {
                Ok((auth, profile, organisations, csrf, unread)) => {
                    Ok(Signed { lang, state, auth, profile, organisations, csrf, unread, session_token })
                }
                Err(ApiError::Unauthenticated) => Err(UiError::SignIn { next }),
                Err(e) => Err(UiError::api(lang, e)),
            }
        })
    }
}

/// The validation error of a field holding a control character, in the user's language.
pub fn control_character_error(lang: Lang, field: &str) -> ApiError {
    ApiError::field(field, lang.tf("error.control_characters", &[("field", field)]))
}

/// Refuses a query string with a control character in a parameter (a 422 page naming it), as
/// the API refuses its query strings.
fn check_query(req: &HttpRequest, lang: Lang) -> Result<(), UiError> {
    let query = req.query_string();
    if query.is_empty() {
        return Ok(());
    }
    let pairs = serde_urlencoded::from_str::<Vec<(String, String)>>(query).unwrap_or_default();
    match browser::control_character_field(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str()))) {
        Some(field) => Err(UiError::api(lang, control_character_error(lang, field))),
        None => Ok(()),
    }
}

/// A submitted form (`application/x-www-form-urlencoded`), as text fields; repeated names keep
/// their last value. A field holding a control character (other than tab and newline) is
/// noted at parse time ([`FormData::refused`]): every form refuses it with a 422 naming the
/// field, as the JSON API does.
pub struct FormData {
    fields: HashMap<String, String>,
    refused: Option<String>,
}

impl FormData {
    /// Parses a form body. Browsers send a text area's line breaks as CR LF: they read as one
    /// newline, which fields allow.
    pub fn parse(body: &[u8]) -> FormData {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
            .unwrap_or_default()
            .into_iter()
            .map(|(k, v)| (k, if v.contains('\r') { v.replace("\r\n", "\n") } else { v }))
            .collect();
        let refused =
            browser::control_character_field(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str()))).map(str::to_owned);
        FormData { fields: pairs.into_iter().collect(), refused }
    }

    /// Refuses a form with a control character in a field: a validation error naming the
    /// field (shown next to it by forms that show their errors).
    pub fn check_text(&self, lang: Lang) -> Result<(), ApiError> {
        match &self.refused {
            Some(field) => Err(control_character_error(lang, field)),
            None => Ok(()),
        }
    }

    /// A field's value.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.fields.get(name).map(String::as_str)
    }

    /// A field's value, trimmed, or empty.
    pub fn text(&self, name: &str) -> String {
        self.get(name).map(str::trim).unwrap_or_default().to_owned()
    }

    /// A field's trimmed value when not empty.
    pub fn optional(&self, name: &str) -> Option<String> {
        Some(self.text(name)).filter(|v| !v.is_empty())
    }
}
