//! `/rest/v1/<table>`: PostgREST exposes every table of `public` for select (`GET`), insert
//! (`POST`, a JSON object or array), update (`PATCH`, a JSON object) and delete (`DELETE`),
//! filtered by `column=eq.value` query parameters, as the caller's role with its JWT claims,
//! so grants, row-level security and triggers decide exactly as on Supabase. Writes answer
//! `201`/`204` without a body (PostgREST's default `Prefer: return=minimal`).

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::Value;

use super::caller::Caller;
use super::errors::RestError;
use super::rest::{caller, connection, is_identifier};
use super::AppState;

pub async fn table(
    State(state): State<Arc<AppState>>,
    Path(table): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    method: Method,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let caller = match caller(&state, &headers) {
        Ok(caller) => caller,
        Err(response) => return response,
    };
    match run(&state, &caller, &method, &table, &query, &body).await {
        Ok(response) => response,
        Err(e) => e.into_response(),
    }
}

/// `where "col"::text = $n and …` for the `col=eq.value` parameters; `$1` is the body.
fn filters(query: &HashMap<String, String>) -> Result<(String, Vec<String>), RestError> {
    let mut clauses = Vec::new();
    let mut values = Vec::new();
    let mut keys: Vec<&String> = query.keys().collect();
    keys.sort();
    for column in keys {
        if column == "select" {
            continue;
        }
        let Some(value) = query[column].strip_prefix("eq.") else {
            return Err(bad_request(format!(
                "only eq. filters are served here: {column}={}",
                query[column]
            )));
        };
        if !is_identifier(column) {
            return Err(bad_request(format!("unknown column {column}")));
        }
        values.push(value.to_string());
        clauses.push(format!("t.\"{column}\"::text = ${}", values.len() + 1));
    }
    let clause = if clauses.is_empty() {
        "true".to_string()
    } else {
        clauses.join(" and ")
    };
    Ok((clause, values))
}

fn bad_request(message: String) -> RestError {
    RestError::new(StatusCode::BAD_REQUEST, "PGRST100", message)
}

/// The columns a JSON body names (the first object's keys for an array).
fn body_columns(body: &Value) -> Result<Vec<String>, RestError> {
    let first = match body {
        Value::Array(rows) => rows.first(),
        other => Some(other),
    };
    let Some(Value::Object(fields)) = first else {
        return Err(bad_request(
            "the body must be a JSON object or array".into(),
        ));
    };
    let columns: Vec<String> = fields.keys().cloned().collect();
    if columns.is_empty() || !columns.iter().all(|c| is_identifier(c)) {
        return Err(bad_request("unknown or no columns in the body".into()));
    }
    Ok(columns)
}

async fn run(
    state: &AppState,
    caller: &Caller,
    method: &Method,
    table: &str,
    query: &HashMap<String, String>,
    body: &Bytes,
) -> Result<Response, RestError> {
    if !is_identifier(table) {
        return Err(RestError::new(
            StatusCode::NOT_FOUND,
            "PGRST205",
            format!("Could not find the table 'public.{table}' in the schema cache"),
        ));
    }
    let anon = caller.role == "anon";
    let db = |e: tokio_postgres::Error| RestError::from_db(&e, anon);
    let (clause, values) = filters(query)?;
    let json: Value = if body.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(body).map_err(|e| bad_request(format!("invalid JSON: {e}")))?
    };
    let (sql, status) = match *method {
        Method::GET => (
            format!(
                "select coalesce(json_agg(t), '[]'::json)::text from public.\"{table}\" t \
                 where ($1::text)::jsonb is null and {clause}"
            ),
            StatusCode::OK,
        ),
        Method::POST if !values.is_empty() => {
            return Err(bad_request("an insert takes no filters".into()))
        }
        Method::POST => {
            let cols = quoted(&body_columns(&json)?);
            (
                format!(
                    "insert into public.\"{table}\" ({cols}) select {cols} from \
                     jsonb_populate_recordset(null::public.\"{table}\", \
                     case jsonb_typeof(($1::text)::jsonb) when 'array' then ($1::text)::jsonb \
                     else jsonb_build_array(($1::text)::jsonb) end)"
                ),
                StatusCode::CREATED,
            )
        }
        Method::PATCH => {
            let cols = quoted(&body_columns(&json)?);
            (
                format!(
                    "update public.\"{table}\" t set ({cols}) = (select {cols} from \
                     jsonb_populate_record(null::public.\"{table}\", ($1::text)::jsonb)) where {clause}"
                ),
                StatusCode::NO_CONTENT,
            )
        }
        Method::DELETE => (
            format!(
                "delete from public.\"{table}\" t where ($1::text)::jsonb is null and {clause}"
            ),
            StatusCode::NO_CONTENT,
        ),
        _ => {
            return Err(RestError::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "PGRST117",
                format!("Unsupported HTTP method: {method}"),
            ))
        }
    };
    let mut client = connection(state).await?;
    let tx = client.transaction().await.map_err(db)?;
    super::role::enter(&tx, caller).await.map_err(db)?;
    let body_param = (!json.is_null()).then(|| json.to_string());
    let mut params: Vec<&(dyn tokio_postgres::types::ToSql + Sync)> = vec![&body_param];
    for value in &values {
        params.push(value);
    }
    let response = if *method == Method::GET {
        let row = tx.query_one(&sql, &params).await.map_err(db)?;
        let text: String = row.get(0);
        let rows: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
        (status, Json(rows)).into_response()
    } else {
        tx.execute(&sql, &params).await.map_err(db)?;
        status.into_response()
    };
    tx.commit().await.map_err(db)?;
    Ok(response)
}

fn quoted(columns: &[String]) -> String {
    columns
        .iter()
        .map(|c| format!("\"{c}\""))
        .collect::<Vec<_>>()
        .join(", ")
}
