//! Spreadsheets (XLSX, XLSM, XLSB, XLS, ODS) with calamine: the first sheet or `--sheet NAME`.
//!
//! The first non-empty row is the header; each later row that is not empty is a record, numbered
//! from 1 below the header (empty rows count, so row `n` is always `n` rows below the header).
//! Cells become text as a person reads them: whole numbers without `.0`, dates in ISO 8601. A
//! formula error (`#DIV/0!`) in a cell the record uses is an input error naming the cell.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use calamine::{Cell, Data, Reader, Sheets, XlsxError, open_workbook_auto};

use super::record::{Columns, Field, build, row_values};
use super::{Event, InputError, ReadOptions, Sink, io_reason};
use crate::caption::Place;
use crate::limits;

/// Excel's grid (1,048,576 rows by 16,384 columns): no sheet of any format has a cell beyond it.
const MAX_ROWS: u32 = 1_048_576;
const MAX_COLUMNS: u32 = 16_384;

/// How many rows above the header may be titles, when the header is found by its names.
const MAX_TITLE_ROWS: usize = 10;

/// The sheet to read, its header row, and what to tell the user about how they were chosen.
pub struct Found {
    pub sheet: String,
    /// The sheet's cells, sorted by position.
    cells: Vec<Cell<Data>>,
    /// The header's row in the sheet (0-based, as calamine counts).
    pub header_row: u32,
    header: Vec<String>,
    columns: Columns,
    notes: Vec<String>,
}

/// Choose the sheet and its header row: `--sheet`, or the first sheet with a caption column
/// (the others are listed when none has one); `--header-row`, or the first of the first rows
/// whose names give a caption column (rows above it are titles).
pub fn find(
    workbook: &mut Sheets<BufReader<File>>,
    options: &ReadOptions,
) -> Result<Found, String> {
    let names = workbook.sheet_names();
    let candidates: Vec<String> = match options.sheet.as_deref() {
        None => names.clone(),
        Some(wanted) => {
            let found = names
                .iter()
                .find(|n| n.as_str() == wanted)
                .or_else(|| names.iter().find(|n| n.eq_ignore_ascii_case(wanted)));
            match found {
                Some(name) => vec![name.clone()],
                None => {
                    let near =
                        crate::suggest::did_you_mean(wanted, names.iter().map(String::as_str))
                            .map(|n| format!(" (did you mean `{n}`?)"))
                            .unwrap_or_default();
                    return Err(format!(
                        "no sheet `{wanted}` (named by --sheet){near}; the sheets are: {}",
                        names.join(", ")
                    ));
                }
            }
        }
    };
    if candidates.is_empty() {
        return Err("the workbook has no sheets".into());
    }
    let mut tried: Vec<String> = Vec::new();
    for sheet in &candidates {
        let mut cells = match guarded(|| sheet_cells(workbook, sheet)) {
            Ok(c) => c,
            Err(e) if candidates.len() == 1 => {
                return Err(format!("could not read sheet `{sheet}`: {e}"));
            }
            Err(e) => {
                tried.push(format!("`{sheet}` could not be read ({e})"));
                continue;
            }
        };
        // Rows are built from the cells one at a time, never as the sheet's whole rectangle:
        // two cells far apart (A1 and XFD1048576) would otherwise ask for billions of cells.
        cells.sort_by_key(|c| c.get_position());
        match header_of(&cells, options) {
            Ok((header_row, header, columns, titles)) => {
                let mut notes = Vec::new();
                if sheet != &names[0] && options.sheet.is_none() {
                    notes.push(format!(
                        "read sheet `{sheet}`: {} (name the sheet with --sheet)",
                        tried.join("; ")
                    ));
                }
                if titles > 0 && options.header_row.is_none() {
                    notes.push(format!(
                        "sheet `{sheet}`: the column names are on row {}: skipped {} above it (name the row with --header-row)",
                        header_row + 1,
                        crate::report::plural(titles, "title row")
                    ));
                }
                return Ok(Found {
                    sheet: sheet.clone(),
                    cells,
                    header_row,
                    header,
                    columns,
                    notes,
                });
            }
            Err(message) if candidates.len() == 1 => {
                return Err(format!("sheet `{sheet}`: {message}"));
            }
            Err(message) => tried.push(format!("`{sheet}` {message}")),
        }
    }
    Err(format!(
        "no sheet has a caption column (looked for {}; name it with --caption-field, and the sheet with --sheet): {}",
        Field::Caption.common_names().join(", "),
        tried.join("; ")
    ))
}

/// A sheet's header: its row, names and columns, and how many title rows are above it. The
/// error says why the sheet has none.
fn header_of(
    cells: &[Cell<Data>],
    options: &ReadOptions,
) -> Result<(u32, Vec<String>, Columns, usize), String> {
    let mut rows = cells.chunk_by(|a, b| a.get_position().0 == b.get_position().0);
    let names = |row: &[Cell<Data>]| -> Vec<String> {
        let first_col = cells.iter().map(|c| c.get_position().1).min().unwrap_or(0);
        let width = row
            .iter()
            .map(|c| (c.get_position().1 - first_col) as usize + 1)
            .max()
            .unwrap_or(0);
        let mut out = vec![String::new(); width];
        for c in row {
            out[(c.get_position().1 - first_col) as usize] = header_text(c.get_value());
        }
        out
    };
    if let Some(n) = options.header_row {
        let wanted = u32::try_from(n - 1).unwrap_or(u32::MAX);
        let Some(row) = rows.find(|r| r[0].get_position().0 == wanted) else {
            return Err(format!("row {n} (named by --header-row) is empty"));
        };
        let header = names(row);
        let columns = Columns::resolve(&header, &options.fields, options.fetch)?;
        return Ok((wanted, header, columns, 0));
    }
    let mut first_error = None;
    for (titles, row) in rows
        .filter(|r| !r.iter().all(|c| is_blank(c.get_value())))
        .take(MAX_TITLE_ROWS + 1)
        .enumerate()
    {
        let header = names(row);
        match Columns::resolve(&header, &options.fields, options.fetch) {
            Ok(columns) => return Ok((row[0].get_position().0, header, columns, titles)),
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    Err(first_error.unwrap_or_else(|| "is empty".into()))
}

pub fn read(source: &str, path: &Path, options: &ReadOptions, sink: &mut Sink<'_>) -> bool {
    let whole = |message: String| Event::Error(InputError::whole(source, message));
    if let Err(message) = unzipped_size_ok(path) {
        return sink(whole(message));
    }
    let mut workbook = match guarded(|| open_workbook_auto(path).map_err(|e| open_error(&e))) {
        Ok(w) => w,
        Err(message) => return sink(whole(message)),
    };
    let found = match find(&mut workbook, options) {
        Ok(found) => found,
        // An empty sheet has no records.
        Err(message) if message.ends_with(": is empty") => return true,
        Err(message) => return sink(whole(message)),
    };
    drop(workbook);
    for note in &found.notes {
        if !sink(Event::note(source, note.clone(), false)) {
            return false;
        }
    }
    let Found {
        cells,
        header_row,
        header,
        columns,
        ..
    } = found;
    let (Some(first_row), Some(first_col)) = (
        cells.iter().map(|c| c.get_position().0).min(),
        cells.iter().map(|c| c.get_position().1).min(),
    ) else {
        return true;
    };
    let mut rows = SparseRows {
        cells: cells.into_iter().peekable(),
        first_row,
        first_col,
    };
    let header_index = (header_row - first_row) as usize;
    // The URL column matters only when it may be fetched.
    let used: Vec<usize> = Field::ALL
        .iter()
        .filter(|f| options.fetch || **f != Field::Url)
        .filter_map(|f| columns.get(*f))
        .collect();
    // Cells right of every column a record reads are never read.
    let row_width = Field::ALL
        .iter()
        .filter_map(|f| columns.get(*f))
        .max()
        .map_or(0, |c| c + 1);
    while let Some((i, row)) = rows.next_row(row_width) {
        if i <= header_index || row.iter().all(is_blank) {
            continue;
        }
        let n = i - header_index;
        let cell_name = |col: usize| {
            format!(
                "{}{}",
                column_letters(first_col as usize + col),
                first_row as usize + i + 1
            )
        };
        let event = row_event(
            source, n, &row, &columns, &used, &header, cell_name, options,
        );
        if !sink(event) {
            return false;
        }
    }
    true
}

/// The cells of a sheet that hold something, in no particular order. XLSX and XLSB sheets
/// stream cell by cell; XLS and ODS come from calamine's range (their formats bound its size).
fn sheet_cells(
    workbook: &mut Sheets<BufReader<File>>,
    sheet: &str,
) -> Result<Vec<Cell<Data>>, String> {
    let mut cells = Vec::new();
    let mut push = |(row, col): (u32, u32), value: Data| {
        if matches!(value, Data::Empty) {
            return Ok(());
        }
        if row >= MAX_ROWS || col >= MAX_COLUMNS {
            return Err(format!(
                "a cell lies outside a spreadsheet's grid (row {}, column {})",
                u64::from(row) + 1,
                u64::from(col) + 1
            ));
        }
        cells.push(Cell::new((row, col), value));
        Ok(())
    };
    match workbook {
        Sheets::Xlsx(book) => {
            let mut reader = match book.worksheet_cells_reader(sheet) {
                Ok(r) => r,
                // A chart sheet has no cells.
                Err(XlsxError::NotAWorksheet(_)) => return Ok(cells),
                Err(e) => return Err(e.to_string()),
            };
            while let Some(cell) = reader.next_cell().map_err(|e| e.to_string())? {
                push(cell.get_position(), cell.get_value().clone().into())?;
            }
        }
        Sheets::Xlsb(book) => {
            let mut reader = book
                .worksheet_cells_reader(sheet)
                .map_err(|e| e.to_string())?;
            while let Some(cell) = reader.next_cell().map_err(|e| e.to_string())? {
                push(cell.get_position(), cell.get_value().clone().into())?;
            }
        }
        other => {
            let range = other.worksheet_range(sheet).map_err(|e| e.to_string())?;
            let (row0, col0) = range.start().unwrap_or_default();
            for (r, c, value) in range.used_cells() {
                push((row0 + r as u32, col0 + c as u32), value.clone())?;
            }
        }
    }
    Ok(cells)
}

/// A sheet's cells, sorted by position, handed out a row at a time.
struct SparseRows<I: Iterator<Item = Cell<Data>>> {
    cells: std::iter::Peekable<I>,
    first_row: u32,
    first_col: u32,
}

impl<I: Iterator<Item = Cell<Data>>> SparseRows<I> {
    /// The next row that has a cell: its index below the first row, and its first `width`
    /// cells from the first column (empty where the sheet has none).
    fn next_row(&mut self, width: usize) -> Option<(usize, Vec<Data>)> {
        let row = self.cells.peek()?.get_position().0;
        let mut values = vec![Data::Empty; width];
        while let Some(cell) = self.cells.next_if(|c| c.get_position().0 == row) {
            let col = (cell.get_position().1 - self.first_col) as usize;
            if let Some(slot) = values.get_mut(col) {
                *slot = cell.get_value().clone();
            }
        }
        Some(((row - self.first_row) as usize, values))
    }
}

/// Run calamine on untrusted bytes: a panic inside it (an overflow on a malformed cell
/// reference, say) becomes an error for this file, not the end of the run.
fn guarded<T>(read: impl FnOnce() -> Result<T, String>) -> Result<T, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(read)).unwrap_or_else(|panic| {
        let reason = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown".into());
        Err(format!(
            "the spreadsheet reader failed on this file ({reason})"
        ))
    })
}

#[allow(clippy::too_many_arguments)]
fn row_event(
    source: &str,
    n: usize,
    row: &[Data],
    columns: &Columns,
    used: &[usize],
    header: &[String],
    cell_name: impl Fn(usize) -> String,
    options: &ReadOptions,
) -> Event {
    let mut texts = Vec::with_capacity(row.len());
    for (col, cell) in row.iter().enumerate() {
        match cell {
            Data::Error(e) if used.contains(&col) => {
                let column = header.get(col).map(|h| h.trim()).unwrap_or_default();
                // Name the record by its id when that cell can be read, as `build` does.
                let id = columns
                    .get(Field::Id)
                    .and_then(|i| row.get(i))
                    .filter(|c| !matches!(c, Data::Error(_)))
                    .map(cell_text)
                    .map(|id| id.trim().to_string())
                    .filter(|id| !id.is_empty());
                return Event::Error(InputError {
                    source: source.to_string(),
                    record: Some(id.unwrap_or_else(|| n.to_string())),
                    place: Some(Place::Row(n)),
                    message: format!(
                        "cell {} (column `{column}`) holds the error {e}",
                        cell_name(col)
                    ),
                });
            }
            Data::Error(_) => texts.push(String::new()),
            other => texts.push(cell_text(other)),
        }
    }
    let cells: Vec<&str> = texts.iter().map(String::as_str).collect();
    Event::record(build(
        source,
        Place::Row(n),
        n.to_string(),
        row_values(columns, &cells),
        options,
    ))
}

/// A zipped workbook (XLSX, XLSM, XLSB, ODS) whose parts, decompressed, are larger in all than
/// [`limits::SPREADSHEET_UNZIPPED`] is refused before it is opened: a zip bomb of a few hundred
/// kilobytes would otherwise take gigabytes. The sizes come from the zip's directory, and the
/// zip reader never decompresses an entry past its declared size. Other files (XLS) pass.
pub(super) fn unzipped_size_ok(path: &Path) -> Result<(), String> {
    let mut file = File::open(path).map_err(|e| format!("could not open: {}", io_reason(&e)))?;
    let mut magic = [0u8; 4];
    if file.read_exact(&mut magic).is_err() || &magic != b"PK\x03\x04" {
        return Ok(());
    }
    let Ok(mut archive) = zip::ZipArchive::new(BufReader::new(file)) else {
        // Not a readable zip: calamine says what is wrong with it.
        return Ok(());
    };
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let size = archive.by_index_raw(i).map(|f| f.size()).unwrap_or(0);
        total = total.saturating_add(size);
    }
    if total > limits::SPREADSHEET_UNZIPPED {
        return Err(format!(
            "the workbook unzips to {}, over the {} limit for spreadsheets: not read",
            super::human_size(usize::try_from(total).unwrap_or(usize::MAX)),
            super::human_size(limits::SPREADSHEET_UNZIPPED as usize)
        ));
    }
    Ok(())
}

fn open_error(e: &calamine::Error) -> String {
    // An I/O error (no such file, permission denied) may be wrapped in a format's error.
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(c) = cause {
        if let Some(io) = c.downcast_ref::<std::io::Error>() {
            return format!("could not open: {}", io_reason(io));
        }
        cause = c.source();
    }
    format!("could not open the spreadsheet: {e}")
}

fn is_blank(cell: &Data) -> bool {
    match cell {
        Data::Empty => true,
        Data::String(s) => s.trim().is_empty(),
        _ => false,
    }
}

fn header_text(cell: &Data) -> String {
    match cell {
        Data::Error(e) => e.to_string(),
        other => cell_text(other),
    }
}

/// A cell as text, the way a person reads it.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        // Display prints whole floats without `.0` (12.0 → "12").
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) if dt.is_duration() => iso_duration(dt.as_f64()),
        Data::DateTime(dt) => {
            let (y, mo, d, h, mi, s, ms) = dt.to_ymd_hms_milli();
            let time = if ms > 0 {
                format!("{h:02}:{mi:02}:{s:02}.{ms:03}")
            } else {
                format!("{h:02}:{mi:02}:{s:02}")
            };
            let value = dt.as_f64();
            if (0.0..1.0).contains(&value) {
                time // A time of day with no date.
            } else if (h, mi, s, ms) == (0, 0, 0, 0) {
                format!("{y:04}-{mo:02}-{d:02}")
            } else {
                format!("{y:04}-{mo:02}-{d:02}T{time}")
            }
        }
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => e.to_string(),
    }
}

/// A duration in days as ISO 8601 (`PT36H30M`).
fn iso_duration(days: f64) -> String {
    let total_ms = (days * 86_400_000.0).round() as i64;
    let sign = if total_ms < 0 { "-" } else { "" };
    let total_ms = total_ms.unsigned_abs();
    let (h, rest) = (total_ms / 3_600_000, total_ms % 3_600_000);
    let (m, rest) = (rest / 60_000, rest % 60_000);
    let (s, ms) = (rest / 1000, rest % 1000);
    let mut out = format!("{sign}PT");
    if h > 0 {
        out.push_str(&format!("{h}H"));
    }
    if m > 0 {
        out.push_str(&format!("{m}M"));
    }
    if s > 0 || ms > 0 || (h == 0 && m == 0) {
        if ms > 0 {
            out.push_str(&format!("{s}.{ms:03}S"));
        } else {
            out.push_str(&format!("{s}S"));
        }
    }
    out
}

/// A 0-based column index as spreadsheet letters: 0 → A, 25 → Z, 26 → AA.
fn column_letters(mut col: usize) -> String {
    let mut letters = Vec::new();
    loop {
        letters.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{CellErrorType, ExcelDateTime, ExcelDateTimeType};

    #[test]
    fn cells_read_as_people_read_them() {
        assert_eq!(cell_text(&Data::Float(12.0)), "12");
        assert_eq!(cell_text(&Data::Float(-3.0)), "-3");
        assert_eq!(cell_text(&Data::Float(2.5)), "2.5");
        assert_eq!(cell_text(&Data::Int(102)), "102");
        assert_eq!(cell_text(&Data::Bool(true)), "true");
        assert_eq!(cell_text(&Data::String("#ad hi".into())), "#ad hi");
        assert_eq!(cell_text(&Data::Empty), "");
        let date =
            |v: f64| Data::DateTime(ExcelDateTime::new(v, ExcelDateTimeType::DateTime, false));
        // 45943.5 is 2025-10-13 12:00 in the 1900 epoch.
        assert_eq!(cell_text(&date(45943.0)), "2025-10-13");
        assert_eq!(cell_text(&date(45943.5)), "2025-10-13T12:00:00");
        assert_eq!(cell_text(&date(0.75)), "18:00:00");
        let duration = Data::DateTime(ExcelDateTime::new(1.5, ExcelDateTimeType::TimeDelta, false));
        assert_eq!(cell_text(&duration), "PT36H");
        assert_eq!(iso_duration(0.0), "PT0S");
        assert_eq!(iso_duration(1.0 / 24.0 + 90.5 / 86_400.0), "PT1H1M30.500S");
        assert_eq!(
            cell_text(&Data::DateTimeIso("2024-05-01T10:00:00".into())),
            "2024-05-01T10:00:00"
        );
        assert_eq!(cell_text(&Data::Error(CellErrorType::Div0)), "#DIV/0!");
    }

    #[test]
    fn column_letters_count_like_spreadsheets() {
        for (i, want) in [
            (0, "A"),
            (2, "C"),
            (25, "Z"),
            (26, "AA"),
            (27, "AB"),
            (701, "ZZ"),
            (702, "AAA"),
        ] {
            assert_eq!(column_letters(i), want, "{i}");
        }
    }

    fn header() -> (Vec<String>, Columns) {
        let header: Vec<String> = ["id", "caption", "likes", "sponsored"]
            .map(String::from)
            .to_vec();
        let columns = Columns::resolve(&header, &Default::default(), false).unwrap();
        (header, columns)
    }

    #[test]
    fn rows_become_captions_and_used_error_cells_are_errors() {
        let (header, columns) = header();
        let used: Vec<usize> = Field::ALL.iter().filter_map(|f| columns.get(*f)).collect();
        let options = ReadOptions::default();
        let row = [
            Data::Float(101.0),
            Data::String("#ad new drop".into()),
            Data::Error(CellErrorType::Div0),
            Data::Bool(true),
        ];
        let name = |c: usize| format!("{}7", column_letters(c));
        let Event::Caption(c) =
            row_event("c.xlsx", 3, &row, &columns, &used, &header, name, &options)
        else {
            panic!()
        };
        assert_eq!(c.origin.display(), "c.xlsx:row 3 (post 101)");
        assert_eq!(c.sponsored, Some(true));
        let row = [
            Data::Empty,
            Data::Error(CellErrorType::Ref),
            Data::Int(5),
            Data::Empty,
        ];
        let Event::Error(e) =
            row_event("c.xlsx", 4, &row, &columns, &used, &header, name, &options)
        else {
            panic!()
        };
        assert_eq!(e.location(), "c.xlsx:row 4");
        assert_eq!(e.record.as_deref(), Some("4"));
        assert_eq!(
            e.message,
            "cell B7 (column `caption`) holds the error #REF!"
        );
    }

    fn read_file(path: &Path, options: &ReadOptions) -> Vec<Event> {
        let mut out = Vec::new();
        read("book", path, options, &mut |e| {
            out.push(e);
            true
        });
        out
    }

    #[test]
    fn the_fixture_workbook() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/exports/campaign.xlsx");
        let summary = |events: &[Event]| -> Vec<String> {
            events
                .iter()
                .map(|e| match e {
                    Event::Caption(c) => c.origin.display(),
                    Event::Error(e) => format!("{}: {}", e.location(), e.message),
                    Event::Skipped { .. }
                    | Event::Fetch(_)
                    | Event::Lines(_)
                    | Event::Note { .. } => unreachable!(),
                })
                .collect()
        };
        let events = read_file(&path, &ReadOptions::default());
        assert_eq!(
            summary(&events),
            [
                "book:row 1 (post p-101)",
                "book:row 2 (post p-102)",
                "book:row 3 (post p-103)",
                "book:row 4 (post p-104)",
                "book:row 6 (post p-105)",
                "book:row 7 (post p-106)",
                "book:row 8 (post p-107)",
                "book:row 9 (post p-108)",
            ]
        );
        let Event::Caption(first) = &events[0] else {
            panic!()
        };
        assert_eq!(first.platform.as_deref(), Some("instagram"));
        assert_eq!(first.sponsored, Some(true));
        assert_eq!(first.brands, ["GlowLab"]);
        assert_eq!(first.creator.as_deref(), Some("@mia.moves"));
        let Event::Caption(fourth) = &events[3] else {
            panic!()
        };
        assert!(
            fourth.text.contains("stack 💪\nall from"),
            "{:?}",
            fourth.text
        );

        let backup = ReadOptions {
            sheet: Some("backup".into()),
            ..ReadOptions::default()
        };
        let events = read_file(&path, &backup);
        assert_eq!(
            summary(&events),
            [
                "book:row 1 (post b-1)",
                "book:row 2 (post 205)",
                "book:row 3: cell G6 (column `text`) holds the error #N/A",
            ]
        );
        assert_eq!(events.len(), 3);
        let Event::Caption(second) = &events[1] else {
            panic!()
        };
        assert_eq!(second.sponsored, Some(false));
        assert_eq!(second.platform.as_deref(), Some("tiktok"));
        let Event::Error(e) = &events[2] else {
            panic!()
        };
        assert_eq!(e.record.as_deref(), Some("b-3"));

        let missing = ReadOptions {
            sheet: Some("Drafts".into()),
            ..ReadOptions::default()
        };
        let events = read_file(&path, &missing);
        assert_eq!(
            summary(&events),
            ["book: no sheet `Drafts` (named by --sheet); the sheets are: Campaign, Backup"]
        );
    }

    fn hostile(name: &str) -> Vec<Event> {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/hostile")
            .join(name);
        read_file(&path, &ReadOptions::default())
    }

    /// Found while fixing the fuzzer's finding below: calamine fills the rectangle between a
    /// sheet's cells, so A1 and XFD1048576 in a 1.5 KB file asked for 17 billion cells and
    /// aborted the run.
    #[test]
    fn cells_far_apart_are_read_without_the_rectangle_between_them() {
        let events = hostile("cells_far_apart.xlsx");
        let [Event::Caption(c)] = &events[..] else {
            panic!("{events:?}")
        };
        assert_eq!(c.text, "#ad hi");
        assert_eq!(c.origin.display(), "book:row 1");
    }

    /// Found by fuzzing: a 17-letter column overflows calamine's arithmetic (a panic where
    /// overflow is checked, a wrapped column elsewhere). Either way the file is one error.
    #[test]
    fn a_malformed_cell_reference_is_an_error_for_the_file() {
        let events = hostile("cell_ref_overflow.xlsx");
        let [Event::Error(e)] = &events[..] else {
            panic!("{events:?}")
        };
        assert!(
            e.message.starts_with("could not read sheet `Posts`: "),
            "{}",
            e.message
        );
        let events = hostile("outside_grid.xlsx");
        let [Event::Error(e)] = &events[..] else {
            panic!("{events:?}")
        };
        assert_eq!(
            e.message,
            "could not read sheet `Posts`: a cell lies outside a spreadsheet's grid (row 2, column 16385)"
        );
    }

    #[test]
    fn a_file_that_is_not_a_workbook() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("fake.xlsx");
        std::fs::write(&path, "id,caption\n1,hi\n").unwrap();
        let events = read_file(&path, &ReadOptions::default());
        let [Event::Error(e)] = &events[..] else {
            panic!("{events:?}")
        };
        assert!(
            e.message.starts_with("could not open the spreadsheet: "),
            "{}",
            e.message
        );
        let events = read_file(&dir.path().join("none.xlsx"), &ReadOptions::default());
        let [Event::Error(e)] = &events[..] else {
            panic!("{events:?}")
        };
        assert_eq!(e.message, "could not open: no such file or folder");
    }
}
