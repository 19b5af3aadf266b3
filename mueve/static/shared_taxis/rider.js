/* Tu Colectivo, the rider's page: choose the point (GPS or a tap on the map), then follow the car coming. The
   status is polled as JSON from the same selector that rendered the page; text goes in with textContent. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("ct-config").textContent);
  var t = config.i18n;
  function fmt(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (_, key) { return String(values[key]); });
  }
  var latInput = document.querySelector("input[name=lat]");
  var lonInput = document.querySelector("input[name=lon]");
  var where = document.getElementById("ct-where");
  var pointSelect = document.querySelector("select[name=point]");
  var map = null, marker = null;
  var mapEl = document.getElementById("ct-map");
  if (mapEl && window.MueveMap && config.path.length) {
    map = MueveMap.create(mapEl);
    var line = L.polyline(config.path, { color: "#1f6fb2", weight: 6, opacity: 0.8 }).addTo(map);
    map.fitBounds(line.getBounds(), { padding: [20, 20] });
  }
  function choose(lat, lon, message) {
    if (!latInput) { return; }
    latInput.value = lat.toFixed(6);
    lonInput.value = lon.toFixed(6);
    if (pointSelect) { pointSelect.value = ""; }
    if (where) { where.textContent = message; }
    if (map) {
      if (marker) { marker.setLatLng([lat, lon]); } else {
        marker = L.circleMarker([lat, lon], { radius: 9, color: "#fff", weight: 2, fillColor: "#c0392b", fillOpacity: 1 }).addTo(map);
      }
    }
  }
  if (map && latInput) {
    map.on("click", function (e) { choose(e.latlng.lat, e.latlng.lng, t.picked); });
  }
  var gps = document.getElementById("ct-gps");
  if (gps) {
    gps.addEventListener("click", function () {
      if (!navigator.geolocation) { where.textContent = t.gps_error; return; }
      navigator.geolocation.getCurrentPosition(function (p) {
        choose(p.coords.latitude, p.coords.longitude, t.gps_ok);
      }, function () { where.textContent = t.gps_error; }, { enableHighAccuracy: true, timeout: 10000 });
    });
  }
  if (pointSelect) {
    pointSelect.addEventListener("change", function () {
      if (pointSelect.value && latInput) { latInput.value = ""; lonInput.value = ""; if (where) { where.textContent = ""; } }
    });
  }

  // Live status of an open request.
  var eta = document.getElementById("ct-eta");
  if (!eta) { return; }
  var statusBadge = document.getElementById("ct-status");
  var cars = document.getElementById("ct-cars");
  function render(data) {
    var r = data.request;
    if (!r) { return; }
    statusBadge.textContent = r.status_label;
    if (!r.open) {
      eta.textContent = r.status_label;
      window.setTimeout(function () { window.location.reload(); }, 1500);
      return false;
    }
    eta.textContent = r.car ? fmt(t.eta, { plate: r.car.plate, n: r.eta_min }) : t.waiting;
    while (cars.firstChild) { cars.removeChild(cars.firstChild); }
    if (!r.approaching.length) {
      var none = document.createElement("li");
      none.textContent = t.no_cars;
      cars.appendChild(none);
    }
    r.approaching.forEach(function (c) {
      var li = document.createElement("li");
      li.textContent = c.plate + " · " + fmt(t.metres, { n: c.distance_m }) + " · " + fmt(t.minutes, { n: c.eta_min }) +
        (c.yours ? " · " + t.yours : "");
      cars.appendChild(li);
    });
    return true;
  }
  function poll() {
    fetch(config.status_url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (data && render(data) === false) { return; }
        window.setTimeout(poll, config.poll_ms);
      })
      .catch(function () { window.setTimeout(poll, config.poll_ms * 2); });
  }
  window.setTimeout(poll, config.poll_ms);
})();
