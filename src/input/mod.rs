//! Where captions come from: text and Markdown files (one caption each), stdin, JSONL exports
//! (one record per line) and folders of those.
//!
//! Inputs stream: every caption is handed to the caller as soon as it is read, and every record
//! that cannot be read becomes an [`InputError`] naming its place, so the run goes on for the
//! others.

mod jsonl;
mod text;

use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::{Path, PathBuf};

use crate::caption::Caption;

pub use jsonl::read_jsonl;

/// Context that applies to captions that do not carry their own.
#[derive(Debug, Clone, Default)]
pub struct Defaults {
    pub platform: Option<String>,
    /// `Some(true)` declared sponsored, `Some(false)` declared not sponsored.
    pub sponsored: Option<bool>,
    pub brands: Vec<String>,
}

impl Defaults {
    /// Fill a caption's missing context from the defaults.
    pub fn apply(&self, caption: &mut Caption) {
        if caption.platform.is_none() {
            caption.platform = self.platform.clone();
        }
        if caption.sponsored.is_none() {
            caption.sponsored = self.sponsored;
        }
        for brand in &self.brands {
            if !caption.brands.contains(brand) {
                caption.brands.push(brand.clone());
            }
        }
    }
}

/// A caption or a record that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    /// A path, URL or `-`.
    pub source: String,
    /// The record id, when the problem is one record of many.
    pub record: Option<String>,
    /// The 1-based line of the record in its file.
    pub line: Option<usize>,
    pub message: String,
}

impl InputError {
    pub fn whole(source: impl Into<String>, message: impl Into<String>) -> Self {
        InputError {
            source: source.into(),
            record: None,
            line: None,
            message: message.into(),
        }
    }

    /// `posts.jsonl:line 4`, `draft.txt`.
    pub fn location(&self) -> String {
        match self.line {
            Some(line) => format!("{}:line {line}", self.source),
            None => self.source.clone(),
        }
    }
}

pub type Item = Result<Caption, InputError>;

/// How a file is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The whole file is one caption.
    Text,
    /// One JSON object per line.
    Jsonl,
}

impl Kind {
    /// Decide by extension: `.jsonl` and `.ndjson` hold records, anything else is one caption.
    pub fn of(path: &Path) -> Kind {
        match extension(path).as_deref() {
            Some("jsonl" | "ndjson") => Kind::Jsonl,
            _ => Kind::Text,
        }
    }
}

fn extension(path: &Path) -> Option<String> {
    path.extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
}

/// Extensions read when walking a folder.
const FOLDER_EXTENSIONS: &[&str] = &["txt", "md", "markdown", "jsonl", "ndjson"];

/// Read every input, in order, handing each caption or error to `sink`. `-` is stdin.
/// `sink` returns `false` to stop early (the output was closed).
pub fn read_all(inputs: &[String], defaults: &Defaults, sink: &mut dyn FnMut(Item) -> bool) {
    for input in inputs {
        if input == "-" {
            let stdin = io::stdin();
            if !read_text("-", stdin.lock(), defaults, sink) {
                return;
            }
            continue;
        }
        let path = PathBuf::from(input);
        let keep_going = if path.is_dir() {
            read_folder(&path, defaults, sink)
        } else {
            read_path(&path, defaults, sink)
        };
        if !keep_going {
            return;
        }
    }
}

fn read_folder(dir: &Path, defaults: &Defaults, sink: &mut dyn FnMut(Item) -> bool) -> bool {
    let walker = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        let keep_going = match entry {
            Ok(e) if e.file_type().is_file() => {
                let wanted =
                    extension(e.path()).is_some_and(|x| FOLDER_EXTENSIONS.contains(&x.as_str()));
                !wanted || read_path(e.path(), defaults, sink)
            }
            Ok(_) => true,
            Err(err) => {
                let source = err.path().unwrap_or(dir).display().to_string();
                sink(Err(InputError::whole(
                    source,
                    format!("could not read folder: {err}"),
                )))
            }
        };
        if !keep_going {
            return false;
        }
    }
    true
}

fn read_path(path: &Path, defaults: &Defaults, sink: &mut dyn FnMut(Item) -> bool) -> bool {
    let source = path.display().to_string();
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) => {
            return sink(Err(InputError::whole(
                source,
                format!("could not open: {}", io_reason(&e)),
            )));
        }
    };
    match Kind::of(path) {
        Kind::Jsonl => read_jsonl(&source, BufReader::new(file), defaults, sink),
        Kind::Text => read_text(&source, file, defaults, sink),
    }
}

fn read_text(
    source: &str,
    reader: impl Read,
    defaults: &Defaults,
    sink: &mut dyn FnMut(Item) -> bool,
) -> bool {
    sink(text::read_caption(source, reader).map(|mut caption| {
        defaults.apply(&mut caption);
        caption
    }))
}

/// An I/O error's reason without Rust's "(os error 2)" noise.
pub fn io_reason(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "no such file or folder".into(),
        io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => {
            let s = e.to_string();
            s.split(" (os error").next().unwrap_or(&s).to_string()
        }
    }
}
