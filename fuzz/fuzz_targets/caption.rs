//! Arbitrary bytes as a caption (with a platform, sponsorship and brands from the first two
//! bytes), checked against the built-in packs.
#![no_main]

use libfuzzer_sys::fuzz_target;

mod common;

fuzz_target!(|data: &[u8]| {
    let caption = common::caption_from(data);
    common::check_caption(&caption, &common::BUILTIN);
});
