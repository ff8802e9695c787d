//! Arbitrary bytes as a user's rule file, loaded after the built-in platforms. Loading must
//! never panic; a file that loads checks a few captions without panicking.
#![no_main]

use std::sync::LazyLock;

use adlint::rules::{self, RuleSource};
use libfuzzer_sys::fuzz_target;

mod common;

static PLATFORMS: LazyLock<RuleSource> = LazyLock::new(|| {
    rules::builtin::sources()
        .into_iter()
        .find(|s| s.name.ends_with("platforms.toml"))
        .expect("the built-in platforms file")
});

const CAPTIONS: &[&str] = &[
    "",
    "#ad Loving my new @GlowLab serum ✨ #skincare",
    "Use code SAVE20 at https://glowlab.com/?ref=mia 👩‍👩‍👧 #partner",
    "Thanks @novafit for the free shoes!\r\n#gifted #run",
    "مرحبا #إعلان شكرا",
    "新品です #PR #広告 🍜",
];

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).into_owned();
    let sources = [PLATFORMS.clone(), RuleSource::new("fuzz.toml", text)];
    let set = match rules::load(&sources) {
        Ok(set) => set,
        Err(errors) => {
            common::render(&errors);
            return;
        }
    };
    for (i, text) in CAPTIONS.iter().enumerate() {
        let mut caption = adlint::Caption::new(*text);
        caption.platform = common::PLATFORMS[i % common::PLATFORMS.len()].map(String::from);
        caption.sponsored = [None, Some(true), Some(false)][i % 3];
        caption.brands = vec!["GlowLab".into()];
        common::check_caption(&caption, &set);
    }
});
