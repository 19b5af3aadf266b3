/* The report page keeps a random id on this phone (localStorage "mueve-device"); offering to join the reports made
   from it to the account only makes sense where that id exists. */
(function () {
  "use strict";
  var form = document.getElementById("claim-device");
  if (!form) { return; }
  var device = "";
  try { device = localStorage.getItem("mueve-device") || ""; } catch (e) { /* storage blocked: nothing to offer */ }
  if (!device) { return; }
  form.elements.device_id.value = device;
  form.hidden = false;
})();
