// The tile view of the map: place the tiles and markers the server laid out (in percent of the
// box). Styles are set from here because the console's Content-Security-Policy allows no inline
// style attributes.
(function () {
  "use strict";
  var items = document.querySelectorAll(".map-box [data-left]");
  Array.prototype.forEach.call(items, function (el) {
    el.style.left = el.getAttribute("data-left") + "%";
    el.style.top = el.getAttribute("data-top") + "%";
    if (el.hasAttribute("data-w")) {
      el.style.width = el.getAttribute("data-w") + "%";
      el.style.height = el.getAttribute("data-h") + "%";
    }
  });
}());
