//! adlint's core: the disclosure rules and the engine that applies them, with no I/O.
//!
//! [`engine::check`] takes a [`Caption`] and a [`RuleSet`] and returns [`Diagnostic`]s; rule packs
//! are loaded from their TOML text ([`rules::load`]), the built-in ones are embedded
//! ([`builtin_rules`]), and [`fix`] applies findings' fixes. A config's text is parsed by
//! [`config`] and resolved with a caller's overrides into [`settings::Settings`]. Nothing here
//! reads files, opens sockets or prints, so the same code runs in the CLI, the server, Python and
//! the browser (`cargo build -p adlint-core --target wasm32-unknown-unknown`).

#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod caption;
pub mod config;
pub mod contract;
pub mod diagnostic;
pub mod engine;
pub mod failure;
pub mod fingerprint;
pub mod fix;
pub mod language;
pub mod locale;
pub mod market;
pub mod rules;
pub mod settings;
pub mod suggest;
pub mod text;

pub use caption::{Caption, Origin};
pub use diagnostic::{Diagnostic, Severity};
pub use rules::RuleSet;

/// Load the built-in packs only.
pub fn builtin_rules() -> Result<RuleSet, rules::RuleErrors> {
    rules::load(&rules::builtin::sources())
}
