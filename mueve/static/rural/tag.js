/* Mueve — field tagging of rural houses: the reporting page's offline queue (static/reports/queue.js) in its own
 * IndexedDB database; a tag made with no signal is sent when the network returns. */
(function () {
  "use strict";
  var form = document.getElementById("tag-form");
  if (!form || !window.MueveQueue) return;
  var queue = window.MueveQueue.named("mueve-rural");
  var status = document.getElementById("tag-status");
  function say(text) { status.textContent = text; }
  function csrf() { return form.elements.csrfmiddlewaretoken.value; }
  function key() {
    return (window.crypto && crypto.randomUUID) ? crypto.randomUUID() : String(Date.now()) + Math.random();
  }
  function fieldsOf(data) {
    var fields = [];
    data.forEach(function (value, name) {
      if (value instanceof File) { if (value.size) fields.push([name, value, value.name]); }
      else fields.push([name, value]);
    });
    return fields;
  }
  function announce(outcome) {
    if (outcome.sent.length) say("Se envió la etiqueta guardada: " + outcome.sent[outcome.sent.length - 1].public_id + ".");
    if (outcome.failed.length) {
      var messages = [];
      outcome.failed.forEach(function (f) {
        Object.keys(f.errors).forEach(function (k) { messages = messages.concat(f.errors[k]); });
      });
      say("Una etiqueta guardada fue rechazada: " + messages.join(" "));
    }
  }
  function flush() {
    if (!navigator.onLine) return;
    queue.flush(csrf()).then(announce).catch(function () {});
  }
  document.getElementById("use-position").addEventListener("click", function () {
    if (!navigator.geolocation) return;
    navigator.geolocation.getCurrentPosition(function (pos) {
      form.elements.lat.value = pos.coords.latitude.toFixed(6);
      form.elements.lon.value = pos.coords.longitude.toFixed(6);
      say("Ubicación tomada del teléfono.");
    }, function () { say("No se pudo obtener la ubicación."); }, { enableHighAccuracy: true, timeout: 20000 });
  });
  form.addEventListener("submit", function (event) {
    if (navigator.onLine) return; // with network, the form goes as it is
    event.preventDefault();
    if (!form.elements.client_key.value) form.elements.client_key.value = key();
    var item = {
      key: form.elements.client_key.value, url: form.action || window.location.pathname,
      fields: fieldsOf(new FormData(form)), csrf: csrf(), createdAt: Date.now(), label: "",
    };
    queue.put(item).then(function () {
      form.reset();
      form.elements.client_key.value = "";
      say("Guardada en el teléfono; se enviará al volver la conexión.");
    }, function () { say("Este teléfono no puede guardar la etiqueta sin conexión."); });
  });
  window.addEventListener("online", flush);
  queue.count().then(function (n) { if (n) { say("Hay etiquetas guardadas esperando conexión."); flush(); } });
  if ("serviceWorker" in navigator) navigator.serviceWorker.register(form.dataset.sw).catch(function () {});
})();
