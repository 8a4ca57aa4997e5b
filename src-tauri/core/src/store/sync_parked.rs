//! `sync_parked`: pulled rows that cannot be applied yet (a capture whose entry has not
//! arrived), kept as the server sent them until they can.

use rusqlite::{params, Connection};

pub fn park(conn: &Connection, table: &str, row_id: &str, row_json: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT OR REPLACE INTO sync_parked (table_name, row_id, row_json) VALUES (?1, ?2, ?3)",
    )?
    .execute(params![table, row_id, row_json])?;
    Ok(())
}

pub fn unpark(conn: &Connection, table: &str, row_id: &str) -> rusqlite::Result<()> {
    conn.prepare_cached("DELETE FROM sync_parked WHERE table_name = ?1 AND row_id = ?2")?
        .execute([table, row_id])?;
    Ok(())
}

/// The parked rows of `table`, as JSON.
pub fn rows(conn: &Connection, table: &str) -> rusqlite::Result<Vec<String>> {
    conn.prepare_cached("SELECT row_json FROM sync_parked WHERE table_name = ?1")?
        .query_map([table], |r| r.get(0))?
        .collect()
}

pub fn count(conn: &Connection) -> rusqlite::Result<usize> {
    let n: i64 = conn
        .prepare_cached("SELECT count(*) FROM sync_parked")?
        .query_row([], |r| r.get(0))?;
    Ok(usize::try_from(n).unwrap_or(0))
}

pub fn clear(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute("DELETE FROM sync_parked", [])?;
    Ok(())
}
