/* Shared map helpers for the transit pages. Tiles may fail (closed network, tests): the map still draws lines. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  window.MueveTransit = {
    config: function (id) {
      var el = document.getElementById(id);
      return el ? JSON.parse(JSON.parse(el.textContent)) : {};
    },
    map: function (elementId, cfg) {
      if (typeof L === "undefined") return null;
      var map = L.map(elementId, { scrollWheelZoom: false }).setView(cfg.center, cfg.zoom || 13);
      L.tileLayer(cfg.tiles, { maxZoom: 19, attribution: "© OpenStreetMap" }).addTo(map);
      return map;
    },
    // Leaflet inserts a string tooltip as HTML; a text node cannot carry markup from a GTFS feed.
    tip: function (text) {
      var el = document.createElement("span");
      el.textContent = text == null ? "" : String(text);
      return el;
    },
    line: function (map, shape, color) {
      if (!map || !shape || shape.length < 2) return null;
      var line = L.polyline(shape, { color: color || "#00557f", weight: 5, opacity: 0.85 }).addTo(map);
      map.fitBounds(line.getBounds(), { padding: [20, 20] });
      return line;
    },
  };
})();
