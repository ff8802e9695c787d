// The static build's service worker: after the first visit the page, the engine and its
// WebAssembly come from this cache, so adlint works offline. `web/build.sh` stamps the build
// into VERSION; a new build installs a new cache and drops the old one.
"use strict";

const VERSION = "__ADLINT_BUILD__";
const CACHE = "adlint-" + VERSION;
const FILES = ["index.html", "adlint_wasm.js", "adlint_wasm_bg.wasm", "manifest.webmanifest", "icon.svg"];

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE)
      .then((cache) => cache.addAll(FILES.map((f) => new Request(f, { cache: "reload" }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("adlint-") && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  const scope = new URL(self.registration.scope);
  if (url.origin !== scope.origin || !url.pathname.startsWith(scope.pathname)) return;
  if (request.mode === "navigate") {
    // The page, whatever its query says: a shared draft (?text=…) is read by the page from
    // the address and never sent to the host, even when the page is not cached yet.
    event.respondWith(
      caches.open(CACHE).then((cache) => cache.match("index.html"))
        .then((cached) => cached || fetch(new URL("index.html", scope), { cache: "no-store" })),
    );
    return;
  }
  const name = url.pathname.slice(scope.pathname.length);
  if (!FILES.includes(name)) return;
  event.respondWith(
    caches.open(CACHE).then((cache) => cache.match(name)).then((cached) => cached || fetch(request)),
  );
});
