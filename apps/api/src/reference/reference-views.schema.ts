import { arr, described, e, int, nstr, num, obj, str, type ViewOf } from '../common/view-schema';

/** The reference lists (reference.service.ts, locations.ts): each type is its schema's, one source. */
const category = obj({
  code: str,
  name: str,
  nameEn: str,
  institutionId: str,
  defaultDepartmentId: nstr,
  referralInstitutionId: described(nstr, 'Outside our jurisdiction: the referral institution it usually goes to (GET /institutions)'),
  slaHours: num,
  keywords: described(arr(str), 'Everyday words callers use, Turkish and English, for the category search'),
  catalogueVersion: described(int, 'The catalogue version that last wrote the category'),
});
const department = obj({ id: str, name: str, nameEn: str, institutionId: str, institutionName: nstr, assignmentMode: e(['MANUAL', 'LEAST_LOADED']) });
const institution = obj({ id: str, name: str, nameEn: str, contact: str, description: nstr });
const district = obj({ name: str, neighbourhoods: arr(str) });
const expert = obj({ id: str, name: str, openTickets: int });

/** GET /map (map-settings.ts): where the console's maps take their tiles from, and where they open. */
export const MAP_SETTINGS = obj({
  tileUrl: described(str, 'Raster tiles, {z}/{x}/{y} (MAP_TILE_URL); the Content-Security-Policy allows images from exactly its host'),
  attribution: described(str, 'The credit every map shows (text; MAP_TILE_ATTRIBUTION)'),
  attributionUrl: described(nstr, 'Where the credit links to (MAP_TILE_ATTRIBUTION_URL)'),
  maxZoom: int,
  centre: described(obj({ lat: num, lng: num }), 'Where a map without a pin opens: Mersin (the reference data has no neighbourhood centroids)'),
  zoom: described(int, 'The zoom a map without a pin opens at'),
});

export const CATEGORIES = arr(category);
export const DEPARTMENTS = arr(department);
export const INSTITUTIONS = arr(institution);
export const DISTRICTS = arr(district);
export const EXPERTS = arr(expert);

export type MapSettings = ViewOf<typeof MAP_SETTINGS>;
export type CategoryItem = ViewOf<typeof CATEGORIES>[number];
export type DepartmentItem = ViewOf<typeof DEPARTMENTS>[number];
export type InstitutionItem = ViewOf<typeof INSTITUTIONS>[number];
export type DistrictItem = ViewOf<typeof DISTRICTS>[number];
export type ExpertItem = ViewOf<typeof EXPERTS>[number];
