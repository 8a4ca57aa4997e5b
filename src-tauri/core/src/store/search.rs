//! Search over live entries: FTS5 text match plus `#tag` / `@person` filters.

use super::entries::{EntryRow, SELECT_COLUMNS};
use crate::parse::mentions::normalize_name;
use rusqlite::{types::Value, Connection};

/// A user's query, split into safe parts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchQuery {
    /// FTS5 expression built only from quoted tokens (never raw user syntax).
    pub fts: Option<String>,
    pub tags: Vec<String>,
    pub people: Vec<String>,
}

impl SearchQuery {
    /// `#work meeting @ana` → tag `work`, person `ana`, text `"meeting"*`.
    /// Every text token is quoted (FTS5 operators and punctuation lose their meaning) and the
    /// last one is a prefix match, so results appear while typing.
    pub fn parse(input: &str) -> Self {
        let mut q = SearchQuery::default();
        let mut words: Vec<String> = Vec::new();
        for token in input.split_whitespace() {
            let mut chars = token.chars();
            let sigil = chars.next();
            let rest = chars.as_str();
            let name = match sigil {
                Some('#' | '@') => {
                    normalize_name(rest.trim_end_matches(['.', ',', ';', ':', '!', '?']))
                }
                _ => None,
            };
            match (sigil, name) {
                (Some('#'), Some(tag)) => push_unique(&mut q.tags, tag),
                (Some('@'), Some(person)) => push_unique(&mut q.people, person),
                _ => {
                    // A token without any letter or digit would be an empty phrase.
                    if token.chars().any(char::is_alphanumeric) {
                        words.push(format!("\"{}\"", token.replace('"', "\"\"")));
                    }
                }
            }
        }
        if let Some(last) = words.last_mut() {
            last.push('*');
        }
        if !words.is_empty() {
            q.fts = Some(words.join(" "));
        }
        q
    }

    pub fn is_empty(&self) -> bool {
        self.fts.is_none() && self.tags.is_empty() && self.people.is_empty()
    }
}

fn push_unique(list: &mut Vec<String>, item: String) {
    if !list.contains(&item) {
        list.push(item);
    }
}

/// Below this many matches a filter is "selective": results are gathered from it and sorted.
/// Above it, the timeline index is walked newest-first and each row is tested, which stops
/// after `limit` hits (cheap exactly when matches are plentiful).
const SELECTIVE: i64 = 2_000;

/// Live entries matching every part of `q`, newest first.
pub(crate) fn search(
    conn: &Connection,
    q: &SearchQuery,
    limit: u32,
) -> rusqlite::Result<Vec<EntryRow>> {
    if q.is_empty() {
        return Ok(Vec::new());
    }
    // Bounded counts: at most SELECTIVE steps each.
    let fts_count = match &q.fts {
        Some(fts) => Some(bounded_count(
            conn,
            "SELECT rowid FROM entries_fts WHERE entries_fts MATCH ?1",
            fts,
        )?),
        None => None,
    };
    let mut filter_min = i64::MAX;
    for tag in &q.tags {
        filter_min = filter_min.min(bounded_count(
            conn,
            "SELECT 1 FROM entry_tags WHERE tag = ?1",
            tag,
        )?);
    }
    for person in &q.people {
        filter_min = filter_min.min(bounded_count(
            conn,
            "SELECT 1 FROM entry_people WHERE person = ?1",
            person,
        )?);
    }
    if fts_count == Some(0) || filter_min == 0 {
        return Ok(Vec::new());
    }
    let selective = match fts_count {
        Some(n) => n < SELECTIVE,
        None => filter_min < SELECTIVE,
    };

    let mut sql = format!("SELECT {SELECT_COLUMNS} FROM ");
    let mut args: Vec<Value> = Vec::new();
    let mut tags = q.tags.iter();
    let mut people = q.people.iter();
    if selective {
        // Drive from the selective part (CROSS JOIN fixes the loop order), then sort.
        if let Some(fts) = &q.fts {
            sql.push_str(
                "entries_fts f CROSS JOIN entries e ON e.seq = f.rowid
                 WHERE entries_fts MATCH ? AND e.deleted_at IS NULL",
            );
            args.push(Value::Text(fts.clone()));
        } else if let Some(tag) = tags.next() {
            sql.push_str(
                "entry_tags d CROSS JOIN entries e ON e.id = d.entry_id
                 WHERE d.tag = ? AND e.deleted_at IS NULL",
            );
            args.push(Value::Text(tag.clone()));
        } else if let Some(person) = people.next() {
            sql.push_str(
                "entry_people d CROSS JOIN entries e ON e.id = d.entry_id
                 WHERE d.person = ? AND e.deleted_at IS NULL",
            );
            args.push(Value::Text(person.clone()));
        }
    } else {
        // Walk the timeline newest-first; each row is tested against the filters.
        sql.push_str("entries e INDEXED BY entries_timeline WHERE e.deleted_at IS NULL");
        if let Some(fts) = &q.fts {
            // Collected once (cost grows with the matches), then probed per visited row.
            // (Probing FTS per row with `rowid = e.seq` was measured far slower.)
            sql.push_str(" AND e.seq IN (SELECT rowid FROM entries_fts WHERE entries_fts MATCH ?)");
            args.push(Value::Text(fts.clone()));
        }
    }
    for tag in tags {
        sql.push_str(
            " AND EXISTS (SELECT 1 FROM entry_tags t WHERE t.entry_id = e.id AND t.tag = ?)",
        );
        args.push(Value::Text(tag.clone()));
    }
    for person in people {
        sql.push_str(
            " AND EXISTS (SELECT 1 FROM entry_people p WHERE p.entry_id = e.id AND p.person = ?)",
        );
        args.push(Value::Text(person.clone()));
    }
    sql.push_str(" ORDER BY e.occurred_at DESC, e.id DESC LIMIT ?");
    args.push(Value::Integer(i64::from(limit)));
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(rusqlite::params_from_iter(args), EntryRow::from_row)?;
    rows.collect()
}

/// Number of rows of `select` (one `?1` parameter), counting at most `SELECTIVE`.
fn bounded_count(conn: &Connection, select: &str, arg: &str) -> rusqlite::Result<i64> {
    conn.prepare_cached(&format!(
        "SELECT count(*) FROM ({select} LIMIT {SELECTIVE})"
    ))?
    .query_row([arg], |r| r.get(0))
}
