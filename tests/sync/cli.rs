//! The sync tests' databases get `migrations/server` from Supabase's own CLI
//! (`supabase db push --db-url`), through the repo's `supabase/migrations` entry.

use crate::common::backend;

#[tokio::test]
async fn supabase_db_push_applied_every_server_migration_in_order() {
    let backend = backend().await;
    let db = backend.connect_db().await.unwrap();
    let applied: Vec<String> = db
        .query(
            "select version from supabase_migrations.schema_migrations order by version",
            &[],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    let mut shipped: Vec<String> = std::fs::read_dir(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../supabase/migrations"
    ))
    .unwrap()
    .filter_map(|e| {
        let name = e.unwrap().file_name().into_string().unwrap();
        let version = name.strip_suffix(".sql")?.split_once('_')?.0.to_string();
        Some(version)
    })
    .collect();
    shipped.sort();
    assert!(!shipped.is_empty());
    assert_eq!(applied, shipped);
    // The sync functions, the recording pull of 0011 among them.
    let functions: Vec<String> = db
        .query(
            "select p.oid::regprocedure::text from pg_proc p \
             join pg_namespace n on n.oid = p.pronamespace \
             where n.nspname = 'public' and p.proname in ('sync_push', 'sync_pull') order by 1",
            &[],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(
        functions,
        [
            "sync_pull(text,integer)",
            "sync_pull(text,integer,uuid)",
            "sync_push(uuid,jsonb)"
        ]
    );
}
