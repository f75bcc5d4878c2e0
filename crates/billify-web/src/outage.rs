//! Requests in flight when the storage stops answering get their 503 at once.
//!
//! A new request is refused quickly by the store itself (its health probe closes the gate, its
//! pool wait is short). A request already waiting on a connection that stalled would wait for
//! the network to give up; this middleware watches [`StorageHealth::available`] while a request
//! runs and answers 503 `storage-unavailable` (with `Retry-After`) as soon as the storage is
//! reported down. The use case keeps running on its blocking thread and finishes or fails when
//! the connection does: a write caught this way is reported as failed, and is either committed
//! by the database or not at all (one port call is one transaction), never half.

use std::time::Duration;

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use futures_util::future::{Either, select};

use crate::problem::ApiError;

/// How often a running request looks at the storage's health.
const POLL: Duration = Duration::from_millis(100);

/// The middleware (for `actix_web::middleware::from_fn`).
pub(crate) async fn watch<B: MessageBody + 'static>(
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<EitherBody<B>>, actix_web::Error> {
    let health = req.app_data::<actix_web::web::Data<crate::AppState>>().map(|state| state.health.clone());
    // `/health` answers whether the process lives, whatever the storage does.
    let Some(health) = health.filter(|_| req.path() != crate::HEALTH_PATH) else {
        return next.call(req).await.map(ServiceResponse::map_into_left_body);
    };
    let (method, path) = (req.method().clone(), req.path().to_owned());
    let call = Box::pin(next.call(req));
    let down = Box::pin(async move {
        while health.available() {
            actix_web::rt::time::sleep(POLL).await;
        }
    });
    match select(call, down).await {
        Either::Left((response, _)) => response.map(ServiceResponse::map_into_left_body),
        Either::Right(((), _)) => {
            log::debug!("{method} {path}: storage stopped answering; answered 503");
            // Rendered by actix through `ApiError::error_response`: a problem document.
            Err(ApiError::Unavailable.into())
        }
    }
}
