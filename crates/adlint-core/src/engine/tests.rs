use super::*;

/// A long caption's findings are those of a short one: each match looks at its own
/// neighbourhood, never the whole caption (which made a 320 KB caption take seconds).
#[test]
fn a_long_caption_is_checked_like_a_short_one() {
    let rules = crate::builtin_rules().unwrap();
    let codes = |text: &str| -> Vec<String> {
        check(&Caption::new(text), &rules)
            .into_iter()
            .map(|d| d.code)
            .collect()
    };
    for piece in [
        "sponsored ",
        "#ad ",
        "not sponsored, use code SUNNY15 for 15% off. ",
    ] {
        let short = piece.repeat(3);
        let long = piece.repeat(30_000);
        assert_eq!(codes(&long), codes(&short), "{piece:?}");
    }
    // The finding of a long caption still points at the right words.
    let long = format!(
        "{}not sponsored but use code SUNNY15",
        "lovely day. ".repeat(20_000)
    );
    let found = check(&Caption::new(&long), &rules);
    let denial = found.iter().find(|d| d.code == "FTC006").expect("FTC006");
    assert_eq!(&long[denial.span.clone()], "not sponsored");
}
