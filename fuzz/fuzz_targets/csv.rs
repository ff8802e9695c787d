//! Arbitrary bytes as a CSV or TSV export (the first byte also picks the kind).
#![no_main]

use adlint::input::Kind;
use libfuzzer_sys::fuzz_target;

mod common;
mod readers;

fuzz_target!(|data: &[u8]| {
    let kind = match data.first() {
        Some(b) if b & 0x80 != 0 => Kind::Tsv,
        _ => Kind::Csv,
    };
    readers::read(kind, data);
});
