// Maps of the public calendar: clustered markers from the GeoJSON data, or one activity's place.
(function () {
  "use strict";
  var el = document.getElementById("activity-map");
  if (!el || !window.L) { return; }
  var QUEBEC = [47.5, -72.0];
  // maxZoom on the map itself: without a tile layer, markercluster has no other source.
  var map = L.map(el, { scrollWheelZoom: false, maxZoom: 18 }).setView(QUEBEC, 5);
  var tileUrl = el.dataset.tileUrl;
  // No tile server configured (tests, offline installs): markers only.
  if (tileUrl) {
    L.tileLayer(tileUrl, { maxZoom: 18, attribution: el.dataset.tileAttribution || "" }).addTo(map);
  }
  if (el.dataset.lat) {
    var point = [parseFloat(el.dataset.lat), parseFloat(el.dataset.lon)];
    L.marker(point, { title: el.dataset.title, alt: el.dataset.title }).addTo(map);
    map.setView(point, 13);
    return;
  }
  var status = document.getElementById("map-status");
  function escapeAttribute(text) {
    return escapeHtml(text).replace(/"/g, "&quot;");
  }

  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text == null ? "" : String(text);
    return div.innerHTML;
  }
  fetch(el.dataset.geojson, { headers: { Accept: "application/geo+json" } })
    .then(function (response) { return response.json(); })
    .then(function (data) {
      // Activities at one point (same venue, or an address known only to its municipality)
      // never separate by zooming: a click on their cluster spreads them around it.
      var clusters = L.markerClusterGroup
        ? L.markerClusterGroup({ spiderfyOnMaxZoom: true, zoomToBoundsOnClick: true })
        : L.layerGroup();
      var layer = L.geoJSON(data, {
        pointToLayer: function (feature, latlng) {
          return L.marker(latlng, { title: feature.properties.title, alt: feature.properties.title });
        },
        onEachFeature: function (feature, marker) {
          var p = feature.properties;
          var cancelled = p.status === "cancelled" ? " <strong>(" + escapeHtml(el.dataset.cancelledLabel) + ")</strong>" : "";
          var image = p.image ? '<img class="popup-poster" src="' + escapeAttribute(p.image.url) +
            '" alt="' + escapeAttribute(p.image.alt) + '" width="160"><br>' : "";
          marker.bindPopup(image + '<a href="' + escapeHtml(p.url) + '">' + escapeHtml(p.title) + "</a>" + cancelled +
            "<br>" + escapeHtml(p.organization) + "<br>" + escapeHtml(p.category));
        }
      });
      clusters.addLayer(layer);
      map.addLayer(clusters);
      // No animation: the first view is drawn at once, markers and clusters already settled.
      if (data.features.length) {
        map.fitBounds(layer.getBounds(), { maxZoom: 12, padding: [20, 20], animate: false });
      }
      if (status) { status.textContent = (el.dataset.countLabel || "") + " " + data.features.length; }
      el.dataset.loaded = String(data.features.length);
    })
    .catch(function (error) {
      if (status) { status.textContent = el.dataset.errorLabel || ""; }
      if (window.console) { console.error(error); }
    });
})();
