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
        .map(|(name, text)| RuleSource {
            builtin: true,
            ..RuleSource::new(format!("<built-in>/{name}"), *text)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::rules::PhraseRegex;

    /// Built-in phrases compile on first use; every one of them must compile.
    #[test]
    fn every_builtin_phrase_compiles() {
        let set = crate::rules::load(&super::sources()).expect("built-in packs load");
        let mut n = 0;
        for pack in &set.packs {
            for list in &pack.lists {
                for phrase in &list.phrases {
                    let PhraseRegex::Deferred { pattern, .. } = &phrase.regex else {
                        panic!("built-in phrase {} compiled eagerly", phrase.source);
                    };
                    super::super::load::build_regex(pattern).expect(&phrase.source);
                    n += 1;
                }
            }
        }
        assert!(n > 50, "only {n} built-in phrases");
    }
}
