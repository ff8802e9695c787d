//! One run of the command line: flags and config merged into settings, rules loaded, inputs
//! checked and rendered, and the outcome as an exit code. The binary only calls [`main`].

use std::ffi::OsString;
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc;

use clap::Parser;
use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme};
use thiserror::Error;

mod eval;
mod fix;
mod test;

use crate::caption::Caption;
use crate::cli::{
    CheckArgs, Cli, ColorChoice, Command, ContextArgs, ExportArgs, FailOn, Format, ListFormat,
    RuleArgs,
};
use crate::config::{self, Loaded};
use crate::diagnostic::Diagnostic as Finding;
use crate::engine;
use crate::fetch::{self, ordered::Ordered};
use crate::input::{self, Defaults, Event, FieldNames, ReadOptions};
use crate::report::audit::{AuditFormat, AuditReporter};
use crate::report::csv::CsvReporter;
use crate::report::github::GithubReporter;
use crate::report::human::HumanReporter;
use crate::report::json::{JsonReporter, JsonlReporter};
use crate::report::junit::JunitReporter;
use crate::report::sarif::SarifReporter;
use crate::report::{self, Checked, Reporter, Summary};
use crate::rules::{self, RuleSet, RuleSource, Severity};
use crate::suppress::{self, Baseline, Ignores};
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
    #[error("unknown rule selector `{0}`")]
    #[diagnostic(code(adlint::usage), help("{1}"))]
    UnknownSelector(String, String),
    #[error("unknown platform `{0}`")]
    #[diagnostic(code(adlint::usage), help("{1}"))]
    UnknownPlatform(String, String),
    #[error("unknown rule `{0}`")]
    #[diagnostic(code(adlint::usage), help("`adlint rules` lists every rule"))]
    UnknownRule(String),
    #[error("could not read rule file {0}: {1}")]
    #[diagnostic(code(adlint::rules))]
    RulePath(String, String),
    #[error("`--delimiter` takes one ASCII character (or `tab`), not `{0}`")]
    #[diagnostic(code(adlint::usage))]
    BadDelimiter(String),
    #[error("`max-caption-size = {0}` in the config is not a size")]
    #[diagnostic(
        code(adlint::usage),
        help("use bytes (1000000) or a string with KB or MB (\"2MB\")")
    )]
    BadSize(String),
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
    #[error("unknown jurisdiction `{0}`")]
    #[diagnostic(code(adlint::usage), help("{1}"))]
    UnknownJurisdiction(String, String),
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
            let Some((mut rules, _)) = load_rules(&args.rule_args, &mut ui) else {
                return exit::TROUBLE;
            };
            // List what a check with these markets could run.
            let active: Vec<bool> = rules
                .packs
                .iter()
                .map(|p| {
                    p.jurisdiction
                        .as_ref()
                        .is_none_or(|j| rules.markets.contains(j))
                })
                .collect();
            rules.retain(|r| active[r.pack]);
            let written = match args.format {
                ListFormat::Human => report::rules::list(stdout, &rules),
                ListFormat::Json => report::rules::list_json(stdout, &rules),
            };
            io_outcome(written, exit::CLEAN)
        }
        Command::Explain(args) => {
            let mut stdout = SafeWriter::new(stdout, false);
            let Some((rules, _)) = load_rules(&args.rule_args, &mut ui) else {
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

fn load_config(args: &RuleArgs, ui: &mut Ui<'_>) -> Option<Loaded> {
    if args.no_config {
        return Some(Loaded::default());
    }
    let path = match &args.config {
        Some(p) => Some(p.clone()),
        None => std::env::current_dir()
            .ok()
            .and_then(|d| config::discover(&d)),
    };
    match path {
        None => Some(Loaded::default()),
        Some(p) => match config::load(&p) {
            Ok(loaded) => Some(loaded),
            Err(e) => {
                ui.error(&e);
                None
            }
        },
    }
}

/// Rule files from a path: the file, or every `.toml` file in the folder.
fn rule_files(path: &Path) -> Result<Vec<RuleSource>, UsageError> {
    let read = |p: &Path| {
        crate::limits::read_text(p, crate::limits::RULE_FILE)
            .map(|text| RuleSource::new(p.display().to_string(), text))
            .map_err(|e| UsageError::RulePath(p.display().to_string(), e.reason("rule files")))
    };
    if !path.is_dir() {
        return read(path).map(|s| vec![s]);
    }
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(path).sort_by_file_name() {
        let entry =
            entry.map_err(|e| UsageError::RulePath(path.display().to_string(), e.to_string()))?;
        let is_toml = entry.path().extension().is_some_and(|x| x == "toml");
        if entry.file_type().is_file() && is_toml {
            out.push(read(entry.path())?);
        }
    }
    Ok(out)
}

/// Load config and rules, reporting every problem. `None` means exit 2.
fn load_rules(args: &RuleArgs, ui: &mut Ui<'_>) -> Option<(RuleSet, Loaded)> {
    let loaded = load_config(args, ui)?;
    let mut sources = Vec::new();
    if !(args.no_builtin || loaded.config.no_builtin) {
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
    let paths: Vec<PathBuf> = loaded
        .config
        .rules
        .iter()
        .map(|p| base.join(p))
        .chain(args.rules.iter().cloned())
        .collect();
    let mut ok = true;
    for path in &paths {
        match rule_files(path) {
            Ok(mut files) => sources.append(&mut files),
            Err(e) => {
                ui.error(&e);
                ok = false;
            }
        }
    }
    if !ok {
        return None;
    }
    match rules::load(&sources) {
        Ok(mut set) => {
            let from_config = args.jurisdiction.is_empty();
            let chosen = if from_config {
                loaded.config.markets.clone().unwrap_or_default()
            } else {
                args.jurisdiction.clone()
            };
            match markets(&chosen, &set) {
                Ok(Some(markets)) => set.markets = markets,
                Ok(None) => {}
                Err(UsageError::UnknownJurisdiction(bad, help)) if from_config => {
                    let value = chosen
                        .iter()
                        .find(|v| v.contains(bad.as_str()))
                        .cloned()
                        .unwrap_or(bad.clone());
                    ui.error(&loaded.error(
                        config::Named::Market(&value),
                        format!("unknown market `{bad}` in `markets`"),
                        Some(help),
                    ));
                    return None;
                }
                Err(e) => {
                    ui.error(&e);
                    return None;
                }
            }
            Some((set, loaded))
        }
        Err(errors) => {
            print_rule_errors(ui, &errors);
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

/// The run's markets from `--jurisdiction` or config `markets`: `None` keeps the default.
/// `all` means every jurisdiction a loaded pack declares.
fn markets(chosen: &[String], rules: &RuleSet) -> Result<Option<Vec<String>>, UsageError> {
    let known = rules.jurisdictions();
    let mut out: Vec<String> = Vec::new();
    for value in chosen.iter().map(|v| v.trim()).filter(|v| !v.is_empty()) {
        let codes = if value.eq_ignore_ascii_case("all") {
            known.clone()
        } else {
            rules
                .market_table
                .parse_list(value)
                .map_err(|bad| {
                    let near = crate::suggest::did_you_mean(&bad, known.iter().map(String::as_str))
                        .map(|n| format!("did you mean `{n}`? "))
                        .unwrap_or_default();
                    UsageError::UnknownJurisdiction(
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
fn selects(selector: &str, rule: &rules::Rule, pack: &str) -> bool {
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
enum SelectorSource {
    CommandLine,
    Config,
}

/// What to say about a selector that names no rule: the nearest code, name or pack, and the
/// forms a selector takes.
fn selector_help(selector: &str, rules: &RuleSet) -> String {
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
/// on the config file where the config names it, as a usage error where a flag does.
fn configure_rules(
    rules: &mut RuleSet,
    select: (&[String], SelectorSource),
    ignore: (&[String], SelectorSource),
    loaded: &Loaded,
) -> Result<(), Vec<Box<dyn Diagnostic>>> {
    let packs: Vec<String> = rules.packs.iter().map(|p| p.name.clone()).collect();
    let severity_keys: Vec<String> = loaded.config.severity.keys().cloned().collect();
    let mut errors: Vec<Box<dyn Diagnostic>> = Vec::new();
    for (list, from, what) in [
        (select.0, select.1, "select"),
        (ignore.0, ignore.1, "ignore"),
        (&severity_keys[..], SelectorSource::Config, "[severity]"),
    ] {
        for s in list {
            if rules.rules.iter().any(|r| selects(s, r, &packs[r.pack])) {
                continue;
            }
            let help = selector_help(s, rules);
            errors.push(match from {
                SelectorSource::CommandLine => {
                    Box::new(UsageError::UnknownSelector(s.clone(), help))
                }
                SelectorSource::Config => Box::new(loaded.error(
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
    for (selector, level) in &loaded.config.severity {
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

/// How many captions are read before they are checked together in parallel. Output keeps input
/// order; memory stays bounded by one batch whatever the input's size.
const BATCH: usize = 512;

/// What every checking command needs: rules configured by config and flags, the loaded
/// config, and how to read inputs. `None` means exit 2 (the problem was reported).
fn prepare(
    context: &ContextArgs,
    export: &ExportArgs,
    rule_args: &RuleArgs,
    ui: &mut Ui<'_>,
) -> Option<(RuleSet, Loaded, ReadOptions)> {
    let (mut rules, loaded) = load_rules(rule_args, ui)?;
    let cfg = &loaded.config;
    let select = if context.select.is_empty() {
        (&cfg.select[..], SelectorSource::Config)
    } else {
        (&context.select[..], SelectorSource::CommandLine)
    };
    let config_ignore = cfg.ignored_rules();
    let ignore = if context.ignore.is_empty() {
        (&config_ignore[..], SelectorSource::Config)
    } else {
        (&context.ignore[..], SelectorSource::CommandLine)
    };
    if let Err(errors) = configure_rules(&mut rules, select, ignore, &loaded) {
        for e in &errors {
            ui.error(e.as_ref());
        }
        return None;
    }
    let select = select.0;
    for note in off_market_notes(&rules, select) {
        let _ = writeln!(ui.stderr, "adlint: note: {note}");
    }
    rules.fix_label = cfg.fix_label.clone();
    match read_options(context, export, cfg, &rules) {
        Ok(options) => Some((rules, loaded, options)),
        // A platform the config names is shown on the config file.
        Err(UsageError::UnknownPlatform(p, help)) if context.platform.is_none() => {
            ui.error(&loaded.error(
                config::Named::Platform,
                format!("unknown platform `{p}`"),
                Some(help),
            ));
            None
        }
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
    let Some((rules, loaded, options)) = prepare(&args.context, &args.export, &args.rule_args, ui)
    else {
        return exit::TROUBLE;
    };
    let cfg = &loaded.config;
    let fail_on = args.fail_on.or(cfg.fail_on).unwrap_or(FailOn::Error);
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
    let fetcher = match fetcher(&args, jobs, &rules) {
        Ok(f) => f,
        Err(e) => return ui.fail(&e),
    };
    let reporter = match reporter(&args, audit, ui.color, &rules) {
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
    let ignores = match Ignores::new(&cfg.ignored_findings()) {
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
    let mut run = Pipeline {
        rules: &rules,
        pool,
        reporter,
        out: stdout,
        ui,
        verbose: args.export.verbose,
        summary: Summary::default(),
        gate: Gate {
            fail_on,
            max_warnings: args.max_warnings,
            exit_zero: args.exit_zero,
            failing: false,
            warnings: 0,
        },
        ignores,
        config_name: loaded.path.as_ref().map_or_else(
            || config::FILE_NAME.to_string(),
            |p| p.display().to_string(),
        ),
        baseline,
        new_baseline: args.write_baseline.clone().map(|path| (path, Vec::new())),
        io_error: None,
        batch: Vec::with_capacity(BATCH),
        checked: None,
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
            let mut sink = |event| {
                chunk.push(event);
                // A closed channel means the output was closed: stop reading.
                chunk.len() < CHUNK || chunks.send(std::mem::take(&mut chunk)).is_ok()
            };
            if input::read_all(&inputs, &options, &mut sink) {
                input::read_url_lists(&args.fetch.urls_from, &options, &mut sink);
            }
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

/// Events read ahead are handed over in chunks of this many, at most `READ_AHEAD` chunks ahead.
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

/// Build the read options from flags and config.
fn read_options(
    context: &ContextArgs,
    export: &ExportArgs,
    cfg: &config::Config,
    rules: &RuleSet,
) -> Result<ReadOptions, UsageError> {
    let mut platform = context.platform.clone().or_else(|| cfg.platform.clone());
    let platforms: Vec<(String, String)> = rules
        .platforms
        .iter()
        .flat_map(|p| {
            std::iter::once(p.name.clone())
                .chain(p.aliases.iter().cloned())
                .map(|alias| (alias, p.name.clone()))
        })
        .collect();
    // `--platform "Instagram Reels"` is read as exports' platform columns are.
    if let Some(p) = &platform
        && rules.platform(p).is_none()
    {
        let probe = Defaults {
            platforms: platforms.clone(),
            ..Defaults::default()
        };
        if let Some(name) = probe.platform_name(p) {
            platform = Some(name.to_string());
        }
    }
    if let Some(p) = &platform
        && rules.platform(p).is_none()
    {
        let known: Vec<&str> = rules.platforms.iter().map(|p| p.name.as_str()).collect();
        let near = crate::suggest::did_you_mean(
            p,
            rules
                .platforms
                .iter()
                .flat_map(|k| std::iter::once(&k.name).chain(&k.aliases))
                .map(String::as_str),
        )
        .map(|n| format!("did you mean `{n}`? "))
        .unwrap_or_default();
        return Err(UsageError::UnknownPlatform(
            p.clone(),
            format!("{near}known platforms: {}", known.join(", ")),
        ));
    }
    let mut brands = context.brands.clone();
    brands.extend(cfg.brands.iter().cloned());
    let defaults = Defaults {
        platform,
        sponsored: match (context.sponsored, context.not_sponsored) {
            (true, _) => Some(true),
            (_, true) => Some(false),
            _ => cfg.sponsored,
        },
        brands,
        markets: rules.market_table.clone(),
        platforms,
        platform_hosts: rules.platform_hosts(),
    };
    let e = export;
    let delimiter = match e.delimiter.as_deref() {
        None => None,
        Some("\\t" | "tab" | "\t") => Some(b'\t'),
        Some(d) if d.len() == 1 && d.is_ascii() => Some(d.as_bytes()[0]),
        Some(d) => return Err(UsageError::BadDelimiter(d.to_string())),
    };
    let max_caption = match (e.max_caption_size, &cfg.max_caption_size) {
        (Some(n), _) => Some(n),
        (None, Some(size)) => Some(
            size.bytes()
                .ok_or_else(|| UsageError::BadSize(size.to_string()))?,
        ),
        (None, None) => None,
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

/// Reading, parallel checking in ordered batches, and reporting.
struct Pipeline<'a, 'u> {
    rules: &'a RuleSet,
    /// Shared so that a batch can be checked on it while this `Pipeline` writes the last one.
    pool: std::sync::Arc<rayon::ThreadPool>,
    reporter: Box<dyn Reporter>,
    out: &'a mut dyn Write,
    ui: &'a mut Ui<'u>,
    verbose: bool,
    summary: Summary,
    gate: Gate,
    ignores: Ignores,
    /// The config file the ignores came from, for messages.
    config_name: String,
    baseline: Option<Baseline>,
    /// `--write-baseline`: where to write, and the findings seen so far.
    new_baseline: Option<(PathBuf, Vec<suppress::Entry>)>,
    io_error: Option<io::Error>,
    batch: Vec<Event>,
    /// The last batch checked, with its findings, until it is written.
    checked: Option<(Vec<Event>, BatchFindings)>,
    progress: Option<indicatif::ProgressBar>,
    /// Fetches posts named by URL and hands every event on in input order.
    fetcher: Ordered,
    /// Captions longer than this are input errors, not checked.
    max_caption: usize,
    /// Files passed over in folders, and how many for each reason.
    skipped: usize,
    skip_reasons: std::collections::BTreeMap<String, usize>,
    /// A summary is being written (`audit`, `--summary`, HTML): baselined findings stay in it.
    audit: bool,
    /// Platform values no loaded platform fits, with how many records named each.
    unknown_platforms: std::collections::BTreeMap<String, usize>,
}

/// The findings of a batch, per event (`None` for events that are not captions).
type BatchFindings = Vec<Option<Vec<Finding>>>;

/// When reported findings fail the run.
struct Gate {
    fail_on: FailOn,
    max_warnings: Option<usize>,
    exit_zero: bool,
    failing: bool,
    warnings: usize,
}

impl Gate {
    fn add(&mut self, diagnostics: &[Finding]) {
        self.failing |= diagnostics.iter().any(|d| fails(d.severity, self.fail_on));
        self.warnings += diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .count();
    }

    fn fails(&self) -> bool {
        let too_many_warnings = self.max_warnings.is_some_and(|max| self.warnings > max);
        !self.exit_zero && (self.failing || too_many_warnings)
    }
}

impl Pipeline<'_, '_> {
    /// Take one event from the readers; `false` stops reading.
    fn push(&mut self, event: Event) -> bool {
        match &event {
            Event::Skipped { path, reason } => {
                self.skipped += 1;
                *self.skip_reasons.entry(reason.clone()).or_default() += 1;
                if self.verbose {
                    let _ = writeln!(self.ui.stderr, "adlint: skipped {path}: {reason}");
                }
                return true;
            }
            Event::Note {
                source,
                message,
                verbose,
            } => {
                if self.verbose || !verbose {
                    let _ = writeln!(self.ui.stderr, "adlint: note: {source}: {message}");
                }
                return true;
            }
            _ => {}
        }
        self.fetcher.push(event);
        self.drain(false)
    }

    /// Move the events whose posts are fetched into the batch, in input order. With `all` (the
    /// end of the input) or a full window, wait for the oldest fetch; what is ready is checked
    /// and reported first, so results show while the network is slow.
    fn drain(&mut self, all: bool) -> bool {
        loop {
            let event = match self.fetcher.next(false) {
                Some(event) => event,
                None if self.fetcher.is_empty() || !(all || self.fetcher.is_full()) => {
                    return true;
                }
                None => {
                    if !self.catch_up() {
                        return false;
                    }
                    match self.fetcher.next(true) {
                        Some(event) => event,
                        None => return true,
                    }
                }
            };
            self.batch
                .push(input::enforce_limit(event, self.max_caption));
            if self.batch.len() >= BATCH && !self.flush() {
                return false;
            }
        }
    }

    /// Check the batch in parallel while this thread writes the results of the batch before
    /// it: checking and writing overlap instead of taking turns. The batch's own results are
    /// written by the next `flush` or by `settle`.
    fn flush(&mut self) -> bool {
        use rayon::prelude::*;
        let rules = self.rules;
        let batch = std::mem::replace(&mut self.batch, Vec::with_capacity(BATCH));
        let previous = self.checked.take();
        let mut found = Vec::new();
        let mut written = true;
        let pool = self.pool.clone();
        pool.in_place_scope(|scope| {
            scope.spawn(|_| {
                found = batch
                    .par_iter()
                    .map(|event| match event {
                        Event::Caption(c) => Some(engine::check(c, rules)),
                        _ => None,
                    })
                    .collect();
            });
            if let Some((events, found)) = previous {
                written = self.write(events, found);
            }
        });
        self.checked = Some((batch, found));
        written
    }

    /// Check and report everything received so far: before waiting on slow input or the
    /// network, so results show as they can.
    fn catch_up(&mut self) -> bool {
        (self.batch.is_empty() || self.flush()) && self.settle()
    }

    /// Write the results of the last batch checked, if they are not written yet, and push them
    /// out.
    fn settle(&mut self) -> bool {
        let written = match self.checked.take() {
            Some((events, found)) => self.write(events, found),
            None => true,
        };
        if !written {
            return false;
        }
        if let Err(e) = self.out.flush() {
            self.io_error = Some(e);
            return false;
        }
        true
    }

    /// Report a checked batch in input order.
    fn write(&mut self, batch: Vec<Event>, found: BatchFindings) -> bool {
        let rules = self.rules;
        if let Some(bar) = &self.progress {
            bar.inc(found.iter().filter(|f| f.is_some()).count() as u64);
        }
        for (event, diagnostics) in batch.into_iter().zip(found) {
            let written = match (event, diagnostics) {
                (Event::Caption(caption), Some(mut diagnostics)) => {
                    let mut absorbed = self.suppress(&caption, &mut diagnostics);
                    self.gate.add(&diagnostics);
                    let baselined = absorbed.len();
                    self.summary.baselined += baselined;
                    // An audit is read by clients: findings the baseline knows stay in it.
                    if self.audit && !absorbed.is_empty() {
                        diagnostics.append(&mut absorbed);
                        diagnostics.sort_by_key(|d| (d.span.start, d.span.end));
                    }
                    self.summary.add(&diagnostics);
                    let resolved = engine::resolve_platform(&caption, rules);
                    if let Some(given) = &caption.platform
                        && rules.platform(given).is_none()
                    {
                        *self.unknown_platforms.entry(given.clone()).or_default() += 1;
                    }
                    let packs = engine::active_packs(&caption, rules);
                    self.reporter.result(
                        self.out,
                        &Checked {
                            caption: &caption,
                            platform: &resolved.name,
                            diagnostics: &diagnostics,
                            packs: &packs,
                            baselined,
                        },
                    )
                }
                (Event::Error(e), _) => {
                    self.summary.failed_inputs += 1;
                    self.saw_source(&e.source, None);
                    self.reporter.input_error(self.out, &e)
                }
                _ => Ok(()),
            };
            if let Err(e) = written {
                self.io_error = Some(e);
                return false;
            }
        }
        true
    }

    /// Drop findings covered by `[[ignore]]` or the baseline; record them for a new baseline.
    /// The findings the baseline absorbed are returned.
    fn suppress(&mut self, caption: &Caption, diagnostics: &mut Vec<Finding>) -> Vec<Finding> {
        self.saw_source(&caption.origin.source, caption.origin.record.as_deref());
        diagnostics.retain(|d| !self.ignores.covers(caption, d));
        if let Some((_, entries)) = &mut self.new_baseline {
            entries.extend(diagnostics.iter().map(|d| suppress::Entry::of(caption, d)));
        }
        let mut absorbed = Vec::new();
        if let Some(baseline) = &mut self.baseline {
            let mut kept = Vec::with_capacity(diagnostics.len());
            for d in diagnostics.drain(..) {
                if baseline.absorbs(caption, &d) {
                    absorbed.push(d);
                } else {
                    kept.push(d);
                }
            }
            *diagnostics = kept;
        }
        absorbed
    }

    /// Note that a source (and record) was checked: only baseline entries and ignores for what
    /// was checked can be stale or unused.
    fn saw_source(&mut self, source: &str, record: Option<&str>) {
        if let Some(baseline) = &mut self.baseline {
            baseline.saw(source);
        }
        self.ignores.saw(source, record);
    }

    /// What the suppressions did, on stderr: unused ignores, stale baseline entries.
    fn report_suppressions(&mut self) -> bool {
        for unused in self.ignores.unused() {
            let _ = writeln!(
                self.ui.stderr,
                "adlint: unused ignore in {}, it matched no finding: {unused}",
                self.config_name
            );
        }
        if let Some(b) = &self.baseline {
            let stale = b.unmatched();
            let in_scope = b.len_checked();
            if stale > 0 {
                let _ = writeln!(
                    self.ui.stderr,
                    "adlint: {stale} of the {in_scope} baseline entries for the files checked no longer match a finding (fixed or changed); rewrite the baseline with --write-baseline to prune them",
                );
            }
            let absorbed = self.summary.baselined;
            if absorbed > 0 {
                let _ = writeln!(
                    self.ui.stderr,
                    "adlint: the baseline absorbed {} (known before; not reported as new)",
                    report::plural(absorbed, "finding"),
                );
            }
        }
        for (value, records) in std::mem::take(&mut self.unknown_platforms) {
            let known: Vec<&str> = self
                .rules
                .platforms
                .iter()
                .map(|p| p.name.as_str())
                .collect();
            let near = crate::suggest::did_you_mean(&value, known.iter().copied())
                .map(|n| format!(" (did you mean `{n}`?)"))
                .unwrap_or_default();
            let _ = writeln!(
                self.ui.stderr,
                "adlint: warning: unknown platform `{value}`{near} in {}: checked with the generic fold; known platforms: {}",
                report::plural(records, "record"),
                known.join(", ")
            );
        }
        let Some((path, entries)) = self.new_baseline.take() else {
            return true;
        };
        let n = entries.len();
        match suppress::write(&path, entries) {
            Ok(()) => {
                let _ = writeln!(
                    self.ui.stderr,
                    "adlint: wrote {n} findings to baseline {}",
                    path.display()
                );
                true
            }
            Err(e) => {
                let _ = writeln!(
                    self.ui.stderr,
                    "adlint: could not write baseline {}: {}",
                    path.display(),
                    input::io_reason(&e)
                );
                false
            }
        }
    }

    /// A run that checked no caption is not a pass: say why, on stderr.
    fn say_why_nothing_was_checked(&mut self) {
        let mut why = Vec::new();
        if self.summary.failed_inputs > 0 {
            why.push(format!(
                "{} could not be read",
                report::plural(self.summary.failed_inputs, "input")
            ));
        }
        if self.skipped > 0 {
            let reasons: Vec<String> = self
                .skip_reasons
                .iter()
                .map(|(reason, n)| format!("{n} {reason}"))
                .collect();
            why.push(format!(
                "{} in folders skipped ({}; -v lists them)",
                report::plural(self.skipped, "file"),
                reasons.join(", ")
            ));
        }
        if why.is_empty() {
            why.push("the inputs hold no captions".into());
        }
        let _ = writeln!(
            self.ui.stderr,
            "adlint: nothing was checked: {}",
            why.join("; ")
        );
    }

    fn finish(mut self) -> u8 {
        if self.io_error.is_none() && self.drain(true) {
            self.catch_up();
        }
        let writing_baseline = self.new_baseline.is_some();
        let suppressions_ok = self.report_suppressions();
        if let Some(bar) = &self.progress {
            bar.finish_and_clear();
        }
        let finished = match self.io_error.take() {
            Some(e) => Err(e),
            None => self
                .reporter
                .finish(self.out, &self.summary)
                .and_then(|()| self.out.flush()),
        };
        let checked_nothing = self.summary.captions == 0 && self.io_error.is_none();
        if checked_nothing {
            self.say_why_nothing_was_checked();
        }
        let code = if self.summary.failed_inputs > 0 || !suppressions_ok || checked_nothing {
            exit::TROUBLE
        } else if self.gate.fails() && !writing_baseline {
            exit::FINDINGS
        } else {
            exit::CLEAN
        };
        match finished {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => exit::CLEAN,
            Err(e) => {
                let _ = writeln!(self.ui.stderr, "adlint: could not write output: {e}");
                exit::TROUBLE
            }
            Ok(()) => code,
        }
    }
}

fn fails(severity: Severity, fail_on: FailOn) -> bool {
    match fail_on {
        FailOn::Never => false,
        FailOn::Error => severity >= Severity::Error,
        FailOn::Warning => severity >= Severity::Warning,
        FailOn::Advice => true,
    }
}
