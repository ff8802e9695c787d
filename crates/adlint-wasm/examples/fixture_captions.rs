//! Every caption the CLI reads from the given files and folders, one JSON line each, as the
//! browser build takes it: `{"caption", "options", "source", "record", "file_line"}`. The
//! equality test (`web/test/engine.test.mjs`) checks each with the `.wasm` and compares the
//! findings with `adlint check --format jsonl --no-config` on the same files.
//!
//!   cargo run -p adlint-wasm --example fixture_captions -- fixtures

use std::io::Write;

use adlint::input::{self, Defaults, Event, ReadOptions};
use serde_json::{Value, json};

fn main() {
    let rules = adlint::builtin_rules().expect("the built-in packs load");
    // What `--no-config` gives the readers: no default platform, brands or sponsorship.
    let defaults = Defaults {
        markets: rules.market_table.clone(),
        platforms: adlint_core::settings::platform_aliases(&rules),
        platform_hosts: rules.platform_hosts(),
        ..Defaults::default()
    };
    let options = ReadOptions {
        defaults,
        ..ReadOptions::default()
    };
    let inputs: Vec<std::ffi::OsString> = std::env::args_os().skip(1).collect();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut failed = false;
    input::read_all(&inputs, &options, &mut |event| {
        if let Event::Caption(c) = event {
            let mut opts = serde_json::Map::new();
            if let Some(p) = c.platform.as_deref().and_then(|p| rules.platform(p)) {
                opts.insert("platform".into(), json!(p.name));
            }
            if let Some(s) = c.sponsored {
                opts.insert("sponsored".into(), json!(s));
            }
            if !c.brands.is_empty() {
                opts.insert("brands".into(), json!(c.brands));
            }
            if !c.markets.is_empty() {
                opts.insert("market".into(), json!(c.markets));
            }
            if let Some(p) = c.paid_partnership_label {
                opts.insert("paid_partnership_label".into(), json!(p));
            }
            let line = json!({
                "caption": c.text,
                "options": Value::Object(opts),
                "source": c.origin.source,
                "record": c.origin.record,
                "file_line": c.origin.line,
            });
            failed |= writeln!(out, "{line}").is_err();
        }
        !failed
    });
    if out.flush().is_err() || failed {
        std::process::exit(1);
    }
}
