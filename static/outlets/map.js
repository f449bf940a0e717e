/* The sales points' map: pins from the page's JSON; the list works without it or without tiles. */
(function () {
  "use strict";
  var el = document.getElementById("outlet-map");
  var data = document.getElementById("outlet-pins");
  var pins = data ? JSON.parse(data.textContent) : [];
  if (el && window.L) {
    var map = L.map(el, { scrollWheelZoom: false });
    L.tileLayer(el.dataset.tiles, { maxZoom: 18, attribution: "&copy; OpenStreetMap" }).addTo(map);
    var bounds = [];
    var coverage = el.dataset.mode === "coverage";
    pins.forEach(function (p) {
      if (coverage) {  // former districts: red without a point, green with one
        L.circleMarker([p.lat, p.lng], { radius: 10, color: p.points ? "#2e7d32" : "#c62828", fillOpacity: 0.6 })
          .addTo(map).bindTooltip(p.name + ": " + p.points);
        bounds.push([p.lat, p.lng]);
        return;
      }
      var link = document.createElement("a");
      link.href = p.url;
      link.textContent = p.name;
      var box = document.createElement("div");
      box.appendChild(link);
      box.appendChild(document.createElement("br"));
      box.appendChild(document.createTextNode(p.kind + " · " + p.address));
      L.marker([p.lat, p.lng], { title: p.name, alt: p.name }).addTo(map).bindPopup(box);
      bounds.push([p.lat, p.lng]);
    });
    if (bounds.length) {
      map.fitBounds(bounds, { padding: [24, 24], maxZoom: 14 });
    } else {
      map.setView([15.88, 108.33], 9);
    }
  }
  var button = document.getElementById("near-me");
  if (button) {
    button.addEventListener("click", function () {
      var fail = function () { document.getElementById("near-me-error").hidden = false; };
      if (!navigator.geolocation) { fail(); return; }
      navigator.geolocation.getCurrentPosition(function (pos) {
        var url = new URL(window.location.href);
        url.searchParams.set("lat", pos.coords.latitude.toFixed(5));
        url.searchParams.set("lng", pos.coords.longitude.toFixed(5));
        window.location.href = url.toString();
      }, fail, { timeout: 10000 });
    });
  }
})();
