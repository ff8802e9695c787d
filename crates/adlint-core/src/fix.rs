//! `adlint fix`: apply the rules' fixes to a caption until nothing fixable is left.
//!
//! Pure, like the engine: a caption in, the fixed text and what was done out. Each round checks
//! the caption, applies every applicable fix whose edits do not overlap an earlier one's, and
//! checks again; a fixed point is reached within a few rounds because every fix removes its own
//! finding. Running the fixer on its own output changes nothing (idempotence).
//!
//! Fixing never adds a finding (a language rule's warning aside: it can only appear once a
//! label is there, and its fix, a label in the caption's language, comes next). With several
//! markets checked at once their packs disagree
//! (`#gifted` is a US disclosure and a weak label in Germany): when the plain rounds would end
//! with an error or warning the caption did not have, the fixer starts again and takes one fix at
//! a time, each only if the caption can still be settled without a new finding. A replacement that
//! would remove a label another market relies on is then tried as an insertion before it
//! (`Werbung #gifted`), so each market gets its label and none loses one.

use std::ops::Range;

use crate::caption::Caption;
use crate::diagnostic::{Diagnostic, Edit, Safety};
use crate::engine;
use crate::rules::RuleSet;

/// Rounds before giving up: a safety net against two fixes undoing each other.
const MAX_ROUNDS: usize = 8;

/// The result of fixing one caption.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// The caption after every applicable fix.
    pub text: String,
    /// The findings that were fixed, in the order they were fixed (code and message).
    pub fixed: Vec<(String, String)>,
    /// What is left: findings with no fix, or unsafe fixes not allowed.
    pub remaining: Vec<Diagnostic>,
}

impl Outcome {
    pub fn changed(&self, original: &str) -> bool {
        self.text != original
    }
}

/// Whether a finding's fix may be applied.
fn allowed(d: &Diagnostic, unsafe_fixes: bool) -> bool {
    d.fix
        .as_ref()
        .is_some_and(|f| f.safety == Safety::Safe || unsafe_fixes)
}

/// Fix a caption. Unsafe fixes apply with `unsafe_fixes`, or when the caption is declared
/// sponsored (then inserting a disclosure asserts nothing the user has not said).
pub fn fix(caption: &Caption, rules: &RuleSet, unsafe_fixes: bool) -> Outcome {
    let unsafe_fixes = unsafe_fixes || caption.sponsored == Some(true);
    let before = engine::check(caption, rules);
    let plain = settle(caption.clone(), before.clone(), rules, unsafe_fixes);
    if adds_nothing(&before, &plain.remaining, rules) {
        return plain;
    }
    guarded(caption, &before, rules, unsafe_fixes)
}

/// Rounds of every fix that does not clash with another, until none is left.
fn settle(
    mut current: Caption,
    mut found: Vec<Diagnostic>,
    rules: &RuleSet,
    unsafe_fixes: bool,
) -> Outcome {
    let mut fixed = Vec::new();
    for _ in 0..MAX_ROUNDS {
        let mut taken: Vec<Range<usize>> = Vec::new();
        let mut edits: Vec<Edit> = Vec::new();
        for d in found.iter().filter(|d| allowed(d, unsafe_fixes)) {
            let Some(f) = &d.fix else { continue };
            let clashes = f
                .edits
                .iter()
                .any(|e| taken.iter().any(|t| overlaps(t, &(e.start..e.end))));
            if clashes || !f.edits.iter().all(|e| valid(&current.text, e)) {
                continue;
            }
            taken.extend(f.edits.iter().map(|e| e.start..e.end));
            edits.extend(f.edits.iter().cloned());
            fixed.push((d.code.clone(), d.message.clone()));
        }
        if edits.is_empty() {
            return Outcome {
                text: current.text,
                fixed,
                remaining: found,
            };
        }
        current.text = apply(&current.text, edits);
        found = engine::check(&current, rules);
    }
    Outcome {
        text: current.text,
        fixed,
        remaining: found,
    }
}

/// One fix at a time, each kept only if it leads to no finding the caption did not have.
fn guarded(
    caption: &Caption,
    before: &[Diagnostic],
    rules: &RuleSet,
    unsafe_fixes: bool,
) -> Outcome {
    let mut current = caption.clone();
    let mut found = before.to_vec();
    let mut fixed = Vec::new();
    for _ in 0..MAX_ROUNDS * 2 {
        let mut step: Option<(String, Vec<Diagnostic>, &Diagnostic)> = None;
        for d in found.iter().filter(|d| allowed(d, unsafe_fixes)) {
            let Some(f) = &d.fix else { continue };
            if !f.edits.iter().all(|e| valid(&current.text, e)) {
                continue;
            }
            for edits in variants(f) {
                let mut candidate = current.clone();
                candidate.text = apply(&current.text, edits);
                let after = engine::check(&candidate, rules);
                // The best case: from here the plain rounds settle without a new finding.
                let end = settle(candidate.clone(), after.clone(), rules, unsafe_fixes);
                if adds_nothing(before, &end.remaining, rules) {
                    fixed.push((d.code.clone(), d.message.clone()));
                    fixed.extend(end.fixed);
                    return Outcome {
                        text: end.text,
                        fixed,
                        remaining: end.remaining,
                    };
                }
                if step.is_none()
                    && adds_nothing(before, &after, rules)
                    && weight(&after) < weight(&found)
                {
                    step = Some((candidate.text, after, d));
                }
            }
        }
        let Some((text, after, d)) = step else { break };
        fixed.push((d.code.clone(), d.message.clone()));
        current.text = text;
        found = after;
    }
    Outcome {
        text: current.text,
        fixed,
        remaining: found,
    }
}

/// A fix as written, and for a replacement also the insertion of its text before the term it
/// would replace (which keeps a term another market counts as a label).
fn variants(f: &crate::diagnostic::Fix) -> Vec<Vec<Edit>> {
    let mut out = vec![f.edits.clone()];
    if let [e] = f.edits.as_slice()
        && e.start < e.end
        && !e.text.trim().is_empty()
    {
        out.push(vec![Edit {
            start: e.start,
            end: e.start,
            text: format!("{} ", e.text.trim_end()),
        }]);
    }
    out
}

/// Errors and warnings: advice never counts as a finding a fix could add.
fn counted(d: &Diagnostic) -> bool {
    d.severity >= crate::rules::Severity::Warning
}

/// Whether every error or warning code in `after` was already in `before`. A language rule's
/// finding does not count: it says which words a label should use, so it can only appear once a
/// label is there, and its own fix (a label in the caption's language) is tried next.
fn adds_nothing(before: &[Diagnostic], after: &[Diagnostic], rules: &RuleSet) -> bool {
    let about_words = |d: &Diagnostic| {
        rules
            .rule(&d.code)
            .is_some_and(|r| matches!(r.check, crate::rules::Check::Language { .. }))
    };
    after
        .iter()
        .filter(|d| counted(d) && !about_words(d))
        .all(|a| before.iter().any(|b| counted(b) && b.code == a.code))
}

fn weight(found: &[Diagnostic]) -> usize {
    found.iter().filter(|d| counted(d)).count()
}

/// Two edits clash when their ranges overlap, or when one inserts inside or at the edge of the
/// other (their order would be arbitrary, or the insertion would land in text being moved).
/// Clashing fixes wait for the next round, which sees the caption as the first one left it.
fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    let touches = |point: usize, r: &Range<usize>| r.start <= point && point <= r.end;
    if a.is_empty() {
        touches(a.start, b)
    } else if b.is_empty() {
        touches(b.start, a)
    } else {
        a.start < b.end && b.start < a.end
    }
}

/// An edit's range lies on character boundaries inside the text.
fn valid(text: &str, e: &Edit) -> bool {
    e.start <= e.end && text.is_char_boundary(e.start) && text.is_char_boundary(e.end)
}

/// Apply non-overlapping edits.
pub fn apply(text: &str, mut edits: Vec<Edit>) -> String {
    edits.sort_by_key(|e| std::cmp::Reverse((e.start, e.end)));
    let mut out = text.to_string();
    for e in edits {
        out.replace_range(e.start..e.end, &e.text);
    }
    out
}

/// The edits that turn `before` into `after`: byte ranges of `before` with their new text, in
/// order, adjacent changes merged. A character diff, so a fixed caption shows as the few places
/// that changed (`#ad ` inserted, ` #sp` removed), whatever the rounds of fixing did.
pub fn text_edits(before: &str, after: &str) -> Vec<Edit> {
    let diff = similar::TextDiff::from_chars(before, after);
    // Byte offset of each char index, with the end.
    let offsets = |s: &str| -> Vec<usize> {
        s.char_indices()
            .map(|(i, _)| i)
            .chain(std::iter::once(s.len()))
            .collect()
    };
    let old = offsets(before);
    let new = offsets(after);
    let mut out: Vec<Edit> = Vec::new();
    for op in diff.ops() {
        let (tag, o, n) = op.as_tag_tuple();
        if tag == similar::DiffTag::Equal {
            continue;
        }
        let (start, end) = (old[o.start], old[o.end]);
        let text = &after[new[n.start]..new[n.end]];
        match out.last_mut() {
            Some(last) if last.end == start => {
                last.end = end;
                last.text.push_str(text);
            }
            _ => out.push(Edit {
                start,
                end,
                text: text.to_string(),
            }),
        }
    }
    out
}

/// A unified diff of a caption and its fixed text, headed `caption` and `fixed`.
pub fn unified_diff(before: &str, after: &str) -> String {
    similar::TextDiff::from_lines(before, after)
        .unified_diff()
        .header("caption", "fixed")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> RuleSet {
        crate::builtin_rules().unwrap()
    }

    fn fixed(text: &str, platform: Option<&str>, unsafe_fixes: bool) -> Outcome {
        let mut c = Caption::new(text);
        c.platform = platform.map(String::from);
        fix(&c, &rules(), unsafe_fixes)
    }

    #[test]
    fn weak_labels_become_clear_ones() {
        let out = fixed(
            "the way this @novafit pre-workout hits 😤 #spon #gymtok",
            None,
            false,
        );
        assert_eq!(
            out.text,
            "the way this @novafit pre-workout hits 😤 #ad #gymtok"
        );
        let out = fixed(
            "Blender I love 🍓 affiliate link: https://amzn.to/48kLmZ2",
            None,
            false,
        );
        assert_eq!(
            out.text,
            "Blender I love 🍓 paid link: https://amzn.to/48kLmZ2"
        );
        let out = fixed("Enter now @peakgear giveaway! #sweeps", None, false);
        assert_eq!(out.text, "Enter now @peakgear giveaway! #sweepstakes");
    }

    #[test]
    fn a_buried_disclosure_moves_to_the_start() {
        let out = fixed(
            "Monday fit check 🔥 #ootd #mensstyle #ad #urbanthreads",
            None,
            false,
        );
        assert_eq!(
            out.text,
            "#ad Monday fit check 🔥 #ootd #mensstyle #urbanthreads"
        );
        let out = fixed(
            "New drop 🔥\nThe Ridge jacket\nWaterproof, packable\n#ad\n#gear",
            Some("instagram"),
            false,
        );
        assert_eq!(
            out.text,
            "#ad New drop 🔥\nThe Ridge jacket\nWaterproof, packable\n#gear"
        );
    }

    #[test]
    fn inserting_a_disclosure_is_unsafe() {
        let text = "3 ways I style one linen shirt 👕 use my code SUNNY15 at @urbanthreads";
        let out = fixed(text, None, false);
        assert_eq!(out.text, text);
        assert!(out.remaining.iter().any(|d| d.code == "FTC001"));
        let out = fixed(text, None, true);
        assert_eq!(out.text, format!("#ad {text}"));
        assert!(out.remaining.iter().all(|d| d.code != "FTC001"));
    }

    #[test]
    fn fixing_twice_changes_nothing() {
        for text in [
            "Monday fit check 🔥 #ootd #mensstyle #ad #urbanthreads",
            "#ad Este fin de semana probamos la nueva freidora de aire de @kettlekitchen y las patatas quedaron crujientes por fuera.",
            "the way this @novafit pre-workout hits at 6am 😤 #spon #gymtok",
        ] {
            let once = fixed(text, None, true);
            let twice = fixed(&once.text, None, true);
            assert_eq!(twice.text, once.text, "{text}");
            assert!(twice.fixed.is_empty());
        }
    }

    #[test]
    fn edits_apply_from_the_end() {
        let edits = vec![
            Edit {
                start: 0,
                end: 0,
                text: "#ad ".into(),
            },
            Edit {
                start: 5,
                end: 9,
                text: String::new(),
            },
        ];
        assert_eq!(apply("hey, #ad there", edits), "#ad hey, there");
    }
}
