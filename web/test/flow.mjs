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

/**
 * Wait until `predicate(arg)` holds in the page. (Playwright's waitForFunction evaluates its
 * predicate as a string, which the page's Content-Security-Policy rightly forbids.)
 */
export async function until(page, predicate, arg, timeout = 15_000) {
  const end = Date.now() + timeout;
  while (!(await page.evaluate(predicate, arg))) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${predicate}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Wait until the page has chosen its engine; answers `server` or `wasm`. */
export async function engineOf(page) {
  await until(page, () => ["server", "wasm"].includes(document.documentElement.dataset.engine), null, 30_000);
  return page.evaluate(() => document.documentElement.dataset.engine);
}

/** The preview's text before the "… more" marker. */
function head(page) {
  return page.$eval("#preview", (p) => {
    let text = "";
    for (const node of p.childNodes) {
      if (node.classList && node.classList.contains("fold")) break;
      text += node.textContent;
    }
    return text;
  });
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
  assert.equal(await head(page), CAPTION.slice(0, 125));
  assert.match(await page.textContent("#fold-note"), /instagram/);
  const link = await page.getAttribute("#findings li[data-code=FTC002] a", "href");
  assert.match(link, /^https:\/\//, "the finding links its source");

  // The fold is the engine's, grapheme clusters and lines included: the fourth line is below
  // the cut, and a family emoji is one character of the 125.
  const family = "👨‍👩‍👧";
  for (const [caption, visible] of [
    [family + " one\ntwo\nthree\n#ad four", family + " one\ntwo\nthree"],
    [family.repeat(126) + " #ad", family.repeat(125)],
  ]) {
    await page.getByLabel("Caption text").fill(caption);
    await until(page, (c) => {
      const p = document.querySelector("#preview");
      return !!p.querySelector(".fold") && p.textContent.replace("… more", "") === c;
    }, caption);
    assert.equal(await head(page), visible);
  }
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
  await until(page, () => /No findings/.test(document.querySelector("#status").textContent));
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
