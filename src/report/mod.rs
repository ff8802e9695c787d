//! Renderers, one per output format. They write to the writer they are given; nothing else in
//! the library writes output.

pub mod audit;
pub mod csv;
pub mod github;
pub mod html;
pub mod human;
pub mod json;
pub mod junit;
pub mod rules;
pub mod sarif;
pub mod spool;
pub mod step_summary;

use std::io::{self, Write};

use crate::caption::Caption;
use crate::diagnostic::Diagnostic;
use crate::failure::InputError;

/// A checked caption: what the renderers need.
pub struct Checked<'a> {
    pub caption: &'a Caption,
    /// The resolved platform name (`generic` when unknown).
    pub platform: &'a str,
    pub diagnostics: &'a [Diagnostic],
    /// Indices of the packs that ran on the caption (its markets decide).
    pub packs: &'a [usize],
    /// Findings of this caption that the baseline absorbed: left out of `diagnostics` by
    /// `check`, kept in them by audits (a client-facing report shows every finding).
    pub baselined: usize,
}

pub use crate::contract::{Summary, Tally, plural};

/// Which packs a run used, for the outputs that name their versions (JSON, SARIF): the packs
/// of the run's markets, and any that a record's own market switched on.
#[derive(Debug, Clone)]
pub struct PacksUsed {
    packs: Vec<serde_json::Value>,
    used: Vec<bool>,
}

impl PacksUsed {
    pub fn new(rules: &crate::rules::RuleSet) -> Self {
        // A caption that names no market of its own gets the run's: its packs are always used.
        let active: Vec<usize> = rules.packs_for(&rules.markets).collect();
        PacksUsed {
            packs: rules
                .packs
                .iter()
                .map(|p| {
                    serde_json::json!({
                        "name": p.name,
                        "title": p.title,
                        "version": p.version,
                        "sources_read": p.sources_read,
                        "jurisdiction": p.jurisdiction,
                    })
                })
                .collect(),
            used: (0..rules.packs.len())
                .map(|i| active.contains(&i))
                .collect(),
        }
    }

    /// Note the packs that ran on one caption.
    pub fn add(&mut self, packs: &[usize]) {
        for &i in packs {
            if let Some(slot) = self.used.get_mut(i) {
                *slot = true;
            }
        }
    }

    pub fn is_used(&self, pack: usize) -> bool {
        self.used.get(pack).copied().unwrap_or(false)
    }

    /// `{name, version, sources_read, jurisdiction}` of each used pack, in load order.
    pub fn json(&self) -> Vec<serde_json::Value> {
        self.packs
            .iter()
            .zip(&self.used)
            .filter(|(_, used)| **used)
            .map(|(p, _)| p.clone())
            .collect()
    }
}

/// A renderer for `check` results.
pub trait Reporter {
    fn result(&mut self, out: &mut dyn Write, checked: &Checked<'_>) -> io::Result<()>;
    fn input_error(&mut self, out: &mut dyn Write, error: &InputError) -> io::Result<()>;
    fn finish(&mut self, out: &mut dyn Write, summary: &Summary) -> io::Result<()>;

    /// A renderer the checking threads can use, for formats whose output for one result does
    /// not depend on the others: what it renders is written with [`Reporter::rendered`].
    fn renderer(&self) -> Option<Box<dyn Render>> {
        None
    }

    /// Write a result [`Reporter::renderer`] rendered, in its turn, with what the format puts
    /// around results; `packs` are the packs that ran on it. The bytes are the same as
    /// [`Reporter::result`] would have written.
    fn rendered(&mut self, out: &mut dyn Write, bytes: &[u8], packs: &[usize]) -> io::Result<()> {
        let _ = packs;
        out.write_all(bytes)
    }
}

/// Renders one result on any thread, with nothing of the run but the result itself.
pub trait Render: Send + Sync {
    fn result(&self, buf: &mut Vec<u8>, checked: &Checked<'_>) -> io::Result<()>;
}
