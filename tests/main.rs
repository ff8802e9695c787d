//! adlint's integration tests: one binary, one module per area.

mod action;
mod ci_formats;
mod ci_lines;
mod cli;
mod engine_paths;
mod eval_verdicts;
mod examples;
mod exports;
mod exports_real;
mod fetch;
mod fix;
mod gate;
mod hostile_fetch;
mod hostile_files;
mod hostile_inputs;
mod language;
mod markets;
mod memory;
mod packs;
mod pipeline;
mod reliability;
mod reports;
mod serve;
mod snapshots;
mod support;
