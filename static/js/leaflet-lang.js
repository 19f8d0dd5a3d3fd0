// Leaflet's own words (zoom buttons, popup close button, attribution link, default marker
// text) in the page's language; the page gives them, translated, on this script's tag.
(function () {
  "use strict";
  var words = document.currentScript && document.currentScript.dataset;
  if (!window.L || !words) { return; }
  L.Control.Zoom.mergeOptions({ zoomInTitle: words.zoomIn, zoomOutTitle: words.zoomOut });
  L.Marker.mergeOptions({ alt: words.marker });
  var prefix = L.Control.Attribution.prototype.options.prefix;
  if (typeof prefix === "string") {
    var title = words.library.replace(/&/g, "&amp;").replace(/"/g, "&quot;")
      .replace(/</g, "&lt;");
    L.Control.Attribution.mergeOptions({
      prefix: prefix.replace(/title="[^"]*"/, 'title="' + title + '"')
    });
  }
  L.Map.addInitHook(function () {
    this.on("popupopen", function (event) {
      var element = event.popup.getElement();
      var button = element && element.querySelector(".leaflet-popup-close-button");
      if (button) { button.setAttribute("aria-label", words.close); }
    });
  });
}());
