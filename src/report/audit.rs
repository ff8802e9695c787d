//! `adlint audit` / `check --summary`: a compliance summary of a whole run, per rule, per
//! platform and per creator (worst first), as a terminal table, JSON or an HTML report.
//!
//! The tallies are counters keyed by rule, platform and creator, so memory grows with the
//! number of distinct creators, not with the number of records. The HTML report keeps the
//! first flagged captions (up to [`MAX_FLAGGED`]) to show them with their findings highlighted.

use std::collections::HashMap;
use std::io::{self, Write};

use serde::Serialize;

use super::{Checked, Reporter, Summary};
use crate::diagnostic::Diagnostic;
use crate::failure::InputError;
use crate::rules::Severity;

/// Flagged captions kept for the HTML report.
pub const MAX_FLAGGED: usize = 500;

/// Inputs named in the HTML report's header.
pub const MAX_SOURCES: usize = 10;

/// Creators shown in the terminal table and the HTML report (worst first); JSON has them all.
pub const MAX_CREATORS: usize = 25;

/// Input errors shown in the terminal table.
const MAX_INPUT_ERRORS_SHOWN: usize = 5;

/// Output of the audit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditFormat {
    Human { color: bool, width: usize },
    Json,
    Html,
}

/// Findings of one rule across the run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleTally {
    pub code: String,
    pub name: String,
    pub severity: Option<Severity>,
    /// Where the rule comes from (its source link), as the first finding gave it.
    pub url: String,
    /// Findings of this rule.
    pub findings: usize,
    /// Captions with at least one finding of this rule.
    pub captions: usize,
}

/// Captions and findings of one group (a platform or a creator).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GroupTally {
    pub name: String,
    pub captions: usize,
    /// Captions with no error or warning.
    pub compliant: usize,
    pub errors: usize,
    pub warnings: usize,
    pub advice: usize,
}

impl GroupTally {
    fn add(&mut self, diagnostics: &[Diagnostic]) {
        self.captions += 1;
        let mut compliant = true;
        for d in diagnostics {
            match d.severity {
                Severity::Error => self.errors += 1,
                Severity::Warning => self.warnings += 1,
                Severity::Advice => self.advice += 1,
            }
            compliant &= d.severity == Severity::Advice;
        }
        if compliant {
            self.compliant += 1;
        }
    }

    /// Share of compliant captions, 0.0 to 1.0.
    pub fn share_compliant(&self) -> f64 {
        if self.captions == 0 {
            1.0
        } else {
            self.compliant as f64 / self.captions as f64
        }
    }
}

/// A flagged caption kept for the HTML report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flagged {
    pub location: String,
    /// The published post's URL, when the record names one (http or https only).
    pub url: Option<String>,
    pub creator: Option<String>,
    pub platform: String,
    pub text: String,
    pub diagnostics: Vec<Diagnostic>,
}

/// Everything the audit renderers need.
#[derive(Debug, Clone, Default)]
pub struct Audit {
    pub rules: HashMap<String, RuleTally>,
    pub platforms: HashMap<String, GroupTally>,
    pub creators: HashMap<String, GroupTally>,
    pub flagged: Vec<Flagged>,
    /// Flagged captions beyond [`MAX_FLAGGED`], counted but not kept.
    pub flagged_not_kept: usize,
    pub input_errors: Vec<String>,
    /// The first inputs read (paths, URLs or `-`), in order, for the report's header.
    pub sources: Vec<String>,
    /// Inputs read beyond [`MAX_SOURCES`], counted but not named.
    pub sources_not_kept: usize,
    last_source: Option<String>,
}

impl Audit {
    /// Note an input the run read from. Inputs arrive one after another, so comparing with the
    /// last one named is enough to name each once without remembering them all.
    pub fn note_source(&mut self, source: &str) {
        if self.last_source.as_deref() == Some(source) {
            return;
        }
        self.last_source = Some(source.to_string());
        if self.sources.len() < MAX_SOURCES {
            self.sources.push(source.to_string());
        } else {
            self.sources_not_kept += 1;
        }
    }

    pub fn add(&mut self, checked: &Checked<'_>) {
        self.note_source(&checked.caption.origin.source);
        let ds = checked.diagnostics;
        let mut seen: Vec<&str> = Vec::new();
        for d in ds {
            let t = self
                .rules
                .entry(d.code.clone())
                .or_insert_with(|| RuleTally {
                    code: d.code.clone(),
                    name: d.name.clone(),
                    severity: Some(d.severity),
                    url: d.url.clone(),
                    ..RuleTally::default()
                });
            t.findings += 1;
            if !seen.contains(&d.code.as_str()) {
                t.captions += 1;
                seen.push(&d.code);
            }
        }
        let platform = checked.platform.to_string();
        self.platforms
            .entry(platform.clone())
            .or_insert_with(|| GroupTally {
                name: platform.clone(),
                ..GroupTally::default()
            })
            .add(ds);
        let creator = checked
            .caption
            .creator
            .clone()
            .unwrap_or_else(|| "(unknown)".into());
        self.creators
            .entry(creator.clone())
            .or_insert_with(|| GroupTally {
                name: creator,
                ..GroupTally::default()
            })
            .add(ds);
        if ds.iter().any(|d| d.severity >= Severity::Warning) {
            if self.flagged.len() < MAX_FLAGGED {
                self.flagged.push(Flagged {
                    location: checked.caption.origin.display(),
                    url: checked
                        .caption
                        .url
                        .clone()
                        .or_else(|| checked.caption.fetched.as_ref().map(|f| f.url.clone()))
                        .filter(|u| {
                            let lower = u.trim().to_ascii_lowercase();
                            lower.starts_with("https://") || lower.starts_with("http://")
                        }),
                    creator: checked.caption.creator.clone(),
                    platform,
                    text: checked.caption.text.clone(),
                    diagnostics: ds.to_vec(),
                });
            } else {
                self.flagged_not_kept += 1;
            }
        }
    }

    /// Rules by findings, most first (then by code).
    pub fn rules_sorted(&self) -> Vec<&RuleTally> {
        let mut v: Vec<&RuleTally> = self.rules.values().collect();
        v.sort_by(|a, b| {
            b.findings
                .cmp(&a.findings)
                .then_with(|| a.code.cmp(&b.code))
        });
        v
    }

    /// Groups worst first: most errors, then warnings, then lowest compliance, then name.
    pub fn sorted(groups: &HashMap<String, GroupTally>) -> Vec<&GroupTally> {
        let mut v: Vec<&GroupTally> = groups.values().collect();
        v.sort_by(|a, b| {
            (b.errors, b.warnings, b.captions - b.compliant)
                .cmp(&(a.errors, a.warnings, a.captions - a.compliant))
                .then_with(|| a.name.cmp(&b.name))
        });
        v
    }
}

/// Collects the run, renders at the end.
pub struct AuditReporter {
    format: AuditFormat,
    audit: Audit,
    packs: super::PacksUsed,
}

impl AuditReporter {
    pub fn new(format: AuditFormat, rules: &crate::rules::RuleSet) -> Self {
        AuditReporter {
            format,
            audit: Audit::default(),
            packs: super::PacksUsed::new(rules),
        }
    }
}

impl Reporter for AuditReporter {
    fn result(&mut self, _out: &mut dyn Write, checked: &Checked<'_>) -> io::Result<()> {
        self.audit.add(checked);
        self.packs.add(checked.packs);
        Ok(())
    }

    fn input_error(&mut self, _out: &mut dyn Write, e: &InputError) -> io::Result<()> {
        self.audit.note_source(&e.source);
        if self.audit.input_errors.len() < MAX_FLAGGED {
            self.audit
                .input_errors
                .push(format!("{}: {}", e.location(), e.message));
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, summary: &Summary) -> io::Result<()> {
        match self.format {
            AuditFormat::Human { color, width } => {
                render_human(out, &self.audit, summary, color, width)
            }
            AuditFormat::Json => render_json(out, &self.audit, summary, self.packs.json()),
            AuditFormat::Html => super::html::render(out, &self.audit, summary, &self.packs.json()),
        }
    }
}

/// `part` of `whole` as a percentage with one decimal. Never rounds a share that is not whole up
/// to `100.0%`, nor a share that is not nothing down to `0.0%`; `n/a` when `whole` is 0.
pub fn percent(part: usize, whole: usize) -> String {
    if whole == 0 {
        return "n/a".into();
    }
    let tenths = (part as f64 * 1000.0 / whole as f64).round() as usize;
    let tenths = if part < whole && tenths >= 1000 {
        999
    } else if part > 0 && tenths == 0 {
        1
    } else {
        tenths
    };
    format!("{}.{}%", tenths / 10, tenths % 10)
}

/// What "compliant" means, printed under every summary.
pub const COMPLIANT_NOTE: &str =
    "Compliant: a caption with no error or warning (advice does not count against it).";

/// Terminal columns a string takes, estimated per grapheme cluster: East Asian wide characters
/// and emoji take two, control characters none, everything else one. Creators' names can be
/// Japanese or end in an emoji, and counting bytes or even characters would misalign the table.
pub fn columns(s: &str) -> usize {
    use unicode_segmentation::UnicodeSegmentation;
    s.graphemes(true).map(grapheme_columns).sum()
}

fn grapheme_columns(g: &str) -> usize {
    let Some(first) = g.chars().next() else {
        return 0;
    };
    if first.is_control() {
        return 0;
    }
    let wide = |c: char| {
        matches!(c as u32,
            0x1100..=0x115F | 0x231A..=0x231B | 0x23E9..=0x23EC | 0x23F0 | 0x23F3
            | 0x25FD..=0x25FE | 0x2614..=0x2615 | 0x2648..=0x2653 | 0x267F | 0x2693 | 0x26A1
            | 0x26AA..=0x26AB | 0x26BD..=0x26BE | 0x26C4..=0x26C5 | 0x26CE | 0x26D4 | 0x26EA
            | 0x26F2..=0x26F3 | 0x26F5 | 0x26FA | 0x26FD | 0x2705 | 0x270A..=0x270B | 0x2728
            | 0x274C | 0x274E | 0x2753..=0x2755 | 0x2757 | 0x2795..=0x2797 | 0x27B0 | 0x27BF
            | 0x2B1B..=0x2B1C | 0x2B50 | 0x2B55 | 0x2E80..=0x303E | 0x3041..=0x33FF
            | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xA000..=0xA4CF | 0xA960..=0xA97F
            | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE10..=0xFE19 | 0xFE30..=0xFE6F
            | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x1F004 | 0x1F0CF | 0x1F18E
            | 0x1F191..=0x1F19A | 0x1F200..=0x1F2FF | 0x1F300..=0x1F64F | 0x1F680..=0x1F6FF
            | 0x1F7E0..=0x1F7EB | 0x1F90C..=0x1F9FF | 0x1FA70..=0x1FAFF | 0x20000..=0x3FFFD)
    };
    // An emoji presentation selector makes a text symbol (☀️, ❤️) an emoji, two columns wide.
    if wide(first) || g.contains('\u{FE0F}') {
        2
    } else {
        1
    }
}

/// `s` cut to at most `max` terminal columns, with `…` where it was cut.
pub fn truncate(s: &str, max: usize) -> String {
    use unicode_segmentation::UnicodeSegmentation;
    if columns(s) <= max {
        return s.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for g in s.graphemes(true) {
        let w = grapheme_columns(g);
        if used + w + 1 > max {
            break;
        }
        out.push_str(g);
        used += w;
    }
    out.push('…');
    out
}

/// How a terminal cell is coloured (when colour is on).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    Plain,
    Bold,
    Dim,
    Red,
    Yellow,
    Cyan,
}

impl Style {
    fn code(self) -> &'static str {
        match self {
            Style::Plain => "",
            Style::Bold => "\x1b[1m",
            Style::Dim => "\x1b[2m",
            Style::Red => "\x1b[31m",
            Style::Yellow => "\x1b[33m",
            Style::Cyan => "\x1b[36m",
        }
    }

    fn severity(s: Option<Severity>) -> Style {
        match s {
            Some(Severity::Error) => Style::Red,
            Some(Severity::Warning) => Style::Yellow,
            Some(Severity::Advice) => Style::Cyan,
            None => Style::Plain,
        }
    }

    /// A count coloured only when it is not zero.
    fn count(n: usize, style: Style) -> Style {
        if n == 0 { Style::Plain } else { style }
    }
}

/// Writes text with or without ANSI colour.
struct Term<'a> {
    out: &'a mut dyn Write,
    color: bool,
    width: usize,
}

impl Term<'_> {
    fn paint(&self, text: &str, style: Style) -> String {
        if self.color && style != Style::Plain && !text.is_empty() {
            format!("{}{text}\x1b[0m", style.code())
        } else {
            text.to_string()
        }
    }

    fn heading(&mut self, text: &str) -> io::Result<()> {
        let line = self.paint(text, Style::Bold);
        writeln!(self.out, "{line}")
    }

    /// A line of plain text, wrapped at the width with `indent` before every line.
    fn wrapped(&mut self, indent: &str, text: &str, style: Style) -> io::Result<()> {
        let room = self.width.saturating_sub(columns(indent)).max(20);
        let mut line = String::new();
        for word in text.split(' ') {
            if !line.is_empty() && columns(&line) + 1 + columns(word) > room {
                let painted = self.paint(&line, style);
                writeln!(self.out, "{indent}{painted}")?;
                line.clear();
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        let painted = self.paint(&line, style);
        writeln!(self.out, "{indent}{painted}")
    }

    /// An aligned table, indented by two spaces. Text columns are left-aligned, numbers right;
    /// the `flex` column is cut (with `…`) when the table would be wider than the terminal.
    fn table(&mut self, columns_: &[Column], rows: &[Vec<Cell>]) -> io::Result<()> {
        const INDENT: usize = 2;
        const GAP: usize = 2;
        let mut widths: Vec<usize> = columns_.iter().map(|c| columns(c.header)).collect();
        for row in rows {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(columns(&cell.text));
            }
        }
        let total = INDENT + widths.iter().sum::<usize>() + GAP * (widths.len() - 1);
        if total > self.width
            && let Some(flex) = columns_.iter().position(|c| c.flex)
        {
            let min = columns(columns_[flex].header).max(10);
            widths[flex] = widths[flex]
                .saturating_sub(total - self.width)
                .max(min.min(widths[flex]));
        }
        let header: Vec<Cell> = columns_
            .iter()
            .map(|c| Cell::new(c.header, Style::Bold))
            .collect();
        for row in std::iter::once(&header).chain(rows) {
            let mut line = " ".repeat(INDENT);
            for (i, ((column, cell), width)) in columns_.iter().zip(row).zip(&widths).enumerate() {
                let text = truncate(&cell.text, *width);
                let pad = " ".repeat(width - columns(&text));
                let last = i + 1 == widths.len();
                let painted = self.paint(&text, cell.style);
                if column.right {
                    line.push_str(&pad);
                    line.push_str(&painted);
                } else {
                    line.push_str(&painted);
                    if !last {
                        line.push_str(&pad);
                    }
                }
                if !last {
                    line.push_str(&" ".repeat(GAP));
                }
            }
            writeln!(self.out, "{line}")?;
        }
        Ok(())
    }
}

struct Column {
    header: &'static str,
    right: bool,
    flex: bool,
}

impl Column {
    const fn text(header: &'static str) -> Self {
        Column {
            header,
            right: false,
            flex: false,
        }
    }
    const fn flex(header: &'static str) -> Self {
        Column {
            header,
            right: false,
            flex: true,
        }
    }
    const fn number(header: &'static str) -> Self {
        Column {
            header,
            right: true,
            flex: false,
        }
    }
}

struct Cell {
    text: String,
    style: Style,
}

impl Cell {
    fn new(text: impl Into<String>, style: Style) -> Self {
        Cell {
            text: text.into(),
            style,
        }
    }
    fn plain(text: impl Into<String>) -> Self {
        Cell::new(text, Style::Plain)
    }
}

const GROUP_COLUMNS: [Column; 4] = [
    Column::number("CAPTIONS"),
    Column::number("COMPLIANT"),
    Column::number("ERRORS"),
    Column::number("WARNINGS"),
];

fn group_row(g: &GroupTally) -> Vec<Cell> {
    vec![
        Cell::plain(g.name.clone()),
        Cell::plain(g.captions.to_string()),
        Cell::plain(percent(g.compliant, g.captions)),
        Cell::new(g.errors.to_string(), Style::count(g.errors, Style::Red)),
        Cell::new(
            g.warnings.to_string(),
            Style::count(g.warnings, Style::Yellow),
        ),
    ]
}

fn group_table(term: &mut Term<'_>, first: &'static str, groups: &[&GroupTally]) -> io::Result<()> {
    let mut cols = vec![Column::flex(first)];
    cols.extend(GROUP_COLUMNS);
    let rows: Vec<Vec<Cell>> = groups.iter().map(|g| group_row(g)).collect();
    term.table(&cols, &rows)
}

/// The summary as terminal tables.
pub fn render_human(
    out: &mut dyn Write,
    audit: &Audit,
    summary: &Summary,
    color: bool,
    width: usize,
) -> io::Result<()> {
    let mut term = Term { out, color, width };
    let s = summary;

    term.heading("Disclosure audit")?;
    let compliant = format!("{} ({})", s.clean, percent(s.clean, s.captions));
    let headline = [
        (
            "Records checked",
            (s.captions + s.failed_inputs).to_string(),
            Style::Plain,
        ),
        ("Captions checked", s.captions.to_string(), Style::Plain),
        ("Compliant captions", compliant, Style::Plain),
        (
            "Errors",
            s.errors.to_string(),
            Style::count(s.errors, Style::Red),
        ),
        (
            "Warnings",
            s.warnings.to_string(),
            Style::count(s.warnings, Style::Yellow),
        ),
        (
            "Advice",
            s.advice.to_string(),
            Style::count(s.advice, Style::Cyan),
        ),
        (
            "Inputs that could not be read",
            s.failed_inputs.to_string(),
            Style::count(s.failed_inputs, Style::Red),
        ),
    ];
    let mut headline = headline.to_vec();
    if s.baselined > 0 {
        headline.push((
            "Findings known from the baseline (counted above)",
            s.baselined.to_string(),
            Style::Plain,
        ));
    }
    let label_width = headline
        .iter()
        .map(|(l, _, _)| columns(l))
        .max()
        .unwrap_or(0);
    let number_width = headline
        .iter()
        .map(|(_, n, _)| n.split(' ').next().map_or(0, columns))
        .max()
        .unwrap_or(0);
    for (label, value, style) in &headline {
        // Right-align the number; the share after the compliant count hangs to its right.
        let (number, rest) = value.split_once(' ').unwrap_or((value, ""));
        let pad = " ".repeat(number_width - columns(number));
        let painted = format!("{pad}{}", term.paint(number, *style));
        let rest = if rest.is_empty() {
            String::new()
        } else {
            format!(" {rest}")
        };
        writeln!(term.out, "  {label:<label_width$}  {painted}{rest}")?;
    }

    writeln!(term.out)?;
    term.heading("Findings per rule")?;
    let rules = audit.rules_sorted();
    if rules.is_empty() {
        writeln!(term.out, "  No findings.")?;
    } else {
        let cols = [
            Column::text("CODE"),
            Column::flex("NAME"),
            Column::text("SEVERITY"),
            Column::number("FINDINGS"),
            Column::number("CAPTIONS"),
        ];
        let rows: Vec<Vec<Cell>> = rules
            .iter()
            .map(|r| {
                vec![
                    Cell::plain(r.code.clone()),
                    Cell::plain(r.name.clone()),
                    Cell::new(
                        r.severity.map_or("", Severity::as_str),
                        Style::severity(r.severity),
                    ),
                    Cell::plain(r.findings.to_string()),
                    Cell::plain(r.captions.to_string()),
                ]
            })
            .collect();
        term.table(&cols, &rows)?;
    }

    if !audit.platforms.is_empty() {
        writeln!(term.out)?;
        term.heading("Per platform")?;
        group_table(&mut term, "PLATFORM", &Audit::sorted(&audit.platforms))?;
    }

    if !audit.creators.is_empty() {
        writeln!(term.out)?;
        term.heading("Per creator, worst first")?;
        let creators = Audit::sorted(&audit.creators);
        let shown = creators.len().min(MAX_CREATORS);
        group_table(&mut term, "CREATOR", &creators[..shown])?;
        if creators.len() > shown {
            let more = creators.len() - shown;
            let line = format!(
                "… and {more} more {} (`--format json` lists every creator)",
                if more == 1 { "creator" } else { "creators" }
            );
            term.wrapped("  ", &line, Style::Dim)?;
        }
    }

    if s.failed_inputs > 0 {
        writeln!(term.out)?;
        term.heading("Inputs that could not be read")?;
        let shown = audit.input_errors.len().min(MAX_INPUT_ERRORS_SHOWN);
        for e in &audit.input_errors[..shown] {
            term.wrapped("  ", e, Style::Plain)?;
        }
        if s.failed_inputs > shown {
            let more = s.failed_inputs - shown;
            term.wrapped(
                "  ",
                &format!("… and {more} more (`adlint check` lists every one)"),
                Style::Dim,
            )?;
        }
    }

    writeln!(term.out)?;
    term.wrapped("", COMPLIANT_NOTE, Style::Dim)
}

#[derive(Serialize)]
struct JsonSummary {
    records: usize,
    captions: usize,
    compliant: usize,
    share_compliant: Option<f64>,
    errors: usize,
    warnings: usize,
    advice: usize,
    failed_inputs: usize,
    /// Findings (counted above) that the baseline knows from before.
    #[serde(skip_serializing_if = "is_zero")]
    baselined: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

#[derive(Serialize)]
struct JsonRule<'a> {
    code: &'a str,
    name: &'a str,
    severity: Option<Severity>,
    findings: usize,
    captions: usize,
}

#[derive(Serialize)]
struct JsonGroup<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    platform: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    creator: Option<&'a str>,
    captions: usize,
    compliant: usize,
    share_compliant: f64,
    errors: usize,
    warnings: usize,
    advice: usize,
}

#[derive(Serialize)]
struct JsonAudit<'a> {
    version: u32,
    summary: JsonSummary,
    rules: Vec<JsonRule<'a>>,
    platforms: Vec<JsonGroup<'a>>,
    creators: Vec<JsonGroup<'a>>,
    input_errors: &'a [String],
    /// The packs that ran, with their versions (as in `check --format json`).
    packs: Vec<serde_json::Value>,
}

fn json_group(g: &GroupTally, creator: bool) -> JsonGroup<'_> {
    JsonGroup {
        platform: (!creator).then_some(g.name.as_str()),
        creator: creator.then_some(g.name.as_str()),
        captions: g.captions,
        compliant: g.compliant,
        share_compliant: g.share_compliant(),
        errors: g.errors,
        warnings: g.warnings,
        advice: g.advice,
    }
}

/// The summary as one JSON document. `share_compliant` is `null` when no caption was checked.
pub fn render_json(
    out: &mut dyn Write,
    audit: &Audit,
    summary: &Summary,
    packs: Vec<serde_json::Value>,
) -> io::Result<()> {
    let s = summary;
    let doc = JsonAudit {
        version: 1,
        summary: JsonSummary {
            records: s.captions + s.failed_inputs,
            captions: s.captions,
            compliant: s.clean,
            share_compliant: (s.captions > 0).then(|| s.clean as f64 / s.captions as f64),
            errors: s.errors,
            warnings: s.warnings,
            advice: s.advice,
            failed_inputs: s.failed_inputs,
            baselined: s.baselined,
        },
        rules: audit
            .rules_sorted()
            .into_iter()
            .map(|r| JsonRule {
                code: &r.code,
                name: &r.name,
                severity: r.severity,
                findings: r.findings,
                captions: r.captions,
            })
            .collect(),
        platforms: Audit::sorted(&audit.platforms)
            .into_iter()
            .map(|g| json_group(g, false))
            .collect(),
        creators: Audit::sorted(&audit.creators)
            .into_iter()
            .map(|g| json_group(g, true))
            .collect(),
        input_errors: &audit.input_errors,
        packs,
    };
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_has_one_decimal_and_never_rounds_to_all_or_nothing() {
        assert_eq!(percent(1, 3), "33.3%");
        assert_eq!(percent(2, 3), "66.7%");
        assert_eq!(percent(3, 3), "100.0%");
        assert_eq!(percent(0, 3), "0.0%");
        assert_eq!(percent(1999, 2000), "99.9%");
        assert_eq!(percent(1, 2001), "0.1%");
        assert_eq!(percent(0, 0), "n/a");
    }

    #[test]
    fn columns_count_what_a_terminal_shows() {
        assert_eq!(columns("maya.makes"), 10);
        assert_eq!(columns("Zoë Café"), 8);
        assert_eq!(columns("Zoe\u{308} Cafe\u{301}"), 8);
        assert_eq!(columns("さくら 🌸"), 9);
        assert_eq!(columns("🏃🏻‍♀️ run"), 6);
        assert_eq!(columns("☀️"), 2);
    }

    #[test]
    fn truncate_cuts_at_columns_with_an_ellipsis() {
        assert_eq!(truncate("missing-disclosure", 8), "missing…");
        assert_eq!(truncate("さくら 🌸", 6), "さく…");
        assert_eq!(truncate("short", 8), "short");
    }

    #[test]
    fn tables_shrink_their_text_column_to_the_width() {
        let mut out = Vec::new();
        let mut term = Term {
            out: &mut out,
            color: false,
            width: 40,
        };
        let cols = [Column::flex("NAME"), Column::number("FINDINGS")];
        let rows = vec![
            vec![
                Cell::plain("a-very-long-rule-name-that-goes-on-and-on"),
                Cell::plain("12"),
            ],
            vec![Cell::plain("さくら 🌸"), Cell::plain("3")],
        ];
        term.table(&cols, &rows).unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines,
            [
                "  NAME                          FINDINGS",
                "  a-very-long-rule-name-that-…        12",
                "  さくら 🌸                            3",
            ]
        );
        assert!(lines.iter().all(|l| columns(l) == 40));
    }
}
