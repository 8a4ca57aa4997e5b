//! How Realtime authorises a private channel (`Realtime.Tenants.Authorization`): through the
//! project's row-level security on `realtime.messages`, in a transaction that is always
//! rolled back. To read: its own connection inserts a probe row per extension (`broadcast`,
//! and `presence` when the join enables it), becomes the user (`set_config('role', …)`, the
//! JWT claims, `realtime.topic` = the channel's topic, the request's `x-` headers) and selects
//! the probes back; each one it sees is a read permission. To write (a client's broadcast or
//! presence track): the same settings, then an insert per extension, each in a savepoint; an
//! insufficient-privilege error is a refusal.
//!
//! The stand-in's connection is the cluster's superuser, as Realtime's is Supabase's admin.

use deadpool_postgres::Pool;
use serde_json::Value;
use uuid::Uuid;

/// What is being authorised: the channel's topic without `realtime:`, the token's claims and
/// the `x-` headers of the WebSocket request.
#[derive(Debug, Clone)]
pub struct Context {
    pub topic: String,
    pub claims: Value,
    pub headers: Value,
}

/// Realtime's `Policies`: `None` until asked.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Policies {
    pub broadcast_read: Option<bool>,
    pub presence_read: Option<bool>,
    pub broadcast_write: Option<bool>,
    pub presence_write: Option<bool>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Extension {
    Broadcast,
    Presence,
}

impl Extension {
    fn as_str(self) -> &'static str {
        match self {
            Extension::Broadcast => "broadcast",
            Extension::Presence => "presence",
        }
    }
}

/// Why no answer came from the policies.
#[derive(Debug)]
pub enum Failure {
    /// A policy (or setting the role) failed: Realtime logs `RlsPolicyError` and refuses as
    /// unauthorised.
    Policy,
    /// No connection to the database.
    Unavailable,
}

impl From<tokio_postgres::Error> for Failure {
    fn from(e: tokio_postgres::Error) -> Self {
        if e.as_db_error().is_some() {
            let why = crate::pg::db_error(&e);
            eprintln!("jotline backend: realtime: RlsPolicyError: {why}");
            Failure::Policy
        } else {
            Failure::Unavailable
        }
    }
}

/// The read permissions of `context` for broadcast, and presence when `presence` is on.
pub async fn read(pool: &Pool, context: &Context, presence: bool) -> Result<Policies, Failure> {
    let mut client = pool.get().await.map_err(|_| Failure::Unavailable)?;
    let tx = client.transaction().await?;
    let mut probes = vec![(Extension::Broadcast, Uuid::now_v7())];
    if presence {
        probes.push((Extension::Presence, Uuid::now_v7()));
    }
    for (extension, id) in &probes {
        tx.execute(
            "insert into realtime.messages (id, topic, extension) values ($1, $2, $3)",
            &[id, &context.topic, &extension.as_str()],
        )
        .await?;
    }
    become_the_user(&tx, context).await?;
    let ids: Vec<Uuid> = probes.iter().map(|(_, id)| *id).collect();
    let seen: Vec<Uuid> = tx
        .query(
            "select id from realtime.messages where id = any($1)",
            &[&ids],
        )
        .await?
        .iter()
        .map(|row| row.get(0))
        .collect();
    tx.rollback().await?;
    let mut policies = Policies::default();
    for (extension, id) in probes {
        let readable = Some(seen.contains(&id));
        match extension {
            Extension::Broadcast => policies.broadcast_read = readable,
            Extension::Presence => policies.presence_read = readable,
        }
    }
    Ok(policies)
}

/// Whether `context` may write (send on) the topic for `extension`.
pub async fn may_write(
    pool: &Pool,
    context: &Context,
    extension: Extension,
) -> Result<bool, Failure> {
    let mut client = pool.get().await.map_err(|_| Failure::Unavailable)?;
    let tx = client.transaction().await?;
    become_the_user(&tx, context).await?;
    let inserted = tx
        .execute(
            "insert into realtime.messages (topic, extension) values ($1, $2)",
            &[&context.topic, &extension.as_str()],
        )
        .await;
    let allowed = match inserted {
        Ok(_) => true,
        Err(e) if e.code() == Some(&tokio_postgres::error::SqlState::INSUFFICIENT_PRIVILEGE) => {
            false
        }
        Err(e) => return Err(e.into()),
    };
    // A refused insert aborted the transaction; dropping it rolls back either way.
    drop(tx);
    Ok(allowed)
}

/// Realtime's `set_conn_config`.
async fn become_the_user(
    tx: &deadpool_postgres::Transaction<'_>,
    context: &Context,
) -> Result<(), tokio_postgres::Error> {
    let role = match context.claims.get("role") {
        Some(Value::String(role)) => role.clone(),
        other => other.map(Value::to_string).unwrap_or_default(),
    };
    let sub = context
        .claims
        .get("sub")
        .and_then(Value::as_str)
        .map(str::to_string);
    tx.execute(
        "select set_config('role', $1, true),
                set_config('realtime.topic', $2, true),
                set_config('request.jwt.claims', $3, true),
                set_config('request.jwt.claim.sub', $4, true),
                set_config('request.jwt.claim.role', $1, true),
                set_config('request.headers', $5, true)",
        &[
            &role,
            &context.topic,
            &context.claims.to_string(),
            &sub,
            &context.headers.to_string(),
        ],
    )
    .await?;
    Ok(())
}
