//! Entering the caller's role the way PostgREST does at the start of each request's
//! transaction: `set local role`, the JWT claims in `request.jwt.claims`, and the role's own
//! settings (on Supabase: `statement_timeout` 3 s for anon, 8 s for authenticated).

use super::caller::Caller;

pub async fn enter(
    tx: &deadpool_postgres::Transaction<'_>,
    caller: &Caller,
) -> Result<(), tokio_postgres::Error> {
    tx.batch_execute(&format!("set local role \"{}\"", caller.role))
        .await?;
    tx.execute(
        "select set_config('request.jwt.claims', $1, true)",
        &[&caller.claims.to_string()],
    )
    .await?;
    tx.execute(
        "select set_config(split_part(s, '=', 1), substr(s, strpos(s, '=') + 1), true)
         from pg_db_role_setting d join pg_roles r on r.oid = d.setrole,
              unnest(d.setconfig) s
         where r.rolname = $1 and d.setdatabase = 0",
        &[&caller.role],
    )
    .await?;
    Ok(())
}
