use jotline_core::parse::mentions::{parse, parse_entry};

#[test]
fn tag_and_person_table() {
    let cases: &[(&str, &[&str], &[&str])] = &[
        ("#work", &["work"], &[]),
        ("meeting #Work with @Ana", &["work"], &["ana"]),
        ("#work, #home. #play!", &["work", "home", "play"], &[]),
        ("trailing #dash- and #slash/", &["dash", "slash"], &[]),
        ("#a/b-c_d", &["a/b-c_d"], &[]),
        ("dupes #X #x #X", &["x"], &[]),
        ("email@example.com is not a person", &[], &[]),
        ("a#b is not a tag", &[], &[]),
        ("# Heading", &[], &[]),
        ("## Sub heading #real", &["real"], &[]),
        ("#123 is a number, #2024plans is a tag", &["2024plans"], &[]),
        ("unicode #café @Zoë #日本", &["café", "日本"], &["zoë"]),
        (
            "(#paren) [@brack] \"#quoted\"",
            &["paren", "quoted"],
            &["brack"],
        ),
        ("https://x.com/page#frag and x.com/#y", &[], &[]),
        ("@bob's idea", &[], &["bob"]),
        ("&#39; entity", &[], &[]),
        ("##double", &[], &[]),
        ("#", &[], &[]),
        ("@ alone", &[], &[]),
        (
            "line1\n#tag-on-line2\n@person",
            &["tag-on-line2"],
            &["person"],
        ),
        ("#a#b", &["a"], &[]),
        ("hi @ana, and @ana.", &[], &["ana"]),
    ];
    for (text, tags, people) in cases {
        let m = parse(text);
        assert_eq!(m.tags, *tags, "tags of {text:?}");
        assert_eq!(m.people, *people, "people of {text:?}");
    }
}

#[test]
fn title_is_parsed_before_body_and_deduplicated_across() {
    let m = parse_entry(Some("#Plan for @Ana"), "more #plan and #next with @ana");
    assert_eq!(m.tags, vec!["plan", "next"]);
    assert_eq!(m.people, vec!["ana"]);
}
