//! The rule engine: captions and compiled rules in, diagnostics out.
//!
//! Pure: no file system, no network, no printing. For each caption the engine tokenizes once,
//! finds the fold once, runs every phrase of a pack through one `RegexSet` pass to learn which
//! phrases can match, and then evaluates term lists and facts lazily, each at most once, as the
//! rules ask for them.

pub(crate) mod checks;
mod context;
mod diagnose;
mod language;
mod literals;
mod matchers;
mod prefilter;
mod scan;
#[cfg(test)]
mod tests;

use std::cell::RefCell;

use crate::caption::Caption;
use crate::diagnostic::{self, Diagnostic};
use crate::rules::{Pack, Platform, RuleSet};
use context::{Ctx, Libraries};
use scan::Scan;

pub use prefilter::Prefilters;

/// Check one caption against every enabled rule.
pub fn check(caption: &Caption, rules: &RuleSet) -> Vec<Diagnostic> {
    let platform = resolve_platform(caption, rules);
    let scan = Scan::new(&caption.text, platform);
    // The libraries' shared lists, matched at most once per caption whatever the packs.
    let libraries: Libraries<'_> = RefCell::new((0..rules.libraries.len()).map(|_| None).collect());
    let active = active_packs(caption, rules);
    let prefilter = rules.prefilters.get(rules, &active);
    let mut candidates = Vec::with_capacity(prefilter.words());
    prefilter.candidates(&caption.text, &mut candidates);
    let mut out = Vec::new();
    for index in active {
        let pack = &rules.packs[index];
        let mut pack_rules = rules.rules.iter().filter(|r| r.pack == index).peekable();
        if pack_rules.peek().is_none() {
            continue;
        }
        let base = prefilter.pack_base(index).unwrap_or(usize::MAX / 2);
        let mut ctx = Ctx::new(
            caption,
            &scan,
            pack,
            platform,
            (&candidates, &prefilter, base),
        );
        ctx.libraries = Some((&libraries, &rules.libraries));
        ctx.fix_label = rules.fix_label.as_deref();
        for rule in pack_rules {
            ctx.apply(rule, &mut out);
        }
    }
    diagnostic::sort(&mut out);
    out
}

/// The indices of the packs that run on a caption, in load order.
pub fn active_packs(caption: &Caption, rules: &RuleSet) -> Vec<usize> {
    (0..rules.packs.len())
        .filter(|&i| applies(&rules.packs[i], caption, rules))
        .collect()
}

/// Whether a pack runs on a caption: packs without a jurisdiction always do; the others when
/// their jurisdiction is one of the caption's markets, or of the run's when it names none.
pub fn applies(pack: &Pack, caption: &Caption, rules: &RuleSet) -> bool {
    let markets = if caption.markets.is_empty() {
        &rules.markets
    } else {
        &caption.markets
    };
    pack.jurisdiction
        .as_ref()
        .is_none_or(|j| markets.contains(j))
}

/// The caption's platform, or the generic one when it is missing or unknown.
pub fn resolve_platform<'r>(caption: &Caption, rules: &'r RuleSet) -> &'r Platform {
    caption
        .platform
        .as_deref()
        .and_then(|p| rules.platform(p))
        .unwrap_or_else(|| rules.generic_platform())
}
