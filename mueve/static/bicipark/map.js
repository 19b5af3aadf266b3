/* i-BiciPark public map: the racks of the page's list, each a marker with its free slots. No personal data is in
 * the page's data; names reach the map as text nodes. */
(function () {
  "use strict";
  if (!window.L || !window.MueveMap) return;
  document.documentElement.classList.add("js");
  var racks = JSON.parse(document.getElementById("bicipark-racks").textContent);
  var config = JSON.parse(document.getElementById("bicipark-map-config").textContent);
  var map = MueveMap.create("bp-map", { scrollWheelZoom: false }).setView(config.center, 14);
  var bounds = [];
  racks.forEach(function (rack) {
    var face = document.createElement("span");
    face.className = "bp-marker" + (rack.free ? "" : " bp-marker-full");
    face.textContent = String(rack.free);
    var marker = L.marker([rack.lat, rack.lon], {
      icon: L.divIcon({ html: face, className: "", iconSize: [30, 30] }),
      title: rack.name + ": " + rack.free + " / " + rack.total,
      alt: rack.name,
    }).addTo(map);
    marker.bindPopup(MueveMap.textBox(rack.name, [(rack.address || rack.building) + " · " + rack.free + " / " + rack.total]));
    bounds.push([rack.lat, rack.lon]);
  });
  if (bounds.length > 1) map.fitBounds(bounds, { padding: [30, 30], maxZoom: 16 });
})();
