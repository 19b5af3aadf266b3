/* Mueve — the territory page: the served areas on the shared base map; a clicked point or a found place is looked
 * up (which area and jurisdiction it falls in) with the territory API. The latitude/longitude form below stays the
 * way without JavaScript. Names reach the page as text nodes. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var config = JSON.parse(document.getElementById("territory-config").textContent);
  var t = config.i18n;
  var result = document.getElementById("point-result");
  var message = document.getElementById("place-message");
  var results = document.getElementById("place-results");
  var latInput = document.getElementById("id_lat");
  var lonInput = document.getElementById("id_lon");
  if (!window.L || !window.MueveMap) return;
  var map = MueveMap.create("territory-map", { scrollWheelZoom: false }).setView(config.center, config.zoom);
  var marker = null;

  MueveMap.areas(map).then(function (areas) {
    if (areas.getLayers().length) map.fitBounds(areas.getBounds(), { padding: [10, 10] });
  }).catch(function () { /* no base layer: the map still takes clicks */ });

  function say(node, text) { node.textContent = text; }

  function lookup(lat, lon, label) {
    if (marker) marker.setLatLng([lat, lon]); else marker = L.marker([lat, lon], { keyboard: false, alt: "" }).addTo(map);
    if (latInput) latInput.value = lat.toFixed(6);
    if (lonInput) lonInput.value = lon.toFixed(6);
    var url = config.lookup + "?lat=" + encodeURIComponent(lat.toFixed(6)) + "&lon=" + encodeURIComponent(lon.toFixed(6));
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (areas) {
        result.textContent = "";
        var where = (label ? label + " — " : "") + lat.toFixed(5) + ", " + lon.toFixed(5) + ". ";
        result.appendChild(document.createTextNode(where));
        if (!areas.length) {
          result.dataset.areas = "";
          result.appendChild(document.createTextNode(t.outside));
          return;
        }
        result.appendChild(document.createTextNode(t.inside + " "));
        areas.forEach(function (area, index) {
          var strong = document.createElement("strong");
          strong.textContent = area.name;
          result.appendChild(strong);
          var jurisdiction = config.jurisdictions[area.jurisdiction] || area.jurisdiction;
          result.appendChild(document.createTextNode(" (" + jurisdiction + (area.approximate ? ", " + t.approximate : "") + ")" + (index < areas.length - 1 ? ", " : "")));
        });
        result.dataset.areas = areas.map(function (a) { return a.name; }).join("|");
      })
      .catch(function () { say(result, t.lookupFailed); });
  }

  map.on("click", function (event) { lookup(event.latlng.lat, event.latlng.lng, ""); });

  // The place search (GET /api/v1/places/search?q=&limit=10 → [{name, kind, lat, lon, detail}]). An installation
  // without it answers 404: the page says so and the map and the form keep working.
  var form = document.getElementById("place-search");
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var q = document.getElementById("place-q").value.trim();
    if (!q) return;
    results.textContent = "";
    say(message, t.searching);
    fetch(config.places + "?q=" + encodeURIComponent(q) + "&limit=10", { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) {
        if (r.status === 404) { say(message, t.placesMissing); message.dataset.state = "missing"; return null; }
        if (!r.ok) throw new Error(r.status);
        return r.json();
      })
      .then(function (places) {
        if (places === null) return;
        places = Array.isArray(places) ? places : (places.items || []);
        if (!places.length) { say(message, t.noPlaces); return; }
        say(message, t.found[String(Math.min(places.length, 10))]);
        places.forEach(function (place) {
          var item = document.createElement("li");
          var button = document.createElement("button");
          button.type = "button";
          button.className = "link-button";
          button.textContent = place.name + (place.detail ? " · " + place.detail : "") + (place.kind ? " (" + place.kind + ")" : "");
          button.addEventListener("click", function () {
            map.setView([place.lat, place.lon], Math.max(map.getZoom(), 15));
            lookup(Number(place.lat), Number(place.lon), place.name);
          });
          item.appendChild(button);
          results.appendChild(item);
        });
      })
      .catch(function () { say(message, t.placesFailed); });
  });
  window.mueveTerritory = { map: map, lookup: lookup };
})();
