import { Injectable } from '@nestjs/common';
import { DataSource, In, type FindOptionsWhere } from 'typeorm';
import type { StaffRole } from '../../domain/src';
import { CategoryEntity, DepartmentEntity, InstitutionEntity, ReferralInstitutionEntity, StaffEntity } from './entities';

/**
 * "Active", once: a category or staff member in use. Inactive rows stay for the tickets that
 * name them but are offered, accepted and picked nowhere. (Departments and institutions have
 * no such flag: they are never retired, only renamed.)
 */
const ACTIVE = { active: true } as const;
const ACTIVE_SQL = (alias: string) => `${alias}.active`;

/** An active category with its institution's name (raw columns). */
export interface ActiveCategoryRow {
  code: string;
  name: string;
  name_en: string;
  sla_seconds: number;
  institution_name: string;
}

/** A reference a command's body names, checked in the command's access read. */
export type OrganisationReference = 'department' | 'category' | 'institution' | 'expert';

/**
 * A scalar subquery for one reference, as JSON: null when the organisation knows no such
 * department, active category, referral institution or active expert; the expert's department
 * when it does. `value` is the parameter's placeholder. Folded into a command's access read
 * (tickets.repository.ts) so a reference costs no statement of its own.
 */
export function referenceSql(kind: OrganisationReference, value: string): string {
  switch (kind) {
    case 'department':
      return `(SELECT json_build_object('id', d.id) FROM departments d WHERE d.id = ${value})`;
    case 'category':
      return `(SELECT json_build_object('code', c.code) FROM categories c WHERE c.code = ${value} AND ${ACTIVE_SQL('c')})`;
    case 'institution':
      return `(SELECT json_build_object('id', r.id) FROM referral_institutions r WHERE r.id = ${value})`;
    case 'expert':
      return `(SELECT json_build_object('departmentId', s.department_id) FROM staff s WHERE s.id = ${value} AND ${ACTIVE_SQL('s')} AND 'EXPERT' = ANY (s.roles))`;
  }
}

/**
 * Every look-up of the organisation — categories, departments, institutions, staff and who
 * holds which role — for the API (reference data, reference checks, intake, identity) and
 * the worker's activities. Services take it by injection and are unit-tested with it mocked.
 */
@Injectable()
export class OrganisationRepository {
  constructor(private readonly dataSource: DataSource) {}

  activeCategories(): Promise<CategoryEntity[]> {
    return this.dataSource.getRepository(CategoryEntity).find({ where: ACTIVE, order: { code: 'ASC' } });
  }

  findActiveCategory(code: string): Promise<CategoryEntity | null> {
    return this.dataSource.getRepository(CategoryEntity).findOneBy({ code, ...ACTIVE });
  }

  /** Every category, active or not (a figure may count tickets of a retired one). */
  allCategories(): Promise<CategoryEntity[]> {
    return this.dataSource.getRepository(CategoryEntity).find({ order: { code: 'ASC' } });
  }

  /** A ticket's category as recorded, active or not (its SLA still applies). */
  /** The active categories (or the one named `code`, if active) with their institution's name, by institution and name: Open311's services. */
  activeCategoriesWithInstitution(code?: string): Promise<ActiveCategoryRow[]> {
    return this.dataSource.query(
      `SELECT c.code, c.name, c.name_en, c.sla_seconds, i.name AS institution_name
       FROM categories c JOIN institutions i ON i.id = c.institution_id
       WHERE ${ACTIVE_SQL('c')} ${code !== undefined ? 'AND c.code = $1' : ''} ORDER BY i.name, c.name`,
      code !== undefined ? [code] : [],
    );
  }

  findCategory(code: string): Promise<CategoryEntity | null> {
    return this.dataSource.getRepository(CategoryEntity).findOneBy({ code });
  }

  departments(): Promise<DepartmentEntity[]> {
    return this.dataSource.getRepository(DepartmentEntity).find({ order: { id: 'ASC' } });
  }

  findDepartment(id: string): Promise<DepartmentEntity | null> {
    return this.dataSource.getRepository(DepartmentEntity).findOneBy({ id });
  }

  /** The institutions the center serves (Büyükşehir, MESKİ). */
  institutions(): Promise<InstitutionEntity[]> {
    return this.dataSource.getRepository(InstitutionEntity).find({ order: { id: 'ASC' } });
  }

  /** The directory of institutions outside our jurisdiction (for referrals). */
  referralInstitutions(): Promise<ReferralInstitutionEntity[]> {
    return this.dataSource.getRepository(ReferralInstitutionEntity).find({ order: { id: 'ASC' } });
  }

  findReferralInstitution(id: string): Promise<ReferralInstitutionEntity | null> {
    return this.dataSource.getRepository(ReferralInstitutionEntity).findOneBy({ id });
  }

  /** A staff member as recorded, active or not (a notification to someone named in a ticket). */
  findStaff(id: string): Promise<StaffEntity | null> {
    return this.dataSource.getRepository(StaffEntity).findOneBy({ id });
  }

  /** Staff members' names by id, active or not (people shown by name: the contact log, the engine history's actors). */
  async staffNames(ids: Iterable<string>): Promise<Map<string, string>> {
    const wanted = [...new Set(ids)];
    if (!wanted.length) return new Map();
    const rows = await this.dataSource.getRepository(StaffEntity).find({ where: { id: In(wanted) }, select: { id: true, name: true } });
    return new Map(rows.map((row) => [row.id, row.name]));
  }

  findActiveStaff(id: string): Promise<StaffEntity | null> {
    return this.dataSource.getRepository(StaffEntity).findOneBy({ id, ...ACTIVE } as FindOptionsWhere<StaffEntity>);
  }

  /** An active staff member holding the role, or null. */
  async findActiveWithRole(id: string, role: StaffRole): Promise<StaffEntity | null> {
    const staff = await this.findActiveStaff(id);
    return staff?.roles.includes(role) ? staff : null;
  }

  /** The department's head (the first by id if, unusually, there are several), or null. */
  departmentHead(departmentId: string): Promise<StaffEntity | null> {
    return this.dataSource
      .getRepository(StaffEntity)
      .createQueryBuilder('s')
      .where(`s.department_id = :departmentId AND ${ACTIVE_SQL('s')} AND :role = ANY (s.roles)`, { departmentId, role: 'DEPARTMENT_HEAD' })
      .orderBy('s.id')
      .getOne();
  }

  /** The department's active approvers (those with an approval level) other than `exceptId`, lowest level first. */
  approvers(departmentId: string, exceptId: string): Promise<StaffEntity[]> {
    return this.dataSource
      .getRepository(StaffEntity)
      .createQueryBuilder('s')
      .where('s.department_id = :departmentId', { departmentId })
      .andWhere(`${ACTIVE_SQL('s')} AND s.approval_level IS NOT NULL AND s.id <> :exceptId`, { exceptId })
      .orderBy('s.approval_level', 'ASC')
      .addOrderBy('s.id', 'ASC')
      .getMany();
  }

  /** The department's active experts with how many open tickets each holds, by id (a manager's picker). */
  expertsWithLoad(departmentId: string): Promise<{ id: string; name: string; openTickets: number }[]> {
    return this.dataSource.query(
      `SELECT s.id, s.name, count(t.id)::int AS "openTickets"
         FROM staff s
         LEFT JOIN tickets t ON t.assignee_id = s.id AND t.status NOT IN ('RESOLVED','CLOSED')
        WHERE s.department_id = $1 AND ${ACTIVE_SQL('s')} AND 'EXPERT' = ANY (s.roles)
        GROUP BY s.id
        ORDER BY s.id`,
      [departmentId],
    );
  }

  /** The active expert of the department with the fewest open tickets; ties go to the lowest id (stable). */
  async leastLoadedExpert(departmentId: string): Promise<string | null> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT s.id
         FROM staff s
         LEFT JOIN tickets t ON t.assignee_id = s.id AND t.status NOT IN ('RESOLVED','CLOSED')
        WHERE s.department_id = $1 AND ${ACTIVE_SQL('s')} AND 'EXPERT' = ANY (s.roles)
        GROUP BY s.id
        ORDER BY count(t.id) ASC, s.id ASC
        LIMIT 1`,
      [departmentId],
    );
    return rows[0]?.id ?? null;
  }
}
