//! The `check` and `audit` pipeline: events in input order are checked in parallel batches and
//! reported in order.
//!
//! A batch goes to the worker threads while this thread writes the batch before it. The workers
//! parse the JSONL lines the reader handed on unparsed ([`Event::Lines`]), check every caption
//! and, for the formats that can ([`crate::report::Render`]), render each result into a byte
//! buffer; this thread then only applies what needs the whole run in order (ignores, the
//! baseline, counts, the gate) and writes the buffers. A result whose findings the ignores or
//! the baseline changed is rendered again here, so the output is the same either way. In a run
//! that suppresses nothing, the workers also count each result and free its caption and
//! findings themselves ([`Item::Tallied`]): this thread gets bytes and counts.

use std::io::{self, Write};
use std::ops::Range;
use std::path::PathBuf;

use super::profile::{self, Stage};
use super::{Ui, exit};
use crate::caption::Caption;
use crate::cli::FailOn;
use crate::diagnostic::Diagnostic as Finding;
use crate::engine;
use crate::fetch::ordered::Ordered;
use crate::input::{self, Event, ReadOptions};
use crate::report::{self, Checked, Render, Reporter, Summary, Tally};
use crate::rules::{RuleSet, Severity};
use crate::suppress::{self, Baseline, Ignores};

/// How many captions are read before they are checked together in parallel. Output keeps input
/// order; memory stays bounded by one batch whatever the input's size.
pub(super) const BATCH: usize = 2048;

/// Reading, parallel checking in ordered batches, and reporting.
pub(super) struct Pipeline<'a, 'u> {
    pub(super) rules: &'a RuleSet,
    /// Shared so that a batch can be checked on it while this `Pipeline` writes the last one.
    pub(super) pool: std::sync::Arc<rayon::ThreadPool>,
    pub(super) reporter: Box<dyn Reporter>,
    pub(super) out: &'a mut dyn Write,
    pub(super) ui: &'a mut Ui<'u>,
    pub(super) verbose: bool,
    pub(super) summary: Summary,
    pub(super) gate: Gate,
    pub(super) ignores: Ignores,
    /// The config file the ignores came from, for messages.
    pub(super) config_name: String,
    pub(super) baseline: Option<Baseline>,
    /// `--write-baseline`: where to write, and the findings seen so far.
    pub(super) new_baseline: Option<(PathBuf, Vec<suppress::Entry>)>,
    pub(super) io_error: Option<io::Error>,
    pub(super) batch: Vec<Event>,
    /// The captions in `batch`, counting each line of [`Event::Lines`].
    pub(super) weight: usize,
    /// The last batch checked, with its findings, until it is written.
    pub(super) checked: Option<Vec<Done<'a>>>,
    /// How the workers read deferred lines.
    pub(super) options: &'a ReadOptions,
    /// Renders results on the workers, for the formats that can.
    pub(super) renderer: Option<std::sync::Arc<dyn Render>>,
    /// Notes about deferred lines already said, by read: each chunk of lines is parsed afresh
    /// and finds what the chunk before it found.
    pub(super) said: std::collections::HashSet<(u64, String)>,
    /// When the run started, for the profile.
    pub(super) started: std::time::Instant,
    pub(super) progress: Option<indicatif::ProgressBar>,
    /// Fetches posts named by URL and hands every event on in input order.
    pub(super) fetcher: Ordered,
    /// Captions longer than this are input errors, not checked.
    pub(super) max_caption: usize,
    /// Files passed over in folders, and how many for each reason.
    pub(super) skipped: usize,
    pub(super) skip_reasons: std::collections::BTreeMap<String, usize>,
    /// A summary is being written (`audit`, `--summary`, HTML): baselined findings stay in it.
    pub(super) audit: bool,
    /// Platform values no loaded platform fits, with how many records named each.
    pub(super) unknown_platforms: std::collections::BTreeMap<String, usize>,
}

/// One event after the workers.
pub(super) enum Item<'r> {
    /// A checked caption, for this thread to suppress, count and report: its findings, the
    /// platform it was checked for, the packs that ran on it, and where its rendered output is
    /// in its [`Done::bytes`] if the worker rendered it.
    Checked {
        caption: Caption,
        diagnostics: Vec<Finding>,
        platform: &'r str,
        packs: Vec<usize>,
        rendered: Option<Range<usize>>,
    },
    /// A checked caption the worker rendered and counted, in a run that suppresses nothing:
    /// only what the run's totals need is left, and the worker freed the caption and its
    /// findings itself.
    Tallied {
        tally: Tally,
        /// The packs that ran on it, in [`Done::packs`].
        packs: Range<usize>,
        rendered: Range<usize>,
        /// The caption's platform, when no loaded platform fits it.
        unknown_platform: Option<String>,
    },
    /// Any other event; `read` is the read a note found parsing deferred lines comes from.
    Other { event: Event, read: Option<u64> },
}

/// What the workers made of one event of a batch (or of one chunk of lines).
pub(super) struct Done<'r> {
    items: Vec<Item<'r>>,
    bytes: Vec<u8>,
    /// The packs of the [`Item::Tallied`] results, one after another.
    packs: Vec<usize>,
}

/// What a worker needs: parse, check, render.
struct Work<'r, 'w> {
    rules: &'r RuleSet,
    options: &'w ReadOptions,
    max_caption: usize,
    render: Option<&'w dyn Render>,
    /// Nothing in the run suppresses findings (no ignores, no baseline to read or write): a
    /// rendered result can be counted on the worker and reach the writer as a [`Item::Tallied`].
    tally: bool,
}

impl<'r> Work<'r, '_> {
    fn run(&self, event: Event) -> Done<'r> {
        let mut done = Done {
            items: Vec::new(),
            bytes: Vec::new(),
            packs: Vec::new(),
        };
        match event {
            Event::Lines(lines) => {
                let read = lines.read_id();
                done.items.reserve(lines.len());
                let events = profile::time(Stage::Parse, || lines.parse(self.options));
                for event in events {
                    let note = matches!(event, Event::Note { .. }).then_some(read);
                    let event = input::enforce_limit(event, self.max_caption);
                    self.item(event, note, &mut done);
                }
            }
            other => self.item(other, None, &mut done),
        }
        done
    }

    fn item(&self, event: Event, read: Option<u64>, done: &mut Done<'r>) {
        let Event::Caption(caption) = event else {
            done.items.push(Item::Other { event, read });
            return;
        };
        let engine::Outcome {
            platform,
            packs,
            diagnostics,
        } = profile::time(Stage::Check, || engine::check_outcome(&caption, self.rules));
        let platform = platform.name.as_str();
        let mut rendered = None;
        if let Some(render) = self.render {
            let start = done.bytes.len();
            let checked = Checked {
                caption: &caption,
                platform,
                diagnostics: &diagnostics,
                packs: &packs,
                baselined: 0,
            };
            // What cannot be rendered here is rendered again, and reported, when written.
            match profile::time(Stage::Render, || render.result(&mut done.bytes, &checked)) {
                Ok(()) => rendered = Some(start..done.bytes.len()),
                Err(_) => done.bytes.truncate(start),
            }
        }
        let item = match rendered {
            Some(rendered) if self.tally => {
                let start = done.packs.len();
                done.packs.extend_from_slice(&packs);
                Item::Tallied {
                    tally: Tally::of(&diagnostics),
                    packs: start..done.packs.len(),
                    rendered,
                    unknown_platform: unknown_platform(self.rules, &caption).map(String::from),
                }
            }
            rendered => Item::Checked {
                caption,
                diagnostics,
                platform,
                packs,
                rendered,
            },
        };
        done.items.push(item);
    }
}

/// The platform a caption names when no loaded platform fits it (it is checked with the
/// generic fold, and the run says so once at the end).
fn unknown_platform<'c>(rules: &RuleSet, caption: &'c Caption) -> Option<&'c str> {
    caption
        .platform
        .as_deref()
        .filter(|given| rules.platform(given).is_none())
}

/// When reported findings fail the run.
pub(super) struct Gate {
    pub(super) fail_on: FailOn,
    pub(super) max_warnings: Option<usize>,
    pub(super) exit_zero: bool,
    pub(super) failing: bool,
    pub(super) warnings: usize,
}

impl Gate {
    fn add(&mut self, tally: Tally) {
        self.failing |= tally
            .by_severity()
            .into_iter()
            .any(|(severity, n)| n > 0 && fails(severity, self.fail_on));
        self.warnings += tally.warnings;
    }

    fn fails(&self) -> bool {
        let too_many_warnings = self.max_warnings.is_some_and(|max| self.warnings > max);
        !self.exit_zero && (self.failing || too_many_warnings)
    }
}

impl Pipeline<'_, '_> {
    /// Take one event from the readers; `false` stops reading.
    pub(super) fn push(&mut self, event: Event) -> bool {
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
            self.weight += match &event {
                Event::Lines(lines) => lines.len(),
                _ => 1,
            };
            self.batch
                .push(input::enforce_limit(event, self.max_caption));
            if self.weight >= BATCH && !self.flush() {
                return false;
            }
        }
    }

    /// Check the batch in parallel while this thread writes the results of the batch before
    /// it: checking and writing overlap instead of taking turns. The batch's own results are
    /// written by the next `flush` or by `settle`.
    fn flush(&mut self) -> bool {
        use rayon::prelude::*;
        let batch = std::mem::replace(&mut self.batch, Vec::with_capacity(BATCH));
        self.weight = 0;
        let previous = self.checked.take();
        let mut found = Vec::new();
        let mut written = true;
        let pool = self.pool.clone();
        let renderer = self.renderer.clone();
        let work = Work {
            rules: self.rules,
            options: self.options,
            max_caption: self.max_caption,
            render: renderer.as_deref(),
            tally: self.ignores.is_empty()
                && self.baseline.is_none()
                && self.new_baseline.is_none(),
        };
        pool.in_place_scope(|scope| {
            scope.spawn(|_| {
                found = batch
                    .into_par_iter()
                    .with_max_len(1)
                    .map(|event| work.run(event))
                    .collect();
            });
            if let Some(done) = previous {
                written = profile::time(Stage::Write, || self.write(done));
            }
        });
        self.checked = Some(found);
        written
    }

    /// Check and report everything received so far: before waiting on slow input or the
    /// network, so results show as they can.
    pub(super) fn catch_up(&mut self) -> bool {
        (self.batch.is_empty() || self.flush()) && self.settle()
    }

    /// Write the results of the last batch checked, if they are not written yet, and push them
    /// out.
    fn settle(&mut self) -> bool {
        let written = match self.checked.take() {
            Some(done) => profile::time(Stage::Write, || self.write(done)),
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
    fn write(&mut self, batch: Vec<Done<'_>>) -> bool {
        if let Some(bar) = &self.progress {
            let captions = batch
                .iter()
                .flat_map(|done| &done.items)
                .filter(|item| !matches!(item, Item::Other { .. }))
                .count();
            bar.inc(captions as u64);
        }
        for Done {
            items,
            bytes,
            packs: tallied_packs,
        } in batch
        {
            for item in items {
                let written = match item {
                    Item::Checked {
                        caption,
                        diagnostics,
                        platform,
                        packs,
                        rendered,
                    } => {
                        let rendered = rendered.map(|range| &bytes[range]);
                        self.report(&caption, diagnostics, platform, &packs, rendered)
                    }
                    Item::Tallied {
                        tally,
                        packs,
                        rendered,
                        unknown_platform,
                    } => {
                        self.count(tally, unknown_platform);
                        self.reporter
                            .rendered(self.out, &bytes[rendered], &tallied_packs[packs])
                    }
                    Item::Other { event, read } => self.other(event, read),
                };
                if let Err(e) = written {
                    self.io_error = Some(e);
                    return false;
                }
            }
        }
        true
    }

    /// Report an event that is not a checked caption.
    fn other(&mut self, event: Event, read: Option<u64>) -> io::Result<()> {
        match event {
            Event::Error(e) => {
                self.summary.failed_inputs += 1;
                self.saw_source(&e.source, None);
                self.reporter.input_error(self.out, &e)
            }
            Event::Note {
                source,
                message,
                verbose,
            } => {
                let new = read.is_none_or(|read| self.said.insert((read, message.clone())));
                if new && (self.verbose || !verbose) {
                    let _ = writeln!(self.ui.stderr, "adlint: note: {source}: {message}");
                }
                Ok(())
            }
            // Lines are deferred only when nothing is fetched: a post to fetch among them is
            // reported, not dropped.
            Event::Fetch(caption) => {
                let e = input::InputError {
                    source: caption.origin.source.clone(),
                    record: caption.origin.record.clone(),
                    place: caption.origin.place.clone(),
                    message: "the post was not fetched: fetching was off".into(),
                };
                self.summary.failed_inputs += 1;
                self.saw_source(&e.source, None);
                self.reporter.input_error(self.out, &e)
            }
            _ => Ok(()),
        }
    }

    /// Count a caption the worker tallied: the gate, the summary, an unknown platform.
    fn count(&mut self, tally: Tally, unknown_platform: Option<String>) {
        self.gate.add(tally);
        self.summary.add_tally(tally);
        if let Some(given) = unknown_platform {
            self.unknown_platform(&given);
        }
    }

    /// A record named a platform no loaded platform fits: said once, with how many, at the end.
    fn unknown_platform(&mut self, given: &str) {
        match self.unknown_platforms.get_mut(given) {
            Some(n) => *n += 1,
            None => {
                self.unknown_platforms.insert(given.to_string(), 1);
            }
        }
    }

    /// Report one checked caption: suppressions, counts and the gate, then its output (as the
    /// worker rendered it when the suppressions left its findings as they were).
    fn report(
        &mut self,
        caption: &Caption,
        mut diagnostics: Vec<Finding>,
        platform: &str,
        packs: &[usize],
        rendered: Option<&[u8]>,
    ) -> io::Result<()> {
        let found = diagnostics.len();
        let mut absorbed = self.suppress(caption, &mut diagnostics);
        let unchanged = diagnostics.len() == found && absorbed.is_empty();
        self.gate.add(Tally::of(&diagnostics));
        let baselined = absorbed.len();
        self.summary.baselined += baselined;
        // An audit is read by clients: findings the baseline knows stay in it.
        if self.audit && !absorbed.is_empty() {
            diagnostics.append(&mut absorbed);
            diagnostics.sort_by_key(|d| (d.span.start, d.span.end));
        }
        self.summary.add(&diagnostics);
        if let Some(given) = unknown_platform(self.rules, caption) {
            self.unknown_platform(given);
        }
        match rendered {
            Some(bytes) if unchanged => self.reporter.rendered(self.out, bytes, packs),
            _ => self.reporter.result(
                self.out,
                &Checked {
                    caption,
                    platform,
                    diagnostics: &diagnostics,
                    packs,
                    baselined,
                },
            ),
        }
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

    pub(super) fn finish(mut self) -> u8 {
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
            None => profile::time(Stage::Write, || {
                self.reporter
                    .finish(self.out, &self.summary)
                    .and_then(|()| self.out.flush())
            }),
        };
        profile::report(self.ui.stderr, self.started);
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

pub(super) fn fails(severity: Severity, fail_on: FailOn) -> bool {
    fail_on.fails(severity)
}
