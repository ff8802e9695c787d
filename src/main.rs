fn main() {
    let rules = match adlint::builtin_rules() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("{:?}", miette::Report::new(e));
            std::process::exit(2);
        }
    };
    let path = std::env::args().last().unwrap();
    let text = std::fs::read_to_string(path).unwrap();
    for line in text.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let mut c = adlint::Caption::new(v["caption"].as_str().unwrap());
        c.platform = v["platform"].as_str().map(String::from);
        c.sponsored = v["sponsored"].as_bool();
        if let Some(b) = v["brand"].as_str() { c.brands.push(b.into()); }
        let d = adlint::engine::check(&c, &rules);
        let ds: Vec<_> = d.iter().map(|d| serde_json::json!({"code": d.code, "severity": d.severity.as_str(), "match": &c.text[d.span.clone()]})).collect();
        println!("{}", serde_json::json!({"record": v["id"], "diagnostics": ds}));
    }
}
