/* Mueve — service worker of the reporting page (scope /reportes/). Keeps the page and its files on the phone so it
 * opens without network, and sends queued reports with Background Sync where the browser has it. */
"use strict";
importScripts("{{ queue_js|escapejs }}");

var CACHE = "mueve-reportes-{{ version }}";
var PRECACHE = [{% for url in precache %}"{{ url|escapejs }}"{% if not forloop.last %}, {% endif %}{% endfor %}];
var NEW_URL = "{{ new_url|escapejs }}";

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(CACHE).then(function (cache) { return cache.addAll(PRECACHE); }).then(function () {
      return self.skipWaiting();
    })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf("mueve-reportes-") === 0 && name !== CACHE;
      }).map(function (name) { return caches.delete(name); }));
    }).then(function () { return self.clients.claim(); })
  );
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && url.pathname === NEW_URL) {
    // The page fresh from the network when there is one (new categories, a fresh CSRF token), else the copy.
    event.respondWith(
      fetch(request).then(function (response) {
        if (response.ok) {
          var copy = response.clone();
          caches.open(CACHE).then(function (cache) { cache.put(NEW_URL, copy); });
        }
        return response;
      }).catch(function () {
        return caches.match(NEW_URL, { ignoreSearch: true });
      })
    );
    return;
  }
  if (PRECACHE.indexOf(url.pathname) !== -1) {
    event.respondWith(caches.match(url.pathname).then(function (hit) { return hit || fetch(request); }));
  }
});

self.addEventListener("sync", function (event) {
  if (event.tag === "mueve-reportes") {
    event.waitUntil(self.MueveQueue.flush().then(function (outcome) {
      return self.clients.matchAll({ type: "window" }).then(function (clients) {
        clients.forEach(function (client) { client.postMessage({ type: "mueve-queue", outcome: outcome }); });
      });
    }));
  }
});
