// Staff relocation map: a draggable pin that writes into the latitude/longitude inputs.
(function () {
  "use strict";
  var mapEl = document.getElementById("geo-map");
  if (!mapEl || !window.L) { return; }
  var lat = document.getElementById("latitude");
  var lon = document.getElementById("longitude");
  var start = [parseFloat(lat.value) || 46.81, parseFloat(lon.value) || -71.21];
  var map = L.map(mapEl).setView(start, lat.value ? 12 : 5);
  var tiles = mapEl.dataset.tileUrl;
  if (tiles) {
    L.tileLayer(tiles, { maxZoom: 18, attribution: mapEl.dataset.tileAttribution }).addTo(map);
  }
  var marker = L.marker(start, { draggable: true, keyboard: true }).addTo(map);
  function write(latlng) {
    lat.value = latlng.lat.toFixed(6);
    lon.value = latlng.lng.toFixed(6);
  }
  marker.on("dragend", function () { write(marker.getLatLng()); });
  map.on("click", function (event) { marker.setLatLng(event.latlng); write(event.latlng); });
  function fromInputs() {
    var a = parseFloat(lat.value), b = parseFloat(lon.value);
    if (!isNaN(a) && !isNaN(b)) { marker.setLatLng([a, b]); map.panTo([a, b]); }
  }
  lat.addEventListener("change", fromInputs);
  lon.addEventListener("change", fromInputs);
}());
