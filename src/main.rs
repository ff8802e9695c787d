//! The `adlint` binary: runs the command line and turns its outcome into an exit code.

use std::io::{self, Write};
use std::process::ExitCode;

fn main() -> ExitCode {
    // Buffered stdout keeps large runs fast; `run` flushes it before deciding the exit code.
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let mut err = io::stderr();
    let code = adlint::run::main(&mut out, &mut err);
    let _ = out.flush();
    ExitCode::from(code)
}
