//! Command-line flags (clap derive). Parsed here, validated into settings in `settings.rs`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "adlint",
    version,
    about = "Check sponsored social-media captions for advertising-disclosure problems",
    long_about = "Check sponsored social-media captions for advertising-disclosure problems \
                  (US FTC Endorsement Guides first). Not legal advice.",
    propagate_version = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check captions: text or Markdown files (one caption each), JSONL exports, folders, or `-` for stdin
    Check(CheckArgs),
    /// List every loaded rule
    Rules(RulesArgs),
    /// Explain a rule: what it checks, why, its source and examples
    Explain(ExplainArgs),
}

/// Where rules come from (shared by every subcommand).
#[derive(Debug, Args, Clone, Default)]
pub struct RuleArgs {
    /// Add a rule file or a folder of rule files (repeatable); a pack with a built-in's name replaces it
    #[arg(long = "rules", value_name = "PATH")]
    pub rules: Vec<PathBuf>,
    /// Do not load the built-in packs
    #[arg(long)]
    pub no_builtin: bool,
    /// Use this config file instead of looking for adlint.toml in this folder and its parents
    #[arg(long, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Ignore any adlint.toml
    #[arg(long, conflicts_with = "config")]
    pub no_config: bool,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files, folders or `-` for stdin (the default when stdin is not a terminal)
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<String>,
    /// Platform whose fold applies when a record does not say (instagram, tiktok, youtube, facebook, linkedin, pinterest, x, threads, generic)
    #[arg(long, value_name = "NAME")]
    pub platform: Option<String>,
    /// Declare the captions sponsored (records that say otherwise keep their own value)
    #[arg(long, conflicts_with = "not_sponsored")]
    pub sponsored: bool,
    /// Declare the captions not sponsored: silences endorsement hints, never strong signals
    #[arg(long)]
    pub not_sponsored: bool,
    /// A brand the creator works with (repeatable)
    #[arg(long = "brand", value_name = "NAME")]
    pub brands: Vec<String>,
    /// Only these rules: codes, names, code prefixes or pack names (comma-separated or repeated)
    #[arg(long, value_name = "CODE", value_delimiter = ',')]
    pub select: Vec<String>,
    /// Skip these rules: codes, names, code prefixes or pack names (comma-separated or repeated)
    #[arg(long, value_name = "CODE", value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Exit 1 when a finding at or above this severity is found [default: error]
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub fail_on: Option<FailOn>,
    #[command(flatten)]
    pub color: ColorArgs,
    #[command(flatten)]
    pub rule_args: RuleArgs,
}

#[derive(Debug, Args, Clone, Copy)]
pub struct ColorArgs {
    /// When to use colours (NO_COLOR is honoured with auto)
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t = ListFormat::Human)]
    pub format: ListFormat,
    #[command(flatten)]
    pub rule_args: RuleArgs,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A rule code (FTC003) or name (disclosure-below-fold)
    pub rule: String,
    #[command(flatten)]
    pub rule_args: RuleArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Diagnostics for people, with the caption and labels
    Human,
    /// One JSON document with results, errors and a summary
    Json,
    /// One JSON result per line, in input order, as soon as it is ready
    Jsonl,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Human,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FailOn {
    Error,
    Warning,
    Advice,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}
