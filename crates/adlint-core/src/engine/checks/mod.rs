//! The check kinds, one file each: how a rule of that kind is validated when its pack is
//! compiled, and how it is evaluated on a caption.

pub(crate) mod conditional;
pub(crate) mod existence;
pub(crate) mod language;
pub(crate) mod placement;
pub(crate) mod substitution;

use super::context::Ctx;
use crate::diagnostic::Diagnostic;
use crate::rules::load::Errors;
use crate::rules::raw::RawRule;
use crate::rules::{Check, Rule};

/// Report that a rule of a kind that needs `terms` has none.
pub(crate) fn need_terms(raw: &RawRule, errs: &mut Errors<'_>) {
    if raw.terms.is_none() {
        errs.at(
            Some(raw.kind.span()),
            format!("a `{}` rule needs `terms`", raw.kind.get_ref()),
            "needs `terms`",
        );
    }
}

impl Ctx<'_> {
    /// Run one rule: its condition, then its check.
    pub(in crate::engine) fn apply(&mut self, rule: &Rule, out: &mut Vec<Diagnostic>) {
        if let Some(when) = &rule.when
            && !self.eval(when)
        {
            return;
        }
        match &rule.check {
            Check::Existence { terms, each } => self.existence(rule, *terms, *each, out),
            Check::Substitution { terms, replace } => {
                self.substitution(rule, *terms, replace, out);
            }
            Check::Conditional { anchor } => self.conditional(rule, anchor, out),
            Check::Placement { terms, require } => self.placement(rule, *terms, *require, out),
            Check::Language { terms } => self.language_check(rule, *terms, out),
        }
    }
}
