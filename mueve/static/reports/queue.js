/* Mueve — reports waiting on the phone for the network (IndexedDB), shared by the page and the service worker.
 *
 * Each queued report keeps the idempotency key made on the phone, so sending it twice (the page and the worker's
 * Background Sync racing, or an answer lost on a bad connection) still makes one report on the server. */
(function (scope) {
  "use strict";
  /* One queue per IndexedDB database: the reporting page's ("mueve-reportes") and others that reuse this code
   * (the rural tagging page's, "mueve-rural"), so neither page sends nor lists the other's items. */
  function make(DB_NAME) {
  var QUEUE = "queue";
  var SENT = "sent";

  function openDb() {
    return new Promise(function (resolve, reject) {
      var request = scope.indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        var db = request.result;
        if (!db.objectStoreNames.contains(QUEUE)) db.createObjectStore(QUEUE, { keyPath: "key" });
        if (!db.objectStoreNames.contains(SENT)) db.createObjectStore(SENT, { keyPath: "public_id" });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function run(storeName, mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(storeName, mode);
        var result = work(tx.objectStore(storeName));
        tx.oncomplete = function () { db.close(); resolve(result && "result" in result ? result.result : result); };
        tx.onerror = function () { db.close(); reject(tx.error); };
        tx.onabort = function () { db.close(); reject(tx.error); };
      });
    });
  }

  /* fields: [[name, value, filename?], ...]; a value may be a Blob (the photo). */
  function put(item) { return run(QUEUE, "readwrite", function (store) { store.put(item); }); }
  function all() { return run(QUEUE, "readonly", function (store) { return store.getAll(); }); }
  function remove(key) { return run(QUEUE, "readwrite", function (store) { store.delete(key); }); }
  function remember(entry) { return run(SENT, "readwrite", function (store) { store.put(entry); }); }
  function sent() { return run(SENT, "readonly", function (store) { return store.getAll(); }); }

  function send(item, csrfToken) {
    var token = csrfToken || item.csrf;
    var body = new FormData();
    item.fields.forEach(function (field) {
      if (field[0] === "csrfmiddlewaretoken") return;
      if (field.length > 2 && field[2]) body.append(field[0], field[1], field[2]);
      else body.append(field[0], field[1]);
    });
    body.append("csrfmiddlewaretoken", token);
    return fetch(item.url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": token },
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        return { status: response.status, data: data };
      });
    });
  }

  var flushing = null;

  /* Sends every queued report, oldest first. Resolves to {sent: [...], failed: [...], left: n}.
   * A network failure stops the round (the rest stays queued); the server refusing a report (4xx other than
   * 403/429) drops it from the queue and reports it in `failed`, so one bad report never blocks the others. */
  function flush(csrfToken) {
    if (flushing) return flushing;
    flushing = all().then(function (items) {
      items.sort(function (a, b) { return a.createdAt - b.createdAt; });
      var outcome = { sent: [], failed: [], left: 0 };
      var chain = Promise.resolve(true);
      items.forEach(function (item) {
        chain = chain.then(function (goOn) {
          if (!goOn) { outcome.left += 1; return false; }
          return send(item, csrfToken).then(function (answer) {
            if (answer.status === 201 || answer.status === 200) {
              var entry = {
                public_id: answer.data.public_id,
                tracking_url: answer.data.tracking_url,
                label: item.label || "",
                at: Date.now(),
              };
              outcome.sent.push(entry);
              return remember(entry).then(function () { return remove(item.key); }).then(function () { return true; });
            }
            if (answer.status >= 400 && answer.status < 500 && answer.status !== 403 && answer.status !== 429) {
              outcome.failed.push({ item: item, errors: answer.data.errors || {} });
              return remove(item.key).then(function () { return true; });
            }
            outcome.left += 1;
            return true;
          }, function () { outcome.left += 1; return false; });
        });
      });
      return chain.then(function () { return outcome; });
    }).finally(function () { flushing = null; });
    return flushing;
  }

  function count() { return all().then(function (items) { return items.length; }); }

  return { put: put, all: all, remove: remove, flush: flush, count: count, sent: sent, remember: remember };
  }

  scope.MueveQueue = make("mueve-reportes");
  scope.MueveQueue.named = make;
})(self);
