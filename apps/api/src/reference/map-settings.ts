import type { MapConfig } from '../../../../libs/config/src';
import type { MapSettings } from './reference-views.schema';

/**
 * Where a map without a pin opens: Mersin's city centre (Yenişehir, Akdeniz, Mezitli and Toroslar
 * meet near it). The reference data (libs/database/src/data/mersin-locations.ts) has names only, no
 * neighbourhood centroids or boundaries, so every map without a pin opens here.
 */
export const MERSIN_CENTRE = { lat: 36.8121, lng: 34.6415 } as const;
export const MERSIN_ZOOM = 12;

/** GET /map: the configured tiles (MAP_TILE_URL, MAP_TILE_ATTRIBUTION…) and where a map opens. */
export const mapSettings = (map: MapConfig): MapSettings => ({
  tileUrl: map.tileUrl,
  attribution: map.attribution,
  attributionUrl: map.attributionUrl,
  maxZoom: map.maxZoom,
  centre: { ...MERSIN_CENTRE },
  zoom: Math.min(MERSIN_ZOOM, map.maxZoom),
});
