//! `/rest/v1/rpc/<fn>`: JWT verification, role switching and grants, and row-level security
//! through the real `sync_push` / `sync_pull`.

use std::time::Duration;

use jotline_tests::backend::{jwt::now_secs, BackendOptions, LocalBackend};
use reqwest::StatusCode;
use serde_json::json;
use uuid::Uuid;

use crate::support::{create_entry, entry_ids, read, Api};

#[tokio::test]
async fn anon_is_refused_by_the_grants() {
    let backend = LocalBackend::start().await.unwrap();
    let api = Api::new(&backend);
    // No bearer token: PostgREST runs as the apikey's role, anon, which may not execute it.
    let (status, body) = api
        .rpc("sync_pull", None, &json!({"cursor": null, "page_size": 10}))
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert_eq!(body["code"], "42501", "{body}");
    assert!(body["message"]
        .as_str()
        .unwrap()
        .contains("permission denied"));
    assert!(body.get("details").is_some() && body.get("hint").is_some());

    let (status, body) = api
        .rpc(
            "sync_push",
            Some(&backend.anon_key()),
            &json!({"client_id": Uuid::now_v7(), "ops": []}),
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");

    // Without an apikey at all the gateway refuses.
    let response = api
        .http
        .post(format!("{}/rest/v1/rpc/sync_pull", api.base))
        .json(&json!({"cursor": null, "page_size": 10}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn push_and_pull_with_a_user_token_and_two_users_see_only_their_rows() {
    let backend = LocalBackend::start().await.unwrap();
    let api = Api::new(&backend);
    let alice = api.new_user().await;
    let bob = api.new_user().await;
    let (alice_entry, bob_entry) = (Uuid::now_v7(), Uuid::now_v7());

    let (status, body) = api
        .push(
            &alice.access_token,
            Uuid::now_v7(),
            json!([create_entry(1, alice_entry, "alice's secret")]),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["last_op_seq"], 1);
    assert_eq!(body["results"][0]["status"], "applied", "{body}");

    let (status, body) = api
        .push(
            &bob.access_token,
            Uuid::now_v7(),
            json!([create_entry(1, bob_entry, "bob's secret")]),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let alice_pull = api.pull_all(&alice.access_token).await;
    assert_eq!(
        entry_ids(&alice_pull),
        vec![alice_entry.to_string()],
        "{alice_pull}"
    );
    assert_eq!(alice_pull["has_more"], false);
    assert_eq!(alice_pull["must_resync"], false);
    let bob_pull = api.pull_all(&bob.access_token).await;
    assert_eq!(
        entry_ids(&bob_pull),
        vec![bob_entry.to_string()],
        "{bob_pull}"
    );

    // Bob cannot overwrite Alice's row by its id: rejected, and Alice's row is untouched.
    let (status, body) = api
        .push(
            &bob.access_token,
            Uuid::now_v7(),
            json!([create_entry(1, alice_entry, "bob was here")]),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["results"][0]["status"], "rejected", "{body}");
    let alice_pull = api.pull_all(&alice.access_token).await;
    assert_eq!(alice_pull["changes"][0]["row"]["body"], "alice's secret");

    // The rows really are stamped with each user's id.
    let db = backend.connect_db().await.unwrap();
    let owner: Uuid = db
        .query_one(
            "select user_id from public.entries where id = $1",
            &[&bob_entry],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(owner.to_string(), bob.user_id);
}

#[tokio::test]
async fn expired_and_tampered_tokens_get_401() {
    let backend = LocalBackend::start_with(BackendOptions {
        access_token_ttl: Duration::from_secs(1),
        ..BackendOptions::default()
    })
    .await
    .unwrap();
    let api = Api::new(&backend);
    let user = api.new_user().await;
    let pull = json!({"cursor": null, "page_size": 10});

    // Tampered: the payload swapped for another user's, signature kept.
    let mut parts: Vec<String> = user.access_token.split('.').map(str::to_string).collect();
    let forged = backend.sign_claims(&json!({
        "sub": Uuid::now_v7(), "role": "service_role", "exp": now_secs() + 600
    }));
    parts[1] = forged.split('.').nth(1).unwrap().to_string();
    let (status, body) = api.rpc("sync_pull", Some(&parts.join(".")), &pull).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert_eq!(body["code"], "PGRST301");

    // Signed with another secret.
    let other = jotline_tests::backend::JwtKeys::random();
    let (foreign, _) = other.access_token(&user.user_id, "x@example.com", "s", 600);
    let (status, body) = api.rpc("sync_pull", Some(&foreign), &pull).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");

    // A role PostgREST must not switch to.
    let postgres = backend.sign_claims(&json!({"role": "postgres", "exp": now_secs() + 600}));
    let (status, _) = api.rpc("sync_pull", Some(&postgres), &pull).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    // Valid now, expired after its one second.
    let (status, body) = api.rpc("sync_pull", Some(&user.access_token), &pull).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    tokio::time::sleep(Duration::from_millis(2100)).await;
    let (status, body) = api.rpc("sync_pull", Some(&user.access_token), &pull).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert_eq!(body["code"], "PGRST301");
    assert_eq!(body["message"], "JWT expired");

    // The refresh token still works and yields a fresh access token.
    let (status, body) = api.refresh(&user.refresh_token).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let fresh = body["access_token"].as_str().unwrap();
    let (status, _) = api.rpc("sync_pull", Some(fresh), &pull).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn unknown_functions_bad_arguments_and_database_errors() {
    let backend = LocalBackend::start().await.unwrap();
    let api = Api::new(&backend);
    let user = api.new_user().await;
    let token = Some(user.access_token.as_str());

    let (status, body) = api.rpc("no_such_function", token, &json!({})).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    assert_eq!(body["code"], "PGRST202");
    let (status, _) = api.rpc("sync_pull", token, &json!({"nope": 1})).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = api.rpc("Robert');drop", token, &json!({})).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // The function itself refuses (ops must be an array): Postgres' error, PostgREST's shape.
    let (status, body) = api
        .rpc(
            "sync_push",
            token,
            &json!({"client_id": Uuid::now_v7(), "ops": {"not": "an array"}}),
        )
        .await;
    assert!(status.is_client_error(), "{status} {body}");
    assert!(
        body["code"].is_string() && body["message"].is_string(),
        "{body}"
    );

    // The service role may call the service-only cleanup; a user may not.
    let (status, body) = api.rpc("cleanup_tombstones", token, &json!({})).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let (status, body) = api
        .rpc(
            "cleanup_tombstones",
            Some(&backend.service_key()),
            &json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

/// PostgREST runs a STABLE function in a read-only transaction and each API role with its
/// own settings: Supabase gives anon a 3 s and authenticated an 8 s statement timeout.
#[tokio::test]
async fn stable_functions_cannot_write_and_the_role_timeout_applies() {
    let backend = LocalBackend::start().await.unwrap();
    let api = Api::new(&backend);
    let db = backend.connect_db().await.unwrap();
    db.batch_execute(
        "create table public.scratch (n int);
         create function public.do_write() returns int language sql volatile as
             $$ insert into public.scratch values (1) returning n $$;
         -- Declared STABLE, but it calls a function that writes.
         create function public.sneaky_write() returns int language plpgsql stable as
             $$ begin return public.do_write(); end $$;
         create function public.slow() returns int language sql volatile as
             $$ select 1 from pg_sleep(5) $$;
         grant execute on function public.sneaky_write(), public.do_write(), public.slow() to anon;
         grant insert on public.scratch to anon;",
    )
    .await
    .unwrap();
    let (status, body) = api.rpc("sneaky_write", None, &json!({})).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED, "{body}");
    assert_eq!(body["code"], "25006", "{body}");

    let started = std::time::Instant::now();
    let (status, body) = api.rpc("slow", None, &json!({})).await;
    assert_eq!(body["code"], "57014", "{status} {body}");
    assert!(
        started.elapsed() < Duration::from_millis(4900),
        "anon's 3 s, not the sleep"
    );
}

/// PostgREST serves a function by GET too, its arguments in the query, always read-only: a
/// read answers, a write (sync_push's first statement) is refused with 25006.
#[tokio::test]
async fn a_function_called_by_get_runs_read_only() {
    let backend = LocalBackend::start().await.unwrap();
    let api = Api::new(&backend);
    let alice = api.new_user().await;
    let get = |query: String| {
        api.http
            .get(format!("{}/rest/v1/rpc/{query}", api.base))
            .header("apikey", &api.anon_key)
            .bearer_auth(&alice.access_token)
            .send()
    };
    let (status, page) = read(get("sync_pull?page_size=5".into()).await.unwrap()).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(page["changes"], json!([]), "{page}");

    let query = format!("sync_push?client_id={}&ops=%5B%5D", Uuid::now_v7());
    let (status, body) = read(get(query).await.unwrap()).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED, "{body}");
    assert_eq!(body["code"], "25006", "{body}");
    // The same call by POST writes.
    let (status, body) = api
        .push(&alice.access_token, Uuid::now_v7(), json!([]))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}
