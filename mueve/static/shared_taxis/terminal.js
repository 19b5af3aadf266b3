/* Tu Colectivo, the terminal's dispatcher: the queue, the recommended departures and the demand, refreshed from
   polled JSON (the same selector as the page), built with DOM nodes. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("ct-config").textContent);
  var t = config.i18n;
  function fmt(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (_, key) { return String(values[key]); });
  }
  function row(cells, strongFirst) {
    var tr = document.createElement("tr");
    cells.forEach(function (value, i) {
      var td = document.createElement("td");
      if (strongFirst === i) {
        var strong = document.createElement("strong");
        strong.textContent = value;
        td.appendChild(strong);
      } else {
        td.textContent = value;
      }
      tr.appendChild(td);
    });
    return tr;
  }
  function clear(el) { while (el.firstChild) { el.removeChild(el.firstChild); } }
  var queue = document.getElementById("ct-queue");
  var demand = document.getElementById("ct-demand");
  var running = document.getElementById("ct-running");
  function render(view) {
    clear(queue);
    if (!view.queue.length) {
      var tr = row([t.empty]);
      tr.firstChild.colSpan = 4;
      queue.appendChild(tr);
    }
    view.queue.forEach(function (q) {
      var advice = q.depart_now ? t.now : q.depart_in_min !== null ? fmt(t.in, { n: q.depart_in_min }) : t.wait;
      queue.appendChild(row([q.plate, fmt(t.queued, { n: q.queued_min }), advice, String(q.seats)], q.depart_now ? 2 : -1));
    });
    clear(demand);
    view.demand.forEach(function (b) {
      demand.appendChild(row([fmt(t.km, { a: b.from_km, b: b.to_km }), String(b.requests), String(b.seats), String(b.unassigned_seats)]));
    });
    clear(running);
    if (!view.running.length) {
      var li = document.createElement("li");
      li.textContent = t.none;
      running.appendChild(li);
    }
    view.running.forEach(function (c) {
      var item = document.createElement("li");
      item.textContent = fmt(t.running, { plate: c.plate, m: c.along_m, n: c.free_seats });
      running.appendChild(item);
    });
  }
  function poll() {
    fetch(config.status_url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data) { render(data); } window.setTimeout(poll, config.poll_ms); })
      .catch(function () { window.setTimeout(poll, config.poll_ms * 2); });
  }
  window.setTimeout(poll, config.poll_ms);
})();
