/* i-BiciPark security desk: follows the desk's live stream (Server-Sent Events) and shows each alarm as it is
 * raised, gets its camera picture, or is closed. Every message is one alarm's whole state, so an item is simply
 * replaced (upsert by id); every connection starts with the open alarms, so a reconnecting page misses nothing.
 * Data reaches the page as text (textContent, attributes), never as HTML. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("bicipark-desk-config").textContent);
  var t = document.getElementById("bp-i18n").dataset;
  var list = document.getElementById("bp-alarms");
  var closed = document.getElementById("bp-closed");
  var none = document.getElementById("bp-none");
  var status = document.getElementById("live-status");
  var template = document.getElementById("bp-alarm-template");

  function setStatus(state, text) {
    status.dataset.state = state;
    status.textContent = text;
  }
  function fill(pattern, values) {
    return pattern.replace(/%\((\w+)\)s/g, function (_m, key) { return values[key] == null ? "" : String(values[key]); });
  }
  function field(item, name) { return item.querySelector('[data-field="' + name + '"]'); }

  function snapshot(item, a) {
    var box = field(item, "snapshot");
    var img = box.querySelector("img");
    if (a.snapshot_url) {
      if (img && img.getAttribute("src") === a.snapshot_url) return;
      box.textContent = "";
      img = document.createElement("img");
      img.src = a.snapshot_url;
      img.alt = t.photoalt;
      box.appendChild(img);
    } else if (!img) {
      box.textContent = "";
      var p = document.createElement("p");
      p.className = "meta";
      p.textContent = t.nophoto;
      box.appendChild(p);
    }
  }

  function build(a) {
    var item = template.content.firstElementChild.cloneNode(true);
    item.querySelectorAll("[id],[for],[aria-labelledby]").forEach(function (node) {
      ["id", "for", "aria-labelledby"].forEach(function (name) {
        var value = node.getAttribute(name);
        if (value) node.setAttribute(name, value.replace("__ID__", a.id));
      });
    });
    item.id = "alarma-" + a.id;
    item.setAttribute("aria-labelledby", "alarma-" + a.id + "-h");
    item.dataset.id = a.id;
    field(item, "form").setAttribute("action", a.close_url);
    return item;
  }

  function closedEntry(a) {
    var li = document.createElement("li");
    li.dataset.id = a.id;
    var strong = document.createElement("strong");
    strong.textContent = a.status_label;
    li.appendChild(strong);
    li.appendChild(document.createTextNode(" · " + fill(t.title, a) + " · " + a.triggered_text));
    li.appendChild(document.createElement("br"));
    var meta = document.createElement("span");
    meta.className = "meta";
    meta.textContent = fill(t.closed, { who: a.closed_by, when: a.closed_text }) + (a.reason ? ": " + a.reason : "");
    li.appendChild(meta);
    return li;
  }

  function show(a) {
    var item = document.getElementById("alarma-" + a.id);
    if (a.status !== "open") {
      if (item) item.remove();
      if (!closed.querySelector('li[data-id="' + a.id + '"]')) {
        var placeholder = closed.querySelector("li.meta");
        if (placeholder) placeholder.remove();
        closed.insertBefore(closedEntry(a), closed.firstChild);
      }
    } else {
      var fresh = !item;
      if (fresh) item = build(a);
      item.dataset.status = a.status;
      field(item, "title").textContent = fill(t.title, a);
      var when = field(item, "when");
      when.textContent = a.triggered_text;
      when.setAttribute("datetime", a.triggered_at);
      field(item, "weight").textContent = a.weight_before + " kg → " + a.weight_after + " kg";
      snapshot(item, a);
      if (fresh) {
        list.insertBefore(item, list.firstChild);
        item.classList.add("bp-flash");
      }
    }
    none.hidden = list.children.length > 0;
  }

  if (!window.EventSource) return;
  var source = new EventSource(config.stream);
  source.onopen = function () { setStatus("live", t.live); };
  source.onerror = function () {
    if (source.readyState !== EventSource.CLOSED) setStatus("reconnecting", t.reconnecting);
  };
  source.addEventListener("revoked", function () {
    source.close();
    setStatus("revoked", t.revoked);
  });
  source.onmessage = function (event) {
    var data;
    try { data = JSON.parse(event.data); } catch (e) { return; }
    if (data && data.id) show(data);
  };
})();
