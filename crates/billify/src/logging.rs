//! The process's log: `env_logger` filtered by `BILLIFY_LOG`, as text (the default) or as JSON
//! lines (`BILLIFY_LOG_FORMAT=json`). Every line written while a request is served carries its
//! request id (`billify_web::observe::current_request_id`), on the HTTP workers and on the
//! blocking pool alike.

use std::io::Write as _;

/// One log line as JSON: time, level, target, message and, during a request, its id.
pub fn json_line(timestamp: &str, level: &str, target: &str, message: &str, request_id: Option<&str>) -> String {
    let mut line = serde_json::json!({
        "ts": timestamp,
        "level": level,
        "target": target,
        "msg": message,
    });
    if let Some(id) = request_id {
        line["request_id"] = serde_json::Value::String(id.to_owned());
    }
    line.to_string()
}

/// Installs the logger.
pub fn init(filter: &str, json: bool) {
    let mut builder = env_logger::Builder::from_env(env_logger::Env::default().default_filter_or(filter));
    if json {
        builder.format(|buf, record| {
            let line = json_line(
                &buf.timestamp_millis().to_string(),
                record.level().as_str(),
                record.target(),
                &record.args().to_string(),
                billify_web::observe::current_request_id().as_deref(),
            );
            writeln!(buf, "{line}")
        });
    } else {
        builder.format(|buf, record| {
            let ts = buf.timestamp_millis();
            match billify_web::observe::current_request_id() {
                Some(id) => {
                    writeln!(buf, "[{ts} {} {}] {} request_id={id}", record.level(), record.target(), record.args())
                }
                None => writeln!(buf, "[{ts} {} {}] {}", record.level(), record.target(), record.args()),
            }
        });
    }
    builder.init();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_lines_escape_and_name_the_request() {
        let line = json_line("2026-12-06T10:00:00.000Z", "INFO", "billify::access", "GET \"x\"\nnext", Some("abc"));
        let v: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(v["msg"], "GET \"x\"\nnext");
        assert_eq!(v["request_id"], "abc");
        assert!(!line.contains('\n'), "one line");
        let v: serde_json::Value = serde_json::from_str(&json_line("t", "WARN", "x", "m", None)).unwrap();
        assert!(v.get("request_id").is_none());
    }
}
