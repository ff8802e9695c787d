//! Stable fingerprints of findings, for baselines and SARIF `partialFingerprints`.
//!
//! A fingerprint survives unrelated edits: it is made of the source, the record id, the rule
//! code and the matched words (case-folded, whitespace collapsed), never of line numbers or
//! offsets. The hash is FNV-1a 64, whose output is fixed by its definition, so fingerprints stay
//! the same across adlint versions and platforms.

use crate::caption::Caption;
use crate::diagnostic::Diagnostic;

/// Matched words as compared across runs: lower case, runs of whitespace as one space.
pub fn normalise(matched: &str) -> String {
    matched
        .split_whitespace()
        .map(crate::text::fold_case)
        .collect::<Vec<_>>()
        .join(" ")
}

/// FNV-1a 64 over the parts, each followed by a 0xff separator byte.
pub fn fnv1a(parts: &[&str]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for byte in part.bytes().chain(std::iter::once(0xff)) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    hash
}

/// The fingerprint of a finding in a caption, as 16 hex digits.
pub fn of(caption: &Caption, d: &Diagnostic) -> String {
    let matched = caption.text.get(d.span.clone()).unwrap_or_default();
    let record = caption.origin.record.as_deref().unwrap_or("");
    // The same file named `./posts.csv` or `posts.csv` is the same source.
    let source = caption.origin.source.replace('\\', "/");
    let source = source.trim_start_matches("./");
    format!(
        "{:016x}",
        fnv1a(&[source, record, &d.code, &normalise(matched)])
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_ignore_position_case_and_spacing() {
        assert_eq!(normalise("  Paid\n  Partnership "), "paid partnership");
        assert_eq!(fnv1a(&[]), 0xcbf2_9ce4_8422_2325);
        assert_ne!(fnv1a(&["ab", "c"]), fnv1a(&["a", "bc"]));
        let mut c = Caption::new("intro\n#AD here");
        let d = Diagnostic::sample("FTC003", 6..9);
        let first = of(&c, &d);
        c.text = "a longer intro\n\n#ad here".into();
        let moved = Diagnostic { span: 16..19, ..d };
        assert_eq!(of(&c, &moved), first);
    }
}
