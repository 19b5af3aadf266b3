/* Mueve — service worker of the rural pages (scope /rural/): "¿Dónde estoy?" and its roads open with no network;
 * the tagging page's queue (static/reports/queue.js) is sent by the page when the network returns. */
"use strict";
var CACHE = "mueve-rural-1";

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.addAll(PRECACHE); }).then(function () {
    return self.skipWaiting();
  }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(self.clients.claim());
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin || PRECACHE.indexOf(url.pathname) === -1) return;
  // Network first (fresh roads and page), the phone's copy when there is no network.
  event.respondWith(fetch(request).then(function (response) {
    if (response.ok) {
      var copy = response.clone();
      caches.open(CACHE).then(function (cache) { cache.put(url.pathname, copy); });
    }
    return response;
  }).catch(function () { return caches.match(url.pathname); }));
});
