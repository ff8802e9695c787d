// Browser test of the static build (web/dist, from web/build.sh): the same page with the engine
// compiled to WebAssembly. A tiny static server on 127.0.0.1 (node's http) serves the folder
// once; the service worker caches it; then the server is stopped and the network blocked, and
// the whole flow runs offline: type a caption, see the findings and the fold, apply the fix,
// check the result; load a rule pack (a broken one shows its mistakes with line and column);
// open a shared draft.
//
//   CHROMIUM=/usr/bin/chromium node web/test/static.test.mjs      (DIST=web/dist by default)
//   SCREENSHOT=docs/static-page.png ...   also writes a screenshot
//
// Exits non-zero on the first failed expectation.

import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import assert from "node:assert/strict";
import { launch, engineOf, captionFlow, until } from "./flow.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const dist = path.resolve(process.env.DIST || path.join(root, "web/dist"));
assert.ok(fs.existsSync(path.join(dist, "adlint_wasm_bg.wasm")), `no static build in ${dist}: run web/build.sh`);

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".wasm": "application/wasm",
  ".webmanifest": "application/manifest+json",
  ".svg": "image/svg+xml",
};
// Every request the host sees: only the build's files, never a caption.
const seen = [];
const server = http.createServer((req, res) => {
  seen.push(req.method + " " + req.url);
  const url = new URL(req.url, "http://host");
  const name = decodeURIComponent(url.pathname).replace(/^\/+/, "") || "index.html";
  const file = path.join(dist, name);
  if (req.method !== "GET" || !file.startsWith(dist + path.sep) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
    res.writeHead(404, { "content-type": "text/plain" });
    res.end("not found");
    return;
  }
  res.writeHead(200, { "content-type": TYPES[path.extname(file)] || "application/octet-stream", "cache-control": "no-cache" });
  fs.createReadStream(file).pipe(res);
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const base = `http://127.0.0.1:${server.address().port}`;

const browser = await launch();
let failed = false;
try {
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  const page = await context.newPage();
  const external = [];
  page.on("request", (r) => { if (!r.url().startsWith(base)) external.push(r.url()); });
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));

  // First visit, online: the page finds no server API and starts the WebAssembly engine.
  await page.goto(base + "/");
  assert.equal(await engineOf(page), "wasm");
  assert.match(await page.textContent("#privacy"), /never leaves this device/);
  await page.getByLabel("Caption text").pressSequentially("Loving this serum #spon", { delay: 1 });
  await page.waitForSelector("#findings li[data-code=FTC002]", { timeout: 15_000 });
  // The service worker has cached the build.
  const cached = await page.evaluate(async () => {
    const registration = await navigator.serviceWorker.ready;
    const keys = await caches.keys();
    const cache = await caches.open(keys.find((k) => k.startsWith("adlint-")));
    return { active: !!registration.active, files: (await cache.keys()).map((r) => new URL(r.url).pathname) };
  });
  assert.ok(cached.active, "the service worker is active");
  for (const f of ["/index.html", "/adlint_wasm.js", "/adlint_wasm_bg.wasm", "/manifest.webmanifest", "/icon.svg"]) {
    assert.ok(cached.files.includes(f), `${f} is cached (${cached.files})`);
  }
  const allowed = new Set(["/", "/index.html", "/adlint_wasm.js", "/adlint_wasm_bg.wasm", "/manifest.webmanifest",
    "/icon.svg", "/sw.js", "/healthz"]);
  for (const r of seen) {
    const [method, url] = r.split(" ");
    assert.equal(method, "GET", r);
    assert.ok(allowed.has(url), `the host saw only the build's files, not ${r}`);
  }

  // Offline: the host is gone and the network is blocked.
  const before = seen.length;
  await new Promise((resolve) => { server.close(resolve); server.closeAllConnections(); });
  await context.setOffline(true);
  await page.reload();
  assert.equal(await engineOf(page), "wasm");
  await captionFlow(page, { screenshot: process.env.SCREENSHOT && path.resolve(root, process.env.SCREENSHOT) });

  // A rule pack with a mistake: each mistake with its file, line and column; nothing breaks.
  await page.getByLabel("Rule pack (TOML)").fill('[pack]\nname = "house"\ntitle = "House"\nversion = 3\n');
  await page.getByRole("button", { name: "Use this pack" }).click();
  await page.waitForSelector("#pack-errors li");
  const mistakes = await page.$$eval("#pack-errors li", (l) => l.map((e) => e.textContent));
  assert.ok(mistakes.some((m) => /^pasted-pack\.toml:\d+:\d+: /.test(m)), mistakes.join("\n"));
  assert.match(await page.textContent("#pack-status"), /not used/);
  // A pack file: its rule runs beside the built-in ones, until the built-in packs alone are back.
  await page.setInputFiles("#pack-file", path.join(root, "fixtures/examples/my-pack.toml"));
  await until(page, () => /Using my-pack\.toml/.test(document.querySelector("#pack-status").textContent));
  assert.equal(await page.$$eval("#pack-errors li", (l) => l.length), 0);
  await page.getByLabel("Caption text").fill("#ad Giveaway time! Enter to win a skincare bundle from @glowlab");
  await page.waitForSelector("#findings li[data-code=HOUSE001]", { timeout: 15_000 });
  await page.getByRole("button", { name: "Built-in packs only" }).click();
  await until(page, () => /built-in packs only/.test(document.querySelector("#pack-status").textContent));
  await until(page, () => !document.querySelector("#findings li[data-code=HOUSE001]"));

  // A draft shared from another app (the manifest's share target), still offline.
  await page.goto(base + "/?text=" + encodeURIComponent("Shared draft #spon"));
  assert.equal(await engineOf(page), "wasm");
  assert.equal(await page.inputValue("#caption"), "Shared draft #spon");
  assert.equal(new URL(page.url()).search, "", "the draft leaves the address");
  await page.waitForSelector("#findings li[data-code=FTC002]", { timeout: 15_000 });

  assert.equal(seen.length, before, "nothing reached the host after going offline");
  assert.deepEqual(external, [], "the page loads nothing from elsewhere");
  assert.deepEqual(errors, [], "no script errors");
  const manifest = JSON.parse(fs.readFileSync(path.join(dist, "manifest.webmanifest"), "utf8"));
  assert.equal(manifest.share_target.params.text, "text");
  console.log("page test (static build, offline): ok");
} catch (e) {
  failed = true;
  console.error("page test (static build) failed:", e);
} finally {
  await browser.close();
  server.closeAllConnections();
}
process.exit(failed ? 1 : 0);
