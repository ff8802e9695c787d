//! adlint: a linter for advertising disclosures in sponsored social-media captions.
//!
//! The library is pure: [`engine::check`] takes a [`Caption`] and a [`RuleSet`] and returns
//! diagnostics. Reading inputs ([`input`]), fetching published posts ([`fetch`]), loading rule
//! packs ([`rules`]), configuration ([`config`]) and rendering ([`report`]) are separate
//! modules; only the binary prints.

#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod caption;
pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod engine;
pub mod fetch;
pub mod fingerprint;
pub mod fix;
pub mod input;
pub mod limits;
pub mod market;
pub mod output;
pub mod paths;
pub mod report;
pub mod rules;
pub mod run;
pub mod serve;
pub mod settings;
pub mod suggest;
pub mod suppress;
pub mod terminal;
pub mod text;

pub use caption::{Caption, Origin};
pub use diagnostic::Diagnostic;
pub use rules::{RuleSet, Severity};

/// Load the built-in packs only.
pub fn builtin_rules() -> Result<RuleSet, rules::RuleErrors> {
    rules::load(&rules::builtin::sources())
}
