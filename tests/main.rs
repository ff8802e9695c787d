//! adlint's integration tests: one binary, one module per area.

mod ci_formats;
mod cli;
mod examples;
mod exports;
mod fetch;
mod fix;
mod gate;
mod hostile_fetch;
mod hostile_files;
mod hostile_inputs;
mod packs;
mod reliability;
mod reports;
mod snapshots;
mod support;
