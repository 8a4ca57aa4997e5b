//! The user's devices (0011): `register_device`, `rename_device`, `forget_device` and
//! `list_devices`; a forgotten device stays away until it pulls or registers again; each user
//! sees and changes only their own; anon and callers without a user get nothing.

use crate::common::*;
use jotline_tests::pg::{self, as_role, as_user};
use serde_json::{json, Value};
use tokio_postgres::Client;
use uuid::Uuid;

async fn devices(api: &mut Client, user: Uuid) -> Value {
    call(api, user, "list_devices", &[]).await.unwrap()
}

/// The listed device with this client id, if any.
fn device(list: &Value, client: Uuid) -> Option<Value> {
    list["devices"]
        .as_array()
        .expect("devices")
        .iter()
        .find(|d| d["client_id"] == json!(client.to_string()))
        .cloned()
}

async fn register(api: &mut Client, user: Uuid, client: Uuid, name: &str) -> Value {
    call(api, user, "register_device", &[&client, &name])
        .await
        .unwrap()
}

async fn forget(api: &mut Client, user: Uuid, client: Uuid) -> Value {
    call(api, user, "forget_device", &[&client]).await.unwrap()
}

async fn pull_as(api: &mut Client, user: Uuid, client: Uuid) -> Value {
    let (cursor, page_size): (Option<&str>, i32) = (None, 500);
    call(api, user, "sync_pull", &[&cursor, &page_size, &client])
        .await
        .unwrap()
}

async fn push_one(api: &mut Client, user: Uuid, client: Uuid, op_seq: i64) -> Value {
    push(
        api,
        user,
        client,
        &json!([new_entry(op_seq, Uuid::now_v7(), "x")]),
    )
    .await
    .unwrap()
}

#[tokio::test]
async fn devices_are_listed_with_their_names_and_can_be_renamed() {
    let s = Server::start().await;
    let alice = s.user("alice@example.com").await;
    let mut api = s.api().await;
    let (laptop, desktop) = (Uuid::now_v7(), Uuid::now_v7());

    let named = register(&mut api, alice, laptop, "  Alice's laptop \n").await;
    assert_eq!(named["name"], json!("Alice's laptop"), "{named}");
    assert!(named["last_seen_at"].is_string(), "{named}");
    assert_eq!(named["pulled_version"], json!(null), "{named}");
    // The desktop only pushed so far (an older Jotline would do no more): listed, unnamed,
    // with nothing known about what it pulled.
    push_one(&mut api, alice, desktop, 1).await;
    let list = devices(&mut api, alice).await;
    assert_eq!(list["version"], json!(1), "{list}");
    assert!(list["server_time"].is_string(), "{list}");
    assert_eq!(list["devices"].as_array().map(Vec::len), Some(2), "{list}");
    let d = device(&list, desktop).unwrap();
    let mut keys: Vec<&str> = d.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort();
    let expected = [
        "client_id",
        "created_at",
        "last_seen_at",
        "name",
        "pulled_at",
        "pulled_version",
    ];
    assert_eq!(keys, expected);
    assert_eq!(
        (&d["name"], &d["pulled_version"]),
        (&json!(null), &json!(null))
    );
    assert!(
        d["last_seen_at"].is_string() && d["created_at"].is_string(),
        "{d}"
    );

    // Renaming the desktop from the laptop is not hearing from the desktop.
    s.admin
        .execute(
            "update sync_clients set updated_at = '2026-01-01T00:00:00Z' where client_id = $1",
            &[&desktop],
        )
        .await
        .unwrap();
    let renamed = call(&mut api, alice, "rename_device", &[&desktop, &"Desk"])
        .await
        .unwrap();
    assert_eq!(renamed["name"], json!("Desk"), "{renamed}");
    assert_eq!(renamed["last_seen_at"], json!("2026-01-01T00:00:00.000Z"));
    assert_eq!(renamed["pulled_version"], json!(null), "{renamed}");

    pull_as(&mut api, alice, desktop).await;
    let d = device(&devices(&mut api, alice).await, desktop).unwrap();
    assert_eq!(
        (&d["name"], &d["pulled_version"]),
        (&json!("Desk"), &json!(1))
    );
    assert!(d["pulled_at"].is_string(), "{d}");
    assert_ne!(d["last_seen_at"], json!("2026-01-01T00:00:00.000Z"), "{d}");

    // Registering again renames too (the device itself, so it counts as seen).
    let again = register(&mut api, alice, laptop, "Laptop").await;
    assert_eq!(again["name"], json!("Laptop"));
    assert_eq!(again["created_at"], named["created_at"]);
    let list = devices(&mut api, alice).await;
    let mut names: Vec<&str> = list["devices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["name"].as_str().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, ["Desk", "Laptop"], "{list}");

    // 100 characters are fine, whatever their bytes.
    let long = "é".repeat(100);
    assert_eq!(
        register(&mut api, alice, laptop, &long).await["name"],
        json!(long)
    );
    let too_long = "x".repeat(101);
    let refusals: [(Option<&str>, &str); 5] = [
        (
            Some("   "),
            "name must be 1 to 100 characters once trimmed, got 0",
        ),
        (
            Some(""),
            "name must be 1 to 100 characters once trimmed, got 0",
        ),
        (
            Some(&too_long),
            "name must be 1 to 100 characters once trimmed, got 101",
        ),
        (
            Some("two\nlines"),
            "name must be one line without control characters",
        ),
        (None, "name is required"),
    ];
    for (name, message) in refusals {
        for function in ["register_device", "rename_device"] {
            let err = call(&mut api, alice, function, &[&laptop, &name])
                .await
                .unwrap_err();
            let expected = format!("22023: {function}: {message} (where");
            assert!(err.starts_with(&expected), "{name:?}: {err}");
        }
    }
    let no_id: Option<Uuid> = None;
    let err = call(&mut api, alice, "register_device", &[&no_id, &"x"])
        .await
        .unwrap_err();
    assert!(
        err.starts_with("22023: register_device: client_id is required"),
        "{err}"
    );
    let stranger = Uuid::now_v7();
    let err = call(&mut api, alice, "rename_device", &[&stranger, &"x"])
        .await
        .unwrap_err();
    assert!(err.starts_with("P0002: rename_device: no device"), "{err}");
}

#[tokio::test]
async fn a_forgotten_device_stays_away_until_it_pulls_or_registers_again() {
    let s = Server::start().await;
    let alice = s.user("alice@example.com").await;
    let mut api = s.api().await;
    let (old, laptop, desktop) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
    push_one(&mut api, alice, old, 1).await;
    push_one(&mut api, alice, laptop, 1).await;
    pull_as(&mut api, alice, laptop).await;
    register(&mut api, alice, laptop, "Laptop").await;
    pull_as(&mut api, alice, desktop).await;

    // Known only from its pushes: forgotten, it stays away whatever it pushes; its op_seq is
    // still remembered (a replayed op is a duplicate).
    assert_eq!(forget(&mut api, alice, old).await, json!(true));
    assert_eq!(
        forget(&mut api, alice, old).await,
        json!(false),
        "already forgotten"
    );
    push_one(&mut api, alice, old, 2).await;
    let replay = push_one(&mut api, alice, old, 1).await;
    assert_eq!(statuses(&replay), ["duplicate"]);
    assert!(device(&devices(&mut api, alice).await, old).is_none());

    // Forgetting clears what was known; pushing does not bring it back, pulling does.
    assert_eq!(forget(&mut api, alice, laptop).await, json!(true));
    assert_eq!(
        s.scalar(
            "select count(*) from sync_devices where client_id = $1 and forgotten_at is not null
             and name is null and pulled_version is null and last_seen_at is null",
            &[&laptop]
        )
        .await,
        1
    );
    push_one(&mut api, alice, laptop, 2).await;
    assert!(device(&devices(&mut api, alice).await, laptop).is_none());
    let err = call(&mut api, alice, "rename_device", &[&laptop, &"x"])
        .await
        .unwrap_err();
    assert!(err.starts_with("P0002"), "{err}");
    pull_as(&mut api, alice, laptop).await;
    let back = device(&devices(&mut api, alice).await, laptop).unwrap();
    assert_eq!(back["pulled_version"], json!(4), "{back}");
    assert_eq!(back["name"], json!(null), "{back}");

    // Registering brings one back too, with nothing pulled yet.
    assert_eq!(forget(&mut api, alice, desktop).await, json!(true));
    let back = register(&mut api, alice, desktop, "Desk").await;
    assert_eq!(back["pulled_version"], json!(null), "{back}");
    let list = devices(&mut api, alice).await;
    assert_eq!(list["devices"].as_array().map(Vec::len), Some(2), "{list}");

    // Nothing to forget: false, and no row is made for it.
    assert_eq!(forget(&mut api, alice, Uuid::now_v7()).await, json!(false));
    assert_eq!(s.scalar("select count(*) from sync_devices", &[]).await, 3);
}

#[tokio::test]
async fn users_see_and_change_only_their_own_devices() {
    let s = Server::start().await;
    let (alice, bob) = (
        s.user("alice@example.com").await,
        s.user("bob@example.com").await,
    );
    let mut api = s.api().await;
    let laptop = Uuid::now_v7();
    push_one(&mut api, alice, laptop, 1).await;
    pull_as(&mut api, alice, laptop).await;
    register(&mut api, alice, laptop, "Alice's laptop").await;
    let alices_row = "select row_to_json(d)::text from sync_devices d where user_id = $1";
    let before: String = s
        .admin
        .query_one(alices_row, &[&alice])
        .await
        .unwrap()
        .get(0);

    // Bob, even with Alice's client id.
    let list = devices(&mut api, bob).await;
    assert_eq!(list["devices"], json!([]), "{list}");
    assert_eq!(list["version"], json!(0), "{list}");
    let err = call(&mut api, bob, "rename_device", &[&laptop, &"mine"])
        .await
        .unwrap_err();
    assert!(err.starts_with("P0002"), "{err}");
    let forgot = call(&mut api, bob, "forget_device", &[&laptop]).await;
    assert_eq!(forgot, Ok(json!(false)));
    // A pull or a name with her id is recorded as his own device, with his version.
    pull_as(&mut api, bob, laptop).await;
    let bobs = register(&mut api, bob, laptop, "Bob's").await;
    assert_eq!(
        (&bobs["name"], &bobs["pulled_version"]),
        (&json!("Bob's"), &json!(0))
    );
    let list = devices(&mut api, bob).await;
    assert_eq!(list["devices"].as_array().map(Vec::len), Some(1), "{list}");
    let after: String = s
        .admin
        .query_one(alices_row, &[&alice])
        .await
        .unwrap()
        .get(0);
    assert_eq!(after, before);
    let alices = device(&devices(&mut api, alice).await, laptop).unwrap();
    assert_eq!(alices["name"], json!("Alice's laptop"));
    assert_eq!(alices["pulled_version"], json!(1));

    // Directly: each reads only their own row and nobody writes the table.
    for user in [alice, bob] {
        let tx = as_user(&mut api, user).await.unwrap();
        let n: i64 = tx
            .query_one("select count(*) from sync_devices", &[])
            .await
            .unwrap()
            .get(0);
        assert_eq!(n, 1);
        tx.commit().await.unwrap();
        for sql in [
            "update sync_devices set pulled_version = 999",
            "delete from sync_devices",
            "insert into sync_devices (client_id, pulled_version) values (gen_random_uuid(), 1)",
        ] {
            let tx = as_user(&mut api, user).await.unwrap();
            let err = tx.execute(sql, &[]).await.unwrap_err();
            assert!(
                pg::db_error(&err).contains("permission denied"),
                "{sql}: {err}"
            );
            tx.rollback().await.unwrap();
        }
    }
}

#[tokio::test]
async fn anon_and_callers_without_a_user_get_nothing() {
    let s = Server::start().await;
    let alice = s.user("alice@example.com").await;
    let mut api = s.api().await;
    register(&mut api, alice, Uuid::now_v7(), "Laptop").await;

    let calls = [
        "select public.list_devices()",
        "select public.register_device(gen_random_uuid(), 'x')",
        "select public.rename_device(gen_random_uuid(), 'x')",
        "select public.forget_device(gen_random_uuid())",
        "select public.sync_pull(null, 10, gen_random_uuid())",
    ];
    for sql in calls.iter().chain(&["select count(*) from sync_devices"]) {
        let tx = as_role(&mut api, "anon", &json!({"role": "anon"}))
            .await
            .unwrap();
        let err = tx.batch_execute(sql).await.expect_err(sql);
        assert!(
            pg::db_error(&err).contains("permission denied"),
            "{sql}: {}",
            pg::db_error(&err)
        );
        tx.rollback().await.unwrap();
    }
    for sql in calls {
        let no_sub = json!({"role": "authenticated"});
        let tx = as_role(&mut api, "authenticated", &no_sub).await.unwrap();
        let err = tx.batch_execute(sql).await.expect_err(sql);
        let err = pg::db_error(&err);
        assert!(
            err.starts_with("28000") && err.contains("not authenticated"),
            "{err}"
        );
        tx.rollback().await.unwrap();
    }
    // The service key reads the table (as it reads every sync table) and writes none of it.
    let service = json!({"role": "service_role"});
    let tx = as_role(&mut api, "service_role", &service).await.unwrap();
    let n: i64 = tx
        .query_one("select count(*) from sync_devices", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(n, 1);
    let err = tx
        .batch_execute("update sync_devices set name = 'x'")
        .await
        .unwrap_err();
    assert!(pg::db_error(&err).contains("permission denied"), "{err}");
}
