//! Settings: the config file (`adlint.toml`) merged under overrides (command-line flags, or the
//! server's options), resolved against the loaded rules. The CLI and `adlint serve` both go
//! through [`resolve`]; nothing here knows about clap or the terminal.
//!
//! Every mistake is collected with its place: a value the config names is pointed at in the
//! config file's text, a value an override names is reported as given.

use std::path::{Path, PathBuf};

use miette::Diagnostic;
use serde::Deserialize;
use thiserror::Error;

use crate::config::{self, ConfigError, Loaded};
use crate::input::Defaults;
use crate::rules::{self, Rule, RuleErrors, RuleSet, RuleSource, Severity};

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

/// Where the config comes from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum ConfigSource {
    /// `adlint.toml` in this folder or its parents, if there is one.
    Discover(PathBuf),
    /// This file (`--config`).
    File(PathBuf),
    /// No config (`--no-config`).
    #[default]
    None,
}

/// What the caller says on top of the config: flags win over config values.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub config: ConfigSource,
    /// Extra rule files or folders (`--rules`), after the config's.
    pub rules: Vec<PathBuf>,
    /// Skip the built-in packs (or the config's `no-builtin`).
    pub no_builtin: bool,
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
    /// Per-rule severity (`error`, `warning`, `advice` or `off`) by selector, applied after
    /// the config's `[severity]`.
    pub severities: Vec<(String, String)>,
    pub fail_on: Option<FailOn>,
    /// Caption size limit in bytes; `None` keeps the config's.
    pub max_caption_size: Option<usize>,
}

/// A setting that could not be used. Values from the config file are [`SettingsError::Config`]
/// errors pointing into the file; these name values given as overrides.
#[derive(Debug, Error, Diagnostic)]
pub enum SettingsError {
    #[error(transparent)]
    #[diagnostic(transparent)]
    Config(#[from] ConfigError),
    #[error("could not read rule file {0}: {1}")]
    #[diagnostic(code(adlint::rules))]
    RulePath(String, String),
    /// Mistakes in rule files: each is a diagnostic of its own.
    #[error("{} mistake{} in rule files", .0.errors.len(), if .0.errors.len() == 1 { "" } else { "s" })]
    #[diagnostic(code(adlint::rules))]
    Rules(RuleErrors),
    #[error("unknown jurisdiction `{0}`")]
    #[diagnostic(code(adlint::usage), help("{1}"))]
    UnknownJurisdiction(String, String),
    #[error("unknown rule selector `{0}`")]
    #[diagnostic(code(adlint::usage), help("{1}"))]
    UnknownSelector(String, String),
    #[error("unknown platform `{0}`")]
    #[diagnostic(code(adlint::usage), help("{1}"))]
    UnknownPlatform(String, String),
    #[error("unknown severity `{0}` for `{1}`")]
    #[diagnostic(code(adlint::usage), help("use error, warning, advice or off"))]
    BadSeverity(String, String),
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
    /// The config file as loaded (its `[[ignore]]` findings, its name for messages).
    pub loaded: Loaded,
    /// The platform for captions that name none: a loaded platform's name.
    pub platform: Option<String>,
    pub sponsored: Option<bool>,
    pub brands: Vec<String>,
    pub fail_on: FailOn,
    /// Captions longer than this (bytes) are input errors; `None` is the default limit.
    pub max_caption: Option<usize>,
    /// Things worth saying that are not mistakes (selected rules that run in no chosen market).
    pub notes: Vec<String>,
}

impl Settings {
    /// Caption size limit in bytes.
    pub fn caption_limit(&self) -> usize {
        self.max_caption
            .unwrap_or(crate::input::DEFAULT_MAX_CAPTION)
    }

    /// Context for captions that do not carry their own, as the readers take it.
    pub fn defaults(&self) -> Defaults {
        Defaults {
            platform: self.platform.clone(),
            sponsored: self.sponsored,
            brands: self.brands.clone(),
            markets: self.rules.market_table.clone(),
            platforms: platform_aliases(&self.rules),
            platform_hosts: self.rules.platform_hosts(),
        }
    }
}

/// Load the config the overrides name.
pub fn load_config(source: &ConfigSource) -> Result<Loaded, SettingsError> {
    let path = match source {
        ConfigSource::None => return Ok(Loaded::default()),
        ConfigSource::File(p) => Some(p.clone()),
        ConfigSource::Discover(start) => config::discover(start),
    };
    match path {
        None => Ok(Loaded::default()),
        Some(p) => Ok(config::load(&p)?),
    }
}

/// Rule files from a path: the file, or every `.toml` file in the folder.
pub fn rule_files(path: &Path) -> Result<Vec<RuleSource>, SettingsError> {
    let read = |p: &Path| {
        crate::limits::read_text(p, crate::limits::RULE_FILE)
            .map(|text| RuleSource::new(p.display().to_string(), text))
            .map_err(|e| SettingsError::RulePath(p.display().to_string(), e.reason("rule files")))
    };
    if !path.is_dir() {
        return read(path).map(|s| vec![s]);
    }
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(path).sort_by_file_name() {
        let entry = entry
            .map_err(|e| SettingsError::RulePath(path.display().to_string(), e.to_string()))?;
        let is_toml = entry.path().extension().is_some_and(|x| x == "toml");
        if entry.file_type().is_file() && is_toml {
            out.push(read(entry.path())?);
        }
    }
    Ok(out)
}

/// Load the rules the config and overrides name, and choose the run's markets. Every unreadable
/// rule path is reported; mistakes in rule files come as one [`SettingsError::Rules`].
pub fn load_rules(overrides: &Overrides, loaded: &Loaded) -> Result<RuleSet, Vec<SettingsError>> {
    let mut sources = Vec::new();
    if !(overrides.no_builtin || loaded.config.no_builtin) {
        sources.extend(rules::builtin::sources());
    } else {
        // Platforms and the shared library are data, not rules: keep them without the packs.
        sources.extend(
            rules::builtin::sources()
                .into_iter()
                .filter(|s| rules::builtin::is_data(&s.name)),
        );
    }
    let base = loaded.base_dir();
    let paths = loaded
        .config
        .rules
        .iter()
        .map(|p| base.join(p))
        .chain(overrides.rules.iter().cloned());
    let mut errors = Vec::new();
    for path in paths {
        match rule_files(&path) {
            Ok(mut files) => sources.append(&mut files),
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut set = rules::load(&sources).map_err(|e| vec![SettingsError::Rules(e)])?;
    let from_config = overrides.markets.is_empty();
    let chosen = if from_config {
        loaded.config.markets.clone().unwrap_or_default()
    } else {
        overrides.markets.clone()
    };
    match markets(&chosen, &set) {
        Ok(Some(markets)) => set.markets = markets,
        Ok(None) => {}
        Err(SettingsError::UnknownJurisdiction(bad, help)) if from_config => {
            let value = chosen
                .iter()
                .find(|v| v.contains(bad.as_str()))
                .cloned()
                .unwrap_or(bad.clone());
            return Err(vec![SettingsError::Config(loaded.error(
                config::Named::Market(&value),
                format!("unknown market `{bad}` in `markets`"),
                Some(help),
            ))]);
        }
        Err(e) => return Err(vec![e]),
    }
    Ok(set)
}

/// Load the config and rules, and resolve everything the overrides and config say.
pub fn resolve(overrides: &Overrides) -> Result<Settings, Vec<SettingsError>> {
    let loaded = load_config(&overrides.config).map_err(|e| vec![e])?;
    let rules = load_rules(overrides, &loaded)?;
    configure(rules, loaded, overrides)
}

/// Apply the config and overrides to loaded rules: select/ignore, severities, the fix label, the
/// default platform, sponsorship, brands, the fail threshold and the caption limit.
pub fn configure(
    mut rules: RuleSet,
    loaded: Loaded,
    overrides: &Overrides,
) -> Result<Settings, Vec<SettingsError>> {
    let cfg = &loaded.config;
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
    configure_rules(&mut rules, select, ignore, &overrides.severities, &loaded)?;
    let notes = off_market_notes(&rules, select.0);
    rules.fix_label = cfg.fix_label.clone();
    let mut errors = Vec::new();
    let given = overrides.platform.is_some();
    let platform = match overrides.platform.clone().or_else(|| cfg.platform.clone()) {
        None => None,
        Some(p) => match platform_name(&p, &rules) {
            Ok(name) => Some(name),
            // A platform the config names is shown on the config file.
            Err(SettingsError::UnknownPlatform(p, help)) if !given => {
                errors.push(SettingsError::Config(loaded.error(
                    config::Named::Platform,
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
        notes,
        rules,
        loaded,
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

/// The loaded platform a value names: a name or alias, or as exports' platform columns are read
/// (`Instagram Reels`). A value no platform fits is an error with the nearest and the known ones.
pub fn platform_name(value: &str, rules: &RuleSet) -> Result<String, SettingsError> {
    if rules.platform(value).is_some() {
        return Ok(value.to_string());
    }
    let probe = Defaults {
        platforms: platform_aliases(rules),
        ..Defaults::default()
    };
    if let Some(name) = probe.platform_name(value)
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

/// Apply config severities and select/ignore. Every selector that names no rule is reported:
/// on the config file where the config names it, as given where an override does.
fn configure_rules(
    rules: &mut RuleSet,
    select: (&[String], Source),
    ignore: (&[String], Source),
    severities: &[(String, String)],
    loaded: &Loaded,
) -> Result<(), Vec<SettingsError>> {
    let packs: Vec<String> = rules.packs.iter().map(|p| p.name.clone()).collect();
    let severity_keys: Vec<String> = loaded.config.severity.keys().cloned().collect();
    let override_keys: Vec<String> = severities.iter().map(|(k, _)| k.clone()).collect();
    let mut errors = Vec::new();
    for (s, level) in severities {
        if level != "off" && Severity::parse(level).is_none() {
            errors.push(SettingsError::BadSeverity(level.clone(), s.clone()));
        }
    }
    for (list, from, what) in [
        (select.0, select.1, "select"),
        (ignore.0, ignore.1, "ignore"),
        (&severity_keys[..], Source::Config, "[severity]"),
        (&override_keys[..], Source::Override, "severity"),
    ] {
        for s in list {
            if rules.rules.iter().any(|r| selects(s, r, &packs[r.pack])) {
                continue;
            }
            let help = selector_help(s, rules);
            errors.push(match from {
                Source::Override => SettingsError::UnknownSelector(s.clone(), help),
                Source::Config => SettingsError::Config(loaded.error(
                    config::Named::Selector(s),
                    format!("unknown rule `{s}` in {what}"),
                    Some(help),
                )),
            });
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let select = select.0;
    let ignore = ignore.0;
    let mut off = Vec::new();
    let levels = loaded
        .config
        .severity
        .iter()
        .chain(severities.iter().map(|(k, v)| (k, v)));
    for (selector, level) in levels {
        for r in rules
            .rules
            .iter_mut()
            .filter(|r| selects(selector, r, &packs[r.pack]))
        {
            match Severity::parse(level) {
                Some(sev) => r.severity = sev,
                None => off.push(r.code.clone()),
            }
        }
    }
    rules.retain(|r| {
        let pack = &packs[r.pack];
        let selected = select.is_empty() || select.iter().any(|s| selects(s, r, pack));
        selected && !ignore.iter().any(|s| selects(s, r, pack)) && !off.contains(&r.code)
    });
    Ok(())
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

    fn builtin() -> Overrides {
        Overrides::default()
    }

    #[test]
    fn overrides_win_over_config_and_every_mistake_is_collected() {
        let loaded = Loaded::default();
        let o = builtin();
        let rules = load_rules(&o, &loaded).unwrap();
        let o = Overrides {
            select: vec!["FTC99x".into(), "nonsense".into()],
            platform: Some("myspace".into()),
            ..Overrides::default()
        };
        let errors = configure(rules, loaded, &o).unwrap_err();
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(
            errors
                .iter()
                .all(|e| matches!(e, SettingsError::UnknownSelector(..)))
        );
    }

    #[test]
    fn platforms_are_read_like_export_columns() {
        let rules = load_rules(&builtin(), &Loaded::default()).unwrap();
        assert_eq!(
            platform_name("Instagram Reels", &rules).unwrap(),
            "instagram"
        );
        assert!(matches!(
            platform_name("myspace", &rules),
            Err(SettingsError::UnknownPlatform(..))
        ));
        let settings = configure(
            rules,
            Loaded::default(),
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
    fn severity_overrides_apply_after_the_config() {
        let rules = load_rules(&builtin(), &Loaded::default()).unwrap();
        let o = Overrides {
            severities: vec![
                ("FTC002".into(), "advice".into()),
                ("FTC003".into(), "off".into()),
            ],
            ..Overrides::default()
        };
        let settings = configure(rules.clone(), Loaded::default(), &o).unwrap();
        assert_eq!(
            settings.rules.rule("FTC002").map(|r| r.severity),
            Some(Severity::Advice)
        );
        assert!(settings.rules.rule("FTC003").is_none());
        let bad = Overrides {
            severities: vec![
                ("FTC002".into(), "loud".into()),
                ("NOPE9".into(), "off".into()),
            ],
            ..Overrides::default()
        };
        let errors = configure(rules, Loaded::default(), &bad).unwrap_err();
        assert_eq!(errors.len(), 2, "{errors:?}");
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
