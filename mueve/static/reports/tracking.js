/* Mueve — the small map of a tracked report (the page reads fine without it, or without tiles). */
(function () {
  "use strict";
  var holder = document.getElementById("track-map");
  var source = document.getElementById("track-config");
  if (!holder || !source || !window.L || !window.MueveMap) return;
  document.documentElement.classList.add("js");
  var config = JSON.parse(source.textContent);
  if (!config) return;
  var map = MueveMap.create(holder, { zoomControl: true, keyboard: false, dragging: true, scrollWheelZoom: false })
    .setView(config.center, config.zoom);
  L.marker(config.center, { keyboard: false, alt: "" }).addTo(map);
})();
