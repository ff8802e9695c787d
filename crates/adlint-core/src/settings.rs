//! Settings: a parsed config (`adlint.toml`, [`crate::config`]) merged under overrides (the
//! command line's flags, or the server's options) and resolved against the loaded rules. The CLI
//! and `adlint serve` both go through [`resolve`]; nothing here reads a file or knows about
//! clap or the terminal, so the browser can resolve settings too.
//!
//! Every mistake is collected with its place: a value the config names is pointed at in the
//! config file's text, a flag's value in the flag as given, other overrides are reported as
//! given.

use std::sync::Arc;

use miette::{Diagnostic, NamedSource, SourceSpan};
use serde::Deserialize;
use thiserror::Error;

use crate::config::{ConfigFile, FindingIgnore, InvalidConfig, Named};
use crate::rules::{Rule, RuleSet, Severity};

/// Severity at which findings fail a run (`--fail-on`, config `fail-on`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FailOn {
    Error,
    Warning,
    Advice,
    Never,
}

impl FailOn {
    /// Every value, as written.
    pub const NAMES: [&'static str; 4] = ["error", "warning", "advice", "never"];

    pub fn parse(s: &str) -> Option<FailOn> {
        match s.trim().to_ascii_lowercase().as_str() {
            "error" => Some(FailOn::Error),
            "warning" => Some(FailOn::Warning),
            "advice" => Some(FailOn::Advice),
            "never" => Some(FailOn::Never),
            _ => None,
        }
    }

    /// Whether a finding of this severity fails the run.
    pub fn fails(self, severity: Severity) -> bool {
        match self {
            FailOn::Never => false,
            FailOn::Error => severity >= Severity::Error,
            FailOn::Warning => severity >= Severity::Warning,
            FailOn::Advice => true,
        }
    }
}

/// The caption size limit when neither the config nor the caller sets one: 1 MB, far beyond any
/// platform's caption length.
pub const DEFAULT_MAX_CAPTION: usize = 1_000_000;

/// What the caller says on top of the config: these win over config values.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// Markets whose packs run (`--jurisdiction`); empty keeps the config's `markets`.
    pub markets: Vec<String>,
    /// Platform for captions that name none; `None` keeps the config's.
    pub platform: Option<String>,
    /// Declared sponsored or not; `None` keeps the config's.
    pub sponsored: Option<bool>,
    /// Brands, before the config's.
    pub brands: Vec<String>,
    /// Only these rules; empty keeps the config's `select`.
    pub select: Vec<String>,
    /// Skip these rules; empty keeps the config's `ignore` strings.
    pub ignore: Vec<String>,
    /// Per-rule severities, each `SELECTOR=LEVEL` (`FTC008=off`; levels as in the config's
    /// `[severity]`: `error`, `warning`, `advice` or `off`), applied after the config's.
    pub severities: Vec<Argument>,
    pub fail_on: Option<FailOn>,
    /// Caption size limit in bytes; `None` keeps the config's.
    pub max_caption_size: Option<usize>,
}

/// A value as the caller was given it, with the flag that gave it (`--severity`): a mistake in
/// it is a diagnostic on the flag and value as typed, at the part that is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Argument {
    pub flag: String,
    pub value: String,
}

impl Argument {
    pub fn new(flag: &str, value: &str) -> Argument {
        Argument {
            flag: flag.to_string(),
            value: value.to_string(),
        }
    }

    /// A diagnostic on `flag value`, at `range` of the value.
    fn error(&self, range: std::ops::Range<usize>, message: String, help: String) -> SettingsError {
        let shown = format!("{} {}", self.flag, self.value);
        let at = self.flag.len() + 1;
        SettingsError::Argument(Box::new(InvalidArgument {
            message,
            src: NamedSource::new("command line", Arc::new(shown)),
            span: (at + range.start, range.end - range.start).into(),
            help: Some(help),
        }))
    }
}

/// A flag's value with a mistake at a known place.
#[derive(Debug, Error, Diagnostic)]
#[error("{message}")]
#[diagnostic(code(adlint::usage))]
pub struct InvalidArgument {
    pub message: String,
    #[source_code]
    pub src: NamedSource<Arc<String>>,
    #[label("here")]
    pub span: SourceSpan,
    #[help]
    pub help: Option<String>,
}

/// A setting that could not be used. Values from the config file are [`SettingsError::Config`]
/// errors pointing into the file, flags' values [`SettingsError::Argument`] errors pointing into
/// the flag; the others name values given as overrides.
#[derive(Debug, Error, Diagnostic)]
pub enum SettingsError {
    #[error(transparent)]
    #[diagnostic(transparent)]
    Config(Box<InvalidConfig>),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Argument(Box<InvalidArgument>),
    #[error("unknown jurisdiction `{0}`")]
    #[diagnostic(code(adlint::usage), help("{1}"))]
    UnknownJurisdiction(String, String),
    #[error("unknown rule selector `{0}`")]
    #[diagnostic(code(adlint::usage), help("{1}"))]
    UnknownSelector(String, String),
    #[error("unknown platform `{0}`")]
    #[diagnostic(code(adlint::usage), help("{1}"))]
    UnknownPlatform(String, String),
    #[error("`max-caption-size = {0}` in the config is not a size")]
    #[diagnostic(
        code(adlint::usage),
        help("use bytes (1000000) or a string with KB or MB (\"2MB\")")
    )]
    BadSize(String),
}

/// Everything resolved: the configured rules and the defaults for captions that do not say.
#[derive(Debug)]
pub struct Settings {
    /// The rules, with markets, severities, select/ignore and the fix label applied.
    pub rules: RuleSet,
    /// The platform for captions that name none: a loaded platform's name.
    pub platform: Option<String>,
    pub sponsored: Option<bool>,
    pub brands: Vec<String>,
    /// The fail threshold: the caller's, else the config's `fail-on`, else `error`.
    pub fail_on: FailOn,
    /// Captions longer than this (bytes) are input errors; `None` is the default limit.
    pub max_caption: Option<usize>,
    /// The config's `[[ignore]]` entries: findings not to report.
    pub ignored_findings: Vec<FindingIgnore>,
    /// What the config is called in messages: its path, or `adlint.toml`.
    pub config_name: String,
    /// Things worth saying that are not mistakes (selected rules that run in no chosen market).
    pub notes: Vec<String>,
}

impl Settings {
    /// Caption size limit in bytes.
    pub fn caption_limit(&self) -> usize {
        self.max_caption.unwrap_or(DEFAULT_MAX_CAPTION)
    }
}

/// Resolve the config and overrides against loaded rules: the run's markets, select/ignore,
/// severities, the fix label, the default platform, sponsorship, brands, the fail threshold and
/// the caption limit. Every mistake is collected.
pub fn resolve(
    mut rules: RuleSet,
    file: &ConfigFile,
    overrides: &Overrides,
) -> Result<Settings, Vec<SettingsError>> {
    let markets = choose_markets(&mut rules, file, &overrides.markets);
    match (markets, configure(rules, file, overrides)) {
        (Ok(()), outcome) => outcome,
        (Err(e), Ok(_)) => Err(vec![e]),
        (Err(e), Err(mut errors)) => {
            errors.insert(0, e);
            Err(errors)
        }
    }
}

/// Set the run's markets from `chosen` (a caller's), else the config's `markets`; neither keeps
/// the default. A market the config names that does not exist is shown on the config file.
pub fn choose_markets(
    rules: &mut RuleSet,
    file: &ConfigFile,
    chosen: &[String],
) -> Result<(), SettingsError> {
    let from_config = chosen.is_empty();
    let chosen = if from_config {
        file.config.markets.clone().unwrap_or_default()
    } else {
        chosen.to_vec()
    };
    match markets(&chosen, rules) {
        Ok(Some(markets)) => rules.markets = markets,
        Ok(None) => {}
        Err(SettingsError::UnknownJurisdiction(bad, help)) if from_config => {
            let value = chosen
                .iter()
                .find(|v| v.contains(bad.as_str()))
                .cloned()
                .unwrap_or(bad.clone());
            return Err(SettingsError::Config(file.error(
                Named::Market(&value),
                format!("unknown market `{bad}` in `markets`"),
                Some(help),
            )));
        }
        Err(e) => return Err(e),
    }
    Ok(())
}

/// Apply the config and overrides to rules whose markets are chosen.
fn configure(
    mut rules: RuleSet,
    file: &ConfigFile,
    overrides: &Overrides,
) -> Result<Settings, Vec<SettingsError>> {
    let cfg = &file.config;
    let select = if overrides.select.is_empty() {
        (&cfg.select[..], Source::Config)
    } else {
        (&overrides.select[..], Source::Override)
    };
    let config_ignore = cfg.ignored_rules();
    let ignore = if overrides.ignore.is_empty() {
        (&config_ignore[..], Source::Config)
    } else {
        (&overrides.ignore[..], Source::Override)
    };
    let mut errors = Vec::new();
    configure_rules(
        &mut rules,
        select,
        ignore,
        &overrides.severities,
        file,
        &mut errors,
    );
    let notes = off_market_notes(&rules, select.0);
    rules.fix_label = cfg.fix_label.clone();
    let given = overrides.platform.is_some();
    let platform = match overrides.platform.clone().or_else(|| cfg.platform.clone()) {
        None => None,
        Some(p) => match platform_name(&p, &rules) {
            Ok(name) => Some(name),
            // A platform the config names is shown on the config file.
            Err(SettingsError::UnknownPlatform(p, help)) if !given => {
                errors.push(SettingsError::Config(file.error(
                    Named::Platform,
                    format!("unknown platform `{p}`"),
                    Some(help),
                )));
                None
            }
            Err(e) => {
                errors.push(e);
                None
            }
        },
    };
    let max_caption = match (overrides.max_caption_size, &cfg.max_caption_size) {
        (Some(n), _) => Some(n),
        (None, Some(size)) => match size.bytes() {
            Some(n) => Some(n),
            None => {
                errors.push(SettingsError::BadSize(size.to_string()));
                None
            }
        },
        (None, None) => None,
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut brands = overrides.brands.clone();
    brands.extend(cfg.brands.iter().cloned());
    Ok(Settings {
        platform,
        sponsored: overrides.sponsored.or(cfg.sponsored),
        brands,
        fail_on: overrides.fail_on.or(cfg.fail_on).unwrap_or(FailOn::Error),
        max_caption,
        ignored_findings: cfg.ignored_findings(),
        config_name: file.name.clone(),
        notes,
        rules,
    })
}

/// Each loaded platform's name and aliases, with the platform's name.
pub fn platform_aliases(rules: &RuleSet) -> Vec<(String, String)> {
    rules
        .platforms
        .iter()
        .flat_map(|p| {
            std::iter::once(p.name.clone())
                .chain(p.aliases.iter().cloned())
                .map(|alias| (alias, p.name.clone()))
        })
        .collect()
}

/// The platform a value names, as exports write it, among `aliases` (each name or alias with its
/// platform's name, as [`platform_aliases`] gives them): a name or alias (`IG`), or a name among
/// other words (`Instagram Reels`, `IG Story`, `YouTube Shorts`, `TikTok Video`, `Twitter/X`,
/// `Tik Tok`). `None` when no platform fits.
pub fn platform_among<'a>(aliases: &'a [(String, String)], value: &str) -> Option<&'a str> {
    let lookup = |word: &str| {
        aliases
            .iter()
            .find(|(alias, _)| alias.eq_ignore_ascii_case(word))
            .map(|(_, name)| name.as_str())
    };
    let value = value.trim();
    if let Some(name) = lookup(value) {
        return Some(name);
    }
    let words: Vec<&str> = value
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    words.iter().find_map(|w| lookup(w)).or_else(|| {
        words
            .windows(2)
            .find_map(|pair| lookup(&format!("{}{}", pair[0], pair[1])))
    })
}

/// The loaded platform a value names: a name or alias, or as exports' platform columns are read
/// (`Instagram Reels`). A value no platform fits is an error with the nearest and the known ones.
pub fn platform_name(value: &str, rules: &RuleSet) -> Result<String, SettingsError> {
    if rules.platform(value).is_some() {
        return Ok(value.to_string());
    }
    if let Some(name) = platform_among(&platform_aliases(rules), value)
        && rules.platform(name).is_some()
    {
        return Ok(name.to_string());
    }
    let known: Vec<&str> = rules.platforms.iter().map(|p| p.name.as_str()).collect();
    let near = crate::suggest::did_you_mean(
        value,
        rules
            .platforms
            .iter()
            .flat_map(|k| std::iter::once(&k.name).chain(&k.aliases))
            .map(String::as_str),
    )
    .map(|n| format!("did you mean `{n}`? "))
    .unwrap_or_default();
    Err(SettingsError::UnknownPlatform(
        value.to_string(),
        format!("{near}known platforms: {}", known.join(", ")),
    ))
}

/// The run's markets from overrides or config `markets`: `None` keeps the default.
/// `all` means every jurisdiction a loaded pack declares.
pub fn markets(chosen: &[String], rules: &RuleSet) -> Result<Option<Vec<String>>, SettingsError> {
    let known = rules.jurisdictions();
    let mut out: Vec<String> = Vec::new();
    for value in chosen.iter().map(|v| v.trim()).filter(|v| !v.is_empty()) {
        let codes = if value.eq_ignore_ascii_case("all") {
            known.clone()
        } else {
            rules.market_table.parse_list(value).map_err(|bad| {
                let near = crate::suggest::did_you_mean(&bad, known.iter().map(String::as_str))
                    .map(|n| format!("did you mean `{n}`? "))
                    .unwrap_or_default();
                SettingsError::UnknownJurisdiction(
                    bad,
                    format!(
                        "{near}known jurisdictions: {}, or `all`; names such as GB, United Kingdom or de-DE work too",
                        known.join(", ")
                    ),
                )
            })?
        };
        for code in codes {
            if !out.contains(&code) {
                out.push(code);
            }
        }
    }
    Ok((!out.is_empty()).then_some(out))
}

/// Whether a selector names this rule: its code, name, pack, or a code prefix.
pub fn selects(selector: &str, rule: &Rule, pack: &str) -> bool {
    let s = selector.trim();
    rule.code.eq_ignore_ascii_case(s)
        || rule.name == s
        || pack.eq_ignore_ascii_case(s)
        || (!s.is_empty()
            && rule
                .code
                .to_ascii_uppercase()
                .starts_with(&s.to_ascii_uppercase()))
}

/// Whether a selector names any loaded rule.
fn selects_any(selector: &str, rules: &RuleSet) -> bool {
    rules
        .rules
        .iter()
        .any(|r| selects(selector, r, &rules.packs[r.pack].name))
}

/// Where a list of rule selectors came from, for diagnostics.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Source {
    Override,
    Config,
}

/// What to say about a selector that names no rule: the nearest code, name or pack, and the
/// forms a selector takes.
pub fn selector_help(selector: &str, rules: &RuleSet) -> String {
    let candidates = rules
        .rules
        .iter()
        .flat_map(|r| [r.code.as_str(), r.name.as_str()])
        .chain(rules.packs.iter().map(|p| p.name.as_str()));
    let near = crate::suggest::did_you_mean(selector, candidates)
        .map(|n| format!("did you mean `{n}`? "))
        .unwrap_or_default();
    format!(
        "{near}use a rule code (FTC003), a name (disclosure-below-fold), a code prefix (FTC) or a pack name (ftc); `adlint rules` lists them"
    )
}

/// A severity level as the config's `[severity]` and `--severity` write it: `Some(None)` is
/// `off`; `None` is not a level.
fn level(written: &str) -> Option<Option<Severity>> {
    match written {
        "off" => Some(None),
        other => Severity::parse(other).map(Some),
    }
}

/// The `SELECTOR=LEVEL` severity overrides, each checked against the rules: a value without
/// `=`, an unknown level or a selector that names no rule is a diagnostic at that part of it.
fn severity_overrides(
    given: &[Argument],
    rules: &RuleSet,
    errors: &mut Vec<SettingsError>,
) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for arg in given {
        let value = &arg.value;
        let Some((selector, written)) = value.split_once('=') else {
            errors.push(arg.error(
                0..value.len(),
                format!("`{}` takes SELECTOR=LEVEL, not `{value}`", arg.flag),
                format!(
                    "for example `{} FTC008=warning`; levels: error, warning, advice or off",
                    arg.flag
                ),
            ));
            continue;
        };
        let (s, l) = (selector.trim(), written.trim());
        // Where the trimmed selector and level stand in the value.
        let s_at = selector.len() - selector.trim_start().len();
        let l_at = selector.len() + 1 + written.len() - written.trim_start().len();
        let mut ok = true;
        if !selects_any(s, rules) {
            errors.push(arg.error(
                s_at..s_at + s.len(),
                format!("unknown rule `{s}` in {}", arg.flag),
                selector_help(s, rules),
            ));
            ok = false;
        }
        if level(l).is_none() {
            errors.push(arg.error(
                l_at..l_at + l.len(),
                format!("unknown severity `{l}` for `{s}`"),
                "use error, warning, advice or off".into(),
            ));
            ok = false;
        }
        if ok {
            out.push((s.to_string(), l.to_string()));
        }
    }
    out
}

/// Apply severities (the config's, then the overrides') and select/ignore, or add to `errors`
/// every selector that names no rule (on the config file where the config names it, on the flag
/// where a severity override does, as given where another override does) and leave the rules.
fn configure_rules(
    rules: &mut RuleSet,
    select: (&[String], Source),
    ignore: (&[String], Source),
    severities: &[Argument],
    file: &ConfigFile,
    errors: &mut Vec<SettingsError>,
) {
    let severity_keys: Vec<String> = file.config.severity.keys().cloned().collect();
    let before = errors.len();
    for (list, from, what) in [
        (select.0, select.1, "select"),
        (ignore.0, ignore.1, "ignore"),
        (&severity_keys[..], Source::Config, "[severity]"),
    ] {
        for s in list {
            if selects_any(s, rules) {
                continue;
            }
            let help = selector_help(s, rules);
            errors.push(match from {
                Source::Override => SettingsError::UnknownSelector(s.clone(), help),
                Source::Config => SettingsError::Config(file.error(
                    Named::Selector(s),
                    format!("unknown rule `{s}` in {what}"),
                    Some(help),
                )),
            });
        }
    }
    let severities = severity_overrides(severities, rules, errors);
    if errors.len() > before {
        return;
    }
    let packs: Vec<String> = rules.packs.iter().map(|p| p.name.clone()).collect();
    let select = select.0;
    let ignore = ignore.0;
    let mut off = Vec::new();
    let levels = file
        .config
        .severity
        .iter()
        .chain(severities.iter().map(|(k, v)| (k, v)));
    for (selector, written) in levels {
        for r in rules
            .rules
            .iter_mut()
            .filter(|r| selects(selector, r, &packs[r.pack]))
        {
            // A later level wins: a flag's over the config's.
            match level(written).flatten() {
                Some(sev) => {
                    r.severity = sev;
                    off.retain(|code| *code != r.code);
                }
                None => off.push(r.code.clone()),
            }
        }
    }
    rules.retain(|r| {
        let pack = &packs[r.pack];
        let selected = select.is_empty() || select.iter().any(|s| selects(s, r, pack));
        selected && !ignore.iter().any(|s| selects(s, r, pack)) && !off.contains(&r.code)
    });
}

/// Selectors whose rules all belong to packs of markets the run does not choose: those rules run
/// only on records whose market column names their market, which a user who selected them may
/// not expect.
fn off_market_notes(rules: &RuleSet, select: &[String]) -> Vec<String> {
    select
        .iter()
        .filter_map(|s| {
            let packs: std::collections::BTreeSet<usize> = rules
                .rules
                .iter()
                .filter(|r| selects(s, r, &rules.packs[r.pack].name))
                .map(|r| r.pack)
                .collect();
            let off: Vec<&str> = packs
                .iter()
                .filter_map(|&i| rules.packs[i].jurisdiction.as_deref())
                .filter(|j| !rules.markets.iter().any(|m| m == j))
                .collect();
            (!packs.is_empty() && off.len() == packs.len()).then(|| {
                format!(
                    "`{s}` selects rules for {}, which run only on records whose market is {}; \
                     add `--jurisdiction {}` to run them on every caption",
                    off.join(", "),
                    off.join(" or "),
                    off.join(",")
                )
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> RuleSet {
        crate::builtin_rules().unwrap()
    }

    fn severity(value: &str) -> Argument {
        Argument::new("--severity", value)
    }

    #[test]
    fn overrides_win_over_config_and_every_mistake_is_collected() {
        let o = Overrides {
            select: vec!["FTC99x".into(), "nonsense".into()],
            platform: Some("myspace".into()),
            ..Overrides::default()
        };
        let errors = resolve(rules(), &ConfigFile::default(), &o).unwrap_err();
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert!(matches!(errors[0], SettingsError::UnknownSelector(..)));
        assert!(matches!(errors[1], SettingsError::UnknownSelector(..)));
        assert!(matches!(errors[2], SettingsError::UnknownPlatform(..)));
    }

    #[test]
    fn platforms_are_read_like_export_columns() {
        let rules = rules();
        assert_eq!(
            platform_name("Instagram Reels", &rules).unwrap(),
            "instagram"
        );
        assert!(matches!(
            platform_name("myspace", &rules),
            Err(SettingsError::UnknownPlatform(..))
        ));
        let settings = resolve(
            rules,
            &ConfigFile::default(),
            &Overrides {
                platform: Some("IG".into()),
                sponsored: Some(true),
                fail_on: Some(FailOn::Warning),
                ..Overrides::default()
            },
        )
        .unwrap();
        assert!(settings.platform.is_some());
        assert_eq!(settings.sponsored, Some(true));
        assert_eq!(settings.fail_on, FailOn::Warning);
    }

    #[test]
    fn config_text_is_resolved_and_its_mistakes_point_into_it() {
        let text = "fail-on = \"warning\"\nmarkets = [\"uk\"]\nplatform = \"tiktok\"\n\
                    max-caption-size = \"2MB\"\n[severity]\nFTC008 = \"off\"\n";
        let file = ConfigFile::parse("team/adlint.toml", text.to_string()).unwrap();
        let settings = resolve(rules(), &file, &Overrides::default()).unwrap();
        assert_eq!(settings.fail_on, FailOn::Warning);
        assert_eq!(settings.rules.markets, vec!["uk".to_string()]);
        assert_eq!(settings.platform.as_deref(), Some("tiktok"));
        assert_eq!(settings.caption_limit(), 2_000_000);
        assert!(settings.rules.rule("FTC008").is_none());
        assert_eq!(settings.config_name, "team/adlint.toml");
        // The caller's threshold wins over the config's.
        let o = Overrides {
            fail_on: Some(FailOn::Never),
            ..Overrides::default()
        };
        assert_eq!(resolve(rules(), &file, &o).unwrap().fail_on, FailOn::Never);

        let text = "platform = \"myspace\"\nselect = [\"FTC088\"]\n";
        let file = ConfigFile::parse("adlint.toml", text.to_string()).unwrap();
        let errors = resolve(rules(), &file, &Overrides::default()).unwrap_err();
        assert_eq!(errors.len(), 2, "{errors:?}");
        let spans: Vec<_> = errors
            .iter()
            .map(|e| match e {
                SettingsError::Config(c) => c.span.map(|s| &text[s.offset()..][..s.len()]),
                other => panic!("not on the config: {other:?}"),
            })
            .collect();
        assert_eq!(spans, [Some("\"FTC088\""), Some("\"myspace\"")]);

        let file = ConfigFile::parse("adlint.toml", "markets = [\"mars\"]\n".to_string()).unwrap();
        let errors = resolve(rules(), &file, &Overrides::default()).unwrap_err();
        assert!(
            matches!(&errors[..], [SettingsError::Config(_)]),
            "{errors:?}"
        );
    }

    #[test]
    fn severity_overrides_apply_after_the_config() {
        let file = ConfigFile::parse(
            "adlint.toml",
            "[severity]\nFTC004 = \"off\"\nFTC002 = \"warning\"\n".to_string(),
        )
        .unwrap();
        let o = Overrides {
            severities: vec![
                severity("FTC002=advice"),
                severity(" FTC003 = off"),
                severity("FTC004=error"),
            ],
            ..Overrides::default()
        };
        let settings = resolve(rules(), &file, &o).unwrap();
        let level = |code: &str| settings.rules.rule(code).map(|r| r.severity);
        assert_eq!(level("FTC002"), Some(Severity::Advice));
        assert_eq!(level("FTC003"), None);
        assert_eq!(level("FTC004"), Some(Severity::Error));
    }

    #[test]
    fn severity_override_mistakes_point_at_the_flag() {
        let o = Overrides {
            severities: vec![
                severity("FTC002=loud"),
                severity("NOPE9=off"),
                severity("FTC002"),
            ],
            ..Overrides::default()
        };
        let errors = resolve(rules(), &ConfigFile::default(), &o).unwrap_err();
        let shown: Vec<(String, &str)> = errors
            .iter()
            .map(|e| match e {
                SettingsError::Argument(a) => (
                    a.message.clone(),
                    &a.src.inner()[a.span.offset()..][..a.span.len()],
                ),
                other => panic!("not on the flag: {other:?}"),
            })
            .collect();
        assert_eq!(
            shown,
            [
                ("unknown severity `loud` for `FTC002`".to_string(), "loud"),
                ("unknown rule `NOPE9` in --severity".to_string(), "NOPE9"),
                (
                    "`--severity` takes SELECTOR=LEVEL, not `FTC002`".to_string(),
                    "FTC002"
                ),
            ]
        );
    }

    #[test]
    fn fail_on_parses_and_decides() {
        assert_eq!(FailOn::parse("Warning"), Some(FailOn::Warning));
        assert_eq!(FailOn::parse("loud"), None);
        assert!(FailOn::Advice.fails(Severity::Advice));
        assert!(!FailOn::Error.fails(Severity::Warning));
        assert!(!FailOn::Never.fails(Severity::Error));
    }
}
