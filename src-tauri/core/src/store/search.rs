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

/// Live entries matching every part of `q`, newest first.
pub(crate) fn search(
    conn: &Connection,
    q: &SearchQuery,
    limit: u32,
) -> rusqlite::Result<Vec<EntryRow>> {
    if q.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql = format!("SELECT {SELECT_COLUMNS} FROM ");
    let mut args: Vec<Value> = Vec::new();
    if let Some(fts) = &q.fts {
        // Driven by the FTS index: cost grows with the number of matches, not the journal.
        sql.push_str(
            "entries_fts f JOIN entries e ON e.seq = f.rowid
             WHERE entries_fts MATCH ? AND e.deleted_at IS NULL",
        );
        args.push(Value::Text(fts.clone()));
    } else {
        sql.push_str("entries e WHERE e.deleted_at IS NULL");
    }
    for tag in &q.tags {
        sql.push_str(" AND e.id IN (SELECT entry_id FROM entry_tags WHERE tag = ?)");
        args.push(Value::Text(tag.clone()));
    }
    for person in &q.people {
        sql.push_str(" AND e.id IN (SELECT entry_id FROM entry_people WHERE person = ?)");
        args.push(Value::Text(person.clone()));
    }
    sql.push_str(" ORDER BY e.occurred_at DESC, e.id DESC LIMIT ?");
    args.push(Value::Integer(i64::from(limit)));
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(rusqlite::params_from_iter(args), EntryRow::from_row)?;
    rows.collect()
}
