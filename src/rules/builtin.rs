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
    use crate::rules::LazyRegex;

    /// Built-in phrases, labels and phrase sets compile on first use; every one of them must.
    #[test]
    fn every_builtin_pattern_compiles() {
        let set = crate::rules::load(&super::sources()).expect("built-in packs load");
        let deferred = |regex: &LazyRegex, what: &str| {
            let LazyRegex::Deferred { pattern, .. } = regex else {
                panic!("built-in {what} compiled eagerly");
            };
            super::super::load::build_regex(pattern).expect(what);
        };
        let (mut phrases, mut labels) = (0, 0);
        for pack in &set.packs {
            pack.phrase_set.build().expect(&pack.name);
            for list in &pack.lists {
                for phrase in &list.phrases {
                    deferred(&phrase.regex, &phrase.source);
                    phrases += 1;
                }
                if let Some(l) = &list.labels {
                    deferred(&l.regex, &list.name);
                    labels += 1;
                }
            }
        }
        assert!(phrases > 50, "only {phrases} built-in phrases");
        assert!(labels > 20, "only {labels} built-in label lists");
    }
}
