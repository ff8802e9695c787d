//! Language tags as editors send them (`en-US`, `de-DE`, `fr`, `pt-BR`, `auto`), and the market
//! a tag chooses. Markets are the packs' data: a tag's region is looked up as any market name is
//! ([`crate::market::Table`]: `GB` is `uk`, `AT` is `eu`), and a language chooses the market
//! whose pack lists it in `[pack] languages`. Nothing about a market is written here.
//!
//! How a tag chooses:
//!
//! 1. its region, when a loaded pack's market is that region or covers it (`en-GB` → `uk`,
//!    `fr-CA` → `ca`, `de-AT` → `eu`);
//! 2. else its language (`fr`, or `pt-BR` whose region no pack knows): the pack that lists it
//!    earliest in its `languages` (a market's main language first), ties going to the run's
//!    markets, then to the pack loaded first (`fr` → `fr`, `en` → `us` by default, `pt` → `eu`);
//! 3. else nothing: the caller keeps its default markets.
//!
//! `auto` is the caption's language as [`crate::language::detect`] decides, chosen as in 2.

use whatlang::Lang;

use crate::rules::RuleSet;

/// The two-letter codes (ISO 639-1) of the languages the detector knows; packs and the detector
/// use three-letter ones (ISO 639-3).
const TWO_LETTER: [(&str, Lang); 70] = [
    ("af", Lang::Afr),
    ("ak", Lang::Aka),
    ("am", Lang::Amh),
    ("ar", Lang::Ara),
    ("az", Lang::Aze),
    ("be", Lang::Bel),
    ("bg", Lang::Bul),
    ("bn", Lang::Ben),
    ("ca", Lang::Cat),
    ("cs", Lang::Ces),
    ("cy", Lang::Cym),
    ("da", Lang::Dan),
    ("de", Lang::Deu),
    ("el", Lang::Ell),
    ("en", Lang::Eng),
    ("eo", Lang::Epo),
    ("es", Lang::Spa),
    ("et", Lang::Est),
    ("fa", Lang::Pes),
    ("fi", Lang::Fin),
    ("fr", Lang::Fra),
    ("gu", Lang::Guj),
    ("he", Lang::Heb),
    ("hi", Lang::Hin),
    ("hr", Lang::Hrv),
    ("hu", Lang::Hun),
    ("hy", Lang::Hye),
    ("id", Lang::Ind),
    ("it", Lang::Ita),
    ("ja", Lang::Jpn),
    ("jv", Lang::Jav),
    ("ka", Lang::Kat),
    ("km", Lang::Khm),
    ("kn", Lang::Kan),
    ("ko", Lang::Kor),
    ("la", Lang::Lat),
    ("lt", Lang::Lit),
    ("lv", Lang::Lav),
    ("mk", Lang::Mkd),
    ("ml", Lang::Mal),
    ("mr", Lang::Mar),
    ("my", Lang::Mya),
    ("nb", Lang::Nob),
    ("ne", Lang::Nep),
    ("nl", Lang::Nld),
    ("or", Lang::Ori),
    ("pa", Lang::Pan),
    ("pl", Lang::Pol),
    ("pt", Lang::Por),
    ("ro", Lang::Ron),
    ("ru", Lang::Rus),
    ("si", Lang::Sin),
    ("sk", Lang::Slk),
    ("sl", Lang::Slv),
    ("sn", Lang::Sna),
    ("sr", Lang::Srp),
    ("sv", Lang::Swe),
    ("ta", Lang::Tam),
    ("te", Lang::Tel),
    ("th", Lang::Tha),
    ("tk", Lang::Tuk),
    ("tl", Lang::Tgl),
    ("tr", Lang::Tur),
    ("uk", Lang::Ukr),
    ("ur", Lang::Urd),
    ("uz", Lang::Uzb),
    ("vi", Lang::Vie),
    ("yi", Lang::Yid),
    ("zh", Lang::Cmn),
    ("zu", Lang::Zul),
];

/// Other two-letter codes for the same languages: Norwegian (`no`, and Nynorsk, which the
/// detector reads as Bokmål) and Filipino.
const MORE_TWO_LETTER: [(&str, Lang); 3] =
    [("no", Lang::Nob), ("nn", Lang::Nob), ("fil", Lang::Tgl)];

/// The language a code names: two letters (`de`) or three (`deu`, as packs write them).
pub fn language(code: &str) -> Option<Lang> {
    let code = code.trim().to_ascii_lowercase();
    TWO_LETTER
        .iter()
        .chain(&MORE_TWO_LETTER)
        .find(|(c, _)| *c == code)
        .map(|&(_, lang)| lang)
        .or_else(|| Lang::from_code(code))
}

/// A language's shortest code: two letters where it has them (`de`), else three.
pub fn code(lang: Lang) -> &'static str {
    TWO_LETTER
        .iter()
        .find(|&&(_, l)| l == lang)
        .map_or_else(|| lang.code(), |&(c, _)| c)
}

/// A language tag taken apart: its language and region, where they are known or written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    pub language: Option<Lang>,
    /// The region as written (`DE`, `419`), if the tag has one.
    pub region: Option<String>,
}

impl Tag {
    /// `de-DE`, `pt_BR`, `zh-Hans-CN`, `ca-ES-valencia`: a language, an optional script, an
    /// optional region, and variants (ignored).
    pub fn parse(tag: &str) -> Tag {
        let mut parts = tag.trim().split(['-', '_']).filter(|p| !p.is_empty());
        let language = parts.next().and_then(language);
        let region = parts
            .take(2)
            .find(|p| {
                (p.len() == 2 && p.chars().all(|c| c.is_ascii_alphabetic()))
                    || (p.len() == 3 && p.chars().all(|c| c.is_ascii_digit()))
            })
            .map(str::to_string);
        Tag { language, region }
    }
}

/// The market a tag chooses (see the module's documentation), or `None`.
pub fn market(tag: &Tag, rules: &RuleSet) -> Option<String> {
    let by_region = tag.region.as_deref().and_then(|region| {
        rules
            .market_table
            .parse_list(region)
            .ok()
            .and_then(|codes| codes.into_iter().next())
    });
    by_region.or_else(|| {
        tag.language
            .and_then(|lang| market_of_language(lang, rules))
    })
}

/// The market whose pack lists this language earliest; ties go to the run's markets, then to
/// the pack loaded first.
pub fn market_of_language(lang: Lang, rules: &RuleSet) -> Option<String> {
    rules
        .packs
        .iter()
        .enumerate()
        .filter_map(|(i, pack)| {
            let market = pack.jurisdiction.as_ref()?;
            let rank = pack.languages.iter().position(|&l| l == lang)?;
            Some(((rank, !rules.markets.contains(market), i), market))
        })
        .min_by_key(|(key, _)| *key)
        .map(|(_, market)| market.clone())
}

/// The languages the loaded packs list for their markets, each once, in load order.
pub fn languages(rules: &RuleSet) -> Vec<Lang> {
    let mut out: Vec<Lang> = Vec::new();
    for pack in rules.packs.iter().filter(|p| p.jurisdiction.is_some()) {
        for &lang in &pack.languages {
            if !out.contains(&lang) {
                out.push(lang);
            }
        }
    }
    out
}

/// The caption's language, as the language rules decide it: `None` when the text is too short
/// or no language clearly leads.
pub fn detect(text: &str) -> Option<Lang> {
    crate::language::detect(text, &crate::text::tokenize(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> RuleSet {
        crate::builtin_rules().unwrap()
    }

    #[test]
    fn tags_come_apart() {
        let tag = |s: &str| {
            let t = Tag::parse(s);
            (t.language.map(code), t.region)
        };
        assert_eq!(tag("de-DE"), (Some("de"), Some("DE".into())));
        assert_eq!(tag("pt_BR"), (Some("pt"), Some("BR".into())));
        assert_eq!(tag("zh-Hans-CN"), (Some("zh"), Some("CN".into())));
        assert_eq!(tag("ca-ES-valencia"), (Some("ca"), Some("ES".into())));
        assert_eq!(tag("es-419"), (Some("es"), Some("419".into())));
        assert_eq!(tag("fr"), (Some("fr"), None));
        assert_eq!(tag("deu"), (Some("de"), None));
        assert_eq!(tag("xx-YY"), (None, Some("YY".into())));
        assert_eq!(tag(""), (None, None));
    }

    #[test]
    fn every_language_has_its_code() {
        for &(two, lang) in &TWO_LETTER {
            assert_eq!(language(two), Some(lang));
            assert_eq!(code(lang), two);
            assert_eq!(language(lang.code()), Some(lang));
        }
        assert_eq!(TWO_LETTER.len(), Lang::all().len());
    }

    #[test]
    fn tags_choose_the_market_whose_pack_knows_them() {
        let rules = rules();
        let market = |s: &str| market(&Tag::parse(s), &rules);
        for (tag, want) in [
            ("en-US", Some("us")),
            ("en-GB", Some("uk")),
            ("en", Some("us")),
            ("de-DE", Some("de")),
            ("de", Some("de")),
            ("de-AT", Some("eu")),
            ("fr", Some("fr")),
            ("fr-CA", Some("ca")),
            ("es", Some("es")),
            ("es-US", Some("us")),
            ("ca", Some("es")),
            ("pt-BR", Some("eu")),
            ("sv-FI", Some("fi")),
            ("sv", Some("se")),
            ("nb-NO", Some("no")),
            ("no", Some("no")),
            ("da", Some("dk")),
            ("it-IT", Some("it")),
            ("ja-JP", None),
            ("xx", None),
        ] {
            assert_eq!(market(tag).as_deref(), want, "{tag}");
        }
    }

    /// The built-in packs and a user's pack with this `[pack]` header's `languages`.
    fn with_pack(languages: &str) -> Result<RuleSet, crate::rules::RuleErrors> {
        let mut sources = crate::rules::builtin::sources();
        sources.push(crate::rules::RuleSource::new(
            "be.toml".to_string(),
            format!(
                "[pack]\nname = \"be\"\ntitle = \"Belgium\"\njurisdiction = \"be\"\n\
                 version = \"1\"\nsources-read = \"2026-01-01\"\nlanguages = {languages}\n"
            ),
        ));
        crate::rules::load(&sources)
    }

    #[test]
    fn a_user_pack_s_languages_and_region_choose_it() {
        let rules = with_pack("[\"nld\", \"fra\", \"deu\"]").unwrap();
        let market = |s: &str| market(&Tag::parse(s), &rules);
        // Its own region, which the `eu` pack covered before.
        assert_eq!(market("nl-BE").as_deref(), Some("be"));
        assert_eq!(market("fr-BE").as_deref(), Some("be"));
        // Its languages come after the packs whose main language they are.
        assert_eq!(market("nl").as_deref(), Some("nl"));
        assert_eq!(market("de").as_deref(), Some("de"));
        let errors = with_pack("[\"nld\", \"vls\"]").unwrap_err();
        assert!(
            errors
                .errors
                .iter()
                .any(|e| e.to_string().contains("unknown language code `vls`")),
            "{errors:?}"
        );
    }

    #[test]
    fn a_language_several_markets_speak_goes_to_the_run_s_market() {
        let mut rules = rules();
        rules.markets = vec!["uk".into()];
        assert_eq!(market(&Tag::parse("en"), &rules).as_deref(), Some("uk"));
        assert_eq!(market(&Tag::parse("en-US"), &rules).as_deref(), Some("us"));
    }
}
