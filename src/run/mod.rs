//! One run of the command line: flags and config merged into settings, rules loaded, inputs
//! checked and rendered, and the outcome as an exit code. The binary only calls [`main`].

use std::ffi::OsString;
use std::io::{self, IsTerminal, Write};
use std::path::Path;
use std::sync::mpsc;

use clap::Parser;
use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme};
use thiserror::Error;

mod eval;
mod fix;
mod pipeline;
mod profile;
mod serve;
mod test;

use pipeline::{BATCH, Gate, Pipeline, fails};

use crate::cli::{
    CheckArgs, Cli, ColorChoice, Command, ContextArgs, ExportArgs, FailOn, Format, ListFormat,
    RuleArgs,
};
use crate::fetch::{self, ordered::Ordered};
use crate::input::{self, Defaults, Event, FieldNames, ReadOptions};
use crate::report::audit::{AuditFormat, AuditReporter};
use crate::report::csv::CsvReporter;
use crate::report::github::GithubReporter;
use crate::report::human::HumanReporter;
use crate::report::json::{JsonReporter, JsonlReporter};
use crate::report::junit::JunitReporter;
use crate::report::sarif::SarifReporter;
use crate::report::{self, Reporter, Summary};
use crate::rules::{self, RuleSet};
pub(crate) use crate::settings::rule_files;
use crate::settings::{self, Argument, ConfigSource, Overrides, Settings, SettingsError, Sources};
use crate::suppress::{Baseline, Ignores};
use crate::terminal::SafeWriter;

/// Exit codes: the contract CI jobs rely on.
pub mod exit {
    /// No finding at or above the fail threshold.
    pub const CLEAN: u8 = 0;
    /// Findings at or above the fail threshold.
    pub const FINDINGS: u8 = 1;
    /// Something could not be linted: a bad flag, config, rule file or input.
    pub const TROUBLE: u8 = 2;
}

/// A mistake in how adlint was asked to run.
#[derive(Debug, Error, Diagnostic)]
pub enum UsageError {
    #[error("unknown rule `{0}`")]
    #[diagnostic(code(adlint::usage), help("`adlint rules` lists every rule"))]
    UnknownRule(String),
    #[error("`--delimiter` takes one ASCII character (or `tab`), not `{0}`")]
    #[diagnostic(code(adlint::usage))]
    BadDelimiter(String),
    #[error("unknown encoding `{0}`")]
    #[diagnostic(
        code(adlint::usage),
        help(
            "use a label of the Encoding Standard: utf-8, utf-16le, utf-16be, windows-1252 (cp1252), iso-8859-1 (latin1), iso-8859-15, windows-1250, shift_jis, gb18030, ..."
        )
    )]
    BadEncoding(String),
    #[error("bad glob `{0}`: {1}")]
    #[diagnostic(code(adlint::usage))]
    BadGlob(String, String),
    #[error("the summary is available as human, json or html output")]
    #[diagnostic(
        code(adlint::usage),
        help(
            "use `--format human`, `--format json` or `--format html` with `audit` or `--summary`"
        )
    )]
    SummaryFormat,
    #[error("{0}")]
    #[diagnostic(code(adlint::usage))]
    Suppression(String),
    #[error("`--output` takes exactly one export")]
    #[diagnostic(
        code(adlint::usage),
        help("adlint fix campaign.csv --output fixed.csv")
    )]
    FixOutput,
    #[error("no input: give files, folders or `-` for stdin")]
    #[diagnostic(
        code(adlint::usage),
        help("adlint check draft.txt   or   pbpaste | adlint check -")
    )]
    NoInput,
    #[error("could not use the cache folder {0}: {1}")]
    #[diagnostic(code(adlint::usage))]
    Cache(String, String),
}

/// Parse the process's arguments and run. Output goes to the given writers.
pub fn main(stdout: &mut dyn Write, stderr: &mut dyn Write) -> u8 {
    main_from(std::env::args_os(), stdout, stderr)
}

/// Run with these arguments (the first is the program's name), as [`main`] does with the
/// process's: for hosts that run the command line in-process, such as the Python package.
pub fn main_from(
    args: impl IntoIterator<Item = OsString>,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> u8 {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() {
                exit::TROUBLE
            } else {
                exit::CLEAN
            };
            let _ = e.print();
            return code;
        }
    };
    let color = match &cli.command {
        Command::Check(args) | Command::Audit(args) => {
            use_color(args.color.color, io::stdout().is_terminal())
        }
        Command::Fix(args) => use_color(args.color.color, io::stderr().is_terminal()),
        _ => false,
    };
    // Everything on stderr is for people: control characters from file names, captions and
    // rule packs are shown escaped, and only colour sequences pass, when colour is on.
    let mut stderr = SafeWriter::new(stderr, color);
    let mut ui = Ui {
        stderr: &mut stderr,
        color,
    };
    match cli.command {
        Command::Check(args) => check(args, false, stdout, &mut ui),
        Command::Fix(args) => fix::run(args, stdout, &mut ui),
        Command::Audit(args) => check(args, true, stdout, &mut ui),
        Command::Rules(args) => {
            let mut stdout = SafeWriter::new(stdout, false);
            let stdout: &mut dyn Write = if args.format == ListFormat::Human {
                &mut stdout
            } else {
                stdout.get_mut()
            };
            let Some(mut rules) = load_rules(&args.rule_args, &mut ui) else {
                return exit::TROUBLE;
            };
            // List what a check with these markets could run.
            let mut active = vec![false; rules.packs.len()];
            for i in rules.packs_for(&rules.markets) {
                active[i] = true;
            }
            rules.retain(|r| active[r.pack]);
            let written = match args.format {
                ListFormat::Human => report::rules::list(stdout, &rules),
                ListFormat::Json => report::rules::list_json(stdout, &rules),
            };
            io_outcome(written, exit::CLEAN)
        }
        Command::Explain(args) => {
            let mut stdout = SafeWriter::new(stdout, false);
            let Some(rules) = load_rules(&args.rule_args, &mut ui) else {
                return exit::TROUBLE;
            };
            match rules.rule(&args.rule) {
                Some(rule) => io_outcome(
                    report::rules::explain(&mut stdout, &rules, rule),
                    exit::CLEAN,
                ),
                None => ui.fail(&UsageError::UnknownRule(args.rule)),
            }
        }
        Command::Test(args) => test::run(&args, stdout, &mut ui),
        Command::Eval(args) => eval::run(&args, stdout, &mut ui),
        Command::Serve(args) => serve::run(&args, &mut ui),
    }
}

/// Writes adlint's own errors to stderr.
struct Ui<'a> {
    stderr: &'a mut dyn Write,
    color: bool,
}

impl Ui<'_> {
    fn error(&mut self, e: &dyn Diagnostic) {
        let theme = if self.color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        let mut s = String::new();
        let handler = GraphicalReportHandler::new_themed(theme)
            .with_width(width())
            .with_links(false);
        if handler.render_report(&mut s, e).is_ok() {
            let _ = self.stderr.write_all(s.as_bytes());
        }
    }

    fn fail(&mut self, e: &dyn Diagnostic) -> u8 {
        self.error(e);
        exit::TROUBLE
    }
}

fn use_color(choice: ColorChoice, terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    }
}

fn width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .filter(|w| *w >= 40)
        .unwrap_or(100)
}

/// A closed pipe (`| head`) ends the run quietly and successfully.
fn io_outcome(result: io::Result<()>, code: u8) -> u8 {
    match result {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => exit::TROUBLE,
        _ => code,
    }
}

/// Where the rule flags say the config and rules come from.
fn sources(args: &RuleArgs) -> Sources {
    let config = if args.no_config {
        ConfigSource::None
    } else if let Some(p) = &args.config {
        ConfigSource::File(p.clone())
    } else {
        std::env::current_dir().map_or(ConfigSource::None, ConfigSource::Discover)
    };
    Sources {
        config,
        rules: args.rules.clone(),
        no_builtin: args.no_builtin,
    }
}

/// What a command's flags say on top of the config: the markets, the context flags, the fail
/// threshold and the caption limit.
fn overrides(
    rule_args: &RuleArgs,
    context: &ContextArgs,
    fail_on: Option<FailOn>,
    max_caption_size: Option<usize>,
) -> Overrides {
    Overrides {
        markets: rule_args.jurisdiction.clone(),
        platform: context.platform.clone(),
        sponsored: match (context.sponsored, context.not_sponsored) {
            (true, _) => Some(true),
            (_, true) => Some(false),
            _ => None,
        },
        brands: context.brands.clone(),
        select: context.select.clone(),
        ignore: context.ignore.clone(),
        severities: context
            .severities
            .iter()
            .map(|v| Argument::new("--severity", v))
            .collect(),
        fail_on,
        max_caption_size,
    }
}

/// The settings the sources and overrides give, with any notes said on stderr. `None` means
/// exit 2 (every problem was reported).
fn resolve(sources: &Sources, overrides: &Overrides, ui: &mut Ui<'_>) -> Option<Settings> {
    match settings::resolve(sources, overrides) {
        Ok(settings) => {
            for note in &settings.notes {
                let _ = writeln!(ui.stderr, "adlint: note: {note}");
            }
            Some(settings)
        }
        Err(errors) => {
            report_settings(ui, &errors);
            None
        }
    }
}

/// Report mistakes in settings: rule files' mistakes with their count.
fn report_settings(ui: &mut Ui<'_>, errors: &[SettingsError]) {
    for e in errors {
        match e {
            SettingsError::Rules(errors) => print_rule_errors(ui, errors),
            e => ui.error(e),
        }
    }
}

/// Load config and rules, and choose the markets, reporting every problem. `None` means exit 2.
fn load_rules(args: &RuleArgs, ui: &mut Ui<'_>) -> Option<RuleSet> {
    let sources = sources(args);
    let loaded = match settings::load_config(&sources.config) {
        Ok(loaded) => loaded,
        Err(e) => {
            ui.error(&e);
            return None;
        }
    };
    let mut set = match settings::load_rules(&sources, &loaded) {
        Ok(set) => set,
        Err(errors) => {
            report_settings(ui, &errors);
            return None;
        }
    };
    match settings::choose_markets(&mut set, &loaded.file, &args.jurisdiction) {
        Ok(()) => Some(set),
        Err(e) => {
            ui.error(&e);
            None
        }
    }
}

/// Every mistake in the rule files, then their count.
fn print_rule_errors(ui: &mut Ui<'_>, errors: &rules::RuleErrors) {
    for e in &errors.errors {
        ui.error(e);
    }
    let n = errors.errors.len();
    let _ = writeln!(
        ui.stderr,
        "{n} mistake{} in rule files; nothing was checked",
        if n == 1 { "" } else { "s" }
    );
}

/// What every checking command needs: the settings the config and flags give (rules, defaults,
/// the fail threshold), and how to read inputs. `None` means exit 2 (the problem was reported).
fn prepare(
    context: &ContextArgs,
    export: &ExportArgs,
    rule_args: &RuleArgs,
    fail_on: Option<FailOn>,
    ui: &mut Ui<'_>,
) -> Option<(Settings, ReadOptions)> {
    let overrides = overrides(rule_args, context, fail_on, export.max_caption_size);
    let settings = resolve(&sources(rule_args), &overrides, ui)?;
    match read_options(export, &settings) {
        Ok(options) => Some((settings, options)),
        Err(e) => {
            ui.error(&e);
            None
        }
    }
}

/// The inputs, or stdin when none are given and stdin is not a terminal.
fn inputs_or_stdin(inputs: &[OsString], ui: &mut Ui<'_>) -> Option<Vec<OsString>> {
    if !inputs.is_empty() {
        return Some(inputs.to_vec());
    }
    if io::stdin().is_terminal() {
        ui.error(&UsageError::NoInput);
        return None;
    }
    Some(vec!["-".into()])
}

fn check(args: CheckArgs, audit: bool, stdout: &mut dyn Write, ui: &mut Ui<'_>) -> u8 {
    // Human output shows control characters escaped; machine formats keep the text.
    let human = format(&args, audit || args.summary) == Format::Human;
    let mut safe = SafeWriter::new(stdout, ui.color);
    let stdout: &mut dyn Write = if human { &mut safe } else { safe.get_mut() };
    let Some((settings, options)) = prepare(
        &args.context,
        &args.export,
        &args.rule_args,
        args.fail_on,
        ui,
    ) else {
        return exit::TROUBLE;
    };
    let rules = &settings.rules;
    // A baseline kept beside the captions is adlint's own file, not an export to check.
    let mut options = options;
    options.skip = [&args.baseline, &args.write_baseline]
        .into_iter()
        .flatten()
        .filter_map(|p| std::fs::canonicalize(p).ok())
        .collect();
    options.fetch = args.fetch.fetch;
    options.fields.url = args.fetch.url_field.clone();
    // A URL list stands in for the inputs: stdin is read only when nothing at all is given.
    let inputs = if args.fetch.urls_from.is_empty() {
        match inputs_or_stdin(&args.inputs, ui) {
            Some(inputs) => inputs,
            None => return exit::TROUBLE,
        }
    } else {
        args.inputs.clone()
    };
    let jobs = capped_jobs(args.export.jobs, ui);
    let fetcher = match fetcher(&args, jobs, rules) {
        Ok(f) => f,
        Err(e) => return ui.fail(&e),
    };
    let reporter = match reporter(&args, audit, ui.color, rules) {
        Ok(r) => r,
        Err(e) => return ui.fail(&e),
    };
    let pool = match rayon::ThreadPoolBuilder::new()
        .num_threads(jobs.unwrap_or(0))
        .build()
    {
        Ok(pool) => std::sync::Arc::new(pool),
        Err(e) => {
            let _ = writeln!(ui.stderr, "adlint: could not start checking threads: {e}");
            return exit::TROUBLE;
        }
    };
    let show_progress =
        !args.export.no_progress && io::stderr().is_terminal() && !io::stdout().is_terminal();
    let ignores = match Ignores::new(&settings.ignored_findings) {
        Ok(i) => i,
        Err(message) => return ui.fail(&UsageError::Suppression(message)),
    };
    let baseline = match &args.baseline {
        Some(path) => match Baseline::load(path) {
            Ok(b) => Some(b),
            Err(message) => return ui.fail(&UsageError::Suppression(message)),
        },
        None => None,
    };
    // JSONL records are parsed on the checking threads, unless posts are fetched: a record to
    // fetch goes to the fetcher in input order, before checking.
    let mut options = options;
    options.defer_lines = !options.fetch && args.fetch.urls_from.is_empty();
    let options = options;
    let renderer = reporter.renderer().map(std::sync::Arc::from);
    let mut run = Pipeline {
        rules,
        pool,
        reporter,
        out: stdout,
        ui,
        verbose: args.export.verbose,
        summary: Summary::default(),
        gate: Gate {
            fail_on: settings.fail_on,
            max_warnings: args.max_warnings,
            exit_zero: args.exit_zero,
            failing: false,
            warnings: 0,
        },
        ignores,
        config_name: settings.config_name.clone(),
        baseline,
        new_baseline: args.write_baseline.clone().map(|path| (path, Vec::new())),
        io_error: None,
        batch: Vec::with_capacity(BATCH),
        weight: 0,
        checked: None,
        options: &options,
        renderer,
        said: std::collections::HashSet::new(),
        started: std::time::Instant::now(),
        progress: show_progress.then(progress_bar),
        fetcher,
        max_caption: options.caption_limit(),
        skipped: 0,
        skip_reasons: std::collections::BTreeMap::new(),
        audit: audit || args.summary || args.format == Some(Format::Html),
        unknown_platforms: std::collections::BTreeMap::new(),
    };
    // Reading (and parsing) runs on its own thread, a few chunks ahead, while this thread checks
    // batches on the pool and writes the results: the two overlap instead of taking turns.
    let (chunks, received) = mpsc::sync_channel::<Vec<Event>>(READ_AHEAD);
    std::thread::scope(|scope| {
        scope.spawn(|| {
            // The thread owns the sender: when it is done, the loop below ends.
            let chunks = chunks;
            let mut chunk = Vec::with_capacity(CHUNK);
            // Records in the chunk, counting each deferred line: on slow input, results come
            // out in steps of about `CHUNK` records.
            let mut weight = 0;
            let mut sink = |event: Event| {
                weight += match &event {
                    Event::Lines(lines) => lines.len(),
                    _ => 1,
                };
                chunk.push(event);
                if weight < CHUNK {
                    return true;
                }
                weight = 0;
                // Waiting for room in the channel is not reading.
                let waiting = std::time::Instant::now();
                // A closed channel means the output was closed: stop reading.
                let sent = chunks.send(std::mem::take(&mut chunk)).is_ok();
                if profile::on() {
                    profile::subtract(profile::Stage::Read, waiting);
                }
                sent
            };
            profile::time(profile::Stage::Read, || {
                if input::read_all(&inputs, &options, &mut sink) {
                    input::read_url_lists(&args.fetch.urls_from, &options, &mut sink);
                }
            });
            let _ = chunks.send(chunk);
        });
        'reading: loop {
            let chunk = match received.recv_timeout(SLOW_INPUT) {
                Ok(chunk) => chunk,
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
                // The input is slow (a pipe, a live stream): report what has come, then wait.
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    if !run.catch_up() {
                        break;
                    }
                    match received.recv() {
                        Ok(chunk) => chunk,
                        Err(_) => break,
                    }
                }
            };
            for event in chunk {
                if !run.push(event) {
                    break 'reading;
                }
            }
        }
        // Hang up, so the reader stops at its next chunk instead of waiting to send it.
        drop(received);
    });
    run.finish()
}

/// Events read ahead are handed over in chunks of this many (counting each line of
/// [`Event::Lines`]), at most `READ_AHEAD` chunks ahead.
const CHUNK: usize = 256;
const READ_AHEAD: usize = 4;

/// How long the reader may keep checked results waiting for the next chunk before they are
/// written anyway.
const SLOW_INPUT: std::time::Duration = std::time::Duration::from_millis(100);

/// Pages fetched at once when `--jobs` does not say: the network waits, the cores do not.
const FETCH_JOBS: usize = 8;

/// `--jobs` within [`crate::limits::max_jobs`]: more threads than a few per core only cost
/// start-up time and memory, so a larger number is lowered, with a note.
fn capped_jobs(jobs: Option<usize>, ui: &mut Ui<'_>) -> Option<usize> {
    let max = crate::limits::max_jobs();
    match jobs {
        Some(n) if n > max => {
            let _ = writeln!(
                ui.stderr,
                "adlint: note: --jobs {n} lowered to {max} ({} per core on this machine)",
                crate::limits::JOBS_PER_CORE
            );
            Some(max)
        }
        other => other,
    }
}

/// The fetching stage, from the fetch flags. Nothing is started until a URL comes.
fn fetcher(args: &CheckArgs, jobs: Option<usize>, rules: &RuleSet) -> Result<Ordered, UsageError> {
    let f = &args.fetch;
    let settings = fetch::Settings {
        timeout: f.timeout,
        max_body: f.max_body as u64,
        retries: f.retries,
        max_wait: fetch::MAX_RETRY_WAIT.min(f.timeout),
        offline: f.offline,
        platform_hosts: rules.platform_hosts(),
        allow_private: f.allow_private_hosts,
    };
    let client = fetch::Client::new(settings, f.cache.as_deref()).map_err(|e| {
        let dir = f.cache.as_deref().unwrap_or(Path::new("")).display();
        UsageError::Cache(dir.to_string(), input::io_reason(&e))
    })?;
    Ok(Ordered::new(
        client,
        jobs.filter(|n| *n > 0).unwrap_or(FETCH_JOBS),
    ))
}

fn progress_bar() -> indicatif::ProgressBar {
    let bar =
        indicatif::ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::stderr());
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{spinner} {human_pos} captions checked ({per_sec}, {elapsed})",
    ) {
        bar.set_style(style);
    }
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    bar
}

/// Build the read options from the export flags and the settings.
fn read_options(export: &ExportArgs, settings: &Settings) -> Result<ReadOptions, UsageError> {
    let defaults = Defaults::from_settings(settings);
    let max_caption = settings.max_caption;
    let e = export;
    let delimiter = match e.delimiter.as_deref() {
        None => None,
        Some("\\t" | "tab" | "\t") => Some(b'\t'),
        Some(d) if d.len() == 1 && d.is_ascii() => Some(d.as_bytes()[0]),
        Some(d) => return Err(UsageError::BadDelimiter(d.to_string())),
    };
    Ok(ReadOptions {
        kind: e.input_format,
        fields: FieldNames {
            caption: e.caption_field.clone(),
            id: e.id_field.clone(),
            platform: e.platform_field.clone(),
            sponsored: e.sponsored_field.clone(),
            brand: e.brand_field.clone(),
            creator: e.creator_field.clone(),
            url: None,
            market: e.market_field.clone(),
            paid_partnership_label: e.paid_partnership_field.clone(),
        },
        delimiter,
        sheet: e.sheet.clone(),
        records: e.records.clone(),
        include: globs(&e.include)?,
        exclude: globs(&e.exclude)?,
        skip: Vec::new(),
        defaults,
        fetch: false,
        max_caption,
        encoding: match e.encoding.as_deref() {
            None => None,
            Some(label) => Some(
                input::decode::for_label(label)
                    .ok_or_else(|| UsageError::BadEncoding(label.to_string()))?,
            ),
        },
        header_row: e.header_row.map(|n| n as usize),
        defer_lines: false,
    })
}

fn globs(patterns: &[String]) -> Result<Option<globset::GlobSet>, UsageError> {
    if patterns.is_empty() {
        return Ok(None);
    }
    let mut set = globset::GlobSetBuilder::new();
    for p in patterns {
        let glob = globset::Glob::new(p)
            .map_err(|e| UsageError::BadGlob(p.clone(), e.kind().to_string()))?;
        set.add(glob);
    }
    set.build()
        .map(Some)
        .map_err(|e| UsageError::BadGlob(patterns.join(", "), e.to_string()))
}

/// The output format: the flag, or GitHub annotations inside GitHub Actions, or human.
/// A summary (`audit`, `--summary`) is for people and stays human by default.
fn format(args: &CheckArgs, audit: bool) -> Format {
    args.format.unwrap_or_else(|| {
        if !audit && std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true") {
            Format::Github
        } else {
            Format::Human
        }
    })
}

/// The job summary file GitHub Actions names in `$GITHUB_STEP_SUMMARY`, opened to append.
fn step_summary_file() -> Option<Box<dyn Write>> {
    let path = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty())?;
    std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(path)
        .ok()
        .map(|f| Box::new(io::BufWriter::new(f)) as Box<dyn Write>)
}

fn reporter(
    args: &CheckArgs,
    audit: bool,
    color: bool,
    rules: &RuleSet,
) -> Result<Box<dyn Reporter>, UsageError> {
    let audit = audit || args.summary;
    Ok(match (format(args, audit), audit) {
        (Format::Html, _) => Box::new(AuditReporter::new(AuditFormat::Html, rules)),
        (Format::Human, true) => Box::new(AuditReporter::new(
            AuditFormat::Human {
                color,
                width: width(),
            },
            rules,
        )),
        (Format::Json, true) => Box::new(AuditReporter::new(AuditFormat::Json, rules)),
        (Format::Jsonl | Format::Csv | Format::Sarif | Format::Github | Format::Junit, true) => {
            return Err(UsageError::SummaryFormat);
        }
        (Format::Sarif, false) => {
            let base = std::env::current_dir().unwrap_or_default();
            Box::new(SarifReporter::new(rules, &base))
        }
        (Format::Github, false) => match step_summary_file() {
            Some(file) => Box::new(GithubReporter::with_step_summary(
                file,
                std::env::var("ADLINT_SARIF").ok().filter(|s| !s.is_empty()),
            )),
            None => Box::new(GithubReporter::new()),
        },
        (Format::Junit, false) => Box::new(JunitReporter::new()),
        (Format::Human, false) => Box::new(HumanReporter::with_quiet(color, width(), args.quiet)),
        (Format::Json, false) => Box::new(JsonReporter::new(rules)),
        (Format::Jsonl, false) => Box::<JsonlReporter>::default(),
        (Format::Csv, false) => Box::new(CsvReporter::new()),
    })
}
