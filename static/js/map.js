// The maps (templates/includes/map.html) and the proposal form's location picker
// (templates/includes/location_picker.html), drawn with Leaflet and Leaflet.markercluster served by
// the app itself (static/vendor/leaflet). The tile server is a setting (MAP_TILE_URL): without one
// nothing is fetched from anywhere else, and the markers stand over the names of their regions.
// Progressive enhancement: without JavaScript the boxes stay hidden and the pages work as before.
(() => {
  if (!window.L) return;

  // The coordinates a proposal may have (the check constraints in proposals/models.py).
  const INDONESIA = L.latLngBounds([-11.2, 94.8], [6.3, 141.1]);
  const POINT = { radius: 7, weight: 2, color: "#0b4f8a", fillColor: "#2f80c9", fillOpacity: 0.9 };

  const inside = (latlng) => INDONESIA.contains(latlng);

  // Text for Leaflet's attribution, which is written as HTML.
  const escaped = (text) => {
    const span = document.createElement("span");
    span.textContent = text;
    return span.innerHTML;
  };

  const baseMap = (box) => {
    box.hidden = false;
    const element = box.querySelector(".map");
    // The zoom range is the map's own: without a tile layer nothing else sets it (the clusters need it).
    const map = L.map(element, { zoomControl: false, attributionControl: false, minZoom: 4, maxZoom: 18 });
    L.control.zoom({ zoomInTitle: box.dataset.zoomIn, zoomOutTitle: box.dataset.zoomOut }).addTo(map);
    if (box.dataset.tiles) {
      L.control.attribution({ prefix: false }).addTo(map);
      L.tileLayer(box.dataset.tiles, { attribution: escaped(box.dataset.attribution || ""), maxZoom: 18 }).addTo(map);
    } else {
      element.classList.add("map-blank");
    }
    map.fitBounds(INDONESIA);
    return map;
  };

  // What a marker says when tapped: built as elements, never as HTML from the data.
  const popup = (properties) => {
    const box = document.createElement("div");
    const url = properties.url || properties.tracking_url;
    const title = document.createElement(url ? "a" : "strong");
    title.textContent = properties.title;
    if (url) title.href = url;
    box.append(title);
    const detail = [properties.code || properties.tracking_code, properties.status_label, properties.village];
    const line = document.createElement("div");
    line.textContent = detail.filter(Boolean).join(" · ");
    box.append(line);
    return box;
  };

  // The region names at the centre of their points, for a map without tiles.
  const labels = (list) =>
    L.layerGroup(
      list.map((label) => {
        const span = document.createElement("span");
        span.textContent = label.name;
        const icon = L.divIcon({ className: "map-label", html: span, iconSize: null });
        return L.marker([label.lat, label.lon], { icon, interactive: false, keyboard: false });
      }),
    );

  const pointsMap = async (box) => {
    const map = baseMap(box);
    const note = box.querySelector(".map-note");
    let data;
    try {
      const response = await fetch(box.dataset.points, { headers: { Accept: "application/geo+json" } });
      if (!response.ok) throw new Error(response.statusText);
      data = await response.json();
    } catch {
      note.textContent = box.dataset.failed;
      return;
    }
    const cluster = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 40 });
    const placed = [];
    for (const feature of data.features) {
      const [lon, lat] = feature.geometry.coordinates;
      cluster.addLayer(L.circleMarker([lat, lon], POINT).bindPopup(popup(feature.properties)));
      placed.push([lat, lon]);
    }
    if (!box.dataset.tiles) labels(data.labels || []).addTo(map);
    map.addLayer(cluster);
    if (placed.length) map.fitBounds(placed, { maxZoom: 15, padding: [24, 24] });
    note.textContent = data.note || "";
    box.dataset.shown = String(placed.length);
  };

  const onePoint = (box) => {
    const map = baseMap(box);
    const latlng = [Number(box.dataset.lat), Number(box.dataset.lon)];
    L.circleMarker(latlng, POINT).addTo(map);
    map.setView(latlng, 15);
    box.dataset.shown = "1";
  };

  const picker = (box) => {
    const latitude = document.getElementById(box.dataset.latitude);
    const longitude = document.getElementById(box.dataset.longitude);
    const map = baseMap(box);
    const note = box.querySelector(".map-note");
    let marker = null;
    const place = (latlng) => {
      if (marker) marker.setLatLng(latlng);
      else marker = L.circleMarker(latlng, POINT).addTo(map);
    };
    const fill = (latlng) => {
      latitude.value = latlng.lat.toFixed(6);
      longitude.value = latlng.lng.toFixed(6);
    };
    const typed = () => {
      const latlng = L.latLng(Number(latitude.value), Number(longitude.value));
      if (latitude.value === "" || longitude.value === "" || !inside(latlng)) return;
      place(latlng);
      map.setView(latlng, Math.max(map.getZoom(), 13));
    };
    map.on("click", (event) => {
      if (!inside(event.latlng)) {
        note.textContent = box.dataset.outside;
        return;
      }
      place(event.latlng);
      fill(event.latlng);
      note.textContent = box.dataset.placed;
    });
    latitude.addEventListener("input", typed);
    longitude.addEventListener("input", typed);
    box.querySelector("[data-locate]").addEventListener("click", () => {
      if (!navigator.geolocation) {
        note.textContent = box.dataset.denied;
        return;
      }
      note.textContent = box.dataset.locating;
      navigator.geolocation.getCurrentPosition(
        (position) => {
          const latlng = L.latLng(position.coords.latitude, position.coords.longitude);
          if (!inside(latlng)) {
            note.textContent = box.dataset.outside;
            return;
          }
          place(latlng);
          fill(latlng);
          map.setView(latlng, 16);
          note.textContent = box.dataset.located;
        },
        () => {
          note.textContent = box.dataset.denied;
        },
        { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 },
      );
    });
    typed();
  };

  for (const box of document.querySelectorAll("[data-map]")) {
    if (box.dataset.points) pointsMap(box);
    else onePoint(box);
  }
  for (const box of document.querySelectorAll("[data-map-picker]")) picker(box);
})();
