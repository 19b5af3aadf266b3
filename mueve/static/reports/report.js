/* Mueve — the reporting page: position from the phone on a Leaflet map, "¿Ya fue reportado?", sending with an
 * idempotency key made on the phone, and the offline queue (queue.js). Without this script the form still works
 * as a plain POST. */
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  if (!form) return;
  document.documentElement.classList.add("js");
  var config = JSON.parse(document.getElementById("report-config").textContent);
  var TEXT = JSON.parse(document.getElementById("mueve-text").textContent);
  /* Messages come translated from the server (gettext): t("key", {name: value}) fills %(name)s. */
  function t(key, values) {
    return (TEXT[key] || key).replace(/%\((\w+)\)s/g, function (_m, name) { return values ? values[name] : ""; });
  }
  var statusBox = document.getElementById("report-status");
  var errorBox = document.getElementById("report-errors");
  var whereText = document.getElementById("where-text");
  var coords = document.getElementById("coords");
  var sendButton = document.getElementById("send-button");
  var latInput = form.elements.lat;
  var lonInput = form.elements.lon;
  var METRES_PER_DEGREE = 111320;
  var NUDGE_M = 20;
  var MAX_PHOTO = 10 * 1024 * 1024;
  var PHOTO_TYPES = ["image/jpeg", "image/png", "image/webp"];

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 15) | 64;
    bytes[8] = (bytes[8] & 63) | 128;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }

  function csrfToken() { return form.elements.csrfmiddlewaretoken.value; }

  function say(message, kind, link) {
    statusBox.textContent = message;
    statusBox.dataset.kind = kind || "info";
    if (link) {
      statusBox.appendChild(document.createTextNode(" "));
      var a = document.createElement("a");
      a.href = link.href;
      a.textContent = link.text;
      statusBox.appendChild(a);
    }
  }

  /* A phone-made id kept on this phone, sent as the Open311 device_id (private: helps the abuse checks). */
  try {
    var device = localStorage.getItem("mueve-device") || uuid();
    localStorage.setItem("mueve-device", device);
    form.elements.device_id.value = device;
  } catch (e) { /* private browsing without storage: no device id */ }

  if (coords && !coords.querySelector(".has-error")) coords.open = false;

  // --- the map and the position ------------------------------------------------------------------------------
  var map = null;
  var marker = null;
  var known = false;

  function fmt(value) { return Number(value).toFixed(5); }

  function setPosition(lat, lon, how, accuracy) {
    latInput.value = Number(lat).toFixed(6);
    lonInput.value = Number(lon).toFixed(6);
    known = true;
    if (map) {
      if (!marker) {
        marker = L.marker([lat, lon], {
          draggable: true,
          keyboard: false,
          title: t("marker_title"),
          alt: t("marker_alt"),
        }).addTo(map);
        marker.on("dragend", function () {
          var p = marker.getLatLng();
          setPosition(p.lat, p.lng, "moved");
        });
      } else {
        marker.setLatLng([lat, lon]);
      }
      if (how === "phone") {
        map.setView([lat, lon], Math.max(map.getZoom(), 17), { animate: false });
      } else if (!map.getBounds().pad(-0.1).contains([lat, lon])) {
        map.panTo([lat, lon]);
      }
    }
    if (how === "phone") {
      whereText.textContent = accuracy ? t("from_phone_accuracy", { m: Math.round(accuracy) }) : t("from_phone");
    } else if (how === "moved") {
      whereText.textContent = t("moved", { lat: fmt(lat), lon: fmt(lon) });
    }
    scheduleNearby();
  }

  function startMap() {
    if (!window.L || !window.MueveMap) return;
    var center = latInput.value && lonInput.value ? [Number(latInput.value), Number(lonInput.value)] : config.center;
    map = MueveMap.create("report-map", { zoomControl: true, keyboard: false, attributionControl: true })
      .setView(center, latInput.value ? 17 : config.zoom);
    map.on("click", function (event) { setPosition(event.latlng.lat, event.latlng.lng, "moved"); });
  }

  function locate() {
    if (!navigator.geolocation) {
      whereText.textContent = t("no_geolocation");
      return;
    }
    whereText.textContent = t("locating");
    navigator.geolocation.getCurrentPosition(function (position) {
      setPosition(position.coords.latitude, position.coords.longitude, "phone", position.coords.accuracy);
    }, function () {
      whereText.textContent = known ? t("geo_kept") : t("geo_failed");
    }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
  }

  startMap();
  if (latInput.value && lonInput.value) {
    setPosition(latInput.value, lonInput.value, "moved");
  } else {
    locate();
  }
  document.getElementById("locate-me").addEventListener("click", locate);
  Array.prototype.forEach.call(document.querySelectorAll(".nudge-btn"), function (button) {
    button.addEventListener("click", function () {
      var lat = Number(latInput.value || config.center[0]);
      var lon = Number(lonInput.value || config.center[1]);
      lat += Number(button.dataset.dlat) * NUDGE_M / METRES_PER_DEGREE;
      lon += Number(button.dataset.dlon) * NUDGE_M / (METRES_PER_DEGREE * Math.cos(lat * Math.PI / 180));
      setPosition(lat, lon, "moved");
    });
  });
  [latInput, lonInput].forEach(function (input) {
    input.addEventListener("change", function () {
      var lat = Number(latInput.value);
      var lon = Number(lonInput.value);
      if (latInput.value && lonInput.value && isFinite(lat) && isFinite(lon) && Math.abs(lat) <= 90 && Math.abs(lon) <= 180) {
        setPosition(lat, lon, "moved");
      }
    });
  });

  // --- category: its questions and "¿Ya fue reportado?" -------------------------------------------------------
  function chosenService() {
    var checked = form.querySelector("input[name=service]:checked");
    return checked ? checked.value : "";
  }

  function chosenName() {
    var checked = form.querySelector("input[name=service]:checked");
    return checked ? checked.closest("label").querySelector(".category-name").textContent : "";
  }

  function showQuestions() {
    var code = chosenService();
    Array.prototype.forEach.call(form.querySelectorAll(".questions"), function (block) {
      block.hidden = block.dataset.service !== code;
    });
  }

  var nearbyBox = document.getElementById("nearby");
  var nearbyList = document.getElementById("nearby-list");
  var nearbyTimer = null;
  var nearbyAsked = "";

  function scheduleNearby() {
    clearTimeout(nearbyTimer);
    nearbyTimer = setTimeout(loadNearby, 250);
  }

  function loadNearby() {
    var code = chosenService();
    if (!code || !latInput.value || !lonInput.value || !navigator.onLine) {
      nearbyBox.hidden = true;
      return;
    }
    var query = "?service=" + encodeURIComponent(code) + "&lat=" + latInput.value + "&lon=" + lonInput.value +
      (config.jurisdiction ? "&jurisdiccion=" + encodeURIComponent(config.jurisdiction) : "");
    nearbyAsked = query;
    fetch(config.nearbyUrl + query, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : { incidents: [] }; })
      .then(function (data) { if (query === nearbyAsked) renderNearby(data.incidents || []); })
      .catch(function () { nearbyBox.hidden = true; });
  }

  var nearbyLive = document.getElementById("nearby-live");

  function renderNearby(incidents) {
    nearbyList.textContent = "";
    nearbyBox.hidden = incidents.length === 0;
    // Screen readers hear that there is something to confirm; the list itself appears below the categories.
    nearbyLive.textContent = incidents.length ? t("nearby_found", { n: incidents.length }) : "";
    incidents.forEach(function (incident) {
      var item = document.createElement("li");
      item.className = "nearby-item";
      var text = document.createElement("p");
      var people = incident.report_count === 1 ? t("one_report") : t("n_reports", { n: incident.report_count });
      text.textContent = t("nearby_line", {
        m: incident.distance_m, count: people, since: incident.since, status: incident.status,
      });
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button metoo-button";
      button.textContent = t("metoo");
      button.setAttribute("aria-label", t("metoo_label", { m: incident.distance_m }));
      button.addEventListener("click", function () { submitReport(incident.id); });
      item.appendChild(text);
      item.appendChild(button);
      nearbyList.appendChild(item);
    });
  }

  Array.prototype.forEach.call(form.querySelectorAll("input[name=service]"), function (radio) {
    radio.addEventListener("change", function () { showQuestions(); scheduleNearby(); });
  });
  showQuestions();

  // --- email and photo ---------------------------------------------------------------------------------------
  var emailToggle = form.elements.email_updates;
  var emailField = document.getElementById("email-field");
  function showEmail() { emailField.hidden = !emailToggle.checked; }
  emailToggle.addEventListener("change", showEmail);
  showEmail();

  var photoInput = form.elements.photo;
  photoInput.addEventListener("change", function () {
    var file = photoInput.files[0];
    clearErrors();
    if (!file) return;
    if (file.size > MAX_PHOTO) {
      showErrors({ photo: [t("photo_big")] });
    } else if (file.type && PHOTO_TYPES.indexOf(file.type) === -1) {
      showErrors({ photo: [t("photo_type")] });
    }
  });

  // --- errors --------------------------------------------------------------------------------------------------
  var LABELS = {
    service: t("label_service"), lat: t("label_location"), lon: t("label_location"),
    description: t("label_description"), photo: t("label_photo"), email: t("label_email"), __all__: "",
  };

  function clearErrors() {
    errorBox.hidden = true;
    errorBox.textContent = "";
    Array.prototype.forEach.call(form.querySelectorAll("[aria-invalid=true]"), function (el) {
      el.removeAttribute("aria-invalid");
    });
  }

  function showErrors(errors) {
    errorBox.textContent = "";
    var title = document.createElement("p");
    var strong = document.createElement("strong");
    strong.textContent = t("errors_title");
    title.appendChild(strong);
    errorBox.appendChild(title);
    var list = document.createElement("ul");
    Object.keys(errors).forEach(function (name) {
      errors[name].forEach(function (message) {
        var li = document.createElement("li");
        var label = LABELS[name];
        if (label === undefined) {
          var legend = form.querySelector("[name='" + name + "']");
          var holder = legend && legend.closest("fieldset, .field");
          var title = holder && holder.querySelector("legend, label");
          label = title ? title.textContent.replace(/\s*\(obligatorio\)\s*/, "") : "";
        }
        li.textContent = (label ? label + ": " : "") + message;
        list.appendChild(li);
        var input = form.querySelector("[name='" + name + "']");
        if (input) input.setAttribute("aria-invalid", "true");
        if ((name === "lat" || name === "lon") && coords) coords.open = true;
      });
    });
    errorBox.appendChild(list);
    errorBox.hidden = false;
    errorBox.focus();
  }

  // --- sending and the offline queue ---------------------------------------------------------------------------
  function fieldsOf(data) {
    var fields = [];
    data.forEach(function (value, name) {
      if (value instanceof Blob) {
        if (value.size > 0) fields.push([name, value, value.name || "foto.jpg"]);
      } else {
        fields.push([name, value]);
      }
    });
    return fields;
  }

  function resetForNext() {
    form.reset();
    form.elements.idempotency_key.value = "";
    form.elements.confirms.value = "";
    try { form.elements.device_id.value = localStorage.getItem("mueve-device") || ""; } catch (e) { /* none */ }
    if (marker) {
      var p = marker.getLatLng();
      latInput.value = p.lat.toFixed(6);
      lonInput.value = p.lng.toFixed(6);
    }
    showQuestions();
    showEmail();
    nearbyBox.hidden = true;
  }

  function queueReport(data) {
    var item = {
      key: form.elements.idempotency_key.value,
      url: form.action,
      fields: fieldsOf(data),
      csrf: csrfToken(),
      createdAt: Date.now(),
      label: chosenName(),
    };
    return window.MueveQueue.put(item).then(function () {
      resetForNext();
      say(t("queued"), "queued");
      if (navigator.serviceWorker && navigator.serviceWorker.ready) {
        navigator.serviceWorker.ready.then(function (registration) {
          if (registration.sync) return registration.sync.register("mueve-reportes");
        }).catch(function () { /* no Background Sync: the page sends when the network returns */ });
      }
      watchQueue();
    }, function () {
      say(t("no_storage"), "error");
    });
  }

  function busy(on) {
    sendButton.disabled = on;
    Array.prototype.forEach.call(document.querySelectorAll(".metoo-button"), function (b) { b.disabled = on; });
  }

  function submitReport(confirmId) {
    clearErrors();
    var problems = {};
    if (!chosenService()) problems.service = [t("choose_service")];
    if (!latInput.value || !lonInput.value) {
      problems.lat = [t("need_location")];
    }
    if (Object.keys(problems).length) { showErrors(problems); return Promise.resolve(); }
    form.elements.confirms.value = confirmId || "";
    if (!form.elements.idempotency_key.value) form.elements.idempotency_key.value = uuid();
    var data = new FormData(form);
    if (!window.MueveQueue) return Promise.resolve(form.submit());
    if (!navigator.onLine) return queueReport(data);
    busy(true);
    say(t("sending"));
    return fetch(form.action, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "Accept": "application/json" },
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        busy(false);
        if (response.status === 201) {
          say(t("sent"), "ok");
          return window.MueveQueue.remember({
            public_id: body.public_id, tracking_url: body.tracking_url, label: chosenName(), at: Date.now(),
          }).catch(function () { /* the list on this phone is a convenience */ }).then(function () {
            window.location.assign(body.tracking_url);
          });
        }
        if (response.status >= 500) return queueReport(data);
        if (response.status === 403) {
          say(t("expired"), "error");
          return;
        }
        // The server refused this report: the next try is a new one.
        form.elements.idempotency_key.value = "";
        say("");
        showErrors(body.errors || { __all__: [t("send_failed")] });
      });
    }, function () {
      busy(false);
      return queueReport(data);
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    submitReport(null);
  });

  function announce(outcome) {
    if (!outcome) return;
    if (outcome.sent.length) {
      var last = outcome.sent[outcome.sent.length - 1];
      var text = outcome.sent.length === 1
        ? t("sent_one", { id: last.public_id })
        : t("sent_many", { n: outcome.sent.length });
      say(text, "ok", { href: last.tracking_url, text: t("see_tracking") });
    }
    if (outcome.failed.length) {
      var errors = {};
      outcome.failed.forEach(function (failure) {
        Object.keys(failure.errors).forEach(function (name) {
          errors[name] = (errors[name] || []).concat(failure.errors[name]);
        });
      });
      errors.__all__ = (errors.__all__ || []).concat([t("queued_failed")]);
      showErrors(errors);
    }
  }

  var watching = null;
  function flushQueue() {
    if (!window.MueveQueue || !navigator.onLine) return Promise.resolve();
    return window.MueveQueue.flush(csrfToken()).then(function (outcome) {
      announce(outcome);
      if (!outcome.left && watching) { clearInterval(watching); watching = null; }
    }).catch(function () { /* IndexedDB unavailable */ });
  }
  function watchQueue() {
    if (!watching) watching = setInterval(flushQueue, 15000);
  }
  window.addEventListener("online", flushQueue);
  if (window.MueveQueue) {
    window.MueveQueue.count().then(function (n) {
      if (n) {
        say(n === 1 ? t("waiting_one") : t("waiting_many", { n: n }), "queued");
        watchQueue();
        flushQueue();
      }
    }).catch(function () { /* no IndexedDB */ });
  }

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(config.swUrl, { scope: config.scope }).catch(function () { /* http */ });
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data && event.data.type === "mueve-queue") announce(event.data.outcome);
    });
  }
  window.mueveReport = { submit: submitReport, flush: flushQueue };
})();
