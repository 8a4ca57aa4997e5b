//! A small HTTP client for the backend's endpoints, as the app's sync client would call them.

use jotline_tests::backend::LocalBackend;
use reqwest::StatusCode;
use serde_json::{json, Value};
use uuid::Uuid;

pub const PASSWORD: &str = "correct horse battery";

/// The backend's URL and anon key, and a client (no proxy, short-ish timeout).
pub struct Api {
    pub base: String,
    pub anon_key: String,
    pub http: reqwest::Client,
}

/// A signed-in user.
#[derive(Debug, Clone)]
pub struct Session {
    pub user_id: String,
    pub access_token: String,
    pub refresh_token: String,
}

impl Session {
    pub fn from_json(v: &Value) -> Session {
        Session {
            user_id: v["user"]["id"].as_str().expect("user.id").to_string(),
            access_token: v["access_token"]
                .as_str()
                .expect("access_token")
                .to_string(),
            refresh_token: v["refresh_token"]
                .as_str()
                .expect("refresh_token")
                .to_string(),
        }
    }
}

impl Api {
    pub fn new(backend: &LocalBackend) -> Api {
        Api::with_base(&backend.url(), backend.anon_key())
    }

    pub fn with_base(base: &str, anon_key: String) -> Api {
        Api {
            base: base.trim_end_matches('/').to_string(),
            anon_key,
            http: reqwest::Client::builder()
                .no_proxy()
                .timeout(std::time::Duration::from_secs(20))
                .build()
                .expect("http client"),
        }
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: &Value) -> (StatusCode, Value) {
        let mut req = self
            .http
            .post(format!("{}{path}", self.base))
            .header("apikey", &self.anon_key)
            .json(body);
        if let Some(token) = token {
            req = req.bearer_auth(token);
        }
        let response = req.send().await.expect("request sent");
        read(response).await
    }

    pub async fn signup(&self, email: &str) -> Session {
        let (status, body) = self
            .post(
                "/auth/v1/signup",
                None,
                &json!({"email": email, "password": PASSWORD}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "signup: {body}");
        Session::from_json(&body)
    }

    /// A new user with a unique email.
    pub async fn new_user(&self) -> Session {
        self.signup(&format!("user-{}@example.com", Uuid::now_v7()))
            .await
    }

    pub async fn sign_in(&self, email: &str, password: &str) -> (StatusCode, Value) {
        self.post(
            "/auth/v1/token?grant_type=password",
            None,
            &json!({"email": email, "password": password}),
        )
        .await
    }

    pub async fn refresh(&self, refresh_token: &str) -> (StatusCode, Value) {
        self.post(
            "/auth/v1/token?grant_type=refresh_token",
            None,
            &json!({"refresh_token": refresh_token}),
        )
        .await
    }

    pub async fn rpc(
        &self,
        function: &str,
        token: Option<&str>,
        body: &Value,
    ) -> (StatusCode, Value) {
        self.post(&format!("/rest/v1/rpc/{function}"), token, body)
            .await
    }

    pub async fn push(&self, token: &str, client_id: Uuid, ops: Value) -> (StatusCode, Value) {
        self.rpc(
            "sync_push",
            Some(token),
            &json!({"client_id": client_id, "ops": ops}),
        )
        .await
    }

    pub async fn pull_all(&self, token: &str) -> Value {
        let (status, body) = self
            .rpc(
                "sync_pull",
                Some(token),
                &json!({"cursor": null, "page_size": 500}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "pull: {body}");
        body
    }
}

/// Status and JSON body (`null` for an empty body, a string for a non-JSON one).
pub async fn read(response: reqwest::Response) -> (StatusCode, Value) {
    let status = response.status();
    let bytes = response.bytes().await.expect("response body");
    let body = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()))
    };
    (status, body)
}

/// A create op for an entry with the given body text.
pub fn create_entry(op_seq: i64, id: Uuid, body: &str) -> Value {
    let now = "2026-01-02T03:04:05.000Z";
    json!({
        "op_seq": op_seq,
        "table": "entries",
        "row_id": id,
        "op": "upsert",
        "fields": {
            "kind": "note",
            "title": null,
            "body": body,
            "occurred_at": now,
            "created_at": now,
            "updated_at": now,
        }
    })
}

/// The ids of the entries in a pull response.
pub fn entry_ids(pull: &Value) -> Vec<String> {
    pull["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .filter(|c| c["table"] == "entries")
        .map(|c| c["row"]["id"].as_str().expect("row.id").to_string())
        .collect()
}

/// Runs `script` of `tests/supabase-tools` (Supabase's official clients, installed by
/// `scripts/ensure-deps.sh`) with node against `backend`, and checks that it printed
/// `ok: <step>` for every one of `steps`.
pub async fn run_official_script(
    script: &str,
    backend: &LocalBackend,
    env: &[(&str, &str)],
    steps: &[&str],
) {
    let tools = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("supabase-tools");
    assert!(
        tools.join("node_modules/@supabase/supabase-js").exists(),
        "scripts/ensure-deps.sh (make test) installs tests/supabase-tools"
    );
    let out = tokio::process::Command::new("node")
        .arg(script)
        .current_dir(&tools)
        .env("JOTLINE_URL", backend.url())
        .env("JOTLINE_ANON_KEY", backend.anon_key())
        .envs(env.iter().copied())
        .output()
        .await
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    for step in steps {
        assert!(stdout.contains(&format!("ok: {step}")), "{step}: {stdout}");
    }
}
