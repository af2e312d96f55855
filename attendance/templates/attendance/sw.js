/* Service worker of the check-in screen, served by attendance.offline.checkin_worker at /checkin/sw.js:
 * its scope is /checkin/, the check-in pages only. Plain JS, no build step, no CDN.
 *
 * - install: keeps the screen's static files (bootstrap, htmx, jsQR, checkin.js, the manifest and icons);
 * - the static files: from the kept copy (their names change with their content);
 * - a check-in page (a navigation in scope): network first, and kept; the kept copy when offline;
 * - the page asks (postMessage {type: "keep", urls}) to keep more addresses: itself, the session list,
 *   the paper sheet (fetched again when its kept copy is older than CONFIG.freshMs); any GET of a kept
 *   address is network first with the kept copy when offline.
 * Kept answers are only 200s of our origin that were not redirected (never a login page).
 */
"use strict";

var CONFIG = {{ config|safe }};
var CACHE = CONFIG.cache;

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.addAll(CONFIG.assets); }).then(function () {
    return self.skipWaiting();
  }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("psp-checkin-") === 0 && name !== CACHE;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

function keepable(response) {
  return response && response.ok && !response.redirected && response.type === "basic";
}

function keep(request, response) {
  if (!keepable(response)) return Promise.resolve(false);
  return caches.open(CACHE).then(function (cache) { return cache.put(request, response); }).then(function () { return true; });
}

function kept(request) {
  return caches.match(request, { ignoreVary: true });
}

function networkFirst(request, store) {
  return fetch(request).then(function (response) {
    if (store) keep(request, response.clone());
    return response;
  }, function () {
    return kept(request).then(function (answer) { return answer || Response.error(); });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (CONFIG.assets.indexOf(url.pathname) !== -1) {
    event.respondWith(kept(request).then(function (answer) { return answer || fetch(request); }));
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(networkFirst(request, url.pathname.indexOf(CONFIG.scope) === 0));
    return;
  }
  event.respondWith(kept(request).then(function (answer) {
    // Only addresses the page asked to keep are refreshed here; anything else goes to the network as usual.
    return answer ? networkFirst(request, true) : fetch(request);
  }));
});

self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type !== "keep" || !Array.isArray(data.urls)) return;
  var port = event.ports && event.ports[0];
  var work = Promise.all(data.urls.map(function (address) {
    var url = new URL(address, self.location.origin);
    if (url.origin !== self.location.origin) return false;
    return kept(url.href).then(function (answer) {
      // A copy kept less than FRESH_MS ago is enough (a page opened again refreshes itself when navigated to).
      var date = answer ? Date.parse(answer.headers.get("Date") || "") : NaN;
      if (answer && Date.now() - date < CONFIG.freshMs) return true;
      return fetch(url.href, { credentials: "same-origin" }).then(function (response) {
        return keep(url.href, response);
      }, function () { return !!answer; });
    });
  })).then(function (results) {
    if (port) port.postMessage({ kept: results.filter(Boolean).length, asked: results.length });
  });
  if (event.waitUntil) event.waitUntil(work);
});
