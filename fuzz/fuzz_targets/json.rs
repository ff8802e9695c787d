//! Arbitrary bytes as a JSON export (with or without a records pointer).
#![no_main]

use adlint::input::Kind;
use libfuzzer_sys::fuzz_target;

mod common;
mod readers;

fuzz_target!(|data: &[u8]| {
    readers::read(Kind::Json, data);
});
