/* "Verificar visualmente" in the control centre's incident panel: the covering cameras (else the nearest drone
   that may fly there), the missions asked for, and their feed: live HLS through the vendored hls.js, or the
   pilot's snapshots. Follows the dashboard's selection (event "mueve:incident-selected"); polls while shown. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("visual-config").textContent);
  var t = config.i18n;
  var box = document.getElementById("visual");
  var offers = document.getElementById("visual-offers");
  var missionsBox = document.getElementById("visual-missions");
  var errors = document.getElementById("visual-errors");
  var note = document.getElementById("visual-note");
  var selected = null;
  var shown = false;  // the operator asked for this incident's checks (or it has missions)
  var players = new Map();  // mission id -> {url, hls, video}
  var timer = null;

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text) node.textContent = text;
    if (className) node.className = className;
    return node;
  }
  function url(template, id) { return template.replace("/0/", "/" + id + "/"); }
  function csrf() { return document.querySelector("input[name=csrfmiddlewaretoken]").value; }
  function fmt(text, values) {
    return Object.keys(values).reduce(function (s, k) { return s.replace("%(" + k + ")s", values[k]); }, text);
  }

  function stopPlayers() {
    players.forEach(function (p) { if (p.hls) p.hls.destroy(); });
    players.clear();
  }

  function reset() {
    offers.textContent = ""; missionsBox.textContent = ""; errors.textContent = ""; note.textContent = "";
    stopPlayers();
    shown = false;
  }

  function play(video, src) {
    if (window.Hls && window.Hls.isSupported()) {
      var hls = new window.Hls({ workerPath: box.dataset.worker, liveDurationInfinity: true });
      hls.loadSource(src);
      hls.attachMedia(video);
      hls.on(window.Hls.Events.MANIFEST_PARSED, function () { video.play().catch(function () {}); });
      return hls;
    }
    if (video.canPlayType("application/vnd.apple.mpegurl")) { video.src = src; video.play().catch(function () {}); return null; }
    video.parentNode.appendChild(el("p", t.noHls, "meta"));
    return null;
  }

  function drawMission(m, list) {
    var item = el("li", null, "vc-mission");
    item.dataset.id = m.id;
    item.dataset.status = m.status;
    item.appendChild(el("p", (m.resource === "camera" ? t.camera : t.drone) + " · " + m.resource_name + " · " + m.status_label, "vc-state"));
    if (m.pilot_position) {
      item.appendChild(el("p", fmt(t.pilotAt, { lat: m.pilot_position[0].toFixed(5), lon: m.pilot_position[1].toFixed(5) }), "meta"));
    }
    var feed = el("div", null, "vc-feed");
    item.appendChild(feed);
    var player = players.get(m.id);
    if (m.stream_url) {
      if (!player || player.url !== m.stream_url) {
        if (player && player.hls) player.hls.destroy();
        var video = document.createElement("video");
        video.muted = true; video.controls = true; video.playsInline = true;
        video.setAttribute("aria-label", fmt(t.live, { id: m.id }));
        player = { url: m.stream_url, video: video, hls: null };
        players.set(m.id, player);
        feed.appendChild(video);
        player.hls = play(video, m.stream_url);
      } else {
        feed.appendChild(player.video);  // the same element moves to the redrawn list: playback goes on
      }
    }
    if (m.snapshots.length) {
      var shots = el("ul", null, "vc-snapshots");
      m.snapshots.forEach(function (s, i) {
        var img = document.createElement("img");
        img.src = s.url;
        img.alt = fmt(t.snapshot, { n: i + 1, id: m.id });
        img.loading = "lazy";
        shots.appendChild(el("li")).appendChild(img);
      });
      feed.appendChild(shots);
    }
    if (!m.stream_url && !m.snapshots.length && m.status !== "returned") feed.appendChild(el("p", t.waiting, "meta"));
    list.appendChild(item);
  }

  function drawOffers(data) {
    offers.textContent = "";
    if (!data.active) { note.textContent = t.closed; return; }
    if (!data.offers.length) { note.textContent = t.none; return; }
    note.textContent = "";
    data.offers.forEach(function (offer) {
      var item = el("li");
      var label = (offer.kind === "camera" ? t.camera : t.drone) + ": " + offer.name;
      if (offer.kind === "drone") label += " (" + fmt(t.flight, { km: (offer.distance_m / 1000).toFixed(1), min: offer.flight_minutes }) + ")";
      item.appendChild(el("span", label));
      var button = el("button", t.request, "button");
      button.type = "button";
      button.dataset.kind = offer.kind;
      button.setAttribute("aria-label", t.request + " " + label);
      button.addEventListener("click", function () { request(offer); });
      item.appendChild(button);
      offers.appendChild(item);
    });
  }

  function draw(data, withOffers) {
    if (withOffers) drawOffers(data);
    var keep = new Set(data.missions.map(function (m) { return m.id; }));
    players.forEach(function (p, id) { if (!keep.has(id)) { if (p.hls) p.hls.destroy(); players.delete(id); } });
    missionsBox.textContent = "";
    if (!data.missions.length) return;
    missionsBox.appendChild(el("h4", t.missions));
    var list = el("ol", null, "vc-missions");
    data.missions.forEach(function (m) { drawMission(m, list); });
    missionsBox.appendChild(list);
  }

  function load(withOffers) {
    var id = selected;
    if (id === null) return;
    fetch(url(config.checksUrl, id), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data || selected !== id) return;
        if (data.missions.length) shown = true;
        if (shown || withOffers) draw(data, withOffers);
      })
      .catch(function () {});
  }

  function request(offer) {
    var body = new FormData();
    body.append(offer.kind, offer.id);
    body.append("csrfmiddlewaretoken", csrf());
    var id = selected;
    fetch(url(config.requestUrl, id), { method: "POST", body: body, credentials: "same-origin" })
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          errors.textContent = "";
          if (!response.ok) {
            var messages = [];
            Object.keys(data.errors || {}).forEach(function (k) { messages = messages.concat(data.errors[k]); });
            errors.textContent = messages.join(" ") || t.error;
            return;
          }
          offers.textContent = "";
          shown = true;
          load(false);
        });
      })
      .catch(function () { errors.textContent = t.error; });
  }

  document.getElementById("visual-check").addEventListener("click", function () { shown = true; load(true); });
  document.addEventListener("mueve:incident-selected", function (event) {
    if (event.detail.id === selected) return;
    reset();
    selected = event.detail.id;
    load(false);
  });
  timer = window.setInterval(function () { if (shown && !document.hidden) load(false); }, 3000);
  window.mueveVisual = { players: players, stop: function () { window.clearInterval(timer); } };
})();
