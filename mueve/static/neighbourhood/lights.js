/* Cuida tu Luz: every light and stop on the map, adopted or orphan; each marker links to its page, where it is
   adopted. The list below the map reaches the same pages by keyboard. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("lights-config").textContent);
  var COLOURS = { orphan: "#5b6770", adopted: "#b07800", mine: "#1d6b2f" };
  // The shared base map (maps/basemap.js): tiles as the deployment sets them, over the areas, lines and landmarks.
  var map = MueveMap.create(document.getElementById("lights-map")).setView(config.center, config.zoom);
  // Leaflet inserts string popups as HTML: names stay text inside DOM nodes.
  function popup(asset) {
    var box = document.createElement("div");
    var title = document.createElement("strong");
    title.textContent = asset.name;
    var state = document.createElement("p");
    state.textContent = asset.kind_label + " · " + (asset.mine ? config.i18n.mine : asset.adopted ? config.i18n.adopted : config.i18n.orphan);
    var link = document.createElement("a");
    link.href = window.location.pathname.replace(/\/$/, "") + "/" + asset.id + "/";
    link.textContent = config.i18n.open;
    box.appendChild(title);
    box.appendChild(state);
    box.appendChild(link);
    return box;
  }
  fetch(config.assets, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (assets) {
    assets.forEach(function (asset) {
      var colour = asset.mine ? COLOURS.mine : asset.adopted ? COLOURS.adopted : COLOURS.orphan;
      L.circleMarker([asset.lat, asset.lon], { radius: asset.kind === "bus_stop" ? 8 : 6, color: "#fff", weight: 2,
        fillColor: colour, fillOpacity: 0.9 }).bindPopup(popup(asset)).addTo(map);
    });
  });
})();
