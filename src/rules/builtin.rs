//! The packs built into the binary: the TOML files under `rules/`, embedded at compile time so
//! adlint needs no files at run time.

use super::RuleSource;

/// Built-in rule files, in load order: platforms first, then the shared library, then the packs.
pub const FILES: &[(&str, &str)] = &[
    (
        "rules/platforms.toml",
        include_str!("../../rules/platforms.toml"),
    ),
    ("rules/common.toml", include_str!("../../rules/common.toml")),
    ("rules/ftc.toml", include_str!("../../rules/ftc.toml")),
    ("rules/uk.toml", include_str!("../../rules/uk.toml")),
    ("rules/ca.toml", include_str!("../../rules/ca.toml")),
    ("rules/au.toml", include_str!("../../rules/au.toml")),
    ("rules/de.toml", include_str!("../../rules/de.toml")),
    ("rules/fr.toml", include_str!("../../rules/fr.toml")),
    ("rules/eu.toml", include_str!("../../rules/eu.toml")),
];

/// Whether a built-in file is data every run needs, even with `--no-builtin`: the platforms
/// and the shared library, which hold no rules.
pub fn is_data(name: &str) -> bool {
    name.ends_with("platforms.toml") || name.ends_with("common.toml")
}

/// The built-in files as rule sources.
pub fn sources() -> Vec<RuleSource> {
    FILES
        .iter()
        .map(|(name, text)| RuleSource::new(format!("<built-in>/{name}"), *text))
        .collect()
}
