/* Public incident map: the page's list (drawn by the server, so it reads without JavaScript) and the same
 * incidents on the map, from the cached GeoJSON feed with the page's filters; refreshed every 30 s. Changing a
 * filter reloads the feed at once. No personal data is in the feed; names reach the page as text nodes. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var config = JSON.parse(document.getElementById("public-map-config").textContent);
  var t = config.i18n;
  var base = config.geojson.split("?")[0];
  var query = config.geojson.indexOf("?") >= 0 ? config.geojson.split("?")[1] : "";
  var list = document.getElementById("public-list");
  var empty = document.getElementById("public-empty");
  var count = document.getElementById("public-count");
  var form = document.getElementById("pm-filters");
  var markers = new Map();
  var map = window.L && window.MueveMap ? MueveMap.create("public-map", { scrollWheelZoom: false }).setView(config.center, config.zoom) : null;
  var layer = map ? L.layerGroup().addTo(map) : null;

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text != null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }
  // The category's pictogram, copied from the legend the server drew (our own SVG, never data).
  function icon(name) {
    var source = document.querySelector('.pm-legend [data-icon="' + (name || "pin") + '"] svg') ||
      document.querySelector(".pm-legend [data-icon] svg");
    return source ? source.cloneNode(true) : el("span");
  }
  // forms = {one, other} from the server (core.text.plural_forms): "1 reporte", "0 reportes", "2 reportes".
  function counted(forms, n) { return (n === 1 ? forms.one : forms.other).replace("%(n)s", n); }
  // The short date style of docs/architecture.md («Voz y fechas»): "05-12-2026, 14:30".
  function when(iso) {
    var date = new Date(iso);
    return isNaN(date) ? "" : date.toLocaleString(document.documentElement.lang === "en" ? "en" : "es-CL",
      { day: "2-digit", month: "2-digit", year: "numeric", hour: "2-digit", minute: "2-digit" });
  }
  function describe(p) {
    return p.service_name + " · " + p.status_label + " · " + counted(t.reports, p.report_count);
  }
  function popup(p) {
    var box = el("div", null, "pm-popup");
    box.appendChild(el("strong", p.service_name));
    box.appendChild(el("p", p.status_label + " · " + counted(t.reports, p.report_count)));
    if (p.address_string || p.area) box.appendChild(el("p", p.address_string || p.area));
    box.appendChild(el("p", t.lastReport + ": " + when(p.last_report_at)));
    return box;
  }

  function draw(features) {
    if (layer) layer.clearLayers();
    markers.clear();
    list.textContent = "";
    features.forEach(function (f) {
      var p = f.properties, c = f.geometry.coordinates;
      var iconName = config.icons[p.service_code] || "pin";
      if (map) {
        var size = Math.round(28 + Math.min(16, 4 * Math.sqrt(Math.max(0, p.report_count - 1))));
        var face = el("span", null, "pm-marker pm-status-" + p.status);
        face.appendChild(icon(iconName));
        var marker = L.marker([c[1], c[0]], {
          icon: L.divIcon({ html: face, className: "pm-marker-holder", iconSize: [size, size], iconAnchor: [size / 2, size / 2] }),
          title: describe(p), alt: describe(p), keyboard: true, riseOnHover: true,
        }).bindPopup(popup(p)).addTo(layer);
        markers.set(String(p.id), marker);
      }
      var item = el("li", null, "pm-item pm-status-" + p.status);
      item.id = "incidente-" + p.id;
      item.dataset.id = p.id;
      var pic = el("span", null, "pm-icon");
      pic.setAttribute("aria-hidden", "true");
      pic.appendChild(icon(iconName));
      item.appendChild(pic);
      var text = el("div", null, "pm-item-text");
      text.appendChild(el("strong", p.service_name));
      var meta = el("span", null, "pm-item-meta");
      meta.appendChild(el("span", p.status_label, "pm-badge pm-status-" + p.status));
      meta.appendChild(document.createTextNode(" " + counted(t.reports, p.report_count)));
      text.appendChild(meta);
      var where = el("span", (p.address_string || p.area || "") + " · ", "pm-item-meta");
      var time = el("time", when(p.last_report_at));
      time.setAttribute("datetime", p.last_report_at);
      where.appendChild(time);
      text.appendChild(where);
      var button = el("button", t.show, "link-button pm-focus js-only");
      button.type = "button";
      button.dataset.id = p.id;
      button.appendChild(el("span", ": " + p.service_name + " #" + p.id, "visually-hidden"));
      text.appendChild(button);
      item.appendChild(text);
      list.appendChild(item);
    });
    empty.hidden = features.length > 0;
    count.textContent = "(" + features.length + ")";
    list.dataset.loaded = "1";
  }

  function load() {
    return fetch(base + (query ? "?" + query : ""), { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (data) { if (data.features) draw(data.features); });
  }

  // A list item's button shows its incident: the map moves to it, opens its popup and takes the focus there.
  list.addEventListener("click", function (event) {
    var button = event.target.closest(".pm-focus");
    if (!button || !map) return;
    var marker = markers.get(String(button.dataset.id));
    if (!marker) return;
    list.querySelectorAll(".pm-item.is-selected").forEach(function (item) { item.classList.remove("is-selected"); });
    button.closest(".pm-item").classList.add("is-selected");
    map.setView(marker.getLatLng(), Math.max(map.getZoom(), 16));
    marker.openPopup();
    document.getElementById("public-map").scrollIntoView({ block: "nearest" });
    if (marker.getElement()) marker.getElement().focus({ preventScroll: true });
  });

  // Filters apply as soon as they change; the address keeps them (a reload or a shared link shows the same).
  form.addEventListener("change", function () {
    var params = new URLSearchParams(new FormData(form));
    Array.from(params.keys()).forEach(function (key) { if (!params.get(key)) params.delete(key); });
    query = params.toString();
    window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : ""));
    load();
  });

  if (map) {
    // The server's list is the first state; the feed draws the same on the map.
    load().then(function () {
      var group = L.featureGroup(Array.from(markers.values()));
      if (markers.size) map.fitBounds(group.getBounds().pad(0.2), { maxZoom: 15 });
    });
    window.setInterval(load, 30000);
  }
  window.muevePublicMap = { map: map, markers: markers };
})();
