// What a person does with the page, whichever engine it has (adlint serve's API or the static
// build's WebAssembly): type a caption, see the findings and the fold, apply the fix after its
// diff, check the caption that comes back; then keyboard, labels and a phone's width.

import assert from "node:assert/strict";
import { chromium } from "playwright-core";

export const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";

export const CAPTION =
  "Morning routine update! I have been testing this vitamin C serum from @glowco for three weeks " +
  "and my skin has honestly never looked brighter. Link in bio, use code GLOW20 #sp #skincare";
export const FIXED =
  "#ad Morning routine update! I have been testing this vitamin C serum from @glowco for three weeks " +
  "and my skin has honestly never looked brighter. Link in bio, use code GLOW20 #skincare";

/** Headless Chromium from the system (never downloaded), with no background traffic. */
export function launch() {
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ],
  });
}

/** Wait until the page has chosen its engine; answers `server` or `wasm`. */
export async function engineOf(page) {
  await page.waitForFunction(() => ["server", "wasm"].includes(document.documentElement.dataset.engine), null,
    { timeout: 30_000 });
  return page.evaluate(() => document.documentElement.dataset.engine);
}

/** The caption flow, on a loaded page. `screenshot`: a path to save the page with findings. */
export async function captionFlow(page, { screenshot } = {}) {
  // The platforms come from the engine; Instagram's fold is drawn.
  await page.waitForSelector("#platform option[value=instagram]", { state: "attached" });
  await page.selectOption("#platform", "instagram");

  // Type the caption as a person does, and wait for the debounced check.
  await page.getByLabel("Caption text").fill("");
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

  // The fold is the engine's, grapheme clusters and lines included: a family emoji is one
  // character, and the fourth line is below the cut.
  await page.getByLabel("Caption text").fill("👨‍👩‍👧 one\ntwo\nthree\n#ad four");
  await page.waitForFunction(() => /three/.test(document.querySelector("#preview").textContent) &&
    document.querySelector("#preview .fold"));
  const head = await page.$eval("#preview", (p) => {
    let text = "";
    for (const node of p.childNodes) {
      if (node.classList && node.classList.contains("fold")) break;
      text += node.textContent;
    }
    return text;
  });
  assert.equal(head, "👨‍👩‍👧 one\ntwo\nthree");
  const family = "👨‍👩‍👧";
  await page.getByLabel("Caption text").fill(family.repeat(126) + " #ad");
  await page.waitForFunction((n) => document.querySelector("#preview").textContent.length === n,
    family.length * 126 + 4 + "… more".length);
  const heads = await page.$eval("#preview", (p) => {
    let text = "";
    for (const node of p.childNodes) {
      if (node.classList && node.classList.contains("fold")) break;
      text += node.textContent;
    }
    return text;
  });
  assert.equal(heads, family.repeat(125), "125 grapheme clusters show before the cut");
  await page.getByLabel("Caption text").fill("");
  await page.getByLabel("Caption text").pressSequentially(CAPTION, { delay: 0 });
  await page.waitForSelector("#findings li[data-code=FTC002]", { timeout: 15_000 });

  if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });

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
  const size = page.viewportSize();
  await page.setViewportSize({ width: 375, height: 800 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page scrolls sideways on a phone by ${overflow}px`);
  await page.setViewportSize(size);
}
