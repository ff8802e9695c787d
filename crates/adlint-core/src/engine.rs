//! The rule engine: captions and compiled rules in, diagnostics out.
//!
//! Pure: no file system, no network, no printing. For each caption the engine tokenizes once,
//! finds the fold once, runs every phrase of a pack through one `RegexSet` pass to learn which
//! phrases can match, and then evaluates term lists and facts lazily, each at most once, as the
//! rules ask for them.

use std::cell::RefCell;
use std::ops::Range;
use std::rc::Rc;

use regex::SetMatches;
use unicode_segmentation::UnicodeSegmentation;

use crate::caption::Caption;
use crate::diagnostic::{self, Diagnostic, Edit, Fix, Label};
use crate::rules::pattern::is_code_like;
use crate::rules::{
    Atom, Builtin, Check, Expr, FixAction, FixSpec, LabelMatcher, LinkMatcher, Pack, Placement,
    Platform, Rule, RuleSet, SuffixMatcher, TermList,
};
use crate::text::{self, Token, TokenKind};

/// Check one caption against every enabled rule.
pub fn check(caption: &Caption, rules: &RuleSet) -> Vec<Diagnostic> {
    let platform = resolve_platform(caption, rules);
    let scan = Scan::new(&caption.text, platform);
    // The libraries' shared lists, matched at most once per caption whatever the packs.
    let libraries: Libraries<'_> = RefCell::new((0..rules.libraries.len()).map(|_| None).collect());
    let mut out = Vec::new();
    for index in active_packs(caption, rules) {
        let pack = &rules.packs[index];
        let mut pack_rules = rules.rules.iter().filter(|r| r.pack == index).peekable();
        if pack_rules.peek().is_none() {
            continue;
        }
        let mut ctx = Ctx::new(caption, &scan, pack, platform);
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

/// What is computed once per caption, whatever the pack.
struct Scan<'a> {
    text: &'a str,
    tokens: Vec<Token>,
    head_end: usize,
    /// Hashtag walls as ranges of token indices.
    walls: Vec<Range<usize>>,
    /// Case-folded hashtag bodies with their spans, folded once for every term list.
    hashtags: Vec<(String, Range<usize>)>,
    /// The caption's language, detected when a rule first asks (the detector is costly), once
    /// for every pack.
    language: std::cell::OnceCell<Option<whatlang::Lang>>,
}

impl<'a> Scan<'a> {
    fn new(text: &'a str, platform: &Platform) -> Self {
        let tokens = text::tokenize(text);
        let walls = hashtag_walls(text, &tokens);
        let hashtags = tokens
            .iter()
            .filter(|t| t.kind == TokenKind::Hashtag)
            .map(|t| (text::fold_case(t.body(text)), t.span.clone()))
            .collect();
        Scan {
            text,
            head_end: text::fold_end(text, platform.fold_chars, platform.fold_lines),
            tokens,
            walls,
            hashtags,
            language: std::cell::OnceCell::new(),
        }
    }

    /// Whether `span` cuts through a hashtag, handle or link (it may contain them whole).
    fn cuts_token(&self, span: &Range<usize>) -> bool {
        // Tokens are in caption order and do not overlap: look only at those around the span.
        let first = self.tokens.partition_point(|t| t.span.end <= span.start);
        self.tokens[first..]
            .iter()
            .take_while(|t| t.span.start < span.end)
            .any(|t| !(span.start <= t.span.start && t.span.end <= span.end))
    }
}

/// Runs of three or more tokens separated only by spaces, line breaks and `. , · • | / - –`.
fn hashtag_walls(text: &str, tokens: &[Token]) -> Vec<Range<usize>> {
    let joined = |a: &Token, b: &Token| {
        text.get(a.span.end..b.span.start).is_some_and(|between| {
            between
                .chars()
                .all(|c| c.is_whitespace() || ".,·•|/-–".contains(c))
        })
    };
    let mut walls = Vec::new();
    let mut start = 0;
    for i in 1..=tokens.len() {
        if i == tokens.len() || !joined(&tokens[i - 1], &tokens[i]) {
            if i - start >= 3 {
                walls.push(start..i);
            }
            start = i;
        }
    }
    walls
}

/// A match of a term list: where, and which list produced it (for its label and languages).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Match {
    span: Range<usize>,
    list: usize,
}

#[derive(Debug, Default)]
struct ListMatches {
    kept: Vec<Match>,
    negated: Vec<Match>,
}

/// Per caption: each library's context, made when a pack first asks for one of its lists.
type Libraries<'a> = RefCell<Vec<Option<Ctx<'a>>>>;

/// Per caption and pack (or library): lazily evaluated term lists and facts.
struct Ctx<'a> {
    /// The libraries' contexts and compiled lists, for the lists this pack shares with them.
    libraries: Option<(&'a Libraries<'a>, &'a [Pack])>,
    caption: &'a Caption,
    scan: &'a Scan<'a>,
    pack: &'a Pack,
    platform: &'a Platform,
    brand_keys: Vec<String>,
    phrase_hits: Option<SetMatches>,
    /// For each of the caption's hashtags, the lists of this pack that name it.
    tag_lists: Vec<&'a [usize]>,
    lists: Vec<Option<Rc<ListMatches>>>,
    facts: Vec<Option<bool>>,
    /// The label `insert-at-start` fixes use instead of the rule's (`fix-label` in config).
    fix_label: Option<&'a str>,
    empty: Rc<ListMatches>,
}

impl<'a> Ctx<'a> {
    fn new(
        caption: &'a Caption,
        scan: &'a Scan<'a>,
        pack: &'a Pack,
        platform: &'a Platform,
    ) -> Self {
        Ctx {
            caption,
            scan,
            pack,
            platform,
            brand_keys: caption
                .brands
                .iter()
                .map(|b| text::brand_key(b))
                .filter(|k| !k.is_empty())
                .collect(),
            phrase_hits: None,
            tag_lists: scan
                .hashtags
                .iter()
                .map(|(body, _)| pack.hashtag_lists.get(body).map_or(&[][..], Vec::as_slice))
                .collect(),
            lists: vec![None; pack.lists.len()],
            facts: vec![None; pack.facts.len()],
            fix_label: None,
            empty: Rc::new(ListMatches::default()),
            libraries: None,
        }
    }

    fn text(&self) -> &'a str {
        self.scan.text
    }

    fn eval(&mut self, expr: &Expr) -> bool {
        expr.eval(&mut |atom| self.atom(atom))
    }

    fn atom(&mut self, atom: Atom) -> bool {
        match atom {
            Atom::List(i) => !self.list(i).kept.is_empty(),
            Atom::InHead(i) => {
                let head = self.scan.head_end;
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

    fn list(&mut self, i: usize) -> Rc<ListMatches> {
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

    /// A library list's matches, computed once per caption in the library's context, with each
    /// match renamed to this pack's list of the same name.
    fn shared_list(&mut self, l: usize, j: usize) -> Option<ListMatches> {
        let (contexts, compiled) = self.libraries?;
        let found = {
            let mut contexts = contexts.borrow_mut();
            let ctx = contexts[l].get_or_insert_with(|| {
                Ctx::new(self.caption, self.scan, &compiled[l], self.platform)
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

    fn compute_list(&mut self, i: usize, list: &'a TermList) -> ListMatches {
        let mut found: Vec<Match> = Vec::new();
        let mut own = |span: Range<usize>| found.push(Match { span, list: i });
        if let Some(b) = list.builtin {
            self.builtin(b).into_iter().for_each(&mut own);
        }
        self.hashtag_matches(i, list).into_iter().for_each(&mut own);
        if let Some(labels) = &list.labels {
            self.label_matches(labels).into_iter().for_each(&mut own);
        }
        if !list.phrases.is_empty() {
            self.phrase_matches(list).into_iter().for_each(&mut own);
        }
        if let Some(links) = &list.links {
            self.link_matches(links).into_iter().for_each(&mut own);
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

    fn builtin(&self, b: Builtin) -> Vec<Range<usize>> {
        let kind = match b {
            Builtin::Handle => TokenKind::Handle,
            Builtin::Link => TokenKind::Link,
            Builtin::Hashtag => TokenKind::Hashtag,
            Builtin::DeclaredBrand => {
                return self
                    .brand_keys
                    .iter()
                    .flat_map(|k| text::find_brand(self.text(), &self.scan.tokens, k))
                    .collect();
            }
        };
        self.scan
            .tokens
            .iter()
            .filter(|t| t.kind == kind)
            .map(|t| t.span.clone())
            .collect()
    }

    fn hashtag_matches(&self, i: usize, list: &TermList) -> Vec<Range<usize>> {
        if list.hashtags.is_empty() && list.suffix.is_none() {
            return Vec::new();
        }
        self.scan
            .hashtags
            .iter()
            .zip(&self.tag_lists)
            .filter(|((body, _), lists)| {
                lists.contains(&i) || list.suffix.as_ref().is_some_and(|s| suffix_match(s, body))
            })
            .map(|((_, span), _)| span.clone())
            .collect()
    }

    /// Which phrase and label patterns of the pack can match: one set pass per caption and pack.
    fn set_hits(&mut self) -> &SetMatches {
        let (text, pack) = (self.text(), self.pack);
        self.phrase_hits
            .get_or_insert_with(|| pack.phrase_set.get().matches(text))
    }

    fn label_matches(&mut self, labels: &LabelMatcher) -> Vec<Range<usize>> {
        if !self.set_hits().matched(labels.set_index) {
            return Vec::new();
        }
        let text = self.text();
        labels
            .regex
            .get()
            .find_iter(text)
            .map(|m| m.range())
            .filter(|span| text::is_whole_word(text, span) && !self.scan.cuts_token(span))
            .filter(|span| label_position(text, span, labels))
            .collect()
    }

    fn phrase_matches(&mut self, list: &TermList) -> Vec<Range<usize>> {
        let text = self.text();
        let hits = self.set_hits();
        let candidates: Vec<_> = list
            .phrases
            .iter()
            .filter(|p| hits.matched(p.set_index))
            .collect();
        let mut out = Vec::new();
        for phrase in candidates {
            // Capture groups cost a slower regex engine: only phrases with a `{giver}` or
            // `{code}` to check after the match ask for them.
            let needs_groups = phrase.checks.code || phrase.checks.giver;
            let mut at = 0;
            while at <= text.len() {
                let Some((whole, caps)) = find_phrase(phrase.regex.get(), text, at, needs_groups)
                else {
                    break;
                };
                let valid = |whole: &Range<usize>, caps: &Option<regex::Captures<'_>>| {
                    let group = |name: &str| caps.as_ref().and_then(|c| c.name(name));
                    !whole.is_empty()
                        && text::is_whole_word(text, whole)
                        && !self.scan.cuts_token(whole)
                        && (!phrase.checks.code
                            || group("code").is_some_and(|c| is_code_like(c.as_str())))
                        && (!phrase.checks.giver
                            || group("giver").is_some_and(|g| self.valid_giver(g.range())))
                };
                // A match that stops inside a word may have taken a shorter alternative
                // ("pakke" of "pakke|pakken" in "pakken"): the same phrase bounded at a word end,
                // from the same start, finds the longer one if there is one.
                let (whole, ok) = if valid(&whole, &caps) {
                    (whole, true)
                } else if ends_inside_word(text, &whole)
                    && let Some(bounded) = phrase.bounded()
                    && let Some((longer, longer_caps)) =
                        find_phrase(bounded, text, whole.start, needs_groups)
                    && longer.start == whole.start
                    && valid(&longer, &longer_caps)
                {
                    (longer, true)
                } else {
                    (whole, false)
                };
                if ok {
                    at = whole.end.max(at + 1);
                    out.push(whole);
                } else {
                    at = whole.start + text[whole.start..].chars().next().map_or(1, char::len_utf8);
                }
            }
        }
        out
    }

    /// A giver is an @handle, a declared brand, or 1-4 capitalised words that do not start a
    /// sentence and are not family or friends.
    fn valid_giver(&self, span: Range<usize>) -> bool {
        let text = self.text();
        let giver = &text[span.clone()];
        if giver.starts_with('@') {
            return true;
        }
        let declared = self.brand_keys.iter().any(|k| {
            text::find_brand(text, &self.scan.tokens, k)
                .iter()
                .any(|b| b.start == span.start)
        });
        if declared {
            return true;
        }
        let words: Vec<&str> = giver.split_whitespace().collect();
        let capitalised = words
            .iter()
            .all(|w| w.chars().next().is_some_and(char::is_uppercase));
        let family = words
            .iter()
            .any(|w| self.pack.not_givers.contains(&text::fold_case(w)));
        capitalised && !family && !text::starts_sentence(text, span.start)
    }

    fn link_matches(&self, links: &LinkMatcher) -> Vec<Range<usize>> {
        let text = self.text();
        self.scan
            .tokens
            .iter()
            .filter(|t| t.kind == TokenKind::Link && link_match(links, &text[t.span.clone()]))
            .map(|t| t.span.clone())
            .collect()
    }

    fn language(&self) -> Option<whatlang::Lang> {
        *self
            .scan
            .language
            .get_or_init(|| detect_language(self.text(), &self.scan.tokens))
    }

    fn apply(&mut self, rule: &Rule, out: &mut Vec<Diagnostic>) {
        if let Some(when) = &rule.when
            && !self.eval(when)
        {
            return;
        }
        let mut vars = Vars::default();
        match &rule.check {
            Check::Existence { terms, each } => {
                let found = self.list(*terms);
                let take = if *each { found.kept.len() } else { 1 };
                for m in found.kept.iter().take(take) {
                    out.push(self.diagnostic(rule, m, &vars, Vec::new()));
                }
            }
            Check::Substitution { terms, replace } => {
                let found = self.list(*terms);
                if let Some(m) = found.kept.first() {
                    vars.suggest = self.pack.lists[m.list]
                        .suggest
                        .clone()
                        .unwrap_or_else(|| replace.clone());
                    out.push(self.diagnostic(rule, m, &vars, Vec::new()));
                }
            }
            Check::Conditional { anchor } => {
                let first = anchor
                    .iter()
                    .filter_map(|&a| self.list(a).kept.first().cloned())
                    .min_by_key(|m| m.span.start);
                let m = first.unwrap_or_else(|| Match {
                    span: self.opening_span(),
                    list: usize::MAX,
                });
                out.push(self.diagnostic(rule, &m, &vars, Vec::new()));
            }
            Check::Placement { terms, require } => {
                let found = self.list(*terms);
                let Some(first) = found.kept.first() else {
                    return;
                };
                match require {
                    Placement::Head => {
                        let head = self.scan.head_end;
                        if found.kept.iter().any(|m| m.span.end <= head) {
                            return;
                        }
                        let fold = self.fold_label();
                        out.push(self.diagnostic(rule, first, &vars, vec![fold]));
                    }
                    Placement::OutsideHashtagWall => {
                        if let Some(wall_start) = self.buried_in_wall(&first.span) {
                            // Labelled at its first token: a label spanning the whole wall
                            // would contain the disclosure's own label.
                            let label = Label {
                                span: wall_start,
                                text: "a hashtag wall starts here".into(),
                            };
                            out.push(self.diagnostic(rule, first, &vars, vec![label]));
                        }
                    }
                }
            }
            Check::Language { terms } => {
                let found = self.list(*terms);
                let pack = self.pack;
                // A disclosure that fits every language settles it without the (costly) detector.
                let neutral = |m: &Match| pack.lists[m.list].languages.is_empty();
                if found.kept.is_empty() || found.kept.iter().any(neutral) {
                    return;
                }
                let Some(lang) = self.language() else { return };
                let fits = found
                    .kept
                    .iter()
                    .any(|m| pack.lists[m.list].languages.contains(&lang));
                if fits {
                    return;
                }
                vars.language = lang.eng_name().to_string();
                let terms: Vec<&str> = pack
                    .lists
                    .iter()
                    .filter(|l| l.languages.contains(&lang))
                    .flat_map(|l| l.display_terms.iter().map(String::as_str))
                    .collect();
                vars.language_term = terms
                    .iter()
                    .find(|t| t.starts_with('#'))
                    .or(terms.first())
                    .map(|t| t.to_string())
                    .unwrap_or_default();
                vars.language_terms = if terms.is_empty() {
                    format!(
                        "adlint knows no {} disclosure terms; add one your audience understands",
                        vars.language
                    )
                } else {
                    terms.join(", ")
                };
                out.push(self.diagnostic(rule, &found.kept[0], &vars, Vec::new()));
            }
        }
    }

    /// The first line's text (within the head): where a missing disclosure belongs.
    fn opening_span(&self) -> Range<usize> {
        let text = self.text();
        let line_end = text.find(['\n', '\r']).unwrap_or(text.len());
        let end = line_end.min(self.scan.head_end.max(1)).min(text.len());
        let end = text.floor_char_boundary(end);
        let trimmed = text[..end].trim_end().len();
        let start = text.len() - text.trim_start().len();
        if start < trimmed {
            start..trimmed
        } else {
            0..text.len().min(end)
        }
    }

    /// A label on the grapheme right after the fold.
    fn fold_label(&self) -> Label {
        let text = self.text();
        let at = self.scan.head_end;
        let len = text[at..].graphemes(true).next().map_or(0, str::len);
        Label {
            span: at..at + len,
            text: format!(
                "the {} fold: from here on, viewers must tap \"more\" ({})",
                self.platform.name,
                self.platform.fold_description()
            ),
        }
    }

    /// If `span` is a hashtag token inside a wall and not its first token, the span of the
    /// wall's first token.
    fn buried_in_wall(&self, span: &Range<usize>) -> Option<Range<usize>> {
        let tokens = &self.scan.tokens;
        let index = tokens.partition_point(|t| t.span.start < span.start);
        (tokens.get(index)?.span == *span).then_some(())?;
        let wall = self.scan.walls.iter().find(|w| w.contains(&index))?;
        (index != wall.start).then(|| tokens[wall.start].span.clone())
    }

    fn diagnostic(&self, rule: &Rule, m: &Match, vars: &Vars, labels: Vec<Label>) -> Diagnostic {
        let text = self.text();
        let matched = &text[m.span.clone()];
        let fill = |s: &str| vars.fill(s, matched, self.platform, &self.caption.brands);
        let list_label = self.pack.lists.get(m.list).and_then(|l| l.label.as_deref());
        let label = rule
            .label
            .as_deref()
            .or(list_label)
            .unwrap_or(&rule.message);
        Diagnostic {
            code: rule.code.clone(),
            name: rule.name.clone(),
            severity: rule.severity,
            message: fill(&rule.message),
            span: m.span.clone(),
            label: fill(label),
            labels,
            help: fill(&rule.help),
            url: rule.source.clone(),
            fix: rule.fix.as_ref().and_then(|spec| self.fix(spec, m, vars)),
        }
    }

    /// The edits that repair a finding, per the rule's fix action.
    fn fix(&self, spec: &FixSpec, m: &Match, vars: &Vars) -> Option<Fix> {
        let text = self.text();
        let edits = match &spec.action {
            FixAction::Replace => {
                let list = self.pack.lists.get(m.list)?;
                // Right after a negator ("not sponsored #sp") the clear label would read as a
                // denial, not a disclosure: leave it to the user.
                if vars.suggest.is_empty() || self.negated_here(m.span.start) {
                    return None;
                }
                if list.suggest_prefix {
                    vec![edit(
                        m.span.start..m.span.start,
                        format!("{} ", vars.suggest),
                    )]
                } else {
                    vec![edit(m.span.clone(), vars.suggest.clone())]
                }
            }
            FixAction::MoveToStart => {
                let is_hashtag = self
                    .scan
                    .tokens
                    .iter()
                    .any(|t| t.kind == TokenKind::Hashtag && t.span == m.span);
                let start = start_of(text);
                if !is_hashtag {
                    // A phrase cannot be lifted out of its sentence: put a clear label first.
                    return Some(Fix {
                        safety: spec.safety,
                        edits: vec![edit(start..start, format!("{} ", self.pack_label()))],
                    });
                }
                vec![
                    edit(start..start, format!("{} ", &text[m.span.clone()])),
                    edit(removal(text, &m.span), String::new()),
                ]
            }
            FixAction::InsertAtStart(label) => {
                let label = self.fix_label.unwrap_or(label);
                let start = start_of(text);
                vec![edit(start..start, label.to_string())]
            }
            FixAction::AddLanguageTerm => {
                if vars.language_term.is_empty() {
                    return None;
                }
                let is_hashtag = text[m.span.clone()].starts_with(['#', '＃']);
                if is_hashtag {
                    vec![edit(
                        m.span.end..m.span.end,
                        format!(" {}", vars.language_term),
                    )]
                } else {
                    // Before a label or phrase, so `Ad:` keeps its colon.
                    vec![edit(
                        m.span.start..m.span.start,
                        format!("{} ", vars.language_term),
                    )]
                }
            }
        };
        Some(Fix {
            safety: spec.safety,
            edits,
        })
    }

    /// Whether a term starting at `at` would be negated, by any list's negators.
    fn negated_here(&self, at: usize) -> bool {
        self.pack
            .lists
            .iter()
            .filter(|l| !l.negators.is_empty())
            .any(|l| is_negated(self.text(), at, &l.negators, l.negation_window))
    }

    /// The label a fix puts first when it cannot move the disclosure itself.
    fn pack_label(&self) -> &str {
        self.fix_label.map_or("#ad", |l| l.trim_end())
    }
}

fn edit(range: Range<usize>, text: String) -> Edit {
    Edit {
        start: range.start,
        end: range.end,
        text,
    }
}

/// Where text inserted "at the start" goes: after any leading whitespace.
fn start_of(text: &str) -> usize {
    text.len() - text.trim_start().len()
}

/// The length of the line break at `at` (CRLF, CR or LF), or 0.
fn break_len(text: &str, at: usize) -> usize {
    let rest = &text[at..];
    if rest.starts_with("\r\n") {
        2
    } else {
        usize::from(rest.starts_with(['\n', '\r']))
    }
}

/// What to delete to take a token out of the caption tidily: with the brackets around it, with
/// one neighbouring space, or with its whole line when it stands alone on it (and with one of
/// the blank lines around it, so no double gap is left).
fn removal(text: &str, span: &Range<usize>) -> Range<usize> {
    let mut span = span.clone();
    // `(#ad)`, `[#ad]`: the brackets go with it.
    let open = text[..span.start].chars().next_back();
    let close = text[span.end..].chars().next();
    if let (Some(o), Some(c)) = (open, close)
        && matches!((o, c), ('(', ')') | ('[', ']') | ('【', '】'))
    {
        span = span.start - o.len_utf8()..span.end + c.len_utf8();
    }
    let line_start = text[..span.start].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let line_end = text[span.end..]
        .find(['\n', '\r'])
        .map_or(text.len(), |i| span.end + i);
    let alone = text[line_start..span.start].trim().is_empty()
        && text[span.end..line_end].trim().is_empty();
    if alone {
        if line_end == text.len() {
            // The last line: take the line breaks and blank lines before it too.
            return text[..line_start].trim_end().len()..line_end;
        }
        let mut end = line_end + break_len(text, line_end);
        let blank_before = line_start > 0 && {
            let before = &text[..line_start];
            let prev_end = before.len() - if before.ends_with("\r\n") { 2 } else { 1 };
            let prev_start = text[..prev_end].rfind(['\n', '\r']).map_or(0, |i| i + 1);
            text[prev_start..prev_end].trim().is_empty()
        };
        if blank_before && break_len(text, end) > 0 {
            // Between two blank lines: keep one of them.
            end += break_len(text, end);
        }
        return line_start..end;
    }
    let before = text[..span.start].chars().next_back();
    let after = text[span.end..].chars().next();
    if matches!(before, Some(' ' | '\t')) {
        span.start - 1..span.end
    } else if before.is_none_or(|c| c == '\n' || c == '\r') && matches!(after, Some(' ' | '\t')) {
        span.start..span.end + 1
    } else {
        // Glued to its neighbour (`#ootd#ad @x`): take the token alone.
        span
    }
}

/// Values that rule texts may interpolate.
#[derive(Default)]
struct Vars {
    suggest: String,
    language: String,
    language_terms: String,
    /// The disclosure term a fix adds in the caption's language.
    language_term: String,
}

impl Vars {
    fn fill(
        &self,
        template: &str,
        matched: &str,
        platform: &Platform,
        brands: &[String],
    ) -> String {
        if !template.contains('{') {
            return template.to_string();
        }
        // One pass over the template, so a value that happens to contain `{…}` (a caption's
        // own words) is never filled in again.
        let mut out = String::with_capacity(template.len() + 64);
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let at = &rest[open..];
            let name = at.find('}').map(|close| (&at[1..close], close));
            let fold;
            let value = match name.map(|(n, _)| n) {
                Some("match") => matched.trim(),
                Some("suggest") => &self.suggest,
                Some("platform") => &platform.name,
                Some("fold") => {
                    fold = platform.fold_description();
                    &fold
                }
                Some("language") => &self.language,
                Some("language-terms") => &self.language_terms,
                Some("brand") => brands.first().map_or("<brand>", String::as_str),
                _ => {
                    out.push('{');
                    rest = &at[1..];
                    continue;
                }
            };
            out.push_str(value);
            rest = &at[name.map_or(1, |(_, close)| close + 1)..];
        }
        out.push_str(rest);
        out
    }
}

/// The next match of a phrase from `at`, with its capture groups when they are needed.
fn find_phrase<'t>(
    regex: &regex::Regex,
    text: &'t str,
    at: usize,
    groups: bool,
) -> Option<(Range<usize>, Option<regex::Captures<'t>>)> {
    if groups {
        let caps = regex.captures_at(text, at)?;
        Some((caps.get(0).map_or(at..at, |m| m.range()), Some(caps)))
    } else {
        regex.find_at(text, at).map(|m| (m.range(), None))
    }
}

/// Whether a match ends between two word characters.
fn ends_inside_word(text: &str, span: &Range<usize>) -> bool {
    let last = text[..span.end].chars().next_back();
    let next = text[span.end..].chars().next();
    last.is_some_and(text::is_word_char) && next.is_some_and(text::is_word_char)
}

fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start < b.end && b.start < a.end
}

/// Sort by position and drop matches inside a longer match of the same list.
fn dedupe(found: &mut Vec<Match>) {
    found.sort_by(|a, b| {
        (a.span.start, std::cmp::Reverse(a.span.end))
            .cmp(&(b.span.start, std::cmp::Reverse(b.span.end)))
    });
    let mut out: Vec<Match> = Vec::with_capacity(found.len());
    for m in found.drain(..) {
        if out
            .last()
            .is_some_and(|last| last.span.start <= m.span.start && m.span.end <= last.span.end)
        {
            continue;
        }
        out.push(m);
    }
    *found = out;
}

fn suffix_match(s: &SuffixMatcher, body: &str) -> bool {
    s.suffixes.iter().any(|suffix| {
        let Some(stem) = body.strip_suffix(suffix.as_str()) else {
            return false;
        };
        let stem = stem.strip_suffix('_').unwrap_or(stem);
        let clean: String = stem.chars().filter(|c| *c != '_').collect();
        clean.chars().filter(|c| c.is_alphanumeric()).count() >= s.stem_min
            && !s.stem_exclude.contains(&clean)
    })
}

/// Whether a label word sits where it reads as a label.
fn label_position(text: &str, span: &Range<usize>, labels: &LabelMatcher) -> bool {
    let forms = labels.forms;
    let word = &text[span.clone()];
    let before = text[..span.start].trim_end_matches([' ', '\t']);
    let after = text[span.end..].trim_start_matches([' ', '\t']);
    let prev = before.chars().next_back();
    let next = after.chars().next();
    let line_start = text::at_line_start(text, span.start);
    let separator = |c: char| ":|-–—•/：".contains(c);
    if forms.line_start && line_start {
        let followed = match next {
            None => true,
            Some(c) => c == '\n' || c == '\r' || separator(c) || text::is_emoji(c),
        };
        if followed {
            return true;
        }
    }
    let capitals = word.chars().any(char::is_uppercase) && !word.chars().any(char::is_lowercase);
    if forms.capitals && line_start && capitals {
        return true;
    }
    if forms.bracket
        && prev.is_some_and(|c| "[(【".contains(c))
        && next.is_some_and(|c| "])】".contains(c))
    {
        return true;
    }
    if forms.colon && next.is_some_and(|c| c == ':' || c == '：') {
        return true;
    }
    if forms.pipe_after && next == Some('|') {
        return true;
    }
    forms.pipe_before && prev == Some('|')
}

/// Whether one of the `window` words before `at`, in the same clause, is a negator.
fn is_negated(text: &str, at: usize, negators: &[String], window: usize) -> bool {
    // Walk back from the match over at most `window` words of its clause: never further, so a
    // long caption costs no more per match than a short one.
    let in_word = |c: char| text::is_word_char(c) || c == '\'' || c == '’' || c == '#';
    let negates = |word: &str| negators.contains(&text::fold_case(word));
    let mut seen = 0;
    let mut word_end: Option<usize> = None;
    for (i, c) in text[..at].char_indices().rev() {
        if in_word(c) {
            word_end.get_or_insert(i + c.len_utf8());
            continue;
        }
        if let Some(end) = word_end.take() {
            if negates(&text[i + c.len_utf8()..end]) {
                return true;
            }
            seen += 1;
            if seen == window {
                return false;
            }
        }
        if matches!(c, '.' | '!' | '?' | ';' | ':' | '\n' | '\r') {
            return false;
        }
    }
    word_end.is_some_and(|end| negates(&text[..end]))
}

fn link_match(links: &LinkMatcher, link: &str) -> bool {
    let lower = link.to_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
        .unwrap_or(&lower);
    let rest = rest.strip_prefix("www.").unwrap_or(rest);
    let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let host = &rest[..host_end];
    let host_is = |h: &str| host == h || host.ends_with(&format!(".{h}"));
    if links.hosts.iter().any(|h| host_is(h)) {
        return true;
    }
    if links.prefixes.iter().any(|p| rest.starts_with(p.as_str())) {
        return true;
    }
    let query = rest.find('?').map_or("", |q| &rest[q + 1..]);
    let params: Vec<&str> = query
        .split(['&', '#'])
        .filter_map(|kv| kv.split('=').next())
        .collect();
    if params.iter().any(|p| links.params.iter().any(|l| l == p)) {
        return true;
    }
    let host_labels: Vec<&str> = host.split('.').collect();
    links.host_params.iter().any(|(label, names)| {
        host_labels.contains(&label.as_str()) && params.iter().any(|p| names.iter().any(|n| n == p))
    })
}

/// Detect the caption's language on its words, without hashtags, handles, links or emoji
/// (`crate::language` says how). `None` unless the text is long enough and one language leads.
fn detect_language(text: &str, tokens: &[Token]) -> Option<whatlang::Lang> {
    crate::language::detect(text, tokens)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walls_need_three_tokens() {
        let text = "Beach #summer #ad";
        assert!(hashtag_walls(text, &text::tokenize(text)).is_empty());
        let text = "Fit #ootd #style · #ad\n#more and words #x";
        let walls = hashtag_walls(text, &text::tokenize(text));
        assert_eq!(walls, vec![0..4]);
    }

    #[test]
    fn negation_stops_at_clause_ends() {
        let neg = vec!["not".to_string(), "no".to_string()];
        let text = "this is not an ad";
        assert!(is_negated(text, text.len() - 2, &neg, 3));
        let text = "Not sure yet! #ad";
        assert!(!is_negated(text, text.len() - 3, &neg, 3));
        let text = "not one bit of this was sponsored";
        assert!(!is_negated(text, text.len() - 9, &neg, 3));
        // The first word of the caption counts, and so does a word right after a clause end.
        let text = "no #ad";
        assert!(is_negated(text, 3, &neg, 3));
        let text = "Great day; not a #ad";
        assert!(is_negated(text, text.len() - 3, &neg, 3));
    }

    /// A long caption's findings are those of a short one: each match looks at its own
    /// neighbourhood, never the whole caption (which made a 320 KB caption take seconds).
    #[test]
    fn a_long_caption_is_checked_like_a_short_one() {
        let rules = crate::builtin_rules().unwrap();
        let codes = |text: &str| -> Vec<String> {
            check(&Caption::new(text), &rules)
                .into_iter()
                .map(|d| d.code)
                .collect()
        };
        for piece in [
            "sponsored ",
            "#ad ",
            "not sponsored, use code SUNNY15 for 15% off. ",
        ] {
            let short = piece.repeat(3);
            let long = piece.repeat(30_000);
            assert_eq!(codes(&long), codes(&short), "{piece:?}");
        }
        // The finding of a long caption still points at the right words.
        let long = format!(
            "{}not sponsored but use code SUNNY15",
            "lovely day. ".repeat(20_000)
        );
        let found = check(&Caption::new(&long), &rules);
        let denial = found.iter().find(|d| d.code == "FTC006").expect("FTC006");
        assert_eq!(&long[denial.span.clone()], "not sponsored");
    }

    #[test]
    fn links_match_hosts_prefixes_and_params() {
        let links = LinkMatcher {
            hosts: vec!["amzn.to".into()],
            prefixes: vec!["amazon.com/shop/".into()],
            params: vec!["ascsubtag".into()],
            host_params: vec![("amazon".into(), vec!["tag".into()])],
        };
        assert!(link_match(&links, "https://amzn.to/3xY"));
        assert!(link_match(&links, "https://www.amazon.com/shop/tia"));
        assert!(link_match(
            &links,
            "https://www.amazon.co.uk/dp/B0?tag=me-21"
        ));
        assert!(!link_match(&links, "https://example.com/?tag=x"));
        assert!(!link_match(
            &links,
            "https://www.amazon.com/dp/B0?utm_source=x"
        ));
    }
}
