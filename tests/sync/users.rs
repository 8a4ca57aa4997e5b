//! Two users through the client: neither sees nor overwrites the other's journal.

use std::time::Duration;

use crate::common::{server_dead_letters, server_entries, sign_up, Device, Row};

#[tokio::test]
async fn two_users_never_mix_journals() {
    let backend = crate::common::backend().await;
    let db = backend.connect_db().await.unwrap();
    let alice = sign_up(&backend, "alice@example.com").await;
    let bob = sign_up(&backend, "bob@example.com").await;
    let a = Device::new(&backend, "alice", Duration::from_secs(10));
    let b = Device::new(&backend, "bob", Duration::from_secs(10));

    let a1 = a.create(Some("alice"), "alice's secret");
    a.create(None, "alice's other note");
    a.round(&alice).await.unwrap();
    let b1 = b.create(None, "bob's note");
    let report = b.round(&bob).await.unwrap();
    // His own row comes back unchanged; nothing of Alice's arrives.
    assert!(report.entries_updated.is_empty(), "{report:?}");
    assert_eq!(b.entries().keys().copied().collect::<Vec<_>>(), vec![b1]);

    // Bob's device holds a row with Alice's id (a forged or colliding id) and pushes it.
    let forged = b.create(None, "bob tries to overwrite");
    b.core()
        .execute_batch_for_tests(&format!(
            "UPDATE entries SET id = '{a1}' WHERE id = '{forged}';
             UPDATE outbox SET row_id = '{a1}' WHERE row_id = '{forged}';"
        ))
        .unwrap();
    let report = b.round(&bob).await.unwrap();
    assert_eq!(report.rejected, 1, "{report:?}");
    assert_eq!(report.pushed, 0, "{report:?}");
    let dead = b.core().sync().dead_letters().unwrap();
    assert_eq!(dead.len(), 1);
    assert_eq!(dead[0].op.row_id, a1.to_string());
    let reason = dead[0].last_error.clone().unwrap_or_default();
    assert!(reason.contains("another user"), "{reason}");
    let server_dead = server_dead_letters(&db, bob.user_id).await;
    assert_eq!(server_dead.len(), 1, "{server_dead:?}");
    assert!(server_dead_letters(&db, alice.user_id).await.is_empty());

    // Alice's row is untouched, on the server and on her device after a pull.
    let server_a = server_entries(&db, alice.user_id).await;
    assert_eq!(server_a.len(), 2);
    assert!(
        matches!(&server_a[&a1], Row::Live { body, .. } if body == "alice's secret"),
        "{server_a:?}"
    );
    a.round(&alice).await.unwrap();
    assert_eq!(a.entries(), server_a);
    // Bob's server journal is his one row; his pulls never brought Alice's.
    let server_b = server_entries(&db, bob.user_id).await;
    assert_eq!(server_b.keys().copied().collect::<Vec<_>>(), vec![b1]);
    b.core().sync().reset_cursor().unwrap();
    let report = b.round(&bob).await.unwrap();
    assert!(report.entries_updated.is_empty(), "{report:?}");
    assert!(
        !matches!(b.entries().get(&a1), Some(Row::Live { body, .. }) if body == "alice's secret")
    );
}
