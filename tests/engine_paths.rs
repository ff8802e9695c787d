//! The engine's fast path: the term prefilter and the reusable [`Checker`] give exactly the
//! findings of the slow path that runs every phrase and label regex on every caption.

use std::sync::LazyLock;

use adlint::Caption;
use adlint::engine::{self, Checker};
use adlint::rules::RuleSet;
use proptest::prelude::*;

static RULES: LazyLock<RuleSet> =
    LazyLock::new(|| adlint::builtin_rules().expect("the built-in rules load"));

/// A caption checked in every market a built-in pack serves.
fn everywhere(text: &str) -> Caption {
    let mut c = Caption::new(text);
    c.markets = RULES.jurisdictions();
    c
}

fn codes(found: &[adlint::Diagnostic]) -> Vec<(String, std::ops::Range<usize>)> {
    found
        .iter()
        .map(|d| (d.code.clone(), d.span.clone()))
        .collect()
}

#[test]
fn ad_inside_a_word_is_no_disclosure() {
    // `ad` inside "adventure" or "bad" reads as nothing: the findings are those of the same
    // caption with a word that holds no `ad`, whether the prefilter runs or not.
    for (text, plain) in [
        (
            "Our adventure in the Alps with @peakgear",
            "Our journey in the Alps with @peakgear",
        ),
        (
            "Not bad at all, sponsored by @peakgear",
            "Not poor at all, sponsored by @peakgear",
        ),
        (
            "ADVENTURE time with @peakgear",
            "JOURNEY time with @peakgear",
        ),
    ] {
        for sponsored in [None, Some(true)] {
            let mut c = everywhere(text);
            c.sponsored = sponsored;
            let mut p = everywhere(plain);
            p.sponsored = sponsored;
            let found = engine::check(&c, &RULES);
            assert_eq!(found, engine::check_unfiltered(&c, &RULES), "{text:?}");
            let codes_of =
                |f: &[adlint::Diagnostic]| f.iter().map(|d| d.code.clone()).collect::<Vec<_>>();
            assert_eq!(
                codes_of(&found),
                codes_of(&engine::check(&p, &RULES)),
                "{text:?}"
            );
        }
    }
    // As a word of its own it is a disclosure: the missing-disclosure finding goes away.
    let mut bare = Caption::new("Our trip in the Alps with @peakgear");
    bare.sponsored = Some(true);
    let mut labelled = Caption::new("Ad: our trip in the Alps with @peakgear");
    labelled.sponsored = Some(true);
    assert!(
        engine::check(&bare, &RULES)
            .iter()
            .any(|d| d.code == "FTC001")
    );
    assert!(
        !engine::check(&labelled, &RULES)
            .iter()
            .any(|d| d.code == "FTC001")
    );
}

#[test]
fn letters_beyond_ascii_still_match_in_any_case() {
    // `É`/`é` are not folded by the prefilter's ASCII case folding; `ſ` matches `s` under `(?i)`.
    for text in [
        "PUBLICITÉ pour @marque, merci pour le cadeau",
        "publicité pour @marque, merci pour le cadeau",
        "Thanks @brand for the ſponsored trip! #travel",
        "提供：@brand さん、ありがとうございます",
    ] {
        let c = everywhere(text);
        assert_eq!(
            codes(&engine::check(&c, &RULES)),
            codes(&engine::check_unfiltered(&c, &RULES)),
            "{text:?}"
        );
    }
}

#[test]
fn a_checker_reused_across_captions_and_rule_sets_agrees_with_check() {
    let other = adlint::builtin_rules().expect("the built-in rules load");
    let mut checker = Checker::new();
    let mut found = Vec::new();
    for (i, text) in [
        "#ad Loving this serum from @glowco",
        "Thanks @glowco for the free serum! Use code GLOW20",
        "",
        "Werbung | Danke an @marke für das Paket #anzeige",
    ]
    .iter()
    .enumerate()
    {
        let rules = if i % 2 == 0 { &*RULES } else { &other };
        let c = everywhere(text);
        found.clear();
        let platform = checker.check_into(&c, rules, &mut found);
        assert_eq!(codes(&found), codes(&engine::check(&c, rules)));
        let outcome = engine::check_outcome(&c, rules);
        assert_eq!(platform.name, outcome.platform.name);
        assert_eq!(checker.packs(), outcome.packs.as_slice());
        assert_eq!(outcome.packs, engine::active_packs(&c, rules));
        assert_eq!(codes(&outcome.diagnostics), codes(&found));
    }
}

const PIECES: &[&str] = &[
    "#ad",
    "ad",
    "Ad:",
    "AD",
    "[ad]",
    "| ad",
    "ads",
    "adventure",
    "bad",
    "#sponsored",
    "sponsored",
    "not sponsored",
    "paid partnership",
    "gifted by @glowco",
    "@glowco gifted me",
    "use code SUNNY15",
    "link in bio",
    "https://amzn.to/3xY",
    "#glowcopartner",
    "thanks @glowco for the free",
    "Werbung",
    "anzeige",
    "#werbung",
    "publicité",
    "PUBLICITÉ",
    "pub",
    "publicidad",
    "colaboración pagada",
    "reklame",
    "mainos",
    "提供",
    "#PR",
    "ſponsored",
    "K",
    "ambassador",
    "commission",
    "I earn commissions",
    "as an Amazon Associate I earn",
    "free",
    "🎉",
    "\n",
    ". ",
    "! ",
    ", ",
    " ",
    "  ",
    "cure cancer",
    "reduces wrinkles by 45%",
    "#fitness #travel #coffee",
    "never",
    "no",
    "sample",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn the_prefilter_changes_no_finding(
        pieces in prop::collection::vec((0..PIECES.len(), any::<bool>()), 0..24),
        sponsored in prop::option::of(any::<bool>()),
        brand in any::<bool>(),
    ) {
        let mut text = String::new();
        for (i, upper) in pieces {
            let piece = PIECES[i];
            if upper { text.push_str(&piece.to_uppercase()) } else { text.push_str(piece) }
            text.push(' ');
        }
        let mut c = everywhere(&text);
        c.sponsored = sponsored;
        if brand {
            c.brands = vec!["GlowCo".into()];
        }
        let fast = engine::check(&c, &RULES);
        let slow = engine::check_unfiltered(&c, &RULES);
        prop_assert_eq!(fast, slow);
    }
}
