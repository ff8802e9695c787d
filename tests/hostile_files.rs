//! Hostile targets and names for the files `adlint fix` writes and reads (issue 16, items 1–3):
//! `--output` into FIFOs, devices and symlinks, `--write` through links, with owner and mode
//! kept, read-only files, names that are not UTF-8 and names that would forge diff headers.

use std::ffi::OsStr;
use std::fs;
use std::io::Read;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt, symlink};
use std::path::Path;
use std::process::{Command, Stdio};

use crate::support::Run;

const BIN: &str = env!("CARGO_BIN_EXE_adlint");

/// A caption `adlint fix` changes (`#sp` becomes `#ad`).
const FIXABLE: &str = "Love this serum #sp\n";
const FIXED: &str = "Love this serum #ad\n";

/// A small CSV export with one fixable caption.
const EXPORT: &str = "id,caption\np-1,Love this serum #sp\np-2,#ad fine as it is\n";

fn adlint(dir: &Path) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.current_dir(dir)
        .env("COLUMNS", "100")
        .env_remove("NO_COLOR")
        .stdin(Stdio::null());
    cmd
}

fn fix(dir: &Path, args: &[&OsStr]) -> Run {
    adlint(dir)
        .args(["fix", "--no-config"])
        .args(args)
        .output()
        .expect("adlint runs")
        .into()
}

fn os(s: &str) -> &OsStr {
    OsStr::new(s)
}

fn mkfifo(path: &Path) {
    let made = Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs");
    assert!(made.success(), "mkfifo {}", path.display());
}

#[test]
fn output_into_a_fifo_writes_into_it_and_leaves_it_a_fifo() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("camp.csv"), EXPORT).unwrap();
    let fifo = dir.path().join("pipe.csv");
    mkfifo(&fifo);
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            let mut text = String::new();
            fs::File::open(&fifo)
                .unwrap()
                .read_to_string(&mut text)
                .unwrap();
            text
        })
    };
    let run = fix(
        dir.path(),
        &[os("camp.csv"), os("--output"), os("pipe.csv")],
    );
    assert_eq!(run.code, 0, "{run:?}");
    let copy = reader.join().unwrap();
    assert_eq!(copy, EXPORT.replace("#sp", "#ad"));
    assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
    let names: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(names.len(), 2, "no temporary file is left");
}

#[test]
fn output_through_a_symlink_writes_its_target_and_keeps_the_link() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("camp.csv"), EXPORT).unwrap();
    fs::create_dir(dir.path().join("real")).unwrap();
    fs::write(dir.path().join("real/fixed.csv"), "old").unwrap();
    symlink("real/fixed.csv", dir.path().join("link.csv")).unwrap();
    let run = fix(dir.path(), &[os("camp.csv"), os("-o"), os("link.csv")]);
    assert_eq!(run.code, 0, "{run:?}");
    let link = dir.path().join("link.csv");
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("real/fixed.csv")).unwrap(),
        EXPORT.replace("#sp", "#ad")
    );
}

#[test]
fn output_to_a_character_device_or_stdout_is_not_replaced() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("camp.csv"), EXPORT).unwrap();
    // A link to a device, like /dev/stdout: the device is written, the link stays.
    symlink("/dev/null", dir.path().join("devnull.csv")).unwrap();
    let run = fix(dir.path(), &[os("camp.csv"), os("-o"), os("devnull.csv")]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        fs::symlink_metadata(dir.path().join("devnull.csv"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(
        fs::metadata("/dev/null")
            .unwrap()
            .file_type()
            .is_char_device()
    );
    // `-o -` is stdout.
    let run = fix(dir.path(), &[os("camp.csv"), os("-o"), os("-")]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stdout, EXPORT.replace("#sp", "#ad"));
    assert!(!dir.path().join("-").exists());
    assert!(run.stderr.contains("wrote stdout"), "{run:?}");
}

#[test]
fn write_goes_through_a_symlink_and_refuses_a_fifo() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("drafts")).unwrap();
    fs::write(dir.path().join("drafts/post.txt"), FIXABLE).unwrap();
    symlink("drafts/post.txt", dir.path().join("post.txt")).unwrap();
    let run = fix(dir.path(), &[os("--write"), os("post.txt")]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        fs::symlink_metadata(dir.path().join("post.txt"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("drafts/post.txt")).unwrap(),
        FIXED
    );
    // A FIFO is refused before it is read (which would wait for a writer).
    mkfifo(&dir.path().join("pipe.txt"));
    let run = fix(dir.path(), &[os("--write"), os("pipe.txt")]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr.contains("pipe.txt is not a regular file"),
        "{run:?}"
    );
    assert!(
        fs::symlink_metadata(dir.path().join("pipe.txt"))
            .unwrap()
            .file_type()
            .is_fifo()
    );
}

#[test]
fn write_keeps_hard_links_and_mode() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.txt");
    fs::write(&a, FIXABLE).unwrap();
    fs::set_permissions(&a, fs::Permissions::from_mode(0o604)).unwrap();
    fs::hard_link(&a, dir.path().join("b.txt")).unwrap();
    let run = fix(dir.path(), &[os("--write"), os("a.txt")]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(fs::read_to_string(dir.path().join("b.txt")).unwrap(), FIXED);
    let meta = fs::metadata(&a).unwrap();
    assert_eq!(meta.nlink(), 2);
    assert_eq!(meta.permissions().mode() & 0o777, 0o604);
}

#[test]
fn write_keeps_the_owner_when_run_as_root() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("theirs.txt");
    fs::write(&path, FIXABLE).unwrap();
    let me = fs::metadata(&path).unwrap().uid();
    if me != 0 {
        // Only root can give a file away; as anyone else the file is already ours.
        return;
    }
    std::os::unix::fs::chown(&path, Some(4321), Some(4322)).unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o664)).unwrap();
    let run = fix(dir.path(), &[os("--write"), os("theirs.txt")]);
    assert_eq!(run.code, 0, "{run:?}");
    let meta = fs::metadata(&path).unwrap();
    assert_eq!((meta.uid(), meta.gid()), (4321, 4322));
    assert_eq!(meta.permissions().mode() & 0o777, 0o664);
    assert_eq!(fs::read_to_string(&path).unwrap(), FIXED);
    // The same for a fixed copy written over someone else's file.
    fs::write(dir.path().join("camp.csv"), EXPORT).unwrap();
    let out = dir.path().join("out.csv");
    fs::write(&out, "old").unwrap();
    std::os::unix::fs::chown(&out, Some(4321), Some(4322)).unwrap();
    let run = fix(dir.path(), &[os("camp.csv"), os("-o"), os("out.csv")]);
    assert_eq!(run.code, 0, "{run:?}");
    let meta = fs::metadata(&out).unwrap();
    assert_eq!((meta.uid(), meta.gid()), (4321, 4322));
}

#[test]
fn read_only_files_are_refused_unless_forced_and_nothing_is_called_fixed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("locked.txt");
    fs::write(&path, FIXABLE).unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o444)).unwrap();
    let run = fix(dir.path(), &[os("--write"), os("locked.txt")]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("locked.txt is read-only"), "{run:?}");
    assert!(run.stderr.contains("--force"), "{run:?}");
    assert!(!run.stderr.contains("fixed 1 finding"), "{run:?}");
    assert_eq!(fs::read_to_string(&path).unwrap(), FIXABLE);

    let run = fix(
        dir.path(),
        &[os("--write"), os("--force"), os("locked.txt")],
    );
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stderr.contains("fixed 1 finding"), "{run:?}");
    assert_eq!(fs::read_to_string(&path).unwrap(), FIXED);
    let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o444, "still read-only");
}

#[test]
fn a_write_that_fails_is_reported_as_not_fixed() {
    let dir = tempfile::tempdir().unwrap();
    // A link to a folder stands where the caption file was read: reading fails first, so use
    // a dangling output instead, which cannot be written.
    fs::write(dir.path().join("camp.csv"), EXPORT).unwrap();
    symlink("missing/nowhere.csv", dir.path().join("out.csv")).unwrap();
    let run = fix(dir.path(), &[os("camp.csv"), os("-o"), os("out.csv")]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("does not exist"), "{run:?}");
    assert!(!run.stderr.contains("wrote"), "{run:?}");
}

#[test]
fn a_mismatched_output_extension_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.csv"), EXPORT).unwrap();
    for out in ["out.xlsx", "out.json", "out.tsv"] {
        let run = fix(dir.path(), &[os("a.csv"), os("-o"), os(out)]);
        assert_eq!(run.code, 2, "{out}: {run:?}");
        assert!(run.stderr.contains("would hold CSV data"), "{run:?}");
        assert!(!dir.path().join(out).exists(), "{out} was not written");
    }
    let run = fix(dir.path(), &[os("a.csv"), os("-o"), os("out.csv")]);
    assert_eq!(run.code, 0, "{run:?}");
}

#[test]
fn names_that_are_not_utf8_are_read_and_written_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let name = OsStr::from_bytes(b"caf\xE9.txt");
    fs::write(dir.path().join(name), FIXABLE).unwrap();
    let run: Run = adlint(dir.path())
        .args(["check", "--no-config", "--format", "json"])
        .arg(name)
        .output()
        .unwrap()
        .into();
    assert_eq!(run.code, 1, "{run:?}");
    let doc = run.json();
    let result = &doc["results"][0];
    assert_eq!(result["source"], "caf\\xE9.txt");
    assert_eq!(result["source_bytes"], "Y2Fm6S50eHQ=");
    let run: Run = adlint(dir.path())
        .args(["check", "--no-config", "--format", "sarif"])
        .arg(name)
        .output()
        .unwrap()
        .into();
    let sarif = run.json();
    let uri = &sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
        ["uri"];
    assert_eq!(uri, "caf%E9.txt");
    // A UTF-8 name has no `source_bytes`.
    fs::write(dir.path().join("é.txt"), FIXABLE).unwrap();
    let run: Run = adlint(dir.path())
        .args(["check", "--no-config", "--format", "json", "é.txt"])
        .output()
        .unwrap()
        .into();
    assert!(run.json()["results"][0].get("source_bytes").is_none());
    // Fixed in place under its own name.
    let run = fix(dir.path(), &[os("--write"), name]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(fs::read_to_string(dir.path().join(name)).unwrap(), FIXED);
}

#[test]
fn a_newline_in_a_name_cannot_forge_diff_headers() {
    let dir = tempfile::tempdir().unwrap();
    // A name cannot hold `/`, but a forged header needs none: `patch -p0` reads `+++ other.txt`.
    let name = "x\n+++ other.txt\n.txt";
    fs::write(dir.path().join(name), FIXABLE).unwrap();
    let run = fix(dir.path(), &[os("--diff"), os(name)]);
    assert_eq!(run.code, 0, "{run:?}");
    let headers: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| l.starts_with("---") || l.starts_with("+++"))
        .collect();
    assert_eq!(
        headers,
        [
            "--- \"a/x\\n+++ other.txt\\n.txt\"",
            "+++ \"b/x\\n+++ other.txt\\n.txt\""
        ],
        "{run:?}"
    );
}
