//! Command-line flags (clap derive). Parsed here; `run` turns them into settings overrides,
//! which the core resolves and validates.

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
    /// Check captions: text or Markdown files (one caption each), exports (CSV, TSV, JSON, JSONL, XLSX), folders, published posts' URLs, or `-` for stdin
    Check(CheckArgs),
    /// Audit exports: a compliance summary per rule, platform and creator (same as `check --summary`)
    Audit(CheckArgs),
    /// Fix captions: print the fixed caption, show a diff, rewrite files, or write a fixed copy of an export
    Fix(FixArgs),
    /// List every loaded rule
    Rules(RulesArgs),
    /// Explain a rule: what it checks, why, its source and examples
    Explain(ExplainArgs),
    /// Run the example captions embedded in rule packs: the built-in ones, or your files and folders
    Test(TestArgs),
    /// Measure the rules against labelled captions (per-rule precision and recall, exact matches) or regulators' verdicts (recall and false flags per jurisdiction)
    Eval(EvalArgs),
    /// Serve the web page and the HTTP API (checking, fixing, rules, a LanguageTool-compatible endpoint) on loopback
    Serve(ServeArgs),
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
    /// Markets whose packs run: us, uk, ca, au, de, fr, eu, a user pack's jurisdiction, or all (comma-separated or repeated) [default: config `markets`, else us]
    #[arg(long, value_name = "MARKET", value_delimiter = ',')]
    pub jurisdiction: Vec<String>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files, folders, URLs of published posts (http:// or https://), or `-` for stdin (the default when stdin is not a terminal)
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<std::ffi::OsString>,
    #[command(flatten)]
    pub context: ContextArgs,
    #[command(flatten)]
    pub fetch: FetchArgs,
    /// Output format [default: human, or github when GITHUB_ACTIONS=true]
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Print a compliance summary (per rule, platform and creator) instead of each finding
    #[arg(long)]
    pub summary: bool,
    #[command(flatten)]
    pub export: ExportArgs,
    /// Exit 1 when a finding at or above this severity is found [default: error]
    #[arg(long, value_name = "LEVEL", value_parser = fail_on_arg())]
    pub fail_on: Option<FailOn>,
    /// Also exit 1 when there are more than N warnings
    #[arg(long, value_name = "N")]
    pub max_warnings: Option<usize>,
    /// Exit 0 even when findings are found (exit 2 for trouble stays)
    #[arg(long)]
    pub exit_zero: bool,
    /// Report and fail only on findings not recorded in this baseline file
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<std::path::PathBuf>,
    /// Record the current findings in this baseline file (then exit 0 unless something could not be linted)
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<std::path::PathBuf>,
    /// Print only captions with findings, input errors and the summary (human output)
    #[arg(long, short)]
    pub quiet: bool,
    #[command(flatten)]
    pub color: ColorArgs,
    #[command(flatten)]
    pub rule_args: RuleArgs,
}

/// What is known about the posts, and which rules run (shared by `check`, `audit` and `fix`).
#[derive(Debug, Args, Clone, Default)]
pub struct ContextArgs {
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
    /// Set rules' severity: a code, name, code prefix or pack name, `=`, and error, warning, advice or off (comma-separated or repeated); wins over the config's [severity]
    #[arg(long = "severity", value_name = "CODE=LEVEL", value_delimiter = ',')]
    pub severities: Vec<String>,
}

/// How exports are read.
#[derive(Debug, Args, Clone, Default)]
pub struct ExportArgs {
    /// Read inputs (and stdin) as this format instead of deciding by extension
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub input_format: Option<crate::input::Kind>,
    /// Column or key holding the caption: a name (matched ignoring case, spaces, `_`, `-` and `.`), a dotted path (`caption.text`) or a JSON pointer (`/caption/text`) [default: caption, text, post text, body, description, message, content, copy, ...; found inside objects one level down]
    #[arg(long, value_name = "NAME")]
    pub caption_field: Option<String>,
    /// Column or key holding the record id (a name, dotted path or JSON pointer) [default: id, post id, post url, url, permalink, link]
    #[arg(long, value_name = "NAME")]
    pub id_field: Option<String>,
    /// Column or key holding the platform (`Instagram Reels`, `IG Story`, `Twitter/X` are understood) [default: platform, network, channel, social network, source]
    #[arg(long, value_name = "NAME")]
    pub platform_field: Option<String>,
    /// Column or key saying whether the post is sponsored (yes/no in English and the packs' languages: ja, oui, sí, nee, ✓, ...; empty for unknown); `''` switches the column off [default: sponsored, is sponsored, paid]
    #[arg(long, value_name = "NAME")]
    pub sponsored_field: Option<String>,
    /// Column or key naming the brand(s), several separated by `;` [default: brand, brands, sponsor, client, advertiser]
    #[arg(long, value_name = "NAME")]
    pub brand_field: Option<String>,
    /// Column or key naming the creator [default: creator, handle, username, account, influencer, author]
    #[arg(long, value_name = "NAME")]
    pub creator_field: Option<String>,
    /// Column or key naming the record's market(s), which select its packs (UK, GB, de-DE, ...) [default: market, markets, country, jurisdiction]
    #[arg(long, value_name = "NAME")]
    pub market_field: Option<String>,
    /// Column or key saying whether the platform's "Paid partnership" label is shown (true/false) [default: paid_partnership_label, paid_partnership]
    #[arg(long, value_name = "NAME")]
    pub paid_partnership_field: Option<String>,
    /// JSON pointer to the array of records in a JSON export (`/data/items`)
    #[arg(long, value_name = "POINTER")]
    pub records: Option<String>,
    /// Spreadsheet sheet to read [default: the first sheet with a caption column]
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// The spreadsheet or CSV row (1-based) holding the column names, below title rows [default: found]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1_048_576))]
    pub header_row: Option<u32>,
    /// CSV field separator, one character (`,`, `;`, `|`, `\t`) [default: sniffed from the header row]
    #[arg(long, value_name = "CHAR")]
    pub delimiter: Option<String>,
    /// Text encoding of the inputs (`utf-8`, `utf-16le`, `windows-1252`, `latin1`, ...) [default: detected per file]
    #[arg(long, value_name = "NAME")]
    pub encoding: Option<String>,
    /// In folders, read only files matching this glob (repeatable; relative to the folder)
    #[arg(long, value_name = "GLOB")]
    pub include: Vec<String>,
    /// In folders, skip files and folders matching this glob (repeatable)
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Say which files in folders were skipped, and why
    #[arg(long, short)]
    pub verbose: bool,
    /// Checking threads, and pages fetched at once [default: all cores; 8 fetches]
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,
    /// Never show a progress bar
    #[arg(long)]
    pub no_progress: bool,
    /// Report captions longer than this as input errors instead of checking them (`500KB`, `2MB`) [default: 1MB]
    #[arg(long, value_name = "SIZE", value_parser = size_arg)]
    pub max_caption_size: Option<usize>,
}

/// A size flag: bytes, or a number with KB, MB (1000s) or KiB, MiB (1024s), as
/// [`crate::config::parse_size`] reads it.
fn size_arg(s: &str) -> Result<usize, String> {
    crate::config::parse_size(s).ok_or_else(|| {
        format!("`{s}` is not a size: use bytes or a number with KB, MB, KiB or MiB (`2MB`)")
    })
}

/// Fetching published posts by URL (`check` and `audit`).
#[derive(Debug, Args, Clone)]
pub struct FetchArgs {
    /// Check the posts listed in this file, one URL a line (`#` comments and blank lines skipped; `-` for stdin; repeatable)
    #[arg(long, value_name = "FILE")]
    pub urls_from: Vec<PathBuf>,
    /// Fetch the caption of export records that have a URL but no caption
    #[arg(long)]
    pub fetch: bool,
    /// Column or key holding a record's post URL (for --fetch, reports and the platform) [default: post url, url, permalink, link, post link]
    #[arg(long, value_name = "NAME")]
    pub url_field: Option<String>,
    /// Give up on a request after this many seconds, from connecting to the last byte
    #[arg(long, value_name = "SECS", default_value = "20", value_parser = parse_seconds)]
    pub timeout: std::time::Duration,
    /// The largest page read: bytes, or with KB, MB (1000s) or KiB, MiB (1024s)
    #[arg(long, value_name = "SIZE", default_value = "5MB", value_parser = size_arg)]
    pub max_body: usize,
    /// Retries after a 429 or 5xx answer, waiting as Retry-After says (at most 30 s or --timeout)
    #[arg(long, value_name = "N", default_value_t = 3)]
    pub retries: u32,
    /// Keep fetched pages in this folder and revalidate them (ETag, Last-Modified) next time
    #[arg(long, value_name = "DIR")]
    pub cache: Option<PathBuf>,
    /// Never use the network: URLs are read from --cache, or are input errors
    #[arg(long)]
    pub offline: bool,
    /// Also fetch from loopback, private and link-local addresses (refused by default, redirects included)
    #[arg(long, env = "ADLINT_ALLOW_PRIVATE_HOSTS", value_parser = clap::builder::BoolishValueParser::new())]
    pub allow_private_hosts: bool,
}

/// Seconds, whole or decimal (`20`, `0.5`), more than zero.
fn parse_seconds(s: &str) -> Result<std::time::Duration, String> {
    let secs: f64 = s
        .trim()
        .parse()
        .map_err(|_| format!("`{s}` is not a number of seconds"))?;
    if !(secs.is_finite() && secs > 0.0 && secs <= 86_400.0) {
        return Err("give a number of seconds between 0 and 86400".into());
    }
    Ok(std::time::Duration::from_secs_f64(secs))
}

#[derive(Debug, Args, Clone, Copy)]
pub struct ColorArgs {
    /// When to use colours (NO_COLOR is honoured with auto)
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

#[derive(Debug, Args)]
pub struct FixArgs {
    /// Text or Markdown files, exports (with --output), or `-` for stdin
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<std::ffi::OsString>,
    /// Print a unified diff instead of the fixed caption
    #[arg(long, conflicts_with = "write")]
    pub diff: bool,
    /// Rewrite the files in place (atomically, keeping owner, mode and links; read-only files need --force)
    #[arg(long)]
    pub write: bool,
    /// With --write or --output: also write files that are read-only
    #[arg(long)]
    pub force: bool,
    /// Also apply unsafe fixes (inserting a disclosure asserts a brand relationship)
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// For an export: write a fixed copy here (same format and extension, only captions changed; `-` for stdout)
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<std::path::PathBuf>,
    /// Exit 1 when findings at or above this severity remain after fixing [default: error]
    #[arg(long, value_name = "LEVEL", value_parser = fail_on_arg())]
    pub fail_on: Option<FailOn>,
    #[command(flatten)]
    pub context: ContextArgs,
    #[command(flatten)]
    pub export: ExportArgs,
    #[command(flatten)]
    pub color: ColorArgs,
    #[command(flatten)]
    pub rule_args: RuleArgs,
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

#[derive(Debug, Args)]
pub struct TestArgs {
    /// Rule files or folders of `.toml` files whose examples to run [default: the built-in packs]
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Also run the built-in packs' examples when paths are given
    #[arg(long)]
    pub builtin: bool,
    /// List every example, not only the failing ones
    #[arg(long, short)]
    pub verbose: bool,
}

#[derive(Debug, Args)]
pub struct EvalArgs {
    /// A JSONL file of labelled captions (id, platform, sponsored, brand, caption, expect: codes, optionally market) or of regulators' verdicts (id, text, platform, sponsored, verdict, reason, jurisdiction); told apart by `verdict`
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Output format
    #[arg(long, value_enum, default_value_t = ListFormat::Human)]
    pub format: ListFormat,
    /// Also list every caption whose codes differ from its labels; for verdicts, every missed violation and every flagged compliant case
    #[arg(long, short)]
    pub verbose: bool,
    /// Labelled files: exit 1 when the share of exactly matching captions is below this (0 to 1)
    #[arg(long, value_name = "SHARE", value_parser = share_arg)]
    pub min_exact: Option<f64>,
    /// Verdict files: check each case in its own market (its jurisdiction's country), or every case in the run's markets (--jurisdiction, config `markets`) [default: own]
    #[arg(long, value_enum, value_name = "WHICH")]
    pub markets: Option<EvalMarkets>,
    /// Verdict files: exit 1 when violation recall with sponsorship not given is below this (0 to 1)
    #[arg(long, value_name = "SHARE", value_parser = share_arg)]
    pub min_undeclared: Option<f64>,
    /// Verdict files: exit 1 when violation recall with every case declared sponsored is below this (0 to 1)
    #[arg(long, value_name = "SHARE", value_parser = share_arg)]
    pub min_declared: Option<f64>,
    /// Verdict files: exit 1 when more than N compliant cases whose reason is `adequate` are flagged with sponsorship not given
    #[arg(long, value_name = "N")]
    pub max_adequate_flagged: Option<usize>,
    #[command(flatten)]
    pub rule_args: RuleArgs,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address and port to listen on; an address other than loopback needs --token [default: 127.0.0.1:7878; port 0 picks a free one]
    #[arg(long, value_name = "ADDR")]
    pub bind: Option<std::net::SocketAddr>,
    /// Bearer token clients must send on /v1 and /v2 (`Authorization: Bearer ...`); required off loopback
    #[arg(
        long,
        env = "ADLINT_TOKEN",
        hide_env_values = true,
        value_name = "TOKEN"
    )]
    pub token: Option<String>,
    /// Access log on stderr, one line per request
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
    /// The largest request body (413 beyond): bytes, or with KB, MB (1000s) or KiB, MiB (1024s)
    #[arg(long, value_name = "SIZE", default_value = "5MB", value_parser = size_arg)]
    pub max_body: usize,
    /// Give up on a request after this many seconds, reading its body included (504)
    #[arg(long, value_name = "SECS", default_value = "10", value_parser = parse_seconds)]
    pub timeout: std::time::Duration,
    /// Requests checked at once; more wait for a turn within their timeout (503 after) [default: 2 per core]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=4096))]
    pub concurrency: Option<u32>,
    /// Close a connection whose request headers take longer than this many seconds to arrive
    #[arg(long, value_name = "SECS", default_value = "15", value_parser = parse_seconds)]
    pub header_timeout: std::time::Duration,
    /// The most captions in one /v1/check batch (413 beyond)
    #[arg(long, value_name = "N", default_value_t = 1000)]
    pub max_batch: usize,
    /// Report captions longer than this as input errors instead of checking them (`500KB`, `2MB`) [default: 1MB]
    #[arg(long, value_name = "SIZE", value_parser = size_arg)]
    pub max_caption_size: Option<usize>,
    #[command(flatten)]
    pub context: ContextArgs,
    #[command(flatten)]
    pub rule_args: RuleArgs,
}

/// How `adlint serve` logs requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// One line per request for people
    Text,
    /// One JSON object per request
    Json,
    /// No access log
    Off,
}

/// Which markets `adlint eval` checks the cases of a verdict file in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EvalMarkets {
    /// Each case in its own market: the country code before the dash of its jurisdiction
    Own,
    /// Every case in the run's markets (--jurisdiction, config `markets`)
    Run,
}

/// A share from 0 to 1 (`0.6`).
fn share_arg(s: &str) -> Result<f64, String> {
    let share: f64 = s
        .trim()
        .parse()
        .map_err(|_| format!("`{s}` is not a number"))?;
    if !(0.0..=1.0).contains(&share) {
        return Err("give a share between 0 and 1 (`0.6`)".into());
    }
    Ok(share)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Diagnostics for people, with the caption and labels
    Human,
    /// One JSON document with results, errors and a summary
    Json,
    /// One JSON result per line, in input order, as soon as it is ready
    Jsonl,
    /// One CSV row per finding, for spreadsheets
    Csv,
    /// A self-contained HTML compliance report (implies --summary)
    Html,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers
    Sarif,
    /// GitHub Actions workflow commands (annotations on the pull request)
    Github,
    /// JUnit XML: one test case per caption, a failure per finding
    Junit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Human,
    Json,
}

pub use crate::settings::FailOn;

/// `--fail-on`: one of [`FailOn::NAMES`], listed in the help as a value enum's are.
fn fail_on_arg() -> impl clap::builder::TypedValueParser<Value = FailOn> {
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new(FailOn::NAMES)
        .try_map(|s| FailOn::parse(&s).ok_or_else(|| format!("unknown level `{s}`")))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_and_seconds() {
        assert_eq!(size_arg("5MB"), Ok(5_000_000));
        assert_eq!(size_arg("64 kib"), Ok(65_536));
        assert_eq!(size_arg("1234"), Ok(1234));
        assert!(size_arg("0").is_err());
        assert!(size_arg("5 parsecs").is_err());
        assert_eq!(
            parse_seconds("0.5"),
            Ok(std::time::Duration::from_millis(500))
        );
        assert!(parse_seconds("0").is_err());
        assert!(parse_seconds("soon").is_err());
        assert_eq!(share_arg("0.6"), Ok(0.6));
        assert_eq!(share_arg("1"), Ok(1.0));
        assert!(share_arg("60").is_err());
        assert!(share_arg("NaN").is_err());
        assert!(share_arg("most").is_err());
    }
}
