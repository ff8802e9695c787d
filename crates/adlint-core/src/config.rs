//! `adlint.toml` as text: parsed into a [`ConfigFile`] that remembers where each value is, so
//! every mistake, here or when [`crate::settings`] resolves the values, points at its place.
//! Finding and reading the file is the caller's: the text and the name to show it under come
//! in.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use miette::{Diagnostic, NamedSource, SourceSpan};
use serde::Deserialize;
use thiserror::Error;

use crate::rules::Severity;

/// The config file's name: what adlint looks for, and what a config is called when it has no
/// path.
pub const FILE_NAME: &str = "adlint.toml";

/// The config file as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    /// Default platform for captions that do not name one.
    pub platform: Option<String>,
    /// Brands the creator works with.
    #[serde(default)]
    pub brands: Vec<String>,
    /// Declare every caption sponsored (`true`) or not sponsored (`false`).
    pub sponsored: Option<bool>,
    /// Only these rules (codes, names, prefixes or packs).
    #[serde(default)]
    pub select: Vec<String>,
    /// Skip these rules (strings), or ignore some findings with a reason (`[[ignore]]` tables).
    #[serde(default)]
    pub ignore: Vec<IgnoreEntry>,
    /// Per-rule severity: `error`, `warning`, `advice` or `off`.
    #[serde(default)]
    pub severity: BTreeMap<String, String>,
    /// Extra rule files or folders, relative to the config file.
    #[serde(default)]
    pub rules: Vec<PathBuf>,
    /// Skip the built-in packs.
    #[serde(default)]
    pub no_builtin: bool,
    /// Severity at which findings fail the run.
    pub fail_on: Option<crate::settings::FailOn>,
    /// The label `adlint fix --unsafe-fixes` inserts when a disclosure is missing (`#ad `).
    pub fix_label: Option<String>,
    /// Markets whose packs run (`["us", "uk"]`), like `--jurisdiction`.
    pub markets: Option<Vec<String>>,
    /// Captions longer than this are input errors, not checked: bytes or `"2MB"`.
    pub max_caption_size: Option<Size>,
}

/// A size in config: a number of bytes, or a string with a unit (`"2MB"`).
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(untagged)]
pub enum Size {
    Bytes(u64),
    Text(String),
}

impl std::fmt::Display for Size {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Size::Bytes(n) => write!(f, "{n}"),
            Size::Text(s) => write!(f, "{s:?}"),
        }
    }
}

impl Size {
    pub fn bytes(&self) -> Option<usize> {
        match self {
            Size::Bytes(n) => usize::try_from(*n).ok().filter(|&n| n > 0),
            Size::Text(s) => parse_size(s),
        }
    }
}

/// A size as flags and config write it: bytes, or a number with `KB`, `MB`, `GB` (1000s) or
/// `KiB`, `MiB`, `GiB` (1024s). `None` for anything else, and for nothing at all.
pub fn parse_size(s: &str) -> Option<usize> {
    let s = s.trim();
    let split = s
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(s.len());
    let (number, unit) = s.split_at(split);
    let number: f64 = number.parse().ok()?;
    let scale = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" | "bytes" => 1.0,
        "k" | "kb" => 1e3,
        "kib" => 1024.0,
        "m" | "mb" => 1e6,
        "mib" => 1024.0 * 1024.0,
        "g" | "gb" => 1e9,
        "gib" => 1024.0 * 1024.0 * 1024.0,
        _ => return None,
    };
    let bytes = (number * scale).round();
    (bytes >= 1.0 && bytes < usize::MAX as f64).then_some(bytes as usize)
}

/// An entry of `ignore`: a rule selector, or an out-of-band ignore of some findings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IgnoreEntry {
    Rule(String),
    Finding(FindingIgnore),
}

/// A string is a rule selector, a table an `[[ignore]]` entry: a mistake in the table (no
/// `reason`, an unknown key) is reported as that, at the table.
impl<'de> Deserialize<'de> for IgnoreEntry {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Entry;
        impl<'de> serde::de::Visitor<'de> for Entry {
            type Value = IgnoreEntry;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a rule selector (\"FTC008\") or an [[ignore]] table with a reason")
            }

            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<IgnoreEntry, E> {
                Ok(IgnoreEntry::Rule(v.to_string()))
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<IgnoreEntry, A::Error> {
                FindingIgnore::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(IgnoreEntry::Finding)
            }
        }
        deserializer.deserialize_any(Entry)
    }
}

/// `[[ignore]]`: findings not to report, by path glob, record id and rule, with a reason.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct FindingIgnore {
    /// A glob over the input's path as given (`exports/*.csv`).
    pub path: Option<String>,
    /// A record id within an export.
    pub record: Option<String>,
    /// A rule code or name.
    pub code: Option<String>,
    /// Why: required, so the next person knows whether the ignore still holds.
    pub reason: String,
}

impl FindingIgnore {
    /// `[[ignore]] path = "…", code = "…" (reason: …)`, for messages.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        for (key, value) in [
            ("path", &self.path),
            ("record", &self.record),
            ("code", &self.code),
        ] {
            if let Some(v) = value {
                parts.push(format!("{key} = \"{v}\""));
            }
        }
        format!("[[ignore]] {} (reason: {})", parts.join(", "), self.reason)
    }
}

impl Config {
    /// Rule selectors from `ignore`.
    pub fn ignored_rules(&self) -> Vec<String> {
        self.ignore
            .iter()
            .filter_map(|e| match e {
                IgnoreEntry::Rule(r) => Some(r.clone()),
                IgnoreEntry::Finding(_) => None,
            })
            .collect()
    }

    /// `[[ignore]]` tables from `ignore`.
    pub fn ignored_findings(&self) -> Vec<FindingIgnore> {
        self.ignore
            .iter()
            .filter_map(|e| match e {
                IgnoreEntry::Finding(f) => Some(f.clone()),
                IgnoreEntry::Rule(_) => None,
            })
            .collect()
    }
}

/// A config file with a mistake at a known place.
#[derive(Debug, Error, Diagnostic)]
#[error("{message}")]
#[diagnostic(code(adlint::config))]
pub struct InvalidConfig {
    pub message: String,
    #[source_code]
    pub src: NamedSource<Arc<String>>,
    #[label("here")]
    pub span: Option<SourceSpan>,
    #[help]
    pub help: Option<String>,
}

/// A config as parsed from its text: the values, and where those that name rules, platforms and
/// markets stand, for diagnostics. The default is no config at all.
#[derive(Debug)]
pub struct ConfigFile {
    pub config: Config,
    /// What the file is called in diagnostics: its path as given, or [`FILE_NAME`].
    pub name: String,
    /// The file's text, for diagnostics that point into it.
    pub text: Arc<String>,
    spans: Spans,
}

impl Default for ConfigFile {
    fn default() -> Self {
        ConfigFile {
            config: Config::default(),
            name: FILE_NAME.to_string(),
            text: Arc::default(),
            spans: Spans::default(),
        }
    }
}

/// Where the values that name rules, platforms and markets are in the config file's text.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct Spans {
    platform: Option<toml::Spanned<String>>,
    #[serde(default)]
    select: Vec<toml::Spanned<String>>,
    #[serde(default)]
    ignore: Vec<toml::Spanned<toml::Value>>,
    #[serde(default)]
    severity: BTreeMap<toml::Spanned<String>, serde::de::IgnoredAny>,
    #[serde(default)]
    markets: Vec<toml::Spanned<String>>,
}

/// A value in the config that names something: where to point a diagnostic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Named<'a> {
    /// `platform = "…"`.
    Platform,
    /// A rule selector in `select`, `ignore` or a `[severity]` key.
    Selector(&'a str),
    /// A market in `markets`.
    Market(&'a str),
}

impl ConfigFile {
    /// Parse config text; `name` is what diagnostics call it (its path, or [`FILE_NAME`]).
    pub fn parse(name: &str, text: String) -> Result<ConfigFile, Box<InvalidConfig>> {
        let config = parse(name, &text)?;
        // The text parsed as a config, so the spans parse too; if not, diagnostics lose their
        // place.
        let spans = toml::from_str(&text).unwrap_or_default();
        Ok(ConfigFile {
            config,
            name: name.to_string(),
            text: Arc::new(text),
            spans,
        })
    }

    /// Where the config names this, as a byte range of its text.
    fn span_of(&self, named: Named<'_>) -> Option<std::ops::Range<usize>> {
        let s = &self.spans;
        match named {
            Named::Platform => s.platform.as_ref().map(|p| p.span()),
            Named::Selector(value) => s
                .select
                .iter()
                .find(|v| v.get_ref() == value)
                .map(|v| v.span())
                .or_else(|| {
                    s.ignore
                        .iter()
                        .find(|v| v.get_ref().as_str() == Some(value))
                        .map(|v| v.span())
                })
                .or_else(|| {
                    s.severity
                        .keys()
                        .find(|k| k.get_ref() == value)
                        .map(|k| k.span())
                }),
            Named::Market(value) => s
                .markets
                .iter()
                .find(|v| v.get_ref() == value)
                .map(|v| v.span()),
        }
    }

    /// A diagnostic on the config file at what `named` points to.
    pub fn error(
        &self,
        named: Named<'_>,
        message: String,
        help: Option<String>,
    ) -> Box<InvalidConfig> {
        Box::new(InvalidConfig {
            message,
            src: NamedSource::new(&self.name, Arc::clone(&self.text)),
            span: self
                .span_of(named)
                .map(|r| (r.start, r.end - r.start).into()),
            help,
        })
    }
}

/// Parse config text, pointing at the offending key or value on error.
pub fn parse(name: &str, text: &str) -> Result<Config, Box<InvalidConfig>> {
    let invalid = |message: String, span: Option<std::ops::Range<usize>>, help: Option<String>| {
        Box::new(InvalidConfig {
            message,
            src: NamedSource::new(name, Arc::new(text.to_string())),
            span: span.map(|s| (s.start, s.end - s.start).into()),
            help,
        })
    };
    let config: Config = toml::from_str(text).map_err(|e| {
        let message = e.message().trim();
        if message.contains("missing field `reason`") {
            return invalid(
                "this [[ignore]] entry has no `reason`".into(),
                e.span(),
                Some("add `reason = \"...\"`: say why the finding is acceptable, so the next reader can judge".into()),
            );
        }
        invalid(
            format!("invalid config: {message}"),
            e.span(),
            Some("keys: platform, brands, sponsored, select, ignore, severity, rules, no-builtin, fail-on, fix-label, max-caption-size, markets; [[ignore]] tables take path, record, code and reason".into()),
        )
    })?;
    for entry in config.ignored_findings() {
        let span = text
            .find(&format!("\"{}\"", entry.reason))
            .map(|i| i..i + entry.reason.len() + 2);
        if entry.reason.trim().is_empty() {
            return Err(invalid(
                "an [[ignore]] entry needs a non-empty `reason`".into(),
                span,
                Some("say why the finding is acceptable, so the next reader can judge".into()),
            ));
        }
        if entry.path.is_none() && entry.record.is_none() && entry.code.is_none() {
            return Err(invalid(
                "an [[ignore]] entry needs at least one of `path`, `record` or `code`".into(),
                span,
                None,
            ));
        }
    }
    for (code, level) in &config.severity {
        if level != "off" && Severity::parse(level).is_none() {
            let span = text
                .find(&format!("\"{level}\""))
                .map(|i| i..i + level.len() + 2);
            return Err(invalid(
                format!("unknown severity `{level}` for `{code}`"),
                span,
                Some("use error, warning, advice or off".into()),
            ));
        }
    }
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_point_at_the_key() {
        let text = "platform = \"tiktok\"\nbrandz = [\"X\"]\n";
        let e = parse("adlint.toml", text).unwrap_err();
        assert!(e.message.contains("brandz"), "{}", e.message);
        assert_eq!(e.span, Some((20, 6).into()));
    }

    #[test]
    fn ignore_takes_rules_and_reasoned_findings() {
        let text =
            "[[ignore]]\npath = \"exports/*.csv\"\ncode = \"FTC013\"\nreason = \"friends' tags\"\n";
        let c = parse("adlint.toml", text).unwrap();
        assert_eq!(c.ignored_findings().len(), 1);
        assert!(c.ignored_rules().is_empty());
        let c = parse("adlint.toml", "ignore = [\"FTC008\"]\n").unwrap();
        assert_eq!(c.ignored_rules(), vec!["FTC008"]);
        let err = parse(
            "adlint.toml",
            "[[ignore]]\ncode = \"FTC013\"\nreason = \" \"\n",
        )
        .unwrap_err();
        assert!(err.to_string().contains("reason"));
        assert!(parse("adlint.toml", "[[ignore]]\ncode = \"FTC013\"\n").is_err());
    }

    #[test]
    fn severities_are_checked() {
        let err = parse("c", "[severity]\nFTC008 = \"loud\"\n").unwrap_err();
        assert!(err.to_string().contains("loud"));
        let ok = parse("c", "[severity]\nFTC008 = \"off\"\nFTC004 = \"error\"\n").unwrap();
        assert_eq!(ok.severity.len(), 2);
    }

    #[test]
    fn sizes_take_units() {
        assert_eq!(parse_size("2.5MB"), Some(2_500_000));
        assert_eq!(parse_size("64 kib"), Some(65_536));
        assert_eq!(Size::Text("2MB".into()).bytes(), Some(2_000_000));
        assert_eq!(Size::Bytes(0).bytes(), None);
        assert_eq!(parse_size("5 parsecs"), None);
    }
}
