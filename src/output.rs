//! Writing the files `adlint fix` produces (`--write`, `--output`) without harming what is
//! already there.
//!
//! - `-` is stdout.
//! - A symbolic link is followed: its target is written, the link stays a link.
//! - A regular file (or a new one) is replaced atomically: a temporary file beside it is written,
//!   flushed to disk (fsync), given the old file's permissions and owner, and renamed over it,
//!   then the folder is synced. A crash leaves the old file or the new one, never half of one.
//! - A regular file with other hard links is written in place once the new content is complete
//!   (a rename would cut it off from its other names), then synced. The same happens when the
//!   old owner cannot be given to a new file (adlint is not root and the file is someone
//!   else's but writable by it).
//! - A FIFO or a character device (`/dev/stdout`, `/dev/null`, a terminal) is written into;
//!   it is never replaced by a file.
//! - A folder, a block device or a socket is refused.
//! - A read-only file (no write permission bit, or not writable by this user) is refused unless
//!   forced.

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, Seek, Write};
use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::path::{Path, PathBuf};

use miette::Diagnostic;
use thiserror::Error;

/// Why an output could not be written.
#[derive(Debug, Error, Diagnostic)]
pub enum OutputError {
    #[error("{0} is a folder: give a file to write")]
    #[diagnostic(code(adlint::output))]
    Folder(String),
    #[error("{0} is a {1}: adlint writes only files, FIFOs and character devices")]
    #[diagnostic(code(adlint::output))]
    Unwritable(String, &'static str),
    #[error("{0} is a symbolic link to {1}, which does not exist")]
    #[diagnostic(code(adlint::output))]
    Dangling(String, String),
    #[error("{0} is read-only: not written")]
    #[diagnostic(
        code(adlint::output),
        help("make it writable, or pass --force to write it anyway")
    )]
    ReadOnly(String),
    #[error("could not write {0}: {1}")]
    #[diagnostic(code(adlint::output))]
    Io(String, String),
}

/// How an output is written.
#[derive(Debug)]
enum Plan {
    Stdout,
    /// A new file, or a regular file replaced atomically (with its metadata).
    Replace(PathBuf, Option<fs::Metadata>),
    /// A regular file written in place (its inode kept).
    InPlace(PathBuf),
    /// A FIFO or character device, written into as it is.
    Into(PathBuf),
}

fn shown(path: &Path) -> String {
    crate::paths::name(path)
}

fn io_error(path: &Path, e: &io::Error) -> OutputError {
    OutputError::Io(shown(path), crate::input::io_reason(e))
}

/// Decide how `path` is written. `force`: write read-only files too.
fn plan(path: &Path, force: bool) -> Result<Plan, OutputError> {
    if path.as_os_str() == "-" {
        return Ok(Plan::Stdout);
    }
    let link = match fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Ok(Plan::Replace(path.to_path_buf(), None));
        }
        Err(e) => return Err(io_error(path, &e)),
    };
    let (target, meta) = if link.file_type().is_symlink() {
        // What the link leads to (`/dev/stdout` leads to a pipe, which has no path).
        let meta = match fs::metadata(path) {
            Ok(meta) => meta,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                let to = fs::read_link(path).unwrap_or_default();
                return Err(OutputError::Dangling(shown(path), shown(&to)));
            }
            Err(e) => return Err(io_error(path, &e)),
        };
        if !meta.is_file() {
            (path.to_path_buf(), meta)
        } else {
            let target = fs::canonicalize(path).map_err(|e| io_error(path, &e))?;
            (target, meta)
        }
    } else {
        (path.to_path_buf(), link)
    };
    let kind = meta.file_type();
    if kind.is_dir() {
        return Err(OutputError::Folder(shown(path)));
    }
    if kind.is_fifo() || kind.is_char_device() {
        return Ok(Plan::Into(target));
    }
    if kind.is_block_device() {
        return Err(OutputError::Unwritable(shown(path), "block device"));
    }
    if kind.is_socket() {
        return Err(OutputError::Unwritable(shown(path), "socket"));
    }
    if !kind.is_file() {
        return Err(OutputError::Unwritable(shown(path), "special file"));
    }
    if !force && read_only(&target, &meta) {
        return Err(OutputError::ReadOnly(shown(path)));
    }
    if meta.nlink() > 1 {
        return Ok(Plan::InPlace(target));
    }
    Ok(Plan::Replace(target, Some(meta)))
}

/// No write permission bit at all, or not writable by this user. Root may write any file, so
/// the permission bits are what say that a file is meant to be left alone.
fn read_only(path: &Path, meta: &fs::Metadata) -> bool {
    meta.permissions().readonly()
        || OpenOptions::new()
            .write(true)
            .open(path)
            .is_err_and(|e| e.kind() == io::ErrorKind::PermissionDenied)
}

/// Write `bytes` to `path` as the module documentation says.
pub fn write_bytes(path: &Path, bytes: &[u8], force: bool) -> Result<(), OutputError> {
    write_with(path, force, |out| out.write_all(bytes).map_err(Fail::Write)).map_err(|e| match e {
        Fail::Output(e) => e,
        Fail::Write(e) => io_error(path, &e),
        Fail::Produce(message) => OutputError::Io(shown(path), message),
    })
}

/// Write `bytes` to `path` through a temporary file beside it, renamed into place, so a crash
/// never leaves a half-written file. An existing file's permissions are kept. Safe to call from
/// several threads at once: each has its own temporary file.
pub fn write_file_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let (mut file, temp) = create_temp(dir, &name)?;
    let temp = Temp(Some(temp));
    file.write_all(bytes)?;
    if let Ok(meta) = fs::metadata(path) {
        file.set_permissions(meta.permissions())?;
    }
    file.sync_all()?;
    drop(file);
    fs::rename(temp.path(), path)?;
    temp.keep();
    Ok(())
}

/// Why [`write_with`] failed.
#[derive(Debug)]
pub enum Fail {
    /// The output could not be opened, replaced or synced.
    Output(OutputError),
    /// Writing failed.
    Write(io::Error),
    /// The content could not be produced (a read error in the input): the message.
    Produce(String),
}

impl From<io::Error> for Fail {
    fn from(e: io::Error) -> Self {
        Fail::Write(e)
    }
}

/// Write the output at `path` with `produce`. The old content stays as it was when `produce`
/// fails, except in a FIFO or a device, which is written as `produce` goes.
pub fn write_with<T>(
    path: &Path,
    force: bool,
    produce: impl FnOnce(&mut dyn Write) -> Result<T, Fail>,
) -> Result<T, Fail> {
    match plan(path, force).map_err(Fail::Output)? {
        Plan::Stdout => {
            let stdout = io::stdout();
            let mut out = BufWriter::new(stdout.lock());
            let value = produce(&mut out)?;
            out.flush()?;
            Ok(value)
        }
        Plan::Into(target) => {
            let file = OpenOptions::new()
                .write(true)
                .open(&target)
                .map_err(|e| Fail::Output(io_error(path, &e)))?;
            let mut out = BufWriter::new(file);
            let value = produce(&mut out)?;
            out.flush()?;
            Ok(value)
        }
        Plan::Replace(target, old) => replace(path, &target, old.as_ref(), produce),
        Plan::InPlace(target) => {
            let (value, temp, mut content) = staged(path, &target, produce)?;
            drop(temp);
            overwrite(path, &target, &mut content)?;
            Ok(value)
        }
    }
}

/// Produce the content into a temporary file beside `target`, synced, and rewound.
fn staged<T>(
    path: &Path,
    target: &Path,
    produce: impl FnOnce(&mut dyn Write) -> Result<T, Fail>,
) -> Result<(T, Temp, File), Fail> {
    let dir = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let (file, temp) = create_temp(&dir, &name).map_err(|e| Fail::Output(io_error(path, &e)))?;
    let temp = Temp(Some(temp));
    let mut out = BufWriter::with_capacity(1 << 16, file);
    let value = produce(&mut out)?;
    let mut file = out.into_inner().map_err(|e| Fail::Write(e.into_error()))?;
    file.sync_all()?;
    file.rewind()?;
    Ok((value, temp, file))
}

/// The staged content becomes `target`: given the old file's mode and owner, renamed over it,
/// and the folder synced. When the owner cannot be kept, the old file is written in place.
fn replace<T>(
    path: &Path,
    target: &Path,
    old: Option<&fs::Metadata>,
    produce: impl FnOnce(&mut dyn Write) -> Result<T, Fail>,
) -> Result<T, Fail> {
    let (value, temp, mut content) = staged(path, target, produce)?;
    let fail = |e: io::Error| Fail::Output(io_error(path, &e));
    if let Some(old) = old {
        content.set_permissions(old.permissions()).map_err(fail)?;
        let mine = content.metadata().map_err(fail)?;
        if (mine.uid(), mine.gid()) != (old.uid(), old.gid()) {
            let owned = std::os::unix::fs::fchown(&content, Some(old.uid()), Some(old.gid()));
            if owned.is_err() {
                // Not allowed to give the file away: keep the old file, and its owner.
                drop(temp);
                overwrite(path, target, &mut content)?;
                return Ok(value);
            }
            // chown may clear set-user-ID bits: put the mode back.
            content.set_permissions(old.permissions()).map_err(fail)?;
        }
    }
    drop(content);
    fs::rename(temp.path(), target).map_err(fail)?;
    temp.keep();
    if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty())
        && let Ok(dir) = File::open(dir)
    {
        // Makes the rename itself durable; a folder that cannot be synced is not an error.
        let _ = dir.sync_all();
    }
    Ok(value)
}

/// Write the staged content into the existing file at `target`, keeping its inode (links,
/// owner, mode), and sync it.
fn overwrite(path: &Path, target: &Path, content: &mut File) -> Result<(), Fail> {
    let fail = |e: io::Error| Fail::Output(io_error(path, &e));
    let mut file = OpenOptions::new()
        .write(true)
        .truncate(true)
        .open(target)
        .map_err(fail)?;
    io::copy(content, &mut file).map_err(fail)?;
    file.sync_all().map_err(fail)
}

/// A new temporary file beside the target, named after it and this process, never one that
/// exists already.
fn create_temp(dir: &Path, name: &str) -> io::Result<(File, PathBuf)> {
    let mut n = 0u32;
    loop {
        let path = dir.join(format!(".{name}.adlint-{}-{n}.tmp", std::process::id()));
        match OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(file) => return Ok((file, path)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && n < 1000 => n += 1,
            Err(e) => return Err(e),
        }
    }
}

/// A temporary file, removed when dropped unless kept.
struct Temp(Option<PathBuf>);

impl Temp {
    pub(crate) fn path(&self) -> &Path {
        self.0.as_deref().unwrap_or(Path::new(""))
    }

    pub(crate) fn keep(mut self) {
        self.0 = None;
    }
}

impl Drop for Temp {
    fn drop(&mut self) {
        if let Some(path) = self.0.take() {
            let _ = fs::remove_file(path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn files(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_file_is_replaced_with_its_mode_and_no_temporary_left() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.txt");
        fs::write(&path, "old").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
        write_bytes(&path, b"new", false).unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "new");
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
        assert_eq!(files(dir.path()), ["c.txt"]);
    }

    #[test]
    fn links_stay_links() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.txt");
        let soft = dir.path().join("soft.txt");
        let hard = dir.path().join("hard.txt");
        fs::write(&real, "old").unwrap();
        std::os::unix::fs::symlink("real.txt", &soft).unwrap();
        fs::hard_link(&real, &hard).unwrap();
        write_bytes(&soft, b"via the link", false).unwrap();
        assert!(
            fs::symlink_metadata(&soft)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read_to_string(&real).unwrap(), "via the link");
        assert_eq!(fs::read_to_string(&hard).unwrap(), "via the link");
        write_bytes(&hard, b"via the hard link", false).unwrap();
        assert_eq!(fs::read_to_string(&real).unwrap(), "via the hard link");
        assert_eq!(fs::metadata(&real).unwrap().nlink(), 2);
        assert_eq!(files(dir.path()), ["hard.txt", "real.txt", "soft.txt"]);
    }

    #[test]
    fn read_only_files_need_force_and_folders_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ro.txt");
        fs::write(&path, "old").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o444)).unwrap();
        assert!(matches!(
            write_bytes(&path, b"new", false),
            Err(OutputError::ReadOnly(_))
        ));
        assert_eq!(fs::read_to_string(&path).unwrap(), "old");
        write_bytes(&path, b"new", true).unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "new");
        assert!(matches!(
            write_bytes(dir.path(), b"x", true),
            Err(OutputError::Folder(_))
        ));
        let dangling = dir.path().join("dangling");
        std::os::unix::fs::symlink("nowhere", &dangling).unwrap();
        assert!(matches!(
            write_bytes(&dangling, b"x", false),
            Err(OutputError::Dangling(..))
        ));
    }

    #[test]
    fn a_failed_producer_leaves_the_old_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.csv");
        fs::write(&path, "old").unwrap();
        let result = write_with(&path, false, |out| {
            out.write_all(b"half")?;
            Err::<(), _>(Fail::Produce("bad row".into()))
        });
        assert!(matches!(result, Err(Fail::Produce(_))));
        assert_eq!(fs::read_to_string(&path).unwrap(), "old");
        assert_eq!(files(dir.path()), ["c.csv"]);
    }

    #[test]
    fn a_character_device_is_written_into() {
        write_bytes(Path::new("/dev/null"), b"gone", false).unwrap();
        assert!(
            fs::metadata("/dev/null")
                .unwrap()
                .file_type()
                .is_char_device()
        );
    }
}
