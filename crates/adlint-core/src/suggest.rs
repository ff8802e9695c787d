//! "Did you mean" for names people type: rule codes and names, platforms, markets, columns.

/// The Levenshtein distance between two strings, in characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if ca == *cb {
                diagonal
            } else {
                1 + diagonal.min(above).min(row[j])
            };
            diagonal = above;
        }
    }
    row[b.len()]
}

/// The candidate closest to `wanted` (ignoring case), when it is close enough to be a likely
/// typo: at most a third of the longer name's characters differ (one at least).
pub fn did_you_mean<'c>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> Option<&'c str> {
    let wanted_lower = wanted.to_lowercase();
    candidates
        .into_iter()
        .filter_map(|c| {
            let d = edit_distance(&wanted_lower, &c.to_lowercase());
            let longest = wanted.chars().count().max(c.chars().count());
            (d > 0 && d <= (longest / 3).max(1)).then_some((d, c))
        })
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("tiktk", "tiktok"), 1);
    }

    #[test]
    fn near_misses_are_suggested_and_far_ones_are_not() {
        let platforms = ["instagram", "tiktok", "youtube", "x"];
        assert_eq!(did_you_mean("tiktk", platforms), Some("tiktok"));
        assert_eq!(did_you_mean("Instagrm", platforms), Some("instagram"));
        assert_eq!(did_you_mean("myspace", platforms), None);
        assert_eq!(
            did_you_mean("FTC0099", ["FTC009", "FTC099"]),
            Some("FTC009")
        );
        // The same name is not a suggestion.
        assert_eq!(did_you_mean("x", platforms), None);
    }
}
