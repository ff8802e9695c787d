// Browser test of the page `adlint serve` shows: headless Chromium from the system (Debian's
// `chromium` package; playwright-core never downloads a browser) types a caption, sees the
// findings and the fold, applies the fix after its diff and checks the caption that comes back.
// The static build's test (static.test.mjs) runs the same flow on the WebAssembly engine.
//
//   ADLINT_BIN=target/debug/adlint CHROMIUM=/usr/bin/chromium node web/test/page.test.mjs
//   SCREENSHOT=docs/serve-page.png ...   also writes the README's screenshot
//
// Exits non-zero on the first failed expectation.

import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import path from "node:path";
import assert from "node:assert/strict";
import { launch, engineOf, captionFlow } from "./flow.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const bin = process.env.ADLINT_BIN || path.join(root, "target/debug/adlint");

function startServer() {
  const child = spawn(bin, ["serve", "--bind", "127.0.0.1:0", "--no-config", "--log-format", "off"], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the server did not say where it listens")), 60_000);
    const lines = createInterface({ input: child.stderr });
    lines.on("line", (line) => {
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
const browser = await launch();
let failed = false;
try {
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  const external = [];
  page.on("request", (r) => { if (!r.url().startsWith(base)) external.push(r.url()); });
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(base + "/");

  // Served by adlint serve, the page uses the server's API, and says so.
  assert.equal(await engineOf(page), "server");
  assert.match(await page.textContent("#privacy"), /only to the adlint server/);
  assert.ok(await page.$eval("#packs", (s) => s.classList.contains("hidden")), "no pack loading from the server's page");

  await captionFlow(page, { screenshot: process.env.SCREENSHOT && path.resolve(root, process.env.SCREENSHOT) });

  // A draft shared from another app arrives in the address, and leaves it at once.
  await page.goto(base + "/?text=" + encodeURIComponent("Shared draft #spon"));
  assert.equal(await engineOf(page), "server");
  assert.equal(await page.inputValue("#caption"), "Shared draft #spon");
  assert.equal(new URL(page.url()).search, "");
  await page.waitForSelector("#findings li[data-code=FTC002]", { timeout: 15_000 });

  assert.deepEqual(external, [], "the page loads nothing from elsewhere");
  assert.deepEqual(errors, [], "no script errors");
  console.log("page test (adlint serve): ok");
} catch (e) {
  failed = true;
  console.error("page test (adlint serve) failed:", e);
} finally {
  await browser.close();
  child.kill("SIGTERM");
}
process.exit(failed ? 1 : 0);
