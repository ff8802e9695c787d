//! The rule engine: captions and compiled rules in, diagnostics out.
//!
//! Pure: no file system, no network, no printing. For each caption the engine works out the
//! platform and the active packs once, tokenizes once, finds the fold once, runs one
//! Aho-Corasick pass over the literals of every active pack's phrases and labels to learn which
//! can match (`prefilter`), and then evaluates term lists and facts lazily, each at most once,
//! as the rules ask for them. A [`Checker`] keeps the buffers all this needs from caption to
//! caption.
//!
//! Files: `checks` holds one file per check kind (its validation and its evaluation);
//! `context` the lazily evaluated lists and facts of a pack; `matchers` the term matchers;
//! `scan` what is computed once per caption; `prefilter` and `literals` the automaton and the
//! literals it looks for; `diagnose` findings and fixes; `language` language detection.

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
use std::sync::Arc;

use crate::caption::Caption;
use crate::diagnostic::{self, Diagnostic};
use crate::rules::{Platform, RuleSet};
use context::{Ctx, Libraries, Pools};
use prefilter::Prefilter;
use scan::{Scan, ScanBuffers};

pub use prefilter::Prefilters;

/// Check one caption against every enabled rule.
///
/// Each thread keeps a [`Checker`] for this function, so its buffers are reused from call to
/// call; a worker that checks many captions may as well hold its own and call
/// [`Checker::check_into`], which also tells the platform and the active packs.
pub fn check(caption: &Caption, rules: &RuleSet) -> Vec<Diagnostic> {
    check_outcome(caption, rules).diagnostics
}

/// Run `f` with this thread's [`Checker`] (a fresh one if it is in use).
fn with_thread_checker<T>(f: impl FnOnce(&mut Checker) -> T) -> T {
    thread_local! {
        static CHECKER: RefCell<Checker> = RefCell::new(Checker::new());
    }
    CHECKER.with(|checker| match checker.try_borrow_mut() {
        Ok(mut checker) => f(&mut checker),
        // Only if a check were ever to check another caption inside it.
        Err(_) => f(&mut Checker::new()),
    })
}

/// A caption's findings with what was worked out on the way: the platform it was checked for
/// and the packs that ran, so a report need not work them out again.
#[derive(Debug, Clone)]
pub struct Outcome<'r> {
    /// The caption's platform (the generic one when it names none or an unknown one).
    pub platform: &'r Platform,
    /// The indices of the packs that ran on it, in load order.
    pub packs: Vec<usize>,
    /// Its findings, sorted as [`check`] sorts them.
    pub diagnostics: Vec<Diagnostic>,
}

/// Check one caption: its findings, platform and active packs, on this thread's [`Checker`]
/// (as [`check`]).
pub fn check_outcome<'r>(caption: &Caption, rules: &'r RuleSet) -> Outcome<'r> {
    with_thread_checker(|checker| {
        let mut diagnostics = Vec::new();
        let platform = checker.check_into(caption, rules, &mut diagnostics);
        Outcome {
            platform,
            packs: checker.packs().to_vec(),
            diagnostics,
        }
    })
}

/// A worker's reusable state for checking many captions: the buffers a caption's tokens,
/// hashtags, prefilter hits and term-list results live in, kept from caption to caption, so
/// that once warm a check allocates only for the findings it returns.
///
/// Make one per thread (it is `Send`, not `Sync`) and call [`Checker::check_into`] for each
/// caption:
///
/// ```
/// let rules = adlint_core::builtin_rules().unwrap();
/// let mut checker = adlint_core::engine::Checker::new();
/// let mut found = Vec::new();
/// for text in ["#ad Loving this serum", "Thanks @glowco for the free serum!"] {
///     found.clear();
///     let caption = adlint_core::Caption::new(text);
///     let platform = checker.check_into(&caption, &rules, &mut found);
///     println!("{} on {}: {} findings, packs {:?}", text, platform.name, found.len(), checker.packs());
/// }
/// ```
///
/// Results are exactly those of [`check`]. A checker may be used with different rule sets; it
/// keeps the prefilter of the last one it saw.
#[derive(Default)]
pub struct Checker {
    scan: ScanBuffers,
    active: Vec<usize>,
    candidates: Vec<u64>,
    /// The last prefilter used, with the identity of the rule set it belongs to.
    prefilter: Option<(u64, Arc<Prefilter>)>,
    pools: RefCell<Pools>,
    /// Run every phrase and label regex, as if the prefilter let everything through (tests).
    unfiltered: bool,
}

/// [`check`] with the term prefilter let through: every phrase and label regex runs on every
/// caption. The slow reference the prefilter's results are tested against; not for use.
#[doc(hidden)]
pub fn check_unfiltered(caption: &Caption, rules: &RuleSet) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut checker = Checker {
        unfiltered: true,
        ..Checker::default()
    };
    checker.check_into(caption, rules, &mut out);
    out
}

impl std::fmt::Debug for Checker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Checker")
            .field("packs", &self.active)
            .finish()
    }
}

impl Checker {
    pub fn new() -> Self {
        Checker::default()
    }

    /// Check one caption against every enabled rule, appending its findings to `out` (sorted
    /// among themselves as [`check`] sorts them; `out` is not cleared). Returns the caption's
    /// platform; [`Checker::packs`] then holds the packs that ran.
    pub fn check_into<'r>(
        &mut self,
        caption: &Caption,
        rules: &'r RuleSet,
        out: &mut Vec<Diagnostic>,
    ) -> &'r Platform {
        let platform = resolve_platform(caption, rules);
        self.active.clear();
        self.active
            .extend(rules.packs_for(rules.markets_of(&caption.markets)));
        let id = rules.prefilters.id();
        let prefilter = match &self.prefilter {
            Some((known, p)) if *known == id && p.serves(&self.active) => p.clone(),
            _ => {
                let p = rules.prefilters.get(rules, &self.active);
                self.prefilter = Some((id, p.clone()));
                p
            }
        };
        prefilter.candidates(&caption.text, &mut self.candidates);
        if self.unfiltered {
            self.candidates.iter_mut().for_each(|w| *w = u64::MAX);
        }
        let scan = Scan::new(&caption.text, &caption.brands, platform, &mut self.scan);
        // The libraries' shared lists, matched at most once per caption whatever the packs.
        let libraries: Libraries<'_> =
            RefCell::new((0..rules.libraries.len()).map(|_| None).collect());
        let first = out.len();
        for &index in &self.active {
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
                (&self.candidates, &prefilter, base),
                &self.pools,
            );
            ctx.libraries = Some((&libraries, &rules.libraries));
            ctx.fix_label = rules.fix_label.as_deref();
            for rule in pack_rules {
                ctx.apply(rule, out);
            }
            ctx.recycle();
        }
        for ctx in libraries.borrow_mut().drain(..).flatten() {
            ctx.recycle();
        }
        diagnostic::sort(&mut out[first..]);
        platform
    }

    /// The packs that ran on the last caption checked, by index in load order.
    pub fn packs(&self) -> &[usize] {
        &self.active
    }
}

/// The indices of the packs that run on a caption, in load order ([`RuleSet::packs_for`] its
/// markets, or the run's when it names none).
pub fn active_packs(caption: &Caption, rules: &RuleSet) -> Vec<usize> {
    rules
        .packs_for(rules.markets_of(&caption.markets))
        .collect()
}

/// The caption's platform, or the generic one when it is missing or unknown.
pub fn resolve_platform<'r>(caption: &Caption, rules: &'r RuleSet) -> &'r Platform {
    caption
        .platform
        .as_deref()
        .and_then(|p| rules.platform(p))
        .unwrap_or_else(|| rules.generic_platform())
}
