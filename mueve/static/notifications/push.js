/* Mueve — "Avisos en este teléfono" on the preferences page: turns Web Push on or off for this browser.
 *
 * The pushes arrive at the reporting page's service worker (/reportes/sw.js, scope /reportes/), registered from here
 * with the same script and scope, so the phone keeps one worker. On: ask the person, register the worker, subscribe
 * with the site's key (GET data-key-url) and post the subscription (data-subscribe-url). Off: unsubscribe and tell
 * the site (data-unsubscribe-url). The texts come from the page (#push-text). */
(function () {
  "use strict";
  var box = document.getElementById("push");
  if (!box) return;
  var status = document.getElementById("push-status");
  var button = document.getElementById("push-toggle");
  var actions = document.getElementById("push-actions");  // hidden, not the button: .button sets its display
  var text = JSON.parse(document.getElementById("push-text").textContent);
  var known = JSON.parse(document.getElementById("push-endpoints").textContent);
  var on = false;

  function say(message) { status.textContent = message; }

  function show(isOn) {
    on = isOn;
    button.textContent = on ? text.turn_off : text.turn_on;
    actions.hidden = false;
    button.disabled = false;
    say(on ? text.on : text.off);
  }

  if (!window.isSecureContext) { say(text.insecure); return; }
  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
    say(text.unsupported);
    return;
  }

  function csrf() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
      body: JSON.stringify(body)
    }).then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.json();
    });
  }

  function keyBytes(base64url) {
    var base64 = (base64url + "===".slice((base64url.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    var raw = window.atob(base64);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }

  function sameKey(buffer, bytes) {
    if (!buffer) return false;
    var a = new Uint8Array(buffer);
    if (a.length !== bytes.length) return false;
    for (var i = 0; i < a.length; i++) if (a[i] !== bytes[i]) return false;
    return true;
  }

  // PushManager.subscribe needs an active worker; a first registration is still installing (it fills its cache).
  function active(registration) {
    if (registration.active) return Promise.resolve(registration);
    var worker = registration.installing || registration.waiting;
    return new Promise(function (resolve, reject) {
      if (!worker) { reject(new Error("no worker")); return; }
      worker.addEventListener("statechange", function () {
        if (worker.state === "activated") resolve(registration);
        else if (worker.state === "redundant") reject(new Error("worker redundant"));
      });
    });
  }

  function registration() {
    return navigator.serviceWorker.register(box.dataset.sw, { scope: box.dataset.scope }).then(active);
  }

  function serverKey() {
    return fetch(box.dataset.keyUrl, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.json();
    }).then(function (answer) { return keyBytes(answer.key); });
  }

  function turnOn() {
    say(text.asked);
    return Notification.requestPermission().then(function (permission) {
      if (permission !== "granted") {
        if (permission === "denied") { actions.hidden = true; say(text.denied); return null; }
        show(false);
        return null;
      }
      say(text.working);
      return Promise.all([registration(), serverKey()]).then(function (results) {
        var manager = results[0].pushManager;
        var key = results[1];
        return manager.getSubscription().then(function (current) {
          // A subscription made with another key (the site's key changed) cannot be reused: it is replaced.
          if (current && !sameKey(current.options && current.options.applicationServerKey, key)) {
            return current.unsubscribe().then(function () { return null; });
          }
          return current;
        }).then(function (current) {
          return current || manager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
        });
      }).then(function (subscription) {
        return post(box.dataset.subscribeUrl, subscription.toJSON()).then(function () {
          known = [subscription.endpoint];
          show(true);
        });
      });
    });
  }

  function turnOff() {
    say(text.working);
    return navigator.serviceWorker.getRegistration(box.dataset.scope).then(function (found) {
      return found ? found.pushManager.getSubscription() : null;
    }).then(function (subscription) {
      if (!subscription) { show(false); return null; }
      var endpoint = subscription.endpoint;
      return subscription.unsubscribe().then(function () {
        return post(box.dataset.unsubscribeUrl, { endpoint: endpoint });
      }).then(function () {
        known = [];
        show(false);
      });
    });
  }

  // A browser that cannot reach its push service (a closed network, a blocked Google service) may wait for minutes:
  // past this, the page says so and offers the button again. A late success still turns the phone on.
  var PATIENCE_MS = 30000;

  button.addEventListener("click", function () {
    button.disabled = true;
    var wasOn = on;
    function failed() {
      show(wasOn);
      say(wasOn ? text.stop_failed : text.failed);
    }
    var timer = window.setTimeout(failed, PATIENCE_MS);
    (wasOn ? turnOff() : turnOn()).then(function () { window.clearTimeout(timer); }, function () {
      window.clearTimeout(timer);
      failed();
    });
  });

  if (Notification.permission === "denied") { say(text.denied); return; }
  // On when this browser holds a subscription the site knows for this person.
  navigator.serviceWorker.getRegistration(box.dataset.scope).then(function (found) {
    return found ? found.pushManager.getSubscription() : null;
  }).then(function (subscription) {
    show(Boolean(subscription && known.indexOf(subscription.endpoint) !== -1));
  }).catch(function () { show(false); });
})();
