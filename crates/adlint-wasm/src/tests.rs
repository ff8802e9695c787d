//! The browser build's answers against the CLI's own renderers, byte for byte, and its
//! mistakes. (Under Node.js, `web/test/engine.test.mjs` compares the compiled `.wasm` with the
//! CLI and the server over every caption in `fixtures/`.)

use adlint::report::json::JsonReporter;
use adlint::report::{Checked, Reporter, Summary};
use serde_json::Value;

use super::*;

fn engine() -> Engine {
    Engine::builtin().expect("the built-in packs load")
}

const CAPTIONS: &[(&str, &str)] = &[
    (
        "Morning routine reset ☀️ I've been using the Dewdrop serum from @glowlab every day.\nIt's clinically proven to lock in moisture!\nUse code GLOW15 for 15% off.\n#skincare #morningroutine #ad #glowlab",
        r#"{"platform": "instagram"}"#,
    ),
    (
        "Obsessed with this serum @glowlab, use code GLOW20 for 20% off #spon",
        "",
    ),
    ("Just a sunset 🌅", "null"),
    (
        "#ad Este fin de semana probamos la nueva freidora de aire de @kettlekitchen",
        r#"{"market": "es", "sponsored": true}"#,
    ),
    (
        "Danke an @brand für das Paket! #gifted",
        r#"{"market": ["de", "us"], "brands": ["Brand"], "id": "p-1"}"#,
    ),
    (
        "Paid partnership with @lumen 💡\r\nnew lamp",
        r#"{"paid_partnership_label": true, "market": "uk", "platform": "TikTok"}"#,
    ),
];

/// What `adlint check --format json` writes for these captions (the CLI's renderer).
fn cli_document(rules: &RuleSet, captions: &[Caption]) -> String {
    let mut reporter = JsonReporter::new(rules);
    let mut summary = Summary::default();
    let mut out = Vec::new();
    for caption in captions {
        let diagnostics = adlint_core::engine::check(caption, rules);
        summary.add(&diagnostics);
        let platform = adlint_core::engine::resolve_platform(caption, rules);
        let packs = adlint_core::engine::active_packs(caption, rules);
        reporter
            .result(
                &mut out,
                &Checked {
                    caption,
                    platform: &platform.name,
                    diagnostics: &diagnostics,
                    packs: &packs,
                    baselined: 0,
                },
            )
            .unwrap();
    }
    reporter.finish(&mut out, &summary).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn check_is_the_cli_document_byte_for_byte() {
    let engine = engine();
    let mut all = Vec::new();
    for (text, options) in CAPTIONS {
        let caption = engine
            .caption(text, &Options::parse(options).unwrap())
            .unwrap();
        let ours = engine.check(text, options).unwrap();
        assert_eq!(
            ours,
            cli_document(engine.rule_set(), std::slice::from_ref(&caption)),
            "{text}"
        );
        all.push(caption);
    }
    // Several captions in one document: the packs of every caption's markets, one summary.
    assert_eq!(
        engine.check_captions(&all),
        cli_document(engine.rule_set(), &all)
    );
}

#[test]
fn rules_and_explain_are_what_the_cli_says() {
    let engine = engine();
    let rules = engine.rule_set();
    let doc: Value = serde_json::from_str(&engine.rules()).unwrap();
    // The rules and packs `adlint rules --format json` lists, for the default markets.
    let mut listed = rules.clone();
    let active: Vec<usize> = rules.packs_for(&rules.markets).collect();
    listed.retain(|r| active.contains(&r.pack));
    let mut buf = Vec::new();
    adlint::report::rules::list_json(&mut buf, &listed).unwrap();
    let cli: Value = serde_json::from_slice(&buf).unwrap();
    assert_eq!(doc["rules"], cli["rules"]);
    assert_eq!(doc["packs"], cli["packs"]);
    assert_eq!(doc["default_markets"], serde_json::json!(["us"]));
    assert!(
        doc["platforms"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["name"] == "instagram" && p["fold"] == "125 characters or 3 lines")
    );
    for rule in &rules.rules {
        let mut text = Vec::new();
        adlint::report::rules::explain(&mut text, rules, rule).unwrap();
        let answer: Value = serde_json::from_str(&engine.explain(&rule.code).unwrap()).unwrap();
        assert_eq!(answer["explain"], String::from_utf8(text).unwrap());
        assert_eq!(answer["code"], rule.code.as_str());
    }
}

#[test]
fn fix_answers_the_fixed_caption_and_its_edits() {
    let engine = engine();
    let text = "Testing this serum from @glowco, use code GLOW20 #sp #skincare";
    let fixed: Value = serde_json::from_str(&engine.fix(text, "").unwrap()).unwrap();
    assert_eq!(
        fixed["caption"],
        "Testing this serum from @glowco, use code GLOW20 #ad #skincare"
    );
    assert_eq!(fixed["changed"], true);
    assert_eq!(fixed["fixed"][0]["code"], "FTC002");
    assert_eq!(
        fixed["edits"],
        serde_json::json!([{"end": 52, "start": 50, "text": "ad"}])
    );
    assert!(
        fixed["diff"]
            .as_str()
            .unwrap()
            .starts_with("--- caption\n+++ fixed\n")
    );
    // Applying the edits to the caption gives the fixed caption.
    let edits: Vec<adlint_core::diagnostic::Edit> = fixed["edits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| adlint_core::diagnostic::Edit {
            start: e["start"].as_u64().unwrap() as usize,
            end: e["end"].as_u64().unwrap() as usize,
            text: e["text"].as_str().unwrap().to_string(),
        })
        .collect();
    assert_eq!(adlint_core::fix::apply(text, edits), fixed["caption"]);
}

#[test]
fn the_fold_is_the_engines() {
    let engine = engine();
    let text = "a".repeat(130);
    let fold: Value = serde_json::from_str(&engine.fold(&text, "instagram").unwrap()).unwrap();
    assert_eq!(fold["end"], 125);
    assert_eq!(fold["hidden"], true);
    assert_eq!(fold["platform"], "instagram");
    // Lines count too, and a grapheme cluster (a family emoji) is one character.
    let text = "one\ntwo\nthree\nfour";
    let fold: Value = serde_json::from_str(&engine.fold(text, "ig").unwrap()).unwrap();
    assert_eq!(fold["end"], 13);
    let family = "👨‍👩‍👧".repeat(130);
    let fold: Value = serde_json::from_str(&engine.fold(&family, "").unwrap()).unwrap();
    assert_eq!(fold["platform"], "generic");
    assert_eq!(
        fold["end"].as_u64().unwrap() as usize,
        adlint_core::text::fold_end(&family, 125, Some(3))
    );
}

fn error(answer: Result<String, Error>) -> Value {
    let text = super::answer(answer);
    let v: Value = serde_json::from_str(&text).unwrap();
    assert!(v["error"].is_object(), "{text}");
    v["error"].clone()
}

#[test]
fn mistakes_are_answers_not_panics() {
    let engine = engine();
    let e = error(engine.check("#ad hi", "{\"platform\": \"instagrm\"}"));
    assert_eq!(e["status"], 400);
    assert_eq!(e["path"], "platform");
    assert!(
        e["help"]
            .as_str()
            .unwrap()
            .contains("did you mean `instagram`")
    );
    let e = error(engine.check("#ad hi", "{\"market\": \"narnia\"}"));
    assert_eq!(e["path"], "market");
    let e = error(engine.check("#ad hi", "{\"platfrom\": \"ig\"}"));
    assert!(e["message"].as_str().unwrap().contains("unknown field"));
    assert_eq!(e["line"], 1);
    let e = error(engine.check("#ad hi", "{"));
    assert_eq!(e["status"], 400);
    let e = error(engine.explain("NOPE999"));
    assert_eq!(e["status"], 404);
    let e = error(engine.fix(&"a".repeat(MAX_CAPTION + 1), ""));
    assert_eq!(e["status"], 413);
    // A caption over the limit in a check is an input error of the document, as in the CLI.
    let doc: Value =
        serde_json::from_str(&engine.check(&"a".repeat(MAX_CAPTION + 1), "").unwrap()).unwrap();
    assert_eq!(doc["summary"]["failed_inputs"], 1);
    assert_eq!(doc["results"], serde_json::json!([]));
    // Odd text is only text.
    for text in [
        "",
        "\u{feff}",
        "\r",
        "#",
        "@",
        "\u{200d}",
        "a\u{0301}",
        "\0#ad",
    ] {
        for options in ["", "{}", r#"{"platform": "x"}"#, "[]", "1", "\"\""] {
            let _ = super::answer(engine.check(text, options));
            let _ = super::answer(engine.fix(text, options));
        }
        let _ = super::answer(engine.fold(text, text));
        let _ = super::answer(engine.explain(text));
    }
}

#[test]
fn a_bad_pack_names_its_file_line_and_column() {
    let pack = "[pack]\nname = \"house\"\ntitle = \"House\"\nversion = \"1\"\nsources-read = \"2026-01-01\"\n\n[[rule]]\ncode = \"HOUSE001\"\nname = \"x\"\nseverity = \"sever\"\n";
    let e = error(
        Engine::with_packs(&[Pack {
            name: "house.toml".into(),
            text: pack.into(),
        }])
        .map(|e| e.rules()),
    );
    assert_eq!(e["status"], 400);
    let mistakes = e["errors"].as_array().unwrap();
    assert!(!mistakes.is_empty());
    assert!(mistakes.iter().all(|m| m["file"] == "house.toml"), "{e}");
    assert!(mistakes.iter().any(|m| m["line"].as_u64().is_some()), "{e}");
    // Not TOML at all.
    let e = error(
        Engine::with_packs_json(r#"[{"name": "broken.toml", "text": "[pack\nname = "}]"#)
            .map(|e| e.rules()),
    );
    let first = &e["errors"][0];
    assert_eq!(first["file"], "broken.toml");
    assert_eq!(first["line"], 1, "{e}");
    // Not a list of packs.
    let e = error(Engine::with_packs_json("{\"name\": 1}").map(|e| e.rules()));
    assert_eq!(e["status"], 400);
}

#[test]
fn a_good_pack_adds_its_rules() {
    let text = include_str!("../../../fixtures/examples/my-pack.toml");
    let engine = Engine::with_packs(&[Pack {
        name: "my-pack.toml".into(),
        text: text.into(),
    }])
    .unwrap();
    let rules: Value = serde_json::from_str(&engine.rules()).unwrap();
    assert!(
        rules["rules"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["code"] == "HOUSE001")
    );
    let doc: Value = serde_json::from_str(
        &engine
            .check(
                "#ad Giveaway time! Enter to win a skincare bundle from @glowlab",
                "",
            )
            .unwrap(),
    )
    .unwrap();
    let codes: Vec<&str> = doc["results"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"HOUSE001"), "{codes:?}");
}
