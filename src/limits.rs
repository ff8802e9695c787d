//! The size caps on every file adlint reads whole, and the cap on threads.
//!
//! Exports stream record by record under `--max-caption-size` (see [`crate::input`]); the files
//! below are read into memory at once, so each has a fixed cap, far above any real file of its
//! kind, that keeps `--rules /dev/zero` from eating the machine. Past the cap the file is an
//! error naming the cap; nothing past it is read.

use std::fs::File;
use std::io::{self, BufRead, Read};
use std::path::Path;

/// A rule pack file (`--rules`, config `rules`): the built-in packs together are under 1 MB.
pub const RULE_FILE: u64 = 10_000_000;

/// A config file (`adlint.toml`, `--config`).
pub const CONFIG_FILE: u64 = 1_000_000;

/// A baseline (`--baseline`): about 400,000 findings.
pub const BASELINE_FILE: u64 = 64_000_000;

/// A list of post URLs (`--urls-from`), in all: about three million URLs.
pub const URL_LIST: u64 = 256_000_000;

/// One line of a URL list: no URL is this long.
pub const URL_LINE: usize = 64 * 1024;

/// The labelled file of `adlint eval`: about 200,000 captions.
pub const EVAL_FILE: u64 = 64_000_000;

/// A page kept in the `--cache` folder: a larger entry is a miss.
pub const CACHE_ENTRY: u64 = 64_000_000;

/// A spreadsheet's parts, decompressed, in all (see [`crate::input`]'s XLSX reader).
pub const SPREADSHEET_UNZIPPED: u64 = 256_000_000;

/// `--jobs` is capped at this many threads per core: more only costs start-up and memory.
pub const JOBS_PER_CORE: usize = 4;

/// The most checking threads `--jobs` may ask for on this machine.
pub fn max_jobs() -> usize {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    cores.saturating_mul(JOBS_PER_CORE).max(JOBS_PER_CORE)
}

/// Why a capped file could not be read.
#[derive(Debug)]
pub enum ReadError {
    Io(io::Error),
    /// The file has more than this many bytes.
    TooLarge(u64),
}

impl ReadError {
    /// The reason, for a message that names the file: `no such file or folder`, `it is larger
    /// than the 1 MB limit for config files`.
    pub fn reason(&self, what: &str) -> String {
        match self {
            ReadError::Io(e) => crate::input::io_reason(e),
            ReadError::TooLarge(cap) => format!(
                "it is larger than the {} limit for {what}",
                crate::input::human_size(usize::try_from(*cap).unwrap_or(usize::MAX))
            ),
        }
    }
}

/// Read at most `cap` bytes of `reader`; more is [`ReadError::TooLarge`] (and is not read).
pub fn read_capped(reader: impl Read, cap: u64) -> Result<Vec<u8>, ReadError> {
    let mut bytes = Vec::new();
    reader
        .take(cap.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > cap {
        return Err(ReadError::TooLarge(cap));
    }
    Ok(bytes)
}

/// The whole file at `path`, at most `cap` bytes.
pub fn read_file(path: &Path, cap: u64) -> Result<Vec<u8>, ReadError> {
    let file = File::open(path).map_err(ReadError::Io)?;
    if file.metadata().is_ok_and(|m| m.is_file() && m.len() > cap) {
        return Err(ReadError::TooLarge(cap));
    }
    read_capped(file, cap)
}

/// The whole file at `path` as UTF-8 text, at most `cap` bytes.
pub fn read_text(path: &Path, cap: u64) -> Result<String, ReadError> {
    let bytes = read_file(path, cap)?;
    String::from_utf8(bytes)
        .map_err(|e| ReadError::Io(io::Error::new(io::ErrorKind::InvalidData, e.utf8_error())))
}

/// One line of a stream, at most `max` bytes kept: `Ok(None)` at the end, `Ok(Some((line,
/// false)))` for a line over `max` bytes (read to its end and dropped, only its first `max`
/// bytes kept), without the newline.
pub fn read_line(reader: &mut impl BufRead, max: usize) -> io::Result<Option<(Vec<u8>, bool)>> {
    let mut line = Vec::new();
    let mut whole = true;
    let mut any = false;
    loop {
        let buf = match reader.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if buf.is_empty() {
            return Ok(any.then_some((line, whole)));
        }
        any = true;
        let (chunk, done) = match buf.iter().position(|&b| b == b'\n') {
            Some(i) => (&buf[..i], Some(i + 1)),
            None => (buf, None),
        };
        let room = max.saturating_sub(line.len());
        if chunk.len() > room {
            whole = false;
        }
        line.extend_from_slice(&chunk[..chunk.len().min(room)]);
        let used = done.unwrap_or(buf.len());
        reader.consume(used);
        if done.is_some() {
            return Ok(Some((line, whole)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_capped_read_stops_past_the_cap() {
        assert_eq!(read_capped(&b"abc"[..], 3).unwrap(), b"abc");
        let endless = io::repeat(0);
        assert!(matches!(
            read_capped(endless, 1000),
            Err(ReadError::TooLarge(1000))
        ));
        assert_eq!(
            ReadError::TooLarge(1_000_000).reason("config files"),
            "it is larger than the 1 MB limit for config files"
        );
    }

    #[test]
    fn long_lines_are_cut_and_marked() {
        let mut r = io::BufReader::with_capacity(4, &b"ab\nabcdefgh\n\nxyz"[..]);
        assert_eq!(read_line(&mut r, 5).unwrap(), Some((b"ab".to_vec(), true)));
        assert_eq!(
            read_line(&mut r, 5).unwrap(),
            Some((b"abcde".to_vec(), false))
        );
        assert_eq!(read_line(&mut r, 5).unwrap(), Some((Vec::new(), true)));
        assert_eq!(read_line(&mut r, 5).unwrap(), Some((b"xyz".to_vec(), true)));
        assert_eq!(read_line(&mut r, 5).unwrap(), None);
    }

    #[test]
    fn jobs_have_a_ceiling() {
        assert!(max_jobs() >= JOBS_PER_CORE);
    }
}
