//! Arbitrary bytes as a JSONL export. Every line that is not blank yields exactly one caption
//! or one input error.
#![no_main]

use adlint::input::Kind;
use libfuzzer_sys::fuzz_target;

mod common;
mod readers;

fuzz_target!(|data: &[u8]| {
    let events = readers::read(Kind::Jsonl, data);
    let Some((_, body)) = data.split_first() else {
        return;
    };
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    let records = body
        .split(|&b| b == b'\n')
        .filter(|line| !std::str::from_utf8(line).is_ok_and(|t| t.trim().is_empty()))
        .count();
    assert_eq!(events, records, "records read vs. captions + input errors");
});
