import { arr, e, int, nstr, num, obj, str } from '../common/view-schema';

/** The reference lists (reference.service.ts). */
export const CATEGORIES = arr(obj({ code: str, name: str, nameEn: str, institutionId: str, defaultDepartmentId: nstr, referralInstitutionId: nstr, slaHours: num, keywords: arr(str), catalogueVersion: int }));
export const DEPARTMENTS = arr(obj({ id: str, name: str, nameEn: str, institutionId: str, institutionName: nstr, assignmentMode: e(['MANUAL', 'LEAST_LOADED']) }));
export const INSTITUTIONS = arr(obj({ id: str, name: str, nameEn: str, contact: str, description: nstr }));
export const DISTRICTS = arr(obj({ name: str, neighbourhoods: arr(str) }));
export const EXPERTS = arr(obj({ id: str, name: str, openTickets: int }));
