import { useQuery } from '@tanstack/react-query';
import L from 'leaflet';
import 'leaflet.markercluster';
import 'leaflet/dist/leaflet.css';
import 'leaflet.markercluster/dist/MarkerCluster.css';
import 'leaflet.markercluster/dist/MarkerCluster.Default.css';
import { useEffect, useRef, useState, type RefObject } from 'react';
import { api, call, type paths } from '../api/client';
import { round6 } from './coordinates';

/*
 * The console's maps (Leaflet, raster tiles). Where the tiles come from is the API's
 * configuration (GET /map: MAP_TILE_URL, its attribution); the Content-Security-Policy allows
 * images from exactly that host. Pins are CSS-drawn divIcons (no marker images to resolve, no
 * inline style attribute for the CSP to refuse). A map never traps the keyboard: its container
 * and pins take the focus in the page's order (arrows pan, +/- zoom) and Tab goes on, except
 * the intake's, which stays out of the Tab order; every position a map sets is also a field or
 * a link beside it.
 */

export type MapSettings = paths['/map']['get']['responses'][200]['content']['application/json'];

/** The tile source and where a map opens: fetched once per session. */
export const useMapSettings = () => useQuery({ queryKey: ['map'], queryFn: () => call(api.GET('/map')), staleTime: Infinity, gcTime: Infinity });

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The configured credit as Leaflet shows it: text, escaped, linked when a link is configured. */
function attributionHtml(settings: MapSettings): string {
  const text = escapeHtml(settings.attribution);
  return settings.attributionUrl ? `<a href="${escapeHtml(settings.attributionUrl)}" target="_blank" rel="noopener">${text}</a>` : text;
}

/**
 * A Leaflet map in `ref` once the settings are there, with the configured tiles. Tiles are
 * requested only for what is on screen (no prefetch beyond Leaflet's one-tile edge), and with
 * `Referrer-Policy: strict-origin`: the page's own policy is `no-referrer`, but OpenStreetMap's
 * tile policy wants the site named (the origin only, never a ticket's address in the console).
 */
export function useLeafletMap(ref: RefObject<HTMLDivElement | null>, settings: MapSettings | undefined, options: L.MapOptions = {}): L.Map | null {
  const [map, setMap] = useState<L.Map | null>(null);
  const opts = useRef(options);
  useEffect(() => {
    if (!settings || !ref.current) return;
    const created = L.map(ref.current, { center: [settings.centre.lat, settings.centre.lng], zoom: settings.zoom, maxZoom: settings.maxZoom, scrollWheelZoom: false, ...opts.current });
    L.tileLayer(settings.tileUrl, { maxZoom: settings.maxZoom, attribution: attributionHtml(settings), referrerPolicy: 'strict-origin', keepBuffer: 1 }).addTo(created);
    setMap(created);
    return () => {
      created.remove();
      setMap(null);
    };
  }, [settings, ref]);
  return map;
}

/** A pin drawn by CSS (styles.css: .map-pin), its tip on the position. */
export const pinIcon = (variant = '') => L.divIcon({ className: `map-pin${variant ? ` map-pin-${variant}` : ''}`, html: '<span class="map-pin-head"></span>', iconSize: [24, 24], iconAnchor: [12, 24] });

/** A number on a round badge (a cluster, a hot spot): its text is its accessible name. */
export const countIcon = (count: number, label: string, variant = 'cluster') =>
  L.divIcon({ className: `map-count map-count-${variant}`, html: `<span>${count}</span><span class="sr-only"> ${escapeHtml(label)}</span>`, iconSize: [36, 36], iconAnchor: [18, 18] });

/**
 * The intake's map: the pin where the latitude and longitude fields say (typed, restored, or the
 * citizen's shared position), moved by a click on the map or by dragging it; either sets the
 * fields through `onPick`. A typed position outside the view brings the view to it.
 */
export function PlacePicker({ lat, lng, onPick, label }: { lat: number | null; lng: number | null; onPick: (lat: number, lng: number) => void; label: string }) {
  const settings = useMapSettings();
  const ref = useRef<HTMLDivElement>(null);
  // Out of the Tab order: an agent on a call tabs from the address to the latitude, the longitude
  // and the description; the fields beside the map set everything it sets.
  const map = useLeafletMap(ref, settings.data, { keyboard: false });
  const marker = useRef<L.Marker | null>(null);
  const pick = useRef(onPick);
  pick.current = onPick;

  useEffect(() => {
    if (!map) return;
    for (const link of map.getContainer().querySelectorAll<HTMLElement>('a, button')) link.tabIndex = -1;
    const onClick = (e: L.LeafletMouseEvent) => pick.current(round6(e.latlng.lat), round6(e.latlng.lng));
    map.on('click', onClick);
    return () => {
      map.off('click', onClick);
      marker.current = null;
    };
  }, [map]);

  useEffect(() => {
    if (!map) return;
    if (lat === null || lng === null) {
      marker.current?.remove();
      marker.current = null;
      return;
    }
    const at = L.latLng(lat, lng);
    if (!marker.current) {
      marker.current = L.marker(at, { icon: pinIcon(), draggable: true, title: label, alt: label, keyboard: false }).addTo(map);
      marker.current.on('dragend', () => {
        const p = marker.current!.getLatLng();
        pick.current(round6(p.lat), round6(p.lng));
      });
    } else marker.current.setLatLng(at);
    if (!map.getBounds().contains(at)) map.panTo(at, { animate: false });
  }, [map, lat, lng, label]);

  return <div ref={ref} id="intake-map" className="map map-intake" role="region" aria-label={label} data-testid="intake-map" />;
}

/** A ticket's place: a small map centred on its pin (staff views only: the exact position). */
export function TicketMap({ lat, lng, label }: { lat: number; lng: number; label: string }) {
  const settings = useMapSettings();
  const ref = useRef<HTMLDivElement>(null);
  const map = useLeafletMap(ref, settings.data);
  useEffect(() => {
    if (!map || !settings.data) return;
    map.setView([lat, lng], Math.min(16, settings.data.maxZoom), { animate: false });
    const pin = L.marker([lat, lng], { icon: pinIcon(), title: label, alt: label, keyboard: false }).addTo(map);
    return () => {
      pin.remove();
    };
  }, [map, lat, lng, label, settings.data]);
  return <div ref={ref} className="map map-ticket" role="region" aria-label={label} data-testid="ticket-map" />;
}

export interface MapPoint {
  id: string;
  lat: number;
  lng: number;
  /** The pin's title (its accessible name), e.g. the ticket number and category. */
  title: string;
}

/**
 * Many points, clustered (leaflet.markercluster): the view fits them all; a cluster shows how many
 * it holds and opens on a click; a pin's click (or Enter on it) calls `onOpen`.
 */
export function ClusterMap({ points, onOpen, label, countLabel }: { points: MapPoint[]; onOpen: (id: string) => void; label: string; countLabel: string }) {
  const settings = useMapSettings();
  const ref = useRef<HTMLDivElement>(null);
  const map = useLeafletMap(ref, settings.data);
  const open = useRef(onOpen);
  open.current = onOpen;
  useEffect(() => {
    if (!map) return;
    const group = L.markerClusterGroup({
      showCoverageOnHover: false,
      iconCreateFunction: (cluster) => countIcon(cluster.getChildCount(), countLabel),
    });
    for (const point of points) {
      const pin = L.marker([point.lat, point.lng], { icon: pinIcon(), title: point.title, alt: point.title });
      pin.on('click', () => open.current(point.id));
      group.addLayer(pin);
    }
    group.addTo(map);
    if (points.length) map.fitBounds(group.getBounds(), { padding: [32, 32], maxZoom: 15, animate: false });
    return () => {
      group.remove();
    };
  }, [map, points, countLabel]);
  return <div ref={ref} className="map map-list" role="region" aria-label={label} data-testid="list-map" />;
}

export interface CountPoint {
  id: string;
  lat: number;
  lng: number;
  count: number;
  title: string;
}

/** Places with a number each (the hot spots), not clustered: the view fits them all. */
export function CountMap({ points, label }: { points: CountPoint[]; label: string }) {
  const settings = useMapSettings();
  const ref = useRef<HTMLDivElement>(null);
  const map = useLeafletMap(ref, settings.data);
  useEffect(() => {
    if (!map) return;
    const layer = L.featureGroup(points.map((p) => L.marker([p.lat, p.lng], { icon: countIcon(p.count, p.title, 'spot'), title: p.title, keyboard: false })));
    layer.addTo(map);
    if (points.length) map.fitBounds(layer.getBounds(), { padding: [32, 32], maxZoom: 14, animate: false });
    return () => {
      layer.remove();
    };
  }, [map, points]);
  return <div ref={ref} className="map map-spots" role="region" aria-label={label} data-testid="hot-spot-map" />;
}
