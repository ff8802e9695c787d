//! Rule packs: the TOML schema ([`raw`]), its validation into compiled rules (this module), the
//! condition language ([`expr`]), phrase placeholders ([`pattern`]) and the packs built into
//! the binary ([`builtin`]).
//!
//! Loading never stops at the first mistake: every file is parsed, every rule and term list is
//! validated, and all problems come back together, each pointing at its place in its file.

pub mod builtin;
pub mod expr;
pub(crate) mod load;
pub mod pattern;
pub mod raw;

/// Sets looked up for every caption: foldhash is several times faster than the standard
/// library's SipHash on short keys such as hashtag bodies.
pub type HashSet<T> = foldhash::HashSet<T>;
pub type HashMap<K, V> = foldhash::HashMap<K, V>;
use std::sync::Arc;

use regex::{Regex, RegexSet};

pub use crate::diagnostic::Severity;
pub use expr::{Atom, Expr};
pub use load::{RuleError, RuleErrors, load};

/// A rule file's text and the name it is reported under.
#[derive(Debug, Clone)]
pub struct RuleSource {
    pub name: String,
    pub text: Arc<String>,
    /// One of adlint's own files (tested at build time), not a user's.
    pub builtin: bool,
}

impl RuleSource {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        RuleSource {
            name: name.into(),
            text: Arc::new(text.into()),
            builtin: false,
        }
    }
}

/// Where a platform cuts a caption.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Platform {
    pub name: String,
    pub aliases: Vec<String>,
    pub fold_chars: usize,
    pub fold_lines: Option<usize>,
    pub video: bool,
    pub note: Option<String>,
    /// Hosts whose posts are on this platform (`instagram.com`), for fetched URLs.
    pub hosts: Vec<String>,
}

impl Platform {
    /// "125 characters or 3 lines", for messages.
    pub fn fold_description(&self) -> String {
        match self.fold_lines {
            Some(1) => format!("{} characters or 1 line", self.fold_chars),
            Some(n) => format!("{} characters or {n} lines", self.fold_chars),
            None => format!("{} characters", self.fold_chars),
        }
    }
}

/// Whether `host` is on a platform host as the rule files write it: the domain itself or a
/// subdomain (`instagram.com` takes `www.instagram.com`), and `name.*` for a name before a
/// top-level domain of one or two labels (`pinterest.*` takes `pinterest.co.uk`, `de.pinterest.ch`,
/// never `pinterest.example.evil.com`).
pub fn host_matches(pattern: &str, host: &str) -> bool {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    if let Some(name) = pattern.strip_suffix(".*") {
        let labels: Vec<&str> = host.split('.').collect();
        return labels
            .iter()
            .position(|l| *l == name)
            .is_some_and(|at| (1..=2).contains(&(labels.len() - at - 1)));
    }
    host == pattern
        || host
            .strip_suffix(pattern)
            .is_some_and(|rest| rest.ends_with('.'))
}

/// Matchers the engine provides in every pack, under these names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Builtin {
    Handle,
    Link,
    Hashtag,
    DeclaredBrand,
}

impl Builtin {
    pub const ALL: [(&'static str, Builtin); 4] = [
        ("handle", Builtin::Handle),
        ("link", Builtin::Link),
        ("hashtag", Builtin::Hashtag),
        ("declared-brand", Builtin::DeclaredBrand),
    ];
}

/// Positions where a short label word counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LabelForms {
    pub line_start: bool,
    pub capitals: bool,
    pub bracket: bool,
    pub colon: bool,
    pub pipe_after: bool,
    pub pipe_before: bool,
}

impl LabelForms {
    pub const NAMES: [&'static str; 6] = [
        "line-start",
        "capitals",
        "bracket",
        "colon",
        "pipe-after",
        "pipe-before",
    ];

    pub const ALL: LabelForms = LabelForms {
        line_start: true,
        capitals: true,
        bracket: true,
        colon: true,
        pipe_after: true,
        pipe_before: true,
    };

    pub const NONE: LabelForms = LabelForms {
        line_start: false,
        capitals: false,
        bracket: false,
        colon: false,
        pipe_after: false,
        pipe_before: false,
    };

    fn set(&mut self, name: &str) -> bool {
        let slot = match name {
            "line-start" => &mut self.line_start,
            "capitals" => &mut self.capitals,
            "bracket" => &mut self.bracket,
            "colon" => &mut self.colon,
            "pipe-after" => &mut self.pipe_after,
            "pipe-before" => &mut self.pipe_before,
            _ => return false,
        };
        *slot = true;
        true
    }
}

/// Short label words and the positions where they count.
#[derive(Debug, Clone)]
pub struct LabelMatcher {
    pub regex: LazyRegex,
    /// The label words as written, for the engine's prefilter.
    pub words: Vec<String>,
    /// Index of the labels' pattern in the pack's pattern set (and the engine's prefilter).
    pub set_index: usize,
    pub forms: LabelForms,
}

/// Hashtags ending in a suffix, such as `#<Brand>Partner`.
#[derive(Debug, Clone)]
pub struct SuffixMatcher {
    pub suffixes: Vec<String>,
    pub stem_min: usize,
    pub stem_exclude: HashSet<String>,
}

/// Link hosts, prefixes and query parameters.
#[derive(Debug, Clone, Default)]
pub struct LinkMatcher {
    pub hosts: Vec<String>,
    pub prefixes: Vec<String>,
    pub params: Vec<String>,
    pub host_params: Vec<(String, Vec<String>)>,
}

impl LinkMatcher {
    fn is_empty(&self) -> bool {
        self.hosts.is_empty()
            && self.prefixes.is_empty()
            && self.params.is_empty()
            && self.host_params.is_empty()
    }
}

/// One phrase pattern, compiled.
#[derive(Debug, Clone)]
pub struct Phrase {
    pub source: String,
    pub regex: LazyRegex,
    pub checks: pattern::Checks,
    /// Index of this phrase in the pack's pattern set (and the engine's prefilter).
    pub set_index: usize,
    /// The phrase that must end at a word end, built when a match first stops inside a word.
    pub bounded: std::sync::OnceLock<Option<Regex>>,
}

impl Phrase {
    /// The phrase followed by a word-end assertion, or `None` if that will not compile.
    pub fn bounded(&self) -> Option<&Regex> {
        self.bounded
            .get_or_init(|| {
                let src = match &self.regex {
                    LazyRegex::Compiled(r) => r.as_str().to_string(),
                    LazyRegex::Deferred { pattern, .. } => pattern.clone(),
                };
                load::build_regex(&format!("(?:{src})\\b{{end-half}}")).ok()
            })
            .as_ref()
    }
}

/// A phrase's or a label list's own regex. Users' patterns are compiled while loading, so a bad
/// one is a rule-file error. The built-in packs' patterns (tested to compile) are compiled when a
/// caption first needs them: most runs need few of them, and compiling all of them is most of
/// start-up.
#[derive(Debug, Clone)]
pub enum LazyRegex {
    Compiled(Regex),
    Deferred {
        pattern: String,
        regex: std::sync::OnceLock<Regex>,
    },
}

impl LazyRegex {
    pub fn get(&self) -> &Regex {
        match self {
            LazyRegex::Compiled(regex) => regex,
            LazyRegex::Deferred { pattern, regex } => regex.get_or_init(|| {
                load::build_regex(pattern)
                    .unwrap_or_else(|e| unreachable!("built-in phrase `{pattern}`: {e}"))
            }),
        }
    }
}

/// The set of a pack's phrase and label patterns (each in a looser prefilter form). Its size
/// gives each pattern its index; a user's pack builds it while loading, so a set too large to
/// compile is a rule-file error. The engine no longer runs it on captions: its prefilter is one
/// Aho-Corasick automaton over the patterns' literals (`engine::prefilter`).
#[derive(Debug, Clone)]
pub struct PhraseSet {
    sources: Vec<String>,
    set: std::sync::OnceLock<RegexSet>,
}

impl PhraseSet {
    pub fn new(sources: Vec<String>) -> Self {
        PhraseSet {
            sources,
            set: std::sync::OnceLock::new(),
        }
    }

    /// Build the set now, reporting why it cannot be built.
    pub fn build(&self) -> Result<&RegexSet, regex::Error> {
        if let Some(set) = self.set.get() {
            return Ok(set);
        }
        let set = load::build_set(&self.sources)?;
        Ok(self.set.get_or_init(|| set))
    }

    /// The number of patterns in the set.
    pub fn len(&self) -> usize {
        self.sources.len()
    }

    pub fn is_empty(&self) -> bool {
        self.sources.is_empty()
    }

    pub fn get(&self) -> &RegexSet {
        self.build()
            .unwrap_or_else(|e| unreachable!("a built-in pack's phrase set: {e}"))
    }
}

/// A compiled term list.
#[derive(Debug, Clone)]
pub struct TermList {
    pub name: String,
    pub description: Option<String>,
    pub builtin: Option<Builtin>,
    pub include: Vec<usize>,
    pub languages: Vec<whatlang::Lang>,
    pub label: Option<String>,
    pub suggest: Option<String>,
    /// Fixes put `suggest` before the term instead of replacing it.
    pub suggest_prefix: bool,
    pub hashtags: HashSet<String>,
    pub suffix: Option<SuffixMatcher>,
    pub labels: Option<LabelMatcher>,
    pub phrases: Vec<Phrase>,
    pub links: Option<LinkMatcher>,
    pub negators: Vec<String>,
    pub negation_window: usize,
    pub negations_of: Option<usize>,
    pub except: Vec<usize>,
    pub when: Option<Expr>,
    pub sentence_with: Option<usize>,
    /// Literal terms for messages ("#ad, Ad:, sponsored").
    pub display_terms: Vec<String>,
    /// A library's list this pack uses unchanged: (library, list) in [`RuleSet::libraries`]. It is
    /// matched once per caption, in the library's context, for every pack that shares it.
    pub shared: Option<(usize, usize)>,
}

/// What a rule checks.
#[derive(Debug, Clone)]
pub enum Check {
    /// Report matches of a term list.
    Existence { terms: usize, each: bool },
    /// Report the first match of a term list and propose its replacement.
    Substitution { terms: usize, replace: String },
    /// Report once when the condition holds, at the first match of the anchors.
    Conditional { anchor: Vec<usize> },
    /// Matches of the term list must sit in the head, or not be buried in a hashtag wall.
    Placement { terms: usize, require: Placement },
    /// One match of the term list must be in the caption's language.
    Language { terms: usize },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    Head,
    OutsideHashtagWall,
}

/// What a rule's fix does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FixAction {
    /// Replace the matched term with its list's suggestion (or prefix it, per the list).
    Replace,
    /// Move the disclosure to the start of the caption.
    MoveToStart,
    /// Insert text at the start of the caption.
    InsertAtStart(String),
    /// Add a disclosure term in the caption's language beside the disclosure.
    AddLanguageTerm,
}

/// A rule's fix: what it does and how safe it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixSpec {
    pub action: FixAction,
    pub safety: crate::diagnostic::Safety,
}

/// An example caption with its context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Example {
    pub caption: String,
    pub platform: Option<String>,
    pub sponsored: Option<bool>,
    pub brands: Vec<String>,
    /// The platform's "Paid partnership" label is shown (`paid-partnership-label = true`).
    pub paid_partnership_label: Option<bool>,
}

/// A compiled rule.
#[derive(Debug, Clone)]
pub struct Rule {
    pub code: String,
    pub name: String,
    pub severity: Severity,
    pub pack: usize,
    pub check: Check,
    pub when: Option<Expr>,
    pub summary: String,
    pub message: String,
    pub help: String,
    pub docs: String,
    pub source: String,
    pub source_title: String,
    pub quote: String,
    pub label: Option<String>,
    pub fix: Option<FixSpec>,
    pub fail_examples: Vec<Example>,
    pub pass_examples: Vec<Example>,
}

/// A compiled pack: its rules' vocabulary and metadata.
#[derive(Debug, Clone)]
pub struct Pack {
    pub name: String,
    pub title: String,
    pub jurisdiction: Option<String>,
    pub version: String,
    pub sources_read: String,
    pub description: Option<String>,
    /// Other names of the pack's market (`gb`, `united kingdom`).
    pub aliases: Vec<String>,
    /// Markets the pack serves while they have no pack of their own.
    pub covers: Vec<String>,
    /// The label a multi-market fix inserts for this market (`#ad`, `Werbung`).
    pub label: Option<String>,
    /// The languages the market's captions are written in, its main language first.
    pub languages: Vec<whatlang::Lang>,
    /// Where it came from: `built-in` or a file path.
    pub origin: String,
    pub lists: Vec<TermList>,
    pub facts: Vec<(String, Expr)>,
    /// Words that never name a giver (`mom`, `friend`): the `not-givers` vocabulary.
    pub not_givers: HashSet<String>,
    /// Every phrase and label pattern of every list, indexed by their `set_index`.
    pub phrase_set: PhraseSet,
    /// Each hashtag body (case-folded) of any list, with the lists that name it: one lookup per
    /// caption hashtag instead of one per hashtag and list.
    pub hashtag_lists: HashMap<String, Vec<usize>>,
    /// For the library lists this pack shares: (library, library list) to this pack's list.
    pub shared_local: HashMap<(usize, usize), usize>,
}

impl Pack {
    /// Index the lists' hashtags by body.
    pub fn index_hashtags(lists: &[TermList]) -> HashMap<String, Vec<usize>> {
        let mut index: HashMap<String, Vec<usize>> = HashMap::default();
        for (i, list) in lists.iter().enumerate() {
            for tag in &list.hashtags {
                index.entry(tag.clone()).or_default().push(i);
            }
        }
        index
    }

    pub fn list_index(&self, name: &str) -> Option<usize> {
        self.lists.iter().position(|l| l.name == name)
    }
}

/// Everything loaded: packs, platforms and the enabled rules.
#[derive(Debug, Clone)]
pub struct RuleSet {
    pub packs: Vec<Pack>,
    /// The libraries, compiled once: the lists packs share are matched in their context.
    pub libraries: Vec<Pack>,
    pub platforms: Vec<Platform>,
    pub rules: Vec<Rule>,
    /// The label unsafe `insert-at-start` fixes insert (config `fix-label`), if not the rule's.
    pub fix_label: Option<String>,
    /// The run's markets (`--jurisdiction`, config `markets`; `us` by default): packs with one
    /// of these jurisdictions run on captions that do not name their own markets.
    pub markets: Vec<String>,
    /// Every market the loaded packs declare, with the names that lead to each.
    pub market_table: crate::market::Table,
    /// The engine's term prefilters, built for each set of active packs when first needed.
    pub prefilters: crate::engine::Prefilters,
}

impl RuleSet {
    /// The packs that run for these markets, in load order: every pack without a jurisdiction,
    /// and those whose jurisdiction is one of `markets`. The one place this is decided.
    pub fn packs_for<'a>(&'a self, markets: &'a [String]) -> impl Iterator<Item = usize> + 'a {
        self.packs.iter().enumerate().filter_map(move |(i, pack)| {
            pack.jurisdiction
                .as_ref()
                .is_none_or(|j| markets.contains(j))
                .then_some(i)
        })
    }

    /// The markets a caption's packs are chosen by: its own, or the run's when it names none.
    pub fn markets_of<'a>(&'a self, caption_markets: &'a [String]) -> &'a [String] {
        if caption_markets.is_empty() {
            &self.markets
        } else {
            caption_markets
        }
    }

    /// The platform for a name or alias (case-insensitive).
    pub fn platform(&self, name: &str) -> Option<&Platform> {
        let name = name.trim();
        // An ASCII name is compared with its lower case without allocating one.
        if name.is_ascii() {
            let is_lower = |stored: &String| {
                stored.len() == name.len()
                    && stored
                        .bytes()
                        .zip(name.bytes())
                        .all(|(s, n)| s == n.to_ascii_lowercase())
            };
            return self
                .platforms
                .iter()
                .find(|p| is_lower(&p.name) || p.aliases.iter().any(is_lower));
        }
        let name = name.to_lowercase();
        self.platforms
            .iter()
            .find(|p| p.name == name || p.aliases.contains(&name))
    }

    /// The platform used when none is known.
    pub fn generic_platform(&self) -> &Platform {
        self.platform("generic")
            .or(self.platforms.first())
            .expect("the built-in platforms define `generic`")
    }

    /// A rule by code or name (case-insensitive for codes).
    pub fn rule(&self, key: &str) -> Option<&Rule> {
        self.rules
            .iter()
            .find(|r| r.code.eq_ignore_ascii_case(key) || r.name == key)
    }

    /// The jurisdictions the loaded packs declare, in load order, each once.
    pub fn jurisdictions(&self) -> Vec<String> {
        self.market_table.codes()
    }

    /// Each platform's hosts, for fetching.
    pub fn platform_hosts(&self) -> Vec<(String, Vec<String>)> {
        self.platforms
            .iter()
            .filter(|p| !p.hosts.is_empty())
            .map(|p| (p.name.clone(), p.hosts.clone()))
            .collect()
    }

    /// Keep only rules for which `keep` is true.
    pub fn retain(&mut self, keep: impl Fn(&Rule) -> bool) {
        self.rules.retain(|r| keep(r));
    }
}
