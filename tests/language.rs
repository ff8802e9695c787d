//! The language rules end to end: a caption's language against its disclosure's, in the US pack
//! (FTC007) and a market's own language rule, through the CLI.

use std::collections::BTreeSet;

use adlint::caption::Caption;

use crate::support::{Run, with_input};

fn codes(text: &str, market: &str) -> BTreeSet<String> {
    static RULES: std::sync::LazyLock<adlint::rules::RuleSet> =
        std::sync::LazyLock::new(|| adlint::builtin_rules().unwrap());
    let mut caption = Caption::new(text);
    caption.markets = vec![market.to_string()];
    adlint::engine::check(&caption, &RULES)
        .into_iter()
        .map(|d| d.code)
        .collect()
}

#[test]
fn an_english_label_on_a_caption_in_another_language_is_reported() {
    for text in [
        // The example: two lines of Spanish with only `#ad`.
        "#ad Este fin de semana probamos la nueva freidora de aire de @kettlekitchen y las \
         patatas quedaron crujientes",
        "#ad Me encanta esta crema, mi piel nunca ha estado mejor. Pruébala",
        "#ad Eu amo este creme, minha pele nunca esteve tão bonita. Experimente",
        "#ad J'adore cette crème, ma peau n'a jamais été aussi belle. Essayez-la",
        "#ad Ich liebe diese Creme, meine Haut sah noch nie so gut aus. Probiert sie aus",
        "#ad Adoro questa crema, la mia pelle non è mai stata così bella. Provatela",
        "#ad Ik ben dol op deze crème, mijn huid was nog nooit zo mooi. Probeer het",
    ] {
        assert!(codes(text, "us").contains("FTC007"), "{text}");
    }
}

#[test]
fn a_label_in_the_captions_language_or_english_text_is_not() {
    for text in [
        "#publi Me encanta esta crema, mi piel nunca ha estado mejor. Pruébala",
        "#werbung Ich liebe diese Creme, meine Haut sah noch nie so gut aus. Probiert sie aus",
        "#ad GRWM for brunch w the girlies lol, slay bestie vibes only fr fr",
        "#ad Had the best pasta at Trattoria Da Enzo in Roma, ciao bella Italia!",
        "#ad Sunday funday at Playa del Carmen with my amigos, muy bueno",
        "#ad Ootd: Zara blazer, Mango jeans, Veja sneakers, Celine bag, Dior lip",
        "#ad Loving my new Nespresso Vertuo, la crème de la crème of coffee 😍",
        "#ad Ich liebe es",
    ] {
        assert!(!codes(text, "us").contains("FTC007"), "{text}");
    }
}

#[test]
fn a_language_no_pack_knows_is_named_in_the_message() {
    let text = "#ad Bu kremi gerçekten çok seviyorum, cildim hiç bu kadar güzel görünmemişti. \
                Herkese tavsiye ederim, özellikle kış aylarında kuru ciltler için harika.";
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_adlint"));
    cmd.args(["check", "--no-config", "--format", "json", "-"])
        .env("NO_COLOR", "1");
    let run: Run = with_input(&mut cmd, text.as_bytes());
    // A warning: the run fails only on errors unless told otherwise.
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.contains("FTC007"), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("adlint knows no Turkish disclosure terms"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_market_checks_its_own_language() {
    // An Italian caption labelled only in English, for Italy: the Italian pack's language rule.
    let text = "#ad Adoro questa crema, la mia pelle non è mai stata così bella. Provatela";
    let found = codes(text, "it");
    assert!(found.iter().any(|c| c.starts_with("IT")), "{found:?}");
    let labelled = "#pubblicità Adoro questa crema, la mia pelle non è mai stata così bella.";
    assert!(!codes(labelled, "it").contains("IT007"), "{labelled}");
}
