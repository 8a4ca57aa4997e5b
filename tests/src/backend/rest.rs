//! `/rest/v1/rpc/<fn>`: PostgREST's function call. The caller's JWT is verified, then in one
//! transaction: `set local role <role>`, `set_config('request.jwt.claims', <claims>, true)`,
//! and `public.<fn>(name => value, ...)` with the JSON body's keys (POST) or the query's
//! parameters (GET, always in a read-only transaction) as named arguments.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{Map, Value};

use super::caller::{require_api_key, resolve, Caller};
use super::errors::RestError;
use super::jwt::{TokenError, ALLOWED_ROLES};
use super::AppState;

/// `^[a-z_][a-z0-9_]*$`: the only function and argument names this endpoint accepts, so they
/// can be spliced into SQL.
pub fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c == '_' || c.is_ascii_lowercase())
        && chars.all(|c| c == '_' || c.is_ascii_lowercase() || c.is_ascii_digit())
        && s.len() <= 63
}

pub async fn rpc(
    State(state): State<Arc<AppState>>,
    Path(function): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let caller = match caller(&state, &headers) {
        Ok(caller) => caller,
        Err(response) => return response,
    };
    let call = match parse_args(&body) {
        Ok(args) => call(&state, &caller, &function, Args::Json(args)).await,
        Err(e) => Err(e),
    };
    call.unwrap_or_else(IntoResponse::into_response)
}

/// `GET /rest/v1/rpc/<fn>?name=value…`: the arguments are text, cast to the parameters'
/// types, and the transaction is read-only whatever the function's volatility.
pub async fn rpc_get(
    State(state): State<Arc<AppState>>,
    Path(function): Path<String>,
    Query(query): Query<Vec<(String, String)>>,
    headers: HeaderMap,
) -> Response {
    let caller = match caller(&state, &headers) {
        Ok(caller) => caller,
        Err(response) => return response,
    };
    let args = query
        .into_iter()
        .map(|(name, value)| (name, Value::String(value)))
        .collect();
    call(&state, &caller, &function, Args::Query(args))
        .await
        .unwrap_or_else(IntoResponse::into_response)
}

/// Named arguments: a POST's JSON values or a GET's text.
enum Args {
    Json(Map<String, Value>),
    Query(Map<String, Value>),
}

impl Args {
    fn map(&self) -> &Map<String, Value> {
        match self {
            Args::Json(map) | Args::Query(map) => map,
        }
    }
}

/// The caller of a PostgREST request: the apikey checked by the gateway, then the bearer
/// token verified as PostgREST does (its JWT errors otherwise).
#[allow(clippy::result_large_err)]
pub(super) fn caller(state: &AppState, headers: &HeaderMap) -> Result<Caller, Response> {
    let api = require_api_key(state, headers)?;
    resolve(&state.keys, headers, api).map_err(|e| match e {
        TokenError::Expired => RestError::jwt("JWT expired").into_response(),
        e => RestError::jwt(e.to_string()).into_response(),
    })
}

/// A connection of PostgREST's pool, or its "database connection error".
pub(super) async fn connection(state: &AppState) -> Result<deadpool_postgres::Client, RestError> {
    state.api.get().await.map_err(|e| {
        RestError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "PGRST000",
            format!("database connection error: {e}"),
        )
    })
}

fn not_found(function: &str, args: &Map<String, Value>) -> RestError {
    let names: Vec<&str> = args.keys().map(String::as_str).collect();
    let mut e = RestError::new(
        StatusCode::NOT_FOUND,
        "PGRST202",
        format!(
            "Could not find the function public.{function}({}) in the schema cache",
            names.join(", ")
        ),
    );
    e.hint = Some("Check the function name and the names of its arguments.".into());
    e
}

fn parse_args(body: &Bytes) -> Result<Map<String, Value>, RestError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(RestError::new(
            StatusCode::BAD_REQUEST,
            "PGRST102",
            "Expected a JSON object of named arguments",
        )),
        Err(e) => Err(RestError::new(
            StatusCode::BAD_REQUEST,
            "PGRST102",
            format!("Empty or invalid json: {e}"),
        )),
    }
}

/// One `public` function as the catalog describes it.
struct Signature {
    /// Input arguments in order: (name, SQL type).
    inputs: Vec<(String, String)>,
    /// How many trailing inputs have defaults.
    defaults: usize,
    returns_set: bool,
    returns_void: bool,
    /// STABLE or IMMUTABLE.
    read_only: bool,
}

impl Signature {
    /// Whether a call with exactly these named arguments resolves to this function.
    fn accepts(&self, args: &Map<String, Value>) -> bool {
        let required = self.inputs.len().saturating_sub(self.defaults);
        args.keys().all(|k| self.inputs.iter().any(|(n, _)| n == k))
            && self.inputs[..required]
                .iter()
                .all(|(n, _)| args.contains_key(n))
    }

    /// The SQL calling the function; `$1` is the arguments as one JSON object. Names were
    /// checked with [`is_identifier`], types come from the catalog. `as_text`: every value is
    /// text to cast (a GET's), also for json parameters.
    fn call_sql(&self, function: &str, args: &Map<String, Value>, as_text: bool) -> String {
        let named: Vec<String> = self
            .inputs
            .iter()
            .filter(|(name, _)| args.contains_key(name))
            .map(|(name, ty)| {
                let op = if (ty == "json" || ty == "jsonb") && !as_text {
                    "->"
                } else {
                    "->>"
                };
                format!("\"{name}\" => ($1::jsonb {op} '{name}')::{ty}")
            })
            .collect();
        let call = format!("public.\"{function}\"({})", named.join(", "));
        if self.returns_void {
            format!("select 1 from (select {call}) as v")
        } else if self.returns_set {
            format!("select coalesce(jsonb_agg(to_jsonb(r)), '[]'::jsonb) from {call} as r")
        } else {
            format!("select to_jsonb({call})")
        }
    }
}

const SIGNATURES_SQL: &str = "
select coalesce(p.proargnames::text[], '{}'::text[]),
       coalesce(p.proargmodes::text[], '{}'::text[]),
       array(select format_type(t.oid, null)
             from unnest(p.proargtypes::oid[]) with ordinality as t(oid, ord)
             order by t.ord),
       p.pronargdefaults::int,
       p.proretset,
       p.prorettype = 'void'::regtype,
       p.provolatile in ('s', 'i')
from pg_proc p join pg_namespace n on n.oid = p.pronamespace
where n.nspname = 'public' and p.proname = $1 and p.prokind = 'f'
order by p.oid";

async fn signatures(
    tx: &tokio_postgres::Transaction<'_>,
    function: &str,
) -> Result<Vec<Signature>, tokio_postgres::Error> {
    let rows = tx.query(SIGNATURES_SQL, &[&function]).await?;
    Ok(rows
        .iter()
        .map(|row| {
            let names: Vec<String> = row.get(0);
            let modes: Vec<String> = row.get(1);
            let types: Vec<String> = row.get(2);
            // Names cover all arguments (OUT ones too when modes are given); keep the inputs.
            let input_names: Vec<String> = if modes.is_empty() {
                names
            } else {
                names
                    .into_iter()
                    .zip(modes)
                    .filter(|(_, m)| m == "i" || m == "b" || m == "v")
                    .map(|(n, _)| n)
                    .collect()
            };
            let defaults: i32 = row.get(3);
            Signature {
                inputs: input_names.into_iter().zip(types).collect(),
                defaults: defaults.max(0) as usize,
                returns_set: row.get(4),
                returns_void: row.get(5),
                read_only: row.get(6),
            }
        })
        .collect())
}

async fn call(
    state: &AppState,
    caller: &Caller,
    function: &str,
    request: Args,
) -> Result<Response, RestError> {
    let args = request.map();
    if !is_identifier(function) || !args.keys().all(|k| is_identifier(k)) {
        return Err(not_found(function, args));
    }
    // Checked when the token was verified; checked again because it is spliced into SQL.
    if !ALLOWED_ROLES.contains(&caller.role.as_str()) {
        return Err(RestError::jwt("role not allowed"));
    }
    let anon = caller.role == "anon";
    let db = |e: tokio_postgres::Error| RestError::from_db(&e, anon);
    let mut client = connection(state).await?;
    let tx = client.transaction().await.map_err(db)?;
    super::role::enter(&tx, caller).await.map_err(db)?;
    let signature = signatures(&tx, function)
        .await
        .map_err(db)?
        .into_iter()
        .find(|s| s.accepts(args))
        .ok_or_else(|| not_found(function, args))?;
    let by_get = matches!(request, Args::Query(_));
    if signature.read_only || by_get {
        // PostgREST runs a STABLE or IMMUTABLE function, and any function called by GET, in
        // a read-only transaction.
        tx.batch_execute("set transaction read only")
            .await
            .map_err(db)?;
    }
    let sql = signature.call_sql(function, args, by_get);
    // `$1` only appears when there are arguments.
    let body = Value::Object(args.clone());
    let params: Vec<&(dyn tokio_postgres::types::ToSql + Sync)> =
        if signature.inputs.is_empty() || body.as_object().is_some_and(Map::is_empty) {
            Vec::new()
        } else {
            vec![&body]
        };
    let row = tx.query_one(&sql, &params).await.map_err(db)?;
    tx.commit().await.map_err(db)?;
    if signature.returns_void {
        return Ok(StatusCode::NO_CONTENT.into_response());
    }
    let result: Option<Value> = row.get(0);
    Ok((StatusCode::OK, Json(result.unwrap_or(Value::Null))).into_response())
}

#[cfg(test)]
mod tests {
    use super::is_identifier;

    #[test]
    fn identifiers() {
        assert!(is_identifier("sync_push"));
        assert!(is_identifier("_x1"));
        assert!(!is_identifier("1x"));
        assert!(!is_identifier("Sync"));
        assert!(!is_identifier("a;drop"));
        assert!(!is_identifier("a\"b"));
        assert!(!is_identifier(""));
    }
}
