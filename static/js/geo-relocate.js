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
  var placedByHand = 0;  // counts clicks and drags: a late preview must not undo them
  function write(latlng) {
    placedByHand += 1;
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
    if (!isNaN(a) && !isNaN(b)) { placedByHand += 1; pinAt([a, b]); map.panTo([a, b]); }
  }
  lat.addEventListener("change", fromInputs);
  lon.addEventListener("change", fromInputs);

  // Activity form: when the address changes, show where it will be placed. The inputs are
  // emptied (the server places the new address itself); dragging the pin fills them again.
  var previewUrl = mapEl.dataset.previewUrl;
  var status = document.getElementById("pin-status");
  var fields = ["address", "postal_code", "municipality"].map(function (id) {
    return document.getElementById(id);
  });
  if (!previewUrl || fields.indexOf(null) !== -1) { return; }
  var lastQuery = null;
  function preview() {
    var query = fields.map(function (field) {
      return encodeURIComponent(field.id) + "=" + encodeURIComponent(field.value);
    }).join("&");
    if (query === lastQuery) { return; }
    lastQuery = query;
    var handPlacements = placedByHand;
    fetch(previewUrl + "?" + query, { headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (place) {
        if (!place.found || placedByHand !== handPlacements) { return; }
        var latlng = L.latLng(place.latitude, place.longitude);
        pinAt(latlng);
        // No animation: the map is ready for a click as soon as the pin shows.
        map.setView(latlng, place.approximate ? 12 : 16, { animate: false });
        lat.value = "";
        lon.value = "";
        if (status) {
          status.textContent = place.approximate ? mapEl.dataset.approximateLabel
            : mapEl.dataset.placedLabel;
        }
        mapEl.dataset.previewed = place.approximate ? "approximate" : "precise";
        // A city over several districts: say the postal code tells which one.
        var districtHint = document.getElementById("district-hint");
        if (districtHint) {
          districtHint.textContent = place.ask_postal_code ? districtHint.dataset.label : "";
        }
      })
      .catch(function (error) { if (window.console) { console.error(error); } });
  }
  fields.forEach(function (field) { field.addEventListener("change", preview); });
}());
