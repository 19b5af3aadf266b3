/* Mueve — reports sent from this phone (kept in IndexedDB by queue.js), and the ones still waiting. */
(function () {
  "use strict";
  var box = document.getElementById("phone-reports");
  if (!box || !window.MueveQueue || !window.indexedDB) return;
  var list = document.getElementById("phone-report-list");
  var pending = document.getElementById("phone-pending");
  Promise.all([window.MueveQueue.sent(), window.MueveQueue.count()]).then(function (results) {
    var sent = results[0].sort(function (a, b) { return b.at - a.at; }).slice(0, 20);
    var waiting = results[1];
    sent.forEach(function (entry) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = entry.tracking_url;
      a.textContent = (entry.label ? entry.label + " · " : "") + entry.public_id;
      li.appendChild(a);
      var when = document.createElement("span");
      when.className = "meta";
      when.textContent = " " + new Date(entry.at).toLocaleString(document.documentElement.lang === "en" ? "en" : "es-CL",
        { day: "numeric", month: "long", year: "numeric", hour: "2-digit", minute: "2-digit" });
      li.appendChild(when);
      list.appendChild(li);
    });
    if (waiting) {
      pending.hidden = false;
      var text = JSON.parse(document.getElementById("mueve-text").textContent);
      pending.textContent = waiting === 1 ? text.waiting_one : text.waiting_many.replace("%(n)s", waiting);
    }
    box.hidden = sent.length === 0 && !waiting;
  }).catch(function () { /* no IndexedDB: nothing to list */ });
  if ("serviceWorker" in navigator) {
    var config = document.querySelector("link[rel=manifest]");
    if (config) navigator.serviceWorker.register(config.dataset.sw, { scope: config.dataset.scope }).catch(function () {});
  }
})();
