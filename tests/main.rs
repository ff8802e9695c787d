//! adlint's integration tests: one binary, one module per area.

mod cli;
mod examples;
mod exports;
mod reports;
mod snapshots;
