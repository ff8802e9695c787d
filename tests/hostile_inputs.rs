//! Hostile inputs (issue 16, items 6–10): control characters in captions and names, cells,
//! strings and spreadsheets built to exhaust memory (run under a memory limit
//! well below their size), every file read whole over its cap, `--jobs` far past the cores, and a JSON
//! export with a caption cut mid-emoji.

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::Path;
use std::process::{Command, Stdio};

use crate::support::Run;

const BIN: &str = env!("CARGO_BIN_EXE_adlint");

/// The size of the oversized cells and strings: past any cap, and larger than the whole
/// memory a run may take.
const HUGE: usize = 150_000_000;

fn adlint(dir: &Path) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.current_dir(dir)
        .env("COLUMNS", "100")
        .env_remove("NO_COLOR")
        .env_remove("GITHUB_ACTIONS")
        .stdin(Stdio::null());
    cmd
}

fn run(dir: &Path, args: &[&str]) -> Run {
    adlint(dir).args(args).output().expect("adlint runs").into()
}

/// Run with at most `bytes` of data memory (`RLIMIT_DATA`: the heap and every private
/// writable mapping). Past it an allocation fails and adlint aborts, which fails the test. (The
/// peak resident size a parent can read, `ru_maxrss`, also counts the parent's own memory
/// before `exec`, so it is no measure for a child of a large test process.)
fn within(dir: &Path, args: &[&str], bytes: u64) -> Run {
    use std::os::unix::process::CommandExt;
    let mut cmd = adlint(dir);
    cmd.args(args);
    // SAFETY: setrlimit is async-signal-safe; the closure touches nothing else.
    unsafe {
        cmd.pre_exec(move || {
            let limit = libc::rlimit {
                rlim_cur: bytes as libc::rlim_t,
                rlim_max: bytes as libc::rlim_t,
            };
            if libc::setrlimit(libc::RLIMIT_DATA, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let out = cmd.output().expect("adlint runs");
    assert!(
        out.status.code().is_some(),
        "adlint was killed (out of its {bytes} bytes of memory?): {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.into()
}

/// The memory a run over a huge input may take: well under the input's size.
const LIMIT: u64 = 300_000_000;

/// Write `head`, `n` bytes of `fill`, then `tail`.
fn write_big(path: &Path, head: &[u8], fill: u8, n: usize, tail: &[u8]) {
    let mut out = BufWriter::new(File::create(path).unwrap());
    out.write_all(head).unwrap();
    let chunk = vec![fill; 1 << 20];
    let mut left = n;
    while left > 0 {
        let k = left.min(chunk.len());
        out.write_all(&chunk[..k]).unwrap();
        left -= k;
    }
    out.write_all(tail).unwrap();
    out.flush().unwrap();
}

/// Captions checked plus inputs that failed: every record is one or the other.
fn accounted(run: &Run) -> (u64, u64, Vec<String>) {
    let doc = run.json();
    let s = &doc["summary"];
    let errors = doc["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["message"].as_str().unwrap_or_default().to_string())
        .collect();
    (
        s["captions"].as_u64().unwrap(),
        s["failed_inputs"].as_u64().unwrap(),
        errors,
    )
}

#[test]
fn a_huge_csv_cell_is_skipped_in_bounded_memory() {
    let dir = tempfile::tempdir().unwrap();
    write_big(
        &dir.path().join("big.csv"),
        b"id,caption\np-1,#ad first\np-2,\"",
        b'x',
        HUGE,
        b"\"\np-3,#ad last\n",
    );
    let run = within(
        dir.path(),
        &["check", "--no-config", "--format", "json", "big.csv"],
        LIMIT,
    );
    assert_eq!(run.code, 2, "{run:?}");
    let (captions, failed, errors) = accounted(&run);
    assert_eq!((captions, failed), (2, 1), "{errors:?}");
    assert!(
        errors[0].starts_with("row 2: the row is larger than"),
        "{errors:?}"
    );
}

#[test]
fn a_huge_json_string_is_skipped_in_bounded_memory() {
    let dir = tempfile::tempdir().unwrap();
    write_big(
        &dir.path().join("big.json"),
        br##"[{"id": "p-1", "caption": "#ad first"}, {"id": "p-2", "caption": ""##,
        b'x',
        HUGE,
        br##""}, {"id": "p-3", "caption": "#ad last"}]"##,
    );
    let run = within(
        dir.path(),
        &["check", "--no-config", "--format", "json", "big.json"],
        LIMIT,
    );
    assert_eq!(run.code, 2, "{run:?}");
    let (captions, failed, errors) = accounted(&run);
    assert_eq!((captions, failed), (2, 1), "{errors:?}");
    assert!(
        errors[0].starts_with("/1: the record is larger than"),
        "{errors:?}"
    );
}

#[test]
fn dev_zero_read_as_csv_ends_with_an_error_in_bounded_memory() {
    let dir = tempfile::tempdir().unwrap();
    let run = within(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--format",
            "json",
            "--input-format",
            "csv",
            "/dev/zero",
        ],
        LIMIT,
    );
    assert_eq!(run.code, 2, "{run:?}");
    let (captions, failed, errors) = accounted(&run);
    assert_eq!((captions, failed), (0, 1), "{errors:?}");
    assert!(
        errors[0].starts_with("the header row is larger than 6.1 MB"),
        "{errors:?}"
    );
    assert!(
        errors[0].ends_with("the file was not read further"),
        "{errors:?}"
    );
}

/// A deflate stream of `n` zero bytes: one literal, then copies of 258 bytes (fixed Huffman
/// codes), about 1.6 bits per kilobyte. The zip bomb's payload.
fn deflated_zeros(n: usize) -> Vec<u8> {
    struct Bits {
        out: Vec<u8>,
        acc: u64,
        used: u32,
    }
    impl Bits {
        fn put(&mut self, value: u32, bits: u32) {
            self.acc |= u64::from(value) << self.used;
            self.used += bits;
            while self.used >= 8 {
                self.out.push(self.acc as u8);
                self.acc >>= 8;
                self.used -= 8;
            }
        }
        /// A Huffman code, most significant bit first.
        fn code(&mut self, code: u32, len: u32) {
            let reversed = (0..len).fold(0, |r, i| r | (((code >> i) & 1) << (len - 1 - i)));
            self.put(reversed, len);
        }
    }
    let mut bits = Bits {
        out: Vec::new(),
        acc: 0,
        used: 0,
    };
    bits.put(1, 1); // the last block
    bits.put(1, 2); // fixed Huffman codes
    bits.code(0x30, 8); // literal 0
    let mut left = n - 1;
    while left >= 258 {
        bits.code(0xC5, 8); // length 258 (code 285)
        bits.code(0, 5); // distance 1
        left -= 258;
    }
    for _ in 0..left {
        bits.code(0x30, 8);
    }
    bits.code(0, 7); // end of block
    if bits.used > 0 {
        bits.out.push(bits.acc as u8);
    }
    bits.out
}

/// A zip holding one part of `n` zeros, as a spreadsheet's sheet (its checksum is left 0: a
/// reader finds out only after unzipping it all).
fn zip_bomb(path: &Path, n: usize) {
    let name = b"xl/worksheets/sheet1.xml";
    let data = deflated_zeros(n);
    let (csize, usize_) = (data.len() as u32, n as u32);
    let mut z = Vec::new();
    let u16le = |z: &mut Vec<u8>, v: u16| z.extend_from_slice(&v.to_le_bytes());
    let u32le = |z: &mut Vec<u8>, v: u32| z.extend_from_slice(&v.to_le_bytes());
    u32le(&mut z, 0x0403_4b50);
    for v in [20u16, 0, 8, 0, 0x21] {
        u16le(&mut z, v);
    }
    for v in [0u32, csize, usize_] {
        u32le(&mut z, v);
    }
    u16le(&mut z, name.len() as u16);
    u16le(&mut z, 0);
    z.extend_from_slice(name);
    z.extend_from_slice(&data);
    let directory = z.len() as u32;
    u32le(&mut z, 0x0201_4b50);
    for v in [20u16, 20, 0, 8, 0, 0x21] {
        u16le(&mut z, v);
    }
    for v in [0u32, csize, usize_] {
        u32le(&mut z, v);
    }
    for v in [name.len() as u16, 0, 0, 0, 0] {
        u16le(&mut z, v);
    }
    u32le(&mut z, 0);
    u32le(&mut z, 0);
    z.extend_from_slice(name);
    let directory_size = z.len() as u32 - directory;
    u32le(&mut z, 0x0605_4b50);
    for v in [0u16, 0, 1, 1] {
        u16le(&mut z, v);
    }
    u32le(&mut z, directory_size);
    u32le(&mut z, directory);
    u16le(&mut z, 0);
    fs::write(path, z).unwrap();
}

#[test]
fn a_spreadsheet_zip_bomb_is_refused_before_it_is_unzipped() {
    let dir = tempfile::tempdir().unwrap();
    zip_bomb(&dir.path().join("bomb.xlsx"), 300_000_000);
    assert!(fs::metadata(dir.path().join("bomb.xlsx")).unwrap().len() < 3_000_000);
    fs::write(dir.path().join("ok.txt"), "#ad a caption beside it").unwrap();
    let run = within(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--format",
            "json",
            "bomb.xlsx",
            "ok.txt",
        ],
        LIMIT,
    );
    assert_eq!(run.code, 2, "{run:?}");
    let (captions, failed, errors) = accounted(&run);
    assert_eq!((captions, failed), (1, 1), "{errors:?}");
    assert!(
        errors[0].contains("unzips to 300 MB, over the 256 MB limit"),
        "{errors:?}"
    );
}

#[test]
fn every_file_read_whole_has_a_cap() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::write(d.join("c.txt"), "#ad hello").unwrap();
    for (args, want) in [
        (
            vec!["check", "--no-config", "--rules", "/dev/zero", "c.txt"],
            "larger than the 10 MB limit for rule files",
        ),
        (
            vec!["check", "--config", "/dev/zero", "c.txt"],
            "larger than the 1 MB limit for config files",
        ),
        (
            vec!["check", "--no-config", "--baseline", "/dev/zero", "c.txt"],
            "larger than the 64 MB limit for baselines",
        ),
        (
            vec!["eval", "--no-config", "/dev/zero"],
            "larger than the 64 MB limit for labelled files",
        ),
    ] {
        let run = within(d, &args, LIMIT);
        assert_eq!(run.code, 2, "{args:?}: {run:?}");
        assert!(
            run.stderr.contains(want) || run.stdout.contains(want),
            "{args:?}: {run:?}"
        );
    }
    // A URL list streams; a line past 64 KiB is an error for that line alone.
    let mut list = "x".repeat(100_000);
    list.push_str("\nnot a url\n");
    fs::write(d.join("links.txt"), list).unwrap();
    let r = run(
        d,
        &[
            "check",
            "--no-config",
            "--format",
            "jsonl",
            "--urls-from",
            "links.txt",
        ],
    );
    assert_eq!(r.code, 2, "{r:?}");
    let errors: Vec<String> = r
        .jsonl()
        .iter()
        .filter_map(|l| l["error"].as_str().map(String::from))
        .collect();
    assert_eq!(
        errors,
        [
            "line 1: the line is longer than 65.5 KB: not a URL",
            "line 2: not a URL: `not a url` (give one http:// or https:// URL a line)"
        ]
    );
}

#[test]
fn jobs_far_past_the_cores_are_lowered_with_a_note() {
    let dir = tempfile::tempdir().unwrap();
    let lines: String = (1..=5)
        .map(|i| format!("{{\"id\": \"p-{i}\", \"caption\": \"#ad post {i}\"}}\n"))
        .collect();
    fs::write(dir.path().join("five.jsonl"), lines).unwrap();
    let r = run(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--format",
            "jsonl",
            "--jobs",
            "5000",
            "five.jsonl",
        ],
    );
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(r.jsonl().len(), 5);
    assert!(r.stderr.contains("--jobs 5000 lowered to"), "{r:?}");
    assert!(r.stderr.contains("4 per core"), "{r:?}");
}

#[test]
fn a_caption_cut_mid_emoji_is_checked_with_a_replacement_character() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("cut.json"),
        r##"[{"id": "p-1", "caption": "Love this serum #sp \ud83d"},
            {"id": "p-2", "caption": "#ad \ud83d\ude00 whole emoji"},
            {"id": "p-3", "caption": "#ad \ude00 lone low half, then more"}]"##,
    )
    .unwrap();
    let r = run(
        dir.path(),
        &["check", "--no-config", "--format", "json", "cut.json"],
    );
    let doc = r.json();
    let ids: Vec<&str> = doc["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["record"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["p-1", "p-2", "p-3"], "{r:?}");
    assert_eq!(doc["summary"]["failed_inputs"], 0);
    let p1 = &doc["results"][0]["diagnostics"];
    assert!(
        p1.as_array().unwrap().iter().any(|d| d["code"] == "FTC002"),
        "the first record was checked: {p1}"
    );
    // The fixed copy keeps every record too.
    let r = run(
        dir.path(),
        &["fix", "--no-config", "cut.json", "-o", "fixed.json"],
    );
    assert_eq!(r.code, 0, "{r:?}");
    let fixed = fs::read_to_string(dir.path().join("fixed.json")).unwrap();
    assert!(fixed.contains("Love this serum #ad \u{fffd}"), "{fixed}");
    assert!(
        fixed.contains(r"\ude00 lone low half"),
        "copied as it was: {fixed}"
    );
    let r = run(
        dir.path(),
        &["check", "--no-config", "--format", "json", "fixed.json"],
    );
    assert_eq!(r.json()["results"].as_array().unwrap().len(), 3, "{r:?}");
    // JSONL too: the line is checked, not an error.
    fs::write(
        dir.path().join("cut.jsonl"),
        "{\"id\": \"p-1\", \"caption\": \"Love this serum #sp \\ud83d\"}\n",
    )
    .unwrap();
    let r = run(
        dir.path(),
        &["check", "--no-config", "--format", "json", "cut.jsonl"],
    );
    let doc = r.json();
    assert_eq!(doc["summary"]["failed_inputs"], 0, "{r:?}");
    assert_eq!(
        doc["results"][0]["diagnostics"][0]["code"], "FTC002",
        "{r:?}"
    );
}

#[test]
fn control_characters_in_captions_and_names_are_escaped_for_people_only() {
    let dir = tempfile::tempdir().unwrap();
    let name = "evil\x1b]0;owned\x07.txt";
    fs::write(
        dir.path().join(name),
        "Love it \x1b[2J\u{202E} so much #sp\n",
    )
    .unwrap();
    let human = run(
        dir.path(),
        &["check", "--no-config", "--color", "never", name],
    );
    assert_eq!(human.code, 1, "{human:?}");
    assert!(!human.stdout.contains('\x1b') && !human.stdout.contains('\u{202E}'));
    assert!(
        human.stdout.contains("evil\\x1B]0;owned\\x07.txt"),
        "{human:?}"
    );
    assert!(
        human
            .stdout
            .contains("Love it \\x1B[2J\\u{202E} so much #sp"),
        "{human:?}"
    );
    // The underline is under `#sp`, and the column is the caption's own (as in JSON).
    let lines: Vec<&str> = human.stdout.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.contains("so much #sp"))
        .unwrap();
    let caption_col = lines[at].find("#sp").unwrap();
    let underline = lines[at + 1];
    let mark = underline
        .char_indices()
        .find(|(_, c)| *c != ' ' && *c != '·')
        .map(|(i, _)| i)
        .unwrap();
    assert_eq!(
        underline[..mark].chars().count(),
        lines[at][..caption_col].chars().count(),
        "{human:?}"
    );
    let json = run(
        dir.path(),
        &["check", "--no-config", "--format", "json", name],
    );
    let doc = json.json();
    assert_eq!(doc["results"][0]["source"], name);
    let col = doc["results"][0]["diagnostics"][0]["column"]
        .as_u64()
        .unwrap();
    assert!(
        human.stdout.contains(&format!(":1:{col}]")),
        "the header column is the caption's column {col}: {human:?}"
    );
    // Colour on: the sequences adlint writes pass, the caption's do not.
    let colour = run(
        dir.path(),
        &["check", "--no-config", "--color", "always", name],
    );
    assert!(colour.stdout.contains("\x1b["), "{colour:?}");
    assert!(!colour.stdout.contains("\x1b[2J") && !colour.stdout.contains("\x1b]0;"));
}

#[test]
fn control_characters_in_a_rule_pack_are_escaped_in_rules_explain_and_findings() {
    let dir = tempfile::tempdir().unwrap();
    let pack = fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/cli/rules/house/acme.toml"),
    )
    .unwrap()
    .replace(
        "summary = \"The caption names a competitor.\"",
        "summary = \"The caption names a competitor.\\u001B]0;owned\\u0007\"",
    )
    .replace(
        "message = \"`{match}` names a competitor\"",
        "message = \"`{match}` names a competitor\\u001B[2J\"",
    )
    .replace(
        "docs = \"Fires on a competitor's name or hashtag.\"",
        "docs = \"Fires on a competitor's name or hashtag.\\u202E\"",
    );
    fs::write(dir.path().join("pack.toml"), pack).unwrap();
    fs::write(dir.path().join("c.txt"), "#ad way better than Globex Corp").unwrap();
    for args in [
        vec!["rules", "--no-config", "--rules", "pack.toml"],
        vec!["explain", "--no-config", "--rules", "pack.toml", "ACME001"],
        vec![
            "check",
            "--no-config",
            "--color",
            "always",
            "--rules",
            "pack.toml",
            "c.txt",
        ],
    ] {
        let r = run(dir.path(), &args);
        assert!(r.code != 2, "{args:?}: {r:?}");
        let all = format!("{}{}", r.stdout, r.stderr);
        assert!(
            !all.contains("\x1b]") && !all.contains("\x1b[2J"),
            "{args:?}: {r:?}"
        );
        assert!(!all.contains('\u{202E}'), "{args:?}: {r:?}");
        assert!(all.contains("\\x1B"), "shown escaped: {args:?}: {r:?}");
    }
    // JSON keeps the rule's text as it is.
    let r = run(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--format",
            "json",
            "--rules",
            "pack.toml",
            "c.txt",
        ],
    );
    assert!(r.stdout.contains("names a competitor\\u001b[2J"), "{r:?}");
}
