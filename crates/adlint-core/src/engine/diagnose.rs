//! Turning a match into a diagnostic: messages, labels and fixes.

use std::ops::Range;

use super::context::{Ctx, Match};
use super::matchers::is_negated;
use crate::diagnostic::{Diagnostic, Edit, Fix, Label};
use crate::rules::{FixAction, FixSpec, Platform, Rule};
use crate::text::TokenKind;

impl<'a> Ctx<'a> {
    pub(super) fn diagnostic(
        &self,
        rule: &Rule,
        m: &Match,
        vars: &Vars,
        labels: Vec<Label>,
    ) -> Diagnostic {
        let text = self.text();
        let matched = &text[m.span.clone()];
        let fill = |s: &str| vars.fill(s, matched, self.platform, &self.caption.brands);
        let list_label = self.pack.lists.get(m.list).and_then(|l| l.label.as_deref());
        let label = rule
            .label
            .as_deref()
            .or(list_label)
            .unwrap_or(&rule.message);
        Diagnostic {
            code: rule.code.clone(),
            name: rule.name.clone(),
            severity: rule.severity,
            message: fill(&rule.message),
            span: m.span.clone(),
            label: fill(label),
            labels,
            help: fill(&rule.help),
            url: rule.source.clone(),
            fix: rule.fix.as_ref().and_then(|spec| self.fix(spec, m, vars)),
        }
    }

    /// The edits that repair a finding, per the rule's fix action.
    pub(super) fn fix(&self, spec: &FixSpec, m: &Match, vars: &Vars) -> Option<Fix> {
        let text = self.text();
        let edits = match &spec.action {
            FixAction::Replace => {
                let list = self.pack.lists.get(m.list)?;
                // Right after a negator ("not sponsored #sp") the clear label would read as a
                // denial, not a disclosure: leave it to the user.
                if vars.suggest.is_empty() || self.negated_here(m.span.start) {
                    return None;
                }
                if list.suggest_prefix {
                    vec![edit(
                        m.span.start..m.span.start,
                        format!("{} ", vars.suggest),
                    )]
                } else {
                    vec![edit(m.span.clone(), vars.suggest.clone())]
                }
            }
            FixAction::MoveToStart => {
                let is_hashtag = self
                    .scan
                    .tokens
                    .iter()
                    .any(|t| t.kind == TokenKind::Hashtag && t.span == m.span);
                let start = start_of(text);
                if !is_hashtag {
                    // A phrase cannot be lifted out of its sentence: put a clear label first.
                    return Some(Fix {
                        safety: spec.safety,
                        edits: vec![edit(start..start, format!("{} ", self.pack_label()))],
                    });
                }
                vec![
                    edit(start..start, format!("{} ", &text[m.span.clone()])),
                    edit(removal(text, &m.span), String::new()),
                ]
            }
            FixAction::InsertAtStart(label) => {
                let label = self.fix_label.unwrap_or(label);
                let start = start_of(text);
                vec![edit(start..start, label.to_string())]
            }
            FixAction::AddLanguageTerm => {
                if vars.language_term.is_empty() {
                    return None;
                }
                let is_hashtag = text[m.span.clone()].starts_with(['#', '＃']);
                if is_hashtag {
                    vec![edit(
                        m.span.end..m.span.end,
                        format!(" {}", vars.language_term),
                    )]
                } else {
                    // Before a label or phrase, so `Ad:` keeps its colon.
                    vec![edit(
                        m.span.start..m.span.start,
                        format!("{} ", vars.language_term),
                    )]
                }
            }
        };
        Some(Fix {
            safety: spec.safety,
            edits,
        })
    }

    /// Whether a term starting at `at` would be negated, by any list's negators.
    pub(super) fn negated_here(&self, at: usize) -> bool {
        self.pack
            .lists
            .iter()
            .filter(|l| !l.negators.is_empty())
            .any(|l| is_negated(self.text(), at, &l.negators, l.negation_window))
    }

    /// The label a fix puts first when it cannot move the disclosure itself.
    pub(super) fn pack_label(&self) -> &str {
        self.fix_label.map_or("#ad", |l| l.trim_end())
    }
}

pub(super) fn edit(range: Range<usize>, text: String) -> Edit {
    Edit {
        start: range.start,
        end: range.end,
        text,
    }
}

/// Where text inserted "at the start" goes: after any leading whitespace.
pub(super) fn start_of(text: &str) -> usize {
    text.len() - text.trim_start().len()
}

/// The length of the line break at `at` (CRLF, CR or LF), or 0.
pub(super) fn break_len(text: &str, at: usize) -> usize {
    let rest = &text[at..];
    if rest.starts_with("\r\n") {
        2
    } else {
        usize::from(rest.starts_with(['\n', '\r']))
    }
}

/// What to delete to take a token out of the caption tidily: with the brackets around it, with
/// one neighbouring space, or with its whole line when it stands alone on it (and with one of
/// the blank lines around it, so no double gap is left).
pub(super) fn removal(text: &str, span: &Range<usize>) -> Range<usize> {
    let mut span = span.clone();
    // `(#ad)`, `[#ad]`: the brackets go with it.
    let open = text[..span.start].chars().next_back();
    let close = text[span.end..].chars().next();
    if let (Some(o), Some(c)) = (open, close)
        && matches!((o, c), ('(', ')') | ('[', ']') | ('【', '】'))
    {
        span = span.start - o.len_utf8()..span.end + c.len_utf8();
    }
    let line_start = text[..span.start].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let line_end = text[span.end..]
        .find(['\n', '\r'])
        .map_or(text.len(), |i| span.end + i);
    let alone = text[line_start..span.start].trim().is_empty()
        && text[span.end..line_end].trim().is_empty();
    if alone {
        if line_end == text.len() {
            // The last line: take the line breaks and blank lines before it too.
            return text[..line_start].trim_end().len()..line_end;
        }
        let mut end = line_end + break_len(text, line_end);
        let blank_before = line_start > 0 && {
            let before = &text[..line_start];
            let prev_end = before.len() - if before.ends_with("\r\n") { 2 } else { 1 };
            let prev_start = text[..prev_end].rfind(['\n', '\r']).map_or(0, |i| i + 1);
            text[prev_start..prev_end].trim().is_empty()
        };
        if blank_before && break_len(text, end) > 0 {
            // Between two blank lines: keep one of them.
            end += break_len(text, end);
        }
        return line_start..end;
    }
    let before = text[..span.start].chars().next_back();
    let after = text[span.end..].chars().next();
    if matches!(before, Some(' ' | '\t')) {
        span.start - 1..span.end
    } else if before.is_none_or(|c| c == '\n' || c == '\r') && matches!(after, Some(' ' | '\t')) {
        span.start..span.end + 1
    } else {
        // Glued to its neighbour (`#ootd#ad @x`): take the token alone.
        span
    }
}

/// Values that rule texts may interpolate.
#[derive(Default)]
pub(super) struct Vars {
    pub(super) suggest: String,
    pub(super) language: String,
    pub(super) language_terms: String,
    /// The disclosure term a fix adds in the caption's language.
    pub(super) language_term: String,
}

impl Vars {
    pub(super) fn fill(
        &self,
        template: &str,
        matched: &str,
        platform: &Platform,
        brands: &[String],
    ) -> String {
        if !template.contains('{') {
            return template.to_string();
        }
        // One pass over the template, so a value that happens to contain `{…}` (a caption's
        // own words) is never filled in again.
        let mut out = String::with_capacity(template.len() + 64);
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let at = &rest[open..];
            let name = at.find('}').map(|close| (&at[1..close], close));
            let fold;
            let value = match name.map(|(n, _)| n) {
                Some("match") => matched.trim(),
                Some("suggest") => &self.suggest,
                Some("platform") => &platform.name,
                Some("fold") => {
                    fold = platform.fold_description();
                    &fold
                }
                Some("language") => &self.language,
                Some("language-terms") => &self.language_terms,
                Some("brand") => brands.first().map_or("<brand>", String::as_str),
                _ => {
                    out.push('{');
                    rest = &at[1..];
                    continue;
                }
            };
            out.push_str(value);
            rest = &at[name.map_or(1, |(_, close)| close + 1)..];
        }
        out.push_str(rest);
        out
    }
}
