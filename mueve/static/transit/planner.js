/* Ya Voy: "Desde" and "Hasta" are place comboboxes (stops, landmarks, streets, organizations by name, from
   /api/v1/places/search); tapping the map picks a point; the found journeys are drawn. The form works without it:
   the server resolves a typed name to its best match. */
(function () {
  "use strict";
  var T = window.MueveTransit;
  var cfg = T.config("planner-config");
  var TX = cfg.texts || { kinds: {} };
  var map = T.map("planner-map", cfg);
  var target = "origin", markers = {};
  var statusEl = document.getElementById("place-status");
  var buttons = document.querySelectorAll("[data-pick]");

  function fmt(template, values) {
    return String(template).replace(/\{(\w+)\}/g, function (_, k) { return values[k] !== undefined ? values[k] : ""; });
  }
  function setTarget(name) {
    target = name;
    buttons.forEach(function (b) { b.setAttribute("aria-pressed", String(b.dataset.pick === name)); });
  }
  buttons.forEach(function (b) { b.addEventListener("click", function () { setTarget(b.dataset.pick); }); });

  function mark(name, lat, lon, title) {
    if (!map) return;
    if (markers[name]) map.removeLayer(markers[name]);
    markers[name] = L.marker([lat, lon], { title: title || TX[name] || name, alt: TX[name] || name }).addTo(map);
  }
  // The visible field keeps the place's name; the hidden one the exact point the planner starts from.
  function choose(name, place) {
    document.getElementById("id_" + name).value = place.name;
    document.getElementById("id_" + name + "_ref").value = place.lat.toFixed(6) + "," + place.lon.toFixed(6);
    mark(name, place.lat, place.lon, place.name);
    if (map && markers.origin && markers.destination) {
      map.fitBounds(L.latLngBounds([markers.origin.getLatLng(), markers.destination.getLatLng()]), { padding: [30, 30] });
    } else if (map) {
      map.setView([place.lat, place.lon], Math.max(map.getZoom(), 14));
    }
    if (name === "origin") setTarget("destination");
  }
  if (map) {
    map.on("click", function (e) {
      var lat = e.latlng.lat, lon = e.latlng.lng;
      choose(target, { name: fmt(TX.map_point, { lat: lat.toFixed(5), lon: lon.toFixed(5) }), lat: lat, lon: lon });
    });
  }

  // --- an ARIA 1.2 combobox per field: type, arrows to move, Enter to choose, Escape to close ------------------
  function combobox(name) {
    var input = document.getElementById("id_" + name);
    var ref = document.getElementById("id_" + name + "_ref");
    if (!input) return;
    var list = document.createElement("ul");
    list.id = "id_" + name + "_places";
    list.className = "place-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", fmt(TX.list_label, { field: TX[name] || name }));
    list.hidden = true;
    input.insertAdjacentElement("afterend", list);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("autocomplete", "off");
    var found = [], active = -1, timer = null, asked = 0;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }
    function highlight(i) {
      var options = list.querySelectorAll("[role=option]");
      if (!options.length) return;
      active = (i + options.length) % options.length;
      options.forEach(function (o, k) { o.setAttribute("aria-selected", String(k === active)); });
      input.setAttribute("aria-activedescendant", options[active].id);
      options[active].scrollIntoView({ block: "nearest" });
    }
    function pick(i) {
      var place = found[i];
      if (!place) return;
      close();
      choose(name, place);
      statusEl.textContent = fmt(TX.chosen, { name: place.name });
    }
    function show(places) {
      found = places;
      list.textContent = "";
      places.forEach(function (p, i) {
        var li = document.createElement("li"), title = document.createElement("span"), meta = document.createElement("span");
        li.id = list.id + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        title.className = "place-name"; title.textContent = p.name;
        meta.className = "place-meta";
        meta.textContent = [TX.kinds[p.kind] || p.kind, p.detail].filter(Boolean).join(" · ");
        li.appendChild(title); li.appendChild(meta);
        // mousedown, not click: the input keeps its focus (a blur would close the list before the click lands).
        li.addEventListener("mousedown", function (e) { e.preventDefault(); pick(i); });
        list.appendChild(li);
      });
      active = -1;
      input.removeAttribute("aria-activedescendant");
      list.hidden = !places.length;
      input.setAttribute("aria-expanded", String(!!places.length));
      statusEl.textContent = !places.length ? TX.none : places.length === 1 ? TX.one : fmt(TX.many, { n: places.length });
    }
    input.addEventListener("input", function () {
      ref.value = "";  // the typed text no longer names the place picked before
      clearTimeout(timer);
      var q = input.value.trim();
      if (q.length < 2) { close(); return; }
      timer = setTimeout(function () {
        var mine = ++asked;
        fetch(cfg.placesUrl + "?limit=8&q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
          .then(function (r) { return r.ok ? r.json() : []; })
          .then(function (places) { if (mine === asked && document.activeElement === input) show(places); })
          .catch(function () {});
      }, 200);
    });
    input.addEventListener("keydown", function (e) {
      var open = !list.hidden;
      if (e.key === "ArrowDown") {
        e.preventDefault();
        if (!open && found.length) { list.hidden = false; input.setAttribute("aria-expanded", "true"); }
        highlight(active + 1);
      } else if (e.key === "ArrowUp") {
        e.preventDefault();
        if (open) highlight(active - 1);
      } else if (e.key === "Enter") {
        if (open && active >= 0) { e.preventDefault(); pick(active); }
      } else if (e.key === "Escape") {
        if (open) { e.preventDefault(); close(); }
      }
    });
    input.addEventListener("blur", close);
  }
  combobox("origin");
  combobox("destination");

  // --- the journeys found (server-rendered) drawn on the map ---------------------------------------------------
  var resultEl = document.getElementById("plan-result");
  if (resultEl && map) {
    var result = JSON.parse(resultEl.textContent), bounds = [];
    if (result.origin) { mark("origin", result.origin[0], result.origin[1], result.origin_name); bounds.push(result.origin); }
    if (result.destination) { mark("destination", result.destination[0], result.destination[1], result.destination_name); bounds.push(result.destination); }
    var j = result.journeys[0];
    if (j) j.legs.forEach(function (leg) {
      var pts = [leg.from_point, leg.to_point].filter(Boolean);
      if (pts.length === 2) L.polyline(pts, { color: leg.kind === "walk" ? "#4a525c" : "#" + (leg.route_color || "00557f"), dashArray: leg.kind === "walk" ? "6 6" : null, weight: 5 }).addTo(map);
    });
    if (bounds.length === 2) map.fitBounds(bounds, { padding: [30, 30] });
  }
})();
