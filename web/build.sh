#!/usr/bin/env bash
# Builds the static page into web/dist/: the page adlint serve shows, with the engine and the
# built-in packs compiled to WebAssembly, a web-app manifest and a service worker. Host the
# folder anywhere static (a GitHub Pages folder, any web server); it works offline once loaded.
#
#   web/build.sh            # from a fresh clone; needs rustup's Rust and cargo
#
# Installs what it needs only when missing: the wasm32-unknown-unknown target (rustup) and
# wasm-bindgen-cli at exactly the version of the wasm-bindgen crate in Cargo.lock (cargo
# install, from crates.io). wasm-opt (binaryen) shrinks the .wasm further: the one `npm ci`
# installs in web/test (npm's binaryen package), or one on PATH, if Node.js is there to try its
# output; without it the build is complete, only larger. WASM_OPT=off skips it;
# WASM_OPT=/path/to/wasm-opt picks one.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
out="$root/web/dist"
target_dir="$(cargo metadata --format-version 1 --no-deps | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')"
target_dir="${target_dir:-$root/target}"

step() { printf 'web/build.sh: %s\n' "$*" >&2; }

if command -v rustup >/dev/null; then
  rustup target list --installed | grep -qx wasm32-unknown-unknown ||
    rustup target add wasm32-unknown-unknown
fi

# wasm-bindgen-cli must be the wasm-bindgen crate's version exactly: the two share a schema.
version="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)"
if [ -z "$version" ]; then
  echo "web/build.sh: no wasm-bindgen in Cargo.lock" >&2
  exit 2
fi
if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $version" ]; then
  # Only the `wasm-bindgen` binary, without the TLS its test runner uses to download browser
  # drivers, and unoptimised: it builds in about 4 minutes on 2 cores instead of 10, and its
  # output is the same bytes (it takes 2 s here instead of 1).
  install=(cargo install wasm-bindgen-cli --version "$version" --bin wasm-bindgen
    --no-default-features --debug)
  step "installing wasm-bindgen-cli $version"
  # --locked first; a registry that lacks one of the locked versions gets the newest
  # compatible ones instead.
  if ! "${install[@]}" --locked; then
    step "installing wasm-bindgen-cli $version without --locked"
    "${install[@]}"
  fi
fi

step "building the engine for wasm32-unknown-unknown (profile wasm)"
cargo build -p adlint-wasm --lib --target wasm32-unknown-unknown --profile wasm
wasm="$target_dir/wasm32-unknown-unknown/wasm/adlint_wasm.wasm"

rm -rf "$out"
mkdir -p "$out"
wasm-bindgen --target web --no-typescript --out-dir "$out" "$wasm"
bg="$out/adlint_wasm_bg.wasm"

size() { printf '%s bytes raw, %s bytes gzip -9' "$(wc -c <"$1" | tr -d ' ')" "$(gzip -9 -c "$1" | wc -c | tr -d ' ')"; }
sizes="adlint_wasm_bg.wasm after wasm-bindgen: $(size "$bg")"

# wasm-opt: $WASM_OPT, else npm's binaryen from web/test (`npm ci` there installs it), else one on
# PATH. Its module is tried under Node.js before it is kept: Debian 12's binaryen 108, for one,
# gives a module whose externref table wasm-bindgen's start-up cannot fill (npm's 132 is fine).
opt="${WASM_OPT:-}"
if [ -z "$opt" ] && [ -x web/test/node_modules/.bin/wasm-opt ]; then
  opt="$root/web/test/node_modules/.bin/wasm-opt"
fi
if [ -z "$opt" ]; then
  opt="$(command -v wasm-opt || true)"
fi
opt_version="$([ -n "$opt" ] && [ "$opt" != off ] && "$opt" --version 2>/dev/null | sed -n 's/^wasm-opt version \([0-9]*\).*/\1/p' || true)"
if [ -n "$opt_version" ] && ! command -v node >/dev/null; then
  step "not using wasm-opt: Node.js is needed to try the module it gives"
  opt_version=""
fi
if [ -n "$opt_version" ]; then
  step "shrinking with wasm-opt $opt_version ($opt)"
  # The features Rust enables for wasm32-unknown-unknown; every current browser has them.
  "$opt" -Oz --strip-debug --strip-producers \
    --enable-bulk-memory --enable-sign-ext --enable-mutable-globals \
    --enable-nontrapping-float-to-int --enable-reference-types --enable-multivalue \
    "$bg" -o "$bg.opt"
  # The optimised module must still start and check a caption; otherwise keep the other one.
  if node --input-type=module -e '
      import fs from "node:fs";
      const dir = process.argv[1];
      fs.copyFileSync(dir + "/adlint_wasm.js", dir + "/smoke.mjs");
      const m = await import(dir + "/smoke.mjs");
      fs.rmSync(dir + "/smoke.mjs");
      m.initSync({ module: fs.readFileSync(dir + "/adlint_wasm_bg.wasm.opt") });
      const doc = JSON.parse(m.check("Loving this serum #sp", "{}"));
      if (doc.results[0].diagnostics[0].code !== "FTC002") throw new Error("wrong answer");
    ' "$out"; then
    mv "$bg.opt" "$bg"
    sizes="$sizes
adlint_wasm_bg.wasm after wasm-opt -Oz: $(size "$bg")"
  else
    rm -f "$bg.opt" "$out/smoke.mjs"
    step "the module wasm-opt $opt_version gave does not run: keeping the one wasm-bindgen gave"
  fi
else
  sizes="$sizes
(not shrunk with wasm-opt: none found, or WASM_OPT=off)"
fi

cp web/index.html web/manifest.webmanifest web/icon.svg "$out/"
# GitHub Pages: serve the folder as it is.
touch "$out/.nojekyll"
# The service worker's cache is named after the build, so a new build replaces the old cache.
build="$(cat "$out"/index.html "$out"/adlint_wasm.js "$bg" "$out"/manifest.webmanifest "$out"/icon.svg | sha256sum | cut -c1-16)"
sed "s/__ADLINT_BUILD__/$build/" web/sw.js >"$out/sw.js"

printf '%s\n' "$sizes" | tee "$target_dir/adlint-wasm-sizes.txt" >&2
step "done: $out ($(ls "$out" | tr '\n' ' '))"
