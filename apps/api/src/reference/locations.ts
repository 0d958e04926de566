import { MERSIN_DISTRICTS } from '../../../../libs/database/src/data/mersin-locations';
import { foldForSearch } from '../../../../libs/domain/src';
import { badRequest } from '../common/problem';
import type { DistrictItem } from './reference-views.schema';

/** GET /districts: Mersin's 13 districts with their neighbourhoods (libs/database/src/data/). */
export const districtList = (): DistrictItem[] => Object.entries(MERSIN_DISTRICTS).map(([name, neighbourhoods]) => ({ name, neighbourhoods: [...neighbourhoods] }));

/** Compared without case, Turkish diacritics, spaces and dots: "mentes", "MENTEŞ" and "Menteş" are one. */
const key = (name: string) => foldForSearch(name).replace(/[\s.]+/g, '');
const DISTRICTS = new Map(Object.keys(MERSIN_DISTRICTS).map((name) => [key(name), name]));
const NEIGHBOURHOODS = new Map(Object.entries(MERSIN_DISTRICTS).map(([district, names]) => [district, new Map(names.map((n) => [key(n), n]))]));

/**
 * A ticket's district and neighbourhood as the reference data spells them, or 400 naming the
 * field: the district must be one of Mersin's 13; the neighbourhood one of its district's (when the
 * shipped list for that district has any) and needs a district. The free-text address stays free.
 */
export function canonicalLocation(district: string | undefined, neighbourhood: string | undefined): { district: string | null; neighbourhood: string | null } {
  if (district === undefined) {
    if (neighbourhood !== undefined) throw badRequest('location.district', 'is needed with a neighbourhood (see GET /districts)');
    return { district: null, neighbourhood: null };
  }
  const canonical = DISTRICTS.get(key(district));
  if (!canonical) throw badRequest('location.district', `"${district}" is not a district of Mersin (see GET /districts)`);
  if (neighbourhood === undefined) return { district: canonical, neighbourhood: null };
  const known = NEIGHBOURHOODS.get(canonical)!;
  if (known.size === 0) return { district: canonical, neighbourhood: neighbourhood.trim() };
  const name = known.get(key(neighbourhood));
  if (!name) throw badRequest('location.neighbourhood', `"${neighbourhood}" is not a neighbourhood of ${canonical} (see GET /districts)`);
  return { district: canonical, neighbourhood: name };
}
