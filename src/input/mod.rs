//! Where captions come from: text and Markdown files (one caption each), stdin, exports
//! (JSONL, JSON, CSV, TSV, XLSX), folders of those, and published posts named by URL.
//!
//! Inputs stream: every caption is handed to the caller as soon as it is read, and every record
//! that cannot be read becomes an [`InputError`] naming its place, so the run goes on for the
//! others. Readers never print; files skipped while walking a folder are reported as events.

mod csv;
pub mod decode;
mod flat;
mod guard;
mod json;
mod jsonl;
pub mod record;
pub mod rewrite;
mod text;
pub mod url;
mod xlsx;

use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::{Path, PathBuf};

use crate::caption::Caption;
use crate::settings::{self, Settings};

pub use crate::failure::InputError;
pub use crate::settings::DEFAULT_MAX_CAPTION;
pub use jsonl::Lines;
pub use record::FieldNames;

/// Context that applies to captions that do not carry their own.
#[derive(Debug, Clone, Default)]
pub struct Defaults {
    pub platform: Option<String>,
    /// `Some(true)` declared sponsored, `Some(false)` declared not sponsored.
    pub sponsored: Option<bool>,
    pub brands: Vec<String>,
    /// Markets a record's market field may name: the jurisdictions of the loaded packs.
    pub markets: crate::market::Table,
    /// The loaded platforms: each name and alias (lower case) with the platform's name.
    pub platforms: Vec<(String, String)>,
    /// Each platform's hosts, for a post URL column: the platform of a record that names none.
    pub platform_hosts: Vec<(String, Vec<String>)>,
}

impl Defaults {
    /// The context the settings give captions that do not carry their own.
    pub fn from_settings(settings: &Settings) -> Defaults {
        let rules = &settings.rules;
        Defaults {
            platform: settings.platform.clone(),
            sponsored: settings.sponsored,
            brands: settings.brands.clone(),
            markets: rules.market_table.clone(),
            platforms: settings::platform_aliases(rules),
            platform_hosts: rules.platform_hosts(),
        }
    }

    /// The platform a value names, as exports write it: a name or alias (`IG`), or a name
    /// among other words (`Instagram Reels`, `IG Story`). `None` when no loaded platform fits.
    pub fn platform_name(&self, value: &str) -> Option<&str> {
        settings::platform_among(&self.platforms, value)
    }

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

/// What reading produces, in input order.
#[derive(Debug)]
pub enum Event {
    Caption(Caption),
    Error(InputError),
    /// A published post whose caption is still to be fetched from `caption.fetched`: a URL
    /// input, a line of `--urls-from`, or a record without a caption under `--fetch`.
    Fetch(Caption),
    /// JSONL records not parsed yet (only with [`ReadOptions::defer_lines`]): consecutive lines
    /// of one file, in order. [`Lines::parse`] turns them into the events reading would give.
    Lines(Lines),
    /// A file in a folder that was passed over, and why (hidden, binary, not an export).
    Skipped {
        path: String,
        reason: String,
    },
    /// Something the user should know about how an input was read: the encoding it was decoded
    /// from, a field found inside an object. `verbose` notes are shown only with `-v` (the
    /// delimiter that was sniffed, the header row that was found).
    Note {
        source: String,
        message: String,
        verbose: bool,
    },
}

impl Event {
    /// A note about how `source` was read.
    pub fn note(source: &str, message: impl Into<String>, verbose: bool) -> Event {
        Event::Note {
            source: source.to_string(),
            message: message.into(),
            verbose,
        }
    }

    /// A record read into a caption (or a caption still to fetch), or the error reading it.
    pub fn record(read: Result<Caption, InputError>) -> Event {
        match read {
            Ok(caption) if caption.needs_fetch() => Event::Fetch(caption),
            Ok(caption) => Event::Caption(caption),
            Err(e) => Event::Error(e),
        }
    }
}

/// How a file is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Kind {
    /// The whole file is one caption (text, Markdown).
    Text,
    /// One JSON object per line.
    Jsonl,
    /// A JSON array of objects, or an object holding one array.
    Json,
    /// Comma-separated values with a header row.
    Csv,
    /// Tab-separated values with a header row.
    Tsv,
    /// An Excel or OpenDocument spreadsheet (first sheet or `--sheet`).
    Xlsx,
}

impl Kind {
    /// Decide by extension; anything unknown is one caption of text.
    pub fn of(path: &Path) -> Kind {
        match extension(path).as_deref() {
            Some("jsonl" | "ndjson") => Kind::Jsonl,
            Some("json") => Kind::Json,
            Some("csv") => Kind::Csv,
            Some("tsv" | "tab") => Kind::Tsv,
            Some("xlsx" | "xlsm" | "xlsb" | "xls" | "ods") => Kind::Xlsx,
            _ => Kind::Text,
        }
    }
}

/// How to read inputs.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// Force a format (`--input-format`); otherwise by extension. Stdin is text by default.
    pub kind: Option<Kind>,
    pub fields: FieldNames,
    /// CSV field separator (`--delimiter`); `,` for CSV and tab for TSV by default.
    pub delimiter: Option<u8>,
    /// Spreadsheet sheet (`--sheet`); the first by default.
    pub sheet: Option<String>,
    /// JSON pointer to the array of records (`--records /data/items`).
    pub records: Option<String>,
    /// Globs a file in a folder must match (default: every known export and text extension).
    pub include: Option<globset::GlobSet>,
    /// Globs that exclude files and folders.
    pub exclude: Option<globset::GlobSet>,
    /// Files a folder walk passes over (canonical paths): adlint's own baseline files.
    pub skip: Vec<PathBuf>,
    pub defaults: Defaults,
    /// `--fetch`: a record with no caption but a URL is fetched from the post's page.
    pub fetch: bool,
    /// Captions longer than this many bytes are input errors, not checked
    /// (`--max-caption-size`); `None` means [`DEFAULT_MAX_CAPTION`].
    pub max_caption: Option<usize>,
    /// The inputs' text encoding (`--encoding`); detected per file when `None`.
    pub encoding: Option<&'static encoding_rs::Encoding>,
    /// The spreadsheet row (1-based) holding the header (`--header-row`); found when `None`.
    pub header_row: Option<usize>,
    /// JSONL records are handed on unparsed, a chunk of lines at a time ([`Event::Lines`]), for
    /// the caller to parse on its worker threads with [`Lines::parse`].
    pub defer_lines: bool,
}

impl ReadOptions {
    /// The caption size limit in bytes.
    pub fn caption_limit(&self) -> usize {
        self.max_caption.unwrap_or(DEFAULT_MAX_CAPTION)
    }

    /// The longest record line or file worth reading for a caption of at most the limit: JSON
    /// escapes can make a caption up to six times longer, and a record has other fields.
    fn record_limit(&self) -> usize {
        self.caption_limit()
            .saturating_mul(6)
            .saturating_add(1 << 16)
    }
}

/// The message for a record (`the row`, `the record`) over [`ReadOptions::record_limit`],
/// which was skipped without being read.
fn over_record_limit(what: &str, options: &ReadOptions) -> String {
    format!(
        "{what} is larger than {}, the limit for a record whose caption is within the {} \
         limit: not read (raise it with --max-caption-size)",
        human_size(options.record_limit()),
        human_size(options.caption_limit())
    )
}

/// A size for people: `1 MB`, `250 KB`, `12 bytes`.
pub fn human_size(bytes: usize) -> String {
    if bytes >= 1_000_000 {
        format!("{:.1} MB", bytes as f64 / 1e6).replace(".0 MB", " MB")
    } else if bytes >= 1_000 {
        format!("{:.1} KB", bytes as f64 / 1e3).replace(".0 KB", " KB")
    } else {
        format!("{bytes} bytes")
    }
}

/// A caption over the size limit becomes an input error naming its place. Applied where
/// captions are checked, after any fetching.
pub fn enforce_limit(event: Event, limit: usize) -> Event {
    match event {
        Event::Caption(c) if c.text.len() > limit => Event::Error(InputError {
            source: c.origin.source,
            record: c.origin.record,
            place: c.origin.place,
            message: format!(
                "the caption is {}, over the {} limit: not checked (raise it with \
                 --max-caption-size)",
                human_size(c.text.len()),
                human_size(limit)
            ),
        }),
        other => other,
    }
}

/// Extensions read when walking a folder without `--include`.
const FOLDER_EXTENSIONS: &[&str] = &[
    "txt", "md", "markdown", "jsonl", "ndjson", "json", "csv", "tsv", "tab", "xlsx", "xlsm", "xls",
    "ods",
];

fn extension(path: &Path) -> Option<String> {
    path.extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
}

/// Where events go; returning `false` stops reading (the output was closed).
pub type Sink<'a> = dyn FnMut(Event) -> bool + 'a;

/// Read every input, in order. `-` is stdin; a URL is a post to fetch.
pub fn read_all(inputs: &[std::ffi::OsString], options: &ReadOptions, sink: &mut Sink<'_>) -> bool {
    for input in inputs {
        let url = input.to_str().filter(|s| url::looks_like_url(s));
        let keep_going = if let Some(url) = url
            && !Path::new(input).exists()
        {
            sink(Event::Fetch(url::pending(url, options)))
        } else if input == "-" {
            let kind = options.kind.unwrap_or(Kind::Text);
            read_stream("-", kind, BufReader::new(io::stdin().lock()), options, sink)
        } else {
            let path = PathBuf::from(input);
            if path.is_dir() {
                read_folder(&path, options, sink)
            } else {
                read_path(
                    &path,
                    options.kind.unwrap_or_else(|| Kind::of(&path)),
                    options,
                    sink,
                )
            }
        };
        if !keep_going {
            return false;
        }
    }
    true
}

/// Read lists of post URLs (`--urls-from`), one URL a line; `-` is stdin.
pub fn read_url_lists(lists: &[PathBuf], options: &ReadOptions, sink: &mut Sink<'_>) -> bool {
    for list in lists {
        let keep_going = if list.as_os_str() == "-" {
            url::read_list("-", io::stdin().lock(), options, sink)
        } else {
            let source = crate::paths::name(list);
            match File::open(list) {
                Ok(file) => url::read_list(&source, BufReader::new(file), options, sink),
                Err(e) => sink(Event::Error(InputError::whole(
                    source,
                    format!("could not open: {}", io_reason(&e)),
                ))),
            }
        };
        if !keep_going {
            return false;
        }
    }
    true
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_string_lossy().starts_with('.')
}

fn read_folder(dir: &Path, options: &ReadOptions, sink: &mut Sink<'_>) -> bool {
    let mut walker = walkdir::WalkDir::new(dir).sort_by_file_name().into_iter();
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(e) => e,
            Err(err) => {
                let source = crate::paths::name(err.path().unwrap_or(dir));
                if !sink(Event::Error(InputError::whole(
                    source,
                    format!("could not read folder: {err}"),
                ))) {
                    return false;
                }
                continue;
            }
        };
        let path = entry.path();
        let shown = crate::paths::name(path);
        let relative = path.strip_prefix(dir).unwrap_or(path);
        if entry.depth() > 0 && is_hidden(entry.file_name()) {
            if entry.file_type().is_dir() {
                walker.skip_current_dir();
            }
            if !sink(Event::Skipped {
                path: shown,
                reason: "hidden".into(),
            }) {
                return false;
            }
            continue;
        }
        if entry.depth() > 0
            && options
                .exclude
                .as_ref()
                .is_some_and(|g| g.is_match(relative))
        {
            if entry.file_type().is_dir() {
                walker.skip_current_dir();
            }
            if !sink(Event::Skipped {
                path: shown,
                reason: "excluded by --exclude".into(),
            }) {
                return false;
            }
            continue;
        }
        if entry.file_type().is_dir() {
            continue;
        }
        // A link is followed once to what it names: a regular file is read; a link to a
        // folder is not walked (no loops); anything else is reported as skipped.
        if !entry.file_type().is_file() {
            let reason = if entry.path_is_symlink() {
                match std::fs::metadata(path) {
                    Ok(m) if m.is_file() => None,
                    Ok(m) if m.is_dir() => {
                        Some("a link to a folder (links to folders are not followed)".to_string())
                    }
                    Ok(m) => Some(format!("a link to {}", special_kind(&m.file_type()))),
                    Err(e) => Some(format!("a broken link ({})", io_reason(&e))),
                }
            } else {
                Some(special_kind(&entry.file_type()))
            };
            if let Some(reason) = reason {
                if !sink(Event::Skipped {
                    path: shown,
                    reason,
                }) {
                    return false;
                }
                continue;
            }
        }
        if !options.skip.is_empty()
            && std::fs::canonicalize(path).is_ok_and(|c| options.skip.contains(&c))
        {
            if !sink(Event::Skipped {
                path: shown,
                reason: "adlint's baseline file".into(),
            }) {
                return false;
            }
            continue;
        }
        let wanted = match &options.include {
            Some(globs) => globs.is_match(relative),
            None => extension(path).is_some_and(|x| FOLDER_EXTENSIONS.contains(&x.as_str())),
        };
        if !wanted {
            let reason = if options.include.is_some() {
                "not matched by --include"
            } else {
                "not a caption or export file"
            };
            if !sink(Event::Skipped {
                path: shown,
                reason: reason.into(),
            }) {
                return false;
            }
            continue;
        }
        let kind = options.kind.unwrap_or_else(|| Kind::of(path));
        if kind != Kind::Xlsx && looks_binary(path) {
            if !sink(Event::Skipped {
                path: shown,
                reason: "binary".into(),
            }) {
                return false;
            }
            continue;
        }
        if !read_path(path, kind, options, sink) {
            return false;
        }
    }
    true
}

/// What a file that is not a regular file is, for the reason it was skipped.
fn special_kind(kind: &std::fs::FileType) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a FIFO (named pipe), not a regular file".into();
        }
        if kind.is_socket() {
            return "a socket, not a regular file".into();
        }
        if kind.is_block_device() || kind.is_char_device() {
            return "a device, not a regular file".into();
        }
    }
    let _ = kind;
    "not a regular file".into()
}

/// A NUL byte in the first 8 KiB marks a binary file, unless the text is UTF-16.
fn looks_binary(path: &Path) -> bool {
    let mut buf = [0u8; 8192];
    File::open(path)
        .and_then(|mut f| f.read(&mut buf))
        .is_ok_and(|n| buf[..n].contains(&0) && !decode::is_utf16(&buf[..n]))
}

/// Read one file as `kind` (a spreadsheet is opened by its path, anything else streams).
pub fn read_path(path: &Path, kind: Kind, options: &ReadOptions, sink: &mut Sink<'_>) -> bool {
    let source = crate::paths::name(path);
    if kind == Kind::Xlsx {
        return xlsx::read(&source, path, options, sink);
    }
    let kind = if kind == Kind::Text && options.kind.is_none() && is_unicode_text(path, options) {
        if !sink(Event::note(
            &source,
            "read as a tab-separated export: UTF-16 text whose first line names a caption column (Excel's \"Unicode Text\"); --input-format text reads it as one caption",
            false,
        )) {
            return false;
        }
        Kind::Tsv
    } else {
        kind
    };
    match File::open(path) {
        Ok(file) => read_stream(
            &source,
            kind,
            BufReader::with_capacity(1 << 16, file),
            options,
            sink,
        ),
        Err(e) => sink(Event::Error(InputError::whole(
            source,
            format!("could not open: {}", io_reason(&e)),
        ))),
    }
}

/// Whether a `.txt` file is Excel's "Unicode Text" export: UTF-16 whose first line is a
/// tab-separated header with a caption column.
fn is_unicode_text(path: &Path, options: &ReadOptions) -> bool {
    if extension(path).as_deref() != Some("txt") {
        return false;
    }
    let mut sample = vec![0u8; 1 << 14];
    let n = match File::open(path).and_then(|mut f| f.read(&mut sample)) {
        Ok(n) => n,
        Err(_) => return false,
    };
    let sample = &sample[..n];
    if !decode::is_utf16(sample) {
        return false;
    }
    let detected = decode::detect(sample, false, options.encoding);
    let (text, _) = detected.encoding.decode_with_bom_removal(sample);
    let header: Vec<&str> = text.lines().next().unwrap_or("").split('\t').collect();
    header.len() > 1 && record::Columns::resolve(&header, &options.fields, options.fetch).is_ok()
}

/// Read one stream as `kind`, naming it `source` in captions and errors, as stdin is read.
pub fn read_stream(
    source: &str,
    kind: Kind,
    reader: impl io::BufRead,
    options: &ReadOptions,
    sink: &mut Sink<'_>,
) -> bool {
    if kind == Kind::Xlsx {
        return sink(Event::Error(InputError::whole(
            source,
            "spreadsheets cannot be read from stdin; give the file's path",
        )));
    }
    let reader = match decode::utf8_reader(reader, options.encoding, source == "-") {
        Ok((reader, detected)) => {
            if let Some(note) = detected.note()
                && !sink(Event::note(source, note, false))
            {
                return false;
            }
            reader
        }
        Err(e) => {
            return sink(Event::Error(InputError::whole(
                source,
                format!("could not read: {}", io_reason(&e)),
            )));
        }
    };
    match kind {
        Kind::Text => sink(
            match text::read_caption(source, reader, options.record_limit()) {
                Ok(mut caption) => {
                    options.defaults.apply(&mut caption);
                    Event::Caption(caption)
                }
                Err(e) => Event::Error(e),
            },
        ),
        Kind::Jsonl => jsonl::read(source, reader, options, sink),
        Kind::Json => json::read(source, reader, options, sink),
        Kind::Csv | Kind::Tsv => csv::read(source, reader, kind, options, sink),
        Kind::Xlsx => true,
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_naturally() {
        assert_eq!(human_size(5_000_000), "5 MB");
        assert_eq!(human_size(64_000), "64 KB");
        assert_eq!(human_size(1500), "1.5 KB");
        assert_eq!(human_size(999), "999 bytes");
    }
}
