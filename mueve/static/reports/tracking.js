/* Mueve — the small map of a tracked report (the page reads fine without it, or without tiles). */
(function () {
  "use strict";
  var holder = document.getElementById("track-map");
  var source = document.getElementById("track-config");
  if (!holder || !source || !window.L) return;
  document.documentElement.classList.add("js");
  var config = JSON.parse(source.textContent);
  if (!config) return;
  var map = L.map(holder, { zoomControl: true, keyboard: false, dragging: true, scrollWheelZoom: false })
    .setView(config.center, config.zoom);
  if (config.tiles) {
    L.tileLayer(config.tiles, { maxZoom: 19, attribution: JSON.parse(document.getElementById("mueve-text").textContent).osm }).addTo(map);
  }
  L.marker(config.center, { keyboard: false, alt: "" }).addTo(map);
})();
