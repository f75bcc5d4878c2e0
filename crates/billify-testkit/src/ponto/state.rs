//! The fake's shared state and reply type, used by the server and by the OAuth and resource
//! handlers it dispatches to.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Instant;

use serde_json::{Value, json};

use super::{FakeAccount, FakePontoConfig, FakeTransaction, Fault, LoggedRequest};
use crate::rng::SplitMix64;

pub(super) const PREFIX: &str = "/ponto-connect";

pub(super) struct ArmedFault {
    pub(super) fault: Fault,
    pub(super) seen: usize,
    pub(super) fired: usize,
}

pub(super) struct PendingCode {
    pub(super) challenge: String,
    pub(super) redirect_uri: String,
    pub(super) state: String,
}

pub(super) struct FakeSync {
    pub(super) id: String,
    pub(super) account_id: String,
    pub(super) subtype: String,
    pub(super) reads: u32,
    pub(super) status: &'static str,
    pub(super) errors: Vec<(String, String)>,
    pub(super) updated: Vec<String>,
}

pub(super) struct State {
    pub(super) config: FakePontoConfig,
    pub(super) origin: String,
    pub(super) rng: SplitMix64,
    pub(super) accounts: Vec<FakeAccount>,
    pub(super) institutions: Vec<(String, String)>,
    pub(super) transactions: HashMap<String, Vec<FakeTransaction>>,
    pub(super) codes: HashMap<String, PendingCode>,
    pub(super) access_tokens: HashMap<String, Instant>,
    pub(super) refresh_tokens: HashSet<String>,
    pub(super) syncs: Vec<FakeSync>,
    pub(super) fail_syncs_with: Option<String>,
    pub(super) faults: Vec<ArmedFault>,
    pub(super) log: Vec<LoggedRequest>,
    pub(super) request_count: usize,
    pub(super) list_cache: HashMap<String, Arc<Vec<u8>>>,
    pub(super) generated: u64,
}

pub(super) struct Reply {
    pub(super) status: u16,
    pub(super) headers: Vec<(&'static str, String)>,
    pub(super) body: Vec<u8>,
}

impl Reply {
    pub(super) fn json_bytes(status: u16, body: Vec<u8>) -> Reply {
        Reply { status, headers: vec![("Content-Type", "application/vnd.api+json".into())], body }
    }

    pub(super) fn json(status: u16, body: String) -> Reply {
        Reply { status, headers: vec![("Content-Type", "application/vnd.api+json".into())], body: body.into_bytes() }
    }

    pub(super) fn value(status: u16, value: &Value) -> Reply {
        Reply::json(status, value.to_string())
    }

    pub(super) fn error(status: u16, code: &str, detail: &str) -> Reply {
        Reply::value(status, &json!({"errors": [{"code": code, "detail": detail, "meta": {}}]}))
    }

    pub(super) fn oauth_error(status: u16, error: &str, description: &str) -> Reply {
        let mut reply = Reply::value(status, &json!({"error": error, "error_description": description}));
        reply.headers = vec![("Content-Type", "application/json".into())];
        reply
    }
}
