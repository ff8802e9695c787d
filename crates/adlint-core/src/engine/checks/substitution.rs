//! `substitution`: report the first match of a term list and propose its replacement.

use crate::diagnostic::Diagnostic;
use crate::engine::context::Ctx;
use crate::engine::diagnose::Vars;
use crate::rules::load::Errors;
use crate::rules::raw::RawRule;
use crate::rules::{Check, Rule};

/// Validate a `substitution` rule: `terms`, and `replace` (`#ad` when left out).
pub(crate) fn compile(raw: &RawRule, terms: Option<usize>, errs: &mut Errors<'_>) -> Option<Check> {
    super::need_terms(raw, errs);
    let replace = raw.replace.clone().unwrap_or_else(|| "#ad".into());
    terms.map(|terms| Check::Substitution { terms, replace })
}

impl Ctx<'_> {
    pub(in crate::engine) fn substitution(
        &mut self,
        rule: &Rule,
        terms: usize,
        replace: &str,
        out: &mut Vec<Diagnostic>,
    ) {
        let mut vars = Vars::default();
        let found = self.list(terms);
        if let Some(m) = found.kept.first() {
            vars.suggest = self.pack.lists[m.list]
                .suggest
                .clone()
                .unwrap_or_else(|| replace.to_string());
            out.push(self.diagnostic(rule, m, &vars, Vec::new()));
        }
    }
}
