//! Finding and reading `adlint.toml`: in the current folder or its parents, or the file
//! `--config` names. What the text says, and every mistake in it, is the core's
//! ([`adlint_core::config`], re-exported here).

use std::path::{Path, PathBuf};

use miette::Diagnostic;
use thiserror::Error;

pub use adlint_core::config::*;

/// A config file that could not be read or understood.
#[derive(Debug, Error, Diagnostic)]
pub enum ConfigError {
    #[error("could not read config file {path}: {reason}")]
    #[diagnostic(code(adlint::config))]
    Read { path: String, reason: String },
    #[error(transparent)]
    #[diagnostic(transparent)]
    Invalid(#[from] Box<InvalidConfig>),
}

/// A config as read: the parsed file, and the path it was read from (`None`: no config).
#[derive(Debug, Default)]
pub struct Loaded {
    pub file: ConfigFile,
    pub path: Option<PathBuf>,
}

impl Loaded {
    /// The folder the config's relative paths (`rules`) start from.
    pub fn base_dir(&self) -> PathBuf {
        self.path
            .as_ref()
            .and_then(|p| p.parent())
            .map(Path::to_path_buf)
            .unwrap_or_default()
    }
}

/// Look for `adlint.toml` in `start` and its parents.
pub fn discover(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .map(|dir| dir.join(FILE_NAME))
        .find(|p| p.is_file())
}

/// Read and parse a config file.
pub fn load(path: &Path) -> Result<Loaded, ConfigError> {
    let text = crate::limits::read_text(path, crate::limits::CONFIG_FILE).map_err(|e| {
        ConfigError::Read {
            path: path.display().to_string(),
            reason: e.reason("config files"),
        }
    })?;
    Ok(Loaded {
        file: ConfigFile::parse(&path.display().to_string(), text)?,
        path: Some(path.to_path_buf()),
    })
}
