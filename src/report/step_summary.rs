//! The GitHub Actions job summary (`$GITHUB_STEP_SUMMARY`) written beside `--format github`:
//! counts, findings per rule, the worst records and where the full results are. GitHub shows
//! only 10 error and 10 warning annotations (and 10 notices) per step, so the summary is where a
//! large run's findings can all be counted; the log says when annotations were cut.

use std::collections::BTreeMap;
use std::io::{self, Write};

use super::{Checked, Summary, plural};
use crate::rules::Severity;

/// How many annotations of each level GitHub shows per step.
pub const ANNOTATIONS_SHOWN: usize = 10;

/// How many records the summary lists.
const WORST: usize = 10;

/// What the job summary gathers while results arrive.
#[derive(Debug, Default)]
pub struct StepSummary {
    /// Per rule (`FTC001 missing-disclosure`): its severity and findings.
    rules: BTreeMap<(String, String), (Severity, usize)>,
    /// The records with the most errors, then warnings: (errors, warnings, place, first finding).
    worst: Vec<(usize, usize, String, String)>,
    /// Where the full results are: a link to code scanning, or the SARIF file's name.
    sarif: Option<String>,
    /// Annotations written per level: error, warning, notice.
    annotations: [usize; 3],
    /// Inputs that could not be read, a few of them named.
    input_errors: Vec<String>,
}

/// A table cell: no line breaks, and no `|` or markup that would break the table.
fn cell(s: &str) -> String {
    s.replace(['\r', '\n'], " ")
        .replace('|', "\\|")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

impl StepSummary {
    /// `sarif`: a link to the SARIF results (code scanning), or the SARIF file's name.
    pub fn new(sarif: Option<String>) -> Self {
        StepSummary {
            sarif,
            ..StepSummary::default()
        }
    }

    /// Count an annotation of this level.
    pub fn annotation(&mut self, severity: Severity) {
        self.annotations[match severity {
            Severity::Error => 0,
            Severity::Warning => 1,
            Severity::Advice => 2,
        }] += 1;
    }

    pub fn input_error(&mut self, place: String) {
        self.annotations[0] += 1;
        if self.input_errors.len() < WORST {
            self.input_errors.push(place);
        }
    }

    pub fn add(&mut self, checked: &Checked<'_>, place: String) {
        let (mut errors, mut warnings) = (0, 0);
        for d in checked.diagnostics {
            let entry = self
                .rules
                .entry((d.code.clone(), d.name.clone()))
                .or_insert((d.severity, 0));
            entry.1 += 1;
            match d.severity {
                Severity::Error => errors += 1,
                Severity::Warning => warnings += 1,
                Severity::Advice => {}
            }
        }
        if errors + warnings == 0 {
            return;
        }
        let first = checked
            .diagnostics
            .iter()
            .max_by_key(|d| d.severity)
            .map(|d| format!("{} {}", d.code, d.message))
            .unwrap_or_default();
        let at = self
            .worst
            .partition_point(|(e, w, _, _)| (*e, *w) >= (errors, warnings));
        if at < WORST {
            self.worst.insert(at, (errors, warnings, place, first));
            self.worst.truncate(WORST);
        }
    }

    /// Annotations GitHub will not show: beyond the first 10 of each level.
    pub fn cut(&self) -> usize {
        self.annotations
            .iter()
            .map(|n| n.saturating_sub(ANNOTATIONS_SHOWN))
            .sum()
    }

    /// The line for the log when annotations were cut.
    pub fn cut_note(&self) -> Option<String> {
        let cut = self.cut();
        (cut > 0).then(|| {
            format!(
                "adlint: GitHub shows only the first {ANNOTATIONS_SHOWN} error, {ANNOTATIONS_SHOWN} warning and {ANNOTATIONS_SHOWN} notice annotations of a step: {} of {} were not shown on the pull request; the job summary counts them all{}",
                cut,
                plural(self.annotations.iter().sum(), "annotation"),
                match &self.sarif {
                    Some(_) => ", and the SARIF results list them",
                    None => "",
                }
            )
        })
    }

    /// The summary as Markdown.
    pub fn write(&self, out: &mut dyn Write, s: &Summary) -> io::Result<()> {
        writeln!(
            out,
            "## adlint: {} checked\n",
            plural(s.captions, "caption")
        )?;
        writeln!(out, "| | |\n|---|---:|")?;
        for (label, n) in [
            ("Errors", s.errors),
            ("Warnings", s.warnings),
            ("Advice", s.advice),
            ("Clean captions", s.clean),
            ("Inputs that could not be read", s.failed_inputs),
        ] {
            writeln!(out, "| {label} | {n} |")?;
        }
        if s.baselined > 0 {
            writeln!(
                out,
                "| Findings known from the baseline (not counted) | {} |",
                s.baselined
            )?;
        }
        if !self.rules.is_empty() {
            writeln!(
                out,
                "\n### Findings per rule\n\n| Rule | Severity | Findings |\n|---|---|---:|"
            )?;
            let mut rules: Vec<_> = self.rules.iter().collect();
            rules.sort_by_key(|(code, (severity, n))| (std::cmp::Reverse((*severity, *n)), *code));
            for ((code, name), (severity, n)) in rules {
                writeln!(
                    out,
                    "| `{}` {} | {} | {n} |",
                    cell(code),
                    cell(name),
                    severity.as_str()
                )?;
            }
        }
        if !self.worst.is_empty() {
            writeln!(
                out,
                "\n### Worst records\n\n| Record | Errors | Warnings | Most severe finding |\n|---|---:|---:|---|"
            )?;
            for (errors, warnings, place, first) in &self.worst {
                writeln!(
                    out,
                    "| {} | {errors} | {warnings} | {} |",
                    cell(place),
                    cell(first)
                )?;
            }
        }
        if !self.input_errors.is_empty() {
            writeln!(out, "\n### Inputs that could not be read\n")?;
            for place in &self.input_errors {
                writeln!(out, "- {}", cell(place))?;
            }
        }
        writeln!(out)?;
        if let Some(note) = self.cut_note() {
            writeln!(out, "> {}\n", cell(note.trim_start_matches("adlint: ")))?;
        }
        match &self.sarif {
            Some(link) if link.starts_with("https://") => {
                writeln!(out, "Every finding: [code scanning results]({link}).")?
            }
            Some(file) => writeln!(out, "Every finding: the SARIF file `{}`.", cell(file))?,
            None => writeln!(
                out,
                "Every finding: run `adlint check` locally, or set `sarif: \"true\"` in the action to upload them to code scanning."
            )?,
        }
        Ok(())
    }
}
