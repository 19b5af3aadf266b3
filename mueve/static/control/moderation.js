/* The moderation queue: draw the zones of a photo to blur with the pointer. The drawing only fills the form's text
   field (x,y,width,height in the stored photo's pixels, separated by ";"), which can also be typed by keyboard. */
(function () {
  "use strict";

  function parse(value) {
    return value.split(";").map(function (part) {
      return part.split(",").map(function (n) { return parseInt(n, 10); });
    }).filter(function (box) {
      return box.length === 4 && box.every(function (n) { return isFinite(n); });
    });
  }

  function setUp(area) {
    var input = document.getElementById(area.getAttribute("data-regions"));
    var img = area.querySelector("img");
    if (!input || !img) return;
    var width = parseInt(area.getAttribute("data-width"), 10);
    var height = parseInt(area.getAttribute("data-height"), 10);
    var start = null;
    var drawing = null;

    function pointIn(event) {
      var rect = img.getBoundingClientRect();
      var x = Math.round((event.clientX - rect.left) * width / rect.width);
      var y = Math.round((event.clientY - rect.top) * height / rect.height);
      return { x: Math.max(0, Math.min(width, x)), y: Math.max(0, Math.min(height, y)) };
    }

    function place(node, box) {
      node.style.left = (100 * box[0] / width) + "%";
      node.style.top = (100 * box[1] / height) + "%";
      node.style.width = (100 * box[2] / width) + "%";
      node.style.height = (100 * box[3] / height) + "%";
    }

    function draw() {
      Array.prototype.forEach.call(area.querySelectorAll(".mod-box"), function (node) { node.remove(); });
      parse(input.value).forEach(function (box) {
        var node = document.createElement("span");
        node.className = "mod-box";
        place(node, box);
        area.appendChild(node);
      });
    }

    function boxOf(a, b) {
      return [Math.min(a.x, b.x), Math.min(a.y, b.y), Math.abs(a.x - b.x), Math.abs(a.y - b.y)];
    }

    area.addEventListener("pointerdown", function (event) {
      event.preventDefault();
      start = pointIn(event);
      drawing = document.createElement("span");
      drawing.className = "mod-box";
      area.appendChild(drawing);
      area.setPointerCapture(event.pointerId);
    });
    area.addEventListener("pointermove", function (event) {
      if (start) place(drawing, boxOf(start, pointIn(event)));
    });
    area.addEventListener("pointerup", function (event) {
      if (!start) return;
      var box = boxOf(start, pointIn(event));
      start = null;
      if (box[2] >= 4 && box[3] >= 4) {
        input.value = (input.value.trim() ? input.value.trim() + "; " : "") + box.join(",");
      }
      draw();
    });
    input.addEventListener("input", draw);

    var clear = document.createElement("button");
    clear.type = "button";
    clear.className = "button button-secondary mod-clear";
    clear.textContent = area.getAttribute("data-clear-label") || "Borrar zonas";
    clear.addEventListener("click", function () { input.value = ""; draw(); input.focus(); });
    area.insertAdjacentElement("afterend", clear);
    draw();
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll(".mod-draw[data-regions]"), setUp);
  });
})();
