//! Every market, in its own terms: the shared signals in the languages of the markets, each
//! pack's labels, organic posts that must stay quiet, the market-parity property (a caption the
//! US pack flags for a missing disclosure is flagged by every market pack), the multi-market fix
//! property (fixing never adds a finding, whatever markets are checked together), and a user
//! pack's own jurisdiction winning over the pack that covers it.
//!
//! Every caption here is written for these tests.

use std::collections::BTreeSet;
use std::fs;
use std::process::Command;
use std::sync::LazyLock;

use adlint::caption::Caption;
use adlint::fix;
use adlint::rules::{RuleSet, Severity};
use proptest::prelude::*;

use crate::support::{Run, with_input};

/// The built binary with these arguments, from the crate root, colours off.
fn adlint(args: &[&std::ffi::OsStr]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_adlint"));
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .env("COLUMNS", "100")
        .env("NO_COLOR", "1");
    cmd
}

/// Run it with nothing on stdin.
fn run(args: &[&std::ffi::OsStr]) -> Run {
    adlint(args).output().expect("adlint runs").into()
}

static RULES: LazyLock<RuleSet> =
    LazyLock::new(|| adlint::builtin_rules().expect("the built-in rules load"));

/// Every market a built-in pack declares.
fn markets() -> Vec<String> {
    RULES.jurisdictions()
}

fn caption(text: &str, market: &str) -> Caption {
    let mut c = Caption::new(text);
    c.markets = vec![RULES.market_table.normalise(market)];
    c
}

/// Error and warning codes for a caption in one market.
fn flags(text: &str, market: &str) -> BTreeSet<String> {
    adlint::engine::check(&caption(text, market), &RULES)
        .into_iter()
        .filter(|d| d.severity >= Severity::Warning)
        .map(|d| d.code)
        .collect()
}

/// Expect `code` among the findings of `text` in `market`.
fn fires(market: &str, text: &str, code: &str) {
    let found = flags(text, market);
    assert!(
        found.contains(code),
        "{market}: expected {code} for {text:?}, found {found:?}"
    );
}

/// Expect no error or warning for `text` in `market`.
fn quiet(market: &str, text: &str) {
    let found = flags(text, market);
    assert!(
        found.is_empty(),
        "{market}: expected nothing for {text:?}, found {found:?}"
    );
}

#[test]
fn discount_codes_in_every_order_and_language() {
    for (market, text, code) in [
        // English, every order: code before or after the saving, "my code", "the code is".
        (
            "us",
            "Cosy autumn knits 🍂 25% off with code MAPLE25",
            "FTC001",
        ),
        (
            "us",
            "Save 12% with code BREWDAY at kettleandco.com ☕",
            "FTC001",
        ),
        (
            "us",
            "Tap the link for $40 off using my code rosiecooks 🍳",
            "FTC001",
        ),
        (
            "us",
            "there's 30% off this weekend only with the code FINN",
            "FTC001",
        ),
        ("us", "Peakgear code is HIKEWITHJO for 15% off 🥾", "FTC001"),
        (
            "uk",
            "My code is LUNA20 if you fancy the new trainers 👟",
            "UK001",
        ),
        ("uk", "@glowlab code\nMIA_GLOW for 10% off!", "UK001"),
        ("uk", "comfiest joggers ever, ‘SAM 15’ for 15% off", "UK001"),
        ("ie", "Use Code… bakeclub.ie 24 hours only!", "IE001"),
        // Other languages.
        (
            "de",
            "Mein Lieblingsmüsli 🥣 mit dem Code LENA15 spart ihr 15% bei @kornwerk",
            "DE001",
        ),
        ("de", "Neuer Rabattcode für euch: 20% auf alles ✨", "DE001"),
        (
            "fr",
            "Ma crème préférée 💧 code promo JULIE10 sur le site",
            "FR001",
        ),
        (
            "es",
            "Mi sérum favorito 💧 con el código LAURA10 tenéis un 10% de descuento",
            "ES001",
        ),
        (
            "pt",
            "Meu sérum favorito 💧 cupom BIA10 com 10% de desconto",
            "EU001",
        ),
        (
            "it",
            "La mia crema preferita 💧 codice sconto GIULIA10 sul sito",
            "IT001",
        ),
        (
            "nl",
            "Mijn favoriete serum 💧 kortingscode EMMA10 voor 10% korting",
            "NL001",
        ),
        (
            "nl",
            "Mijn favoriete serum van @glowlab 💧 kortingscode EMMA10 voor 10% korting",
            "NL009",
        ),
        (
            "se",
            "Mitt favoritserum 💧 rabattkod ELSA10 ger 10% rabatt",
            "SE001",
        ),
        (
            "dk",
            "Mit yndlingsserum 💧 rabatkode FREJA10 giver 10% rabat",
            "DK001",
        ),
        (
            "no",
            "Favorittserumet mitt 💧 rabattkode NORA10 gir 10% rabatt",
            "NO001",
        ),
        (
            "fi",
            "Lempiseerumini 💧 alennuskoodilla AINO10 saat 10% alennusta",
            "FI001",
        ),
        (
            "pl",
            "Moje ulubione serum 💧 kod rabatowy ZOSIA10 daje 10% zniżki",
            "PL001",
        ),
    ] {
        if code.starts_with("NL") {
            // The Netherlands: a personal code with the brand states the benefit (advice only).
            let found = adlint::engine::check(&caption(text, market), &RULES);
            assert!(
                found.iter().any(|d| d.code == code),
                "{market}: expected {code} for {text:?}, found {found:?}"
            );
            continue;
        }
        fires(market, text, code);
    }
}

#[test]
fn gifts_thanks_and_affiliate_wording() {
    for (market, text, code) in [
        (
            "us",
            "Got this gorgeous throw from @lumenhome and it hasn't left the sofa",
            "FTC001",
        ),
        (
            "us",
            "Was sent these runners by @peakgear, first 10k in them tomorrow",
            "FTC001",
        ),
        ("uk", "Thanks again @lumenhome 🕯️", "UK010"),
        ("uk", "Obsessed with these boots *affiliate", "UK002"),
        (
            "de",
            "Die Creme wurde mir von @glowlab zugeschickt 💧",
            "DE001",
        ),
        ("fr", "@glowlab m'a envoyé sa nouvelle crème 💧", "FR001"),
        ("es", "@glowlab me ha enviado su nueva crema 💧", "ES001"),
        (
            "it",
            "@glowlab mi ha regalato la sua nuova crema 💧",
            "IT001",
        ),
        ("se", "Fick den här krämen från @glowlab 💧", "SE001"),
        ("pl", "Otrzymałam ten krem od @glowlab 💧", "PL001"),
    ] {
        fires(market, text, code);
    }
}

#[test]
fn undisclosed_posts_in_the_languages_of_the_markets_are_flagged() {
    for (market, text) in [
        ("se", "Nya favoriten från @nordskin ✨ så mjuk"),
        (
            "de",
            "Danke @nordskin für das tolle Paket 💕 die Creme ist der Hammer",
        ),
        (
            "de",
            "Mein Outfit heute: Jacke @nordwear, Schuhe @stepup 👟",
        ),
        ("fr", "Merci @nordskin pour ce joli colis 💕"),
        (
            "fr",
            "Ma tenue du jour : veste @nordwear, chaussures @stepup",
        ),
        ("es", "Gracias @nordskin por el paquete tan bonito 💕"),
        ("it", "Grazie @nordskin per il pacco bellissimo 💕"),
        ("dk", "Tak @nordskin for den fine pakke 💕"),
        ("pl", "Dziękuję @nordskin za paczkę 💕 krem jest cudowny"),
        (
            "pt",
            "Com o meu cupom BIA15 vocês têm 15% de desconto na @nordskin",
        ),
        ("au", "Obsessed with my new @nordskin serum ✨"),
        ("ca", "Thanks @nordskin for the goodies! 💕"),
        ("fi", "Sain testiin @nordskin uuden kasvovoiteen 😍"),
        ("pl", "Miałam okazję przetestować nowy krem od @nordskin 😍"),
        ("se", "Har fått testa nya ansiktskrämen från @nordskin 😍"),
        (
            "us",
            "Got to try the new night cream from @nordskin and wow ✨",
        ),
    ] {
        assert!(
            !flags(text, market).is_empty(),
            "{market}: nothing flagged for {text:?}"
        );
    }
}

#[test]
fn each_market_knows_its_own_labels() {
    // A caption with a discount code, labelled the way each market's regulator asks.
    for (market, label) in [
        ("us", "#ad"),
        ("uk", "Ad |"),
        ("ie", "#ad"),
        ("de", "Werbung |"),
        ("fr", "Publicité |"),
        ("es", "Publicidad |"),
        ("it", "Pubblicità |"),
        ("nl", "#reclame"),
        ("se", "Reklam |"),
        ("dk", "Reklame |"),
        ("no", "Annonse |"),
        ("fi", "Mainos |"),
        ("pl", "Reklama |"),
        ("au", "#ad"),
        ("ca", "#ad"),
        ("eu", "#ad"),
    ] {
        let text = format!("{label} new serum from @glowlab 💧 code GLOW15 for 15% off");
        let found = flags(&text, market);
        let missing: Vec<&String> = found
            .iter()
            .filter(|c| c.ends_with("001") || c.ends_with("002"))
            .collect();
        assert!(missing.is_empty(), "{market}: {text:?} found {found:?}");
    }
}

#[test]
fn ordinary_posts_stay_quiet() {
    for (market, text) in [
        (
            "de",
            "Heute habe ich Anzeige gegen Unbekannt erstattet, jemand hat mein Fahrrad geklaut 🚲",
        ),
        ("fr", "Pub 🍺 avec les copains ce soir, enfin le week-end"),
        (
            "uk",
            "Pub quiz with the team tonight 🍻 we came fourth again",
        ),
        (
            "us",
            "Pub 🍺 with the lads tonight, finally Friday again and the sun is out",
        ),
        (
            "uk",
            "Ten years with my partner today ❤️ #partner #anniversary",
        ),
        (
            "nl",
            "Onze school heeft een mooie samenwerking met de bibliotheek 📚 #collab",
        ),
        (
            "us",
            "Art class collab with the kids from Room 4 🎨 #collab #school",
        ),
        ("es", "Anuncio: ¡vamos a tener un bebé! 👶"),
        ("se", "Middag med @anna och @erik 🍝 bästa kvällen"),
        ("it", "Cena con @giulia e @marco 🍝 che serata"),
        (
            "us",
            "Birthday dinner with @sam 🎂 thanks @sam for the invite",
        ),
        ("pl", "Reklama w telewizji jest coraz dłuższa, serio 📺"),
        (
            "pt",
            "A minha loja preferida fechou 😢 era a minha marca favorita de sempre",
        ),
        (
            "at",
            "Mein Lieblingsshop hat zu, meine Marke gibt es jetzt nur noch online",
        ),
    ] {
        quiet(market, text);
    }
}

#[test]
fn a_user_pack_of_its_own_jurisdiction_takes_its_market_from_the_covering_pack() {
    // Austria has no built-in pack: the `eu` pack covers it until a pack declares `at`.
    let dir = tempfile::tempdir().unwrap();
    let pack =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/markets/user-at.toml");
    let posts = dir.path().join("posts.jsonl");
    fs::write(
        &posts,
        "{\"id\": \"a\", \"market\": \"AT\", \"caption\": \"Neues Müsli 🥣 Code LENA15 für 15% Rabatt\"}\n\
         {\"id\": \"b\", \"market\": \"Österreich\", \"caption\": \"Neues Müsli 🥣 Code LENA15 für 15% Rabatt\"}\n\
         {\"id\": \"c\", \"market\": \"BE\", \"caption\": \"Neues Müsli 🥣 Code LENA15 für 15% Rabatt\"}\n",
    )
    .unwrap();
    let run = run(&[
        "check".as_ref(),
        "--no-config".as_ref(),
        "--format".as_ref(),
        "jsonl".as_ref(),
        "--rules".as_ref(),
        pack.as_os_str(),
        posts.as_os_str(),
    ]);
    assert_eq!(run.code, 1, "{run:?}");
    let codes: Vec<(String, Vec<String>)> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|o| o.get("record").is_some())
        .map(|o| {
            let codes = o["diagnostics"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| d["code"].as_str().unwrap().to_string())
                .collect();
            (o["record"].as_str().unwrap().to_string(), codes)
        })
        .collect();
    assert_eq!(
        codes,
        [
            ("a".to_string(), vec!["AT001".to_string()]),
            ("b".to_string(), vec!["AT001".to_string()]),
            ("c".to_string(), vec!["EU001".to_string()]),
        ],
        "{run:?}"
    );
}

#[test]
fn a_user_pack_for_spain_keeps_its_own_jurisdiction() {
    // Without the built-in packs the `es` user pack stands alone: `es` stays `es` (it used to be
    // read as `eu`).
    let pack =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/markets/user-es.toml");
    let run = run(&[
        "rules".as_ref(),
        "--no-config".as_ref(),
        "--no-builtin".as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
        "--rules".as_ref(),
        pack.as_os_str(),
        "--jurisdiction".as_ref(),
        "España".as_ref(),
    ]);
    assert_eq!(run.code, 0, "{run:?}");
    let doc = run.json();
    assert_eq!(doc["rules"][0]["code"], "ESH001", "{run:?}");
    let run = with_input(
        &mut adlint(&[
            "check".as_ref(),
            "--no-config".as_ref(),
            "--no-builtin".as_ref(),
            "--format".as_ref(),
            "jsonl".as_ref(),
            "--rules".as_ref(),
            pack.as_os_str(),
            "--jurisdiction".as_ref(),
            "es".as_ref(),
            "-".as_ref(),
        ]),
        "Mi sérum favorito 💧 código LAURA10 con un 10% de descuento\n".as_bytes(),
    );
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stdout.contains("\"ESH001\""), "{run:?}");
}

#[test]
fn the_built_in_spanish_pack_owns_spain() {
    assert_eq!(RULES.market_table.normalise("ES"), "es");
    assert_eq!(RULES.market_table.normalise("es-ES"), "es");
    assert_eq!(RULES.market_table.normalise("España"), "es");
    assert_eq!(RULES.market_table.normalise("AT"), "eu");
    assert_eq!(RULES.market_table.normalise("United Kingdom"), "uk");
}

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

/// Captions built from pieces: signals the US pack knows, weak labels, denials, emoji, line
/// breaks and text in other languages; no market's clear label (a caption labelled for France is
/// rightly quiet in France).
fn pieces() -> impl Strategy<Value = String> {
    pieces_with(&[])
}

/// The same pieces and the labels of several markets.
fn labelled_pieces() -> impl Strategy<Value = String> {
    pieces_with(&["#gifted", "#ad", "Werbung |", "Publicité", "Reklam |"])
}

fn pieces_with(labels: &[&'static str]) -> impl Strategy<Value = String> {
    let labels: Vec<String> = labels.iter().map(|l| l.to_string()).collect();
    let label = proptest::sample::select(if labels.is_empty() {
        vec![String::new()]
    } else {
        labels
    });
    let piece = prop_oneof![
        Just("use my code SUNNY15 for 15% off".to_string()),
        Just("https://amzn.to/3xYz9Q".to_string()),
        Just("was gifted this by @glowlab".to_string()),
        Just("partnered with @peakgear".to_string()),
        Just("giveaway time @lumenhome".to_string()),
        Just("#spon".to_string()),
        Just("#collab".to_string()),
        Just("in collaboration with @brisabeauty".to_string()),
        Just("not sponsored".to_string()),
        Just("new serum 💧".to_string()),
        Just("👩‍👩‍👧 family day".to_string()),
        Just("Mein neues Lieblingskleid".to_string()),
        Just("ma nouvelle crème".to_string()),
        Just("\n".to_string()),
        Just("#ootd #style #fashion".to_string()),
        Just("wearing @urbanthreads".to_string()),
        label.boxed(),
    ];
    proptest::collection::vec(piece, 1..6).prop_map(|v| v.join(" "))
}

fn market_sets() -> impl Strategy<Value = Vec<String>> {
    let all = markets();
    proptest::sample::subsequence(all.clone(), 1..=all.len().min(5))
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 48,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// A caption the US pack flags for a missing disclosure is flagged in every market: as an
    /// error or warning, or, in the Netherlands, where the Reclame Code Commissie accepts a post
    /// that states its benefit itself (a named gift, a personal code with the brand), as advice
    /// that recommends `#ad`.
    #[test]
    fn every_market_flags_what_the_us_pack_calls_undisclosed(text in pieces()) {
        if flags(&text, "us").contains("FTC001") {
            for market in markets() {
                let found = adlint::engine::check(&caption(&text, &market), &RULES);
                let flagged = found.iter().any(|d| d.severity >= Severity::Warning)
                    || (market == "nl" && found.iter().any(|d| d.code == "NL009"));
                prop_assert!(flagged, "{market} is silent on {text:?}, which FTC001 flags: {found:?}");
            }
        }
    }

    /// Fixing for several markets at once never adds an error or warning.
    #[test]
    fn fixing_for_several_markets_adds_no_finding(
        text in labelled_pieces(),
        chosen in market_sets(),
        unsafe_fixes in any::<bool>(),
    ) {
        let mut c = Caption::new(&text);
        c.markets = chosen.clone();
        let before: BTreeSet<String> = adlint::engine::check(&c, &RULES)
            .into_iter()
            .filter(|d| d.severity >= Severity::Warning)
            .map(|d| d.code)
            .collect();
        let out = fix::fix(&c, &RULES, unsafe_fixes);
        // A language rule's warning may follow a label the fix inserted (see `fix`).
        let about_words = |code: &str| {
            RULES
                .rule(code)
                .is_some_and(|r| matches!(r.check, adlint::rules::Check::Language { .. }))
        };
        let added: Vec<String> = out
            .remaining
            .iter()
            .filter(|d| {
                d.severity >= Severity::Warning && !before.contains(&d.code) && !about_words(&d.code)
            })
            .map(|d| d.code.clone())
            .collect();
        prop_assert!(added.is_empty(), "{chosen:?}: {text:?} -> {:?} added {added:?}", out.text);
    }
}

#[test]
fn one_fix_satisfies_four_markets() {
    let mut c =
        Caption::new("#gifted my new favourite serum from @glowlab, use code GLOW15 for 15% off");
    c.markets = ["us", "uk", "de", "fr"].map(String::from).to_vec();
    let out = fix::fix(&c, &RULES, false);
    let left: Vec<&str> = out
        .remaining
        .iter()
        .filter(|d| d.severity >= Severity::Warning)
        .map(|d| d.code.as_str())
        .collect();
    assert!(left.is_empty(), "{:?} left {left:?}", out.text);
    for label in ["Werbung", "Publicité", "#ad"] {
        assert!(out.text.contains(label), "{:?} lacks {label}", out.text);
    }
    let mut c =
        Caption::new("3 ways I style one linen shirt 👕 use my code SUNNY15 at @urbanthreads");
    c.markets = ["us", "uk", "de", "fr"].map(String::from).to_vec();
    let out = fix::fix(&c, &RULES, true);
    assert!(
        out.remaining.iter().all(|d| d.severity < Severity::Warning),
        "{:?} left {:?}",
        out.text,
        out.remaining
    );
}

#[test]
fn a_shorter_alternative_does_not_hide_the_longer_word() {
    let mut sources = adlint::rules::builtin::sources();
    sources.push(adlint::rules::RuleSource::new(
        "alternatives.toml",
        r#"[pack]
name = "alternatives"
title = "Alternatives"
jurisdiction = "zz"
version = "1"
sources-read = "2026-12-05"

[terms.parcel]
label = "parcel"
phrases = ["(?:pakke|pakken|pakkene)"]

[[rule]]
code = "ZZ001"
name = "zz-parcel"
severity = "warning"
kind = "existence"
terms = "parcel"
summary = "A parcel."
message = "`{match}` is a parcel"
help = "none"
docs = "A test rule."
source = "https://example.com/"
source-title = "Test"
quote = "Test."
examples.fail = ["pakken"]
examples.pass = ["pakkerne"]
"#,
    ));
    let rules = adlint::rules::load(&sources).expect("the test pack loads");
    let mut c = Caption::new("Endelig kom pakken 📦 og pakkene fra i går");
    c.markets = vec!["zz".into()];
    let found: Vec<&str> = adlint::engine::check(&c, &rules)
        .iter()
        .filter(|d| d.code == "ZZ001")
        .map(|d| &c.text[d.span.clone()])
        .collect();
    assert_eq!(found, ["pakken"]);
    let mut c = Caption::new("pakkerne er her");
    c.markets = vec!["zz".into()];
    assert!(adlint::engine::check(&c, &rules).is_empty());
}

/// `adlint test FILE` on a pack written in a temp folder.
fn test_pack(text: &str) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let pack = dir.path().join("nz.toml");
    fs::write(&pack, text).unwrap();
    run(&["test".as_ref(), pack.as_os_str()])
}

const NZ_HEADER: &str = r#"[pack]
name = "nz"
title = "New Zealand"
jurisdiction = "nz"
version = "1"
sources-read = "2026-12-05"
uses = ["common"]
aliases = ["new zealand", "aotearoa"]
label = "Ad:"

[terms.clear]
languages = ["eng"]
hashtags = ["ad"]
labels = ["ad"]
except = ["deferral"]
"#;

#[test]
fn a_rule_takes_what_it_leaves_out_from_its_template() {
    let run = test_pack(&format!(
        r#"{NZ_HEADER}
[[rule]]
template = "missing-label"
code = "NZ001"
name = "nz-missing-label"
source = "https://www.asa.co.nz/"
source-title = "ASA NZ"
quote = "In substance: ads must be identifiable."
examples.fail = ["use my code KIWI10 for 10% off 🥝"]
examples.pass = ["Ad: use my code KIWI10 for 10% off 🥝"]

[[rule]]
template = "possible-undisclosed"
code = "NZ008"
name = "nz-possible-undisclosed"
severity = "advice"
source = "https://www.asa.co.nz/"
source-title = "ASA NZ"
quote = "In substance: a tag with product words looks like an ad."
examples.fail = ["Wearing @kiwiknits head to toe 🧶"]
examples.pass = ["Dinner with @sam 🍝"]
"#
    ));
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stdout
            .contains("pack nz 1: 2 rules, 4 examples, all behave"),
        "{run:?}"
    );
}

#[test]
fn template_mistakes_point_at_the_rule() {
    let run = test_pack(&format!(
        r##"{NZ_HEADER}
[[rule]]
template = "missing-labl"
code = "NZ001"
name = "nz-missing-label"

[[rule]]
template = "weak-label"
code = "NZ002"
name = "nz-weak-label"
source = "https://www.asa.co.nz/"
source-title = "ASA NZ"
quote = "In substance: 'spon' is unclear."
terms = "weak-labels"
examples.fail = ["#spon KIWI10"]
examples.pass = ["Ad: KIWI10"]

[[rule]]
code = "NZ003"
name = "nz-incomplete"
severity = "error"
"##
    ));
    assert_eq!(run.code, 2, "{run:?}");
    for text in [
        "unknown rule template `missing-labl`",
        "templates: contradicted-label, label-below-fold",
        "unknown term list `weak-labels`",
        "this rule is missing `kind`, `summary`, `message`, `help`, `docs`",
    ] {
        assert!(run.stderr.contains(text), "stderr lacks {text:?}: {run:?}");
    }
}

#[test]
fn a_fact_that_does_not_parse_is_a_mistake_not_a_crash() {
    // Found by the `rules` fuzz target: facts that fail to parse shifted the indices of the
    // others, and the cycle check read past the end.
    let run = run(&[
        "check".as_ref(),
        "--no-config".as_ref(),
        "--rules".as_ref(),
        "fixtures/cli/rules/bad_fact.toml".as_ref(),
        "fixtures/examples/draft.txt".as_ref(),
    ]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr
            .contains("mistakes in rule files; nothing was checked"),
        "{run:?}"
    );
    assert!(!run.stderr.contains("panicked"), "{run:?}");
}
