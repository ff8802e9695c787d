// Browser test of the page `adlint serve` shows: headless Chromium from the system (Debian's
// `chromium` package; playwright-core never downloads a browser) types a caption, sees the
// findings and the fold, applies the fix after its diff and checks the caption that comes back.
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
import { chromium } from "playwright-core";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const bin = process.env.ADLINT_BIN || path.join(root, "target/debug/adlint");
const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";

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

const CAPTION =
  "Morning routine update! I have been testing this vitamin C serum from @glowco for three weeks " +
  "and my skin has honestly never looked brighter. Link in bio, use code GLOW20 #sp #skincare";
const FIXED =
  "#ad Morning routine update! I have been testing this vitamin C serum from @glowco for three weeks " +
  "and my skin has honestly never looked brighter. Link in bio, use code GLOW20 #skincare";

const { child, base } = await startServer();
const browser = await chromium.launch({
  executablePath,
  headless: true,
  args: [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
  ],
});
let failed = false;
try {
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  const external = [];
  page.on("request", (r) => { if (!r.url().startsWith(base)) external.push(r.url()); });
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(base + "/");

  // The platforms come from the server; Instagram's fold is drawn.
  await page.waitForSelector("#platform option[value=instagram]", { state: "attached" });
  await page.selectOption("#platform", "instagram");

  // Type the caption as a person does, and wait for the debounced check.
  await page.getByLabel("Caption text").pressSequentially(CAPTION, { delay: 2 });
  await page.waitForSelector("#findings li[data-code=FTC002]", { timeout: 15_000 });
  const status = await page.textContent("#status");
  assert.match(status, /1 finding: 1 error/);
  const marked = await page.$$eval("#preview mark", (ms) => ms.map((m) => m.textContent));
  assert.deepEqual(marked, ["#sp"], "the finding's words are highlighted");
  const fold = await page.$("#preview .fold");
  assert.ok(fold, "the fold is drawn");
  assert.equal(await fold.textContent(), "… more");
  // Instagram cuts at 125 characters: the marker sits after them, before the label.
  const before = await page.$eval("#preview", (p) => {
    let text = "";
    for (const node of p.childNodes) {
      if (node.classList && node.classList.contains("fold")) break;
      text += node.textContent;
    }
    return text;
  });
  assert.equal(before, CAPTION.slice(0, 125));
  assert.match(await page.textContent("#fold-note"), /instagram/);
  const link = await page.getAttribute("#findings li[data-code=FTC002] a", "href");
  assert.match(link, /^https:\/\//, "the finding links its source");

  if (process.env.SCREENSHOT) {
    await page.screenshot({ path: path.resolve(root, process.env.SCREENSHOT), fullPage: true });
  }

  // The fix: a diff first, then one click applies it.
  await page.getByRole("button", { name: /Fix what can be fixed/ }).click();
  await page.waitForSelector("#fix-panel:not(.hidden)");
  assert.deepEqual(await page.$$eval("#diff ins", (x) => x.map((e) => e.textContent)), ["#ad "]);
  assert.deepEqual(await page.$$eval("#diff del", (x) => x.map((e) => e.textContent)), [" #sp"]);
  await page.getByRole("button", { name: "Apply fix" }).click();
  assert.equal(await page.inputValue("#caption"), FIXED);
  await page.waitForFunction(() => /No findings/.test(document.querySelector("#status").textContent));
  assert.equal(await page.$$eval("#findings li", (l) => l.length), 0);

  // Keyboard: the controls are reachable by Tab, and every control has a label.
  const unlabelled = await page.$$eval("textarea, select, input", (els) =>
    els.filter((e) => !(e.labels && e.labels.length)).map((e) => e.id));
  assert.deepEqual(unlabelled, []);
  await page.focus("#caption");
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.id), "platform");

  // A phone: the page fits without sideways scrolling.
  await page.setViewportSize({ width: 375, height: 800 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page scrolls sideways on a phone by ${overflow}px`);

  assert.deepEqual(external, [], "the page loads nothing from elsewhere");
  assert.deepEqual(errors, [], "no script errors");
  console.log("page test: ok");
} catch (e) {
  failed = true;
  console.error("page test failed:", e);
} finally {
  await browser.close();
  child.kill("SIGTERM");
}
process.exit(failed ? 1 : 0);
