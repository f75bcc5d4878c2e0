//! Errors as pages (drawn by `layout`): a plain message in the user's language with a request id to quote (the
//! details go to the log under the same id), never a stack trace; or, without a session, the
//! way to the sign-in page.

use actix_web::ResponseError as _;
use actix_web::http::StatusCode;
use billify_web::problem::ApiError;

use crate::i18n::Lang;

/// Why a page could not be shown.
#[derive(Debug)]
pub enum UiError {
    /// No live session: sign in first, then come back to `next`.
    SignIn {
        /// The path and query asked for.
        next: String,
    },
    /// Anything else, shown as a page.
    Page {
        /// The language to say it in.
        lang: Lang,
        /// The HTTP status.
        status: StatusCode,
        /// What to tell the user.
        message: String,
        /// The id the log line carries.
        request_id: String,
    },
}

impl std::fmt::Display for UiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            UiError::SignIn { .. } => f.write_str("sign-in required"),
            UiError::Page { status, message, request_id, .. } => write!(f, "{status}: {message} ({request_id})"),
        }
    }
}

/// A fresh id for one failed request.
pub fn request_id() -> String {
    uuid::Uuid::new_v4().simple().to_string()[..16].to_owned()
}

impl UiError {
    /// An error from the API's error type (use cases' errors convert to it), logged with a new
    /// request id.
    pub fn api(lang: Lang, e: ApiError) -> UiError {
        let status = e.status_code();
        let request_id = request_id();
        let message = match &e {
            ApiError::Internal | ApiError::Unavailable => {
                log::error!("request {request_id} failed: {e}");
                lang.t("error.internal").to_owned()
            }
            ApiError::Csrf => {
                log::warn!("request {request_id} refused: {e}");
                lang.t("error.csrf").to_owned()
            }
            ApiError::NotFound(_) => lang.t("error.not_found").to_owned(),
            ApiError::Forbidden(_) => lang.t("error.forbidden").to_owned(),
            ApiError::TwoFactorRequired => lang.t("error.two_factor_required").to_owned(),
            ApiError::RateLimited { .. } => lang.t("error.rate_limited").to_owned(),
            // Each refused field with why (the messages name their field, or get it in front).
            ApiError::Validation(fields) if !fields.is_empty() => {
                log::info!("request {request_id} refused: {e}");
                fields
                    .iter()
                    .map(|f| {
                        if f.message.contains(&f.field) {
                            f.message.clone()
                        } else {
                            format!("{}: {}", f.field, f.message)
                        }
                    })
                    .collect::<Vec<_>>()
                    .join("; ")
            }
            other => {
                log::info!("request {request_id} refused: {other}");
                other.to_string()
            }
        };
        UiError::Page { lang, status, message, request_id }
    }
}
