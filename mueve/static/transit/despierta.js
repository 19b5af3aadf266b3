/* Despierta: follows the rider's position along the route's shape and warns by voice, vibration and sound
   N metres before the destination (once) and at the destination (once); optionally when a bus of the line
   approaches the rider. Distances are measured ALONG the polyline: the position is projected on it. */
(function () {
  "use strict";
  var T = window.MueveTransit;
  var cfg = T.config("despierta-config");
  var TX = T.config("despierta-texts");
  var $ = function (id) { return document.getElementById(id); };
  var routeSel = $("route"), destSel = $("destination"), statusEl = $("status"), alarmEl = $("alarm");
  var panelEl = $("despierta-panel");
  var map = T.map("despierta-map", cfg), lineLayer = null, destMarker = null, meMarker = null, busLayer = null;

  var M_PER_DEG = 111320;
  var route = null;      // {shape, cum, stops, short_name, feed, route_id}
  var dests = [];        // [{name, spoken, lat, lon}]
  var trip = null;       // state while following
  var pendingStop = null; // a searched destination waiting for the planner to pick the line

  function fmt(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, k) { return values[k] !== undefined ? values[k] : ""; });
  }

  // --- geometry (same projection as mueve/transit/geometry.py) ---
  function haversine(a, b) {
    var R = 6371008.8, p1 = a[0] * Math.PI / 180, p2 = b[0] * Math.PI / 180;
    var dp = p2 - p1, dl = (b[1] - a[1]) * Math.PI / 180;
    var h = Math.sin(dp / 2) * Math.sin(dp / 2) + Math.cos(p1) * Math.cos(p2) * Math.sin(dl / 2) * Math.sin(dl / 2);
    return 2 * R * Math.asin(Math.min(1, Math.sqrt(h)));
  }
  function cumulative(shape) {
    var out = [0];
    for (var i = 1; i < shape.length; i++) out.push(out[i - 1] + haversine(shape[i - 1], shape[i]));
    return out;
  }
  function project(shape, cum, lat, lon) {
    var kx = M_PER_DEG * Math.cos(lat * Math.PI / 180), best = null;
    for (var i = 0; i < shape.length - 1; i++) {
      var ax = (shape[i][1] - lon) * kx, ay = (shape[i][0] - lat) * M_PER_DEG;
      var bx = (shape[i + 1][1] - lon) * kx, by = (shape[i + 1][0] - lat) * M_PER_DEG;
      var dx = bx - ax, dy = by - ay, seg2 = dx * dx + dy * dy;
      var t = seg2 === 0 ? 0 : Math.max(0, Math.min(1, -(ax * dx + ay * dy) / seg2));
      var off = Math.hypot(ax + t * dx, ay + t * dy);
      if (!best || off < best.offset) {
        best = { along: cum[i] + t * (cum[i + 1] - cum[i]), offset: off,
                 lat: shape[i][0] + t * (shape[i + 1][0] - shape[i][0]), lon: shape[i][1] + t * (shape[i + 1][1] - shape[i][1]) };
      }
    }
    return best;
  }

  // --- output: voice, vibration, sound ---
  var audioCtx = null;
  function beep() {
    try {
      audioCtx = audioCtx || new (window.AudioContext || window.webkitAudioContext)();
      [0, 0.5].forEach(function (delay) {
        var osc = audioCtx.createOscillator(), gain = audioCtx.createGain();
        osc.frequency.value = 880; gain.gain.value = 0.3;
        osc.connect(gain); gain.connect(audioCtx.destination);
        osc.start(audioCtx.currentTime + delay); osc.stop(audioCtx.currentTime + delay + 0.3);
      });
    } catch (e) { /* no audio: voice and vibration remain */ }
  }
  function speak(text) {
    if (!("speechSynthesis" in window)) return;
    var u = new SpeechSynthesisUtterance(text);
    u.lang = "es-CL";
    var voices = window.speechSynthesis.getVoices ? window.speechSynthesis.getVoices() : [];
    var voice = voices.filter(function (v) { return v.lang === "es-CL"; })[0] ||
                voices.filter(function (v) { return (v.lang || "").indexOf("es") === 0; })[0];
    if (voice) { u.voice = voice; u.lang = voice.lang; }
    u.rate = 0.95;
    window.speechSynthesis.speak(u);
  }
  function alarm(text) {
    alarmEl.textContent = text;
    speak(text);
    if (navigator.vibrate) navigator.vibrate([500, 200, 500, 200, 500]);
    beep();
  }
  function say(text) { statusEl.textContent = text; }
  function spokenDistance(m) {
    if (m >= 1000) return fmt(TX.km, { d: (Math.round(m / 100) / 10).toString().replace(".", ",") });
    return fmt(TX.m, { d: Math.max(10, Math.round(m / 10) * 10) });
  }

  // --- choosing the route and the destination ---
  function routeUrl(tpl, feed, id) { return tpl.replace("FEED", encodeURIComponent(feed)).replace("ROUTE", encodeURIComponent(id)); }

  function loadRoute(value) {
    route = null; dests = []; pendingStop = null;
    destSel.textContent = ""; destSel.disabled = true;
    if (!value) return Promise.resolve();
    var parts = value.split("|");
    return fetch(routeUrl(cfg.routeUrl, parts[0], parts[1]), { headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (data) {
        data.cum = cumulative(data.shape);
        route = data;
        var first = document.createElement("option");
        first.value = ""; first.textContent = TX.choose_destination;
        destSel.appendChild(first);
        data.stops.forEach(function (s) { addDest({ name: s.name, spoken: s.tts_stop_name || s.name, lat: s.lat, lon: s.lon }); });
        destSel.disabled = false;
        if (map) {
          if (lineLayer) map.removeLayer(lineLayer);
          lineLayer = T.line(map, data.shape, "#" + (data.color || "00557f"));
        }
      })
      .catch(function () { showError(TX.route_failed); });
  }
  function addDest(d, select) {
    dests.push(d);
    var opt = document.createElement("option");
    opt.value = String(dests.length - 1);
    opt.textContent = d.name;
    destSel.appendChild(opt);
    if (select) { destSel.value = opt.value; showDest(); }
  }
  function currentDest() { return destSel.value === "" || destSel.value === "pending" ? null : dests[Number(destSel.value)]; }
  function showDest() {
    var d = currentDest();
    if (!map || !d) return;
    if (destMarker) map.removeLayer(destMarker);
    destMarker = L.marker([d.lat, d.lon], { title: d.name, alt: d.name }).addTo(map);
  }
  routeSel.addEventListener("change", function () { loadRoute(routeSel.value); });
  destSel.addEventListener("change", showDest);
  if (map) {
    map.on("click", function (e) {
      if (!route) { showError(TX.choose_route); return; }
      var p = project(route.shape, route.cum, e.latlng.lat, e.latlng.lng);
      addDest({ name: TX.map_point, spoken: TX.map_point, lat: p.lat, lon: p.lon }, true);
    });
  }
  var searchInput = $("stop-search"), results = $("stop-results"), searchTimer = null;
  searchInput.addEventListener("input", function () {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(function () {
      var q = searchInput.value.trim();
      results.textContent = "";
      if (q.length < 2) return;
      var url = cfg.stopsUrl + "?q=" + encodeURIComponent(q) + (route ? "&feed=" + encodeURIComponent(route.feed) : "");
      fetch(url).then(function (r) { return r.ok ? r.json() : []; }).then(function (stops) {
        stops.slice(0, 8).forEach(function (s) {
          var li = document.createElement("li"), b = document.createElement("button");
          b.type = "button"; b.textContent = s.name;
          b.addEventListener("click", function () {
            var d = { name: s.name, spoken: s.tts_stop_name || s.name, lat: s.lat, lon: s.lon, stop: s.stop_id, feed: s.feed };
            if (!route) {
              // No line chosen: keep the stop; at start Ya Voy picks the line from the rider's position.
              pendingStop = d;
              destSel.textContent = "";
              var opt = document.createElement("option");
              opt.value = "pending"; opt.textContent = s.name;
              destSel.appendChild(opt); destSel.disabled = false;
              say(fmt(TX.planner_will_pick, { name: s.name }));
            } else {
              addDest(d, true);
            }
            results.textContent = ""; searchInput.value = s.name;
          });
          li.appendChild(b); results.appendChild(li);
        });
      }).catch(function () {});
    }, 250);
  });

  function showError(text) { var e = $("form-error"); e.textContent = text; e.hidden = !text; }

  // --- following ---
  var wakeLock = null;
  function keepAwake() {
    if (!("wakeLock" in navigator)) return;
    navigator.wakeLock.request("screen").then(function (l) { wakeLock = l; }).catch(function () {});
  }
  document.addEventListener("visibilitychange", function () { if (trip && document.visibilityState === "visible") keepAwake(); });

  function start(ev) {
    ev.preventDefault();
    showError("");
    if (!route && pendingStop && navigator.geolocation) { pickLineThenStart(); return; }
    begin();
  }
  function pickLineThenStart() {
    var wanted = pendingStop;
    say(TX.picking);
    navigator.geolocation.getCurrentPosition(function (pos) {
      var now = new Date(), two = function (n) { return ("0" + n).slice(-2); };
      var hhmm = two(now.getHours()) + ":" + two(now.getMinutes());
      var day = now.getFullYear() + "-" + two(now.getMonth() + 1) + "-" + two(now.getDate());
      var url = cfg.planUrl + "?origin=" + pos.coords.latitude.toFixed(6) + "," + pos.coords.longitude.toFixed(6) +
        "&destination=stop:" + encodeURIComponent(wanted.stop) + "&feed=" + encodeURIComponent(wanted.feed) +
        "&depart_from=" + hhmm + "&day=" + day + "&max_transfers=0";
      fetch(url).then(function (r) { return r.ok ? r.json() : { journeys: [] }; }).then(function (plan) {
        var ride = null;
        (plan.journeys || []).some(function (j) { ride = j.legs.filter(function (l) { return l.kind === "ride"; }).pop(); return !!ride; });
        if (!ride) { say(TX.no_line); return; }
        var value = wanted.feed + "|" + ride.route_id;
        routeSel.value = value;
        loadRoute(value).then(function () {
          addDest(wanted, true);
          begin(fmt(TX.picked, { line: ride.route_name }));
        });
      }).catch(function () { say(TX.no_line); });
    }, onGeoError, { enableHighAccuracy: true, timeout: 30000 });
  }
  function begin(prefix) {
    var d = currentDest();
    if (!route) { showError(TX.choose_route); routeSel.focus(); return; }
    if (!d) { showError(TX.choose_destination); destSel.focus(); return; }
    if (!navigator.geolocation) { showError(TX.unsupported); return; }
    var warn = Math.max(50, Math.min(2000, Number($("warn-distance").value) || 200));
    var destP = project(route.shape, route.cum, d.lat, d.lon);
    trip = { dest: d, destAlong: destP.along, warn: warn, dir: 0, startAlong: null, firedNear: false, firedArrive: false,
             lastBucket: null, busWarned: {}, onboard: false, busN: Number($("bus-distance").value) || 600 };
    alarmEl.textContent = "";
    say((prefix ? prefix + " " : "") + fmt(TX.started, { name: d.name, w: warn }));
    $("start").hidden = true; $("stop").hidden = false; $("stop").focus();
    // The written state stays on screen while following (sticky panel), not only in the voice.
    panelEl.classList.add("following");
    if (panelEl.getBoundingClientRect().top < 0 || panelEl.getBoundingClientRect().bottom > window.innerHeight) {
      panelEl.scrollIntoView({ block: "start" });
    }
    keepAwake();
    if (audioCtx === null) { try { audioCtx = new (window.AudioContext || window.webkitAudioContext)(); } catch (e) { audioCtx = null; } }
    trip.watch = navigator.geolocation.watchPosition(onPosition, onGeoError, { enableHighAccuracy: true, maximumAge: 2000, timeout: 30000 });
    if ($("bus-coming").checked) { pollBuses(); trip.busTimer = setInterval(pollBuses, 10000); }
  }
  function stop() {
    if (!trip) return;
    navigator.geolocation.clearWatch(trip.watch);
    clearInterval(trip.busTimer);
    trip = null;
    if (wakeLock) { wakeLock.release().catch(function () {}); wakeLock = null; }
    $("start").hidden = false; $("stop").hidden = true; $("start").focus();
    panelEl.classList.remove("following");
    say(TX.stopped);
  }
  function onGeoError(err) {
    if (err.code === 1) { say(TX.denied); stop(); say(TX.denied); return; }
    var text = err.code === 3 ? TX.timeout : TX.unavailable;
    // With a fix already in hand a passing error must not hide the distance: it goes to the secondary line.
    if (trip && trip.meAlong !== undefined) $("accuracy").textContent = text;
    else say(text);
  }
  function onPosition(pos) {
    if (!trip) return;
    var c = pos.coords, acc = c.accuracy || 0;
    $("accuracy").textContent = acc > 100 ? fmt(TX.poor, { a: Math.round(acc) }) : "";
    var p = project(route.shape, route.cum, c.latitude, c.longitude);
    if (map) {
      if (meMarker) meMarker.setLatLng([c.latitude, c.longitude]);
      else meMarker = L.circleMarker([c.latitude, c.longitude], { radius: 8, color: "#003a57", fillColor: "#ffbf47", fillOpacity: 1 }).addTo(map);
    }
    if (p.offset > 150) { say(fmt(TX.off_route, { d: Math.round(p.offset / 10) * 10 })); return; }
    var firstFix = trip.startAlong === null;
    if (firstFix) trip.startAlong = p.along;
    if (!trip.dir) trip.dir = trip.destAlong >= p.along ? 1 : -1;
    if (Math.abs(p.along - trip.startAlong) > 150) trip.onboard = true;
    trip.meAlong = p.along;
    if (firstFix && trip.busTimer) pollBuses();  // a rider at the roadside should not wait for the next poll
    var remaining = (trip.destAlong - p.along) * trip.dir;
    var name = trip.dest.spoken || trip.dest.name;
    if (remaining <= 30) {
      if (!trip.firedArrive) {
        trip.firedArrive = true; trip.firedNear = true;
        alarm(fmt(TX.arrive, { name: name }));
        say(fmt(TX.arrived_status, { name: trip.dest.name }));
      }
      return;
    }
    if (remaining <= trip.warn && !trip.firedNear) {
      trip.firedNear = true;
      alarm(fmt(TX.near, { d: spokenDistance(remaining), name: name }));
    }
    // Screen readers hear the distance when it crosses a step: every 500 m far away, every 100 m when close.
    var step = remaining > 1000 ? 500 : 100, bucket = Math.ceil(remaining / step);
    if (bucket !== trip.lastBucket) {
      trip.lastBucket = bucket;
      say(fmt(TX.remaining, { d: spokenDistance(remaining), name: trip.dest.name }));
    }
  }
  function pollBuses() {
    if (!trip || trip.onboard || !route) return;
    fetch(routeUrl(cfg.vehiclesUrl, route.feed, route.route_id)).then(function (r) { return r.ok ? r.json() : []; }).then(function (vs) {
      $("bus-note").hidden = !vs.some(function (v) { return v.simulated; });
      if (!trip || trip.meAlong === undefined) return;
      if (map) { if (busLayer) map.removeLayer(busLayer); busLayer = L.layerGroup().addTo(map); }
      vs.forEach(function (v) {
        var p = project(route.shape, route.cum, v.lat, v.lon);
        if (map) L.circleMarker([v.lat, v.lon], { radius: 8, color: "#1a1d21", fillColor: "#00557f", fillOpacity: 1 }).addTo(busLayer);
        var gap = (trip.meAlong - p.along) * (trip.dir || 1);
        if (p.offset < 100 && gap >= 0 && gap <= trip.busN && !trip.busWarned[v.vehicle_id]) {
          trip.busWarned[v.vehicle_id] = true;
          alarm(fmt(TX.bus, { line: route.short_name || route.route_id, d: spokenDistance(gap) }));
        }
      });
    }).catch(function () {});
  }
  $("despierta-form").addEventListener("submit", start);
  $("stop").addEventListener("click", stop);

  var preset = new URLSearchParams(location.search).get("ruta");
  if (preset) {
    routeSel.value = preset;
    if (routeSel.value === preset) loadRoute(preset);
  }
  window.MueveDespierta = { project: project, cumulative: cumulative, state: function () { return trip; } };
})();
