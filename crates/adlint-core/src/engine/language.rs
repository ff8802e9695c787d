//! The caption's language, for the `language` check: detected when a rule first asks, once per
//! caption for every pack (`crate::language` says how).

use super::context::Ctx;

impl<'a> Ctx<'a> {
    pub(super) fn language(&self) -> Option<whatlang::Lang> {
        *self
            .scan
            .language
            .get_or_init(|| crate::language::detect(self.text(), self.scan.tokens))
    }
}
