/* Shared map helpers for the transit pages. Tiles may fail (closed network, tests): the map still draws lines. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var waiting = null;
  function withBaseMap(callback) {
    if (window.MueveMap) return callback(window.MueveMap);
    if (!waiting) {
      waiting = [];
      var settings = JSON.parse((document.getElementById("mueve-map-config") || {}).textContent || "{}");
      if (settings.css) {
        var link = document.createElement("link");
        link.rel = "stylesheet";
        link.href = settings.css;
        document.head.appendChild(link);
      }
      var script = document.createElement("script");
      script.src = settings.script;
      script.onload = function () { waiting.forEach(function (cb) { cb(window.MueveMap); }); };
      document.head.appendChild(script);
    }
    waiting.push(callback);
  }
  window.MueveTransit = {
    config: function (id) {
      var el = document.getElementById(id);
      return el ? JSON.parse(JSON.parse(el.textContent)) : {};
    },
    // The shared base map (maps/basemap.js): tiles from the settings plus the vector base layer. A page that
    // does not load that module gets it loaded here, once.
    map: function (elementId, cfg) {
      if (typeof L === "undefined") return null;
      var map = L.map(elementId, { scrollWheelZoom: false }).setView(cfg.center, cfg.zoom || 13);
      withBaseMap(function (base) { base.attach(map); });
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
