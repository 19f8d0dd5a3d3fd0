/* Letters dashboard: answer rate (officials who answered / officials reached) per region. */
(function () {
  "use strict";
  var element = document.getElementById("letters-map");
  if (!element || !window.L) { return; }
  var rates = JSON.parse(element.dataset.rates || "{}");
  var shades = ["#f1f4f8", "#c9dcef", "#8fb8df", "#4f8fc9", "#1f5f99"];

  function shadeOf(rate) {
    if (rate === undefined) { return shades[0]; }
    return shades[Math.min(shades.length - 1, 1 + Math.floor(rate / 25))];
  }

  var map = L.map(element, { scrollWheelZoom: false }).setView([52.5, -71.5], 4);
  if (element.dataset.tileUrl) {
    L.tileLayer(element.dataset.tileUrl, { attribution: element.dataset.tileAttribution,
                                           maxZoom: 12 }).addTo(map);
  }
  fetch(element.dataset.geojsonUrl, { credentials: "same-origin" })
    .then(function (response) { return response.json(); })
    .then(function (geojson) {
      var layer = L.geoJSON(geojson, {
        style: function (feature) {
          return { color: "#4a5366", weight: 1, fillOpacity: 0.8,
                   fillColor: shadeOf(rates[feature.properties.code]) };
        },
        onEachFeature: function (feature, shape) {
          var rate = rates[feature.properties.code];
          shape.bindTooltip(feature.properties.name + " : " +
            (rate === undefined ? element.dataset.noData : rate.toLocaleString(
              document.documentElement.lang || "fr") + " %"));
        }
      }).addTo(map);
      if (layer.getLayers().length) { map.fitBounds(layer.getBounds()); }
      element.dataset.ready = "true";
    });
  var legend = L.control({ position: "bottomright" });
  legend.onAdd = function () {
    var box = L.DomUtil.create("div", "letters-legend");
    L.DomUtil.create("strong", "", box).textContent = element.dataset.legendTitle;
    var labels = [element.dataset.noData, "0 – 25 %", "25 – 50 %", "50 – 75 %", "75 – 100 %"];
    shades.forEach(function (shade, i) {
      var row = L.DomUtil.create("div", "", box);
      L.DomUtil.create("span", "swatch", row).style.background = shade;
      row.appendChild(document.createTextNode(" " + labels[i]));
    });
    return box;
  };
  legend.addTo(map);
})();
