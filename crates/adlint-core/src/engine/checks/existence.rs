//! `existence`: report matches of a term list (the first, or each with `report = "each"`).

use crate::diagnostic::Diagnostic;
use crate::engine::context::Ctx;
use crate::engine::diagnose::Vars;
use crate::rules::load::Errors;
use crate::rules::raw::RawRule;
use crate::rules::{Check, Rule};

/// Validate an `existence` rule: `terms`, and a report mode of `first` or `each`.
pub(crate) fn compile(raw: &RawRule, terms: Option<usize>, errs: &mut Errors<'_>) -> Option<Check> {
    super::need_terms(raw, errs);
    let each = match raw.report.as_ref().map(|r| r.get_ref().as_str()) {
        None | Some("first") => false,
        Some("each") => true,
        Some(other) => {
            let span = raw.report.as_ref().map(|r| r.span());
            errs.at(
                span,
                format!("unknown report mode `{other}`: use first or each"),
                "unknown mode",
            );
            false
        }
    };
    terms.map(|terms| Check::Existence { terms, each })
}

impl Ctx<'_> {
    pub(in crate::engine) fn existence(
        &mut self,
        rule: &Rule,
        terms: usize,
        each: bool,
        out: &mut Vec<Diagnostic>,
    ) {
        let vars = Vars::default();
        let found = self.list(terms);
        let take = if each { found.kept.len() } else { 1 };
        for m in found.kept.iter().take(take) {
            out.push(self.diagnostic(rule, m, &vars, Vec::new()));
        }
    }
}
