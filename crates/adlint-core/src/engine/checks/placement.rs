//! `placement`: a term list's matches must sit in the head (before the platform's fold), or
//! not be buried in a hashtag wall.

use std::ops::Range;

use unicode_segmentation::UnicodeSegmentation;

use crate::diagnostic::{Diagnostic, Label};
use crate::engine::context::Ctx;
use crate::engine::diagnose::Vars;
use crate::rules::load::Errors;
use crate::rules::raw::RawRule;
use crate::rules::{Check, Placement, Rule};

/// Validate a `placement` rule: `terms`, and `require` of `head` or `outside-hashtag-wall`.
pub(crate) fn compile(raw: &RawRule, terms: Option<usize>, errs: &mut Errors<'_>) -> Option<Check> {
    super::need_terms(raw, errs);
    let require = match raw.require.as_ref().map(|r| r.get_ref().as_str()) {
        Some("head") => Some(Placement::Head),
        Some("outside-hashtag-wall") => Some(Placement::OutsideHashtagWall),
        other => {
            let span = raw.require.as_ref().map_or(raw.kind.span(), |r| r.span());
            let what = other.map_or("a `placement` rule needs `require`".to_string(), |o| {
                format!("unknown placement `{o}`")
            });
            errs.push(
                Some(span),
                what,
                "here",
                Some("use `require = \"head\"` or `require = \"outside-hashtag-wall\"`".into()),
            );
            None
        }
    };
    terms
        .zip(require)
        .map(|(terms, require)| Check::Placement { terms, require })
}

impl Ctx<'_> {
    pub(in crate::engine) fn placement(
        &mut self,
        rule: &Rule,
        terms: usize,
        require: Placement,
        out: &mut Vec<Diagnostic>,
    ) {
        let vars = Vars::default();
        let found = self.list(terms);
        let Some(first) = found.kept.first() else {
            return;
        };
        match require {
            Placement::Head => {
                let head = self.scan.head_end();
                if found.kept.iter().any(|m| m.span.end <= head) {
                    return;
                }
                let fold = self.fold_label();
                out.push(self.diagnostic(rule, first, &vars, vec![fold]));
            }
            Placement::OutsideHashtagWall => {
                if let Some(wall_start) = self.buried_in_wall(&first.span) {
                    // Labelled at its first token: a label spanning the whole wall would
                    // contain the disclosure's own label.
                    let label = Label {
                        span: wall_start,
                        text: "a hashtag wall starts here".into(),
                    };
                    out.push(self.diagnostic(rule, first, &vars, vec![label]));
                }
            }
        }
    }

    /// A label on the grapheme right after the fold.
    fn fold_label(&self) -> Label {
        let text = self.text();
        let at = self.scan.head_end();
        let len = text[at..].graphemes(true).next().map_or(0, str::len);
        Label {
            span: at..at + len,
            text: format!(
                "the {} fold: from here on, viewers must tap \"more\" ({})",
                self.platform.name,
                self.platform.fold_description()
            ),
        }
    }

    /// If `span` is a hashtag token inside a wall and not its first token, the span of the
    /// wall's first token.
    fn buried_in_wall(&self, span: &Range<usize>) -> Option<Range<usize>> {
        let tokens = &self.scan.tokens;
        let index = tokens.partition_point(|t| t.span.start < span.start);
        (tokens.get(index)?.span == *span).then_some(())?;
        let wall = self.scan.walls.iter().find(|w| w.contains(&index))?;
        (index != wall.start).then(|| tokens[wall.start].span.clone())
    }
}
