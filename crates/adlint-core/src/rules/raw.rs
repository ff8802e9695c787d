//! The rule-file schema as written in TOML, before validation.
//!
//! Every table denies unknown keys so a misspelt key is an error that points at it. Values that
//! later validation must point at (codes, patterns, names) keep their spans.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

/// `[pack]`: who the rules are for and when their sources were read.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawPackHeader {
    pub name: Spanned<String>,
    pub title: String,
    #[serde(default)]
    pub jurisdiction: Option<String>,
    pub version: String,
    pub sources_read: String,
    #[serde(default)]
    pub description: Option<String>,
    /// Libraries whose vocabulary, term lists, facts and rule templates this pack uses
    /// (`["common"]`).
    #[serde(default)]
    pub uses: Vec<Spanned<String>>,
    /// Other ways people write this market: country codes and names (`gb`, `United Kingdom`).
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Markets this pack also serves while no loaded pack declares them as its own
    /// jurisdiction (the `eu` pack covers the member states).
    #[serde(default)]
    pub covers: Vec<String>,
    /// The label a fix inserts for this market when several markets need one (`Werbung`).
    #[serde(default)]
    pub label: Option<String>,
    /// ISO 639-3 codes of the languages the market's captions are written in, its main language
    /// first (`["fra", "eng"]`): a language tag chooses a market by them.
    #[serde(default)]
    pub languages: Vec<Spanned<String>>,
}

/// `[library]`: a file of vocabulary, term lists and facts that packs share with `uses`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawLibraryHeader {
    pub name: Spanned<String>,
    #[serde(default)]
    pub description: Option<String>,
}

/// `[platforms.NAME]`: where a platform cuts a caption with "… more".
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawPlatform {
    #[serde(default)]
    pub aliases: Vec<String>,
    pub fold_chars: usize,
    #[serde(default)]
    pub fold_lines: Option<usize>,
    #[serde(default)]
    pub video: bool,
    #[serde(default)]
    pub note: Option<String>,
    /// Hosts (and their subdomains) whose posts are on this platform, for fetched URLs.
    #[serde(default)]
    pub hosts: Vec<String>,
}

/// `[terms.NAME]`: a named list of terms and how they are matched.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawTermList {
    #[serde(default)]
    pub description: Option<String>,
    /// Other lists whose matches this list includes.
    #[serde(default)]
    pub include: Vec<Spanned<String>>,
    /// ISO 639-3 codes of the languages the terms belong to (FTC007).
    #[serde(default)]
    pub languages: Vec<Spanned<String>>,
    /// Text of the label drawn under a match in human output.
    #[serde(default)]
    pub label: Option<String>,
    /// The replacement a substitution rule proposes for these terms.
    #[serde(default)]
    pub suggest: Option<String>,
    /// How a fix uses `suggest`: `replace` the term (default) or `prefix` it (keep the words,
    /// put the clear label before them: "#ad in partnership with @x").
    #[serde(default)]
    pub suggest_mode: Option<Spanned<String>>,
    /// Whole hashtag tokens, without `#`, compared case-insensitively.
    #[serde(default)]
    pub hashtags: Vec<String>,
    /// Hashtags that end with one of these suffixes (`#GlowLabPartner`).
    #[serde(default)]
    pub hashtag_suffixes: Vec<String>,
    /// Letters or digits the part before the suffix needs (underscores not counted).
    #[serde(default)]
    pub hashtag_stem_min: usize,
    /// Stems that make an everyday compound rather than a disclosure (`#lifepartner`).
    #[serde(default)]
    pub hashtag_stem_exclude: Vec<String>,
    /// Short words that count only in label position (`Ad |`, `[ad]`, `AD new serum`).
    #[serde(default)]
    pub labels: Vec<String>,
    /// Which label positions count; all of them by default.
    #[serde(default)]
    pub label_forms: Vec<Spanned<String>>,
    /// Match labels case-sensitively (`PR` but not `pr`).
    #[serde(default)]
    pub case_sensitive: bool,
    /// Regular expressions with placeholders, matched on whole words, case-insensitively.
    #[serde(default)]
    pub phrases: Vec<Spanned<String>>,
    /// Link hosts (and their subdomains) that match.
    #[serde(default)]
    pub link_hosts: Vec<String>,
    /// Host-and-path prefixes (`amazon.com/shop/`).
    #[serde(default)]
    pub link_prefixes: Vec<String>,
    /// Query parameters that match on any host.
    #[serde(default)]
    pub link_params: Vec<String>,
    /// Query parameters that match only on hosts with this label (`amazon = ["tag"]`).
    #[serde(default)]
    pub link_host_params: BTreeMap<String, Vec<String>>,
    /// Words that negate a following match (`not sponsored`).
    #[serde(default)]
    pub negators: Vec<String>,
    /// How many words after a negator a match may start (default 3).
    #[serde(default)]
    pub negation_window: Option<usize>,
    /// This list also holds the negated matches of that list.
    #[serde(default)]
    pub negations_of: Option<Spanned<String>>,
    /// Matches that overlap a match of these lists are dropped.
    #[serde(default)]
    pub except: Vec<Spanned<String>>,
    /// The list matches only when this condition holds.
    #[serde(default)]
    pub when: Option<Spanned<String>>,
    /// Each match's sentence must also hold a match of this list.
    #[serde(default)]
    pub sentence_with: Option<Spanned<String>>,
}

/// An example caption in a rule: a plain string or a table with context.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum RawExample {
    Caption(String),
    Full(RawExampleFull),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawExampleFull {
    pub caption: String,
    #[serde(default)]
    pub platform: Option<String>,
    #[serde(default)]
    pub sponsored: Option<bool>,
    #[serde(default)]
    pub brands: Vec<String>,
    #[serde(default)]
    pub paid_partnership_label: Option<bool>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawExamples {
    #[serde(default)]
    pub fail: Vec<RawExample>,
    #[serde(default)]
    pub pass: Vec<RawExample>,
}

/// `[[rule]]`: one rule with its check, texts, source and examples, once its template (if any)
/// has filled in what the rule leaves out.
#[derive(Debug)]
pub struct RawRule {
    pub code: Spanned<String>,
    pub name: Spanned<String>,
    pub severity: Spanned<String>,
    pub kind: Spanned<String>,
    pub summary: String,
    pub message: String,
    pub help: String,
    pub docs: String,
    pub source: String,
    pub source_title: String,
    pub quote: String,
    /// Text of the label under the finding; the term list's label by default.
    pub label: Option<String>,
    pub terms: Option<Spanned<String>>,
    pub when: Option<Spanned<String>>,
    pub unless: Option<Spanned<String>>,
    pub anchor: Vec<Spanned<String>>,
    pub require: Option<Spanned<String>>,
    pub replace: Option<String>,
    pub report: Option<Spanned<String>>,
    pub fix: Option<RawFix>,
    pub examples: RawExamples,
}

/// A `[[rule]]` table as written, or a `[templates.NAME]` table: every field may be left out.
/// A rule names a template (`template = "missing-label"`) to take from it every field it does
/// not set itself; the template is a library's (or the pack's own) `[templates.NAME]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawRulePart {
    #[serde(default)]
    pub template: Option<Spanned<String>>,
    #[serde(default)]
    pub code: Option<Spanned<String>>,
    #[serde(default)]
    pub name: Option<Spanned<String>>,
    #[serde(default)]
    pub severity: Option<Spanned<String>>,
    #[serde(default)]
    pub kind: Option<Spanned<String>>,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub message: Option<String>,
    #[serde(default)]
    pub help: Option<String>,
    #[serde(default)]
    pub docs: Option<String>,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub source_title: Option<String>,
    #[serde(default)]
    pub quote: Option<String>,
    #[serde(default)]
    pub label: Option<String>,
    #[serde(default)]
    pub terms: Option<Spanned<String>>,
    #[serde(default)]
    pub when: Option<Spanned<String>>,
    #[serde(default)]
    pub unless: Option<Spanned<String>>,
    #[serde(default)]
    pub anchor: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    pub require: Option<Spanned<String>>,
    #[serde(default)]
    pub replace: Option<String>,
    #[serde(default)]
    pub report: Option<Spanned<String>>,
    #[serde(default)]
    pub fix: Option<RawFix>,
    #[serde(default)]
    pub examples: Option<RawExamples>,
}

impl RawRulePart {
    /// Fill what this rule leaves out from `template`. The template's values are reported, if
    /// they prove wrong for this pack (a term list it names is missing here), at `at`: the
    /// rule's `template = "..."`, since that is where the pack took them.
    pub fn fill_from(&mut self, template: &RawRulePart, at: std::ops::Range<usize>) {
        let here = |s: &Spanned<String>| Spanned::new(at.clone(), s.get_ref().clone());
        let here_opt = |s: &Option<Spanned<String>>| s.as_ref().map(here);
        macro_rules! take {
            (spanned: $($f:ident),*) => { $( if self.$f.is_none() { self.$f = here_opt(&template.$f); } )* };
            (plain: $($f:ident),*) => { $( if self.$f.is_none() { self.$f = template.$f.clone(); } )* };
        }
        take!(spanned: code, name, severity, kind, terms, when, unless, require, report);
        take!(plain: summary, message, help, docs, source, source_title, quote, label, replace, fix, examples);
        if self.anchor.is_none() {
            self.anchor = template
                .anchor
                .as_ref()
                .map(|a| a.iter().map(here).collect());
        }
    }

    /// The complete rule, or the names of the required fields neither the rule nor its
    /// template sets.
    pub fn finish(self) -> Result<RawRule, Vec<&'static str>> {
        let missing: Vec<&'static str> = [
            ("code", self.code.is_none()),
            ("name", self.name.is_none()),
            ("severity", self.severity.is_none()),
            ("kind", self.kind.is_none()),
            ("summary", self.summary.is_none()),
            ("message", self.message.is_none()),
            ("help", self.help.is_none()),
            ("docs", self.docs.is_none()),
            ("source", self.source.is_none()),
            ("source-title", self.source_title.is_none()),
            ("quote", self.quote.is_none()),
        ]
        .into_iter()
        .filter_map(|(key, absent)| absent.then_some(key))
        .collect();
        if !missing.is_empty() {
            return Err(missing);
        }
        // Every required field is present: checked just above.
        fn present<T>(v: Option<T>) -> T {
            v.unwrap_or_else(|| unreachable!("a required rule field checked above"))
        }
        Ok(RawRule {
            code: present(self.code),
            name: present(self.name),
            severity: present(self.severity),
            kind: present(self.kind),
            summary: present(self.summary),
            message: present(self.message),
            help: present(self.help),
            docs: present(self.docs),
            source: present(self.source),
            source_title: present(self.source_title),
            quote: present(self.quote),
            label: self.label,
            terms: self.terms,
            when: self.when,
            unless: self.unless,
            anchor: self.anchor.unwrap_or_default(),
            require: self.require,
            replace: self.replace,
            report: self.report,
            fix: self.fix,
            examples: self.examples.unwrap_or_default(),
        })
    }
}

/// `fix = { action = "...", safety = "..." }`: how `adlint fix` repairs a finding.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawFix {
    /// `replace` (the term by its suggestion), `move-to-start` (the disclosure),
    /// `insert-at-start` (`text`), `add-language-term` (a disclosure in the caption's language).
    pub action: Spanned<String>,
    /// `safe`, or `unsafe` (applied only with `--unsafe-fixes` or a declared-sponsored caption).
    pub safety: Spanned<String>,
    /// The text `insert-at-start` inserts (default `#ad `).
    #[serde(default)]
    pub text: Option<String>,
}
