#!/usr/bin/env bash
# Speed and memory of `adlint check` on a synthetic campaign export, side by side with a
# ripgrep pass and a Python `re` script doing the core checks. Release build; one machine, one run.
#
# Usage: bench/bench.sh [RECORDS]   (default 1000000; needs ../shared/bench/gen_corpus.py or
#        an existing export at $CORPUS; ripgrep is optional: apt-get install ripgrep)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000000}
corpus=${CORPUS:-/tmp/adlint-bench-$n.jsonl}
if [ ! -f "$corpus" ]; then
  python3 ../shared/bench/gen_corpus.py "$n" "$corpus"
fi
cargo build --release -q
bytes=$(stat -c %s "$corpus")
mb=$(python3 -c "print(round($bytes / 1e6, 1))")
echo "export: $corpus, $n records, $mb MB, $(nproc) cores"

measure() { # label, command...
  local label=$1; shift
  # adlint exits 1 when it finds problems; only the timing matters here.
  local out; out=$( { /usr/bin/time -f '%e %M' "$@" > /dev/null || true; } 2>&1 | tail -1)
  local secs=${out% *} kb=${out#* }
  python3 - "$label" "$secs" "$kb" "$n" "$bytes" <<'PY'
import sys
label, secs, kb, n, size = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
print(f"{label:<28} {secs:7.2f} s  {n / secs:>10,.0f} captions/s  {size / 1e6 / secs:6.1f} MB/s  peak RSS {kb / 1024:6.1f} MB")
PY
}

measure "adlint check --format jsonl" target/release/adlint check --no-config --format jsonl "$corpus"
# Language detection (FTC007, whatlang) is the largest single cost; this shows the rest.
measure "  same, --ignore FTC007" target/release/adlint check --no-config --ignore FTC007 --format jsonl "$corpus"
if command -v rg > /dev/null; then
  pattern='#ad\b|#ads\b|#sponsored|#paid\b|#gifted|paid partnership|sponsored|advertisement|paid link|i earn a commission|#sp\b|#spon\b|#collab|#partner\b|affiliate link|amzn\.to|rstyle\.me|liketk\.it|use code|giveaway'
  measure "rg -c -i (20 alternatives)" rg -c -i "$pattern" "$corpus"
else
  echo "rg not installed: skipping the ripgrep comparison"
fi
measure "python3 bench/baseline.py" python3 bench/baseline.py "$corpus"
