//! Arbitrary bytes as a spreadsheet. calamine opens workbooks by path, so the bytes go to a
//! temporary file whose extension (xlsx, xls, xlsb, ods) the first byte picks.
#![no_main]

use std::path::PathBuf;
use std::sync::LazyLock;

use adlint::input::{self, Kind};
use libfuzzer_sys::fuzz_target;

mod common;
mod readers;

static DIR: LazyLock<PathBuf> = LazyLock::new(|| {
    // The reader contains panics inside calamine (they become input errors), so libFuzzer's
    // abort-on-any-panic hook goes; a panic that escapes still aborts in libfuzzer-sys.
    drop(std::panic::take_hook());
    let dir = std::env::temp_dir().join(format!("adlint-fuzz-xlsx-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    dir
});

fuzz_target!(|data: &[u8]| {
    let Some((&pick, body)) = data.split_first() else {
        return;
    };
    let extension = ["xlsx", "xls", "xlsb", "ods"][pick as usize % 4];
    let path = DIR.join(format!("input.{extension}"));
    std::fs::write(&path, body).expect("write the temporary workbook");
    let mut options = readers::options(Kind::Xlsx, pick >> 2);
    if pick & 0x80 != 0 {
        options.sheet = Some("Posts".into());
    }
    input::read_path(&path, Kind::Xlsx, &options, &mut readers::sink_check);
    let _ = std::fs::remove_file(&path);
});
