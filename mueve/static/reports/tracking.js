/* Mueve — a tracked report's page: its small map (the page reads fine without it, or without tiles), and the
 * live stream of its public state, so a change of status shows without reloading. Text only, never markup. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // --- the map ---------------------------------------------------------------------------------------
  var holder = document.getElementById("track-map");
  var source = document.getElementById("track-config");
  var config = source ? JSON.parse(source.textContent) : null;
  if (holder && config && window.L && window.MueveMap) {
    var map = MueveMap.create(holder, { zoomControl: true, keyboard: false, dragging: true, scrollWheelZoom: false })
      .setView(config.center, config.zoom);
    L.marker(config.center, { keyboard: false, alt: "" }).addTo(map);
  }

  // --- the live state --------------------------------------------------------------------------------
  var live = document.getElementById("track-live");
  if (!live || !window.EventSource) return;
  var shown = null;
  function setText(id, text) {
    var el = document.getElementById(id);
    if (el && text != null && el.textContent !== text) el.textContent = text;
  }
  function drawHistory(entries) {
    var list = document.getElementById("track-history");
    if (!list || !entries.length) return;
    list.textContent = "";
    entries.forEach(function (entry) {
      var item = document.createElement("li");
      var time = document.createElement("time");
      time.setAttribute("datetime", entry.at);
      time.textContent = entry.at_text;
      var label = document.createElement("strong");
      label.textContent = entry.label;
      item.appendChild(time);
      item.appendChild(document.createTextNode(" "));
      item.appendChild(label);
      if (entry.note) {
        var note = document.createElement("p");
        note.textContent = entry.note;
        item.appendChild(note);
      }
      list.appendChild(item);
    });
  }
  var stream = new EventSource(live.dataset.stream);
  stream.onopen = function () {
    live.dataset.state = "live";
    if (!live.textContent) live.textContent = live.dataset.liveText;
  };
  stream.onmessage = function (event) {
    var state = JSON.parse(event.data);
    setText("track-status", state.status_label);
    if (state.count_text) setText("track-count", state.count_text);
    if (state.agency) setText("track-agency", state.agency);
    drawHistory(state.history || []);
    if (shown !== null && shown !== state.status_label) {
      live.textContent = live.dataset.updatedText + ": " + state.status_label;
    }
    shown = state.status_label;
    live.dataset.state = "live";
    live.dataset.status = state.status;
  };
  stream.onerror = function () { live.dataset.state = "reconnecting"; };
})();
