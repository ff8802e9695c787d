// The WebAssembly engine (web/dist, from web/build.sh) under Node.js against the native one,
// over every caption in fixtures/:
//
// - each caption's result from the .wasm is the one `adlint check --format jsonl --no-config
//   fixtures` gives for it, once the place of the record (source, record, file_line: a file
//   here, a call there) is set aside;
// - every answer is byte for byte what `adlint serve` answers for the same call: check
//   (/v1/check), fix (/v1/fix), fold (/v1/fold), rules (/v1/rules), explain (/v1/rules/{code}).
//
// The captions and their context (platform, sponsored, brands, markets) are read by the CLI's
// own readers (the fixture_captions example of crates/adlint-wasm), so exports count as well as
// text files.
//
//   node web/test/engine.test.mjs      (ADLINT_BIN=target/debug/adlint, DIST=web/dist)

import { spawn, spawnSync } from "node:child_process";
import { createInterface } from "node:readline";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import assert from "node:assert/strict";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const bin = process.env.ADLINT_BIN || path.join(root, "target/debug/adlint");
const dist = path.resolve(process.env.DIST || path.join(root, "web/dist"));

function run(command, args) {
  const out = spawnSync(command, args, { cwd: root, encoding: "utf8", maxBuffer: 1 << 30 });
  if (out.error) throw out.error;
  return out;
}

// The engine: the page's own module, loaded in Node from the bytes of its .wasm.
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "adlint-wasm-"));
fs.copyFileSync(path.join(dist, "adlint_wasm.js"), path.join(tmp, "adlint_wasm.mjs"));
const wasm = await import(pathToFileURL(path.join(tmp, "adlint_wasm.mjs")).href);
wasm.initSync({ module: fs.readFileSync(path.join(dist, "adlint_wasm_bg.wasm")) });
fs.rmSync(tmp, { recursive: true, force: true });

// Every caption the CLI reads in fixtures/, with its context.
const dump = process.env.FIXTURE_CAPTIONS || path.join(root, "target/debug/examples/fixture_captions");
const listed = fs.existsSync(dump)
  ? run(dump, ["fixtures"])
  : run("cargo", ["run", "-q", "-p", "adlint-wasm", "--example", "fixture_captions", "--", "fixtures"]);
assert.equal(listed.status, 0, listed.stderr);
const captions = listed.stdout.split("\n").filter(Boolean).map((l) => JSON.parse(l));
assert.ok(captions.length >= 50, `only ${captions.length} captions in fixtures/`);

// What the CLI says about them, one line per record (input errors are lines of their own).
const cli = run(bin, ["check", "--format", "jsonl", "--no-config", "--color", "never", "fixtures"]);
const results = cli.stdout.split("\n").filter(Boolean).map((l) => JSON.parse(l)).filter((r) => !("error" in r));
assert.equal(results.length, captions.length, "the CLI checked the captions the readers gave");

let compared = 0;
const mismatches = [];
for (const [i, c] of captions.entries()) {
  const native = results[i];
  assert.equal(native.source, c.source);
  assert.equal(native.record, c.record);
  const doc = JSON.parse(wasm.check(c.caption, JSON.stringify(c.options)));
  assert.ok(doc.results, JSON.stringify(doc));
  const ours = doc.results[0];
  // Where the caption came from differs (a file here, a call there); nothing else may.
  ours.source = native.source;
  ours.record = native.record;
  const mine = { ...ours };
  delete mine.file_line;
  const theirs = { ...native };
  delete theirs.file_line;
  if (JSON.stringify(mine) !== JSON.stringify(theirs)) {
    mismatches.push(`${c.source} ${c.record ?? ""}\n  wasm: ${JSON.stringify(mine)}\n  cli:  ${JSON.stringify(theirs)}`);
  }
  compared++;
}
assert.deepEqual(mismatches, [], `the .wasm and the CLI disagree on ${mismatches.length} captions`);

// The same calls to `adlint serve`: the same bytes.
function startServer() {
  const child = spawn(bin, ["serve", "--bind", "127.0.0.1:0", "--no-config", "--log-format", "off"], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the server did not say where it listens")), 60_000);
    createInterface({ input: child.stderr }).on("line", (line) => {
      const m = line.match(/listening on (http:\/\/\S+)/);
      if (m) {
        clearTimeout(timer);
        resolve({ child, base: m[1] });
      }
    });
    child.on("exit", (code) => reject(new Error(`the server exited (${code}) before listening`)));
  });
}

const { child, base } = await startServer();
let served = 0;
try {
  const post = async (route, body) => {
    const r = await fetch(base + route, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    return r.text();
  };
  const get = async (route) => (await fetch(base + route)).text();
  const same = (what, ours, theirs) => {
    if (ours !== theirs) {
      throw new assert.AssertionError({ message: `${what}: the .wasm and adlint serve differ`, actual: ours, expected: theirs, operator: "===" });
    }
    served++;
  };
  for (const c of captions) {
    same(`check ${c.source} ${c.record}`, wasm.check(c.caption, JSON.stringify(c.options)),
      await post("/v1/check", { caption: c.caption, ...c.options }));
    same(`fix ${c.source} ${c.record}`, wasm.fix(c.caption, JSON.stringify(c.options)),
      await post("/v1/fix", { caption: c.caption, ...c.options }));
    for (const platform of [c.options.platform || "generic", "tiktok", "youtube"]) {
      same(`fold ${c.source} ${c.record} ${platform}`, wasm.fold(c.caption, platform),
        await post("/v1/fold", { caption: c.caption, platform }));
    }
  }
  same("rules", wasm.rules(), await get("/v1/rules"));
  for (const rule of JSON.parse(await get("/v1/rules")).rules) {
    same(`explain ${rule.code}`, wasm.explain(rule.code), await get("/v1/rules/" + rule.code));
  }
  // Mistakes are answers in the API's shape, not exceptions.
  const bad = JSON.parse(wasm.check("#ad hi", JSON.stringify({ platform: "instagrm" })));
  const badServed = JSON.parse(await post("/v1/check", { caption: "#ad hi", platform: "instagrm" }));
  assert.equal(bad.error.status, 400);
  assert.equal(bad.error.message, badServed.error.message);
  assert.equal(bad.error.help, badServed.error.help);
} finally {
  child.kill("SIGTERM");
}
console.log(`engine test: ${compared} captions from fixtures/ agree with the CLI; ${served} answers agree with adlint serve byte for byte`);
console.log(`${compared + served} passed, 0 failed`);
