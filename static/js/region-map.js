/* A map of Québec's regions, each shaded by a value: shared by the letters dashboard and
   the statistics comparison. The element carries the tile and GeoJSON addresses in data-*. */
(function () {
  "use strict";
  // options: filter(feature), fillColor(feature), tooltip(feature) → text, legend(box).
  window.gstpRegionMap = function (element, options) {
    var map = L.map(element, { scrollWheelZoom: false }).setView([52.5, -71.5], 4);
    if (element.dataset.tileUrl) {
      L.tileLayer(element.dataset.tileUrl, { attribution: element.dataset.tileAttribution,
                                             maxZoom: 12 }).addTo(map);
    }
    fetch(element.dataset.geojsonUrl, { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (geojson) {
        var layer = L.geoJSON(geojson, {
          filter: options.filter || function () { return true; },
          style: function (feature) {
            return { color: "#4a5366", weight: 1, fillOpacity: 0.8,
                     fillColor: options.fillColor(feature) };
          },
          onEachFeature: function (feature, shape) {
            shape.bindTooltip(feature.properties.name + " : " + options.tooltip(feature));
          }
        }).addTo(map);
        if (layer.getLayers().length) { map.fitBounds(layer.getBounds()); }
        element.dataset.ready = "true";
      });
    var legend = L.control({ position: "bottomright" });
    legend.onAdd = function () {
      var box = L.DomUtil.create("div", options.legendClass);
      options.legend(box);
      return box;
    };
    legend.addTo(map);
    return map;
  };
})();
