import { Injectable } from '@nestjs/common';
import { notFound } from '../common/problem';
import { OrganisationRepository } from '../../../../libs/database/src/organisation.repository';
import type { CategoryItem, DepartmentItem, ExpertItem, InstitutionItem } from './reference-views.schema';

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
  async experts(departmentId: string): Promise<ExpertItem[]> {
    if (!(await this.organisation.findDepartment(departmentId))) throw notFound(`department ${departmentId}`);
    return (await this.organisation.expertsWithLoad(departmentId)).map(({ id, name, openTickets }) => ({ id, name, openTickets }));
  }
}
