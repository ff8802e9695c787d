//! `language`: one match of a term list must be in the caption's language.

use crate::diagnostic::Diagnostic;
use crate::engine::context::{Ctx, Match};
use crate::engine::diagnose::Vars;
use crate::rules::load::Errors;
use crate::rules::raw::RawRule;
use crate::rules::{Check, Rule};

/// Validate a `language` rule: it needs `terms`.
pub(crate) fn compile(raw: &RawRule, terms: Option<usize>, errs: &mut Errors<'_>) -> Option<Check> {
    super::need_terms(raw, errs);
    terms.map(|terms| Check::Language { terms })
}

impl Ctx<'_> {
    pub(in crate::engine) fn language_check(
        &mut self,
        rule: &Rule,
        terms: usize,
        out: &mut Vec<Diagnostic>,
    ) {
        let mut vars = Vars::default();
        let found = self.list(terms);
        let pack = self.pack;
        // A disclosure that fits every language settles it without the (costly) detector.
        let neutral = |m: &Match| pack.lists[m.list].languages.is_empty();
        if found.kept.is_empty() || found.kept.iter().any(neutral) {
            return;
        }
        let Some(lang) = self.language() else { return };
        let fits = found
            .kept
            .iter()
            .any(|m| pack.lists[m.list].languages.contains(&lang));
        if fits {
            return;
        }
        vars.language = lang.eng_name().to_string();
        let terms: Vec<&str> = pack
            .lists
            .iter()
            .filter(|l| l.languages.contains(&lang))
            .flat_map(|l| l.display_terms.iter().map(String::as_str))
            .collect();
        vars.language_term = terms
            .iter()
            .find(|t| t.starts_with('#'))
            .or(terms.first())
            .map(|t| t.to_string())
            .unwrap_or_default();
        vars.language_terms = if terms.is_empty() {
            format!(
                "adlint knows no {} disclosure terms; add one your audience understands",
                vars.language
            )
        } else {
            terms.join(", ")
        };
        out.push(self.diagnostic(rule, &found.kept[0], &vars, Vec::new()));
    }
}
