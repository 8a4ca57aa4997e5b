//! Connection pools to the backend's Postgres.

use anyhow::Context;
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod, Runtime};
use tokio_postgres::NoTls;

use crate::pg::TempPostgres;

pub fn pool(url: &str) -> anyhow::Result<Pool> {
    let config: tokio_postgres::Config = url.parse().context("parsing the database URL")?;
    let manager = Manager::from_config(
        config,
        NoTls,
        ManagerConfig {
            recycling_method: RecyclingMethod::Fast,
        },
    );
    Pool::builder(manager)
        .max_size(16)
        .runtime(Runtime::Tokio1)
        .build()
        .context("building a connection pool")
}

pub async fn check(pool: &Pool) -> anyhow::Result<()> {
    let client = pool.get().await.context("connecting")?;
    client.simple_query("select 1").await?;
    Ok(())
}

/// The URL PostgREST would use: as `authenticator`, which may only switch to the API roles.
/// Falls back to the superuser when the bootstrap's `authenticator` cannot log in or cannot
/// switch to all three roles (then role switching still works, but is less strict).
pub async fn api_url(pg: &TempPostgres) -> anyhow::Result<String> {
    let url = pg.url("authenticator", "postgres");
    match can_switch_roles(&url).await {
        Ok(()) => Ok(url),
        Err(e) => {
            eprintln!(
                "jotline backend: connecting as authenticator failed ({e:#}); \
                 /rest/v1 uses the superuser"
            );
            Ok(pg.url(crate::pg::SUPERUSER, crate::pg::DATABASE))
        }
    }
}

async fn can_switch_roles(url: &str) -> anyhow::Result<()> {
    let (client, conn) = tokio_postgres::connect(url, NoTls).await?;
    let task = tokio::spawn(async move {
        let _ = conn.await;
    });
    let result = client
        .batch_execute(
            "begin; set local role anon; reset role; set local role authenticated; \
             reset role; set local role service_role; rollback;",
        )
        .await;
    drop(client);
    let _ = task.await;
    result.map_err(Into::into)
}
