/* The drone pilot's phone page: the missions the control centre asked for, the next step of each, the pilot's
   position while flying, snapshots and the live stream's address. Data is inserted as text, never as HTML. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("pilot-config").textContent);
  var t = config.i18n;
  var list = document.getElementById("missions");
  var status = document.getElementById("pilot-status");
  var cards = new Map();
  var watchId = null;
  var watching = null;
  var lastSent = 0;

  function csrf() { return document.querySelector("input[name=csrfmiddlewaretoken]").value; }
  function url(template, id) { return template.replace("/0/", "/" + id + "/"); }
  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text) node.textContent = text;
    if (className) node.className = className;
    return node;
  }
  function post(target, body, errorsBox) {
    body.append("csrfmiddlewaretoken", csrf());
    return fetch(target, { method: "POST", body: body, credentials: "same-origin" }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (errorsBox) errorsBox.textContent = "";
        if (!response.ok) {
          var messages = [];
          Object.keys(data.errors || {}).forEach(function (k) { messages = messages.concat(data.errors[k]); });
          if (errorsBox) errorsBox.textContent = messages.join(" ") || t.error;
          return null;
        }
        if (data.mission) update(data.mission);
        return data.mission;
      });
    }).catch(function () { if (errorsBox) errorsBox.textContent = t.error; return null; });
  }

  function sharePosition(mission, checkbox, note) {
    if (!checkbox.checked) {
      if (watchId !== null && watching === mission.id) { navigator.geolocation.clearWatch(watchId); watchId = null; }
      return;
    }
    if (!("geolocation" in navigator)) { note.textContent = t.noGeo; checkbox.checked = false; return; }
    if (watchId !== null) navigator.geolocation.clearWatch(watchId);
    watching = mission.id;
    watchId = navigator.geolocation.watchPosition(function (pos) {
      var now = Date.now();
      if (now - lastSent < 5000) return;  // one position every 5 s is plenty for the control centre's map
      lastSent = now;
      var body = new FormData();
      body.append("lat", pos.coords.latitude);
      body.append("lon", pos.coords.longitude);
      post(url(config.positionUrl, mission.id), body, note).then(function (m) { if (m) note.textContent = t.positionSent; });
    }, function () { note.textContent = t.noGeo; }, { enableHighAccuracy: true, maximumAge: 5000 });
  }

  function build(mission) {
    var item = el("li", null, "vc-mission");
    item.dataset.id = mission.id;
    var heading = el("h2", mission.incident_label);
    heading.id = "m-" + mission.id;
    item.setAttribute("aria-labelledby", heading.id);
    item.appendChild(heading);
    var state = el("p", null, "vc-state");
    item.appendChild(state);
    if (mission.flight_minutes !== null) item.appendChild(el("p", t.flight.replace("%(min)s", mission.flight_minutes), "meta"));
    var map = el("a", t.map);
    map.href = "https://www.openstreetmap.org/?mlat=" + mission.incident_lat + "&mlon=" + mission.incident_lon + "#map=17/" + mission.incident_lat + "/" + mission.incident_lon;
    map.rel = "noopener";
    item.appendChild(el("p")).appendChild(map);
    var errors = el("p", null, "vc-error");
    errors.setAttribute("role", "alert");
    var step = el("button", "", "button vc-step");
    step.type = "button";
    step.addEventListener("click", function () {
      var body = new FormData();
      body.append("status", step.dataset.status);
      post(url(config.stepUrl, mission.id), body, errors);
    });
    item.appendChild(step);

    var share = el("label", null, "vc-share");
    var box = document.createElement("input");
    box.type = "checkbox";
    share.appendChild(box);
    share.appendChild(document.createTextNode(" " + t.share));
    var note = el("span", null, "meta");
    note.setAttribute("aria-live", "polite");
    box.addEventListener("change", function () { sharePosition(mission, box, note); });
    item.appendChild(share);
    item.appendChild(note);

    var media = el("div", null, "vc-media");
    var shotForm = el("form", null, "vc-form");
    var fileId = "shot-" + mission.id;
    var fileLabel = el("label", t.snapshot);
    fileLabel.htmlFor = fileId;
    var file = document.createElement("input");
    file.type = "file"; file.id = fileId; file.name = "image"; file.accept = "image/jpeg,image/png"; file.required = true;
    var send = el("button", t.send, "button");
    send.type = "submit";
    [fileLabel, file, send].forEach(function (n) { shotForm.appendChild(n); });
    shotForm.addEventListener("submit", function (event) {
      event.preventDefault();
      if (!file.files.length) return;
      var body = new FormData();
      body.append("image", file.files[0]);
      post(url(config.snapshotUrl, mission.id), body, errors).then(function (m) { if (m) { file.value = ""; status.textContent = t.sent; } });
    });
    var streamForm = el("form", null, "vc-form");
    var urlId = "stream-" + mission.id;
    var urlLabel = el("label", t.stream);
    urlLabel.htmlFor = urlId;
    var input = document.createElement("input");
    input.type = "url"; input.id = urlId; input.name = "stream_url"; input.required = true; input.inputMode = "url";
    var set = el("button", t.setStream, "button button-secondary");
    set.type = "submit";
    [urlLabel, input, set].forEach(function (n) { streamForm.appendChild(n); });
    streamForm.addEventListener("submit", function (event) {
      event.preventDefault();
      var body = new FormData();
      body.append("stream_url", input.value);
      post(url(config.streamUrl, mission.id), body, errors).then(function (m) { if (m) status.textContent = t.sent; });
    });
    media.appendChild(shotForm);
    media.appendChild(streamForm);
    item.appendChild(media);
    var count = el("p", null, "meta vc-count");
    item.appendChild(count);
    item.appendChild(errors);
    list.appendChild(item);
    return { item: item, state: state, step: step, share: share, media: media, count: count, box: box, note: note };
  }

  function update(mission) {
    var card = cards.get(mission.id);
    if (!card) { card = build(mission); cards.set(mission.id, card); }
    card.item.dataset.status = mission.status;
    card.state.textContent = mission.resource_name + " · " + mission.status_label;
    var next = config.next[mission.status];
    card.step.hidden = !next;
    if (next) { card.step.dataset.status = next[0]; card.step.textContent = next[1]; }
    var flying = mission.status === "in_flight" || mission.status === "on_scene";
    card.media.hidden = !flying;
    card.share.hidden = mission.status === "requested" || mission.status === "returned";
    if (mission.status === "returned" && card.box.checked) { card.box.checked = false; sharePosition(mission, card.box, card.note); }
    card.count.textContent = t.images.replace("%(n)s", mission.snapshots.length) + (mission.stream_url ? " · HLS" : "");
  }

  function refresh() {
    fetch(config.missionsUrl, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) return;
        data.missions.forEach(update);
        status.textContent = data.missions.length ? "" : t.none;
      })
      .catch(function () {});
  }
  refresh();
  window.setInterval(refresh, 4000);
})();
