//! `--format html`: a single self-contained HTML compliance report, for an account manager to
//! hand to a client: headline numbers, findings per rule and per creator (tables and bar charts),
//! the platforms, every flagged caption with its findings highlighted, and the inputs that could
//! not be read.
//!
//! The document has no scripts and loads nothing: its CSS is inline, its charts are inline SVG,
//! and the only links are the rules' sources. It carries no timestamp, so the same run gives the
//! same bytes. Everything that comes from the data is escaped, so a caption holding markup shows
//! as text.

use std::io::{self, Write};
use std::ops::Range;

use super::audit::{
    Audit, COMPLIANT_NOTE, Flagged, GroupTally, MAX_CREATORS, MAX_FLAGGED, RuleTally, percent,
};
use super::{Summary, plural};
use crate::diagnostic::Diagnostic;
use crate::rules::Severity;

const TITLE: &str = "Advertising disclosure audit";

const CSS: &str = r#"
:root { --ink: #1d2939; --muted: #5d6b82; --line: #d0d5dd; --soft: #f2f4f7;
  --error: #b42318; --warning: #b54708; --advice: #175cd3; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: var(--ink); background: #fff; line-height: 1.45; max-width: 62rem; margin: 0 auto;
  padding: 2rem 1.5rem; }
h1 { font-size: 1.7rem; margin: 0 0 .3rem; }
h2 { font-size: 1.2rem; margin: 2.2rem 0 .8rem; padding-bottom: .25rem; border-bottom: 2px solid var(--line); }
h3 { font-size: .95rem; margin: 0; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
  overflow-wrap: anywhere; }
.generated, .note { color: var(--muted); font-size: .9rem; margin: .2rem 0; }
dl.headline { display: grid; grid-template-columns: repeat(auto-fill, minmax(9.5rem, 1fr)); gap: .75rem;
  margin: 1.5rem 0 .5rem; }
dl.headline div { border: 1px solid var(--line); border-radius: 6px; padding: .6rem .8rem; }
dl.headline dt { font-size: .8rem; color: var(--muted); }
dl.headline dd { margin: 0; font-size: 1.5rem; font-weight: 600; font-variant-numeric: tabular-nums; }
dl.headline dd small { font-size: .9rem; font-weight: 400; color: var(--muted); }
table { border-collapse: collapse; width: 100%; font-size: .9rem; margin: .8rem 0; }
th, td { text-align: left; padding: .3rem .55rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: var(--soft); font-weight: 600; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .9em; }
.sev { font-weight: 600; }
.sev-error { color: var(--error); }
.sev-warning { color: var(--warning); }
.sev-advice { color: var(--advice); }
svg.chart { display: block; width: 100%; max-width: 48rem; height: auto; margin: .5rem 0; }
svg.chart text { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif;
  font-size: 12px; fill: #1d2939; }
.legend span { display: inline-block; width: .8em; height: .8em; margin: 0 .3em 0 .8em;
  vertical-align: -.05em; border-radius: 2px; }
.legend span:first-child { margin-left: 0; }
article.caption { border: 1px solid var(--line); border-radius: 6px; padding: .75rem 1rem; margin: 0 0 1rem; }
article.caption .meta { color: var(--muted); font-size: .85rem; margin: .15rem 0 .5rem; }
.caption-text { white-space: pre-wrap; overflow-wrap: anywhere; background: #f9fafb;
  border-left: 3px solid var(--line); padding: .5rem .75rem; margin: 0 0 .5rem; }
mark { background: #fde68a; color: inherit; padding: 0 .1em; border-radius: 2px; }
ul.findings { margin: 0; padding-left: 1.2rem; }
ul.findings li { margin: .3rem 0; }
ul.findings .help { display: block; color: var(--muted); }
ul.input-errors li { overflow-wrap: anywhere; }
footer { margin-top: 2.5rem; padding-top: .75rem; border-top: 1px solid var(--line); color: var(--muted);
  font-size: .85rem; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  h2, h3 { break-after: avoid; }
  tr, svg.chart, article.caption, dl.headline div { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
"#;

/// Bar colours, the same as the CSS severity colours.
const ERROR_FILL: &str = "#b42318";
const WARNING_FILL: &str = "#dc6803";
const ADVICE_FILL: &str = "#175cd3";

/// Escape text for HTML element content and quoted attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Escape text, showing `quoted` parts of rule messages and help as code.
fn escape_code(s: &str) -> String {
    if !s.matches('`').count().is_multiple_of(2) {
        return escape(s);
    }
    let mut out = String::with_capacity(s.len() + 32);
    for (i, part) in s.split('`').enumerate() {
        if i % 2 == 1 {
            out.push_str("<code>");
            out.push_str(&escape(part));
            out.push_str("</code>");
        } else {
            out.push_str(&escape(part));
        }
    }
    out
}

/// The report as one HTML document.
/// `packs`: the rule packs that ran, as [`super::PacksUsed::json`] gives them.
pub fn render(
    out: &mut dyn Write,
    audit: &Audit,
    summary: &Summary,
    packs: &[serde_json::Value],
) -> io::Result<()> {
    let mut h = Vec::with_capacity(64 * 1024);
    document(&mut h, audit, summary, packs)?;
    out.write_all(&h)
}

fn document(
    h: &mut Vec<u8>,
    audit: &Audit,
    s: &Summary,
    packs: &[serde_json::Value],
) -> io::Result<()> {
    let version = env!("CARGO_PKG_VERSION");
    writeln!(h, "<!DOCTYPE html>")?;
    writeln!(h, "<html lang=\"en\">")?;
    writeln!(h, "<head>")?;
    writeln!(h, "<meta charset=\"utf-8\">")?;
    writeln!(
        h,
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
    )?;
    writeln!(h, "<meta name=\"generator\" content=\"adlint {version}\">")?;
    writeln!(h, "<title>{TITLE}</title>")?;
    writeln!(h, "<style>{CSS}</style>")?;
    writeln!(h, "</head>")?;
    writeln!(h, "<body>")?;

    writeln!(h, "<header>")?;
    writeln!(h, "<h1>{TITLE}</h1>")?;
    writeln!(
        h,
        "<p class=\"generated\">Generated by adlint {version} from the caption text of each post.</p>"
    )?;
    if !audit.sources.is_empty() {
        let mut names: Vec<String> = audit
            .sources
            .iter()
            .map(|src| format!("<code>{}</code>", escape(src)))
            .collect();
        if audit.sources_not_kept > 0 {
            names.push(format!("{} more", audit.sources_not_kept));
        }
        let label = if names.len() == 1 { "Input" } else { "Inputs" };
        writeln!(
            h,
            "<p class=\"generated\">{label}: {}</p>",
            names.join(", ")
        )?;
    }
    if !packs.is_empty() {
        let names: Vec<String> = packs
            .iter()
            .map(|p| {
                let field = |key: &str| p[key].as_str().unwrap_or_default();
                let mut text = format!(
                    "<code>{}</code> {}",
                    escape(field("name")),
                    escape(field("version"))
                );
                if !field("title").is_empty() {
                    text.push_str(&format!(" ({})", escape(field("title"))));
                }
                if !field("sources_read").is_empty() {
                    text.push_str(&format!(", sources read {}", escape(field("sources_read"))));
                }
                text
            })
            .collect();
        let label = if names.len() == 1 {
            "Rule pack"
        } else {
            "Rule packs"
        };
        writeln!(
            h,
            "<p class=\"generated\" id=\"packs\">{label}: {}</p>",
            names.join("; ")
        )?;
    }
    writeln!(h, "</header>")?;

    headline(h, s)?;
    rules(h, audit)?;
    creators(h, audit)?;
    platforms(h, audit)?;
    flagged(h, audit)?;
    input_errors(h, audit, s)?;

    writeln!(h, "<footer>")?;
    writeln!(
        h,
        "<p>This report was produced automatically by adlint {version}. It points out likely \
         advertising-disclosure problems in caption text, measured against the rule packs named at \
         the top. A compliant caption is one \
         in which no error or warning was found; adlint does not see images, video or what is \
         said on camera.</p>"
    )?;
    writeln!(
        h,
        "<p><strong>This is not legal advice.</strong> For decisions about a campaign, ask a \
         lawyer who knows the rules of the markets it runs in.</p>"
    )?;
    writeln!(h, "</footer>")?;
    writeln!(h, "</body>")?;
    writeln!(h, "</html>")
}

fn headline(h: &mut Vec<u8>, s: &Summary) -> io::Result<()> {
    writeln!(h, "<section id=\"summary\">")?;
    writeln!(h, "<h2>Summary</h2>")?;
    writeln!(h, "<dl class=\"headline\">")?;
    let compliant = format!(
        "{} <small>({})</small>",
        s.clean,
        escape(&percent(s.clean, s.captions))
    );
    let items = [
        (
            "Records checked",
            (s.captions + s.failed_inputs).to_string(),
        ),
        ("Captions checked", s.captions.to_string()),
        ("Compliant captions", compliant),
        ("Errors", s.errors.to_string()),
        ("Warnings", s.warnings.to_string()),
        ("Advice", s.advice.to_string()),
        ("Inputs that could not be read", s.failed_inputs.to_string()),
    ];
    let baselined = [(
        "Findings known from the baseline (counted above)",
        s.baselined.to_string(),
    )];
    let shown = if s.baselined > 0 { &baselined[..] } else { &[] };
    for (label, value) in items.iter().chain(shown) {
        writeln!(h, "<div><dt>{label}</dt><dd>{value}</dd></div>")?;
    }
    writeln!(h, "</dl>")?;
    writeln!(h, "<p class=\"note\">{}</p>", escape(COMPLIANT_NOTE))?;
    writeln!(h, "</section>")
}

fn severity_class(s: Option<Severity>) -> &'static str {
    match s {
        Some(Severity::Error) => "sev sev-error",
        Some(Severity::Warning) => "sev sev-warning",
        Some(Severity::Advice) => "sev sev-advice",
        None => "sev",
    }
}

fn severity_fill(s: Option<Severity>) -> &'static str {
    match s {
        Some(Severity::Error) | None => ERROR_FILL,
        Some(Severity::Warning) => WARNING_FILL,
        Some(Severity::Advice) => ADVICE_FILL,
    }
}

/// A rule's source as a link, only for web addresses (a rule pack could hold anything).
fn source_link(url: &str) -> String {
    if url.starts_with("https://") || url.starts_with("http://") {
        format!(
            "<a href=\"{}\" rel=\"noopener noreferrer\">source</a>",
            escape(url)
        )
    } else {
        escape(url)
    }
}

fn rules(h: &mut Vec<u8>, audit: &Audit) -> io::Result<()> {
    writeln!(h, "<section id=\"rules\">")?;
    writeln!(h, "<h2>Findings per rule</h2>")?;
    let rules = audit.rules_sorted();
    if rules.is_empty() {
        writeln!(h, "<p>No findings.</p>")?;
        return writeln!(h, "</section>");
    }
    let bars: Vec<Bar> = rules
        .iter()
        .map(|r| Bar {
            label: format!("{} {}", r.code, r.name),
            parts: vec![(r.findings, severity_fill(r.severity))],
            title: format!("{} {}: {}", r.code, r.name, plural(r.findings, "finding")),
        })
        .collect();
    writeln!(
        h,
        "<p class=\"note legend\"><span style=\"background:{ERROR_FILL}\"></span>error\
         <span style=\"background:{WARNING_FILL}\"></span>warning\
         <span style=\"background:{ADVICE_FILL}\"></span>advice</p>"
    )?;
    chart(h, "rules-chart", "Findings per rule", &bars)?;
    writeln!(h, "<table id=\"rules-table\">")?;
    writeln!(
        h,
        "<thead><tr><th>Code</th><th>Rule</th><th>Severity</th><th class=\"num\">Findings</th>\
         <th class=\"num\">Captions affected</th><th>Source</th></tr></thead>"
    )?;
    writeln!(h, "<tbody>")?;
    for r in &rules {
        rule_row(h, r)?;
    }
    writeln!(h, "</tbody>")?;
    writeln!(h, "</table>")?;
    writeln!(h, "</section>")
}

fn rule_row(h: &mut Vec<u8>, r: &RuleTally) -> io::Result<()> {
    writeln!(
        h,
        "<tr><td><code>{}</code></td><td>{}</td><td class=\"{}\">{}</td><td class=\"num\">{}</td>\
         <td class=\"num\">{}</td><td>{}</td></tr>",
        escape(&r.code),
        escape(&r.name),
        severity_class(r.severity),
        r.severity.map_or("", Severity::as_str),
        r.findings,
        r.captions,
        source_link(&r.url),
    )
}

fn group_table(h: &mut Vec<u8>, id: &str, first: &str, groups: &[&GroupTally]) -> io::Result<()> {
    writeln!(h, "<table id=\"{id}\">")?;
    writeln!(
        h,
        "<thead><tr><th>{first}</th><th class=\"num\">Captions</th><th class=\"num\">Compliant</th>\
         <th class=\"num\">Share compliant</th><th class=\"num\">Errors</th>\
         <th class=\"num\">Warnings</th><th class=\"num\">Advice</th></tr></thead>"
    )?;
    writeln!(h, "<tbody>")?;
    for g in groups {
        writeln!(
            h,
            "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
             <td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
             <td class=\"num\">{}</td></tr>",
            escape(&g.name),
            g.captions,
            g.compliant,
            escape(&percent(g.compliant, g.captions)),
            g.errors,
            g.warnings,
            g.advice,
        )?;
    }
    writeln!(h, "</tbody>")?;
    writeln!(h, "</table>")
}

fn creators(h: &mut Vec<u8>, audit: &Audit) -> io::Result<()> {
    writeln!(h, "<section id=\"creators\">")?;
    writeln!(h, "<h2>Per creator, worst first</h2>")?;
    let all = Audit::sorted(&audit.creators);
    let shown = &all[..all.len().min(MAX_CREATORS)];
    let bars: Vec<Bar> = shown
        .iter()
        .filter(|g| g.errors + g.warnings > 0)
        .map(|g| Bar {
            label: g.name.clone(),
            parts: vec![(g.errors, ERROR_FILL), (g.warnings, WARNING_FILL)],
            title: format!(
                "{}: {}, {}",
                g.name,
                plural(g.errors, "error"),
                plural(g.warnings, "warning")
            ),
        })
        .collect();
    if bars.is_empty() {
        writeln!(h, "<p>No creator has errors or warnings.</p>")?;
    } else {
        writeln!(
            h,
            "<p class=\"note legend\"><span style=\"background:{ERROR_FILL}\"></span>errors\
             <span style=\"background:{WARNING_FILL}\"></span>warnings</p>"
        )?;
        chart(
            h,
            "creators-chart",
            "Errors and warnings per creator",
            &bars,
        )?;
    }
    if !shown.is_empty() {
        group_table(h, "creators-table", "Creator", shown)?;
    }
    if all.len() > shown.len() {
        writeln!(
            h,
            "<p class=\"note\">The {} worst of {} are shown; <code>adlint audit --format json</code> \
             lists every creator.</p>",
            shown.len(),
            plural(all.len(), "creator")
        )?;
    }
    writeln!(h, "</section>")
}

fn platforms(h: &mut Vec<u8>, audit: &Audit) -> io::Result<()> {
    if audit.platforms.is_empty() {
        return Ok(());
    }
    writeln!(h, "<section id=\"platforms\">")?;
    writeln!(h, "<h2>Per platform</h2>")?;
    group_table(
        h,
        "platforms-table",
        "Platform",
        &Audit::sorted(&audit.platforms),
    )?;
    writeln!(h, "</section>")
}

/// One bar of a chart: a label, stacked parts (value, colour) and a tooltip.
struct Bar {
    label: String,
    parts: Vec<(usize, &'static str)>,
    title: String,
}

/// A horizontal bar chart as inline SVG: labels on the left, bars scaled to the largest total,
/// totals at the bars' ends.
fn chart(h: &mut Vec<u8>, id: &str, title: &str, bars: &[Bar]) -> io::Result<()> {
    const WIDTH: usize = 720;
    const LABEL: usize = 270;
    const BAR_MAX: usize = 390;
    const ROW: usize = 24;
    const PAD: usize = 6;
    const LABEL_CHARS: usize = 40;
    let max = bars
        .iter()
        .map(|b| b.parts.iter().map(|p| p.0).sum::<usize>())
        .max()
        .unwrap_or(0)
        .max(1);
    let height = PAD * 2 + ROW * bars.len();
    writeln!(
        h,
        "<svg id=\"{id}\" class=\"chart\" viewBox=\"0 0 {WIDTH} {height}\" width=\"{WIDTH}\" height=\"{height}\" role=\"img\" \
         aria-label=\"{}\">",
        escape(title)
    )?;
    writeln!(h, "<title>{}</title>", escape(title))?;
    for (i, bar) in bars.iter().enumerate() {
        let y = PAD + i * ROW;
        let label = super::audit::truncate(&bar.label, LABEL_CHARS);
        writeln!(
            h,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
            LABEL - 8,
            y + 16,
            escape(&label)
        )?;
        let mut x = LABEL;
        let mut total = 0;
        for &(value, fill) in &bar.parts {
            if value == 0 {
                continue;
            }
            total += value;
            // Every non-zero part is at least two units wide, so it can be seen.
            let w = (value * BAR_MAX).div_ceil(max).max(2);
            writeln!(
                h,
                "<rect x=\"{x}\" y=\"{}\" width=\"{w}\" height=\"16\" fill=\"{fill}\">\
                 <title>{}</title></rect>",
                y + 4,
                escape(&bar.title)
            )?;
            x += w;
        }
        writeln!(h, "<text x=\"{}\" y=\"{}\">{total}</text>", x + 6, y + 16)?;
    }
    writeln!(h, "</svg>")
}

fn flagged(h: &mut Vec<u8>, audit: &Audit) -> io::Result<()> {
    let total = audit.flagged.len() + audit.flagged_not_kept;
    writeln!(h, "<section id=\"flagged\">")?;
    writeln!(h, "<h2>Flagged captions ({total})</h2>")?;
    if total == 0 {
        writeln!(h, "<p>No caption has an error or a warning.</p>")?;
        return writeln!(h, "</section>");
    }
    writeln!(
        h,
        "<p class=\"note\">Captions with at least one error or warning, in the order they were \
         read. The highlighted words are what each finding points at.</p>"
    )?;
    if audit.flagged_not_kept > 0 {
        writeln!(
            h,
            "<p class=\"note\"><strong>Only the first {MAX_FLAGGED} of {total} flagged captions \
             are shown.</strong> <code>adlint check</code> on the same inputs lists every \
             finding (<code>--format csv</code> for a spreadsheet).</p>"
        )?;
    }
    for f in &audit.flagged {
        caption(h, f)?;
    }
    writeln!(h, "</section>")
}

fn caption(h: &mut Vec<u8>, f: &Flagged) -> io::Result<()> {
    writeln!(h, "<article class=\"caption\">")?;
    match &f.url {
        // Only http(s) URLs are kept (see `Flagged::url`): no `javascript:` links.
        Some(url) => writeln!(
            h,
            "<h3><a class=\"post\" href=\"{}\" rel=\"noopener noreferrer\">{}</a></h3>",
            escape(url.trim()),
            escape(&f.location)
        )?,
        None => writeln!(h, "<h3>{}</h3>", escape(&f.location))?,
    }
    let creator = f.creator.as_deref().unwrap_or("(unknown)");
    writeln!(
        h,
        "<p class=\"meta\">Creator: <span class=\"creator\">{}</span> · Platform: \
         <span class=\"platform\">{}</span></p>",
        escape(creator),
        escape(&f.platform)
    )?;
    writeln!(
        h,
        "<p class=\"caption-text\">{}</p>",
        highlight(&f.text, &f.diagnostics)
    )?;
    writeln!(h, "<ul class=\"findings\">")?;
    for d in &f.diagnostics {
        writeln!(
            h,
            "<li><span class=\"{}\">{}</span> <code>{}</code> {}: {}\
             <span class=\"help\">Fix: {}</span></li>",
            severity_class(Some(d.severity)),
            d.severity.as_str(),
            escape(&d.code),
            escape(&d.name),
            escape_code(&d.message),
            escape_code(&d.help),
        )?;
    }
    writeln!(h, "</ul>")?;
    writeln!(h, "</article>")
}

/// The caption, escaped, with each finding's span in a `<mark>` titled with its code and
/// message. Overlapping spans are merged into one mark carrying every title; spans that are
/// empty, out of range or not on character boundaries are not marked.
pub fn highlight(text: &str, diagnostics: &[Diagnostic]) -> String {
    let mut spans: Vec<(Range<usize>, String)> = diagnostics
        .iter()
        .filter(|d| d.span.start < d.span.end && text.get(d.span.clone()).is_some())
        .map(|d| (d.span.clone(), format!("{} {}", d.code, d.message)))
        .collect();
    spans.sort_by_key(|(span, _)| (span.start, span.end));
    let mut merged: Vec<(Range<usize>, Vec<String>)> = Vec::new();
    for (span, title) in spans {
        match merged.last_mut() {
            Some((last, titles)) if span.start < last.end => {
                last.end = last.end.max(span.end);
                if !titles.contains(&title) {
                    titles.push(title);
                }
            }
            _ => merged.push((span, vec![title])),
        }
    }
    let mut out = String::with_capacity(text.len() + merged.len() * 64);
    let mut at = 0;
    for (span, titles) in merged {
        out.push_str(&escape(&text[at..span.start]));
        out.push_str("<mark title=\"");
        out.push_str(&escape(&titles.join("\n")));
        out.push_str("\">");
        out.push_str(&escape(&text[span.clone()]));
        out.push_str("</mark>");
        at = span.end;
    }
    out.push_str(&escape(&text[at..]));
    out
}

fn input_errors(h: &mut Vec<u8>, audit: &Audit, s: &Summary) -> io::Result<()> {
    if s.failed_inputs == 0 && audit.input_errors.is_empty() {
        return Ok(());
    }
    writeln!(h, "<section id=\"input-errors\">")?;
    writeln!(
        h,
        "<h2>Inputs that could not be read ({})</h2>",
        s.failed_inputs
    )?;
    writeln!(
        h,
        "<p class=\"note\">These records were not checked; the rest of the report does not \
         include them.</p>"
    )?;
    writeln!(h, "<ul class=\"input-errors\">")?;
    for e in &audit.input_errors {
        writeln!(h, "<li>{}</li>", escape(e))?;
    }
    writeln!(h, "</ul>")?;
    if s.failed_inputs > audit.input_errors.len() {
        writeln!(
            h,
            "<p class=\"note\">{} more are not listed; <code>adlint check</code> lists every \
             one.</p>",
            s.failed_inputs - audit.input_errors.len()
        )?;
    }
    writeln!(h, "</section>")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(code: &str, span: Range<usize>) -> Diagnostic {
        Diagnostic {
            message: format!("{code} <message>"),
            ..Diagnostic::sample(code, span)
        }
    }

    #[test]
    fn escapes_the_five_characters() {
        assert_eq!(
            escape(r#"<a href="x">Tom & 'Jerry'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;"
        );
    }

    #[test]
    fn overlapping_spans_merge_into_one_mark() {
        let text = "ab <cd> ef gh";
        let out = highlight(
            text,
            &[
                finding("B", 5..10),
                finding("A", 3..7),
                finding("C", 11..13),
                finding("D", 11..13),
            ],
        );
        assert_eq!(
            out,
            "ab <mark title=\"A A &lt;message&gt;\nB B &lt;message&gt;\">&lt;cd&gt; ef</mark> \
             <mark title=\"C C &lt;message&gt;\nD D &lt;message&gt;\">gh</mark>"
        );
    }

    #[test]
    fn backticks_become_code() {
        assert_eq!(
            escape_code("move `<#ad>` up & `x`"),
            "move <code>&lt;#ad&gt;</code> up &amp; <code>x</code>"
        );
        assert_eq!(escape_code("odd ` tick"), "odd ` tick");
    }

    #[test]
    fn bad_spans_are_not_marked() {
        let text = "é & x";
        // 1..2 splits the two-byte é; 4..4 is empty; 3..99 runs past the end.
        let out = highlight(
            text,
            &[finding("A", 1..2), finding("B", 4..4), finding("C", 3..99)],
        );
        assert_eq!(out, "é &amp; x");
    }
}
