//! Fixtures: a fresh core on a temp dir with a manual clock, and a side connection to inspect
//! the database.

use chrono::{DateTime, TimeZone, Utc};
use jotline_core::{Core, CoreConfig, ManualClock};
use rusqlite::Connection;
use std::sync::Arc;
use tempfile::TempDir;

pub struct Fixture {
    pub dir: TempDir,
    pub clock: Arc<ManualClock>,
    pub core: Core,
}

pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 14, 9, 26, 53).unwrap()
}

pub fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(t0()));
    let core = Core::open(CoreConfig {
        data_dir: dir.path().join("data"),
        clock: clock.clone(),
    })
    .unwrap();
    Fixture { dir, clock, core }
}

impl Fixture {
    /// A second connection to the same file, for assertions.
    pub fn db(&self) -> Connection {
        Connection::open(self.core.database_path()).unwrap()
    }

    pub fn count(&self, sql: &str) -> i64 {
        self.db().query_row(sql, [], |r| r.get(0)).unwrap()
    }

    /// Stores `bytes` as the TEXT of `column` of entry `id`, bypassing the core: how a
    /// damaged file or a careless tool leaves text that is not valid UTF-8 (SQLite's
    /// integrity check still passes).
    pub fn write_raw_text(&self, id: uuid::Uuid, column: &str, bytes: &[u8]) {
        let n = self
            .db()
            .execute(
                &format!("UPDATE entries SET {column} = CAST(?1 AS TEXT) WHERE id = ?2"),
                rusqlite::params![bytes, id.to_string()],
            )
            .unwrap();
        assert_eq!(n, 1, "no entry {id}");
    }

    /// The stored bytes of `column` of entry `id`.
    pub fn raw_text(&self, id: uuid::Uuid, column: &str) -> Vec<u8> {
        self.db()
            .query_row(
                &format!("SELECT CAST({column} AS BLOB) FROM entries WHERE id = ?1"),
                [id.to_string()],
                |r| r.get(0),
            )
            .unwrap()
    }

    pub fn reopen(&self) -> Core {
        Core::open(CoreConfig {
            data_dir: self.dir.path().join("data"),
            clock: self.clock.clone(),
        })
        .unwrap()
    }
}

/// One outbox row as the tests see it.
#[derive(Debug, Clone, PartialEq)]
pub struct OutboxRow {
    pub op_seq: i64,
    pub table_name: String,
    pub row_id: String,
    pub op: String,
    pub changed_fields: Vec<String>,
}

pub fn outbox(f: &Fixture) -> Vec<OutboxRow> {
    let db = f.db();
    let mut stmt = db
        .prepare(
            "SELECT op_seq, table_name, row_id, op, changed_fields FROM outbox ORDER BY op_seq",
        )
        .unwrap();
    stmt.query_map([], |r| {
        let fields: String = r.get(4)?;
        Ok(OutboxRow {
            op_seq: r.get(0)?,
            table_name: r.get(1)?,
            row_id: r.get(2)?,
            op: r.get(3)?,
            changed_fields: serde_json::from_str(&fields).unwrap(),
        })
    })
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}
