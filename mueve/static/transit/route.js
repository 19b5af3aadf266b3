(function () {
  "use strict";
  var T = window.MueveTransit;
  var cfg = T.config("route-config");
  var map = T.map("route-map", cfg);
  T.line(map, cfg.shape, cfg.color);
  (cfg.stops || []).forEach(function (s) {
    if (map) L.circleMarker([s.lat, s.lon], { radius: 5, color: "#1a1d21", fillColor: "#fff", fillOpacity: 1 }).bindTooltip(T.tip(s.name)).addTo(map);
  });
  (cfg.alerts || []).forEach(function (a) {
    if (map) L.circleMarker([a.lat, a.lon], { radius: 9, color: "#b03a00", fillOpacity: 0.6 }).bindTooltip(T.tip(a.header)).addTo(map);
  });
  var layer = map ? L.layerGroup().addTo(map) : null;
  function refresh() {
    fetch(cfg.vehiclesUrl, { headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(function (vehicles) {
        if (!layer) return;
        layer.clearLayers();
        vehicles.forEach(function (v) {
          L.circleMarker([v.lat, v.lon], { radius: 8, color: "#003a57", fillColor: "#ffbf47", fillOpacity: 1 })
            .bindTooltip(T.tip(v.label || v.vehicle_id)).addTo(layer);
        });
      })
      .catch(function () {});
  }
  refresh();
  setInterval(refresh, 15000);
  var btn = document.getElementById("use-location");
  if (btn && navigator.geolocation) {
    btn.addEventListener("click", function () {
      navigator.geolocation.getCurrentPosition(function (pos) {
        document.getElementById("id_lat").value = pos.coords.latitude.toFixed(6);
        document.getElementById("id_lon").value = pos.coords.longitude.toFixed(6);
        btn.form.submit();
      });
    });
  }
})();
