/* Public incident map: the cached GeoJSON feed, refreshed every 30 s (no personal data in it). */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("public-map-config").textContent);
  var COLOURS = { informational: "#5b6770", low: "#1d6b2f", medium: "#b07800", high: "#c2410c", critical: "#a4161a" };
  var map = L.map("public-map").setView(config.center, config.zoom);
  L.tileLayer(config.tiles, { attribution: config.attribution, maxZoom: 19 }).addTo(map);
  var layer = L.layerGroup().addTo(map);
  var list = document.getElementById("public-list");
  // Leaflet inserts a string tooltip as HTML; service names and addresses must stay text.
  function tip(text) {
    var el = document.createElement("span");
    el.textContent = text;
    return el;
  }
  // forms = {one, other} from the server (core.text.plural_forms): "1 reporte", "0 reportes", "2 reportes".
  function counted(forms, n) { return (n === 1 ? forms.one : forms.other).replace("%(n)s", n); }
  function load() {
    fetch(config.geojson + "?active=1").then(function (r) { return r.json(); }).then(function (data) {
      layer.clearLayers();
      list.textContent = "";
      data.features.forEach(function (f) {
        var p = f.properties, c = f.geometry.coordinates;
        var text = p.service_name + " · " + p.severity_label + " · " + p.status_label + " · " + counted(config.i18n.reports, p.report_count);
        L.circleMarker([c[1], c[0]], { radius: 6 + Math.min(14, 3 * Math.sqrt(p.report_count)), color: "#fff", weight: 2,
          fillColor: COLOURS[p.severity] || "#555", fillOpacity: 0.85 }).bindTooltip(tip(text)).addTo(layer);
        var li = document.createElement("li");
        li.id = "incidente-" + p.id;
        li.textContent = text + (p.address_string ? " · " + p.address_string : p.area ? " · " + p.area : "");
        list.appendChild(li);
      });
    });
  }
  load();
  window.setInterval(load, 30000);
})();
