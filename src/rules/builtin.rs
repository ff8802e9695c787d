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
