//! Errors as RFC 9457 problem documents (`application/problem+json`).

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use billify_app::{AccountError, InvoiceServiceError};
use billify_ports::RepositoryError;
use serde::Serialize;

/// One invalid field of a request.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct FieldError {
    /// The field's path in the request, e.g. `counterparty.iban` or `total`.
    pub field: String,
    /// What is wrong with it.
    pub message: String,
}

impl FieldError {
    /// A field error.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        FieldError { field: field.into(), message: message.into() }
    }
}

/// Every error the API returns. Each variant has a stable problem `type`.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The request is not well-formed (malformed JSON, bad query syntax).
    #[error("{0}")]
    BadRequest(String),
    /// Fields are invalid.
    #[error("the request has invalid fields")]
    Validation(Vec<FieldError>),
    /// No valid credentials.
    #[error("authentication required")]
    Unauthenticated,
    /// Wrong email or password.
    #[error("invalid email or password")]
    InvalidCredentials,
    /// Authenticated, but the role does not allow this.
    #[error("{0}")]
    Forbidden(String),
    /// The organisation requires two-factor authentication and the caller has none.
    #[error("this organisation requires two-factor authentication: enrol at /api/v1/auth/2fa/totp")]
    TwoFactorRequired,
    /// No such resource in the caller's organisation (or no such route).
    #[error("{0}")]
    NotFound(String),
    /// A state conflict: duplicate, stale version, taken email.
    #[error("{detail}")]
    Conflict {
        /// The problem type slug.
        kind: &'static str,
        /// What conflicts.
        detail: String,
        /// The current version, for stale updates.
        current_version: Option<i64>,
    },
    /// The request is well-formed but cannot be processed (e.g. an unreadable document).
    #[error("{detail}")]
    Unprocessable {
        /// The problem type slug.
        kind: &'static str,
        /// What is wrong, in plain words.
        detail: String,
    },
    /// The body is larger than allowed.
    #[error("the request body is larger than {limit} bytes")]
    PayloadTooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// The client sent its body too slowly.
    #[error("the request body did not arrive within {seconds} seconds")]
    RequestTimeout {
        /// The limit in seconds.
        seconds: u64,
    },
    /// The body has the wrong content type.
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// The method is not allowed on this route.
    #[error("method not allowed")]
    MethodNotAllowed,
    /// A cookie session's state-changing request without its CSRF token (`X-CSRF-Token`).
    #[error("the request lacks this session's CSRF token (header X-CSRF-Token)")]
    Csrf,
    /// Too many requests from this client; answered with `Retry-After`.
    #[error("too many requests; try again in {retry_after_seconds} seconds")]
    RateLimited {
        /// When to try again.
        retry_after_seconds: u64,
    },
    /// The storage cannot be reached or does not answer; answered with 503 and `Retry-After`
    /// (problem type `storage-unavailable`).
    #[error("the storage does not answer; try again shortly")]
    Unavailable,
    /// The server is doing as much of this work as it allows at once; answered with 503 and
    /// `Retry-After`.
    #[error("{detail}")]
    Busy {
        /// What is busy, in plain words.
        detail: String,
        /// When to try again.
        retry_after_seconds: u64,
    },
    /// A bug or an unexpected failure; details are logged, never sent.
    #[error("internal error")]
    Internal,
    /// Another error of the HTTP layer (an extractor or middleware of actix), turned into a
    /// problem document by [`every_error_a_problem`].
    #[error("{detail}")]
    Http {
        /// The status actix chose.
        status: StatusCode,
        /// What went wrong (for client errors; server errors say nothing more).
        detail: String,
    },
}

/// An RFC 9457 problem document (`application/problem+json`): every error the API answers.
#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = Problem)]
pub(crate) struct Problem<'a> {
    /// The problem type, `/problems/SLUG`: stable, for programs to branch on.
    #[serde(rename = "type")]
    kind: String,
    /// A short summary of the type.
    title: &'a str,
    /// The HTTP status.
    status: u16,
    /// What went wrong here, in plain words.
    detail: String,
    /// The invalid fields, for `/problems/validation`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    errors: Vec<FieldError>,
    /// The current version, for `/problems/stale-version`.
    #[serde(skip_serializing_if = "Option::is_none")]
    current_version: Option<i64>,
    /// This occurrence: `urn:billify:request:<X-Request-Id>`, the id its log lines carry.
    #[serde(skip_serializing_if = "Option::is_none")]
    instance: Option<String>,
}

impl ApiError {
    /// A single invalid field.
    pub fn field(field: impl Into<String>, message: impl Into<String>) -> Self {
        ApiError::Validation(vec![FieldError::new(field, message)])
    }

    fn slug_and_title(&self) -> (&'static str, &'static str) {
        match self {
            ApiError::BadRequest(_) => ("bad-request", "Bad request"),
            ApiError::Validation(_) => ("validation", "Invalid request fields"),
            ApiError::Unauthenticated => ("unauthenticated", "Authentication required"),
            ApiError::InvalidCredentials => ("invalid-credentials", "Invalid credentials"),
            ApiError::Forbidden(_) => ("forbidden", "Forbidden"),
            ApiError::TwoFactorRequired => ("two-factor-required", "Two-factor authentication required"),
            ApiError::NotFound(_) => ("not-found", "Not found"),
            ApiError::Conflict { kind, .. } => (kind, "Conflict"),
            ApiError::Unprocessable { kind, .. } => (kind, "Unprocessable document"),
            ApiError::PayloadTooLarge { .. } => ("payload-too-large", "Payload too large"),
            ApiError::RequestTimeout { .. } => ("request-timeout", "Request timeout"),
            ApiError::UnsupportedMediaType(_) => ("unsupported-media-type", "Unsupported media type"),
            ApiError::MethodNotAllowed => ("method-not-allowed", "Method not allowed"),
            ApiError::Csrf => ("csrf", "CSRF token missing or wrong"),
            ApiError::RateLimited { .. } => ("rate-limited", "Too many requests"),
            ApiError::Unavailable => ("storage-unavailable", "Storage unavailable"),
            ApiError::Busy { .. } => ("busy", "Server busy"),
            ApiError::Internal => ("internal", "Internal server error"),
            ApiError::Http { status, .. } => http_slug_and_title(*status),
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::Validation(_) | ApiError::Unprocessable { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Unauthenticated | ApiError::InvalidCredentials => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) | ApiError::Csrf => StatusCode::FORBIDDEN,
            ApiError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::TwoFactorRequired => StatusCode::FORBIDDEN,
            ApiError::Conflict { .. } => StatusCode::CONFLICT,
            ApiError::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::RequestTimeout { .. } => StatusCode::REQUEST_TIMEOUT,
            ApiError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Unavailable | ApiError::Busy { .. } => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal => StatusCode::INTERNAL_SERVER_ERROR,
            ApiError::Http { status, .. } => *status,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        let (slug, title) = self.slug_and_title();
        let (errors, current_version) = match self {
            ApiError::Validation(errors) => (errors.clone(), None),
            ApiError::Conflict { current_version, .. } => (Vec::new(), *current_version),
            _ => (Vec::new(), None),
        };
        let body = Problem {
            kind: format!("/problems/{slug}"),
            title,
            status: status.as_u16(),
            detail: self.to_string(),
            errors,
            current_version,
            instance: crate::observe::current_request_id().map(|id| format!("urn:billify:request:{id}")),
        };
        let mut response = HttpResponse::build(status);
        response.insert_header((header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json")));
        if matches!(self, ApiError::Unauthenticated | ApiError::InvalidCredentials) {
            response.insert_header((header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer")));
        }
        if let ApiError::RateLimited { retry_after_seconds } | ApiError::Busy { retry_after_seconds, .. } = self {
            response.insert_header((header::RETRY_AFTER, retry_after_seconds.to_string()));
        }
        if matches!(self, ApiError::Unavailable) {
            response.insert_header((header::RETRY_AFTER, HeaderValue::from_static("1")));
        }
        response.body(serde_json::to_string(&body).unwrap_or_else(|_| String::from("{}")))
    }
}

/// The problem type and title of a status the HTTP layer answered.
fn http_slug_and_title(status: StatusCode) -> (&'static str, &'static str) {
    match status.as_u16() {
        404 => ("not-found", "Not found"),
        405 => ("method-not-allowed", "Method not allowed"),
        408 => ("request-timeout", "Request timeout"),
        411 => ("length-required", "Length required"),
        413 => ("payload-too-large", "Payload too large"),
        414 => ("uri-too-long", "URI too long"),
        415 => ("unsupported-media-type", "Unsupported media type"),
        431 => ("headers-too-large", "Request header fields too large"),
        400..=499 => ("bad-request", "Bad request"),
        _ => ("internal", "Internal server error"),
    }
}

/// The reason phrase and the problem document of an answer the HTTP layer gives before any
/// route runs ([`crate::connection`]), for the request `request_id`.
pub(crate) fn http_problem_body(status: u16, request_id: &str) -> (&'static str, String) {
    let code = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST);
    let (slug, title) = http_slug_and_title(code);
    let detail = match status {
        431 => "the request line or its headers are larger than the server accepts (128 KiB, 96 headers)",
        408 => "the request head did not arrive in time",
        _ => {
            "the request head could not be read: it is not valid HTTP/1.1, or its request line is longer than the server accepts"
        }
    };
    let body = Problem {
        kind: format!("/problems/{slug}"),
        title,
        status: code.as_u16(),
        detail: detail.to_owned(),
        errors: Vec::new(),
        current_version: None,
        instance: Some(format!("urn:billify:request:{request_id}")),
    };
    let reason = code.canonical_reason().unwrap_or("Bad Request");
    (reason, serde_json::to_string(&body).unwrap_or_else(|_| String::from("{}")))
}

/// Middleware: every error answer of the API is a problem document. Handlers answer
/// [`ApiError`]s already; this catches what actix's own extractors and middleware answer (a
/// path that does not decode, a body the framework refused), which would otherwise be plain
/// text or empty.
pub(crate) async fn every_error_a_problem<B: actix_web::body::MessageBody + 'static>(
    req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<B>,
) -> Result<actix_web::dev::ServiceResponse<actix_web::body::EitherBody<B>>, actix_web::Error> {
    let is_problem = |headers: &header::HeaderMap| {
        headers.get(header::CONTENT_TYPE).is_some_and(|v| v.as_bytes().starts_with(b"application/problem+json"))
    };
    let describe = |status: StatusCode, detail: Option<String>| {
        let detail = match detail {
            Some(text) if status.is_client_error() && !text.is_empty() => text,
            _ => status.canonical_reason().unwrap_or("error").to_ascii_lowercase(),
        };
        ApiError::Http { status, detail }
    };
    match next.call(req).await {
        Ok(response) => {
            let status = response.status();
            if status.as_u16() < 400 || is_problem(response.headers()) {
                return Ok(response.map_into_left_body());
            }
            let detail = response.response().error().map(ToString::to_string);
            let (request, _) = response.into_parts();
            if status.is_server_error() {
                log::error!("{} {}: {status} from the HTTP layer", request.method(), request.path());
            }
            let problem = describe(status, detail).error_response();
            Ok(actix_web::dev::ServiceResponse::new(request, problem).map_into_right_body())
        }
        // Errors are rendered by actix through their `error_response`; ours are problems already.
        Err(e) if is_problem(e.error_response().headers()) => Err(e),
        Err(e) => {
            let status = e.as_response_error().status_code();
            Err(describe(status, Some(e.to_string())).into())
        }
    }
}

impl From<RepositoryError> for ApiError {
    fn from(e: RepositoryError) -> Self {
        match e {
            RepositoryError::NotFound => ApiError::NotFound("not found".into()),
            RepositoryError::Conflict(detail) => ApiError::Conflict { kind: "conflict", detail, current_version: None },
            RepositoryError::StaleVersion { current } => ApiError::Conflict {
                kind: "stale-version",
                detail: format!("the record was changed by someone else; it is now at version {current}"),
                current_version: Some(current),
            },
            RepositoryError::Unavailable(cause) => {
                // The outage itself is logged once, where it is detected (the store's probe, the
                // background jobs); one line per refused request would flood the log.
                log::debug!("storage unavailable: {cause}");
                ApiError::Unavailable
            }
            other => {
                log::error!("storage error: {other}");
                ApiError::Internal
            }
        }
    }
}

impl From<AccountError> for ApiError {
    fn from(e: AccountError) -> Self {
        match e {
            AccountError::Invalid { field, message } => ApiError::field(field, message),
            AccountError::EmailTaken => ApiError::Conflict {
                kind: "email-taken",
                detail: "an account with this email already exists".into(),
                current_version: None,
            },
            AccountError::InvalidCredentials => ApiError::InvalidCredentials,
            AccountError::Unauthenticated => ApiError::Unauthenticated,
            AccountError::Forbidden => ApiError::Forbidden("your role does not allow this".into()),
            AccountError::NotFound(what) => ApiError::NotFound(format!("{what} not found")),
            AccountError::LastOwner => ApiError::Conflict {
                kind: "last-owner",
                detail: "the organisation must keep at least one owner".into(),
                current_version: None,
            },
            AccountError::AlreadyMember => ApiError::Conflict {
                kind: "already-member",
                detail: "this user is a member of the organisation already".into(),
                current_version: None,
            },
            AccountError::TooManyTokens => ApiError::Conflict {
                kind: "too-many-tokens",
                detail: "you hold the most access tokens allowed in this organisation; revoke one first".into(),
                current_version: None,
            },
            AccountError::WrongInvitee => ApiError::Forbidden("the invitation is for another email address".into()),
            AccountError::SecondFactorRequired(_) => {
                // Handlers that log in answer this themselves; anywhere else it is a bug.
                log::error!("a second-factor challenge reached the error path");
                ApiError::Internal
            }
            AccountError::TwoFactor(e) => e.into(),
            AccountError::Repository(e) => e.into(),
            AccountError::Security(e) => {
                log::error!("password hashing failed: {e}");
                ApiError::Internal
            }
        }
    }
}

impl From<billify_app::two_factor::TwoFactorError> for ApiError {
    fn from(e: billify_app::two_factor::TwoFactorError) -> Self {
        use billify_app::two_factor::TwoFactorError as E;
        match e {
            E::Invalid { field, message } => ApiError::field(field, message),
            E::InvalidCredentials => ApiError::InvalidCredentials,
            E::AlreadyEnabled => {
                ApiError::Conflict { kind: "two-factor-enabled", detail: e.to_string(), current_version: None }
            }
            E::NotEnabled(_) => {
                ApiError::Conflict { kind: "two-factor-not-enabled", detail: e.to_string(), current_version: None }
            }
            E::Required => ApiError::TwoFactorRequired,
            E::Forbidden => ApiError::Forbidden(e.to_string()),
            E::Repository(e) => e.into(),
            E::Security(e) => {
                log::error!("two-factor computation failed: {e}");
                ApiError::Internal
            }
            E::Secret(e) => {
                log::error!("a sealed TOTP secret does not open: {e}");
                ApiError::Internal
            }
        }
    }
}

impl From<InvoiceServiceError> for ApiError {
    fn from(e: InvoiceServiceError) -> Self {
        use billify_domain::InvoiceError as E;
        match e {
            InvoiceServiceError::NotFound => ApiError::NotFound("invoice not found".into()),
            InvoiceServiceError::Forbidden => ApiError::Forbidden("your role does not allow changing invoices".into()),
            InvoiceServiceError::Duplicate(detail) => {
                ApiError::Conflict { kind: "duplicate-invoice", detail, current_version: None }
            }
            InvoiceServiceError::StaleVersion { current } => ApiError::Conflict {
                kind: "stale-version",
                detail: format!("the invoice was changed by someone else; it is now at version {current}"),
                current_version: Some(current),
            },
            InvoiceServiceError::Invalid(e) => {
                let field = match &e {
                    E::NonPositiveTotal | E::Overpaid { .. } => "total",
                    E::TotalsDoNotAddUp(_) => "total",
                    E::NegativeAmount { field } | E::CurrencyMismatch { field, .. } | E::PaidIsFinal { field } => field,
                    E::DueBeforeIssue { .. } => "due_date",
                    E::NotPaid => "status",
                    E::CorrectionNotAllowed => "corrects_invoice_id",
                    E::Invalid(p) => p.kind,
                    E::Money(_) => "amount",
                };
                let field = if matches!(e, E::Overpaid { .. }) { "amount_paid" } else { field };
                if matches!(e, E::PaidIsFinal { .. } | E::NotPaid) {
                    ApiError::Conflict { kind: "invoice-state", detail: e.to_string(), current_version: None }
                } else {
                    ApiError::field(field, e.to_string())
                }
            }
            InvoiceServiceError::Fields(problems) => {
                ApiError::Validation(problems.into_iter().map(|p| FieldError::new(p.field, p.message)).collect())
            }
            InvoiceServiceError::Repository(e) => e.into(),
        }
    }
}
