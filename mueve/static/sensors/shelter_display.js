/* The shelter's display (Refugio Inteligente): refreshes the next arrivals and the alerts from the page's JSON
   every few seconds, and reads them aloud on «Escuchar» (Web Speech API, es-CL) for blind riders. Data reaches the
   page as text only (textContent), never as HTML. */
(function () {
  "use strict";
  var root = document.querySelector(".shelter-display");
  var source = document.getElementById("display-data");
  if (!root || !source) return;
  var data = JSON.parse(source.textContent);
  var status = document.getElementById("display-status");
  var arrivals = document.getElementById("display-arrivals");
  var alerts = document.getElementById("display-alerts");
  var button = document.getElementById("display-speak");
  var every = (parseInt(root.dataset.refresh, 10) || 30) * 1000;

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function say(text) {
    if (status.textContent !== text) status.textContent = text;
  }

  function render(d) {
    var items = [];
    d.arrivals.forEach(function (a) {
      var li = el("li", "arrival" + (a.realtime ? " is-live" : ""));
      li.appendChild(el("span", "arrival-line", a.line));
      li.appendChild(el("span", "arrival-to", a.headsign));
      var when = el("span", "arrival-when");
      when.appendChild(el("strong", "arrival-min", a.when));
      when.appendChild(document.createTextNode(" "));
      when.appendChild(el("span", "arrival-time", a.time));
      li.appendChild(when);
      li.appendChild(el("span", "arrival-status", a.status + (a.delay ? " · " + a.delay : "")));
      items.push(li);
    });
    if (!items.length) items.push(el("li", "arrival-none", root.dataset.empty));
    arrivals.replaceChildren.apply(arrivals, items);

    var notes = [];
    d.alerts.forEach(function (a) {
      var li = el("li");
      li.appendChild(el("strong", "", a.header));
      li.appendChild(document.createTextNode(" "));
      li.appendChild(el("span", "", a.description));
      notes.push(li);
    });
    d.notices.forEach(function (n) { notes.push(el("li", "", n)); });
    if (!notes.length) notes.push(el("li", "alert-none", root.dataset.noAlerts));
    alerts.replaceChildren.apply(alerts, notes);
    say(d.summary);
  }

  function refresh() {
    fetch(root.dataset.url, { headers: { Accept: "application/json" }, cache: "no-store", credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (d) { data = d; render(d); })
      .catch(function () { say(root.dataset.offline + " " + data.updated + "."); });
  }

  function pickVoice(synth) {
    var voices = synth.getVoices ? synth.getVoices() : [];
    for (var i = 0; i < voices.length; i++) if (voices[i].lang === "es-CL") return voices[i];
    for (var j = 0; j < voices.length; j++) if ((voices[j].lang || "").indexOf("es") === 0) return voices[j];
    return null;
  }

  button.addEventListener("click", function () {
    var synth = window.speechSynthesis;
    if (!synth || !window.SpeechSynthesisUtterance) {
      say(root.dataset.noVoice);
      return;
    }
    synth.cancel();
    var utterance = new window.SpeechSynthesisUtterance(data.spoken.join(" "));
    utterance.lang = "es-CL";
    utterance.rate = 0.95;
    var voice = pickVoice(synth);
    if (voice) utterance.voice = voice;
    synth.speak(utterance);
    say(root.dataset.reading);
  });

  window.setInterval(refresh, every);
})();
