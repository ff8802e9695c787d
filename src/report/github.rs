//! `--format github`: GitHub Actions workflow commands.

use std::io::{self, Write};

use super::{Checked, Reporter, Summary};
use crate::input::InputError;

#[derive(Default)]
pub struct GithubReporter;

impl GithubReporter {
    pub fn new() -> Self {
        GithubReporter
    }
}

impl Reporter for GithubReporter {
    fn result(&mut self, _out: &mut dyn Write, _checked: &Checked<'_>) -> io::Result<()> {
        Ok(())
    }
    fn input_error(&mut self, _out: &mut dyn Write, _error: &InputError) -> io::Result<()> {
        Ok(())
    }
    fn finish(&mut self, _out: &mut dyn Write, _summary: &Summary) -> io::Result<()> {
        Ok(())
    }
}
