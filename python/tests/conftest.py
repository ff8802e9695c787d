"""Shared helpers: the installed `adlint` command and sample captions."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest


def adlint_command() -> list[str]:
    """The `adlint` console script the wheel installed (beside this interpreter)."""
    script = Path(sys.executable).parent / "adlint"
    if script.exists():
        return [str(script)]
    found = shutil.which("adlint")
    if found:
        return [found]
    return [sys.executable, "-m", "adlint"]


def cli_findings(path: Path, *args: str) -> dict[str, list[dict]]:
    """`adlint check --no-config --format jsonl PATH`: each record's findings, by record id."""
    run = subprocess.run(
        [*adlint_command(), "check", "--no-config", "--format", "jsonl", *args, str(path)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert run.returncode in (0, 1), run.stderr
    out = {}
    for line in run.stdout.splitlines():
        result = json.loads(line)
        assert "error" not in result, result
        out[result["record"]] = result["diagnostics"]
    return out


@pytest.fixture
def cli():
    return cli_findings
