/* Mueve — the one base map of every map in the product.
 *
 * Tiles come from the installation's settings (MUEVE_TILE_URL; empty: none, a closed network). Under them, or
 * alone, a vector base layer drawn from Mueve's own data (/mapa/base.geojson): the served areas' boundaries, the
 * transit lines, and the stops with their names when zoomed in. So a map is never an empty grey square when the
 * tile server cannot be reached. Names reach the map as text nodes, never as HTML.
 *
 *   var map = MueveMap.create(element, leafletOptions);   // a Leaflet map with tiles + base layer
 *   MueveMap.attach(map);                                  // the same for a map made elsewhere
 *   MueveMap.areas(map)                                    // a promise of the areas' GeoJSON layer
 */
(function () {
  "use strict";
  var STOPS_FROM_ZOOM = 15;
  var STOP_NAMES_FROM_ZOOM = 17;
  var LANDMARK_NAMES_FROM_ZOOM = 14;
  var documentPromise = null;

  function settings() {
    var el = document.getElementById("mueve-map-config");
    try {
      return el ? JSON.parse(el.textContent) || {} : {};
    } catch (e) {
      return {};
    }
  }

  function textNode(text) {
    var span = document.createElement("span");
    span.textContent = text == null ? "" : String(text);
    return span;
  }

  // A popup's content as DOM nodes: a bold title and one paragraph per line, each set as text.
  function textBox(title, lines) {
    var box = document.createElement("div");
    var strong = document.createElement("strong");
    strong.textContent = title == null ? "" : String(title);
    box.appendChild(strong);
    (lines || []).forEach(function (line) {
      var p = document.createElement("p");
      p.textContent = String(line);
      box.appendChild(p);
    });
    return box;
  }

  function baseDocument(url) {
    if (!documentPromise) {
      documentPromise = fetch(url, { credentials: "same-origin" }).then(function (response) {
        if (!response.ok) throw new Error("base map: HTTP " + response.status);
        return response.json();
      });
    }
    return documentPromise;
  }

  function pane(map, name, zIndex) {
    if (!map.getPane(name)) {
      var created = map.createPane(name);
      created.style.zIndex = String(zIndex);
      created.classList.add("mueve-" + name);
    }
    return name;
  }

  function drawBase(map, data) {
    // Above the tiles (200), below the page's own lines and markers (overlayPane 400, markerPane 600).
    var areasPane = pane(map, "basemap-areas", 250);
    var linesPane = pane(map, "basemap-lines", 260);
    var pick = function (name) {
      return { type: "FeatureCollection", features: data.features.filter(function (f) { return f.properties.layer === name; }) };
    };
    var areas = L.geoJSON(pick("area"), {
      pane: areasPane,
      interactive: false,
      style: { color: "#34495e", weight: 2, opacity: 0.9, fillColor: "#c9d8e2", fillOpacity: 0.3, dashArray: "6 4" },
    }).addTo(map);
    L.geoJSON(pick("route"), {
      pane: linesPane,
      interactive: false,
      style: function (f) {
        return { color: f.properties.color || "#6b4c9a", weight: 2, opacity: 0.55 };
      },
    }).addTo(map);
    var stops = L.geoJSON(pick("stop"), {
      pane: linesPane,
      pointToLayer: function (f, latlng) {
        return L.circleMarker(latlng, { pane: linesPane, radius: 3, color: "#fff", weight: 1, fillColor: "#4a4a4a", fillOpacity: 0.9, interactive: false });
      },
    });
    // Landmarks (a square, a mall, a station) at every zoom: what a rider recognises on a map without tiles; their
    // names from LANDMARK_NAMES_FROM_ZOOM, where they no longer pile up on one another.
    var landmarks = L.geoJSON(pick("landmark"), {
      pane: linesPane,
      pointToLayer: function (f, latlng) {
        return L.circleMarker(latlng, { pane: linesPane, radius: 4, color: "#fff", weight: 1, fillColor: "#8a3b12", fillOpacity: 0.95, interactive: false });
      },
    }).addTo(map);
    var landmarksNamed = false;
    var named = false;
    function zoomed() {
      var wantLandmarkNames = map.getZoom() >= LANDMARK_NAMES_FROM_ZOOM;
      if (wantLandmarkNames !== landmarksNamed) {
        landmarksNamed = wantLandmarkNames;
        landmarks.eachLayer(function (layer) {
          if (wantLandmarkNames) {
            layer.bindTooltip(textNode(layer.feature.properties.name), { permanent: true, direction: "right", className: "mueve-landmark-name", offset: [5, 0] });
          } else {
            layer.unbindTooltip();
          }
        });
      }
      var zoom = map.getZoom();
      if (zoom >= STOPS_FROM_ZOOM) {
        if (!map.hasLayer(stops)) stops.addTo(map);
      } else if (map.hasLayer(stops)) {
        map.removeLayer(stops);
      }
      var wantNames = zoom >= STOP_NAMES_FROM_ZOOM;
      if (wantNames !== named) {
        named = wantNames;
        stops.eachLayer(function (layer) {
          if (wantNames) {
            layer.bindTooltip(textNode(layer.feature.properties.name), { permanent: true, direction: "right", className: "mueve-stop-name", offset: [4, 0] });
          } else {
            layer.unbindTooltip();
          }
        });
      }
    }
    map.on("zoomend", zoomed);
    zoomed();
    map.getContainer().classList.add("mueve-map-based");
    return areas;
  }

  function attach(map) {
    var config = settings();
    var container = map.getContainer();
    container.classList.add("mueve-map");
    if (config.tiles) {
      L.tileLayer(config.tiles, { maxZoom: 19, attribution: config.attribution || "" }).addTo(map);
    } else {
      container.classList.add("mueve-map-offline");
    }
    if (map.attributionControl) map.attributionControl.addAttribution("Base: Mueve");
    var areas = config.basemap
      ? baseDocument(config.basemap).then(function (data) { return drawBase(map, data); })
      : Promise.reject(new Error("base map: no address"));
    areas.catch(function () { container.classList.add("mueve-map-unbased"); });
    map._mueveAreas = areas;
    return map;
  }

  function create(element, options) {
    var map = L.map(element, options || {});
    return attach(map);
  }

  window.MueveMap = {
    settings: settings,
    create: create,
    attach: attach,
    text: textNode,
    textBox: textBox,
    areas: function (map) { return map._mueveAreas || Promise.reject(new Error("base map not attached")); },
  };
})();
