//! `GET /events`: the live-event stream of the organisation the pages show (the `billify_org`
//! cookie's, which the API's stream cannot see), for htmx's SSE extension. It is the API's
//! stream (`billify_web::events`), with the same resume, scoping and role filter.

use actix_web::{HttpRequest, HttpResponse};

use crate::error::UiError;
use crate::session::Signed;

/// `GET /events`.
pub(crate) async fn events(s: Signed, req: HttpRequest) -> Result<HttpResponse, UiError> {
    let lang = s.lang;
    let (after, follow) = billify_web::events::stream_request(&req).map_err(|e| UiError::api(lang, e))?;
    billify_web::events::serve(s.state.clone(), s.auth.actor, after, follow).await.map_err(|e| UiError::api(lang, e))
}
