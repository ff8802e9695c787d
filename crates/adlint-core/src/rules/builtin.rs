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
        for pack in set.packs.iter().chain(&set.libraries) {
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

    /// A library list a pack uses unchanged is shared (matched once per caption); one that
    /// depends on something the pack defines itself is the pack's own.
    #[test]
    fn unchanged_library_lists_are_shared() {
        let set = crate::rules::load(&super::sources()).expect("built-in packs load");
        let pack = |name: &str| set.packs.iter().find(|p| p.name == name).unwrap();
        let shared = |pack: &crate::rules::Pack, list: &str| {
            pack.lists[pack.list_index(list).unwrap()].shared.is_some()
        };
        let ftc = pack("ftc");
        for list in ["discount-code", "gift-statement", "hint", "affiliate-link"] {
            assert!(shared(ftc, list), "ftc {list}");
        }
        // The pack's own `clear` decides `denial` (negated labels): never shared.
        assert!(!shared(ftc, "denial"));
        assert!(!shared(ftc, "clear"));
        // Sweden adds its own signals to `material-connection`.
        let se = pack("se");
        assert!(!shared(se, "material-connection"));
        assert!(shared(se, "affiliate-link"));
        // A shared list reports its matches under the pack's own list of that name.
        let mut c = crate::caption::Caption::new("use my code SUNNY15 for 15% off");
        c.markets = vec!["us".into(), "uk".into()];
        let found = crate::engine::check(&c, &set);
        let codes: Vec<&str> = found.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(codes, ["FTC001", "UK001"]);
        assert!(found.iter().all(|d| d.span == (0..19)), "{found:?}");
    }
}
