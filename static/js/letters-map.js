/* Letters dashboard: answer rate (officials who answered / officials reached) per region. */
(function () {
  "use strict";
  var element = document.getElementById("letters-map");
  if (!element || !window.L || !window.gstpRegionMap) { return; }
  var rates = JSON.parse(element.dataset.rates || "{}");
  var shades = ["#f1f4f8", "#c9dcef", "#8fb8df", "#4f8fc9", "#1f5f99"];

  function shadeOf(rate) {
    if (rate === undefined) { return shades[0]; }
    return shades[Math.min(shades.length - 1, 1 + Math.floor(rate / 25))];
  }

  window.gstpRegionMap(element, {
    legendClass: "letters-legend",
    fillColor: function (feature) { return shadeOf(rates[feature.properties.code]); },
    tooltip: function (feature) {
      var rate = rates[feature.properties.code];
      return rate === undefined ? element.dataset.noData
        : rate.toLocaleString(document.documentElement.lang || "fr") + " %";
    },
    legend: function (box) {
      L.DomUtil.create("strong", "", box).textContent = element.dataset.legendTitle;
      var labels = [element.dataset.noData, "0 – 25 %", "25 – 50 %", "50 – 75 %", "75 – 100 %"];
      shades.forEach(function (shade, i) {
        var row = L.DomUtil.create("div", "", box);
        L.DomUtil.create("span", "swatch", row).style.background = shade;
        row.appendChild(document.createTextNode(" " + labels[i]));
      });
    }
  });
})();
