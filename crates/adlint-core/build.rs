//! Embeds the built-in rule files: every `rules/*.toml` at the top of the repository, so a new
//! market is one new file there.
//!
//! Load order: the platforms first, then the libraries (files with a `[library]` table), then the
//! packs, each group by file name.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../rules");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<(u8, String)> = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("the rules/ folder") {
        let path = entry.expect("a rules/ entry").path();
        if path.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        println!("cargo:rerun-if-changed={}", path.display());
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .expect("rule file names are UTF-8")
            .to_string();
        let text = std::fs::read_to_string(&path).expect("a readable rule file");
        let group = if name == "platforms.toml" {
            0
        } else if text.lines().any(|l| l.trim() == "[library]") {
            1
        } else {
            2
        };
        files.push((group, name));
    }
    files.sort();
    let mut out = String::from("&[\n");
    for (_, name) in &files {
        writeln!(
            out,
            "    (\"rules/{name}\", include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/../../rules/{name}\"))),"
        )
        .unwrap();
    }
    out.push(']');
    let target = Path::new(&std::env::var("OUT_DIR").unwrap()).join("builtin_rules.rs");
    std::fs::write(target, out).expect("writing the built-in rule list");
}
