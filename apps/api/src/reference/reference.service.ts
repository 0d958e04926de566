import { Injectable } from '@nestjs/common';
import { notFound } from '../common/problem';
import { OrganisationRepository } from '../../../../libs/database/src/organisation.repository';

export interface CategoryItem {
  code: string;
  name: string;
  nameEn: string;
  institutionId: string;
  defaultDepartmentId: string | null;
  /** Outside our jurisdiction: the referral institution it usually goes to (GET /institutions). */
  referralInstitutionId: string | null;
  slaHours: number;
  /** Everyday words callers use, Turkish and English, for the category search. */
  keywords: string[];
  /** The catalogue version that last wrote the category. */
  catalogueVersion: number;
}

export interface DepartmentItem {
  id: string;
  name: string;
  nameEn: string;
  institutionId: string;
  institutionName: string | null;
  assignmentMode: 'MANUAL' | 'LEAST_LOADED';
}

export interface InstitutionItem {
  id: string;
  name: string;
  nameEn: string;
  contact: string;
  description: string | null;
}

/** The reference data commands name, as the API lists it. */
@Injectable()
export class ReferenceService {
  constructor(private readonly organisation: OrganisationRepository) {}

  /** Active categories only: an inactive one is accepted nowhere. */
  async categories(): Promise<CategoryItem[]> {
    return (await this.organisation.activeCategories()).map((c) => ({
      code: c.code,
      name: c.name,
      nameEn: c.nameEn,
      institutionId: c.institutionId,
      defaultDepartmentId: c.defaultDepartmentId,
      referralInstitutionId: c.referralInstitutionId,
      slaHours: Math.round((c.slaSeconds / 3600) * 100) / 100,
      keywords: c.keywords,
      catalogueVersion: c.catalogueVersion,
    }));
  }

  async departments(): Promise<DepartmentItem[]> {
    const [departments, institutions] = await Promise.all([this.organisation.departments(), this.organisation.institutions()]);
    const names = new Map(institutions.map((i) => [i.id, i.name]));
    return departments.map((d) => ({
      id: d.id,
      name: d.name,
      nameEn: d.nameEn,
      institutionId: d.institutionId,
      institutionName: names.get(d.institutionId) ?? null,
      assignmentMode: d.assignmentMode,
    }));
  }

  async institutions(): Promise<InstitutionItem[]> {
    return (await this.organisation.referralInstitutions()).map((r) => ({ id: r.id, name: r.name, nameEn: r.nameEn, contact: r.contact, description: r.description }));
  }

  /** A department's experts with their open load (404 for an unknown department). */
  async experts(departmentId: string): Promise<{ id: string; name: string; openTickets: number }[]> {
    if (!(await this.organisation.findDepartment(departmentId))) throw notFound(`department ${departmentId}`);
    return this.organisation.expertsWithLoad(departmentId);
  }
}
