//! adlint in the browser: the core engine and the built-in packs, compiled to WebAssembly.
//!
//! [`Engine`] answers in the CLI's JSON contract (the core crate's [`adlint_core::contract`]),
//! exactly as `adlint serve` does over HTTP: [`Engine::check`] gives the `--format json`
//! document (`POST /v1/check`), [`Engine::fix`] the `POST /v1/fix` answer, [`Engine::rules`]
//! `GET /v1/rules`, [`Engine::explain`] `GET /v1/rules/{code}` and [`Engine::fold`]
//! `POST /v1/fold`. Options are the JSON keys those endpoints take. A mistake (an unknown
//! platform, a rule pack that does not load) is an [`Error`], written as the API writes its
//! errors: `{"error": {"status", "message", ...}}`, never a panic.
//!
//! In the wasm32 build, `wasm-bindgen` exports one engine as plain functions (see [`web`]):
//! `check(caption, options)`, `fix(caption, options)`, `rules()`, `explain(code)`,
//! `fold(caption, platform)` and `load_packs(packs)`, each taking and returning strings.

#![warn(clippy::print_stdout, clippy::print_stderr)]

use adlint_core::caption::{Caption, Origin};
use adlint_core::contract;
use adlint_core::rules::{self, RuleErrors, RuleSet, RuleSource};
use adlint_core::settings::{self, SettingsError};
use serde::{Deserialize, Serialize};
use thiserror::Error;

#[cfg(target_arch = "wasm32")]
pub mod web;

/// What names a caption's source in answers, as in `adlint serve`: it came in a call.
pub const SOURCE: &str = "request";

/// The longest caption checked, in bytes: the CLI's default `--max-caption-size` (1 MB).
pub const MAX_CAPTION: usize = 1_000_000;

/// The largest rule pack taken, in bytes, as the CLI takes rule files.
pub const MAX_PACK: usize = 4_000_000;

/// Markets: one string (`"uk"`, `"UK, DE"`) or a list.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Markets {
    One(String),
    Many(Vec<String>),
}

/// What is known about a caption's post: the keys of `POST /v1/check` and `POST /v1/fix`
/// besides the caption. Unknown keys are mistakes.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Options {
    pub id: Option<String>,
    pub platform: Option<String>,
    pub sponsored: Option<bool>,
    pub brands: Option<Vec<String>>,
    pub market: Option<Markets>,
    pub paid_partnership_label: Option<bool>,
    /// `fix` only: also apply unsafe fixes (inserting a disclosure asserts a brand
    /// relationship). `check` ignores it.
    #[serde(default)]
    pub unsafe_fixes: bool,
}

impl Options {
    /// Options from their JSON text; empty text or `null` means none.
    pub fn parse(json: &str) -> Result<Options, Error> {
        let json = json.trim();
        if json.is_empty() || json == "null" {
            return Ok(Options::default());
        }
        serde_json::from_str(json).map_err(|e| Error::Json {
            what: "the options",
            message: e.to_string(),
            line: e.line(),
            column: e.column(),
        })
    }
}

/// One rule pack from the page: a file name and its TOML text.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pack {
    pub name: String,
    pub text: String,
}

/// One mistake in a rule pack, with where it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PackMistake {
    /// The pack's file name.
    pub file: String,
    /// 1-based line and column (in characters) of the mistake, when it has a place.
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
    /// What the place is (`here`, `unknown term list`).
    pub label: String,
    pub help: Option<String>,
}

/// Why a call could not be answered.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Error {
    #[error("{what} are not valid JSON for adlint: {message}")]
    Json {
        what: &'static str,
        message: String,
        line: usize,
        column: usize,
    },
    #[error("unknown platform `{value}`")]
    UnknownPlatform { value: String, help: String },
    #[error("unknown jurisdiction `{value}`")]
    UnknownMarket { value: String, help: String },
    #[error("unknown rule `{0}`: rules() lists every rule")]
    UnknownRule(String),
    #[error("the caption is {0} bytes, over the {MAX_CAPTION}-byte limit for one caption")]
    CaptionTooLarge(usize),
    #[error("the rule pack `{0}` is {1} bytes, over the {MAX_PACK}-byte limit")]
    PackTooLarge(String, usize),
    /// Any other mistake in the options, as the settings layer words it.
    #[error("{0}")]
    Settings(String),
    #[error("the rule packs have {} mistake{}", .0.len(), if .0.len() == 1 { "" } else { "s" })]
    Packs(Vec<PackMistake>),
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    error: ErrorJson<'a>,
}

/// The API's error shape: `status` and `message`, and where the mistake is when known.
#[derive(Serialize)]
struct ErrorJson<'a> {
    status: u16,
    message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    column: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    errors: Option<&'a [PackMistake]>,
}

impl From<SettingsError> for Error {
    fn from(e: SettingsError) -> Self {
        match e {
            SettingsError::UnknownPlatform(value, help) => Error::UnknownPlatform { value, help },
            SettingsError::UnknownJurisdiction(value, help) => Error::UnknownMarket { value, help },
            other => Error::Settings(other.to_string()),
        }
    }
}

impl Error {
    /// The HTTP status `adlint serve` answers the same mistake with.
    pub fn status(&self) -> u16 {
        match self {
            Error::UnknownRule(_) => 404,
            Error::CaptionTooLarge(_) | Error::PackTooLarge(..) => 413,
            _ => 400,
        }
    }

    /// `{"error": {"status", "message", "path"?, "help"?, "line"?, "column"?, "errors"?}}`.
    pub fn to_json(&self) -> String {
        let mut error = ErrorJson {
            status: self.status(),
            message: self.to_string(),
            path: None,
            help: None,
            line: None,
            column: None,
            errors: None,
        };
        match self {
            Error::Json { line, column, .. } => {
                error.line = Some(*line);
                error.column = Some(*column);
            }
            Error::UnknownPlatform { help, .. } => {
                error.path = Some("platform");
                error.help = Some(help);
            }
            Error::UnknownMarket { help, .. } => {
                error.path = Some("market");
                error.help = Some(help);
            }
            Error::Packs(mistakes) => error.errors = Some(mistakes),
            _ => {}
        }
        serde_json::to_string(&ErrorBody { error }).unwrap_or_default()
    }
}

/// The answer to a call: the JSON document, or the error's.
pub fn answer(result: Result<String, Error>) -> String {
    result.unwrap_or_else(|e| e.to_json())
}

/// The engine with its rule set: the built-in packs, and any packs the user loaded.
#[derive(Debug, Clone)]
pub struct Engine {
    rules: RuleSet,
}

impl Engine {
    /// The built-in packs.
    pub fn builtin() -> Result<Engine, Error> {
        Engine::with_packs(&[])
    }

    /// The built-in packs and the user's, loaded as `adlint --rules` loads rule files (after the
    /// built-in ones; a pack with a built-in pack's name replaces it). Every mistake is listed
    /// with its file, line and column.
    pub fn with_packs(packs: &[Pack]) -> Result<Engine, Error> {
        if let Some(big) = packs.iter().find(|p| p.text.len() > MAX_PACK) {
            return Err(Error::PackTooLarge(big.name.clone(), big.text.len()));
        }
        let mut sources = rules::builtin::sources();
        sources.extend(packs.iter().map(|p| RuleSource::new(&p.name, &p.text)));
        let rules = rules::load(&sources).map_err(|e| Error::Packs(mistakes(&e)))?;
        Ok(Engine { rules })
    }

    /// [`Engine::with_packs`] from the JSON list `[{"name", "text"}]`.
    pub fn with_packs_json(packs: &str) -> Result<Engine, Error> {
        let packs: Vec<Pack> = serde_json::from_str(packs).map_err(|e| Error::Json {
            what: "the packs",
            message: e.to_string(),
            line: e.line(),
            column: e.column(),
        })?;
        Engine::with_packs(&packs)
    }

    pub fn rule_set(&self) -> &RuleSet {
        &self.rules
    }

    /// The caption as the engine takes it, with the options' context.
    pub fn caption(&self, text: &str, options: &Options) -> Result<Caption, Error> {
        let platform = match options.platform.as_deref().map(str::trim) {
            Some(p) if !p.is_empty() => Some(self.platform(p)?),
            _ => None,
        };
        let markets = match &options.market {
            None => Vec::new(),
            Some(Markets::One(m)) => self.markets(std::slice::from_ref(m))?,
            Some(Markets::Many(m)) => self.markets(m)?,
        };
        let mut origin = Origin::file(SOURCE);
        origin.record = options.id.clone();
        Ok(Caption {
            text: text.to_string(),
            origin,
            platform,
            sponsored: options.sponsored,
            brands: options.brands.clone().unwrap_or_default(),
            creator: None,
            markets,
            paid_partnership_label: options.paid_partnership_label,
            fetched: None,
            url: None,
        })
    }

    /// The name of the platform a name or alias names, as the CLI and the server read it.
    fn platform(&self, value: &str) -> Result<String, Error> {
        settings::platform_name(value, &self.rules).map_err(Error::from)
    }

    /// Market codes from what the user wrote (`uk`, `GB, de-DE`, `all`), each once, as the CLI
    /// and the server read them.
    fn markets(&self, values: &[String]) -> Result<Vec<String>, Error> {
        Ok(settings::markets(values, &self.rules)?.unwrap_or_default())
    }

    /// Check one caption: the `adlint check --format json` document.
    pub fn check(&self, text: &str, options: &str) -> Result<String, Error> {
        let options = Options::parse(options)?;
        let caption = self.caption(text, &options)?;
        Ok(self.check_captions(std::slice::from_ref(&caption)))
    }

    /// Check captions: one `--format json` document for them all. A caption over
    /// [`MAX_CAPTION`] is an input error in the document, as in the CLI.
    pub fn check_captions(&self, captions: &[Caption]) -> String {
        let found: Vec<Option<_>> = captions
            .iter()
            .map(|c| {
                (c.text.len() <= MAX_CAPTION)
                    .then(|| adlint_core::engine::check_outcome(c, &self.rules))
            })
            .collect();
        let mut doc = contract::Document::new(&self.rules);
        for (caption, diagnostics) in captions.iter().zip(&found) {
            match diagnostics {
                Some(outcome) => doc.result(caption, outcome),
                None => doc.error(
                    &caption.origin,
                    Error::CaptionTooLarge(caption.text.len()).to_string(),
                ),
            }
        }
        doc.to_json()
    }

    /// Fix one caption: the fixed text, what was fixed, the edits, a diff and what is left.
    pub fn fix(&self, text: &str, options: &str) -> Result<String, Error> {
        let options = Options::parse(options)?;
        if text.len() > MAX_CAPTION {
            return Err(Error::CaptionTooLarge(text.len()));
        }
        let caption = self.caption(text, &options)?;
        Ok(contract::fix_json(
            &caption,
            &self.rules,
            options.unsafe_fixes,
        ))
    }

    /// The rules of the default markets, every platform with its fold, and the markets.
    pub fn rules(&self) -> String {
        contract::rules_json(&self.rules)
    }

    /// One rule by code or name: its facts and what `adlint explain` says.
    pub fn explain(&self, code: &str) -> Result<String, Error> {
        let rule = self
            .rules
            .rule(code.trim())
            .ok_or_else(|| Error::UnknownRule(code.to_string()))?;
        Ok(contract::rule_json(&self.rules, rule))
    }

    /// Where `platform`'s "… more" cut falls in the caption (the generic fold when the
    /// platform is empty).
    pub fn fold(&self, text: &str, platform: &str) -> Result<String, Error> {
        let platform = match platform.trim() {
            "" => self.rules.generic_platform(),
            p => {
                let name = self.platform(p)?;
                self.rules
                    .platform(&name)
                    .unwrap_or_else(|| self.rules.generic_platform())
            }
        };
        Ok(contract::fold_json(text, platform))
    }
}

/// Each mistake of the rule files with its file, line and column.
fn mistakes(errors: &RuleErrors) -> Vec<PackMistake> {
    errors
        .errors
        .iter()
        .map(|e| {
            let text = e.src.inner().as_str();
            let (line, column) = match e.span {
                Some(span) => {
                    let mut at = span.offset().min(text.len());
                    while !text.is_char_boundary(at) {
                        at -= 1;
                    }
                    let (line, column) = adlint_core::text::line_col(text, at);
                    (Some(line), Some(column))
                }
                None => (None, None),
            };
            PackMistake {
                file: e.src.name().to_string(),
                line,
                column,
                message: e.message.clone(),
                label: e.label.clone(),
                help: e.help.clone(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests;
