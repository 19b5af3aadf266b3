/* Operator dashboard: a map and a priority queue of incidents, kept current by the live event stream.
 *
 * The page renders the state and the event id it was read at (`cursor`); the EventSource follows the
 * log from there, so nothing between render and connect is lost. On reconnect the browser sends
 * Last-Event-ID and the server replays what was missed; a `reset` event means "too much was missed,
 * reload the state". Triage buttons POST to the server; the result comes back through the stream, to
 * this dashboard and to every other one.
 */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("control-config").textContent);
  var t = config.i18n;
  // forms = {one, other} from the server (core.text.plural_forms): "1 reporte", "0 reportes", "2 reportes".
  function counted(forms, n) { return (n === 1 ? forms.one : forms.other).replace("%(n)s", n); }
  var ACTIVE = ["open", "acknowledged", "dispatched"];
  var SEVERITY_RANK = { informational: 0, low: 1, medium: 2, high: 3, critical: 4 };
  var COLOURS = { informational: "#5b6770", low: "#1d6b2f", medium: "#b07800", high: "#c2410c", critical: "#a4161a" };
  var incidents = new Map();
  var selected = null;
  var params = new URLSearchParams(window.location.search);
  var statusFilter = params.get("status") || "active";
  // Filters the client cannot evaluate from an event (area, agency, time, search): refetch the state instead.
  var serverFiltered = ["q", "municipality", "category", "agency", "window"].some(function (k) { return params.get(k); });

  function csrf() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function norm(raw) {
    var service = raw.service && typeof raw.service === "object" ? raw.service : { code: raw.service_code || raw.service, name: raw.service_name || raw.service };
    return {
      id: raw.id,
      service: service,
      lat: raw.lat, lon: raw.lon,
      severity: raw.severity || "medium",
      severity_label: raw.severity_label || config.severityLabels[raw.severity] || raw.severity,
      status: raw.status,
      status_label: raw.status_label || raw.status,
      report_count: raw.report_count || 1,
      priority: typeof raw.priority === "number" ? raw.priority : null,
      agency: typeof raw.agency === "object" && raw.agency ? raw.agency.name : raw.agency,
      area: typeof raw.area === "object" && raw.area ? raw.area.name : raw.area,
      address_string: raw.address_string || "",
      opened_at: raw.opened_at
    };
  }

  function visible(inc) {
    if (statusFilter === "all") return true;
    if (statusFilter === "active") return ACTIVE.indexOf(inc.status) >= 0;
    return inc.status === statusFilter;
  }

  function compare(a, b) {
    var pa = a.priority === null ? -1 : a.priority, pb = b.priority === null ? -1 : b.priority;
    if (pb !== pa) return pb - pa;
    var s = (SEVERITY_RANK[b.severity] || 0) - (SEVERITY_RANK[a.severity] || 0);
    if (s) return s;
    if (b.report_count !== a.report_count) return b.report_count - a.report_count;
    return String(a.opened_at).localeCompare(String(b.opened_at));
  }

  // --- map -------------------------------------------------------------------------------------------
  var map = MueveMap.create("ctl-map", { zoomControl: true }).setView(config.center, config.zoom);
  var layer = L.layerGroup().addTo(map);
  var CLUSTER_BELOW_ZOOM = 14, CELL_PX = 56;

  // Leaflet inserts string tooltips and divIcon html as HTML; service names come from data, so build text nodes.
  function textEl(tag, text, className) {
    var el = document.createElement(tag);
    if (className) el.className = className;
    el.textContent = text;
    return el;
  }

  function radius(inc) { return 7 + Math.min(18, 4 * Math.sqrt(inc.report_count)); }

  function drawMap() {
    layer.clearLayers();
    var items = Array.from(incidents.values()).filter(visible);
    var cells = new Map();
    var cluster = map.getZoom() < CLUSTER_BELOW_ZOOM;
    items.forEach(function (inc) {
      if (!cluster) { cells.set("i" + inc.id, [inc]); return; }
      var p = map.project([inc.lat, inc.lon], map.getZoom());
      var key = Math.floor(p.x / CELL_PX) + ":" + Math.floor(p.y / CELL_PX);
      if (!cells.has(key)) cells.set(key, []);
      cells.get(key).push(inc);
    });
    cells.forEach(function (group) {
      if (group.length === 1) {
        var inc = group[0];
        var marker = L.circleMarker([inc.lat, inc.lon], {
          radius: radius(inc), color: "#fff", weight: 2, fillColor: COLOURS[inc.severity] || "#555", fillOpacity: 0.85,
          className: "ctl-marker sev-" + inc.severity + (inc.flash ? " ctl-flash" : "")
        });
        marker.bindTooltip(textEl("span", "#" + inc.id + " " + inc.service.name + " · " + counted(t.reports, inc.report_count)));
        marker.on("click", function () { select(inc.id); });
        marker.options.incidentId = inc.id;
        layer.addLayer(marker);
        return;
      }
      var lat = 0, lon = 0, worst = "informational", total = 0;
      group.forEach(function (inc) {
        lat += inc.lat; lon += inc.lon; total += inc.report_count;
        if ((SEVERITY_RANK[inc.severity] || 0) > SEVERITY_RANK[worst]) worst = inc.severity;
      });
      var icon = L.divIcon({
        className: "ctl-cluster sev-" + worst,
        html: textEl("span", String(group.length)),
        iconSize: [36, 36]
      });
      var m = L.marker([lat / group.length, lon / group.length], { icon: icon, keyboard: true, title: group.length + " " + t.cluster });
      m.on("click", function () { map.setView(m.getLatLng(), Math.min(map.getZoom() + 2, 18)); });
      layer.addLayer(m);
    });
  }
  map.on("zoomend", drawMap);

  // --- queue -----------------------------------------------------------------------------------------
  var queue = document.getElementById("queue");
  function age(iso) {
    if (!iso) return "";
    var minutes = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 60000));
    if (minutes < 60) return minutes + " min";
    if (minutes < 60 * 48) return Math.round(minutes / 60) + " h";
    return Math.round(minutes / 1440) + " d";
  }

  function drawQueue() {
    var items = Array.from(incidents.values()).filter(visible).sort(compare);
    queue.textContent = "";
    items.forEach(function (inc) {
      var li = document.createElement("li");
      li.className = "ctl-item sev-" + inc.severity + (inc.flash ? " ctl-flash" : "") + (selected === inc.id ? " is-selected" : "");
      li.dataset.id = inc.id;
      li.dataset.status = inc.status;
      var open = document.createElement("button");
      open.type = "button";
      open.className = "ctl-item-open";
      var meta = [
        inc.address_string || inc.area || t.noAddress,
        counted(t.reports, inc.report_count),
        inc.status_label,
        inc.agency || t.unassigned,
        age(inc.opened_at)
      ].join(" · ");
      [["ctl-sev", inc.severity_label], ["ctl-item-title", "#" + inc.id + " " + inc.service.name], ["ctl-item-meta", meta]]
        .forEach(function (part) { open.appendChild(textEl("span", part[1])).className = part[0]; });
      open.addEventListener("click", function () { select(inc.id); });
      li.appendChild(open);
      if (inc.status === "open") {
        var ack = document.createElement("button");
        ack.type = "button";
        ack.className = "button ctl-ack";
        ack.textContent = t.quickAck;
        ack.setAttribute("aria-label", t.quickAck + " #" + inc.id);
        ack.addEventListener("click", function () { act(inc.id, "acknowledge", new FormData()); });
        li.appendChild(ack);
      }
      queue.appendChild(li);
    });
    document.getElementById("queue-count").textContent = "(" + items.length + ")";
    document.getElementById("queue-empty").hidden = items.length > 0;
    var unack = 0;
    incidents.forEach(function (inc) { if (inc.status === "open") unack += 1; });
    document.getElementById("unack-count").textContent = unack;
  }

  var pending = null;
  function redraw() {
    if (pending) return;
    pending = window.requestAnimationFrame(function () { pending = null; drawMap(); drawQueue(); drawDetail(); });
  }

  // --- detail & actions -----------------------------------------------------------------------------
  var detail = document.getElementById("detail");
  function select(id) {
    selected = id;
    document.getElementById("action-errors").textContent = "";
    detail.hidden = false;
    drawDetail();
    redraw();
    document.getElementById("detail-heading").focus();
    var inc = incidents.get(id);
    if (inc) map.panTo([inc.lat, inc.lon]);
    // Other panels of the incident (visual checks) follow the selection.
    document.dispatchEvent(new CustomEvent("mueve:incident-selected", { detail: { id: id } }));
    fetch(config.detailUrl.replace("/0/", "/" + id + "/"), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        var box = document.getElementById("split-reports");
        box.textContent = "";
        document.getElementById("detail-reports").textContent = "";
        document.getElementById("detail-history").textContent = "";
        if (!data || selected !== id) return;
        data.reports.forEach(function (report) {
          var label = document.createElement("label");
          var input = document.createElement("input");
          input.type = "checkbox"; input.name = "reports"; input.value = report.public_id;
          label.appendChild(input);
          label.appendChild(document.createTextNode(" " + report.public_id + " · " + when(report.requested_datetime)));
          box.appendChild(label);
        });
        drawEvidence(data.reports || []);
        drawHistory(data.history || []);
        drawSensors(data.sensors || []);
        drawHandling(data.agencies || []);
      });
  }

  // --- "Asignar a": the agencies of this incident's service first; any other only by searching its name ------
  var allAgencies = JSON.parse(document.getElementById("control-agencies").textContent);
  var agencySelect = document.getElementById("a-agency");
  var agencySearch = document.getElementById("a-agency-search");
  var agencyHint = document.getElementById("a-agency-hint");
  var handlingGroup = document.getElementById("a-agency-handling");
  var foundGroup = document.getElementById("a-agency-found");
  var handlingIds = [];
  var FOUND_LIMIT = 15;
  function option(id, name) {
    var el = document.createElement("option");
    el.value = String(id);
    el.textContent = name;
    return el;
  }
  function drawHandling(agencies) {
    handlingGroup.textContent = "";
    handlingIds = agencies.map(function (a) { return a.id; });
    agencies.forEach(function (a) { handlingGroup.appendChild(option(a.id, a.name)); });
    handlingGroup.hidden = agencies.length === 0;
    agencySearch.value = "";
    findAgencies();
    agencySelect.value = "";
  }
  function fold(text) { return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase(); }
  function findAgencies() {
    var words = fold(agencySearch.value.trim()).split(/\s+/).filter(Boolean);
    foundGroup.textContent = "";
    agencyHint.textContent = "";
    if (!words.length) { foundGroup.hidden = true; return; }
    var matches = allAgencies.filter(function (pair) {
      var name = fold(pair[1]);
      return handlingIds.indexOf(pair[0]) < 0 && words.every(function (w) { return name.indexOf(w) >= 0; });
    });
    matches.slice(0, FOUND_LIMIT).forEach(function (pair) { foundGroup.appendChild(option(pair[0], pair[1])); });
    foundGroup.hidden = matches.length === 0;
    agencyHint.textContent = matches.length
      ? t.agenciesFound.replace("%(count)s", matches.length).replace("%(shown)s", Math.min(matches.length, FOUND_LIMIT))
      : t.agenciesNone;
    if (matches.length) agencySelect.value = String(matches[0][0]);
  }
  agencySearch.addEventListener("input", findAgencies);
  agencySearch.addEventListener("keydown", function (event) {
    if (event.key === "Enter") { event.preventDefault(); agencySelect.focus(); }
  });
  // The short date style of docs/architecture.md («Voz y fechas»): "05-12-2026, 14:30".
  function when(iso) {
    return new Date(iso).toLocaleString(document.documentElement.lang === "en" ? "en" : "es-CL",
      { day: "2-digit", month: "2-digit", year: "numeric", hour: "2-digit", minute: "2-digit" });
  }
  // What the citizens sent, whole: every photo, every answer, the full description. Always as text nodes.
  function drawEvidence(reports) {
    var list = document.getElementById("detail-reports");
    reports.forEach(function (report) {
      var item = document.createElement("li");
      item.className = "ctl-report";
      item.appendChild(textEl("p", report.public_id + " · " + when(report.requested_datetime), "meta"));
      (report.photos || []).forEach(function (photo, index) {
        var img = document.createElement("img");
        img.src = photo.url;
        img.alt = t.photoAlt.replace("%(id)s", report.public_id) + (report.photos.length > 1 ? " (" + (index + 1) + ")" : "");
        img.loading = "lazy";
        img.className = "ctl-photo";
        item.appendChild(img);
      });
      if ((report.answers || []).length) {
        var answers = document.createElement("dl");
        answers.className = "ctl-answers";
        report.answers.forEach(function (answer) {
          answers.appendChild(textEl("dt", answer.question));
          answers.appendChild(textEl("dd", answer.answer));
        });
        item.appendChild(answers);
      }
      item.appendChild(textEl("p", report.description || t.noDescription, "ctl-description"));
      list.appendChild(item);
    });
  }
  function drawHistory(changes) {
    var list = document.getElementById("detail-history");
    changes.forEach(function (change) {
      var item = document.createElement("li");
      item.appendChild(textEl("span", when(change.created_at) + " · " + change.action + (change.actor ? " · " + change.actor : "")));
      if (change.note) item.appendChild(textEl("p", t.internalNote + ": " + change.note));
      if (change.public_reply) item.appendChild(textEl("p", t.publicReply + ": " + change.public_reply));
      list.appendChild(item);
    });
  }
  // What sensors said (rules that fired on this incident): each firing with its readings, as a small table.
  function drawSensors(firings) {
    var box = document.getElementById("detail-sensors");
    var list = document.getElementById("detail-sensor-list");
    list.textContent = "";
    box.hidden = firings.length === 0;
    firings.forEach(function (firing) {
      var item = document.createElement("li");
      item.appendChild(textEl("p", firing.device_name + " (" + firing.device + ") · " + firing.rule + " · " + firing.condition));
      item.appendChild(textEl("p", when(firing.started_at) + (firing.ended_at ? " – " + when(firing.ended_at) : " · " + t.sensorActive)));
      if (firing.readings.length) {
        var table = document.createElement("table");
        table.className = "ctl-sensor-readings";
        var caption = table.appendChild(document.createElement("caption"));
        caption.textContent = firing.metric_label;
        var head = table.appendChild(document.createElement("thead")).appendChild(document.createElement("tr"));
        [t.sensorTime, t.sensorValue].forEach(function (label) {
          var th = head.appendChild(document.createElement("th")); th.scope = "col"; th.textContent = label;
        });
        var body = table.appendChild(document.createElement("tbody"));
        firing.readings.forEach(function (reading) {
          var row = body.appendChild(document.createElement("tr"));
          row.appendChild(textEl("td", when(reading.time)));
          row.appendChild(textEl("td", reading.value + " " + reading.unit)).className = "num";
        });
        item.appendChild(table);
      }
      list.appendChild(item);
    });
  }
  function drawDetail() {
    if (selected === null) return;
    var inc = incidents.get(selected);
    if (!inc) return;
    document.getElementById("detail-heading").textContent = "#" + inc.id + " " + inc.service.name;
    document.getElementById("detail-meta").textContent = [inc.severity_label, inc.status_label, counted(t.reports, inc.report_count), inc.agency || t.unassigned, inc.address_string || inc.area || ""].filter(Boolean).join(" · ");
  }
  document.getElementById("detail-close").addEventListener("click", function () {
    selected = null; detail.hidden = true; redraw();
    document.dispatchEvent(new CustomEvent("mueve:incident-selected", { detail: { id: null } }));
  });

  function act(id, action, form) {
    var errors = document.getElementById("action-errors");
    errors.textContent = "";
    fetch(config.actionUrl.replace("/0/", "/" + id + "/").replace("ACTION", action), {
      method: "POST", body: form, credentials: "same-origin", headers: { "X-CSRFToken": csrf() }
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok) {
          var messages = [];
          Object.keys(data.errors || {}).forEach(function (k) { messages = messages.concat(data.errors[k]); });
          errors.textContent = messages.join(" ") || t.error;
          return;
        }
        if (data.incident) upsert(data.incident, false);
        document.getElementById("a-note").value = "";
        document.getElementById("a-reply").value = "";
      });
    }).catch(function () { errors.textContent = t.error; });
  }
  document.querySelectorAll("#action-form [data-action]").forEach(function (button) {
    button.addEventListener("click", function () {
      if (selected === null) return;
      var form = new FormData(document.getElementById("action-form"));
      if (button.dataset.reason) {
        form.set("reason", button.dataset.reason);
        form.set("duplicate_of", form.get("target") || "");
      }
      act(selected, button.dataset.action, form);
    });
  });

  // --- sound -----------------------------------------------------------------------------------------
  var sound = document.getElementById("sound-toggle");
  sound.checked = window.localStorage.getItem("mueve-control-sound") === "1";
  sound.addEventListener("change", function () { window.localStorage.setItem("mueve-control-sound", sound.checked ? "1" : "0"); });
  var audio = null;
  function beep() {
    if (!sound.checked) return;
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      var osc = audio.createOscillator(), gain = audio.createGain();
      osc.frequency.value = 880; gain.gain.value = 0.15;
      osc.connect(gain); gain.connect(audio.destination);
      osc.start(); osc.stop(audio.currentTime + 0.25);
    } catch (e) { /* no audio device: the flash is enough */ }
  }

  // --- state & stream --------------------------------------------------------------------------------
  function upsert(raw, live) {
    var inc = norm(raw);
    var before = incidents.get(inc.id);
    if (before && before.priority !== null && inc.priority === null) inc.priority = before.priority;
    if (!before && live && config.highSeverities.indexOf(inc.severity) >= 0 && visible(inc)) {
      inc.flash = true;
      beep();
      window.setTimeout(function () { var i = incidents.get(inc.id); if (i) { i.flash = false; redraw(); } }, 6000);
    } else if (before) {
      inc.flash = before.flash;
    }
    incidents.set(inc.id, inc);
    redraw();
  }

  function load(state) {
    incidents.clear();
    state.incidents.forEach(function (raw) { upsert(raw, false); });
    redraw();
  }
  load(config.state);
  // A link from elsewhere (the sensors page) opens one incident: ?incidente=<id>.
  var wanted = parseInt(params.get("incidente") || "", 10);
  if (wanted && incidents.has(wanted)) select(wanted);

  var refetchTimer = null;
  function refetch() {
    window.clearTimeout(refetchTimer);
    refetchTimer = window.setTimeout(function () {
      fetch(config.stateUrl + window.location.search, { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(load);
    }, 300);
  }

  var status = document.getElementById("live-status");
  var source = new EventSource(config.stream + "&since=" + config.state.cursor, { withCredentials: true });
  source.onopen = function () { status.textContent = t.live; status.dataset.state = "live"; };
  source.onerror = function () { status.textContent = t.reconnecting; status.dataset.state = "reconnecting"; };
  source.addEventListener("reset", function () { status.textContent = t.reloading; refetch(); });
  source.onmessage = function (message) {
    var event = JSON.parse(message.data);
    status.textContent = t.live; status.dataset.state = "live";
    document.getElementById("control").dataset.lastEventId = message.lastEventId;
    var payload = event.payload || {};
    if (payload.incident) {
      if (serverFiltered) { refetch(); return; }
      upsert(payload.incident, true);
    }
    (payload.incidents || []).forEach(function (raw) { upsert(raw, true); });
  };
  window.mueveControl = { incidents: incidents, map: map, source: source };
})();
