/* Service worker of the phone perform page (scope /inspections/), served by views.service_worker.

   Only one job: an inspector who reloads or reopens /inspections/<id>/perform/ without a network
   gets the page (as last loaded online) instead of the browser's error page, so perform.js can
   show and later send what is kept in its IndexedDB outbox.

   - navigations to /inspections/<id>/perform/: network first; a 200 answer (not redirected) is
     stored under its own URL; offline -> the stored copy, else a short Chinese offline page.
     A redirect or any other status (signed out, not an inspector any more, task performed)
     removes the stored copy: a page is never shown from the cache to someone the server refused.
   - GET /static/... requested by the page: cache first, refreshed in the background (the page
     posts the URLs it uses at start, rendered with {% static %} into data-sw-assets).
   - everything else (API calls, other pages, any non-GET) passes through untouched, never cached.
   - message {type: "logout"} (perform.html, on the sign-out form) drops every stored page.
   The cache name carries the version below (a hash of this file): a new worker deletes old caches. */
"use strict";
const VERSION = "__VERSION__";
const PAGES = "anquan-perform-pages-" + VERSION;
const ASSETS = "anquan-perform-assets-" + VERSION;
const PERFORM = /^\/inspections\/\d+\/perform\/$/;
const OFFLINE_HTML = '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">' +
  '<meta name="viewport" content="width=device-width, initial-scale=1"><title>网络不可用</title>' +
  '<style>body{font-family:sans-serif;margin:2rem 1.2rem;line-height:1.6;color:#212529}' +
  'button{font-size:1rem;padding:.5rem 1.2rem}</style></head><body>' +
  '<h1 style="font-size:1.3rem">网络不可用</h1>' +
  '<p id="offline-message">网络不可用，已保存的记录不会丢失，请联网后重试。</p>' +
  '<button type="button" onclick="location.reload()">重试</button></body></html>';

self.addEventListener("install", function () { self.skipWaiting(); });

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (n) {
      return n.indexOf("anquan-perform-") === 0 && n !== PAGES && n !== ASSETS;
    }).map(function (n) { return caches.delete(n); }));
  }).then(function () { return self.clients.claim(); }));
});

function sameOriginStatic(url) {
  return url.origin === self.location.origin && url.pathname.indexOf("/static/") === 0;
}

self.addEventListener("message", function (event) {
  const data = event.data || {};
  if (data.type === "logout") {
    event.waitUntil(caches.delete(PAGES));
  } else if (data.type === "assets" && Array.isArray(data.urls)) {
    event.waitUntil(caches.open(ASSETS).then(function (cache) {
      return Promise.all(data.urls.map(function (u) {
        const url = new URL(u, self.location.href);
        if (!sameOriginStatic(url)) return null;
        return cache.match(url.href).then(function (hit) {
          if (hit) return null;
          return fetch(url.href, { credentials: "same-origin" }).then(function (r) {
            if (r.ok) return cache.put(url.href, r);
          }).catch(function () { /* offline: try again on the next start */ });
        });
      }));
    }));
  }
});

async function page(request) {
  const cache = await caches.open(PAGES);
  const key = new URL(request.url);
  key.search = "";
  key.hash = "";
  try {
    const response = await fetch(request);
    if (response.status === 200 && !response.redirected && response.type === "basic") {
      await cache.put(key.href, response.clone());
    } else {
      await cache.delete(key.href);  // signed out, refused, performed: forget the copy
    }
    return response;
  } catch (err) {
    const hit = await cache.match(key.href);
    if (hit) return hit;
    return new Response(OFFLINE_HTML, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
  }
}

async function asset(request) {
  // Cache first; the stored copy is refreshed in the background when online (static names are not
  // hashed here, so a new perform.js reaches the phone on the next load after a deploy).
  const cache = await caches.open(ASSETS);
  const hit = await cache.match(request.url);
  const fresh = fetch(request).then(function (response) {
    if (response.status === 200 && response.type === "basic") return cache.put(request.url, response.clone()).then(function () { return response; });
    return response;
  });
  if (hit) {
    fresh.catch(function () { /* offline: the stored copy serves */ });
    return hit;
  }
  return fresh;
}

self.addEventListener("fetch", function (event) {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && PERFORM.test(url.pathname)) {
    event.respondWith(page(request));
  } else if (sameOriginStatic(url) && request.mode !== "navigate") {
    event.respondWith(asset(request));
  }
});
