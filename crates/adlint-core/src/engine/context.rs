//! Per caption and pack: term lists and facts, each evaluated lazily and at most once.

use std::cell::RefCell;
use std::ops::Range;
use std::rc::Rc;

use super::matchers::is_negated;
use super::prefilter::{self, Prefilter};
use super::scan::Scan;
use crate::caption::Caption;
use crate::rules::{Atom, Builtin, Expr, Pack, Platform, TermList};
use crate::text;

/// A match of a term list: where, and which list produced it (for its label and languages).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Match {
    pub(super) span: Range<usize>,
    pub(super) list: usize,
}

#[derive(Debug, Default)]
pub(super) struct ListMatches {
    pub(super) kept: Vec<Match>,
    pub(super) negated: Vec<Match>,
}

/// Per caption: each library's context, made when a pack first asks for one of its lists.
pub(super) type Libraries<'a> = RefCell<Vec<Option<Ctx<'a>>>>;

/// Per caption and pack (or library): lazily evaluated term lists and facts.
pub(super) struct Ctx<'a> {
    /// The libraries' contexts and compiled lists, for the lists this pack shares with them.
    pub(super) libraries: Option<(&'a Libraries<'a>, &'a [Pack])>,
    pub(super) caption: &'a Caption,
    pub(super) scan: &'a Scan<'a>,
    pub(super) pack: &'a Pack,
    pub(super) platform: &'a Platform,
    /// Which phrase and label patterns can match in the caption (the prefilter's bits).
    pub(super) candidates: &'a [u64],
    pub(super) prefilter: &'a Prefilter,
    /// Where this pack's (or library's) patterns start in `candidates`.
    pub(super) base: usize,
    /// For each of the caption's hashtags, the lists of this pack that name it.
    pub(super) tag_lists: Vec<&'a [usize]>,
    /// The lists some hashtag of the caption names, as bits by list index: a list no hashtag
    /// names skips the walk over the hashtags.
    pub(super) tagged: Vec<u64>,
    pub(super) lists: Vec<Option<Rc<ListMatches>>>,
    pub(super) facts: Vec<Option<bool>>,
    /// The label `insert-at-start` fixes use instead of the rule's (`fix-label` in config).
    pub(super) fix_label: Option<&'a str>,
    pub(super) empty: Rc<ListMatches>,
    /// Where this context's vectors go back to when it is done.
    pools: &'a RefCell<Pools>,
}

/// Vectors of finished contexts, kept empty for the next caption's, so that checking a
/// caption allocates nothing for them once a worker is warm.
#[derive(Default)]
pub(super) struct Pools {
    lists: Vec<Vec<Option<Rc<ListMatches>>>>,
    facts: Vec<Vec<Option<bool>>>,
    tags: Vec<Vec<&'static [usize]>>,
    tagged: Vec<Vec<u64>>,
    empty: Rc<ListMatches>,
}

/// An emptied vector's allocation, for references of another lifetime.
fn relabel<'y, T: ?Sized>(mut v: Vec<&T>) -> Vec<&'y T> {
    v.clear();
    // Collecting a vector's own iterator reuses its allocation; no element is ever mapped.
    v.into_iter().map(|_| unreachable!()).collect()
}

impl<'a> Ctx<'a> {
    pub(super) fn new(
        caption: &'a Caption,
        scan: &'a Scan<'a>,
        pack: &'a Pack,
        platform: &'a Platform,
        (candidates, prefilter, base): (&'a [u64], &'a Prefilter, usize),
        pools: &'a RefCell<Pools>,
    ) -> Self {
        let (mut lists, mut facts, tags, mut tagged, empty) = {
            let mut p = pools.borrow_mut();
            (
                p.lists.pop().unwrap_or_default(),
                p.facts.pop().unwrap_or_default(),
                p.tags.pop().unwrap_or_default(),
                p.tagged.pop().unwrap_or_default(),
                p.empty.clone(),
            )
        };
        lists.clear();
        lists.resize(pack.lists.len(), None);
        facts.clear();
        facts.resize(pack.facts.len(), None);
        let mut tag_lists = relabel(tags);
        tag_lists.extend(
            scan.hashtags()
                .map(|(body, _)| pack.hashtag_lists.get(body).map_or(&[][..], Vec::as_slice)),
        );
        tagged.clear();
        tagged.resize(pack.lists.len().div_ceil(64), 0);
        for &list in tag_lists.iter().copied().flatten() {
            tagged[list / 64] |= 1 << (list % 64);
        }
        Ctx {
            caption,
            scan,
            pack,
            platform,
            candidates,
            prefilter,
            base,
            tag_lists,
            tagged,
            lists,
            facts,
            fix_label: None,
            empty,
            libraries: None,
            pools,
        }
    }

    /// Give this context's vectors back for the next caption.
    pub(super) fn recycle(self) {
        let mut p = self.pools.borrow_mut();
        let mut lists = self.lists;
        lists.clear();
        p.lists.push(lists);
        p.facts.push(self.facts);
        p.tags.push(relabel(self.tag_lists));
        p.tagged.push(self.tagged);
    }

    /// Whether the prefilter lets a phrase or label pattern of this pack run.
    pub(super) fn candidate(&self, set_index: usize) -> bool {
        prefilter::is_set(self.candidates, self.base + set_index)
    }

    pub(super) fn text(&self) -> &'a str {
        self.scan.text
    }

    pub(super) fn eval(&mut self, expr: &Expr) -> bool {
        expr.eval(&mut |atom| self.atom(atom))
    }

    pub(super) fn atom(&mut self, atom: Atom) -> bool {
        match atom {
            Atom::List(i) => !self.list(i).kept.is_empty(),
            Atom::InHead(i) => {
                let head = self.scan.head_end();
                self.list(i).kept.iter().any(|m| m.span.end <= head)
            }
            Atom::Fact(i) => {
                if let Some(v) = self.facts[i] {
                    return v;
                }
                let pack = self.pack;
                let v = self.eval(&pack.facts[i].1);
                self.facts[i] = Some(v);
                v
            }
            // The platform's paid-partnership label declares the post sponsored in every market;
            // whether it also counts as a label is each pack's call (`platform-label`).
            Atom::DeclaredSponsored => {
                self.caption.sponsored == Some(true)
                    || self.caption.paid_partnership_label == Some(true)
            }
            Atom::DeclaredNotSponsored => {
                self.caption.sponsored == Some(false)
                    && self.caption.paid_partnership_label != Some(true)
            }
            Atom::VideoPlatform => self.platform.video,
            Atom::PlatformLabel => self.caption.paid_partnership_label == Some(true),
        }
    }

    pub(super) fn list(&mut self, i: usize) -> Rc<ListMatches> {
        if let Some(m) = &self.lists[i] {
            return m.clone();
        }
        let pack = self.pack;
        let list = &pack.lists[i];
        if let Some((l, j)) = list.shared
            && let Some(found) = self.shared_list(l, j)
        {
            let result = if found.kept.is_empty() && found.negated.is_empty() {
                self.empty.clone()
            } else {
                Rc::new(found)
            };
            self.lists[i] = Some(result.clone());
            return result;
        }
        if self.cannot_match(i, list) {
            let result = self.empty.clone();
            self.lists[i] = Some(result.clone());
            return result;
        }
        let active = list.when.as_ref().is_none_or(|w| self.eval(w));
        let found = if active {
            self.compute_list(i, list)
        } else {
            ListMatches::default()
        };
        // Most lists find nothing in a given caption: share one empty result.
        let result = if found.kept.is_empty() && found.negated.is_empty() {
            self.empty.clone()
        } else {
            Rc::new(found)
        };
        self.lists[i] = Some(result.clone());
        result
    }

    /// Whether a list can find nothing in this caption whatever its condition: it matches only
    /// hashtags, labels, phrases and links of its own, and no hashtag of the caption is one of
    /// its, the prefilter rules out its labels and phrases, and the caption has no link. Most
    /// lists of most captions are settled here.
    fn cannot_match(&self, i: usize, list: &TermList) -> bool {
        list.builtin.is_none()
            && list.include.is_empty()
            && list.negations_of.is_none()
            && list.suffix.is_none()
            && !prefilter::is_set(&self.tagged, i)
            && (list.links.is_none() || !self.scan.has_links)
            && list
                .labels
                .as_ref()
                .is_none_or(|l| !self.candidate(l.set_index))
            && list.phrases.iter().all(|p| !self.candidate(p.set_index))
    }

    /// A library list's matches, computed once per caption in the library's context, with each
    /// match renamed to this pack's list of the same name.
    pub(super) fn shared_list(&mut self, l: usize, j: usize) -> Option<ListMatches> {
        let (contexts, compiled) = self.libraries?;
        let found = {
            let mut contexts = contexts.borrow_mut();
            let ctx = contexts[l].get_or_insert_with(|| {
                let base = self.prefilter.library_base(l);
                Ctx::new(
                    self.caption,
                    self.scan,
                    &compiled[l],
                    self.platform,
                    (self.candidates, self.prefilter, base),
                    self.pools,
                )
            });
            ctx.list(j)
        };
        let local = |m: &Match| Match {
            span: m.span.clone(),
            list: if m.list < Builtin::ALL.len() {
                m.list
            } else {
                self.pack
                    .shared_local
                    .get(&(l, m.list))
                    .copied()
                    .unwrap_or(m.list)
            },
        };
        Some(ListMatches {
            kept: found.kept.iter().map(local).collect(),
            negated: found.negated.iter().map(local).collect(),
        })
    }

    pub(super) fn compute_list(&mut self, i: usize, list: &'a TermList) -> ListMatches {
        let mut found: Vec<Match> = Vec::new();
        if let Some(b) = list.builtin {
            self.builtin(b, i, &mut found);
        }
        self.hashtag_matches(i, list, &mut found);
        if let Some(labels) = &list.labels {
            self.label_matches(labels, i, &mut found);
        }
        if !list.phrases.is_empty() {
            self.phrase_matches(list, i, &mut found);
        }
        if let Some(links) = &list.links {
            self.link_matches(links, i, &mut found);
        }
        for &inc in &list.include {
            found.extend(self.list(inc).kept.iter().cloned());
        }
        if let Some(n) = list.negations_of {
            found.extend(self.list(n).negated.iter().cloned());
        }
        for &ex in &list.except {
            let except = self.list(ex);
            found.retain(|m| !except.kept.iter().any(|e| overlaps(&e.span, &m.span)));
        }
        if let Some(sw) = list.sentence_with {
            let with = self.list(sw);
            let text = self.text();
            found.retain(|m| {
                let sentence = text::sentence_around(text, m.span.start);
                with.kept
                    .iter()
                    .any(|w| w.span.start >= sentence.start && w.span.end <= sentence.end)
            });
        }
        dedupe(&mut found);
        if list.negators.is_empty() {
            return ListMatches {
                kept: found,
                negated: Vec::new(),
            };
        }
        let (negated, kept) = found.into_iter().partition(|m| {
            is_negated(
                self.text(),
                m.span.start,
                &list.negators,
                list.negation_window,
            )
        });
        ListMatches { kept, negated }
    }
}

pub(super) fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start < b.end && b.start < a.end
}

/// Sort by position and drop matches inside a longer match of the same list.
pub(super) fn dedupe(found: &mut Vec<Match>) {
    found.sort_by(|a, b| {
        (a.span.start, std::cmp::Reverse(a.span.end))
            .cmp(&(b.span.start, std::cmp::Reverse(b.span.end)))
    });
    // In place: each match is kept unless the last kept one contains it.
    let mut kept = 0;
    for i in 0..found.len() {
        if kept > 0 && {
            let (last, m) = (&found[kept - 1].span, &found[i].span);
            last.start <= m.start && m.end <= last.end
        } {
            continue;
        }
        found.swap(kept, i);
        kept += 1;
    }
    found.truncate(kept);
}
