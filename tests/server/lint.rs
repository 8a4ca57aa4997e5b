//! A schema lint of our own over what migrations/server leaves in the database: every table
//! of `public` has row-level security; no policy (in `public`, `storage` or `realtime`) reads
//! `auth.uid()` per row (only inside a sub-select, evaluated once per statement); every
//! SECURITY DEFINER function pins its `search_path`; no API role writes a table of `public`
//! directly (only through the functions) and `anon` may neither read one nor call a function
//! of `public`.

use crate::common::Server;

async fn names(s: &Server, sql: &str) -> Vec<String> {
    s.admin
        .query(sql, &[])
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect()
}

#[tokio::test]
async fn the_server_schema_passes_our_lint() {
    let s = Server::start().await;

    let tables = names(
        &s,
        "select c.relname::text from pg_class c join pg_namespace n on n.oid = c.relnamespace
         where n.nspname = 'public' and c.relkind in ('r', 'p') order by 1",
    )
    .await;
    assert!(tables.contains(&"entries".to_string()), "{tables:?}");
    let without_rls = names(
        &s,
        "select c.relname::text from pg_class c join pg_namespace n on n.oid = c.relnamespace
         where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relrowsecurity",
    )
    .await;
    assert_eq!(
        without_rls,
        Vec::<String>::new(),
        "tables without row-level security"
    );

    // Postgres prints `(select auth.uid())` as `( SELECT auth.uid() AS uid)`.
    let policies = s
        .admin
        .query(
            "select schemaname || '.' || tablename || ': ' || policyname,
                    coalesce(qual, '') || ' ' || coalesce(with_check, '')
             from pg_policies where schemaname in ('public', 'storage', 'realtime')",
            &[],
        )
        .await
        .unwrap();
    assert!(policies.len() >= 10, "{}", policies.len());
    let policy_names: Vec<String> = policies.iter().map(|r| r.get(0)).collect();
    assert!(
        policy_names
            .iter()
            .any(|n| n.starts_with("realtime.messages: ")),
        "{policy_names:?}"
    );
    for row in &policies {
        let (name, text): (String, String) = (row.get(0), row.get(1));
        let per_row = text.replace("( SELECT auth.uid() AS uid)", "");
        assert!(
            !per_row.contains("auth.uid()"),
            "{name} reads auth.uid() per row: {text}"
        );
    }

    let definers_without_path = names(
        &s,
        "select n.nspname || '.' || p.proname from pg_proc p
         join pg_namespace n on n.oid = p.pronamespace
         where p.prosecdef and n.nspname in ('public', 'jotline_private')
           and not exists (select 1 from unnest(coalesce(p.proconfig, '{}')) c
                           where c like 'search_path=%')",
    )
    .await;
    assert_eq!(definers_without_path, Vec::<String>::new());

    // Supabase's default privileges grant all of this; every migration must take it back.
    let direct_writes = names(
        &s,
        "select r.rolname || ' on ' || c.relname from pg_class c
         join pg_namespace n on n.oid = c.relnamespace
         cross join (values ('anon'), ('authenticated'), ('service_role')) r (rolname)
         where n.nspname = 'public' and c.relkind in ('r', 'p')
           and (has_any_column_privilege(r.rolname, c.oid, 'INSERT, UPDATE')
                or has_table_privilege(r.rolname, c.oid, 'DELETE, TRUNCATE'))",
    )
    .await;
    assert_eq!(direct_writes, Vec::<String>::new(), "direct writes");
    let anon_reads = names(
        &s,
        "select c.relname::text from pg_class c join pg_namespace n on n.oid = c.relnamespace
         where n.nspname = 'public' and c.relkind in ('r', 'p')
           and has_any_column_privilege('anon', c.oid, 'SELECT')",
    )
    .await;
    assert_eq!(anon_reads, Vec::<String>::new(), "tables anon reads");
    let anon_calls = names(
        &s,
        "select p.oid::regprocedure::text from pg_proc p
         join pg_namespace n on n.oid = p.pronamespace
         where n.nspname = 'public' and has_function_privilege('anon', p.oid, 'EXECUTE')",
    )
    .await;
    assert_eq!(anon_calls, Vec::<String>::new(), "functions anon calls");
}

/// Migrations ran as Supabase's `postgres`: no superuser, BYPASSRLS and CREATEROLE, owning the
/// sync tables but neither `auth.*`, `storage.*` nor `realtime.messages`.
#[tokio::test]
async fn migrations_ran_as_a_postgres_that_is_not_a_superuser() {
    let s = Server::start().await;
    let row = s
        .admin
        .query_one(
            "select rolsuper, rolbypassrls, rolcreaterole from pg_roles where rolname = 'postgres'",
            &[],
        )
        .await
        .unwrap();
    let flags: (bool, bool, bool) = (row.get(0), row.get(1), row.get(2));
    assert_eq!(flags, (false, true, true));
    let owner = |table: &'static str| {
        let admin = &s.admin;
        async move {
            let row = admin
                .query_one(
                    "select pg_get_userbyid(relowner)::text from pg_class where oid = $1::text::regclass",
                    &[&table],
                )
                .await
                .unwrap();
            row.get::<_, String>(0)
        }
    };
    assert_eq!(owner("public.entries").await, "postgres");
    assert_eq!(owner("public.sync_state").await, "postgres");
    assert_ne!(owner("auth.users").await, "postgres");
    assert_ne!(owner("storage.objects").await, "postgres");
    assert_eq!(owner("realtime.messages").await, "supabase_realtime_admin");
}
