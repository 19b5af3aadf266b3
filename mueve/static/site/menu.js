/* The main menu on a phone: twelve links wrap into five lines above every page's content, so below 40rem the menu
   folds behind a "Menú" button (a disclosure: aria-expanded, the links stay in the page's order). Without
   JavaScript the menu stays open, as it always was. */
(function () {
  "use strict";
  var button = document.getElementById("menu-toggle");
  var menu = document.getElementById("site-menu");
  if (!button || !menu) return;
  var narrow = window.matchMedia("(max-width: 40rem)");
  function set(open) {
    button.setAttribute("aria-expanded", String(open));
    menu.hidden = !open;
  }
  function fit() {
    button.hidden = !narrow.matches;
    set(!narrow.matches);
  }
  button.addEventListener("click", function () {
    var open = button.getAttribute("aria-expanded") !== "true";
    set(open);
    if (open) {
      var first = menu.querySelector("a, button, select");
      if (first) first.focus();
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && narrow.matches && !menu.hidden) {
      set(false);
      button.focus();
    }
  });
  if (narrow.addEventListener) narrow.addEventListener("change", fit);
  fit();
})();
