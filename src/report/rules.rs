//! `adlint rules` and `adlint explain`: the rule list and one rule's documentation.

use std::io::{self, Write};

use serde_json::json;

use crate::rules::{Rule, RuleSet};

/// One line per rule: code, name, severity, pack and summary; then the packs' versions.
pub fn list(out: &mut dyn Write, rules: &RuleSet) -> io::Result<()> {
    let name_width = rules.rules.iter().map(|r| r.name.len()).max().unwrap_or(4);
    writeln!(
        out,
        "{:<8} {:<name_width$} {:<8} {:<6} SUMMARY",
        "CODE", "NAME", "SEVERITY", "PACK"
    )?;
    for r in &rules.rules {
        let pack = &rules.packs[r.pack].name;
        writeln!(
            out,
            "{:<8} {:<name_width$} {:<8} {:<6} {}",
            r.code,
            r.name,
            r.severity.as_str(),
            pack,
            r.summary
        )?;
    }
    writeln!(out)?;
    for p in &rules.packs {
        writeln!(
            out,
            "pack {} {} ({}), sources read {}, from {}",
            p.name, p.version, p.title, p.sources_read, p.origin
        )?;
    }
    Ok(())
}

/// The rule list as JSON.
pub fn list_json(out: &mut dyn Write, rules: &RuleSet) -> io::Result<()> {
    let doc = json!({
        "rules": rules.rules.iter().map(|r| json!({
            "code": r.code,
            "name": r.name,
            "severity": r.severity,
            "pack": rules.packs[r.pack].name,
            "summary": r.summary,
            "url": r.source,
        })).collect::<Vec<_>>(),
        "packs": rules.packs.iter().map(|p| json!({
            "name": p.name,
            "title": p.title,
            "version": p.version,
            "sources_read": p.sources_read,
            "origin": p.origin,
        })).collect::<Vec<_>>(),
    });
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}

/// What the rule checks, why, its source, and its examples (ruff's `ruff rule` is the model).
pub fn explain(out: &mut dyn Write, rules: &RuleSet, r: &Rule) -> io::Result<()> {
    out.write_all(crate::contract::explain_text(rules, r).as_bytes())
}
