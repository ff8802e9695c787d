//! `conditional`: report once when the rule's condition holds, at the first match of its
//! anchors (or at the caption's opening line when none matches).

use std::ops::Range;

use crate::diagnostic::Diagnostic;
use crate::engine::context::{Ctx, Match};
use crate::engine::diagnose::Vars;
use crate::rules::load::{Errors, Names};
use crate::rules::raw::RawRule;
use crate::rules::{Check, Rule};

/// Validate a `conditional` rule: it needs `when`; its anchors must be term lists.
pub(crate) fn compile(raw: &RawRule, names: &Names, errs: &mut Errors<'_>) -> Option<Check> {
    if raw.when.is_none() {
        errs.at(
            Some(raw.kind.span()),
            "a `conditional` rule needs `when`",
            "needs `when`",
        );
    }
    let anchor = raw
        .anchor
        .iter()
        .filter_map(|a| names.list(a, errs))
        .collect();
    Some(Check::Conditional { anchor })
}

impl Ctx<'_> {
    pub(in crate::engine) fn conditional(
        &mut self,
        rule: &Rule,
        anchor: &[usize],
        out: &mut Vec<Diagnostic>,
    ) {
        let vars = Vars::default();
        let first = anchor
            .iter()
            .filter_map(|&a| self.list(a).kept.first().cloned())
            .min_by_key(|m| m.span.start);
        let m = first.unwrap_or_else(|| Match {
            span: self.opening_span(),
            list: usize::MAX,
        });
        out.push(self.diagnostic(rule, &m, &vars, Vec::new()));
    }

    /// The first line's text (within the head): where a missing disclosure belongs.
    fn opening_span(&self) -> Range<usize> {
        let text = self.text();
        let line_end = text.find(['\n', '\r']).unwrap_or(text.len());
        let end = line_end.min(self.scan.head_end().max(1)).min(text.len());
        let end = text.floor_char_boundary(end);
        let trimmed = text[..end].trim_end().len();
        let start = text.len() - text.trim_start().len();
        if start < trimmed {
            start..trimmed
        } else {
            0..text.len().min(end)
        }
    }
}
