/* Mueve — service worker of the reporting page (scope /reportes/). Keeps the page and its files on the phone so it
 * opens without network, sends queued reports with Background Sync where the browser has it, and shows the notices
 * that reach this phone by Web Push (turned on from the preferences page, static/notifications/push.js). */
"use strict";
importScripts("{{ queue_js|escapejs }}");

var CACHE = "mueve-reportes-{{ version }}";
var PRECACHE = [{% for url in precache %}"{{ url|escapejs }}"{% if not forloop.last %}, {% endif %}{% endfor %}];
var NEW_URL = "{{ new_url|escapejs }}";
var NOTICES_URL = "{{ notices_url|escapejs }}";
var SITE_NAME = "{{ site_name|escapejs }}";
var ICON = "{{ icon|escapejs }}";
// Links a notice may open: this site, under the address it is served from or its configured one.
var ORIGINS = [self.location.origin, "{{ site_origin|escapejs }}"];

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

// A notice from the site (mueve.notifications.webpush.payload): {title, body, url, tag}.
self.addEventListener("push", function (event) {
  var notice = {};
  if (event.data) {
    try { notice = event.data.json(); } catch (error) { notice = { body: event.data.text() }; }
  }
  event.waitUntil(self.registration.showNotification(notice.title || SITE_NAME, {
    body: notice.body || "",
    tag: notice.tag || undefined,
    icon: ICON,
    lang: "es",
    data: { url: notice.url || NOTICES_URL }
  }));
});

self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  var url;
  try { url = new URL((event.notification.data && event.notification.data.url) || NOTICES_URL, self.location.origin); }
  catch (error) { url = new URL(NOTICES_URL, self.location.origin); }
  if (ORIGINS.indexOf(url.origin) === -1) url = new URL(NOTICES_URL, self.location.origin);
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then(function (windows) {
      for (var i = 0; i < windows.length; i++) {
        if (windows[i].url === url.href && "focus" in windows[i]) return windows[i].focus();
      }
      return self.clients.openWindow ? self.clients.openWindow(url.href) : null;
    })
  );
});
