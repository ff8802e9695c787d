//! Findings a team has decided not to act on now: a baseline of known findings (for adopting
//! adlint on a backlog) and out-of-band ignores from `adlint.toml` (a caption cannot carry a
//! comment: it would be published). Both say afterwards what they no longer match.

use std::collections::{BTreeMap, HashMap};
use std::io;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::caption::Caption;
use crate::config::FindingIgnore;
use crate::diagnostic::Diagnostic;
use crate::fingerprint;

/// One baseline entry: enough to recognise the finding and for a person to read the file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Entry {
    pub fingerprint: String,
    pub source: String,
    pub record: Option<String>,
    pub code: String,
    pub matched: String,
}

#[derive(Debug, Serialize, Deserialize)]
struct File {
    version: u32,
    tool: String,
    findings: Vec<Entry>,
}

impl Entry {
    pub fn of(caption: &Caption, d: &Diagnostic) -> Entry {
        Entry {
            fingerprint: fingerprint::of(caption, d),
            source: caption.origin.source.clone(),
            record: caption.origin.record.clone(),
            code: d.code.clone(),
            matched: fingerprint::normalise(caption.text.get(d.span.clone()).unwrap_or_default()),
        }
    }
}

/// A baseline being matched: each entry absorbs one finding with its fingerprint.
#[derive(Debug, Default)]
pub struct Baseline {
    /// Per fingerprint: the entries not yet matched, and the source they were recorded for.
    remaining: HashMap<String, (usize, String)>,
    entries: usize,
    /// How many entries each source has.
    by_source: HashMap<String, usize>,
    /// Sources checked in this run (as [`source_key`] writes them).
    checked: std::collections::HashSet<String>,
}

/// A source as baselines and ignores compare it: `/` separators, no leading `./`.
fn source_key(source: &str) -> String {
    source
        .replace('\\', "/")
        .trim_start_matches("./")
        .to_string()
}

impl Baseline {
    /// Read a baseline written by `--write-baseline`.
    pub fn load(path: &Path) -> Result<Baseline, String> {
        let text = crate::limits::read_text(path, crate::limits::BASELINE_FILE).map_err(|e| {
            format!(
                "could not read baseline {}: {}",
                path.display(),
                e.reason("baselines")
            )
        })?;
        let file: File = serde_json::from_str(&text)
            .map_err(|e| format!("baseline {} is not an adlint baseline: {e}", path.display()))?;
        if file.version != 1 {
            return Err(format!(
                "baseline {} has version {}, this adlint reads version 1",
                path.display(),
                file.version
            ));
        }
        let mut remaining: HashMap<String, (usize, String)> = HashMap::new();
        let mut by_source: HashMap<String, usize> = HashMap::new();
        for entry in &file.findings {
            let source = source_key(&entry.source);
            *by_source.entry(source.clone()).or_default() += 1;
            remaining
                .entry(entry.fingerprint.clone())
                .or_insert((0, source))
                .0 += 1;
        }
        Ok(Baseline {
            remaining,
            entries: file.findings.len(),
            by_source,
            checked: Default::default(),
        })
    }

    /// Whether the baseline knows this finding; each entry matches one finding.
    pub fn absorbs(&mut self, caption: &Caption, d: &Diagnostic) -> bool {
        match self.remaining.get_mut(&fingerprint::of(caption, d)) {
            Some((n, _)) if *n > 0 => {
                *n -= 1;
                true
            }
            _ => false,
        }
    }

    /// Note that a source was checked in this run.
    pub fn saw(&mut self, source: &str) {
        if !self.checked.contains(source) {
            self.checked.insert(source.to_string());
            let key = source_key(source);
            if key != source {
                self.checked.insert(key);
            }
        }
    }

    /// Entries for sources checked in this run that matched nothing: fixed findings, or
    /// changed captions. Entries for sources not checked (a run over some files only, as
    /// pre-commit does) cannot be judged and are not counted.
    pub fn unmatched(&self) -> usize {
        self.remaining
            .values()
            .filter(|(_, source)| self.checked.contains(source))
            .map(|(n, _)| n)
            .sum()
    }

    /// Entries for sources checked in this run.
    pub fn len_checked(&self) -> usize {
        self.by_source
            .iter()
            .filter(|(source, _)| self.checked.contains(*source))
            .map(|(_, n)| n)
            .sum()
    }

    pub fn len(&self) -> usize {
        self.entries
    }

    pub fn is_empty(&self) -> bool {
        self.entries == 0
    }
}

/// Write a baseline file (sorted, so it diffs well in a repository).
pub fn write(path: &Path, mut findings: Vec<Entry>) -> io::Result<()> {
    findings.sort();
    let file = File {
        version: 1,
        tool: format!("adlint {}", env!("CARGO_PKG_VERSION")),
        findings,
    };
    let mut text = serde_json::to_string_pretty(&file)?;
    text.push('\n');
    std::fs::write(path, text)
}

/// Out-of-band ignores from `adlint.toml`, with how often each was used.
#[derive(Debug, Default)]
pub struct Ignores {
    entries: Vec<(FindingIgnore, Option<globset::GlobMatcher>)>,
    used: Vec<usize>,
    /// Whether the run checked something each entry is about (its path, its record), so that
    /// an entry that covered nothing can be called unused.
    in_scope: Vec<bool>,
}

impl Ignores {
    /// Compile the entries' path globs; a bad glob is an error naming it.
    pub fn new(entries: &[FindingIgnore]) -> Result<Ignores, String> {
        let mut compiled = Vec::new();
        for entry in entries {
            let glob = match &entry.path {
                Some(p) => Some(
                    globset::Glob::new(p)
                        .map_err(|e| format!("bad path glob `{p}` in [[ignore]]: {}", e.kind()))?
                        .compile_matcher(),
                ),
                None => None,
            };
            compiled.push((entry.clone(), glob));
        }
        Ok(Ignores {
            used: vec![0; compiled.len()],
            in_scope: vec![false; compiled.len()],
            entries: compiled,
        })
    }

    /// Whether there are no entries: nothing to ignore.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Note a checked source (and record): entries about it are in scope.
    pub fn saw(&mut self, source: &str, record: Option<&str>) {
        if self.in_scope.iter().all(|s| *s) {
            return;
        }
        let source = source.trim_start_matches("./");
        for ((entry, glob), in_scope) in self.entries.iter().zip(&mut self.in_scope) {
            if *in_scope {
                continue;
            }
            // An entry without a path is about every file: any checked one brings it in scope.
            *in_scope = glob.as_ref().is_none_or(|g| g.is_match(source))
                || entry.record.as_deref().is_some_and(|r| record == Some(r));
        }
    }

    /// Whether an ignore entry covers this finding (and count the use).
    pub fn covers(&mut self, caption: &Caption, d: &Diagnostic) -> bool {
        let source = caption.origin.source.trim_start_matches("./");
        for (i, (entry, glob)) in self.entries.iter().enumerate() {
            let path_ok = glob.as_ref().is_none_or(|g| g.is_match(source));
            let record_ok = entry
                .record
                .as_ref()
                .is_none_or(|r| caption.origin.record.as_deref() == Some(r.as_str()));
            let code_ok = entry
                .code
                .as_ref()
                .is_none_or(|c| c.eq_ignore_ascii_case(&d.code) || *c == d.name);
            if path_ok && record_ok && code_ok {
                self.used[i] += 1;
                return true;
            }
        }
        false
    }

    /// Entries that covered nothing though the run checked what they are about, described
    /// for the user. An entry for files this run did not check is not called unused.
    pub fn unused(&self) -> Vec<String> {
        self.entries
            .iter()
            .zip(&self.used)
            .zip(&self.in_scope)
            .filter(|((_, used), in_scope)| **used == 0 && **in_scope)
            .map(|(((e, _), _), _)| e.describe())
            .collect()
    }

    /// How many findings each entry covered, for reports.
    pub fn usage(&self) -> BTreeMap<String, usize> {
        self.entries
            .iter()
            .zip(&self.used)
            .map(|((e, _), n)| (e.describe(), *n))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(code: &str, span: std::ops::Range<usize>) -> Diagnostic {
        Diagnostic::sample(code, span)
    }

    #[test]
    fn a_baseline_absorbs_each_entry_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("b.json");
        let c = Caption::new("#sp one #sp two");
        let d1 = finding("FTC002", 0..3);
        let d2 = finding("FTC002", 8..11);
        write(&path, vec![Entry::of(&c, &d1)]).unwrap();
        let mut b = Baseline::load(&path).unwrap();
        assert!(b.absorbs(&c, &d1));
        assert!(!b.absorbs(&c, &d2), "the same words twice need two entries");
        assert_eq!(b.unmatched(), 0);
    }

    #[test]
    fn ignores_match_path_record_and_code_and_report_unused() {
        let entries = vec![
            FindingIgnore {
                path: Some("exports/*.csv".into()),
                record: Some("p-1".into()),
                code: Some("FTC013".into()),
                reason: "friend".into(),
            },
            FindingIgnore {
                path: None,
                record: None,
                code: Some("FTC008".into()),
                reason: "house style".into(),
            },
        ];
        let mut ignores = Ignores::new(&entries).unwrap();
        let mut c = Caption::new("x");
        c.origin.source = "./exports/a.csv".into();
        c.origin.record = Some("p-1".into());
        // Nothing checked yet: nothing can be unused.
        assert!(ignores.unused().is_empty());
        ignores.saw(&c.origin.source, c.origin.record.as_deref());
        assert!(ignores.covers(&c, &finding("FTC013", 0..1)));
        assert!(!ignores.covers(&c, &finding("FTC001", 0..1)));
        assert_eq!(ignores.unused().len(), 1);
        assert!(ignores.unused()[0].contains("FTC008"));
    }

    #[test]
    fn only_entries_for_checked_sources_can_be_unused_or_stale() {
        let entries = vec![FindingIgnore {
            path: Some("drafts/*.txt".into()),
            record: None,
            code: None,
            reason: "drafts".into(),
        }];
        let mut ignores = Ignores::new(&entries).unwrap();
        ignores.saw("exports/a.csv", None);
        assert!(ignores.unused().is_empty(), "drafts were not checked");
        ignores.saw("drafts/b.txt", None);
        assert_eq!(ignores.unused().len(), 1);

        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("b.json");
        let mut a = Caption::new("#sp one");
        a.origin.source = "./a.txt".into();
        let mut b = Caption::new("#sp two");
        b.origin.source = "b.txt".into();
        let d = finding("FTC002", 0..3);
        write(&path, vec![Entry::of(&a, &d), Entry::of(&b, &d)]).unwrap();
        let mut baseline = Baseline::load(&path).unwrap();
        // Only a.txt is checked, and its finding is fixed: one stale entry of one in scope.
        baseline.saw("a.txt");
        assert_eq!((baseline.unmatched(), baseline.len_checked()), (1, 1));
        baseline.saw("b.txt");
        assert_eq!((baseline.unmatched(), baseline.len_checked()), (2, 2));
    }
}
