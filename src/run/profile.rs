//! A per-stage profile of `check`, for benchmarks: with `ADLINT_PROFILE=1` in the environment,
//! the time spent reading, parsing, checking, rendering and writing is summed over the threads
//! that did it and printed to stderr at the end, with the run's peak resident memory. Off, each
//! stage costs one relaxed load of a flag.
//!
//! The times are wall-clock time inside each stage on its thread: on a machine busy with other
//! work they include time the thread waited for a core.

use std::io::Write;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

/// The stages of a run.
#[derive(Clone, Copy)]
pub(super) enum Stage {
    /// Reading inputs and finding records (the reading thread), parsing all but deferred JSONL.
    Read,
    /// Parsing deferred JSONL lines into captions (the checking threads).
    Parse,
    /// The engine (the checking threads).
    Check,
    /// Rendering results into bytes (the checking threads).
    Render,
    /// Suppressions, counts and writing in order (the main thread), and the end of the document.
    Write,
}

const NAMES: [&str; 5] = ["read", "parse", "check", "render", "write"];

static NANOS: [AtomicU64; 5] = [const { AtomicU64::new(0) }; 5];

/// Whether the profile is on (`ADLINT_PROFILE` set and not empty or `0`).
pub(super) fn on() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| {
        std::env::var_os("ADLINT_PROFILE").is_some_and(|v| !v.is_empty() && v != "0")
    })
}

/// Run `f`, adding its time to `stage` when the profile is on.
pub(super) fn time<T>(stage: Stage, f: impl FnOnce() -> T) -> T {
    if !on() {
        return f();
    }
    let start = Instant::now();
    let value = f();
    add(stage, start);
    value
}

/// Add the time since `start` to `stage`.
pub(super) fn add(stage: Stage, start: Instant) {
    NANOS[stage as usize].fetch_add(start.elapsed().as_nanos() as u64, Ordering::Relaxed);
}

/// Time counted in `stage` that was spent waiting on another stage (the reader waiting for
/// room in the channel), taken away when the profile is printed.
static WAITED: [AtomicU64; 5] = [const { AtomicU64::new(0) }; 5];

/// Take the time since `start` away from `stage`: it was spent waiting.
pub(super) fn subtract(stage: Stage, start: Instant) {
    WAITED[stage as usize].fetch_add(start.elapsed().as_nanos() as u64, Ordering::Relaxed);
}

/// Print the profile, when it is on.
pub(super) fn report(stderr: &mut dyn Write, started: Instant) {
    if !on() {
        return;
    }
    let stages: Vec<String> = NAMES
        .iter()
        .zip(NANOS.iter().zip(&WAITED))
        .map(|(name, (nanos, waited))| {
            let nanos = nanos
                .load(Ordering::Relaxed)
                .saturating_sub(waited.load(Ordering::Relaxed));
            let secs = nanos as f64 / 1e9;
            format!("{name} {secs:.2} s")
        })
        .collect();
    let peak = peak_rss_kb().map_or_else(|| "unknown".into(), |kb| format!("{kb} KB"));
    let _ = writeln!(
        stderr,
        "adlint: profile: {} (thread time per stage); wall {:.2} s; peak RSS {peak}",
        stages.join(", "),
        started.elapsed().as_secs_f64()
    );
}

/// This process's peak resident memory (`VmHWM`), in KB, where `/proc` says.
fn peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
