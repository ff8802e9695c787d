//! adlint: a linter for advertising disclosures in sponsored social-media captions.
//!
//! The engine is pure and lives in the `adlint-core` crate (re-exported here): [`engine::check`]
//! takes a [`Caption`] and a [`RuleSet`] and returns diagnostics. This crate adds what touches
//! the world: reading inputs ([`input`]), fetching published posts ([`fetch`]), finding and
//! reading the config and rule files ([`config`], [`settings`]; what they say is resolved by the
//! core), rendering ([`report`]), the server ([`serve`]) and the command line ([`run`]); only
//! the binary prints.

#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod cli;
pub mod config;
pub mod examples;
pub mod fetch;
pub mod input;
pub mod limits;
pub mod output;
pub mod paths;
pub mod report;
pub mod run;
pub mod serve;
pub mod settings;
pub mod suppress;
pub mod terminal;

// The engine, rules, findings and fixes are the core crate's; they are re-exported here under
// the paths the rest of adlint (and its users) know.
pub use adlint_core::{
    Caption, Diagnostic, Origin, RuleSet, Severity, builtin_rules, caption, contract, diagnostic,
    engine, failure, fingerprint, fix, language, locale, market, rules, suggest, text,
};
