#!/usr/bin/env bash
# Load test of `adlint serve`: requests/s and latency (p50, p99) of POST /v1/check on loopback,
# for one caption and for batches of 100, and the server's memory under load. Release build;
# wrk (apt-get install wrk); bounded: DURATION seconds per scenario (default 10).
#
# Usage: bench/serve.sh   (CONNECTIONS=16 THREADS=2 DURATION=10 ADLINT_BIN=... to change)
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${DURATION:-10}
connections=${CONNECTIONS:-16}
threads=${THREADS:-2}
command -v wrk > /dev/null || { echo "wrk is not installed: apt-get install wrk" >&2; exit 2; }
if [ -z "${ADLINT_BIN:-}" ]; then
  cargo build --release -q
  ADLINT_BIN=target/release/adlint
fi
work=$(mktemp -d)
trap 'kill "$pid" 2> /dev/null || true; rm -rf "$work"' EXIT

"$ADLINT_BIN" serve --bind 127.0.0.1:0 --no-config --log-format off 2> "$work/stderr" &
pid=$!
for _ in $(seq 1 600); do
  grep -q 'listening on' "$work/stderr" 2> /dev/null && break
  sleep 0.1
done
base=$(grep -o 'http://[0-9.:]*' "$work/stderr" | head -1)
[ -n "$base" ] || { cat "$work/stderr" >&2; exit 2; }

# Payloads: one caption, and 100 varied ones (clean, weak label, below the fold, gifted...).
python3 - "$work" <<'PY'
import json, sys
work = sys.argv[1]
captions = [
    "Loving my new serum from @glowco! Use code GLOW20 for 20% off #skincare",
    "#ad Obsessed with the new @glowco vitamin C serum, my skin has never looked better",
    "Morning routine update! I have been testing this vitamin C serum from @glowco for three weeks and my skin has honestly never looked brighter. Link in bio, use code GLOW20 #sp #skincare",
    "Thanks @trailhead for the new boots, they arrived just in time for the hike #gifted #outdoors",
    "Sunday brunch with the best people ☀️🥞 #weekend #friends",
    "Paid partnership with @fitfuel: my go-to protein shake after every workout. Code FIT15 saves you 15%",
]
one = {"caption": captions[0], "platform": "instagram"}
batch = {"platform": "instagram", "captions": [
    {"id": f"post-{i}", "caption": captions[i % len(captions)] + f" (take {i})"} for i in range(100)
]}
json.dump(one, open(f"{work}/one.json", "w"))
json.dump(batch, open(f"{work}/batch.json", "w"))
PY
cat > "$work/post.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local f = assert(io.open(os.getenv("BODY"), "rb"))
wrk.body = f:read("*a")
f:close()
LUA

rss() { awk '/^VmRSS/ {print $2}' "/proc/$pid/status"; }
hwm() { awk '/^VmHWM/ {print $2}' "/proc/$pid/status"; }
echo "adlint serve at $base; $(nproc) cores; wrk -t$threads -c$connections -d${duration}s; idle RSS $(( $(rss) / 1024 )) MB"
for scenario in one batch; do
  BODY="$work/$scenario.json" wrk -t"$threads" -c"$connections" -d"${duration}s" --latency \
    -s "$work/post.lua" "$base/v1/check" > "$work/$scenario.out" &
  wrk_pid=$!
  peak=0
  while kill -0 "$wrk_pid" 2> /dev/null; do
    now=$(rss); [ "$now" -gt "$peak" ] && peak=$now
    sleep 0.2
  done
  wait "$wrk_pid"
  python3 - "$scenario" "$work/$scenario.out" "$peak" <<'PY'
import re, sys
scenario, path, peak = sys.argv[1], sys.argv[2], int(sys.argv[3])
out = open(path).read()
def ms(v):
    n, unit = re.match(r"([\d.]+)(us|ms|s)", v).groups()
    return float(n) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
p50 = ms(re.search(r"^\s*50%\s+(\S+)", out, re.M).group(1))
p99 = ms(re.search(r"^\s*99%\s+(\S+)", out, re.M).group(1))
errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
label = {"one": "1 caption / request", "batch": "100 captions / request"}[scenario]
per = 1 if scenario == "one" else 100
print(f"{label:<24} {rps:9,.0f} req/s  {rps * per:10,.0f} captions/s  p50 {p50:7.2f} ms  p99 {p99:7.2f} ms  RSS under load {peak / 1024:6.1f} MB"
      + (f"  non-2xx {errors.group(1)}" if errors else ""))
PY
done
echo "peak RSS (VmHWM) $(( $(hwm) / 1024 )) MB"
