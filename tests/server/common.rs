//! Shared setup: a cluster with the server schema, users, and push/pull as a user.

use jotline_tests::pg::{self, TempPostgres};
use serde_json::{json, Value};
use tokio_postgres::Client;
use uuid::Uuid;

pub struct Server {
    pub pg: TempPostgres,
    /// Superuser connection, for set-up and for looking behind RLS.
    pub admin: Client,
}

impl Server {
    pub async fn start() -> Server {
        let pg = TempPostgres::start().expect("start postgres");
        pg.apply_server_schema().await.expect("apply server schema");
        let admin = pg
            .connect(pg::SUPERUSER, pg::DATABASE)
            .await
            .expect("connect as superuser");
        Server { pg, admin }
    }

    /// A connection as PostgREST makes it: the `authenticator` login role.
    pub async fn api(&self) -> Client {
        self.pg
            .connect("authenticator", pg::DATABASE)
            .await
            .expect("connect as authenticator")
    }

    pub async fn user(&self, email: &str) -> Uuid {
        let id = Uuid::now_v7();
        self.admin
            .execute(
                "insert into auth.users (id, email) values ($1, $2)",
                &[&id, &email],
            )
            .await
            .expect("insert auth.users");
        id
    }

    /// A superuser query returning one i64 (counts, versions).
    pub async fn scalar(
        &self,
        sql: &str,
        params: &[&(dyn tokio_postgres::types::ToSql + Sync)],
    ) -> i64 {
        self.admin
            .query_one(sql, params)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {}", pg::db_error(&e)))
            .get(0)
    }
}

/// `sync_push` as `user`, committed. Err is the database error message.
pub async fn push(
    api: &mut Client,
    user: Uuid,
    client_id: Uuid,
    ops: &Value,
) -> Result<Value, String> {
    let tx = pg::as_user(api, user).await.map_err(|e| e.to_string())?;
    let row = tx
        .query_one("select public.sync_push($1, $2)", &[&client_id, ops])
        .await
        .map_err(|e| pg::db_error(&e))?;
    tx.commit().await.map_err(|e| pg::db_error(&e))?;
    Ok(row.get(0))
}

/// `sync_pull` as `user`.
pub async fn pull(
    api: &mut Client,
    user: Uuid,
    cursor: Option<&str>,
    page_size: i32,
) -> Result<Value, String> {
    let tx = pg::as_user(api, user).await.map_err(|e| e.to_string())?;
    let row = tx
        .query_one("select public.sync_pull($1, $2)", &[&cursor, &page_size])
        .await
        .map_err(|e| pg::db_error(&e))?;
    tx.commit().await.map_err(|e| pg::db_error(&e))?;
    Ok(row.get(0))
}

/// `public.<function>(params…)` as `user`, committed, its answer as JSON (e.g. the recording
/// `sync_pull(cursor, page_size, client_id)`, `list_devices()`). Err is the database error.
pub async fn call(
    api: &mut Client,
    user: Uuid,
    function: &str,
    params: &[&(dyn tokio_postgres::types::ToSql + Sync)],
) -> Result<Value, String> {
    let args: Vec<String> = (1..=params.len()).map(|i| format!("${i}")).collect();
    let sql = format!("select to_jsonb(public.{function}({}))", args.join(", "));
    let tx = pg::as_user(api, user).await.map_err(|e| e.to_string())?;
    let row = tx
        .query_one(&sql, params)
        .await
        .map_err(|e| pg::db_error(&e))?;
    tx.commit().await.map_err(|e| pg::db_error(&e))?;
    Ok(row.get(0))
}

/// Pulls every page from `cursor` on; returns the changes and the final cursor.
pub async fn pull_all(
    api: &mut Client,
    user: Uuid,
    mut cursor: Option<String>,
) -> (Vec<Value>, Option<String>) {
    let mut changes = Vec::new();
    loop {
        let page = pull(api, user, cursor.as_deref(), 500).await.expect("pull");
        assert_eq!(page["must_resync"], json!(false), "{page}");
        changes.extend(page["changes"].as_array().expect("changes").iter().cloned());
        cursor = page["next_cursor"].as_str().map(str::to_string);
        if page["has_more"] == json!(false) {
            return (changes, cursor);
        }
    }
}

pub fn new_entry(op_seq: i64, id: Uuid, body: &str) -> Value {
    json!({
        "op_seq": op_seq, "table": "entries", "row_id": id, "op": "upsert",
        "fields": {
            "kind": "note", "title": null, "body": body,
            "occurred_at": "2026-11-22T10:00:00.000Z",
            "created_at": "2026-11-22T10:00:00.000Z",
            "updated_at": "2026-11-22T10:00:00.000Z"
        }
    })
}

pub fn upsert(op_seq: i64, table: &str, id: Uuid, fields: Value) -> Value {
    json!({ "op_seq": op_seq, "table": table, "row_id": id, "op": "upsert", "fields": fields })
}

pub fn delete(op_seq: i64, table: &str, id: Uuid) -> Value {
    json!({
        "op_seq": op_seq, "table": table, "row_id": id, "op": "delete",
        "fields": { "deleted_at": "2026-11-23T08:00:00.000Z" }
    })
}

pub fn statuses(result: &Value) -> Vec<String> {
    result["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| r["status"].as_str().expect("status").to_string())
        .collect()
}

/// The pulled row of `id` (the last change for it), if any.
pub fn row_of(changes: &[Value], id: Uuid) -> Option<&Value> {
    let id = id.to_string();
    changes
        .iter()
        .rev()
        .find(|c| c["row"]["id"] == json!(id))
        .map(|c| &c["row"])
}
