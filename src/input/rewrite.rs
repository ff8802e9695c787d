//! A fixed copy of an export (`adlint fix campaign.csv --output fixed.csv`): the same format,
//! every record and every other column or key as it was, only the captions that were fixed
//! changed.
//!
//! Each format is read by its own reader ([`super::csv`], [`super::jsonl`], [`super::json`],
//! [`super::xlsx`]), so the copy sees exactly the captions and the errors `adlint check` sees.
//! The copy follows the reader's events: a record the reader names by its place (a line, a row,
//! a JSON pointer) is copied from the file as it was, or with its caption replaced.
//!
//! - JSONL: byte for byte, blank lines, line endings and a byte-order mark included; in a fixed
//!   line only the caption's value is replaced (its keys, their order and spacing are kept).
//! - CSV and TSV: byte for byte, blank lines, line endings, quoting and a byte-order mark
//!   included, except the rows whose caption was fixed: their cells are written anew with the
//!   same separator, quoted only where they need it, and their line ending kept.
//! - JSON: the whole document is loaded, unlike the streaming reader, so memory grows with the
//!   file. It is copied byte for byte except the captions' values, so its formatting, key order
//!   and numbers stay exactly as they were (nothing is re-printed).
//! - Spreadsheets: only the sheet that was read is written, as a new `.xlsx`, with its cells'
//!   values at the same places: text, numbers, booleans, dates and times (as dates, shown in
//!   ISO 8601), the results of formulas, and error cells (`#N/A`) as text. Other sheets,
//!   formulas, styles, column widths and merged cells are not copied.
//!
//! The copy is written as [`crate::output`] writes files: to a temporary file beside the output,
//! renamed over it when complete (owner, mode and links kept), so the output is never
//! half-written and an input can be its own output; a FIFO or device is written into, `-` is
//! stdout.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::Path;
use std::rc::Rc;

use calamine::{Data, Reader, open_workbook_auto};

use indexmap::IndexMap;
use serde_json::value::RawValue;

use super::record::{Columns, Field, FieldNames};
use super::{Event, InputError, Kind, ReadOptions, io_reason};
use crate::caption::{Caption, Place};

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// What rewriting did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Rewritten {
    /// Captions read (records that could not be read are in `errors`).
    pub records: usize,
    /// Captions replaced in the copy.
    pub changed: usize,
    /// Records that could not be read (copied unchanged), and problems with the file that did not
    /// stop it being copied (several arrays of records in a JSON document).
    pub errors: Vec<InputError>,
}

/// Copy the export at `input` (format `kind`) to `output`, replacing each record's caption by
/// `fix(&caption)` when it returns Some(new_text). Records that cannot be read are copied
/// unchanged and listed in `errors`. The output is written to a temporary file next to
/// `output` and renamed into place when complete (atomic). Err(message) when the export cannot
/// be read or written at all (e.g. no caption column, unknown sheet, I/O error).
///
/// `fix` is called once for each caption, in file order. A message does not name `input`; it
/// starts with the place in the file when there is one (`line 4: invalid JSON …`).
pub fn rewrite(
    input: &Path,
    kind: Kind,
    options: &ReadOptions,
    output: &Path,
    fix: &mut dyn FnMut(&Caption) -> Option<String>,
) -> Result<Rewritten, String> {
    rewrite_to(input, kind, options, output, false, fix)
}

/// [`rewrite`], writing the output as [`crate::output`] says (`-` is stdout; a symlink is
/// followed; a FIFO or device is written into); `force` writes a read-only output too.
pub fn rewrite_to(
    input: &Path,
    kind: Kind,
    options: &ReadOptions,
    output: &Path,
    force: bool,
    fix: &mut dyn FnMut(&Caption) -> Option<String>,
) -> Result<Rewritten, String> {
    let source = crate::paths::name(input);
    let mut tally = Tally {
        fix,
        done: Rewritten::default(),
        seen: 0,
        fatal: None,
    };
    // The copy keeps every byte but the captions, so it is written in the export's own
    // encoding: only UTF-8 exports can be copied this way.
    if matches!(kind, Kind::Jsonl | Kind::Json | Kind::Csv | Kind::Tsv) {
        let mut sample = Vec::new();
        if let Ok(file) = File::open(input) {
            let _ = file.take(1 << 16).read_to_end(&mut sample);
        }
        let detected = super::decode::detect(&sample, sample.len() < 1 << 16, options.encoding);
        if detected.encoding != encoding_rs::UTF_8 {
            return Err(format!(
                "the export is in {}: a fixed copy keeps the export's bytes, so it is written only for UTF-8 exports; save it as UTF-8 (in Excel: CSV UTF-8) and fix that",
                detected.encoding.name()
            ));
        }
    }
    match kind {
        Kind::Text => {
            return Err(
                "a text file is one caption, not an export: it is not copied record by record"
                    .into(),
            );
        }
        Kind::Xlsx => {
            let is_xlsx = output
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
            if !is_xlsx && output.as_os_str() != "-" {
                return Err(format!(
                    "a spreadsheet's fixed copy is written as .xlsx; name the output like {}",
                    output.with_extension("xlsx").display()
                ));
            }
            let bytes = xlsx(&source, input, options, &mut tally)?;
            write_atomic(output, force, |out| Ok(out.write_all(&bytes)?))?;
        }
        Kind::Jsonl => write_atomic(output, force, |out| {
            jsonl(&source, input, options, out, &mut tally)
        })?,
        Kind::Json => write_atomic(output, force, |out| {
            json(&source, input, options, out, &mut tally)
        })?,
        Kind::Csv | Kind::Tsv => write_atomic(output, force, |out| {
            csv(&source, input, kind, options, out, &mut tally)
        })?,
    }
    Ok(tally.done)
}

/// Why a copy failed: reading (a full message) or writing the temporary file.
#[derive(Debug)]
enum Fail {
    Read(String),
    Write(io::Error),
}

impl From<io::Error> for Fail {
    fn from(e: io::Error) -> Self {
        Fail::Write(e)
    }
}

fn could_not_open(e: &io::Error) -> Fail {
    Fail::Read(format!("could not open: {}", io_reason(e)))
}

fn could_not_read(e: &io::Error) -> Fail {
    Fail::Read(format!("could not read: {}", io_reason(e)))
}

/// An input error as the message of a failed copy.
fn fatal_message(e: &InputError) -> String {
    match &e.place {
        Some(place) => format!("{place}: {}", e.message),
        None => e.message.clone(),
    }
}

/// Counts, errors and the fixes of the captions a reader hands over.
struct Tally<'f> {
    fix: &'f mut dyn FnMut(&Caption) -> Option<String>,
    done: Rewritten,
    /// Records seen: captions and records that could not be read.
    seen: usize,
    /// A problem with the whole file before any record: nothing can be copied.
    fatal: Option<String>,
}

/// What one reader event means for the copy.
enum Step {
    /// Copy the record at this place as it is.
    Copy(Option<Place>),
    /// Replace the caption of the record at this place.
    Replace(Place, String),
    /// The file cannot be copied.
    Stop,
}

impl Tally<'_> {
    fn step(&mut self, event: Event) -> Step {
        match event {
            Event::Caption(caption) => {
                self.seen += 1;
                self.done.records += 1;
                let place = caption.origin.place.clone();
                match ((self.fix)(&caption), place) {
                    (Some(text), Some(place)) if text != caption.text => {
                        self.done.changed += 1;
                        Step::Replace(place, text)
                    }
                    (_, place) => Step::Copy(place),
                }
            }
            // A problem with the whole file before any record (no caption column, no such
            // sheet, no array of records) means there is nothing to copy.
            Event::Error(e) if e.record.is_none() && self.seen == 0 => {
                self.fatal = Some(fatal_message(&e));
                Step::Stop
            }
            Event::Error(e) => {
                if e.record.is_some() {
                    self.seen += 1;
                }
                let place = e.place.clone();
                self.done.errors.push(e);
                Step::Copy(place)
            }
            // `fix` never fetches, so this does not happen; the record is copied as it is.
            Event::Fetch(caption) => {
                self.seen += 1;
                self.done.records += 1;
                Step::Copy(caption.origin.place)
            }
            Event::Skipped { .. } | Event::Note { .. } => Step::Copy(None),
        }
    }

    /// A fix that could not be applied after all (the record did not parse as it did for the
    /// reader): the record is copied as it was.
    fn unchange(&mut self) {
        self.done.changed -= 1;
    }

    fn check(&mut self) -> Result<(), Fail> {
        match self.fatal.take() {
            Some(message) => Err(Fail::Read(message)),
            None => Ok(()),
        }
    }
}

/// Write `output` with `write`, as [`crate::output`] says: a regular file through a temporary
/// file beside it, renamed into place once `write` succeeds (and removed otherwise), keeping an
/// existing output's permissions and owner.
fn write_atomic<T>(
    output: &Path,
    force: bool,
    write: impl FnOnce(&mut dyn Write) -> Result<T, Fail>,
) -> Result<T, String> {
    use crate::output::Fail as Out;
    let shown = crate::paths::name(output);
    let result = crate::output::write_with(output, force, |out| match write(out) {
        Ok(v) => Ok(v),
        Err(Fail::Read(message)) => Err(Out::Produce(message)),
        Err(Fail::Write(e)) => Err(Out::Write(e)),
    });
    result.map_err(|e| match e {
        Out::Produce(message) => message,
        Out::Write(e) => format!("could not write {shown}: {}", io_reason(&e)),
        Out::Output(e) => e.to_string(),
    })
}

/// The key of a JSON object the reader takes the caption from: the user's name or a common name,
/// case-insensitively, the first such key in the order of a [`serde_json::Map`] (as
/// [`super::record::from_json_object`] finds it).
fn caption_key<'k>(keys: impl IntoIterator<Item = &'k str>, names: &FieldNames) -> Option<String> {
    super::record::key_for(keys, Field::Caption, names).map(String::from)
}

/// The caption's value in a JSON object's text: its byte range within `text`.
fn caption_span(text: &str, names: &FieldNames) -> Option<(usize, usize)> {
    let object: IndexMap<String, &RawValue> = serde_json::from_str(text).ok()?;
    let key = caption_key(object.keys().map(String::as_str), names)?;
    let raw = object.get(&key)?.get();
    let start = (raw.as_ptr() as usize).checked_sub(text.as_ptr() as usize)?;
    (start + raw.len() <= text.len()).then_some((start, start + raw.len()))
}

fn json_string(text: &str) -> String {
    // Serialising a string cannot fail.
    serde_json::to_string(text).unwrap_or_default()
}

// --- JSONL ------------------------------------------------------------------------------------

/// A buffered reader that keeps every byte consumed, so the bytes of each record the JSONL
/// reader hands over (and of the blank lines before it) can be copied.
struct Tee {
    file: File,
    buf: Box<[u8]>,
    pos: usize,
    len: usize,
    taken: Rc<RefCell<Vec<u8>>>,
    failed: Rc<RefCell<Option<io::Error>>>,
}

impl Read for Tee {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(out.len());
        out[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl BufRead for Tee {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.pos == self.len {
            self.pos = 0;
            self.len = 0;
            loop {
                match self.file.read(&mut self.buf) {
                    Ok(n) => {
                        self.len = n;
                        break;
                    }
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(e) => {
                        let copy = io::Error::new(e.kind(), e.to_string());
                        *self.failed.borrow_mut() = Some(copy);
                        return Err(e);
                    }
                }
            }
        }
        Ok(&self.buf[self.pos..self.len])
    }

    fn consume(&mut self, amt: usize) {
        let amt = amt.min(self.len - self.pos);
        self.taken
            .borrow_mut()
            .extend_from_slice(&self.buf[self.pos..self.pos + amt]);
        self.pos += amt;
    }
}

fn jsonl(
    source: &str,
    input: &Path,
    options: &ReadOptions,
    out: &mut dyn Write,
    tally: &mut Tally<'_>,
) -> Result<(), Fail> {
    let file = File::open(input).map_err(|e| could_not_open(&e))?;
    let taken = Rc::new(RefCell::new(Vec::new()));
    let failed = Rc::new(RefCell::new(None));
    let tee = Tee {
        file,
        buf: vec![0; 1 << 16].into_boxed_slice(),
        pos: 0,
        len: 0,
        taken: Rc::clone(&taken),
        failed: Rc::clone(&failed),
    };
    let mut write_error = None;
    super::jsonl::read(source, tee, options, &mut |event| {
        // The bytes read since the last record: blank lines, then this record's line.
        let chunk = std::mem::take(&mut *taken.borrow_mut());
        let written = match tally.step(event) {
            Step::Stop => return false,
            Step::Replace(_, text) => match fixed_line(&chunk, &text, &options.fields) {
                Some(line) => out.write_all(&line),
                None => {
                    tally.unchange();
                    out.write_all(&chunk)
                }
            },
            Step::Copy(_) => out.write_all(&chunk),
        };
        match written {
            Ok(()) => true,
            Err(e) => {
                write_error = Some(e);
                false
            }
        }
    });
    if let Some(e) = failed.borrow_mut().take() {
        return Err(could_not_read(&e));
    }
    if let Some(e) = write_error {
        return Err(Fail::Write(e));
    }
    tally.check()?;
    // Blank lines at the end.
    out.write_all(&taken.borrow())?;
    Ok(())
}

/// The last line of `chunk` with its caption's value replaced by `text`; everything else,
/// blank lines before it and its line ending included, as it was.
fn fixed_line(chunk: &[u8], text: &str, names: &FieldNames) -> Option<Vec<u8>> {
    let body = chunk.strip_suffix(b"\n").unwrap_or(chunk);
    let body = body.strip_suffix(b"\r").unwrap_or(body);
    let start = body.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let start = if body[start..].starts_with(BOM) {
        start + BOM.len()
    } else {
        start
    };
    let line = std::str::from_utf8(&body[start..]).ok()?;
    let (from, to) = caption_span(line, names)?;
    let mut fixed = Vec::with_capacity(chunk.len() + text.len());
    fixed.extend_from_slice(&chunk[..start + from]);
    fixed.extend_from_slice(json_string(text).as_bytes());
    fixed.extend_from_slice(&chunk[start + to..]);
    Some(fixed)
}

// --- CSV and TSV ------------------------------------------------------------------------------

fn csv(
    source: &str,
    input: &Path,
    kind: Kind,
    options: &ReadOptions,
    out: &mut dyn Write,
    tally: &mut Tally<'_>,
) -> Result<(), Fail> {
    let open = || File::open(input).map_err(|e| could_not_open(&e));
    // The same settings as the reader (see `super::csv::read`): its separator and header row.
    let mut sample = Vec::new();
    open()?
        .take(1 << 16)
        .read_to_end(&mut sample)
        .map_err(|e| could_not_read(&e))?;
    let layout = super::csv::layout(&sample, kind, options);
    let delimiter = layout.delimiter;
    // The copy reads the file a second time, keeping the bytes it reads so each row can be
    // copied as it was.
    let taken = Rc::new(RefCell::new(Vec::new()));
    let mut rows = ::csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(false)
        .from_reader(Capture {
            file: open()?,
            taken: Rc::clone(&taken),
        });
    let mut copy = RawCopy {
        taken,
        base: 0,
        delimiter,
    };
    let mut record = ::csv::ByteRecord::new();
    let read_error = |e: ::csv::Error| match e.into_kind() {
        ::csv::ErrorKind::Io(e) => could_not_read(&e),
        other => Fail::Read(format!("could not read: {other:?}")),
    };
    // Title rows above the header are copied as they are.
    for _ in 0..layout.skip {
        if !rows.read_byte_record(&mut record).map_err(read_error)? {
            return copy.rest(out);
        }
    }
    if !rows.read_byte_record(&mut record).map_err(read_error)? {
        return copy.rest(out); // Empty, or blank lines.
    }
    let names: Vec<String> = record
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let h = if i == 0 && layout.skip == 0 {
                h.strip_prefix(BOM).unwrap_or(h)
            } else {
                h
            };
            String::from_utf8_lossy(h).into_owned()
        })
        .collect();
    let caption_column = Columns::resolve(&names, &options.fields, false)
        .map_err(Fail::Read)?
        .get(Field::Caption)
        .unwrap_or(0);
    copy.to(rows.position().byte(), out)?;

    // Rows are copied as the reader reaches them: row `n` is the `n`-th record after the header
    // for both readers.
    let mut row = 0usize;
    let mut failure: Option<Fail> = None;
    let mut copy_to = |target: usize, fixed: Option<&str>| -> Result<(), Fail> {
        while row < target {
            if !rows.read_byte_record(&mut record).map_err(read_error)? {
                return Ok(());
            }
            row += 1;
            let end = rows.position().byte();
            match fixed {
                Some(text) if row == target => {
                    copy.replace(end, &record, caption_column, text, &mut *out)?;
                }
                _ => copy.to(end, &mut *out)?,
            }
        }
        Ok(())
    };
    super::csv::read(
        source,
        BufReader::with_capacity(1 << 16, open()?),
        kind,
        options,
        &mut |event| {
            let result = match tally.step(event) {
                Step::Stop => return false,
                Step::Replace(Place::Row(n), text) => copy_to(n, Some(&text)),
                Step::Copy(Some(Place::Row(n))) => copy_to(n, None),
                Step::Replace(..) | Step::Copy(_) => Ok(()),
            };
            match result {
                Ok(()) => true,
                Err(e) => {
                    failure = Some(e);
                    false
                }
            }
        },
    );
    if let Some(e) = failure {
        return Err(e);
    }
    tally.check()?;
    copy_to(usize::MAX, None)?;
    copy.rest(out)
}

/// A reader that keeps every byte it reads.
struct Capture {
    file: File,
    taken: Rc<RefCell<Vec<u8>>>,
}

impl Read for Capture {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.file.read(buf)?;
        self.taken.borrow_mut().extend_from_slice(&buf[..n]);
        Ok(n)
    }
}

/// The bytes of a CSV file read but not yet copied, from offset `base`.
struct RawCopy {
    taken: Rc<RefCell<Vec<u8>>>,
    base: u64,
    delimiter: u8,
}

impl RawCopy {
    /// Take the bytes up to offset `end`.
    fn take(&mut self, end: u64) -> Vec<u8> {
        let mut taken = self.taken.borrow_mut();
        let n = usize::try_from(end.saturating_sub(self.base))
            .unwrap_or(usize::MAX)
            .min(taken.len());
        self.base += n as u64;
        taken.drain(..n).collect()
    }

    /// Copy the bytes up to offset `end` as they were.
    fn to(&mut self, end: u64, out: &mut dyn Write) -> Result<(), Fail> {
        Ok(out.write_all(&self.take(end))?)
    }

    /// Copy the record that ends at `end` with its caption cell replaced: the blank lines before
    /// it and its line ending as they were, its cells written anew.
    fn replace(
        &mut self,
        end: u64,
        record: &::csv::ByteRecord,
        column: usize,
        text: &str,
        out: &mut dyn Write,
    ) -> Result<(), Fail> {
        let raw = self.take(end);
        let start = raw
            .iter()
            .position(|b| !matches!(b, b'\r' | b'\n'))
            .unwrap_or(raw.len());
        let body = raw.len()
            - raw
                .iter()
                .rev()
                .take_while(|b| matches!(b, b'\r' | b'\n'))
                .count();
        let mut fixed = ::csv::ByteRecord::new();
        for (i, cell) in record.iter().enumerate() {
            fixed.push_field(if i == column { text.as_bytes() } else { cell });
        }
        let mut writer = ::csv::WriterBuilder::new()
            .delimiter(self.delimiter)
            .flexible(true)
            .terminator(::csv::Terminator::Any(b'\n'))
            .from_writer(Vec::new());
        let encoded = writer
            .write_byte_record(&fixed)
            .map_err(|e| io::Error::other(e.to_string()))
            .and_then(|()| {
                writer
                    .into_inner()
                    .map_err(|e| io::Error::other(e.to_string()))
            })?;
        let encoded = encoded.strip_suffix(b"\n").unwrap_or(&encoded);
        out.write_all(&raw[..start.min(body)])?;
        out.write_all(encoded)?;
        out.write_all(&raw[body.max(start)..])?;
        Ok(())
    }

    /// Copy everything left.
    fn rest(&mut self, out: &mut dyn Write) -> Result<(), Fail> {
        self.to(u64::MAX, out)
    }
}

// --- JSON -------------------------------------------------------------------------------------

fn json(
    source: &str,
    input: &Path,
    options: &ReadOptions,
    out: &mut dyn Write,
    tally: &mut Tally<'_>,
) -> Result<(), Fail> {
    let file = File::open(input).map_err(|e| could_not_open(&e))?;
    // The reader finds the records (the top-level array, the one array of objects, or
    // `--records`); the fixes are gathered by the pointer of their array.
    let mut fixes: BTreeMap<String, Vec<(usize, String)>> = BTreeMap::new();
    super::json::read(
        source,
        BufReader::with_capacity(1 << 16, file),
        options,
        &mut |event| match tally.step(event) {
            Step::Stop => false,
            Step::Replace(Place::Pointer(pointer), text) => {
                if let Some((array, index)) = pointer.rsplit_once('/')
                    && let Ok(index) = index.parse::<usize>()
                {
                    fixes
                        .entry(array.to_string())
                        .or_default()
                        .push((index, text));
                }
                true
            }
            _ => true,
        },
    );
    tally.check()?;
    // A syntax error (the only error placed on a line) leaves nothing that can be copied.
    if let Some(e) = tally
        .done
        .errors
        .iter()
        .find(|e| e.record.is_none() && matches!(e.place, Some(Place::Line(_))))
    {
        return Err(Fail::Read(fatal_message(e)));
    }

    let mut bytes = Vec::new();
    File::open(input)
        .map_err(|e| could_not_open(&e))?
        .read_to_end(&mut bytes)
        .map_err(|e| could_not_read(&e))?;
    let (bom, body) = match bytes.strip_prefix(BOM) {
        Some(rest) => (BOM, rest),
        None => (&[][..], &bytes[..]),
    };
    let doc = std::str::from_utf8(body).map_err(|e| {
        Fail::Read(format!(
            "not UTF-8: invalid byte at offset {}",
            e.valid_up_to()
        ))
    })?;
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    let mut unchanged = 0;
    for (array, records) in &fixes {
        let Some(elements) = records_at(doc, array) else {
            unchanged += records.len();
            continue;
        };
        for (index, text) in records {
            let span = elements
                .get(*index)
                .and_then(|raw| caption_span(raw.get(), &options.fields).map(|s| (raw, s)));
            match span {
                Some((raw, (from, to))) => {
                    let at = raw.get().as_ptr() as usize - doc.as_ptr() as usize;
                    edits.push((at + from, at + to, json_string(text)));
                }
                None => unchanged += 1,
            }
        }
    }
    for _ in 0..unchanged {
        tally.unchange();
    }
    edits.sort_by_key(|(from, ..)| *from);
    out.write_all(bom)?;
    let mut at = 0;
    for (from, to, text) in &edits {
        out.write_all(&doc.as_bytes()[at..*from])?;
        out.write_all(text.as_bytes())?;
        at = *to;
    }
    out.write_all(&doc.as_bytes()[at..])?;
    Ok(())
}

/// The elements of the array at a JSON pointer, each borrowed from `doc`.
fn records_at<'d>(doc: &'d str, pointer: &str) -> Option<Vec<&'d RawValue>> {
    let mut value: &'d RawValue = serde_json::from_str(doc).ok()?;
    if !pointer.is_empty() {
        for token in pointer.strip_prefix('/')?.split('/') {
            let token = token.replace("~1", "/").replace("~0", "~");
            value = match value.get().as_bytes().first()? {
                b'{' => {
                    let object: IndexMap<String, &'d RawValue> =
                        serde_json::from_str(value.get()).ok()?;
                    *object.get(&token)?
                }
                b'[' => {
                    let array: Vec<&'d RawValue> = serde_json::from_str(value.get()).ok()?;
                    *array.get(token.parse::<usize>().ok()?)?
                }
                _ => return None,
            };
        }
    }
    serde_json::from_str(value.get()).ok()
}

// --- Spreadsheets -----------------------------------------------------------------------------

/// The fixed copy of the sheet that was read, as the bytes of an `.xlsx` workbook.
fn xlsx(
    source: &str,
    input: &Path,
    options: &ReadOptions,
    tally: &mut Tally<'_>,
) -> Result<Vec<u8>, String> {
    // Row `n` of the reader's events is `n` rows below the header.
    let mut fixes: HashMap<usize, String> = HashMap::new();
    super::xlsx::read(
        source,
        input,
        options,
        &mut |event| match tally.step(event) {
            Step::Stop => false,
            Step::Replace(Place::Row(n), text) => {
                fixes.insert(n, text);
                true
            }
            _ => true,
        },
    );
    if let Some(message) = tally.fatal.take() {
        return Err(message);
    }
    let mut workbook =
        open_workbook_auto(input).map_err(|e| format!("could not open the spreadsheet: {e}"))?;
    // The sheet and header row the reader chose.
    let found = super::xlsx::find(&mut workbook, options)?;
    let (sheet, header_row) = (found.sheet, found.header_row);
    let range = workbook
        .worksheet_range(&sheet)
        .map_err(|e| format!("could not read sheet `{sheet}`: {e}"))?;

    let mut book = rust_xlsxwriter::Workbook::new();
    let formats = Formats::new();
    let written = book.add_worksheet();
    // Sheet names Excel does not allow (from an ODS file) leave the default name.
    let _ = written.set_name(&sheet);
    if let Some((first_row, first_col)) = range.start() {
        let blank = |row: &[Data]| row.iter().all(is_blank);
        let header_index = header_row
            .checked_sub(first_row)
            .map(|h| h as usize)
            .filter(|h| range.rows().nth(*h).is_some_and(|row| !blank(row)));
        let caption_column = header_index.and_then(|h| {
            let header: Vec<String> = range
                .rows()
                .nth(h)?
                .iter()
                .map(|c| match c {
                    Data::String(s) => s.clone(),
                    other => other.to_string(),
                })
                .collect();
            Columns::resolve(&header, &options.fields, false)
                .ok()?
                .get(Field::Caption)
        });
        for (i, row) in range.rows().enumerate() {
            let fixed = header_index
                .filter(|h| i > *h)
                .and_then(|h| fixes.get(&(i - h)));
            for (j, cell) in row.iter().enumerate() {
                let place = u32::try_from(i)
                    .ok()
                    .and_then(|i| first_row.checked_add(i))
                    .zip(
                        u32::try_from(j)
                            .ok()
                            .and_then(|j| first_col.checked_add(j))
                            .and_then(|c| u16::try_from(c).ok()),
                    );
                let Some((r, c)) = place else {
                    return Err("the sheet is too large to write as .xlsx".into());
                };
                let result = match fixed {
                    Some(text) if Some(j) == caption_column => {
                        written.write_string(r, c, text).map(drop)
                    }
                    _ => write_cell(written, r, c, cell, &formats),
                };
                result
                    .map_err(|e| format!("could not write row {}, column {}: {e}", r + 1, c + 1))?;
            }
        }
    }
    book.save_to_buffer()
        .map_err(|e| format!("could not write the spreadsheet: {e}"))
}

fn is_blank(cell: &Data) -> bool {
    match cell {
        Data::Empty => true,
        Data::String(s) => s.trim().is_empty(),
        _ => false,
    }
}

/// Number formats for dates and times, shown as the reader shows them (ISO 8601).
struct Formats {
    date: rust_xlsxwriter::Format,
    datetime: rust_xlsxwriter::Format,
    time: rust_xlsxwriter::Format,
    duration: rust_xlsxwriter::Format,
}

impl Formats {
    fn new() -> Self {
        let format = |f: &str| rust_xlsxwriter::Format::new().set_num_format(f);
        Formats {
            date: format("yyyy-mm-dd"),
            datetime: format("yyyy-mm-dd hh:mm:ss"),
            time: format("hh:mm:ss"),
            duration: format("[h]:mm:ss"),
        }
    }
}

fn write_cell(
    sheet: &mut rust_xlsxwriter::Worksheet,
    r: u32,
    c: u16,
    cell: &Data,
    formats: &Formats,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    match cell {
        Data::Empty => Ok(()),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => {
            sheet.write_string(r, c, s).map(drop)
        }
        Data::Int(i) => sheet.write_number(r, c, *i as f64).map(drop),
        Data::Float(f) => sheet.write_number(r, c, *f).map(drop),
        Data::Bool(b) => sheet.write_boolean(r, c, *b).map(drop),
        Data::Error(e) => sheet.write_string(r, c, e.to_string()).map(drop),
        Data::DateTime(dt) if dt.is_duration() => sheet
            .write_number_with_format(r, c, dt.as_f64(), &formats.duration)
            .map(drop),
        Data::DateTime(dt) => {
            let (_, _, _, h, mi, s, ms) = dt.to_ymd_hms_milli();
            let value = dt.as_f64();
            let format = if (0.0..1.0).contains(&value) {
                &formats.time
            } else if (h, mi, s, ms) == (0, 0, 0, 0) {
                &formats.date
            } else {
                &formats.datetime
            };
            // The written workbook counts days from 1900; one that counted from 1904 is 1462 days
            // behind.
            let from_1900 =
                calamine::ExcelDateTime::new(value, calamine::ExcelDateTimeType::DateTime, false);
            let serial = if from_1900.to_ymd_hms_milli() == dt.to_ymd_hms_milli() {
                value
            } else {
                value + 1462.0
            };
            sheet
                .write_number_with_format(r, c, serial, format)
                .map(drop)
        }
    }
}

#[cfg(test)]
mod tests {
    use std::fs;
    use std::path::PathBuf;

    use super::*;

    const SHEET_FIXTURE: &str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/exports/campaign.xlsx"
    );

    /// Adds ` #ad` to captions that ask for it.
    fn add_ad(caption: &Caption) -> Option<String> {
        caption
            .text
            .contains("fix me")
            .then(|| format!("{} #ad", caption.text))
    }

    struct Run {
        dir: tempfile::TempDir,
        result: Result<Rewritten, String>,
        output: PathBuf,
    }

    impl Run {
        fn written(&self) -> Vec<u8> {
            fs::read(&self.output).unwrap()
        }

        fn text(&self) -> String {
            String::from_utf8(self.written()).unwrap()
        }

        fn done(&self) -> &Rewritten {
            self.result.as_ref().unwrap()
        }

        /// The files in the folder besides the input.
        fn files(&self) -> Vec<String> {
            let mut names: Vec<String> = fs::read_dir(self.dir.path())
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .filter(|n| !n.starts_with("input."))
                .collect();
            names.sort();
            names
        }
    }

    fn run_with(ext: &str, input: &[u8], kind: Kind, options: &ReadOptions, output: &str) -> Run {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(format!("input.{ext}"));
        fs::write(&path, input).unwrap();
        let output = dir.path().join(output);
        let result = rewrite(&path, kind, options, &output, &mut add_ad);
        Run {
            dir,
            result,
            output,
        }
    }

    fn copy(ext: &str, input: &[u8], kind: Kind) -> Run {
        run_with(
            ext,
            input,
            kind,
            &ReadOptions::default(),
            &format!("out.{ext}"),
        )
    }

    fn places(done: &Rewritten) -> Vec<String> {
        done.errors
            .iter()
            .map(|e| {
                e.place
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_default()
            })
            .collect()
    }

    #[test]
    fn jsonl_changes_only_the_caption_values() {
        let input = concat!(
            "\u{feff}{\"id\": \"a\", \"caption\": \"fix me \\\"q\\\"\", \"likes\": 1.50, \"n\": 123456789012345678901234567890}\r\n",
            "\r\n",
            "{broken\n",
            "{ \"id\" : 2 , \"Caption\":\"fine\",\"x\":[1, 2] }\n",
            "\n",
            "{\"caption\": 5, \"text\": \"fix me\"}\n",
            "{\"z\":{\"caption\":\"nested\"},\"TEXT\":\"fix me ✓\"}\r\n",
            "{\"z\":0,\"text\":\"fix me\\u00e9\"}",
        );
        let run = copy("jsonl", input.as_bytes(), Kind::Jsonl);
        let want = concat!(
            "\u{feff}{\"id\": \"a\", \"caption\": \"fix me \\\"q\\\" #ad\", \"likes\": 1.50, \"n\": 123456789012345678901234567890}\r\n",
            "\r\n",
            "{broken\n",
            "{ \"id\" : 2 , \"Caption\":\"fine\",\"x\":[1, 2] }\n",
            "\n",
            "{\"caption\": 5, \"text\": \"fix me\"}\n",
            "{\"z\":{\"caption\":\"nested\"},\"TEXT\":\"fix me ✓ #ad\"}\r\n",
            "{\"z\":0,\"text\":\"fix meé #ad\"}",
        );
        assert_eq!(run.text(), want);
        let done = run.done();
        assert_eq!((done.records, done.changed), (4, 3));
        assert_eq!(places(done), ["line 3", "line 6"]);
        assert!(done.errors[1].message.contains("must be a string"));
        assert_eq!(run.files(), ["out.jsonl"]);
    }

    #[test]
    fn jsonl_with_a_named_caption_field_and_in_place() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("posts.ndjson");
        fs::write(
            &path,
            "{\"caption\": \"fix me\", \"words\": \"fix me\"}\n\n\n",
        )
        .unwrap();
        let options = ReadOptions {
            fields: FieldNames {
                caption: Some("WORDS".into()),
                ..FieldNames::default()
            },
            ..ReadOptions::default()
        };
        let done = rewrite(&path, Kind::Jsonl, &options, &path, &mut add_ad).unwrap();
        assert_eq!(done.changed, 1);
        assert_eq!(
            fs::read_to_string(&path).unwrap(),
            "{\"caption\": \"fix me\", \"words\": \"fix me #ad\"}\n\n\n"
        );
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn csv_changes_only_caption_cells_and_keeps_bom_and_crlf() {
        let input: &[u8] = b"\xEF\xBB\xBF\"id\",Caption,likes\r\n\
            1,\"fix me, please\",10\r\n\
            2,\"keep\r\nthis\",\"quoted\"\r\n\
            \r\n\
            3,bad \xFF byte fix me,7\r\n\
            4,fix me,\"quoted\"\r\n\
            5,,\n\
            6,too,many,cells\r\n\
            ,,\r\n\
            \r\n\
            7,fix me";
        let run = copy("csv", input, Kind::Csv);
        // Rows that were not fixed are copied byte for byte; a fixed row's cells are written
        // anew, quoted where they need it, with its line ending kept.
        let want: &[u8] = b"\xEF\xBB\xBF\"id\",Caption,likes\r\n\
            1,\"fix me, please #ad\",10\r\n\
            2,\"keep\r\nthis\",\"quoted\"\r\n\
            \r\n\
            3,bad \xFF byte fix me,7\r\n\
            4,fix me #ad,quoted\r\n\
            5,,\n\
            6,too,many,cells\r\n\
            ,,\r\n\
            \r\n\
            7,fix me #ad";
        assert_eq!(
            String::from_utf8_lossy(&run.written()),
            String::from_utf8_lossy(want)
        );
        assert_eq!(run.written(), want);
        let done = run.done();
        assert_eq!((done.records, done.changed), (4, 3));
        assert_eq!(places(done), ["row 3", "row 5", "row 6"]);
    }

    #[test]
    fn a_csv_row_split_wrongly_is_copied_as_it_was() {
        let input =
            "id,caption\n1,ok\n2,\"broken quote\n3,\"next, row\"\n4,unquoted, comma\n5,fix me\n";
        let run = copy("csv", input.as_bytes(), Kind::Csv);
        assert_eq!(run.text(), input.replace("5,fix me", "5,fix me #ad"));
        assert_eq!(places(run.done()), ["row 2", "row 3"]);
    }

    #[test]
    fn tsv_and_other_separators_keep_theirs() {
        let run = copy("tsv", b"caption\tid\nfix me\t1\nok\t2\n", Kind::Tsv);
        assert_eq!(run.text(), "caption\tid\nfix me #ad\t1\nok\t2\n");
        let options = ReadOptions {
            delimiter: Some(b';'),
            ..ReadOptions::default()
        };
        let run = run_with(
            "csv",
            b"id;text\n1;fix me, then\n2;fine\n",
            Kind::Csv,
            &options,
            "out.csv",
        );
        assert_eq!(run.text(), "id;text\n1;fix me, then #ad\n2;fine\n");
        assert_eq!(run.done().changed, 1);
    }

    #[test]
    fn json_changes_only_the_caption_values() {
        let input = r#"{
  "meta": {"count": 3, "big": 123456789012345678901234567890, "f": 1.50},
  "posts": [
    {"id": "a", "caption": "fix me", "tags": ["x"]},
    5,
    {"caption": null, "text": "fix me"},
    {"Text":"keep"},
    {
        "z": 1,
        "TEXT"  :  "fix me \u00e9",
        "caption": "fix me"
    }
  ],
  "total": 5
}
"#;
        let run = copy("json", input.as_bytes(), Kind::Json);
        let want = input
            .replacen(r#""caption": "fix me","#, r#""caption": "fix me #ad","#, 1)
            .replacen(
                "\"caption\": \"fix me\"\n",
                "\"caption\": \"fix me #ad\"\n",
                1,
            );
        assert_eq!(run.text(), want);
        let done = run.done();
        assert_eq!((done.records, done.changed), (3, 2));
        assert_eq!(places(done), ["/posts/1", "/posts/2"]);
    }

    #[test]
    fn json_records_where_the_reader_finds_them() {
        // `--records`, with escaped tokens.
        let options = ReadOptions {
            records: Some("/a~1b/~0c".into()),
            ..ReadOptions::default()
        };
        let input = br#"{"z": [{"caption": "fix me"}], "a/b": {"~c": [{"caption": "fix me"}]}}"#;
        let run = run_with("json", input, Kind::Json, &options, "out.json");
        assert_eq!(
            run.text(),
            r#"{"z": [{"caption": "fix me"}], "a/b": {"~c": [{"caption": "fix me #ad"}]}}"#
        );
        // A top-level array after a byte-order mark.
        let run = copy(
            "json",
            "\u{feff}[{\"caption\":\"fix me\"},{\"caption\":\"ok\"}]".as_bytes(),
            Kind::Json,
        );
        assert_eq!(
            run.text(),
            "\u{feff}[{\"caption\":\"fix me #ad\"},{\"caption\":\"ok\"}]"
        );
        // Several arrays: the first is fixed and the others named.
        let input = br#"{"posts": [{"caption": "fix me"}], "drafts": [{"caption": "fix me"}]}"#;
        let run = copy("json", input, Kind::Json);
        assert_eq!(
            run.text(),
            r#"{"posts": [{"caption": "fix me #ad"}], "drafts": [{"caption": "fix me"}]}"#
        );
        assert!(run.done().errors[0].message.contains("--records /drafts"));
        // An export with no records is copied as it is.
        let run = copy("json", b"{\"posts\": [], \"meta\": {}}", Kind::Json);
        assert_eq!(run.text(), "{\"posts\": [], \"meta\": {}}");
        assert_eq!(run.done(), &Rewritten::default());
    }

    #[test]
    fn json_that_cannot_be_copied() {
        let run = copy(
            "json",
            br#"{"data": {"items": [{"caption": "fix me"}]}}"#,
            Kind::Json,
        );
        let e = run.result.as_ref().unwrap_err();
        assert!(e.contains("--records /data/items"), "{e}");
        assert!(run.files().is_empty(), "{:?}", run.files());

        let run = copy(
            "json",
            b"[\n{\"caption\": \"fix me\"},\n{\"caption\": \"x\" \"id\": 4}\n]",
            Kind::Json,
        );
        let e = run.result.as_ref().unwrap_err();
        assert!(e.starts_with("line 3: invalid JSON at column 17"), "{e}");
        assert!(run.files().is_empty(), "{:?}", run.files());
    }

    /// A workbook with a sheet of notes and a sheet of posts below a blank row.
    fn workbook(path: &Path) {
        use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
        let mut book = Workbook::new();
        book.add_worksheet()
            .set_name("Notes")
            .unwrap()
            .write_string(0, 0, "not copied")
            .unwrap();
        let sheet = book.add_worksheet().set_name("Posts").unwrap();
        let date = Format::new().set_num_format("yyyy-mm-dd");
        for (c, h) in ["id", "caption", "likes", "live", "posted"]
            .iter()
            .enumerate()
        {
            sheet.write_string(1, c as u16 + 1, *h).unwrap();
        }
        sheet.write_string(2, 1, "p-1").unwrap();
        sheet.write_string(2, 2, "fix me").unwrap();
        sheet.write_number(2, 3, 10).unwrap();
        sheet.write_boolean(2, 4, true).unwrap();
        let day = ExcelDateTime::from_ymd(2025, 10, 13).unwrap();
        sheet.write_datetime_with_format(2, 5, &day, &date).unwrap();
        sheet.write_number(4, 1, 2).unwrap();
        sheet.write_string(4, 2, "keep").unwrap();
        sheet.write_number(4, 3, 3.5).unwrap();
        sheet.write_string(5, 1, "p-3").unwrap();
        sheet.write_string(5, 3, "no caption").unwrap();
        sheet.write_string(6, 1, "p-4").unwrap();
        sheet.write_string(6, 2, "fix me too").unwrap();
        book.save(path).unwrap();
    }

    fn sheet(path: &Path, name: &str) -> calamine::Range<Data> {
        open_workbook_auto(path)
            .unwrap()
            .worksheet_range(name)
            .unwrap()
    }

    #[test]
    fn a_spreadsheet_copies_the_sheet_read_with_captions_fixed() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("book.xlsx");
        workbook(&input);
        let output = dir.path().join("fixed.XLSX");
        let options = ReadOptions {
            sheet: Some("posts".into()),
            ..ReadOptions::default()
        };
        let done = rewrite(&input, Kind::Xlsx, &options, &output, &mut add_ad).unwrap();
        assert_eq!((done.records, done.changed), (3, 2));
        assert_eq!(places(&done), ["row 4"]);
        let names = open_workbook_auto(&output).unwrap().sheet_names();
        assert_eq!(names, ["Posts"]);
        let (before, after) = (sheet(&input, "Posts"), sheet(&output, "Posts"));
        assert_eq!(before.start(), after.start());
        assert_eq!(before.end(), after.end());
        let mut changed = Vec::new();
        for (r, (a, b)) in before.rows().zip(after.rows()).enumerate() {
            for (c, (a, b)) in a.iter().zip(b).enumerate() {
                if a != b {
                    changed.push((r, c, a.clone(), b.clone()));
                }
            }
        }
        assert_eq!(
            changed,
            [
                (
                    1,
                    1,
                    Data::String("fix me".into()),
                    Data::String("fix me #ad".into())
                ),
                (
                    5,
                    1,
                    Data::String("fix me too".into()),
                    Data::String("fix me too #ad".into())
                ),
            ]
        );
        assert!(matches!(after.get((1, 4)), Some(Data::DateTime(d)) if d.as_f64() == 45943.0));
    }

    #[test]
    fn the_fixture_workbooks_error_cells_are_copied_as_text() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("out.xlsx");
        let options = ReadOptions {
            sheet: Some("Backup".into()),
            ..ReadOptions::default()
        };
        let done = rewrite(
            Path::new(SHEET_FIXTURE),
            Kind::Xlsx,
            &options,
            &output,
            &mut |_| None,
        )
        .unwrap();
        assert_eq!((done.records, done.changed), (2, 0));
        assert_eq!(done.errors.len(), 1);
        assert!(done.errors[0].message.contains("#N/A"));
        let (before, after) = (
            sheet(Path::new(SHEET_FIXTURE), "Backup"),
            sheet(&output, "Backup"),
        );
        assert_eq!(before.get_size(), after.get_size());
        for (a, b) in before.cells().zip(after.cells()) {
            match a.2 {
                Data::Error(e) => assert_eq!(b.2, &Data::String(e.to_string())),
                other => assert_eq!(b.2, other, "{:?}", a),
            }
        }
    }

    #[test]
    fn a_spreadsheet_that_cannot_be_copied() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("book.xlsx");
        workbook(&input);
        let output = dir.path().join("out.csv");
        let e = rewrite(
            &input,
            Kind::Xlsx,
            &ReadOptions::default(),
            &output,
            &mut add_ad,
        )
        .unwrap_err();
        assert!(e.contains("out.xlsx"), "{e}");
        let output = dir.path().join("out.xlsx");
        let options = ReadOptions {
            sheet: Some("Drafts".into()),
            ..ReadOptions::default()
        };
        let e = rewrite(&input, Kind::Xlsx, &options, &output, &mut add_ad).unwrap_err();
        assert_eq!(
            e,
            "no sheet `Drafts` (named by --sheet); the sheets are: Notes, Posts"
        );
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
        // The first sheet has no caption column: the copy is of the sheet the reader reads.
        let done = rewrite(
            &input,
            Kind::Xlsx,
            &ReadOptions::default(),
            &output,
            &mut add_ad,
        )
        .unwrap();
        assert_eq!(done.records, 3);
        let copy = calamine::open_workbook_auto(&output).unwrap();
        assert_eq!(copy.sheet_names(), ["Posts"]);
        // A sheet named that has none is an error, and nothing is written.
        let e = rewrite(
            &input,
            Kind::Xlsx,
            &ReadOptions {
                sheet: Some("Notes".into()),
                ..ReadOptions::default()
            },
            &dir.path().join("other.xlsx"),
            &mut add_ad,
        )
        .unwrap_err();
        assert!(e.starts_with("sheet `Notes`: no caption column"), "{e}");
        assert!(!dir.path().join("other.xlsx").exists());
    }

    #[test]
    fn a_failed_copy_leaves_the_output_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("input.csv");
        fs::write(&input, "id,words\n1,fix me\n").unwrap();
        let output = dir.path().join("out.csv");
        fs::write(&output, "old").unwrap();
        let e = rewrite(
            &input,
            Kind::Csv,
            &ReadOptions::default(),
            &output,
            &mut add_ad,
        )
        .unwrap_err();
        assert!(e.starts_with("no caption column"), "{e}");
        assert_eq!(fs::read_to_string(&output).unwrap(), "old");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 2);

        // A folder that does not exist, and an input that does not.
        let e = rewrite(
            &input,
            Kind::Csv,
            &ReadOptions::default(),
            &dir.path().join("none/out.csv"),
            &mut add_ad,
        )
        .unwrap_err();
        assert!(
            e.starts_with("could not write ") && e.ends_with("no such file or folder"),
            "{e}"
        );
        let e = rewrite(
            &dir.path().join("none.jsonl"),
            Kind::Jsonl,
            &ReadOptions::default(),
            &output,
            &mut add_ad,
        )
        .unwrap_err();
        assert_eq!(e, "could not open: no such file or folder");
        assert_eq!(fs::read_to_string(&output).unwrap(), "old");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 2);

        // Success replaces it.
        fs::write(&input, "id,text\n1,fix me\n").unwrap();
        let done = rewrite(
            &input,
            Kind::Csv,
            &ReadOptions::default(),
            &output,
            &mut add_ad,
        )
        .unwrap();
        assert_eq!(done.changed, 1);
        assert_eq!(
            fs::read_to_string(&output).unwrap(),
            "id,text\n1,fix me #ad\n"
        );
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 2);
    }

    #[test]
    fn text_files_are_not_exports() {
        let run = copy("txt", b"fix me", Kind::Text);
        assert!(run.result.is_err());
        assert!(run.files().is_empty());
    }

    #[test]
    fn fixing_to_the_same_text_is_no_change() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("a.jsonl");
        fs::write(&input, "{\"caption\": \"x\"}\n").unwrap();
        let output = dir.path().join("b.jsonl");
        let done = rewrite(
            &input,
            Kind::Jsonl,
            &ReadOptions::default(),
            &output,
            &mut |c| Some(c.text.clone()),
        )
        .unwrap();
        assert_eq!((done.records, done.changed), (1, 0));
        assert_eq!(
            fs::read_to_string(&output).unwrap(),
            "{\"caption\": \"x\"}\n"
        );
    }
}
