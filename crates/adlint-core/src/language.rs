//! Which language a caption is written in, for the language rules (FTC007 and each pack's).
//!
//! Captions are short, mix languages and are full of brand names, so a trigram detector alone
//! guesses: "Had the best pasta at Trattoria Da Enzo in Roma" comes back Italian, a list of
//! brands Javanese, and an ordinary two-sentence Spanish caption is not "reliable". Function
//! words ("the", "und", "los", "och") are what a sentence cannot do without, and they are cheap
//! to count, so they decide first:
//!
//! 1. the caption's words, without hashtags, handles, links and emoji, are looked up in a table
//!    of function words of the languages the built-in packs know (one hash lookup per word);
//! 2. English wins when it has at least two function words and no other language has more:
//!    plainly English text is settled here, before any detector runs, and English terms are
//!    English;
//! 3. another language wins when its function words clearly lead (two or more, at least one in
//!    five words, more than twice English's, and two ahead of every other language); when close
//!    languages lead together (Danish and Norwegian, Spanish and Catalan), whatlang, restricted
//!    to them, chooses;
//! 4. text the table cannot settle goes to whatlang over every language it knows, and counts
//!    only when whatlang is sure (its `is_reliable()`): so a caption in a language no pack knows
//!    is still named, Finnish (which builds words where others use function words) is
//!    recognised, and a list of brand names is never a language. A language of the table must
//!    also have a function word there, and more than twice English's.
//!
//! Nothing is cached by caption text (real captions are unique). The cost is one pass over the
//! words and, for the few captions the table cannot settle, one whatlang call.

use foldhash::HashMap;
use std::sync::OnceLock;

use whatlang::Lang;

use crate::text::{self, Token};

/// The languages the function-word table knows, in a fixed order (bit `i` is `KNOWN[i]`).
const KNOWN: [Lang; 13] = [
    Lang::Eng,
    Lang::Spa,
    Lang::Por,
    Lang::Fra,
    Lang::Deu,
    Lang::Ita,
    Lang::Nld,
    Lang::Swe,
    Lang::Dan,
    Lang::Nob,
    Lang::Fin,
    Lang::Pol,
    Lang::Cat,
];

/// Function words, per language in `KNOWN` order, lower case. A word may be listed for several
/// languages (it then counts for each). English leaves out its words that are everyday function
/// words of another language here ("to" is Polish, "on" Finnish, "at" Danish, "is" Dutch, "was"
/// German), so that text in those languages does not gather English points.
const WORDS: [&str; 13] = [
    // English
    "the and this that these those with you your yours my of it its are have has had just be been being \
     what when where which who whom why our ours they them their there from but can could would \
     should get got out how about or not into over than then only very really because some any \
     every much more most off also even still ever never always here again after before while \
     i'm i've i'll it's don't can't didn't doesn't isn't wasn't won't you're we're they're",
    // Spanish
    "el la los las de del con por para que es muy pero mis tu su sus una este esta esto estos estas y lo \
     le se también más como cuando nunca siempre todo todos mejor porque hay ya yo me nos al en \
     hasta desde sin sobre mi un ha he son está estoy fue eso",
    // Portuguese
    "o os as um uma de da do das dos na no nas nos em com para por que é não muito mais mas meu minha \
     seu sua você eu isso isto este esta também já ao aos pela pelo foi estou tão bem sempre \
     nunca ainda e se",
    // French
    "le la les de des du un une et est je tu il elle nous vous ils elles ce cette ces mon ma mes ton \
     ta son sa ses pour avec dans sur pas ne que qui mais ou très plus aussi être avoir c j n l d \
     qu au aux été jamais toujours en se",
    // German
    "der die das und ist ich du er sie wir ihr es ein eine einen einem dem den mit für auf nicht \
     auch von zu im mein meine meinen dein sehr noch schon hat sind aber oder wie wenn nie immer \
     diese dieser dieses diesem endlich einfach uns euch bin habe war",
    // Italian
    "il lo gli della delle degli dello nella nelle nel nei con per che è sono mi ti ci questo \
     questa questi queste molto anche ma più ho ha davvero tutto tutti perché già sempre mio mia \
     miei dei sul alla al del di ed io non una un e la le",
    // Dutch
    "de het een en ik je jij is van op met voor niet zijn dat dit die maar ook nog naar wat mijn \
     heb heeft was zo al om te nooit echt deze we wij jullie er bij uit als kan",
    // Swedish
    "och jag det är att en ett den som på med för inte har av till min mitt mina du vi så men om \
     här var också aldrig bara mycket nu kan från efter hur vad hon han dig mig sig",
    // Danish
    "og jeg det er at en et den som på med for ikke har af til min mit mine du vi så men om her \
     var også aldrig bare meget nu kan fra efter hvor hvad mig dig sig været noget",
    // Norwegian Bokmål
    "og jeg det er å en et den som på med for ikke har av til min mitt mine du vi så men om her \
     var også aldri bare mye nå kan fra etter hvor hva meg deg seg vært noe ei",
    // Finnish
    "ja on ei se että mutta tämä tämän tätä minä mä sinä hän me te he oli ole olen kun niin myös \
     kanssa koska vain nyt jo aina ihan tosi mun mulla minun joka mitä kuin vielä sitten paljon",
    // Polish
    "i w z na się nie to jest że do jak ale od po tak mój moja moje ten ta te za już tylko bardzo \
     tego tej dla co czy jestem mam są był była też jeszcze nigdy zawsze mnie mi",
    // Catalan
    "el la els les de amb és molt aquest aquesta però meva ens dels als perquè doncs mai també seu",
];

/// Each function word with the languages it belongs to, as bits over `KNOWN`.
fn table() -> &'static HashMap<&'static str, u16> {
    static TABLE: OnceLock<HashMap<&'static str, u16>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = HashMap::default();
        for (i, words) in WORDS.iter().enumerate() {
            for word in words.split_whitespace() {
                *table.entry(word).or_insert(0) |= 1 << i;
            }
        }
        table
    })
}

/// The caption's language, or `None` when the text is too short or no language clearly leads.
/// `tokens` are the caption's hashtags, handles and links (left out).
pub fn detect(text: &str, tokens: &[Token]) -> Option<Lang> {
    let words = Words::count(text, tokens);
    if words.letters < 10 || (words.letters < 20 || words.words < 5) && !words.cjk {
        return None;
    }
    let score = &words.score;
    let eng = score[0];
    let best = score.iter().copied().max().unwrap_or(0);
    // English: the plain case, settled without a detector. Ties go to English.
    if eng >= 2 && eng == best {
        return Some(Lang::Eng);
    }
    if best >= 2 && best * 5 >= words.words && best > eng * 2 {
        // Another language: its function words make up a real share of the text and clearly
        // outnumber English's, so English with a Spanish phrase in it stays English.
        let close: Vec<Lang> = (1..KNOWN.len())
            .filter(|&i| score[i] + 1 >= best)
            .map(|i| KNOWN[i])
            .collect();
        if let [only] = close[..] {
            return Some(only);
        }
        // Close languages that share their function words (Danish and Norwegian, Spanish and
        // Catalan): the detector chooses among them.
        let clean = words.clean(text, tokens);
        return whatlang::Detector::with_allowlist(close).detect_lang(&clean);
    }
    // The table cannot settle it: a language with few function words (Finnish builds words
    // instead), one no pack knows, or no sentence at all. A sure detector names it, and a
    // language the table knows only with some of its function words and not fewer English ones.
    let clean = words.clean(text, tokens);
    let info = whatlang::detect(&clean)?;
    let lang = info.lang();
    let long_enough = if matches!(lang, Lang::Jpn | Lang::Kor | Lang::Cmn) {
        words.letters >= 10
    } else {
        words.letters >= 20 && words.words >= 5
    };
    if !info.is_reliable() || !long_enough {
        return None;
    }
    match KNOWN.iter().position(|&k| k == lang) {
        None => Some(lang),
        Some(0) => Some(Lang::Eng),
        Some(i) => (score[i] >= 1 && score[i] > eng * 2).then_some(lang),
    }
}

/// Counts over the caption's words outside hashtags, handles and links.
struct Words {
    letters: usize,
    words: usize,
    cjk: bool,
    /// Function words found, per language in `KNOWN` order.
    score: [usize; KNOWN.len()],
}

impl Words {
    fn count(text: &str, tokens: &[Token]) -> Words {
        let table = table();
        let mut counts = Words {
            letters: 0,
            words: 0,
            cjk: false,
            score: [0; KNOWN.len()],
        };
        let mut lower = String::new();
        for piece in outside_tokens(text, tokens) {
            for word in piece.split(|c: char| !c.is_alphabetic() && c != '\'' && c != '’') {
                let word = word.trim_matches(['\'', '’']);
                let letters = if word.is_ascii() {
                    word.bytes().filter(u8::is_ascii_alphabetic).count()
                } else {
                    counts.cjk |= word.chars().any(is_cjk);
                    word.chars().filter(|c| c.is_alphabetic()).count()
                };
                if letters == 0 {
                    continue;
                }
                counts.letters += letters;
                counts.words += 1;
                lower.clear();
                text::fold_case_into(word, &mut lower);
                // A contraction counts as its own entry ("it's") or, failing that, by its
                // parts ("l'eau": l).
                let bits = table.get(lower.as_str()).copied().unwrap_or_else(|| {
                    if !lower.contains('\'') {
                        return 0;
                    }
                    lower
                        .split('\'')
                        .filter_map(|part| table.get(part))
                        .fold(0, |a, b| a | b)
                });
                for (i, score) in counts.score.iter_mut().enumerate() {
                    if bits & (1 << i) != 0 {
                        *score += 1;
                    }
                }
            }
        }
        counts
    }

    /// The text a detector reads: the caption without tokens and emoji.
    fn clean(&self, text: &str, tokens: &[Token]) -> String {
        let mut clean = String::with_capacity(text.len());
        for piece in outside_tokens(text, tokens) {
            clean.extend(
                piece
                    .chars()
                    .map(|c| if text::is_emoji(c) { ' ' } else { c }),
            );
            clean.push(' ');
        }
        clean
    }
}

/// The stretches of `text` between its tokens.
fn outside_tokens<'a>(text: &'a str, tokens: &'a [Token]) -> impl Iterator<Item = &'a str> + 'a {
    let starts = std::iter::once(0).chain(tokens.iter().map(|t| t.span.end));
    let ends = tokens
        .iter()
        .map(|t| t.span.start)
        .chain(std::iter::once(text.len()));
    starts.zip(ends).filter_map(|(s, e)| text.get(s..e))
}

/// Han, kana and hangul: scripts whose captions count as long enough from 10 characters.
fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30FF}' | '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}'
        | '\u{AC00}'..='\u{D7AF}' | '\u{1100}'..='\u{11FF}' | '\u{F900}'..='\u{FAFF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lang(text: &str) -> Option<Lang> {
        detect(text, &text::tokenize(text))
    }

    #[test]
    fn ordinary_captions_in_the_packs_languages_are_recognised() {
        let cases = [
            (
                "#ad Me encanta esta crema, mi piel nunca ha estado mejor. Pruébala",
                Lang::Spa,
            ),
            (
                "#ad Adoro este creme, minha pele nunca esteve tão bonita. Experimenta",
                Lang::Por,
            ),
            (
                "#ad J'adore cette crème, ma peau n'a jamais été aussi belle. Essayez-la",
                Lang::Fra,
            ),
            (
                "#ad Ich liebe diese Creme, meine Haut war nie schöner. Probiert sie aus",
                Lang::Deu,
            ),
            (
                "#ad Adoro questa crema, la mia pelle non è mai stata così bella.",
                Lang::Ita,
            ),
            (
                "#ad Ik ben dol op deze crème, mijn huid was nog nooit zo mooi.",
                Lang::Nld,
            ),
            (
                "#ad Jag älskar den här krämen, min hud har aldrig varit bättre.",
                Lang::Swe,
            ),
            (
                "#ad Jeg elsker denne creme, min hud har aldrig været bedre. Prøv den",
                Lang::Dan,
            ),
            (
                "#ad Jeg elsker denne kremen, huden min har aldri vært bedre. Prøv den",
                Lang::Nob,
            ),
            (
                "#ad Rakastan tätä voidetta, ihoni ei ole koskaan ollut parempi.",
                Lang::Fin,
            ),
            (
                "#ad Uwielbiam ten krem, moja skóra nigdy nie wyglądała lepiej.",
                Lang::Pol,
            ),
            ("Mi piace tanto questo posto @caffe", Lang::Ita),
            ("To jest najlepsza kawa w Warszawie", Lang::Pol),
            (
                "Estic molt content amb aquesta crema, és la millor",
                Lang::Cat,
            ),
        ];
        for (text, want) in cases {
            assert_eq!(lang(text), Some(want), "{text}");
        }
    }

    #[test]
    fn long_captions_are_recognised() {
        let spanish = "Este fin de semana probamos la nueva freidora de aire de @kettlekitchen y \
                       las patatas quedaron crujientes por fuera y tiernas por dentro. ¡Mis hijos \
                       pidieron repetir dos veces! #recetasfaciles #freidoradeaire";
        assert_eq!(lang(spanish), Some(Lang::Spa));
        let german = "Unser Sonntagsfrühstück mit dem frisch gerösteten Kaffee von @beanandleaf ☕️ \
                      Die Bohnen schmecken nach Schokolade und Haselnuss, einfach perfekt für \
                      lange Wochenenden. #kaffee";
        assert_eq!(lang(german), Some(Lang::Deu));
        let dutch = "Vandaag heb ik de nieuwe hardloopschoenen van @runfast getest en ik moet \
                     zeggen dat ze echt heel licht zijn. Mijn knieën zijn er blij mee!";
        assert_eq!(lang(dutch), Some(Lang::Nld));
    }

    #[test]
    fn english_full_of_brands_and_slang_stays_english_or_undecided() {
        let english = [
            "GRWM for brunch w the girlies lol, slay bestie vibes only fr fr #ad",
            "obsessed w this glow serum ngl, skin is giving glass skin 💅 no cap",
            "Had the best pasta at Trattoria Da Enzo in Roma, ciao bella Italia! #ad",
            "Just landed in Barcelona, paella and sangria at La Boqueria tonight #sponsored",
            "Sunday funday at Playa del Carmen with my amigos, muy bueno #ad",
            "Loving my new Nespresso Vertuo, la crème de la crème of coffee #ad",
            "Cozy vibes with Le Creuset dutch oven, bon appétit y'all #ad",
            "Fika time with my besties at Café Saturnus in Stockholm today #ad",
        ];
        for text in english {
            let got = lang(text);
            assert!(got.is_none() || got == Some(Lang::Eng), "{text}: {got:?}");
        }
        // No sentence at all: brand names are no language.
        for text in [
            "Ootd: Zara blazer, Mango jeans, Veja sneakers, Celine bag, Dior lip #ad",
            "GRWM using Fenty Beauty, Rare Beauty and Charlotte Tilbury #ad",
            "Chateau Margaux Bordeaux Rouge Grand Cru Classe tasting notes today #ad",
        ] {
            let got = lang(text);
            assert!(got.is_none() || got == Some(Lang::Eng), "{text}: {got:?}");
        }
        assert_eq!(
            lang(
                "My new favourite running jacket from @peakgear kept me dry through a full \
                  hour of sideways rain this morning #werbung"
            ),
            Some(Lang::Eng)
        );
    }

    #[test]
    fn a_language_no_pack_knows_is_still_named() {
        let turkish = "#ad Bu kremi gerçekten çok seviyorum, cildim hiç bu kadar güzel \
                       görünmemişti. Herkese tavsiye ederim, özellikle kış aylarında kuru ciltler \
                       için harika bir seçim.";
        assert_eq!(lang(turkish), Some(Lang::Tur));
        let russian = "#ad Я очень люблю этот крем, моя кожа никогда не была такой красивой.";
        assert_eq!(lang(russian), Some(Lang::Rus));
        assert_eq!(
            lang("#ad 新しいクリームを使ってみました。とても良いです"),
            Some(Lang::Jpn)
        );
    }

    #[test]
    fn short_text_is_not_judged() {
        assert_eq!(lang("#ad Das ist lecker"), None);
        assert_eq!(lang("#ad muy bueno"), None);
    }
}
