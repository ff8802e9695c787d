//! The term prefilter: one Aho-Corasick automaton over the literals of every phrase and label
//! pattern of the active packs and of the libraries, each literal mapped to the patterns it
//! stands for. One pass over a caption tells which patterns can match at all; only their
//! regexes run.
//!
//! A hit counts only where the pattern's match could be a whole word: a literal that starts
//! every match of its pattern must start a word, one that ends every match must end one (every
//! phrase and label match must be a whole word), so `ad` inside "adventure" or "bad" wakes
//! nothing.
//!
//! Automata are built when a set of active packs is first seen and kept in the [`RuleSet`]
//! (most runs see one set): [`Prefilters`].

use std::sync::{Arc, Mutex};

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};

use super::literals::{self, Factors};
use crate::rules::{Pack, RuleSet};
use crate::text;

/// One pattern a literal stands for.
#[derive(Debug, Clone, Copy)]
struct Target {
    /// Bit of the pattern in a caption's candidate set.
    bit: u32,
    /// The literal starts every match: it must start a word.
    prefix: bool,
    /// The literal ends every match: it must end a word.
    suffix: bool,
}

/// The automaton of one set of active packs.
#[derive(Debug)]
pub(crate) struct Prefilter {
    /// Which packs it covers, by index.
    active: Vec<usize>,
    automaton: Option<AhoCorasick>,
    /// For each automaton pattern, its targets: `targets[starts[p]..starts[p + 1]]`.
    starts: Vec<u32>,
    targets: Vec<Target>,
    /// Patterns without literals: candidates on every caption.
    always: Vec<u64>,
    /// Where each pack's patterns start in the candidate bits (by pack index; `u32::MAX` for a
    /// pack not covered), then each library's.
    pack_base: Vec<u32>,
    library_base: Vec<u32>,
}

impl Prefilter {
    fn build(rules: &RuleSet, active: &[usize]) -> Prefilter {
        let mut pack_base = vec![u32::MAX; rules.packs.len()];
        let mut library_base = Vec::with_capacity(rules.libraries.len());
        let mut bits = 0u32;
        let mut owners: Vec<(&Pack, u32)> = Vec::new();
        for &p in active {
            pack_base[p] = bits;
            owners.push((&rules.packs[p], bits));
            bits += rules.packs[p].phrase_set.len() as u32;
        }
        for library in &rules.libraries {
            library_base.push(bits);
            owners.push((library, bits));
            bits += library.phrase_set.len() as u32;
        }
        let words = (bits as usize).div_ceil(64);
        let mut always = vec![0u64; words];
        // Literal (lower-cased ASCII, as the automaton compares) -> its targets.
        let mut literals: Vec<String> = Vec::new();
        let mut index: crate::rules::HashMap<String, usize> = Default::default();
        let mut targets_of: Vec<Vec<Target>> = Vec::new();
        // Packs that borrow a library's lists hold the same patterns: read each once.
        let mut memo: crate::rules::HashMap<String, Option<Factors>> = Default::default();
        for (pack, base) in owners {
            for (set_index, pattern) in patterns(pack, &mut memo) {
                let bit = base + set_index as u32;
                let Some(Factors {
                    literals: lits,
                    prefix,
                    suffix,
                }) = pattern
                else {
                    always[bit as usize / 64] |= 1 << (bit % 64);
                    continue;
                };
                for lit in lits {
                    let key = lit.to_ascii_lowercase();
                    let slot = *index.entry(key.clone()).or_insert_with(|| {
                        literals.push(key);
                        targets_of.push(Vec::new());
                        literals.len() - 1
                    });
                    targets_of[slot].push(Target {
                        bit,
                        prefix,
                        suffix,
                    });
                }
            }
        }
        let mut starts = Vec::with_capacity(targets_of.len() + 1);
        let mut targets = Vec::new();
        for t in &targets_of {
            starts.push(targets.len() as u32);
            targets.extend_from_slice(t);
        }
        starts.push(targets.len() as u32);
        let automaton = if literals.is_empty() {
            None
        } else {
            // Tested on the built-in packs; a user's literals are plain strings, which always
            // build. Should it ever fail, every pattern becomes a candidate.
            match AhoCorasickBuilder::new()
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::Standard)
                .kind(Some(AhoCorasickKind::DFA))
                .build(&literals)
            {
                Ok(ac) => Some(ac),
                Err(_) => {
                    always.iter_mut().for_each(|w| *w = u64::MAX);
                    None
                }
            }
        };
        Prefilter {
            active: active.to_vec(),
            automaton,
            starts,
            targets,
            always,
            pack_base,
            library_base,
        }
    }

    /// The patterns that can match in `text`, as bits into `out` (resized and overwritten).
    pub(crate) fn candidates(&self, text: &str, out: &mut Vec<u64>) {
        out.clear();
        out.extend_from_slice(&self.always);
        // `ſ` and the Kelvin sign match `s` and `k` under `(?i)`, which the automaton's ASCII
        // case folding does not know: such rare captions run every pattern.
        if !text.is_ascii() && text.contains(['\u{17F}', '\u{212A}']) {
            out.iter_mut().for_each(|w| *w = u64::MAX);
            return;
        }
        let Some(ac) = &self.automaton else { return };
        for hit in ac.find_overlapping_iter(text) {
            let p = hit.pattern().as_usize();
            let span = hit.span().range();
            for t in &self.targets[self.starts[p] as usize..self.starts[p + 1] as usize] {
                let word = out[t.bit as usize / 64];
                if word & (1 << (t.bit % 64)) != 0 {
                    continue;
                }
                if t.prefix && !starts_word(text, span.start) {
                    continue;
                }
                if t.suffix && !ends_word(text, span.end) {
                    continue;
                }
                out[t.bit as usize / 64] |= 1 << (t.bit % 64);
            }
        }
    }

    /// Where a pack's bits start (`None` if the pack is not active here).
    pub(crate) fn pack_base(&self, pack: usize) -> Option<usize> {
        self.pack_base
            .get(pack)
            .filter(|&&b| b != u32::MAX)
            .map(|&b| b as usize)
    }

    pub(crate) fn library_base(&self, library: usize) -> usize {
        self.library_base[library] as usize
    }
}

/// Whether a whole word could start at `at`: the same test as [`text::is_whole_word`]'s start.
fn starts_word(text: &str, at: usize) -> bool {
    !(text::char_at(text, at).is_some_and(text::is_word_char)
        && text::char_before(text, at).is_some_and(text::is_word_char))
}

/// Whether a whole word could end at `at`: the same test as [`text::is_whole_word`]'s end.
fn ends_word(text: &str, at: usize) -> bool {
    !(text::char_before(text, at).is_some_and(text::is_word_char)
        && text::char_at(text, at).is_some_and(text::is_word_char))
}

/// Each phrase and label pattern of a pack, by its index in the pack's set, with its factors.
fn patterns(
    pack: &Pack,
    memo: &mut crate::rules::HashMap<String, Option<Factors>>,
) -> Vec<(usize, Option<Factors>)> {
    let mut read = |pattern: String| {
        memo.entry(pattern)
            .or_insert_with_key(|p| literals::factors(p))
            .clone()
    };
    let mut out = Vec::new();
    for list in &pack.lists {
        if let Some(labels) = &list.labels {
            let escaped: Vec<String> = labels.words.iter().map(|w| regex::escape(w)).collect();
            out.push((labels.set_index, read(format!("(?:{})", escaped.join("|")))));
        }
        for phrase in &list.phrases {
            out.push((phrase.set_index, read(phrase.source.clone())));
        }
    }
    out
}

/// A bit of a candidate set.
pub(crate) fn is_set(bits: &[u64], bit: usize) -> bool {
    bits.get(bit / 64)
        .is_some_and(|w| w & (1 << (bit % 64)) != 0)
}

/// The prefilters built so far for a rule set, one per set of active packs. A clone starts
/// empty (its packs may be changed), under an identity of its own.
pub struct Prefilters {
    /// Unique for the life of the process, so a [`super::Checker`] can tell rule sets apart.
    id: u64,
    built: Mutex<Vec<Arc<Prefilter>>>,
}

impl Default for Prefilters {
    fn default() -> Self {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        Prefilters {
            id: NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            built: Mutex::default(),
        }
    }
}

impl Prefilters {
    pub(crate) fn id(&self) -> u64 {
        self.id
    }

    /// The prefilter of a set of active packs, built on first use.
    pub(crate) fn get(&self, rules: &RuleSet, active: &[usize]) -> Arc<Prefilter> {
        let mut built = self
            .built
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(p) = built.iter().find(|p| p.active == active) {
            return p.clone();
        }
        let p = Arc::new(Prefilter::build(rules, active));
        built.push(p.clone());
        p
    }
}

impl Prefilter {
    /// Whether this prefilter serves a set of active packs.
    pub(crate) fn serves(&self, active: &[usize]) -> bool {
        self.active == active
    }
}

impl Clone for Prefilters {
    fn clone(&self) -> Self {
        Prefilters::default()
    }
}

impl std::fmt::Debug for Prefilters {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Prefilters")
    }
}
