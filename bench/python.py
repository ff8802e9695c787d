#!/usr/bin/env python3
"""`Linter.check_many` over a JSONL export, beside the CLI on the same file.

Usage: bench/python.py [EXPORT.jsonl] [ADLINT_BINARY]
       (defaults: /tmp/c1m.jsonl and target/release/adlint)

Needs the adlint package installed in this Python, built in release:
    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install maturin
    /tmp/venv/bin/maturin build --release --manifest-path python/Cargo.toml --out /tmp/wheels
    /tmp/venv/bin/pip install /tmp/wheels/adlint-*.whl
    cargo build --release && /tmp/venv/bin/python bench/python.py

Both sides use the built-in packs, the `us` market and no config (`--no-config`). The Python
figure counts check_many only (the records are already dicts), and separately the whole job
from the file (json.loads of every line, then check_many). CPU is user + system time of all
threads: on a machine shared with other jobs it says more than the wall clock. One run.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time

import adlint


def main() -> None:
    export = sys.argv[1] if len(sys.argv) > 1 else "/tmp/c1m.jsonl"
    binary = sys.argv[2] if len(sys.argv) > 2 else "target/release/adlint"
    start = time.perf_counter()
    with open(export, encoding="utf-8") as f:
        records = [json.loads(line) for line in f if line.strip()]
    loaded = time.perf_counter() - start
    n = len(records)
    lint = adlint.Linter()
    print(f"export: {export}, {n:,} records, {os.path.getsize(export) / 1e6:.1f} MB, {os.cpu_count()} cores")

    start, cpu = time.perf_counter(), time.process_time()
    results = lint.check_many(records, errors="skip")
    checked, cpu = time.perf_counter() - start, time.process_time() - cpu
    findings = sum(len(r) for r in results)
    del results
    print(f"{'check_many (dicts)':<32} {checked:7.2f} s  {n / checked:>10,.0f} captions/s  "
          f"CPU {cpu:6.1f} s  {findings:,} findings")
    total = loaded + checked
    print(f"{'json.loads + check_many':<32} {total:7.2f} s  {n / total:>10,.0f} captions/s")

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    cli = subprocess.run(
        [binary, "check", "--no-config", "--format", "jsonl", export],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        check=False,
    )
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cli_cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    cli_findings = sum(len(json.loads(line).get("diagnostics", [])) for line in cli.stdout.splitlines())
    print(f"{'CLI check --format jsonl':<32} {elapsed:7.2f} s  {n / elapsed:>10,.0f} captions/s  "
          f"CPU {cli_cpu:6.1f} s  {cli_findings:,} findings")
    if cli_findings != findings:
        print(f"note: the CLI found {cli_findings:,} findings, check_many {findings:,}")


if __name__ == "__main__":
    main()
