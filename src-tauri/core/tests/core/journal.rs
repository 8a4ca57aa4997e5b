use crate::common::fixture;
use jotline_core::{Core, Surface};

#[test]
fn core_is_send_sync_clone_and_usable_from_threads() {
    fn assert_send_sync<T: Send + Sync + Clone>() {}
    assert_send_sync::<Core>();
    let f = fixture();
    let handles: Vec<_> = (0..4)
        .map(|t| {
            let core = f.core.clone();
            std::thread::spawn(move || {
                for i in 0..10 {
                    core.capture_text(&format!("thread {t} note {i}"), Surface::InApp)
                        .unwrap();
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    let status = f.core.status().unwrap();
    assert_eq!(status.entry_count, 40);
    assert_eq!(status.pending_ops, 80);
}

#[test]
fn data_dir_is_created_and_db_lives_in_it() {
    let f = fixture();
    assert_eq!(
        f.core.database_path(),
        f.dir.path().join("data").join("jotline.db")
    );
    assert!(f.core.database_path().exists());
}
