//! `#tags` and `@people` in an entry's title and body.
//!
//! Rules (decided here, shared by storage and search):
//! - after the sigil: unicode letters, digits, `_`, `-`, `/`; at least one letter;
//! - the sigil must not sit inside a word or a path/URL: the character before it must not be a
//!   letter, digit or one of `_ - / # @ & . :` (so `email@example.com`, `a#b`, `x.com/#frag`
//!   and `&#39;` are not mentions);
//! - `#` followed by a space (markdown heading) or by punctuation is not a tag;
//! - trailing `-` and `/` are dropped (`#work-` is `work`); `.`, `,` etc. end the name;
//! - lower-cased, de-duplicated, in order of first appearance.

/// Tags and people found in a text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Mentions {
    pub tags: Vec<String>,
    pub people: Vec<String>,
}

/// Parses the title (if any) and then the body of an entry.
pub fn parse_entry(title: Option<&str>, body: &str) -> Mentions {
    let mut out = Mentions::default();
    if let Some(title) = title {
        scan(title, &mut out);
    }
    scan(body, &mut out);
    out
}

/// Parses one text.
pub fn parse(text: &str) -> Mentions {
    let mut out = Mentions::default();
    scan(text, &mut out);
    out
}

/// Characters allowed in a tag or person name after the sigil.
pub fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '-' | '/')
}

fn blocks_sigil(prev: char) -> bool {
    prev.is_alphanumeric() || matches!(prev, '_' | '-' | '/' | '#' | '@' | '&' | '.' | ':')
}

/// Normalises the part after a sigil; `None` when it is not a valid name.
pub fn normalize_name(raw: &str) -> Option<String> {
    let trimmed = raw.trim_end_matches(['-', '/']);
    if trimmed.is_empty()
        || !trimmed.chars().all(is_name_char)
        || !trimmed.chars().any(char::is_alphabetic)
    {
        return None;
    }
    Some(trimmed.to_lowercase())
}

fn scan(text: &str, out: &mut Mentions) {
    let mut prev: Option<char> = None;
    let mut iter = text.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        if (c == '#' || c == '@') && !prev.is_some_and(blocks_sigil) {
            let start = i + c.len_utf8();
            let mut end = start;
            while let Some(&(j, n)) = iter.peek() {
                if !is_name_char(n) {
                    break;
                }
                end = j + n.len_utf8();
                prev = Some(n);
                iter.next();
            }
            if let Some(name) = normalize_name(&text[start..end]) {
                let list = if c == '#' {
                    &mut out.tags
                } else {
                    &mut out.people
                };
                if !list.contains(&name) {
                    list.push(name);
                }
            }
            if end == start {
                prev = Some(c);
            }
            continue;
        }
        prev = Some(c);
    }
}
