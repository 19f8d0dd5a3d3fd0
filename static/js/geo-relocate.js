// Pin maps (staff relocation, organizers' activity form): a draggable pin that writes into
// the latitude/longitude inputs. Without a pin yet, a click on the map places one.
(function () {
  "use strict";
  var mapEl = document.getElementById("geo-map");
  if (!mapEl || !window.L) { return; }
  var lat = document.getElementById("latitude");
  var lon = document.getElementById("longitude");
  var placed = !isNaN(parseFloat(lat.value)) && !isNaN(parseFloat(lon.value));
  var start = placed ? [parseFloat(lat.value), parseFloat(lon.value)] : [46.81, -71.21];
  var map = L.map(mapEl).setView(start, placed ? 15 : 5);
  var tiles = mapEl.dataset.tileUrl;
  if (tiles) {
    L.tileLayer(tiles, { maxZoom: 18, attribution: mapEl.dataset.tileAttribution }).addTo(map);
  }
  var marker = null;
  function write(latlng) {
    lat.value = latlng.lat.toFixed(6);
    lon.value = latlng.lng.toFixed(6);
  }
  function pinAt(latlng) {
    if (marker) { marker.setLatLng(latlng); return; }
    marker = L.marker(latlng, { draggable: true, keyboard: true }).addTo(map);
    marker.on("dragend", function () { write(marker.getLatLng()); });
  }
  if (placed) { pinAt(start); }
  map.on("click", function (event) { pinAt(event.latlng); write(event.latlng); });
  function fromInputs() {
    var a = parseFloat(lat.value), b = parseFloat(lon.value);
    if (!isNaN(a) && !isNaN(b)) { pinAt([a, b]); map.panTo([a, b]); }
  }
  lat.addEventListener("change", fromInputs);
  lon.addEventListener("change", fromInputs);
}());
