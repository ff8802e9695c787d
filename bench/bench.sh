#!/usr/bin/env bash
# Speed and memory of `adlint check` on a synthetic campaign export, side by side, in one run:
# adlint (all cores), adlint with --jobs 1, the Python `re` script doing the core checks
# (bench/baseline.py) and a ripgrep count of the disclosure words; then the peak memory of every
# machine output format, and adlint's per-stage profile (ADLINT_PROFILE=1). Release build; one
# machine, one run: on a busy machine, run it twice.
#
# Usage: bench/bench.sh [RECORDS]   (default 1000000)
#   CORPUS=path      an existing JSONL export to use (else ../shared/bench/gen_corpus.py makes one)
#   ADLINT_ARGS=...  extra flags for every adlint run, e.g. "--ignore FTC007"
# ripgrep is optional (apt-get install ripgrep); its row is skipped when it is absent.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000000}
corpus=${CORPUS:-/tmp/adlint-bench-$n.jsonl}
if [ ! -f "$corpus" ]; then
  python3 ../shared/bench/gen_corpus.py "$n" "$corpus"
fi
cargo build --release -q
adlint=target/release/adlint
read -r -a extra <<< "${ADLINT_ARGS:-}"
records=$(wc -l < "$corpus")
bytes=$(stat -c %s "$corpus")
echo "export: $corpus, $records records, $(python3 -c "print(round($bytes / 1e6, 1))") MB, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
[ ${#extra[@]} -gt 0 ] && echo "adlint flags: ${extra[*]}"
printf '%-34s %8s %8s %12s %8s %9s\n' "" wall CPU captions/s MB/s "peak RSS"

timing=$(mktemp)
trap 'rm -f "$timing"' EXIT
measure() { # label, command...
  local label=$1; shift
  # adlint exits 1 when it finds problems; only the timing matters here.
  /usr/bin/time -o "$timing" -f '%e %U %S %M' "$@" > /dev/null 2>/dev/null || true
  read -r secs user sys kb < <(tail -1 "$timing")
  python3 - "$label" "$secs" "$user" "$sys" "$kb" "$records" "$bytes" <<'PY'
import sys
label, secs, user, sys_, kb, n, size = sys.argv[1], *map(float, sys.argv[2:6]), int(sys.argv[6]), int(sys.argv[7])
secs = max(secs, 0.01)
print(f"{label:<34} {secs:7.2f}s {user + sys_:7.2f}s {n / secs:>12,.0f} {size / 1e6 / secs:8.1f} {kb / 1024:7.1f} MB")
PY
  last_secs=$secs
}

measure "adlint check --format jsonl" "$adlint" check --no-config "${extra[@]}" --format jsonl "$corpus"
adlint_secs=$last_secs
measure "  same, --jobs 1" "$adlint" check --no-config "${extra[@]}" --jobs 1 --format jsonl "$corpus"
measure "python3 bench/baseline.py" python3 bench/baseline.py "$corpus"
python_secs=$last_secs
if command -v rg > /dev/null; then
  # ASCII word boundaries, as the Python script's and adlint's ASCII fast paths use.
  pattern='(?-u)#ad\b|#ads\b|#sponsored|#paid\b|#gifted|paid partnership|sponsored|advertisement|paid link|i earn a commission|#sp\b|#spon\b|#collab|#partner\b|affiliate link|amzn\.to|rstyle\.me|liketk\.it|use code|giveaway'
  measure "rg -c -i (20 alternatives, (?-u))" rg -c -i "$pattern" "$corpus"
else
  echo "rg not installed: skipping the ripgrep comparison"
fi
python3 -c "print(f'adlint / python: {$adlint_secs / $python_secs:.2f} of the time')"

echo
echo "memory by output format (adlint check, all cores):"
for format in json sarif junit csv; do
  measure "  --format $format" "$adlint" check --no-config "${extra[@]}" --format "$format" "$corpus"
done

echo
echo "per-stage profile (ADLINT_PROFILE=1, --format jsonl; thread time summed over threads):"
ADLINT_PROFILE=1 "$adlint" check --no-config "${extra[@]}" --format jsonl "$corpus" 2>&1 > /dev/null \
  | grep 'profile:' | sed 's/^adlint: profile: /  /' || true
