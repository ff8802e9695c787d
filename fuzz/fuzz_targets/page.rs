//! Arbitrary bytes as a fetched page: sniffed, then read as HTML and as JSON (oEmbed). Finding a
//! caption or saying why there is none never panics, and a caption found is checked.
#![no_main]

use adlint::fetch::extract::{self, Kind};
use libfuzzer_sys::fuzz_target;

mod common;

fuzz_target!(|data: &[u8]| {
    let _ = extract::sniff(data);
    let body = String::from_utf8_lossy(data);
    for kind in [Kind::Html, Kind::Json] {
        match extract::caption(&body, kind) {
            Ok(found) => {
                assert!(!found.field.is_empty(), "a caption without its field");
                let caption = adlint::Caption::new(found.text);
                common::check_caption(&caption, &common::BUILTIN);
            }
            Err(reason) => assert!(!reason.trim().is_empty(), "no caption, and no reason"),
        }
    }
});
