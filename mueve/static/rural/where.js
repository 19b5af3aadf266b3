/* Mueve — "¿Dónde estoy?": the plus code, road and km computed on the phone from its GPS and the roads it keeps. */
(function () {
  "use strict";
  var box = document.getElementById("where");
  if (!box || !window.MueveOLC) return;
  var R = 6371008.8;
  var status = document.getElementById("where-status");
  var roads = null;

  function rad(d) { return d * Math.PI / 180; }
  function haversine(lat1, lon1, lat2, lon2) {
    var a = Math.pow(Math.sin(rad(lat2 - lat1) / 2), 2) +
      Math.cos(rad(lat1)) * Math.cos(rad(lat2)) * Math.pow(Math.sin(rad(lon2 - lon1) / 2), 2);
    return 2 * R * Math.asin(Math.min(1, Math.sqrt(a)));
  }
  function project(points, lat, lon) {
    var kx = R * Math.PI / 180 * Math.cos(rad(lat)), ky = R * Math.PI / 180;
    var along = 0, best = null;
    for (var i = 0; i < points.length - 1; i++) {
      var a = points[i], b = points[i + 1];
      var seg = haversine(a[1], a[0], b[1], b[0]);
      var dx = (b[0] - a[0]) * kx, dy = (b[1] - a[1]) * ky, px = (lon - a[0]) * kx, py = (lat - a[1]) * ky;
      var span = dx * dx + dy * dy;
      var t = span ? Math.max(0, Math.min(1, (px * dx + py * dy) / span)) : 0;
      var off = haversine(lat, lon, a[1] + t * (b[1] - a[1]), a[0] + t * (b[0] - a[0]));
      if (!best || off < best.offset) best = { offset: off, km: (along + t * seg) / 1000 };
      along += seg;
    }
    return best;
  }

  function show(lat, lon) {
    var code = MueveOLC.encode(lat, lon);
    var nearest = null;
    (roads || []).forEach(function (road) {
      var p = project(road.points, lat, lon);
      if (p && p.offset <= 2000 && (!nearest || p.offset < nearest.p.offset)) nearest = { road: road, p: p };
    });
    var spoken = code;
    if (nearest && nearest.road.center[0] !== null) {
      var short = MueveOLC.shorten(code, nearest.road.center[0], nearest.road.center[1]);
      if (short !== code) spoken = short + " " + nearest.road.locality;
    }
    document.getElementById("where-code").textContent = code + (spoken !== code ? " (" + spoken + ")" : "");
    var roadText = nearest ? nearest.road.name + ", km " + nearest.p.km.toFixed(1).replace(".", ",") : "—";
    document.getElementById("where-road").textContent = roadText;
    document.getElementById("where-sms").value = "Emergencia. Estoy en " + spoken +
      (nearest ? ", " + roadText : "") + ". Coordenadas " + lat.toFixed(5) + ", " + lon.toFixed(5) + ".";
    status.textContent = navigator.onLine ? "Ubicación calculada." : "Ubicación calculada sin conexión.";
  }

  var loaded = fetch(box.dataset.roads).then(function (r) { return r.json(); }).then(function (data) {
    roads = data.roads;
  }).catch(function () { status.textContent = "No se pudieron cargar los caminos: solo el código plus."; });

  document.getElementById("where-locate").addEventListener("click", function () {
    if (!navigator.geolocation) { status.textContent = "Este teléfono no da su ubicación."; return; }
    status.textContent = "Buscando la señal del GPS…";
    navigator.geolocation.getCurrentPosition(function (pos) {
      loaded.then(function () { show(pos.coords.latitude, pos.coords.longitude); });
    }, function () { status.textContent = "No se pudo obtener la ubicación: active el GPS y permita el acceso."; },
    { enableHighAccuracy: true, timeout: 20000 });
  });

  if ("serviceWorker" in navigator) navigator.serviceWorker.register(box.dataset.sw).catch(function () {});
})();
