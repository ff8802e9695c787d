//! Markets: the jurisdiction codes packs declare (`jurisdiction = "uk"`) and the many ways exports
//! and users name a market (`GB`, `United Kingdom`, `en-GB`), normalised to those codes.
//!
//! A caption carries its markets; the engine runs the packs whose jurisdiction is one of them.

/// The jurisdictions of the built-in packs.
pub const BUILTIN: [&str; 7] = ["us", "uk", "ca", "au", "de", "fr", "eu"];

/// The run-level default when neither `--jurisdiction` nor config `markets` says otherwise.
pub const DEFAULT: &str = "us";

/// EU member states without a pack of their own: their captions get the `eu` pack.
const EU_MEMBERS: [&str; 25] = [
    "at", "be", "bg", "hr", "cy", "cz", "dk", "ee", "fi", "gr", "hu", "ie", "it", "lv", "lt", "lu",
    "mt", "nl", "pl", "pt", "ro", "sk", "si", "es", "se",
];

/// Country and region names people write instead of codes.
const NAMES: [(&str, &str); 22] = [
    ("united kingdom", "uk"),
    ("great britain", "uk"),
    ("britain", "uk"),
    ("england", "uk"),
    ("scotland", "uk"),
    ("wales", "uk"),
    ("northern ireland", "uk"),
    ("united states", "us"),
    ("united states of america", "us"),
    ("usa", "us"),
    ("america", "us"),
    ("canada", "ca"),
    ("australia", "au"),
    ("germany", "de"),
    ("deutschland", "de"),
    ("france", "fr"),
    ("european union", "eu"),
    ("europe", "eu"),
    ("austria", "eu"),
    ("italy", "eu"),
    ("spain", "eu"),
    ("netherlands", "eu"),
];

/// The jurisdiction code for a market as written: `GB`, `gb`, `United Kingdom` and `en-GB` are
/// `uk`; `de-DE` and `Germany` are `de`; an EU member state without its own pack (`IT`,
/// `es-ES`) is `eu`. Anything else comes back lower-cased, so user packs can declare their own
/// codes (`nz`).
pub fn normalise(value: &str) -> String {
    let lower = value.trim().to_lowercase().replace('_', "-");
    // A locale tag (`de-DE`, `en-GB`, `fr-CA`): the region decides the market.
    let code = match lower.rsplit_once('-') {
        Some((lang, region))
            if region.len() == 2 && (2..=3).contains(&lang.len()) && is_letters(lang) =>
        {
            region.to_string()
        }
        _ => lower,
    };
    if let Some((_, market)) = NAMES.iter().find(|(name, _)| *name == code) {
        return (*market).to_string();
    }
    match code.as_str() {
        "gb" => "uk".into(),
        c if EU_MEMBERS.contains(&c) => "eu".into(),
        _ => code,
    }
}

fn is_letters(s: &str) -> bool {
    s.chars().all(|c| c.is_ascii_alphabetic())
}

/// The markets in one cell or flag value: several may be separated by `,`, `;` or `|`.
/// Each must be known; the error names the first that is not.
pub fn parse_list(value: &str, known: &[String]) -> Result<Vec<String>, String> {
    let mut out: Vec<String> = Vec::new();
    for part in value.split([',', ';', '|']).map(str::trim) {
        if part.is_empty() {
            continue;
        }
        let code = normalise(part);
        if !known.contains(&code) {
            return Err(part.to_string());
        }
        if !out.contains(&code) {
            out.push(code);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_become_codes() {
        for (written, code) in [
            ("UK", "uk"),
            ("GB", "uk"),
            ("gb", "uk"),
            ("United Kingdom", "uk"),
            ("en-GB", "uk"),
            ("en_gb", "uk"),
            ("DE", "de"),
            ("de-DE", "de"),
            ("Deutschland", "de"),
            ("fr-CA", "ca"),
            ("USA", "us"),
            ("IT", "eu"),
            ("es-ES", "eu"),
            ("nz", "nz"),
        ] {
            assert_eq!(normalise(written), code, "{written}");
        }
    }

    #[test]
    fn lists_are_checked_against_the_known_markets() {
        let known: Vec<String> = BUILTIN.iter().map(|s| s.to_string()).collect();
        assert_eq!(
            parse_list("UK; de-DE, uk", &known),
            Ok(vec!["uk".to_string(), "de".to_string()])
        );
        assert_eq!(parse_list("", &known), Ok(vec![]));
        assert_eq!(parse_list("uk, Mars", &known), Err("Mars".to_string()));
    }
}
