//! Request parsing: JSON bodies and query strings whose errors name the offending field.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::web::BytesMut;
use actix_web::{FromRequest, HttpRequest};
use futures_util::StreamExt as _;
use serde::de::DeserializeOwned;

use crate::problem::ApiError;

/// The largest JSON body accepted.
pub const JSON_LIMIT: usize = 64 * 1024;

/// How long a client may take to send a request body (JSON or upload); slower clients get a 408
/// and the connection is closed, so they cannot hold a worker's memory indefinitely.
pub const BODY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);

/// Runs a body-reading future under [`BODY_TIMEOUT`].
pub(crate) async fn within_body_timeout<T>(
    read: impl std::future::Future<Output = Result<T, ApiError>>,
) -> Result<T, ApiError> {
    actix_web::rt::time::timeout(BODY_TIMEOUT, read)
        .await
        .unwrap_or(Err(ApiError::RequestTimeout { seconds: BODY_TIMEOUT.as_secs() }))
}

/// A JSON body, parsed but not yet judged: the handler calls [`JsonBody::parse`] after
/// authentication, so an anonymous caller gets 401 rather than a validation error.
///
/// Syntax errors are 400; missing fields, wrong types and unknown fields are 422 naming the
/// field's path; bodies over [`JSON_LIMIT`] are 413; other content types are 415.
pub struct JsonBody<T>(Result<T, ApiError>);

impl<T> JsonBody<T> {
    /// The parsed body, or why it could not be parsed.
    pub fn parse(self) -> Result<T, ApiError> {
        self.0
    }
}

impl<T: DeserializeOwned + 'static> FromRequest for JsonBody<T> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let content_type =
            req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
        let declared_length = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        let mut payload = payload.take();
        Box::pin(async move {
            Ok(JsonBody(within_body_timeout(read_json(&content_type, declared_length, &mut payload)).await))
        })
    }
}

async fn read_json<T: DeserializeOwned>(
    content_type: &str,
    declared_length: Option<usize>,
    payload: &mut Payload,
) -> Result<T, ApiError> {
    {
        {
            let essence = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
            if essence != "application/json" && !essence.ends_with("+json") {
                return Err(ApiError::UnsupportedMediaType("send the body as application/json".into()));
            }
            if declared_length.is_some_and(|n| n > JSON_LIMIT) {
                return Err(ApiError::PayloadTooLarge { limit: JSON_LIMIT });
            }
            let mut body = BytesMut::new();
            while let Some(chunk) = payload.next().await {
                let chunk = chunk.map_err(|e| ApiError::BadRequest(format!("could not read the body: {e}")))?;
                if body.len() + chunk.len() > JSON_LIMIT {
                    return Err(ApiError::PayloadTooLarge { limit: JSON_LIMIT });
                }
                body.extend_from_slice(&chunk);
            }
            parse_json(&body)
        }
    }
}

/// Whether text holds a control character other than tab and newline (NUL among them, which
/// PostgreSQL cannot store and SQLite would): such text is refused in every field and query
/// parameter, the same whatever the backend.
pub fn has_control_character(text: &str) -> bool {
    text.chars().any(|c| c.is_control() && c != '\t' && c != '\n')
}

const CONTROL_MESSAGE: &str = "must not contain control characters (tab and newline aside)";

/// The path (`counterparty.name`, `invoices[0].amount`) of the first string in `value` holding a
/// control character, if any.
fn control_character_path(value: &serde_json::Value, path: &str) -> Option<String> {
    let join = |key: &str| if path.is_empty() { key.to_owned() } else { format!("{path}.{key}") };
    match value {
        serde_json::Value::String(text) => has_control_character(text).then(|| path.to_owned()),
        serde_json::Value::Array(items) => {
            items.iter().enumerate().find_map(|(i, item)| control_character_path(item, &format!("{path}[{i}]")))
        }
        serde_json::Value::Object(fields) => fields.iter().find_map(|(key, item)| {
            if has_control_character(key) { Some(join("body")) } else { control_character_path(item, &join(key)) }
        }),
        _ => None,
    }
}

/// Parses JSON, reporting where it went wrong.
pub fn parse_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::BadRequest("the request body is empty; send a JSON object".into()));
    }
    // Control characters are refused first, wherever they are, naming the field.
    if let Ok(value) = serde_json::from_slice::<serde_json::Value>(body)
        && let Some(path) = control_character_path(&value, "")
    {
        return Err(ApiError::field(if path.is_empty() { "body".into() } else { path }, CONTROL_MESSAGE));
    }
    let mut de = serde_json::Deserializer::from_slice(body);
    let result: Result<T, _> = serde_path_to_error::deserialize(&mut de);
    let value = match result {
        Ok(value) => value,
        Err(err) => {
            let path = err.path().to_string();
            let inner = err.into_inner();
            return Err(match inner.classify() {
                serde_json::error::Category::Data => {
                    let message = strip_position(&inner.to_string());
                    let field =
                        if path == "." { missing_field(&message).unwrap_or_else(|| "body".into()) } else { path };
                    ApiError::field(field, message)
                }
                _ => ApiError::BadRequest(format!("malformed JSON: {inner}")),
            });
        }
    };
    de.end().map_err(|e| ApiError::BadRequest(format!("malformed JSON: {e}")))?;
    Ok(value)
}

/// Parses a query string into `T` (all fields optional strings); an unknown parameter is 422
/// naming it.
pub fn parse_query<T: DeserializeOwned>(query: &str) -> Result<T, ApiError> {
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(query).map_err(|e| ApiError::BadRequest(format!("malformed query string: {e}")))?;
    if let Some((name, _)) = pairs.iter().find(|(k, v)| has_control_character(k) || has_control_character(v)) {
        let field = if has_control_character(name) { "query".to_owned() } else { name.clone() };
        return Err(ApiError::field(field, CONTROL_MESSAGE));
    }
    serde_urlencoded::from_str(query).map_err(|err| {
        let message = err.to_string();
        ApiError::field(unknown_field(&message).unwrap_or_else(|| "query".into()), message)
    })
}

fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

fn missing_field(message: &str) -> Option<String> {
    let rest = message.strip_prefix("missing field `")?;
    Some(rest[..rest.find('`')?].to_owned())
}

fn unknown_field(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    Some(rest[..rest.find('`')?].to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Input {
        name: String,
        lines: Option<Vec<Line>>,
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Line {
        text: String,
    }

    fn field_of(e: ApiError) -> String {
        match e {
            ApiError::Validation(errors) => errors[0].field.clone(),
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn control_characters_are_refused_naming_the_field() {
        assert_eq!(field_of(parse_json::<Input>(br#"{"name":"x\u0000y"}"#).unwrap_err()), "name");
        assert_eq!(field_of(parse_json::<Input>(br#"{"name":"x\u001by"}"#).unwrap_err()), "name");
        assert_eq!(field_of(parse_json::<Input>(br#"{"name":"x\u007fy"}"#).unwrap_err()), "name");
        assert_eq!(field_of(parse_json::<Input>(br#"{"name":"x\u0085y"}"#).unwrap_err()), "name");
        assert_eq!(
            field_of(parse_json::<Input>(br#"{"name":"ok","lines":[{"text":"a"},{"text":"\r"}]}"#).unwrap_err()),
            "lines[1].text"
        );
        assert!(parse_json::<Input>(br#"{"name":"tab\there\nand newline"}"#).is_ok());
        assert!(parse_json::<Input>("{\"name\":\"Café Zoë\"}".as_bytes()).is_ok());
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Filter {
        q: Option<String>,
    }

    #[test]
    fn control_characters_in_query_parameters_are_refused_naming_them() {
        assert_eq!(field_of(parse_query::<Filter>("q=%00").unwrap_err()), "q");
        assert_eq!(field_of(parse_query::<Filter>("q=a%1Fb").unwrap_err()), "q");
        assert_eq!(field_of(parse_query::<Filter>("q%00=a").unwrap_err()), "query");
        assert!(parse_query::<Filter>("q=a%09b").is_ok());
    }
}
