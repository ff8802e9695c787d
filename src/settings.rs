//! Where settings come from: the config file found or named, and rule files and folders, read
//! here; what they say is resolved by the core ([`adlint_core::settings`], re-exported here) with
//! the caller's overrides. The CLI and `adlint serve` both go through [`resolve`].

use std::path::{Path, PathBuf};

use miette::Diagnostic;
use thiserror::Error;

/// What the config or the overrides say that cannot be used (the core's settings error).
pub use adlint_core::settings::SettingsError as ResolveError;
pub use adlint_core::settings::{
    Argument, DEFAULT_MAX_CAPTION, FailOn, InvalidArgument, Overrides, Settings, choose_markets,
    markets, platform_aliases, platform_among, platform_name, selector_help, selects,
};

use crate::config::{self, ConfigError, Loaded};
use crate::rules::{self, RuleErrors, RuleSet, RuleSource};

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

/// Where the config and the rules come from.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    pub config: ConfigSource,
    /// Extra rule files or folders (`--rules`), after the config's.
    pub rules: Vec<PathBuf>,
    /// Skip the built-in packs (or the config's `no-builtin`).
    pub no_builtin: bool,
}

/// A setting that could not be used: a file that could not be read, a mistake in a rule file,
/// or one in what the config or the overrides say.
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
    #[error(transparent)]
    #[diagnostic(transparent)]
    Resolve(#[from] ResolveError),
}

/// Load the config the sources name.
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

/// Load the rules the config and sources name. Every unreadable rule path is reported; mistakes
/// in rule files come as one [`SettingsError::Rules`]. The markets are still the default.
pub fn load_rules(sources: &Sources, loaded: &Loaded) -> Result<RuleSet, Vec<SettingsError>> {
    let config = &loaded.file.config;
    let mut files = Vec::new();
    if !(sources.no_builtin || config.no_builtin) {
        files.extend(rules::builtin::sources());
    } else {
        // Platforms and the shared library are data, not rules: keep them without the packs.
        files.extend(
            rules::builtin::sources()
                .into_iter()
                .filter(|s| rules::builtin::is_data(&s.name)),
        );
    }
    let base = loaded.base_dir();
    let paths = config
        .rules
        .iter()
        .map(|p| base.join(p))
        .chain(sources.rules.iter().cloned());
    let mut errors = Vec::new();
    for path in paths {
        match rule_files(&path) {
            Ok(mut found) => files.append(&mut found),
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    rules::load(&files).map_err(|e| vec![SettingsError::Rules(e)])
}

/// Read the config and rules the sources name, and resolve them with the overrides.
pub fn resolve(sources: &Sources, overrides: &Overrides) -> Result<Settings, Vec<SettingsError>> {
    let loaded = load_config(&sources.config).map_err(|e| vec![e])?;
    let rules = load_rules(sources, &loaded)?;
    adlint_core::settings::resolve(rules, &loaded.file, overrides)
        .map_err(|errors| errors.into_iter().map(SettingsError::from).collect())
}
