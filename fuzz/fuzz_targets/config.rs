//! Arbitrary bytes as an `adlint.toml` config: it parses or is an error that renders, never a
//! panic. (A config that is not UTF-8 is a read error before parsing.)
#![no_main]

use libfuzzer_sys::fuzz_target;

mod common;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match adlint::config::parse("adlint.toml", text) {
        Ok(config) => {
            let _ = config.ignored_rules();
            for entry in config.ignored_findings() {
                let _ = entry.describe();
            }
        }
        Err(e) => {
            common::render(&e);
        }
    }
});
