/* Tu Colectivo, the driver's phone: shares the GPS position with the state form, and keeps the list of riders
   waiting ahead fresh (polled JSON, built with DOM nodes). "Subió" confirms a boarding without leaving the page. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("ct-config").textContent);
  var t = config.i18n;
  function fmt(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (_, key) { return String(values[key]); });
  }
  function csrf() { return document.querySelector("input[name=csrfmiddlewaretoken]").value; }
  var form = document.getElementById("ct-state-form");
  var gpsNote = document.getElementById("ct-gps");
  var latInput = form.querySelector("input[name=lat]");
  var lonInput = form.querySelector("input[name=lon]");
  var statusSelect = form.querySelector("select[name=status]");
  var seatsInput = form.querySelector("input[name=free_seats]");
  var pickups = document.getElementById("ct-pickups");
  var others = document.getElementById("ct-others");
  var stateBadge = document.getElementById("ct-state");
  var free = document.getElementById("ct-free");
  var lastShared = 0;

  function post(body) {
    body.append("csrfmiddlewaretoken", csrf());
    return fetch(window.location.pathname, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": csrf() }
    }).then(function (response) { return response.json(); }).then(function (data) {
      if (data && !data.errors) { render(data); }
      return data;
    });
  }
  function render(view) {
    stateBadge.textContent = view.status_label;
    free.textContent = fmt(t.free, { n: view.free_seats });
    while (pickups.firstChild) { pickups.removeChild(pickups.firstChild); }
    if (!view.pickups.length) {
      var none = document.createElement("li");
      none.textContent = t.none;
      pickups.appendChild(none);
    }
    view.pickups.forEach(function (p) {
      var li = document.createElement("li");
      li.dataset.request = String(p.id);
      var text = document.createElement("span");
      text.textContent = fmt(t.party, { n: p.party_size }) + " · " + fmt(t.ahead, { n: p.distance_m });
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button";
      button.textContent = t.board;
      button.addEventListener("click", function () {
        button.disabled = true;
        var body = new FormData();
        body.append("action", "board");
        body.append("request", String(p.id));
        post(body).then(function () { button.disabled = false; });
      });
      li.appendChild(text);
      li.appendChild(button);
      pickups.appendChild(li);
    });
    others.textContent = fmt(t.others, { r: view.waiting_unassigned.requests, s: view.waiting_unassigned.seats });
  }
  function share(lat, lon) {
    latInput.value = lat.toFixed(6);
    lonInput.value = lon.toFixed(6);
    var now = Date.now();
    if (statusSelect.value !== "running" || now - lastShared < 10000) { return; }
    lastShared = now;
    var body = new FormData();
    body.append("action", "state");
    body.append("status", statusSelect.value);
    body.append("free_seats", seatsInput.value);
    body.append("lat", latInput.value);
    body.append("lon", lonInput.value);
    post(body);
  }
  if (navigator.geolocation) {
    navigator.geolocation.watchPosition(function (p) {
      gpsNote.textContent = t.gps_on;
      share(p.coords.latitude, p.coords.longitude);
    }, function () { gpsNote.textContent = t.gps_off; }, { enableHighAccuracy: true, maximumAge: 5000 });
  } else {
    gpsNote.textContent = t.gps_off;
  }
  function poll() {
    fetch(config.status_url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data) { render(data); } window.setTimeout(poll, config.poll_ms); })
      .catch(function () { window.setTimeout(poll, config.poll_ms * 2); });
  }
  window.setTimeout(poll, config.poll_ms);
})();
