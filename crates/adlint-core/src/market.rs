//! Markets: the jurisdiction codes packs declare (`jurisdiction = "uk"`) and the many ways exports
//! and users name a market (`GB`, `United Kingdom`, `en-GB`), normalised to those codes.
//!
//! Nothing about a market is written here: each pack's `[pack]` table says its code, the other
//! names of its market (`aliases`) and the markets it serves while they have no pack of their own
//! (`covers`: the `eu` pack covers the member states). A new market is a TOML file.
//!
//! A caption carries its markets; the engine runs the packs whose jurisdiction is one of them.

/// The run-level default when neither `--jurisdiction` nor config `markets` says otherwise.
pub const DEFAULT: &str = "us";

/// One loaded pack's market and the names that lead to it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Entry {
    code: String,
    aliases: Vec<String>,
    covers: Vec<String>,
}

/// Every market the loaded packs declare, with their other names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    entries: Vec<Entry>,
}

impl Table {
    /// Add a pack's market; a market declared twice (a user pack beside a built-in one) keeps
    /// every name either gives it.
    pub fn add(&mut self, code: &str, aliases: &[String], covers: &[String]) {
        let fold = |v: &[String]| -> Vec<String> { v.iter().map(|a| fold(a)).collect() };
        let code = fold_code(code);
        match self.entries.iter_mut().find(|e| e.code == code) {
            Some(e) => {
                e.aliases.extend(fold(aliases));
                e.covers.extend(fold(covers));
            }
            None => self.entries.push(Entry {
                code,
                aliases: fold(aliases),
                covers: fold(covers),
            }),
        }
    }

    /// The market codes, in the order packs were loaded.
    pub fn codes(&self) -> Vec<String> {
        self.entries.iter().map(|e| e.code.clone()).collect()
    }

    /// The market code for a market as written. A code a pack declares is itself (a pack's own
    /// jurisdiction always wins: a user's `es` pack takes `es` captions from the `eu` pack);
    /// then a pack's aliases (`GB`, `United Kingdom`); then a pack that covers it (`IT` is `eu`
    /// while no `it` pack is loaded). A locale tag (`de-DE`, `en-GB`, `fr-CA`) counts by its
    /// region. Anything else comes back folded, so the caller can say it is unknown.
    pub fn normalise(&self, value: &str) -> String {
        let written = fold(value);
        for candidate in [written.clone(), region_of(&written)] {
            if candidate.is_empty() {
                continue;
            }
            if let Some(e) = self.entries.iter().find(|e| e.code == candidate) {
                return e.code.clone();
            }
            if let Some(e) = self.entries.iter().find(|e| e.aliases.contains(&candidate)) {
                return e.code.clone();
            }
            if let Some(e) = self.entries.iter().find(|e| e.covers.contains(&candidate)) {
                return e.code.clone();
            }
        }
        written
    }

    /// The markets in one cell or flag value: several may be separated by `,`, `;` or `|`.
    /// Each must be known; the error names the first that is not.
    pub fn parse_list(&self, value: &str) -> Result<Vec<String>, String> {
        let mut out: Vec<String> = Vec::new();
        for part in value.split([',', ';', '|']).map(str::trim) {
            if part.is_empty() {
                continue;
            }
            let code = self.normalise(part);
            if !self.entries.iter().any(|e| e.code == code) {
                return Err(part.to_string());
            }
            if !out.contains(&code) {
                out.push(code);
            }
        }
        Ok(out)
    }
}

/// A market name compared without case, surrounding spaces, or `_` for `-`.
fn fold(value: &str) -> String {
    value.trim().to_lowercase().replace('_', "-")
}

/// A jurisdiction as a pack declares it: folded, never mapped to another market.
pub fn fold_code(value: &str) -> String {
    fold(value)
}

/// The region of a locale tag (`en-gb` → `gb`), or nothing.
fn region_of(tag: &str) -> String {
    match tag.rsplit_once('-') {
        Some((lang, region))
            if region.len() == 2
                && (2..=3).contains(&lang.len())
                && lang.chars().all(|c| c.is_ascii_alphabetic()) =>
        {
            region.to_string()
        }
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Table {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        let mut t = Table::default();
        t.add("us", &s(&["usa", "united states"]), &[]);
        t.add("uk", &s(&["gb", "united kingdom"]), &[]);
        t.add("ca", &[], &[]);
        t.add("de", &s(&["deutschland"]), &[]);
        t.add("eu", &s(&["europe"]), &s(&["it", "es", "at"]));
        t
    }

    #[test]
    fn spellings_become_codes() {
        let t = table();
        for (written, code) in [
            ("UK", "uk"),
            ("GB", "uk"),
            ("United Kingdom", "uk"),
            ("en-GB", "uk"),
            ("en_gb", "uk"),
            ("DE", "de"),
            ("de-DE", "de"),
            ("Deutschland", "de"),
            ("fr-CA", "ca"),
            ("USA", "us"),
            ("IT", "eu"),
            ("es-ES", "eu"),
            ("nz", "nz"),
        ] {
            assert_eq!(t.normalise(written), code, "{written}");
        }
    }

    #[test]
    fn a_pack_of_its_own_takes_its_market_from_the_covering_pack() {
        let mut t = table();
        t.add("es", &["spain".to_string()], &[]);
        assert_eq!(t.normalise("ES"), "es");
        assert_eq!(t.normalise("es-ES"), "es");
        assert_eq!(t.normalise("Spain"), "es");
        assert_eq!(t.normalise("IT"), "eu");
    }

    #[test]
    fn lists_are_checked_against_the_known_markets() {
        let t = table();
        assert_eq!(
            t.parse_list("UK; de-DE, uk"),
            Ok(vec!["uk".to_string(), "de".to_string()])
        );
        assert_eq!(t.parse_list(""), Ok(vec![]));
        assert_eq!(t.parse_list("uk, Mars"), Err("Mars".to_string()));
    }
}
