//! Running the `billify` binary over real HTTP, shared by the black-box test files.

#![allow(dead_code, reason = "each test file uses a different part")]

use std::io::{BufRead as _, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::Value;

/// A running server process.
pub struct Server {
    /// The process.
    pub child: Child,
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// The log lines not read yet.
    pub log: mpsc::Receiver<String>,
    /// The lines logged before the server listened.
    pub startup: Vec<String>,
}

impl Server {
    /// Starts `billify serve` with these variables on top of fast test defaults.
    pub fn start(envs: &[(&str, String)]) -> Server {
        Self::start_with(&["serve"], envs)
    }

    /// Starts `billify ARGS...`.
    pub fn start_with(args: &[&str], envs: &[(&str, String)]) -> Server {
        let mut command = Command::new(env!("CARGO_BIN_EXE_billify"));
        command
            .args(args)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("BILLIFY_BIND", "127.0.0.1:0")
            .env("BILLIFY_LOG", "info")
            .env("BILLIFY_ARGON2_MEMORY_KIB", "1024")
            .env("BILLIFY_ARGON2_ITERATIONS", "1")
            .env("BILLIFY_DOCUMENTS_DIR", std::env::temp_dir().join(format!("billify-smoke-{}", std::process::id())))
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        for (k, v) in envs {
            command.env(k, v);
        }
        let mut child = command.spawn().expect("spawn billify");
        let stderr = child.stderr.take().expect("stderr");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut startup = Vec::new();
        let base = loop {
            let line = rx.recv_timeout(Duration::from_secs(60)).expect("server printed its address");
            if let Some(addr) = line.split("listening on ").nth(1) {
                break addr.trim().to_owned();
            }
            startup.push(line);
        };
        Server { child, base, log: rx, startup }
    }

    /// Calls the API; a body that is not JSON reads as `null`.
    pub fn call(&self, method: &str, path: &str, token: Option<&str>, body: Option<Value>) -> (u16, Value) {
        let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
        let url = format!("{}{}", self.base, path);
        let mut response = match (method, body) {
            ("GET", _) => with_auth(agent.get(&url), token).call(),
            ("DELETE", _) => with_auth(agent.delete(&url), token).call(),
            ("POST", Some(b)) => with_auth(agent.post(&url), token).send_json(b),
            ("POST", None) => with_auth(agent.post(&url), token).send_empty(),
            ("PATCH", Some(b)) => with_auth(agent.patch(&url), token).send_json(b),
            other => panic!("unsupported {other:?}"),
        }
        .expect("request");
        let status = response.status().as_u16();
        let text = response.body_mut().read_to_string().unwrap_or_default();
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    /// Sends SIGTERM and waits for a clean exit; returns the remaining log.
    pub fn stop(mut self) -> String {
        let status = Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status().expect("kill");
        assert!(status.success());
        let exit = self.child.wait().expect("wait");
        assert!(exit.success(), "graceful shutdown exits 0, got {exit}");
        self.log.try_iter().collect::<Vec<_>>().join("\n")
    }
}

/// Adds a bearer token.
pub fn with_auth<B>(req: ureq::RequestBuilder<B>, token: Option<&str>) -> ureq::RequestBuilder<B> {
    match token {
        Some(t) => req.header("Authorization", &format!("Bearer {t}")),
        None => req,
    }
}

impl Server {
    /// Kills the process with SIGKILL (no clean-up at all) and waits for it.
    pub fn kill(mut self) {
        self.child.kill().expect("kill");
        let _ = self.child.wait();
    }

    /// Waits for a log line containing `needle` and returns it.
    pub fn wait_for_log(&self, needle: &str, timeout: Duration) -> String {
        if let Some(line) = self.startup.iter().find(|l| l.contains(needle)) {
            return line.clone();
        }
        let deadline = std::time::Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            let line = self.log.recv_timeout(left).unwrap_or_else(|_| panic!("no log line with {needle:?}"));
            if line.contains(needle) {
                return line;
            }
        }
    }
}
