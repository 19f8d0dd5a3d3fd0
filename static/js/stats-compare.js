/* Charts and choropleth of the statistics comparison page; data from #stats-data. */
(function () {
  "use strict";
  var source = document.getElementById("stats-data");
  if (!source) { return; }
  var data = JSON.parse(source.textContent);
  var palette = ["#b8004f", "#005a9c", "#1e6b34", "#8a5a00", "#5b3f8c", "#00727a",
                 "#a33d00", "#4a5366", "#7a1f5c", "#2f6f2f"];

  function lineChart(canvas) {
    new Chart(canvas, {
      type: "line",
      data: {
        labels: data.editions,
        datasets: data.line.map(function (set, i) {
          return { label: set.label, data: set.data, borderColor: palette[i % palette.length],
                   backgroundColor: palette[i % palette.length], tension: 0.2 };
        })
      },
      options: { responsive: true, animation: false, scales: { y: { beginAtZero: true } } }
    });
  }

  function barChart(canvas) {
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: data.bars.labels,
        datasets: data.bars.datasets.map(function (set, i) {
          return { label: set.label, data: set.data, backgroundColor: palette[i % palette.length] };
        })
      },
      options: { responsive: true, animation: false, indexAxis: "y",
                 scales: { x: { beginAtZero: true } } }
    });
  }

  // Five classes from 0 to the highest value; light to dark keeps contrast with the outline.
  var shades = ["#f7f4f9", "#e7d4e8", "#c994c7", "#dd3497", "#7a0177"];

  function classOf(value, max) {
    if (!value) { return 0; }
    return Math.min(shades.length - 1, 1 + Math.floor((value / max) * (shades.length - 1) * 0.999));
  }

  function formatNumber(value) {
    return value.toLocaleString(document.documentElement.lang || "fr", { maximumFractionDigits: 2 });
  }

  function choropleth(element) {
    var values = data.density.values;
    var max = Math.max.apply(null, Object.keys(values).map(function (k) { return values[k]; }).concat([0]));
    window.gstpRegionMap(element, {
      legendClass: "stats-legend",
      filter: function (feature) { return feature.properties.code in values; },
      fillColor: function (feature) { return shades[classOf(values[feature.properties.code], max)]; },
      tooltip: function (feature) {
        var value = values[feature.properties.code];
        return value ? formatNumber(value) : element.dataset.noData;
      },
      legend: function (box) {
        var title = L.DomUtil.create("strong", "", box);
        title.textContent = element.dataset.legendTitle + " (" + data.density.edition + ")";
        shades.forEach(function (shade, i) {
          var row = L.DomUtil.create("div", "", box);
          var swatch = L.DomUtil.create("span", "swatch", row);
          swatch.style.background = shade;
          var low = i === 0 ? 0 : (max * (i - 1)) / (shades.length - 1);
          var high = (max * i) / (shades.length - 1);
          row.appendChild(document.createTextNode(i === 0 ? " 0" :
            " " + formatNumber(low) + " – " + formatNumber(high)));
        });
      }
    });
  }

  var line = document.getElementById("stats-line");
  var bars = document.getElementById("stats-bars");
  var mapElement = document.getElementById("stats-map");
  if (line && window.Chart) { lineChart(line); }
  if (bars && window.Chart) { barChart(bars); }
  if (mapElement && window.L && window.gstpRegionMap) { choropleth(mapElement); }
})();
