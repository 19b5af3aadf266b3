/* Feed builder map: click adds a vertex, drag moves it, undo removes the last; reference points get a name.
   Everything is written back to the form's textareas, which stay the source of truth (and work without JS). */
(function () {
  "use strict";
  var T = window.MueveTransit;
  var cfg = T.config("builder-config");
  var map = T.map("builder-map", cfg);
  if (!map) return;
  var t = cfg.i18n;
  // forms = {one, other} from the server (core.text.plural_forms): "1 punto", "0 puntos", "2 puntos".
  function counted(forms, n) { return (n === 1 ? forms.one : forms.other).replace("%(n)s", n); }
  var pathField = document.getElementById("id_path"), refField = document.getElementById("id_reference_points");
  var status = document.getElementById("builder-status"), refBtn = document.getElementById("add-ref");
  var points = [], refs = [], vertexMarkers = [], refMarkers = [];
  var line = L.polyline([], { color: "#00557f", weight: 5 }).addTo(map);
  var refMode = false;
  try { points = JSON.parse(pathField.value || "[]"); } catch (e) { points = []; }
  (refField.value || "").split("\n").forEach(function (l) {
    var p = l.split(";").map(function (s) { return s.trim(); });
    if (p.length === 3 && p[0]) refs.push({ name: p[0], lat: Number(p[1]), lon: Number(p[2]) });
  });
  function write() {
    pathField.value = JSON.stringify(points.map(function (p) { return [Number(p[0].toFixed(6)), Number(p[1].toFixed(6))]; }));
    refField.value = refs.map(function (r) { return r.name + "; " + r.lat.toFixed(6) + "; " + r.lon.toFixed(6); }).join("\n");
    status.textContent = counted(t.points, points.length) + ", " + counted(t.refs, refs.length) + ".";
  }
  function draw() {
    line.setLatLngs(points);
    vertexMarkers.forEach(function (m) { map.removeLayer(m); });
    refMarkers.forEach(function (m) { map.removeLayer(m); });
    vertexMarkers = points.map(function (p, i) {
      var m = L.marker(p, { draggable: true, keyboard: true, title: t.point.replace("%(n)s", i + 1), alt: t.point.replace("%(n)s", i + 1) }).addTo(map);
      m.on("dragend", function () { var ll = m.getLatLng(); points[i] = [ll.lat, ll.lng]; line.setLatLngs(points); write(); });
      return m;
    });
    refMarkers = refs.map(function (r) {
      return L.circleMarker([r.lat, r.lon], { radius: 8, color: "#b03a00", fillOpacity: 0.8 }).bindTooltip(T.tip(r.name), { permanent: true }).addTo(map);
    });
    write();
  }
  map.on("click", function (e) {
    if (refMode) {
      var name = document.getElementById("ref-name").value.trim();
      if (!name) { status.textContent = t.nameFirst; return; }
      refs.push({ name: name, lat: e.latlng.lat, lon: e.latlng.lng });
      document.getElementById("ref-name").value = "";
      refMode = false; refBtn.setAttribute("aria-pressed", "false");
    } else {
      points.push([e.latlng.lat, e.latlng.lng]);
    }
    draw();
  });
  document.getElementById("undo").addEventListener("click", function () { points.pop(); draw(); });
  document.getElementById("clear").addEventListener("click", function () { points = []; draw(); });
  refBtn.addEventListener("click", function () { refMode = !refMode; refBtn.setAttribute("aria-pressed", String(refMode)); });
  pathField.addEventListener("change", function () { try { points = JSON.parse(pathField.value || "[]"); draw(); } catch (e) {} });
  draw();
  if (points.length > 1) map.fitBounds(line.getBounds(), { padding: [20, 20] });
})();
