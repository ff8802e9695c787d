"""The ``adlint`` command: the same command line as the standalone binary, run in-process."""

from __future__ import annotations

import signal
import sys

from ._adlint import cli


def main() -> None:
    """Run ``adlint`` with ``sys.argv`` and exit with its code (0 clean, 1 findings, 2 trouble)."""
    # Ctrl-C stops the run at once, as it does the binary (the check runs outside Python).
    if hasattr(signal, "SIGINT"):
        signal.signal(signal.SIGINT, signal.SIG_DFL)
    sys.stdout.flush()
    sys.stderr.flush()
    raise SystemExit(cli(["adlint", *sys.argv[1:]]))


if __name__ == "__main__":
    main()
