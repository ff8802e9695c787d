//! Shared by the fuzz targets: the built-in rules, loaded once, and the properties every check
//! must keep.
#![allow(dead_code)]

use std::sync::LazyLock;

use adlint::diagnostic::Edit;
use adlint::{Caption, Diagnostic, RuleSet};

/// The built-in packs, loaded once per process.
pub static BUILTIN: LazyLock<RuleSet> =
    LazyLock::new(|| adlint::builtin_rules().expect("built-in packs load"));

/// Platforms (and aliases, and unknown ones) a caption may claim.
pub const PLATFORMS: &[Option<&str>] = &[
    None,
    Some("instagram"),
    Some("tiktok"),
    Some("youtube"),
    Some("facebook"),
    Some("linkedin"),
    Some("pinterest"),
    Some("x"),
    Some("generic"),
    Some("IG"),
    Some(" shorts "),
    Some("myspace"),
    Some(""),
];

pub const BRANDS: &[&str] = &["GlowLab", "novafit", "Café Ñu", "ＡＢＣ", "a", "🍓berry"];

/// A caption from fuzz bytes: the first byte picks the platform, the second whether it is
/// declared sponsored and which brands it declares, the rest is the text (lossy UTF-8).
pub fn caption_from(data: &[u8]) -> Caption {
    let (context, text) = data.split_at(data.len().min(2));
    let mut caption = Caption::new(String::from_utf8_lossy(text).into_owned());
    if let [platform, flags] = *context {
        caption.platform = PLATFORMS[platform as usize % PLATFORMS.len()].map(String::from);
        caption.sponsored = match flags & 3 {
            0 => None,
            1 => Some(true),
            _ => Some(false),
        };
        for (i, brand) in BRANDS.iter().enumerate() {
            if flags >> 2 & (1 << i) != 0 {
                caption.brands.push((*brand).to_string());
            }
        }
    }
    caption
}

fn assert_range(text: &str, start: usize, end: usize, what: &str, d: &Diagnostic) {
    assert!(
        start <= end && end <= text.len(),
        "{} {what} {start}..{end} outside the caption ({} bytes)",
        d.code,
        text.len()
    );
    assert!(
        text.is_char_boundary(start) && text.is_char_boundary(end),
        "{} {what} {start}..{end} not on character boundaries",
        d.code
    );
}

/// Every span, label and edit lies inside the caption on character boundaries.
pub fn assert_spans(text: &str, found: &[Diagnostic]) {
    for d in found {
        assert_range(text, d.span.start, d.span.end, "span", d);
        for label in &d.labels {
            assert_range(text, label.span.start, label.span.end, "label", d);
        }
        for Edit { start, end, .. } in d.fix.iter().flat_map(|f| &f.edits) {
            assert_range(text, *start, *end, "edit", d);
        }
    }
}

/// Check a caption, assert the spans, and when something is fixable, that fixing twice gives
/// what fixing once gave.
pub fn check_caption(caption: &Caption, rules: &RuleSet) {
    let found = adlint::engine::check(caption, rules);
    assert_spans(&caption.text, &found);
    if found.iter().any(|d| d.fix.is_some()) {
        let once = adlint::fix::fix(caption, rules, true);
        let mut again = caption.clone();
        again.text = once.text.clone();
        let twice = adlint::fix::fix(&again, rules, true);
        assert_eq!(
            twice.text, once.text,
            "fixing twice changed the text again (fixed: {:?})",
            twice.fixed
        );
    }
}

/// Render an error as the command line shows it, spans and all (miette must not panic on them).
pub fn render(error: &dyn miette::Diagnostic) -> String {
    let handler =
        miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor());
    let mut out = String::new();
    handler
        .render_report(&mut out, error)
        .expect("rendering into a String");
    out
}
