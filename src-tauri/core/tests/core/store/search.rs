use crate::common::{fixture, t0};
use chrono::Duration;
use jotline_core::store::search::SearchQuery;
use jotline_core::{EntryPatch, Surface};

#[test]
fn query_parsing_quotes_every_token_and_prefixes_the_last() {
    let q = SearchQuery::parse("#Work meeting @Ana notes");
    assert_eq!(q.tags, vec!["work"]);
    assert_eq!(q.people, vec!["ana"]);
    assert_eq!(q.fts.as_deref(), Some("\"meeting\" \"notes\"*"));
    let q = SearchQuery::parse("say \"hi\" NEAR( -x");
    assert_eq!(
        q.fts.as_deref(),
        Some("\"say\" \"\"\"hi\"\"\" \"NEAR(\" \"-x\"*")
    );
    assert!(SearchQuery::parse("  ( ) * - \" ").is_empty());
}

#[test]
fn fts_special_characters_never_error() {
    let f = fixture();
    f.core
        .capture_text(
            "plain words about AND logic (really) - \"quoted\" x*y",
            Surface::InApp,
        )
        .unwrap();
    for q in [
        "\"",
        "*",
        "(",
        ")",
        "AND",
        "OR",
        "NOT",
        "-",
        "NEAR(",
        "a AND",
        "\"unterminated",
        "x*",
        "^start",
        "col:umn",
        "title:",
        "{a b}",
        "+",
        "'",
        "a\"b",
        "#",
        "@",
        "# @",
        "#(",
        "-logic",
        "NOT logic",
        "logic OR",
        "((((",
        "\u{0}",
        "ünïcödé",
        "really)",
        "AND OR NOT",
    ] {
        let r = f.core.search(q, 50);
        assert!(r.is_ok(), "query {q:?} failed: {r:?}");
    }
    assert_eq!(
        f.core.search("AND", 50).unwrap().len(),
        1,
        "AND is a plain word"
    );
    assert_eq!(f.core.search("\"quoted\"", 50).unwrap().len(), 1);
    assert_eq!(f.core.search("(really)", 50).unwrap().len(), 1);
}

#[test]
fn last_token_is_a_prefix_match_and_words_combine() {
    let f = fixture();
    f.core
        .capture_text("Planning the meeting with the team", Surface::InApp)
        .unwrap();
    f.core.capture_text("Meetup later", Surface::InApp).unwrap();
    assert_eq!(f.core.search("meet", 50).unwrap().len(), 2);
    assert_eq!(f.core.search("meeting", 50).unwrap().len(), 1);
    assert_eq!(f.core.search("team plan", 50).unwrap().len(), 1);
    assert_eq!(f.core.search("nothing", 50).unwrap().len(), 0);
    assert_eq!(f.core.search("", 50).unwrap().len(), 0);
}

#[test]
fn title_is_searched_too_and_diacritics_fold() {
    let f = fixture();
    let id = f
        .core
        .capture_text("body", Surface::InApp)
        .unwrap()
        .entry
        .id;
    f.core
        .update_entry(
            id,
            EntryPatch {
                title: Some(Some("Café plans".into())),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(f.core.search("cafe", 50).unwrap().len(), 1);
}

#[test]
fn tags_and_people_filter_and_combine_with_text() {
    let f = fixture();
    let a = f
        .core
        .capture_text("#work meeting with @ana", Surface::InApp)
        .unwrap()
        .entry;
    f.clock.advance(Duration::seconds(1));
    let b = f
        .core
        .capture_text("#work lunch with @bob", Surface::InApp)
        .unwrap()
        .entry;
    f.clock.advance(Duration::seconds(1));
    let c = f
        .core
        .capture_text("#home meeting", Surface::InApp)
        .unwrap()
        .entry;
    let ids = |q: &str| {
        f.core
            .search(q, 50)
            .unwrap()
            .into_iter()
            .map(|e| e.id)
            .collect::<Vec<_>>()
    };
    assert_eq!(ids("#work"), vec![b.id, a.id]);
    assert_eq!(ids("#WORK meeting"), vec![a.id]);
    assert_eq!(ids("meeting"), vec![c.id, a.id]);
    assert_eq!(ids("@bob"), vec![b.id]);
    assert_eq!(ids("#work @bob"), vec![b.id]);
    assert_eq!(ids("#home @bob"), Vec::<uuid::Uuid>::new());
    assert_eq!(ids("#nope"), Vec::<uuid::Uuid>::new());
}

#[test]
fn results_are_newest_by_occurred_at_and_limited() {
    let f = fixture();
    let items: Vec<_> = (0..30)
        .map(|i| jotline_core::NewEntry {
            kind: "note".into(),
            title: None,
            body: format!("common word {i}"),
            occurred_at: t0() - Duration::days((i * 7) % 30),
        })
        .collect();
    f.core.import_entries(&items).unwrap();
    let r = f.core.search("common", 10).unwrap();
    assert_eq!(r.len(), 10);
    assert!(r.windows(2).all(|w| w[0].occurred_at >= w[1].occurred_at));
    assert_eq!(r[0].occurred_at, t0());
}

#[test]
fn plentiful_matches_use_the_timeline_walk_and_agree_with_a_full_sort() {
    let f = fixture();
    // More matches than the "selective" threshold (2000), occurred_at out of insertion order.
    let items: Vec<_> = (0..2_300)
        .map(|i| jotline_core::NewEntry {
            kind: "note".into(),
            title: None,
            body: match i % 3 {
                0 => format!("common word #big @pat {i}"),
                1 => format!("common word #big {i}"),
                _ => format!("common #rare {i}"),
            },
            occurred_at: t0() - Duration::minutes((i * 7919) % 2_300),
        })
        .collect();
    f.core.import_entries(&items).unwrap();
    let deleted = f.core.search("common", 1).unwrap()[0].id;
    f.core.delete_entry(deleted).unwrap();
    // Expected order computed independently from the timeline.
    let mut all = Vec::new();
    let mut cursor = None;
    loop {
        let page = f.core.timeline_page(cursor.as_ref(), 500).unwrap();
        all.extend(page.entries);
        match page.next {
            Some(c) => cursor = Some(c),
            None => break,
        }
    }
    assert_eq!(all.len(), 2_299);
    let expect = |pred: &dyn Fn(&jotline_core::Entry) -> bool| {
        all.iter()
            .filter(|e| pred(e))
            .take(50)
            .map(|e| e.id)
            .collect::<Vec<_>>()
    };
    let ids = |q: &str| {
        f.core
            .search(q, 50)
            .unwrap()
            .into_iter()
            .map(|e| e.id)
            .collect::<Vec<_>>()
    };
    assert_eq!(ids("common"), expect(&|_| true));
    assert_eq!(ids("word"), expect(&|e| e.body.contains("word")));
    assert_eq!(
        ids("#big"),
        expect(&|e| e.tags.contains(&"big".to_string()))
    );
    assert_eq!(
        ids("common @pat"),
        expect(&|e| e.people.contains(&"pat".to_string()))
    );
    assert_eq!(
        ids("#rare common"),
        expect(&|e| e.tags.contains(&"rare".to_string()))
    );
    assert_eq!(ids("2299"), expect(&|e| e.body.ends_with(" 2299")));
    assert!(!ids("common").contains(&deleted));
}

#[test]
fn many_but_sparse_matches_agree_with_a_full_sort() {
    let f = fixture();
    // 2,100 matches spread over 10,500 entries (20%): plentiful but not dense.
    let items: Vec<_> = (0..10_500)
        .map(|i| jotline_core::NewEntry {
            kind: "note".into(),
            title: None,
            body: if i % 5 == 0 {
                format!("sparse {i}")
            } else {
                format!("filler {i}")
            },
            occurred_at: t0() - Duration::minutes((i * 7919) % 10_500),
        })
        .collect();
    f.core.import_entries(&items).unwrap();
    let got: Vec<_> = f.core.search("sparse", 50).unwrap();
    assert_eq!(got.len(), 50);
    assert!(got.iter().all(|e| e.body.starts_with("sparse")));
    let mut expected: Vec<_> = items
        .iter()
        .filter(|e| e.body.starts_with("sparse"))
        .map(|e| e.occurred_at)
        .collect();
    expected.sort_by(|a, b| b.cmp(a));
    expected.truncate(50);
    assert_eq!(
        got.iter().map(|e| e.occurred_at).collect::<Vec<_>>(),
        expected
    );
}
