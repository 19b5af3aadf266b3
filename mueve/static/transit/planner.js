/* Ya Voy: tap the map (or pick a stop) to fill "Desde"/"Hasta"; draws the found journeys. The form works without it. */
(function () {
  "use strict";
  var T = window.MueveTransit;
  var cfg = T.config("planner-config");
  var map = T.map("planner-map", cfg);
  var target = "origin", markers = {};
  var buttons = document.querySelectorAll("[data-pick]");
  function setTarget(name) {
    target = name;
    buttons.forEach(function (b) { b.setAttribute("aria-pressed", String(b.dataset.pick === name)); });
  }
  buttons.forEach(function (b) { b.addEventListener("click", function () { setTarget(b.dataset.pick); }); });
  function put(name, lat, lon, text) {
    var input = document.getElementById("id_" + name);
    input.value = text || lat.toFixed(6) + ", " + lon.toFixed(6);
    if (map) {
      if (markers[name]) map.removeLayer(markers[name]);
      markers[name] = L.marker([lat, lon], { title: name === "origin" ? "Desde" : "Hasta", alt: name }).addTo(map);
    }
    if (name === "origin") setTarget("destination");
  }
  if (map) map.on("click", function (e) { put(target, e.latlng.lat, e.latlng.lng); });
  var search = document.getElementById("stop-search"), results = document.getElementById("stop-results"), timer = null;
  search.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      results.textContent = "";
      var q = search.value.trim();
      if (q.length < 2) return;
      fetch(cfg.stopsUrl + "?q=" + encodeURIComponent(q)).then(function (r) { return r.ok ? r.json() : []; }).then(function (stops) {
        stops.slice(0, 8).forEach(function (s) {
          var li = document.createElement("li"), b = document.createElement("button");
          b.type = "button"; b.textContent = s.name + " (" + s.feed + ")";
          b.addEventListener("click", function () {
            document.getElementById("id_feed").value = s.feed;
            put(target, s.lat, s.lon, "stop:" + s.stop_id);
            results.textContent = ""; search.value = "";
          });
          li.appendChild(b); results.appendChild(li);
        });
      }).catch(function () {});
    }, 250);
  });
  var resultEl = document.getElementById("plan-result");
  if (resultEl && map) {
    var result = JSON.parse(resultEl.textContent), bounds = [];
    if (result.origin) { put("origin", result.origin[0], result.origin[1], document.getElementById("id_origin").value); bounds.push(result.origin); }
    if (result.destination) { put("destination", result.destination[0], result.destination[1], document.getElementById("id_destination").value); bounds.push(result.destination); }
    var j = result.journeys[0];
    if (j) j.legs.forEach(function (leg) {
      var pts = [leg.from_point, leg.to_point].filter(Boolean);
      if (pts.length === 2) L.polyline(pts, { color: leg.kind === "walk" ? "#4a525c" : "#" + (leg.route_color || "00557f"), dashArray: leg.kind === "walk" ? "6 6" : null, weight: 5 }).addTo(map);
    });
    if (bounds.length === 2) map.fitBounds(bounds, { padding: [30, 30] });
  }
})();
