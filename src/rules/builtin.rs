//! The packs built into the binary: the TOML files under `rules/`, embedded at compile time so
//! adlint needs no files at run time.

use super::RuleSource;

/// Built-in rule files, in load order: platforms first, then the shared libraries, then the
/// packs. `build.rs` lists every `rules/*.toml`, so adding a market is adding a file.
pub const FILES: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));

/// Whether a built-in file is data every run needs, even with `--no-builtin`: the platforms
/// and the shared libraries, which hold no rules.
pub fn is_data(name: &str) -> bool {
    FILES.iter().any(|(file, text)| {
        name.ends_with(file)
            && (file.ends_with("platforms.toml") || text.lines().any(|l| l.trim() == "[library]"))
    })
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
