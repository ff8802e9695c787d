//! Validation of rule files into a [`RuleSet`], collecting every mistake with its span.
//!
//! Files are parsed into spanned TOML first; each `[pack]`, `[terms.X]`, `[platforms.X]` and
//! `[[rule]]` table is then deserialized on its own so that one bad rule does not hide the
//! mistakes in the next. Names are resolved only once every list of a pack is known.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;
use std::sync::Arc;

use miette::{Diagnostic, NamedSource, SourceSpan};
use regex::{Regex, RegexBuilder, RegexSet, RegexSetBuilder};
use serde::Deserialize;
use thiserror::Error;
use toml::Spanned;
use toml::de::{DeTable, DeValue, ValueDeserializer};

use super::expr::{self, Atom, Expr, Resolved};
use super::pattern;
use super::raw::{
    RawExample, RawLibraryHeader, RawPackHeader, RawPlatform, RawRule, RawRulePart, RawTermList,
};
use super::{
    Builtin, Example, LabelForms, LabelMatcher, LazyRegex, LinkMatcher, Pack, Phrase, PhraseSet,
    Platform, Rule, RuleSet, RuleSource, Severity, SuffixMatcher, TermList,
};

/// Compiled regexes from user files may not grow past this (a pathological pattern is a
/// rule-file error, not a hang or an out-of-memory).
const REGEX_SIZE_LIMIT: usize = 2 * 1024 * 1024;

/// One mistake in a rule file.
#[derive(Debug, Error, Diagnostic)]
#[error("{message}")]
#[diagnostic(code(adlint::rule_file))]
pub struct RuleError {
    pub message: String,
    #[source_code]
    pub src: NamedSource<Arc<String>>,
    #[label("{label}")]
    pub span: Option<SourceSpan>,
    pub label: String,
    #[help]
    pub help: Option<String>,
}

/// Every mistake found in the rule files.
#[derive(Debug, Error, Diagnostic)]
#[error("the rule files have {} mistake{}", errors.len(), if errors.len() == 1 { "" } else { "s" })]
#[diagnostic(
    code(adlint::rule_files),
    help("fix the rule files above; no caption was checked")
)]
pub struct RuleErrors {
    #[related]
    pub errors: Vec<RuleError>,
}

/// Collects errors for one file.
pub(crate) struct Errors<'a> {
    pub(crate) source: &'a RuleSource,
    pub(crate) list: &'a mut Vec<RuleError>,
}

impl Errors<'_> {
    pub(crate) fn at(
        &mut self,
        span: Option<Range<usize>>,
        message: impl Into<String>,
        label: &str,
    ) {
        self.push(span, message.into(), label, None);
    }

    pub(crate) fn push(
        &mut self,
        span: Option<Range<usize>>,
        message: String,
        label: &str,
        help: Option<String>,
    ) {
        self.list.push(RuleError {
            message,
            src: NamedSource::new(self.source.name.clone(), self.source.text.clone()),
            span: span.map(|s| (s.start, s.end.saturating_sub(s.start)).into()),
            label: label.to_string(),
            help,
        });
    }

    fn toml(&mut self, err: toml::de::Error, fallback: Range<usize>) {
        let span = err.span().unwrap_or(fallback);
        let message = err.message().trim().to_string();
        self.push(Some(span), message, "here", None);
    }
}

/// What one file declares, deserialized but not yet validated.
#[derive(Default)]
struct ParsedFile {
    header: Option<(RawPackHeader, Range<usize>)>,
    library: Option<RawLibraryHeader>,
    /// Term lists and facts that came from a library, by name: the library file's index.
    borrowed: HashMap<String, usize>,
    platforms: Vec<(String, RawPlatform)>,
    facts: Vec<(String, Range<usize>, Spanned<String>)>,
    vocab: BTreeMap<String, Vec<String>>,
    terms: Vec<(String, Range<usize>, RawTermList)>,
    /// Vocabulary the file defines itself (not borrowed from a library).
    own_vocab: HashSet<String>,
    /// `[templates.NAME]`: rule fields that rules take with `template = "NAME"`.
    templates: Vec<(String, Range<usize>, RawRulePart)>,
    /// `[[rule]]` tables as written, with their spans, before templates fill them in.
    rule_parts: Vec<(Range<usize>, RawRulePart)>,
    rules: Vec<RawRule>,
    /// Span of the first rule-ish content, for "this file has rules but no [pack]".
    content_span: Option<Range<usize>>,
}

fn de<'a, T: Deserialize<'a>>(value: &Spanned<DeValue<'a>>, errs: &mut Errors<'_>) -> Option<T> {
    let span = value.span();
    match T::deserialize(ValueDeserializer::from(value.clone())) {
        Ok(v) => Some(v),
        Err(e) => {
            errs.toml(e, span);
            None
        }
    }
}

fn table_entries<'v, 'a>(
    value: &'v Spanned<DeValue<'a>>,
    key: &str,
    errs: &mut Errors<'_>,
) -> Vec<(
    &'v Spanned<std::borrow::Cow<'a, str>>,
    &'v Spanned<DeValue<'a>>,
)> {
    match value.get_ref() {
        DeValue::Table(t) => t.iter().collect(),
        other => {
            errs.at(
                Some(value.span()),
                format!("`{key}` must be a table, found {}", other.type_str()),
                "expected a table",
            );
            Vec::new()
        }
    }
}

fn parse_file(source: &RuleSource, errs: &mut Errors<'_>) -> ParsedFile {
    let mut parsed = ParsedFile::default();
    let doc = match DeTable::parse(&source.text) {
        Ok(doc) => doc,
        Err(e) => {
            errs.toml(e, 0..0);
            return parsed;
        }
    };
    for (key, value) in doc.get_ref().iter() {
        let span = value.span();
        match &**key.get_ref() {
            "pack" => {
                if let Some(h) = de::<RawPackHeader>(value, errs) {
                    parsed.header = Some((h, key.span()));
                }
            }
            "library" => {
                parsed.library = de::<RawLibraryHeader>(value, errs);
            }
            "platforms" => {
                for (name, v) in table_entries(value, "platforms", errs) {
                    if let Some(p) = de::<RawPlatform>(v, errs) {
                        parsed.platforms.push((name.get_ref().to_lowercase(), p));
                    }
                }
            }
            "facts" => {
                for (name, v) in table_entries(value, "facts", errs) {
                    if let Some(s) = de::<Spanned<String>>(v, errs) {
                        parsed.facts.push((name.get_ref().to_string(), name.span(), s));
                    }
                }
                parsed.content_span.get_or_insert(key.span());
            }
            "templates" => {
                for (name, v) in table_entries(value, "templates", errs) {
                    if let Some(t) = de::<RawRulePart>(v, errs) {
                        parsed.templates.push((name.get_ref().to_string(), name.span(), t));
                    }
                }
            }
            "vocab" => {
                for (name, v) in table_entries(value, "vocab", errs) {
                    if let Some(words) = de::<Vec<String>>(v, errs) {
                        parsed.vocab.insert(name.get_ref().to_string(), words);
                    }
                }
            }
            "terms" => {
                for (name, v) in table_entries(value, "terms", errs) {
                    // A list that does not deserialize still has a name, so references to it
                    // do not cascade into "unknown term list" errors.
                    let list = de::<RawTermList>(v, errs).unwrap_or_default();
                    parsed.terms.push((name.get_ref().to_string(), name.span(), list));
                }
                parsed.content_span.get_or_insert(key.span());
            }
            "rule" => {
                match value.get_ref() {
                    DeValue::Array(items) => {
                        for item in items.iter() {
                            if let Some(rule) = de::<RawRulePart>(item, errs) {
                                parsed.rule_parts.push((item.span(), rule));
                            }
                        }
                    }
                    _ => errs.at(Some(span), "`rule` must be an array of tables: write `[[rule]]`", "expected `[[rule]]`"),
                }
                parsed.content_span.get_or_insert(key.span());
            }
            other => errs.push(
                Some(key.span()),
                format!("unknown key `{other}`"),
                "unknown key",
                Some("a rule file may hold `[pack]` or `[library]`, `[facts]`, `[vocab]`, `[terms.NAME]`, `[templates.NAME]`, `[[rule]]` and `[platforms.NAME]`".into()),
            ),
        }
    }
    parsed
}

/// Load rule files (built-in packs first, then the user's) into a rule set.
///
/// A later pack with the same name as an earlier one replaces it; a later platform with the
/// same name replaces the earlier one (keeping its aliases when the new one lists none).
pub fn load(sources: &[RuleSource]) -> Result<RuleSet, RuleErrors> {
    let mut errors = Vec::new();
    let mut platforms: Vec<Platform> = Vec::new();
    let mut pack_files: Vec<(usize, ParsedFile)> = Vec::new();
    let mut libraries: Vec<(usize, ParsedFile)> = Vec::new();
    for (index, source) in sources.iter().enumerate() {
        let mut errs = Errors {
            source,
            list: &mut errors,
        };
        let mut parsed = parse_file(source, &mut errs);
        for (name, raw) in parsed.platforms.drain(..) {
            let platform = Platform {
                name: name.clone(),
                aliases: raw.aliases.iter().map(|a| a.to_lowercase()).collect(),
                fold_chars: raw.fold_chars,
                fold_lines: raw.fold_lines,
                video: raw.video,
                note: raw.note,
                hosts: raw.hosts.iter().map(|h| h.to_lowercase()).collect(),
            };
            match platforms.iter_mut().find(|p| p.name == name) {
                Some(existing) => {
                    let aliases = std::mem::take(&mut existing.aliases);
                    let hosts = std::mem::take(&mut existing.hosts);
                    *existing = platform;
                    if existing.aliases.is_empty() {
                        existing.aliases = aliases;
                    }
                    if existing.hosts.is_empty() {
                        existing.hosts = hosts;
                    }
                }
                None => platforms.push(platform),
            }
        }
        if let Some(library) = &parsed.library {
            if parsed.header.is_some() || !parsed.rule_parts.is_empty() {
                errs.at(
                    Some(library.name.span()),
                    "a `[library]` file holds no `[pack]` and no rules",
                    "a library",
                );
            }
            let name = library.name.get_ref().clone();
            libraries.retain(|(_, l)| l.library.as_ref().is_none_or(|h| *h.name.get_ref() != name));
            libraries.push((index, parsed));
            continue;
        }
        match &parsed.header {
            Some((header, _)) => {
                let name = header.name.get_ref().clone();
                pack_files.retain(|(i, p)| {
                    let same = p
                        .header
                        .as_ref()
                        .is_some_and(|(h, _)| *h.name.get_ref() == name);
                    !(same && *i != index)
                });
                pack_files.push((index, parsed));
            }
            None => {
                if let Some(span) = parsed.content_span.clone() {
                    errs.push(
                        Some(span),
                        "this file has rules or term lists but no `[pack]` table".into(),
                        "needs a pack",
                        Some(
                            "add `[pack]` with `name`, `title`, `version` and `sources-read`"
                                .into(),
                        ),
                    );
                }
            }
        }
    }

    for (index, parsed) in &mut pack_files {
        let mut errs = Errors {
            source: &sources[*index],
            list: &mut errors,
        };
        borrow_from_libraries(parsed, &libraries, &mut errs);
        fill_templates(parsed, &mut errs);
    }
    check_unique_codes(&pack_files, sources, &mut errors);
    let library_packs: Vec<(usize, Pack)> = libraries
        .iter()
        .map(|(index, parsed)| (*index, compile_library(parsed, &sources[*index])))
        .collect();
    let mut packs = Vec::new();
    let mut rules = Vec::new();
    for (index, parsed) in pack_files {
        let source = &sources[index];
        let mut errs = Errors {
            source,
            list: &mut errors,
        };
        let pack_index = packs.len();
        if let Some((pack, mut pack_rules)) = compile_pack(
            parsed,
            pack_index,
            &platforms,
            sources,
            &library_packs,
            &mut errs,
        ) {
            packs.push(pack);
            rules.append(&mut pack_rules);
        }
    }
    if !platforms.iter().any(|p| p.name == "generic") {
        platforms.push(Platform {
            name: "generic".into(),
            aliases: Vec::new(),
            fold_chars: 125,
            fold_lines: Some(3),
            video: false,
            note: None,
            hosts: Vec::new(),
        });
    }
    // A mistake in a library is found once per pack that uses it: report it once.
    let mut seen = HashSet::new();
    errors.retain(|e| seen.insert((e.src.name().to_string(), e.span, e.message.clone())));
    if errors.is_empty() {
        rules.sort_by(|a, b| a.code.cmp(&b.code));
        let mut market_table = crate::market::Table::default();
        for pack in &packs {
            if let Some(j) = &pack.jurisdiction {
                market_table.add(j, &pack.aliases, &pack.covers);
            }
        }
        Ok(RuleSet {
            packs,
            libraries: library_packs.into_iter().map(|(_, p)| p).collect(),
            platforms,
            rules,
            fix_label: None,
            markets: vec![crate::market::DEFAULT.to_string()],
            market_table,
            prefilters: Default::default(),
        })
    } else {
        Err(RuleErrors { errors })
    }
}

/// Add the vocabulary, term lists and facts of the libraries a pack `uses`. The pack's own
/// definitions win over a library's of the same name.
fn borrow_from_libraries(
    parsed: &mut ParsedFile,
    libraries: &[(usize, ParsedFile)],
    errs: &mut Errors<'_>,
) {
    let uses = parsed
        .header
        .as_ref()
        .map(|(h, _)| h.uses.clone())
        .unwrap_or_default();
    parsed.own_vocab = parsed.vocab.keys().cloned().collect();
    for wanted in &uses {
        let found = libraries.iter().find(|(_, l)| {
            l.library
                .as_ref()
                .is_some_and(|h| h.name.get_ref() == wanted.get_ref())
        });
        let Some((lib_index, lib)) = found else {
            let known: Vec<String> = libraries
                .iter()
                .filter_map(|(_, l)| l.library.as_ref().map(|h| h.name.get_ref().clone()))
                .collect();
            errs.push(
                Some(wanted.span()),
                format!("unknown library `{}`", wanted.get_ref()),
                "not loaded",
                Some(format!("libraries loaded: {}", known.join(", "))),
            );
            continue;
        };
        for (word, list) in &lib.vocab {
            parsed
                .vocab
                .entry(word.clone())
                .or_insert_with(|| list.clone());
        }
        borrow(
            &mut parsed.terms,
            &lib.terms,
            &mut parsed.borrowed,
            *lib_index,
        );
        borrow(
            &mut parsed.facts,
            &lib.facts,
            &mut parsed.borrowed,
            *lib_index,
        );
        borrow(
            &mut parsed.templates,
            &lib.templates,
            &mut HashMap::new(),
            *lib_index,
        );
    }
}

/// Complete each `[[rule]]` from its template (the pack's own or a used library's), then check
/// that nothing required is missing.
fn fill_templates(parsed: &mut ParsedFile, errs: &mut Errors<'_>) {
    for (span, mut part) in std::mem::take(&mut parsed.rule_parts) {
        if let Some(wanted) = part.template.clone() {
            let found = parsed
                .templates
                .iter()
                .find(|(n, _, _)| n == wanted.get_ref());
            match found {
                Some((_, _, template)) => part.fill_from(template, wanted.span()),
                None => {
                    let mut known: Vec<&str> = parsed
                        .templates
                        .iter()
                        .map(|(n, _, _)| n.as_str())
                        .collect();
                    known.sort_unstable();
                    errs.push(
                        Some(wanted.span()),
                        format!("unknown rule template `{}`", wanted.get_ref()),
                        "not defined",
                        Some(if known.is_empty() {
                            "no template is loaded: define `[templates.NAME]` in a library the pack `uses`".into()
                        } else {
                            format!("templates: {}", known.join(", "))
                        }),
                    );
                    continue;
                }
            }
        }
        let at = part.code.as_ref().map_or(span, |c| c.span());
        match part.finish() {
            Ok(rule) => parsed.rules.push(rule),
            Err(missing) => errs.at(
                Some(at),
                format!(
                    "this rule is missing {}",
                    missing
                        .iter()
                        .map(|m| format!("`{m}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                "incomplete rule",
            ),
        }
    }
}

/// Add a library's named items (term lists or facts) that the pack does not define itself,
/// remembering which library each came from, for messages.
fn borrow<T: Clone>(
    own: &mut Vec<(String, Range<usize>, T)>,
    library: &[(String, Range<usize>, T)],
    borrowed: &mut HashMap<String, usize>,
    lib_index: usize,
) {
    for (name, span, item) in library {
        if !own.iter().any(|(n, _, _)| n == name) {
            own.push((name.clone(), span.clone(), item.clone()));
            borrowed.insert(name.clone(), lib_index);
        }
    }
}

/// Rule codes and names must be unique across every pack that stays loaded; checked on the
/// raw rules so a duplicate is reported even when the rule has other mistakes.
fn check_unique_codes(
    pack_files: &[(usize, ParsedFile)],
    sources: &[RuleSource],
    errors: &mut Vec<RuleError>,
) {
    let mut seen: HashMap<String, String> = HashMap::new();
    for (index, parsed) in pack_files {
        let pack = parsed
            .header
            .as_ref()
            .map_or(String::new(), |(h, _)| h.name.get_ref().clone());
        for rule in &parsed.rules {
            for key in [&rule.code, &rule.name] {
                if let Some(first_pack) = seen.insert(key.get_ref().clone(), pack.clone()) {
                    Errors { source: &sources[*index], list: errors }.push(
                        Some(key.span()),
                        format!("rule `{}` is defined twice (also in pack `{first_pack}`)", key.get_ref()),
                        "duplicate",
                        Some("codes and names must be unique across all loaded packs; to replace a built-in pack, give your pack its name".into()),
                    );
                }
            }
        }
    }
}

/// Name resolution for one pack.
pub(crate) struct Names {
    lists: HashMap<String, usize>,
    facts: HashMap<String, usize>,
}

impl Names {
    /// The names every pack and library has: the built-in lists.
    fn builtin() -> Names {
        Names {
            lists: Builtin::ALL
                .iter()
                .enumerate()
                .map(|(i, (name, _))| (name.to_string(), i))
                .collect(),
            facts: HashMap::new(),
        }
    }

    fn resolve(&self, name: &str) -> Option<Resolved> {
        self.lists
            .get(name)
            .map(|&i| Resolved::List(i))
            .or_else(|| self.facts.get(name).map(|&i| Resolved::Fact(i)))
    }

    pub(crate) fn list(&self, name: &Spanned<String>, errs: &mut Errors<'_>) -> Option<usize> {
        let found = self.lists.get(name.get_ref()).copied();
        if found.is_none() {
            let mut known: Vec<&str> = self.lists.keys().map(String::as_str).collect();
            known.sort_unstable();
            errs.push(
                Some(name.span()),
                format!("unknown term list `{}`", name.get_ref()),
                "not defined in this pack",
                Some(format!("term lists here: {}", known.join(", "))),
            );
        }
        found
    }

    fn expr(&self, src: &Spanned<String>, errs: &mut Errors<'_>) -> Option<Expr> {
        match expr::parse(src.get_ref(), &|n| self.resolve(n)) {
            Ok(e) => Some(e),
            Err(e) => {
                // +1: the span of a TOML string includes its opening quote.
                let base = src.span().start + 1;
                errs.at(
                    Some(base + e.span.start..base + e.span.end.max(e.span.start + 1)),
                    e.message,
                    "here",
                );
                None
            }
        }
    }
}

/// Languages by their ISO 639-3 codes; a code the detector does not know is a mistake at it.
fn languages(codes: &[Spanned<String>], errs: &mut Errors<'_>) -> Vec<whatlang::Lang> {
    codes
        .iter()
        .filter_map(|code| {
            let lang = whatlang::Lang::from_code(code.get_ref());
            if lang.is_none() {
                errs.push(
                    Some(code.span()),
                    format!("unknown language code `{}`", code.get_ref()),
                    "not an ISO 639-3 code known to the language detector",
                    Some("use three-letter codes such as `eng`, `spa`, `deu`, `fra`, `jpn`".into()),
                );
            }
            lang
        })
        .collect()
}

fn compile_pack<'a>(
    mut parsed: ParsedFile,
    pack_index: usize,
    platforms: &[Platform],
    sources: &'a [RuleSource],
    libraries: &[(usize, Pack)],
    errs: &mut Errors<'a>,
) -> Option<(Pack, Vec<Rule>)> {
    let (header, header_span) = parsed.header.take()?;
    let mut names = Names::builtin();
    for (i, (name, span, _)) in parsed.terms.iter().enumerate() {
        if names
            .lists
            .insert(name.clone(), Builtin::ALL.len() + i)
            .is_some()
        {
            errs.at(
                Some(span.clone()),
                format!("term list `{name}` is a built-in name"),
                "reserved",
            );
        }
    }
    for (i, (name, span, _)) in parsed.facts.iter().enumerate() {
        if names.lists.contains_key(name) {
            errs.at(
                Some(span.clone()),
                format!("fact `{name}` has the name of a term list"),
                "ambiguous",
            );
        }
        names.facts.insert(name.clone(), i);
    }

    let mut phrase_sources: Vec<String> = Vec::new();
    let mut lists = builtin_lists();
    let pure = shareable(&parsed);
    let mut shared_local = super::HashMap::default();
    for (name, span, raw) in &parsed.terms {
        // A library's list the pack uses unchanged is matched once, in the library's context.
        let shared = parsed
            .borrowed
            .get(name)
            .filter(|_| pure.contains(name))
            .and_then(|file| libraries.iter().position(|(i, _)| i == file))
            .and_then(|l| libraries[l].1.list_index(name).map(|j| (l, j)));
        if let Some((l, j)) = shared {
            shared_local.insert((l, j), lists.len());
            lists.push(TermList {
                shared: Some((l, j)),
                ..shared_stub(&libraries[l].1.lists[j])
            });
            continue;
        }
        // A library's list reports its mistakes in the library's file.
        let own = errs.source;
        if let Some(&i) = parsed.borrowed.get(name) {
            errs.source = &sources[i];
        }
        lists.push(compile_list(
            name,
            span,
            raw,
            &names,
            &parsed.vocab,
            &mut phrase_sources,
            errs,
        ));
        errs.source = own;
    }
    let mut facts: Vec<(String, Expr)> = Vec::new();
    for (name, _, src) in &parsed.facts {
        let own = errs.source;
        if let Some(&i) = parsed.borrowed.get(name) {
            errs.source = &sources[i];
        }
        // A fact that does not parse (reported) still takes its place, so the indices other
        // conditions hold stay the pack's.
        let e = names.expr(src, errs).unwrap_or(Expr::Or(Vec::new()));
        facts.push((name.clone(), e));
        errs.source = own;
    }
    check_cycles(&lists, &facts, &parsed, errs);

    let phrase_set = PhraseSet::new(phrase_sources);
    if !errs.source.builtin
        && let Err(e) = phrase_set.build()
    {
        errs.at(
            Some(header_span.clone()),
            format!("the pack's phrases are too large together: {e}"),
            "in this pack",
        );
        return None;
    }
    let pack = Pack {
        hashtag_lists: Pack::index_hashtags(&lists),
        name: header.name.get_ref().clone(),
        title: header.title,
        jurisdiction: header.jurisdiction.as_deref().map(crate::market::fold_code),
        version: header.version,
        sources_read: header.sources_read,
        description: header.description,
        aliases: header.aliases,
        covers: header.covers,
        label: header.label,
        languages: languages(&header.languages, errs),
        origin: errs.source.name.clone(),
        lists,
        facts,
        not_givers: parsed
            .vocab
            .get("not-givers")
            .map(|words| words.iter().map(|w| crate::text::fold_case(w)).collect())
            .unwrap_or_default(),
        phrase_set,
        shared_local,
    };
    let rules = parsed
        .rules
        .into_iter()
        .filter_map(|raw| compile_rule(raw, pack_index, &names, platforms, errs))
        .collect();
    Some((pack, rules))
}

/// A library compiled on its own, once: the context its shared lists are matched in. Its items
/// that need a pack's lists (`clear`, ...) compile to nothing here and are never shared; their
/// mistakes, like every library mistake, are reported where a pack uses them.
fn compile_library(parsed: &ParsedFile, source: &RuleSource) -> Pack {
    let mut ignored = Vec::new();
    let mut errs = Errors {
        source,
        list: &mut ignored,
    };
    let mut names = Names::builtin();
    for (i, (name, _, _)) in parsed.terms.iter().enumerate() {
        names.lists.insert(name.clone(), Builtin::ALL.len() + i);
    }
    for (i, (name, _, _)) in parsed.facts.iter().enumerate() {
        names.facts.insert(name.clone(), i);
    }
    let mut phrase_sources = Vec::new();
    let mut lists = builtin_lists();
    for (name, span, raw) in &parsed.terms {
        lists.push(compile_list(
            name,
            span,
            raw,
            &names,
            &parsed.vocab,
            &mut phrase_sources,
            &mut errs,
        ));
    }
    let facts = parsed
        .facts
        .iter()
        .map(|(name, _, src)| {
            let e = names.expr(src, &mut errs).unwrap_or(Expr::Or(Vec::new()));
            (name.clone(), e)
        })
        .collect();
    let name = parsed
        .library
        .as_ref()
        .map_or(String::new(), |h| h.name.get_ref().clone());
    Pack {
        hashtag_lists: Pack::index_hashtags(&lists),
        name,
        title: String::new(),
        jurisdiction: None,
        version: String::new(),
        sources_read: String::new(),
        description: None,
        aliases: Vec::new(),
        covers: Vec::new(),
        label: None,
        languages: Vec::new(),
        origin: source.name.clone(),
        lists,
        facts,
        not_givers: parsed
            .vocab
            .get("not-givers")
            .map(|words| words.iter().map(|w| crate::text::fold_case(w)).collect())
            .unwrap_or_default(),
        phrase_set: PhraseSet::new(phrase_sources),
        shared_local: super::HashMap::default(),
    }
}

/// A pack's stand-in for a shared library list: what messages, fixes and the language rule read
/// (label, suggestion, languages, terms), and no matcher of its own.
fn shared_stub(list: &TermList) -> TermList {
    TermList {
        description: list.description.clone(),
        languages: list.languages.clone(),
        label: list.label.clone(),
        suggest: list.suggest.clone(),
        suggest_prefix: list.suggest_prefix,
        display_terms: list.display_terms.clone(),
        ..empty_list(&list.name)
    }
}

/// The library lists and facts a pack can share: borrowed, and depending (through `include`,
/// `except`, `negations-of`, `sentence-with`, `when` and the vocabulary of their phrases) only on
/// built-in names and on other such items. Anything the pack defines itself (a `clear` list, a
/// `material-connection` of its own, its own `not-givers`) makes what depends on it its own too.
fn shareable(parsed: &ParsedFile) -> HashSet<String> {
    let word = |c: char| c.is_alphanumeric() || c == '-' || c == '_';
    let expr_names = |src: &str| -> Vec<String> {
        src.split(|c: char| !word(c))
            .filter(|w| !w.is_empty() && !matches!(*w, "and" | "or" | "not" | "head"))
            .map(String::from)
            .collect()
    };
    let builtin = |n: &str| {
        Builtin::ALL.iter().any(|(b, _)| *b == n)
            || matches!(
                n,
                "declared-sponsored"
                    | "declared-not-sponsored"
                    | "video-platform"
                    | "platform-label"
            )
    };
    let placeholders = |phrase: &str| -> Vec<String> {
        let mut out = Vec::new();
        let mut rest = phrase;
        while let Some(open) = rest.find('{') {
            let after = &rest[open + 1..];
            let Some(close) = after.find('}') else { break };
            let name = &after[..close];
            if name == "giver" {
                out.push("not-givers".to_string());
            } else if !name.is_empty() && name.chars().all(word) {
                out.push(name.to_string());
            }
            rest = &after[close + 1..];
        }
        out
    };
    let mut refs: HashMap<&str, Vec<String>> = HashMap::new();
    for (name, _, raw) in &parsed.terms {
        if !parsed.borrowed.contains_key(name) {
            continue;
        }
        let mut r: Vec<String> = raw
            .include
            .iter()
            .chain(&raw.except)
            .chain(&raw.negations_of)
            .chain(&raw.sentence_with)
            .map(|n| n.get_ref().clone())
            .collect();
        if let Some(w) = &raw.when {
            r.extend(expr_names(w.get_ref()));
        }
        for phrase in &raw.phrases {
            r.extend(
                placeholders(phrase.get_ref())
                    .into_iter()
                    .map(|v| format!("vocab:{v}")),
            );
        }
        refs.insert(name, r);
    }
    for (name, _, src) in &parsed.facts {
        if parsed.borrowed.contains_key(name) {
            refs.insert(name, expr_names(src.get_ref()));
        }
    }
    let mut pure: HashSet<String> = refs.keys().map(|n| n.to_string()).collect();
    loop {
        let own: Vec<String> = pure
            .iter()
            .filter(|name| {
                !refs[name.as_str()]
                    .iter()
                    .all(|r| match r.strip_prefix("vocab:") {
                        Some(v) => !parsed.own_vocab.contains(v),
                        None => builtin(r) || pure.contains(r),
                    })
            })
            .cloned()
            .collect();
        if own.is_empty() {
            return pure;
        }
        for name in own {
            pure.remove(&name);
        }
    }
}

/// The built-in lists, first in every pack and library (`handle`, `link`, ...).
fn builtin_lists() -> Vec<TermList> {
    Builtin::ALL
        .iter()
        .map(|(name, b)| TermList {
            builtin: Some(*b),
            ..empty_list(name)
        })
        .collect()
}

fn empty_list(name: &str) -> TermList {
    TermList {
        name: name.to_string(),
        description: None,
        builtin: None,
        include: Vec::new(),
        languages: Vec::new(),
        label: None,
        suggest: None,
        suggest_prefix: false,
        hashtags: super::HashSet::default(),
        suffix: None,
        labels: None,
        phrases: Vec::new(),
        links: None,
        negators: Vec::new(),
        negation_window: 3,
        negations_of: None,
        except: Vec::new(),
        when: None,
        sentence_with: None,
        display_terms: Vec::new(),
        shared: None,
    }
}

/// A pack's phrase prefilter set. A roomy lazy-DFA cache: with a small one the set thrashes and
/// falls back to the PikeVM.
pub(super) fn build_set(sources: &[String]) -> Result<RegexSet, regex::Error> {
    RegexSetBuilder::new(sources)
        .size_limit(REGEX_SIZE_LIMIT * 8)
        .dfa_size_limit(REGEX_SIZE_LIMIT * 4)
        .build()
}

pub(super) fn build_regex(src: &str) -> Result<Regex, regex::Error> {
    RegexBuilder::new(src)
        .size_limit(REGEX_SIZE_LIMIT)
        .dfa_size_limit(REGEX_SIZE_LIMIT)
        .build()
}

/// A user's pattern compiles now, so a bad one is a rule-file error; a built-in one (tested to
/// compile) when a caption first needs it.
fn lazy_regex(pattern: String, builtin: bool) -> Result<LazyRegex, regex::Error> {
    if builtin {
        Ok(LazyRegex::Deferred {
            pattern,
            regex: std::sync::OnceLock::new(),
        })
    } else {
        build_regex(&pattern).map(LazyRegex::Compiled)
    }
}

fn compile_list(
    name: &str,
    span: &Range<usize>,
    raw: &RawTermList,
    names: &Names,
    vocab: &BTreeMap<String, Vec<String>>,
    phrase_sources: &mut Vec<String>,
    errs: &mut Errors<'_>,
) -> TermList {
    let builtin = errs.source.builtin;
    let mut list = empty_list(name);
    list.description = raw.description.clone();
    list.label = raw.label.clone();
    list.suggest = raw.suggest.clone();
    match raw.suggest_mode.as_ref().map(|m| m.get_ref().as_str()) {
        None | Some("replace") => {}
        Some("prefix") => list.suggest_prefix = true,
        Some(other) => {
            let span = raw.suggest_mode.as_ref().map(|m| m.span());
            errs.at(
                span,
                format!("unknown suggest-mode `{other}`: use replace or prefix"),
                "unknown mode",
            );
        }
    }
    list.include = raw
        .include
        .iter()
        .filter_map(|n| names.list(n, errs))
        .collect();
    list.except = raw
        .except
        .iter()
        .filter_map(|n| names.list(n, errs))
        .collect();
    list.negations_of = raw.negations_of.as_ref().and_then(|n| names.list(n, errs));
    list.sentence_with = raw.sentence_with.as_ref().and_then(|n| names.list(n, errs));
    list.when = raw.when.as_ref().and_then(|w| names.expr(w, errs));
    list.languages = languages(&raw.languages, errs);
    list.hashtags = raw
        .hashtags
        .iter()
        .map(|h| crate::text::fold_case(h.trim_start_matches('#')))
        .collect();
    list.display_terms.extend(
        raw.hashtags
            .iter()
            .map(|h| format!("#{}", h.trim_start_matches('#'))),
    );
    if !raw.hashtag_suffixes.is_empty() {
        list.suffix = Some(SuffixMatcher {
            suffixes: raw
                .hashtag_suffixes
                .iter()
                .map(|s| crate::text::fold_case(s))
                .collect(),
            stem_min: raw.hashtag_stem_min,
            stem_exclude: raw
                .hashtag_stem_exclude
                .iter()
                .map(|s| crate::text::fold_case(s))
                .collect(),
        });
    }
    if !raw.labels.is_empty() {
        let mut forms = if raw.label_forms.is_empty() {
            LabelForms::ALL
        } else {
            LabelForms::NONE
        };
        for form in &raw.label_forms {
            if !forms.set(form.get_ref()) {
                errs.push(
                    Some(form.span()),
                    format!("unknown label form `{}`", form.get_ref()),
                    "unknown form",
                    Some(format!("label forms: {}", LabelForms::NAMES.join(", "))),
                );
            }
        }
        let alts: Vec<String> = raw.labels.iter().map(|l| regex::escape(l)).collect();
        let flags = if raw.case_sensitive { "" } else { "(?i)" };
        let pattern = format!("{flags}(?:{})", alts.join("|"));
        match lazy_regex(pattern.clone(), builtin) {
            Ok(regex) => {
                list.labels = Some(LabelMatcher {
                    regex,
                    words: raw.labels.clone(),
                    forms,
                    set_index: phrase_sources.len(),
                });
                phrase_sources.push(pattern);
            }
            Err(e) => errs.at(
                Some(span.clone()),
                format!("labels do not compile: {e}"),
                "in this list",
            ),
        }
        list.display_terms.extend(raw.labels.iter().cloned());
    }
    for phrase in &raw.phrases {
        let (src, checks) = match pattern::expand(phrase.get_ref(), vocab) {
            Ok(v) => v,
            Err(message) => {
                errs.at(Some(phrase.span()), message, "in this pattern");
                continue;
            }
        };
        match lazy_regex(src.clone(), builtin) {
            Ok(regex) => {
                list.phrases.push(Phrase {
                    source: phrase.get_ref().clone(),
                    regex,
                    checks,
                    set_index: phrase_sources.len(),
                    bounded: std::sync::OnceLock::new(),
                });
                phrase_sources.push(prefilter_source(&pattern::expand_prefilter(
                    phrase.get_ref(),
                    vocab,
                )));
                if is_plain_phrase(phrase.get_ref()) {
                    list.display_terms.push(phrase.get_ref().clone());
                }
            }
            Err(e) => errs.push(
                Some(phrase.span()),
                "this pattern is not a valid regular expression".into(),
                "invalid pattern",
                Some(
                    e.to_string()
                        .lines()
                        .last()
                        .unwrap_or_default()
                        .trim()
                        .to_string(),
                ),
            ),
        }
    }
    let links = LinkMatcher {
        hosts: raw.link_hosts.iter().map(|h| h.to_lowercase()).collect(),
        prefixes: raw.link_prefixes.iter().map(|h| h.to_lowercase()).collect(),
        params: raw.link_params.iter().map(|p| p.to_lowercase()).collect(),
        host_params: raw
            .link_host_params
            .iter()
            .map(|(h, ps)| {
                (
                    h.to_lowercase(),
                    ps.iter().map(|p| p.to_lowercase()).collect(),
                )
            })
            .collect(),
    };
    if !links.is_empty() {
        list.links = Some(links);
    }
    list.negators = raw
        .negators
        .iter()
        .map(|n| crate::text::fold_case(n))
        .collect();
    list.negation_window = raw.negation_window.unwrap_or(3);
    list
}

/// The prefilter version of a phrase. It may only over-match, never miss: word-boundary
/// assertions are dropped (a Unicode `\b` makes the lazy DFA give up on non-ASCII captions)
/// and bounded repetitions `{m,n}` become `*` (they multiply DFA states until the set falls
/// back to the much slower PikeVM).
fn prefilter_source(src: &str) -> String {
    static BOUNDED: std::sync::LazyLock<Regex> =
        std::sync::LazyLock::new(|| Regex::new(r"\{\d*,\d*\}\??").expect("valid"));
    let without_boundaries = src.replace(r"\b", "");
    BOUNDED.replace_all(&without_boundaries, "*").into_owned()
}

/// A phrase with no regex syntax, shown as a term in messages ("paid partnership").
fn is_plain_phrase(p: &str) -> bool {
    p.chars()
        .all(|c| c.is_alphanumeric() || c == ' ' || c == '\'' || c == '-')
}

/// Lists and facts must not depend on themselves.
fn check_cycles(
    lists: &[TermList],
    facts: &[(String, Expr)],
    parsed: &ParsedFile,
    errs: &mut Errors<'_>,
) {
    #[derive(Clone, Copy, PartialEq, Eq, Hash)]
    enum Node {
        List(usize),
        Fact(usize),
    }
    let deps = |n: Node| -> Vec<Node> {
        let mut atoms = Vec::new();
        let mut out = Vec::new();
        match n {
            Node::List(i) => {
                let l = &lists[i];
                out.extend(
                    l.include
                        .iter()
                        .chain(&l.except)
                        .chain(&l.negations_of)
                        .chain(&l.sentence_with)
                        .map(|&j| Node::List(j)),
                );
                if let Some(w) = &l.when {
                    w.atoms(&mut atoms);
                }
            }
            Node::Fact(i) => facts[i].1.atoms(&mut atoms),
        }
        out.extend(atoms.into_iter().filter_map(|a| match a {
            Atom::List(j) | Atom::InHead(j) => Some(Node::List(j)),
            Atom::Fact(j) => Some(Node::Fact(j)),
            _ => None,
        }));
        out
    };
    let mut done: HashSet<Node> = HashSet::new();
    let all = (0..lists.len())
        .map(Node::List)
        .chain((0..facts.len()).map(Node::Fact));
    for start in all {
        let mut path = Vec::new();
        if let Some(cycle_at) = visit(start, &deps, &mut done, &mut path) {
            let (name, span) = match cycle_at {
                Node::List(i) => {
                    let name = &lists[i].name;
                    let span = parsed
                        .terms
                        .iter()
                        .find(|(n, _, _)| n == name)
                        .map(|(_, s, _)| s.clone());
                    (name.clone(), span)
                }
                Node::Fact(i) => (
                    facts[i].0.clone(),
                    parsed.facts.get(i).map(|(_, s, _)| s.clone()),
                ),
            };
            errs.at(
                span,
                format!("`{name}` depends on itself"),
                "part of a cycle",
            );
        }
    }

    fn visit<N: Copy + Eq + std::hash::Hash>(
        n: N,
        deps: &dyn Fn(N) -> Vec<N>,
        done: &mut HashSet<N>,
        path: &mut Vec<N>,
    ) -> Option<N> {
        if done.contains(&n) {
            return None;
        }
        if path.contains(&n) {
            return Some(n);
        }
        path.push(n);
        for d in deps(n) {
            if let Some(c) = visit(d, deps, done, path) {
                done.insert(n);
                return Some(c);
            }
        }
        path.pop();
        done.insert(n);
        None
    }
}

fn compile_rule(
    raw: RawRule,
    pack_index: usize,
    names: &Names,
    platforms: &[Platform],
    errs: &mut Errors<'_>,
) -> Option<Rule> {
    let before = errs.list.len();
    let code = raw.code.get_ref().clone();
    let code_ok = code.len() >= 2
        && code.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && code
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        && code.chars().any(|c| c.is_ascii_digit());
    if !code_ok {
        errs.at(
            Some(raw.code.span()),
            format!("rule code `{code}` must be capital letters then digits, like `FTC001`"),
            "bad code",
        );
    }
    let name = raw.name.get_ref().clone();
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        errs.at(
            Some(raw.name.span()),
            format!("rule name `{name}` must be kebab-case, like `missing-disclosure`"),
            "bad name",
        );
    }
    let severity = Severity::parse(raw.severity.get_ref());
    if severity.is_none() {
        errs.at(
            Some(raw.severity.span()),
            format!(
                "unknown severity `{}`: use error, warning or advice",
                raw.severity.get_ref()
            ),
            "unknown severity",
        );
    }
    let terms = raw.terms.as_ref().and_then(|t| names.list(t, errs));
    let kind = raw.kind.get_ref().as_str();
    use crate::engine::checks;
    let check = match kind {
        "existence" => checks::existence::compile(&raw, terms, errs),
        "substitution" => checks::substitution::compile(&raw, terms, errs),
        "conditional" => checks::conditional::compile(&raw, names, errs),
        "placement" => checks::placement::compile(&raw, terms, errs),
        "language" => checks::language::compile(&raw, terms, errs),
        other => {
            errs.push(
                Some(raw.kind.span()),
                format!("unknown check kind `{other}`"),
                "unknown kind",
                Some("kinds: existence, substitution, conditional, placement, language".into()),
            );
            None
        }
    };
    let mut when = raw.when.as_ref().and_then(|w| names.expr(w, errs));
    if let Some(unless) = &raw.unless
        && let Some(u) = names.expr(unless, errs)
    {
        let not = Expr::Not(Box::new(u));
        when = Some(match when {
            Some(w) => Expr::And(vec![w, not]),
            None => not,
        });
    }
    let fix = raw.fix.as_ref().and_then(|f| compile_fix(f, errs));
    let fail_examples = examples(&raw.examples.fail, platforms, errs, &raw.code);
    let pass_examples = examples(&raw.examples.pass, platforms, errs, &raw.code);
    if fail_examples.is_empty() || pass_examples.is_empty() {
        errs.push(
            Some(raw.code.span()),
            format!("rule `{code}` needs at least one failing and one passing example"),
            "in this rule",
            Some("add `examples.fail = [\"...\"]` and `examples.pass = [\"...\"]`".into()),
        );
    }
    if errs.list.len() > before {
        return None;
    }
    Some(Rule {
        code,
        name,
        severity: severity?,
        pack: pack_index,
        check: check?,
        when,
        summary: raw.summary,
        message: raw.message,
        help: raw.help,
        docs: raw.docs,
        source: raw.source,
        source_title: raw.source_title,
        quote: raw.quote,
        label: raw.label,
        fix,
        fail_examples,
        pass_examples,
    })
}

fn compile_fix(raw: &super::raw::RawFix, errs: &mut Errors<'_>) -> Option<super::FixSpec> {
    use super::FixAction;
    use crate::diagnostic::Safety;
    let action = match raw.action.get_ref().as_str() {
        "replace" => Some(FixAction::Replace),
        "move-to-start" => Some(FixAction::MoveToStart),
        "insert-at-start" => Some(FixAction::InsertAtStart(
            raw.text.clone().unwrap_or_else(|| "#ad ".into()),
        )),
        "add-language-term" => Some(FixAction::AddLanguageTerm),
        other => {
            errs.push(
                Some(raw.action.span()),
                format!("unknown fix action `{other}`"),
                "unknown action",
                Some("actions: replace, move-to-start, insert-at-start, add-language-term".into()),
            );
            None
        }
    };
    let safety = match raw.safety.get_ref().as_str() {
        "safe" => Some(Safety::Safe),
        "unsafe" => Some(Safety::Unsafe),
        other => {
            errs.at(
                Some(raw.safety.span()),
                format!("unknown fix safety `{other}`: use safe or unsafe"),
                "unknown safety",
            );
            None
        }
    };
    Some(super::FixSpec {
        action: action?,
        safety: safety?,
    })
}

fn examples(
    raw: &[RawExample],
    platforms: &[Platform],
    errs: &mut Errors<'_>,
    code: &Spanned<String>,
) -> Vec<Example> {
    raw.iter()
        .map(|e| match e {
            RawExample::Caption(caption) => Example {
                caption: caption.clone(),
                platform: None,
                sponsored: None,
                brands: Vec::new(),
                paid_partnership_label: None,
            },
            RawExample::Full(full) => {
                if let Some(p) = &full.platform {
                    let known = platforms
                        .iter()
                        .any(|k| k.name == *p || k.aliases.contains(p));
                    if !known {
                        errs.at(
                            Some(code.span()),
                            format!(
                                "an example of `{}` names unknown platform `{p}`",
                                code.get_ref()
                            ),
                            "in this rule",
                        );
                    }
                }
                Example {
                    caption: full.caption.clone(),
                    platform: full.platform.clone(),
                    sponsored: full.sponsored,
                    brands: full.brands.clone(),
                    paid_partnership_label: full.paid_partnership_label,
                }
            }
        })
        .collect()
}
