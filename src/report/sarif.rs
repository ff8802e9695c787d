//! `--format sarif`: SARIF 2.1.0.

use std::io::{self, Write};
use std::path::Path;

use super::{Checked, Reporter, Summary};
use crate::input::InputError;
use crate::rules::RuleSet;

pub struct SarifReporter;

impl SarifReporter {
    pub fn new(_rules: &RuleSet, _base: &Path) -> Self {
        SarifReporter
    }
}

impl Reporter for SarifReporter {
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
