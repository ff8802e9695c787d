//! The packs built into the binary: the TOML files under `rules/`, embedded at compile time so
//! adlint needs no files at run time.

use super::RuleSource;

/// Built-in rule files, in load order: platforms first, then the packs.
pub const FILES: &[(&str, &str)] = &[
    (
        "rules/platforms.toml",
        include_str!("../../rules/platforms.toml"),
    ),
    ("rules/ftc.toml", include_str!("../../rules/ftc.toml")),
];

/// The built-in files as rule sources.
pub fn sources() -> Vec<RuleSource> {
    FILES
        .iter()
        .map(|(name, text)| RuleSource::new(format!("<built-in>/{name}"), *text))
        .collect()
}
