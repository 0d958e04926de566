import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { CategoryEntity, DepartmentEntity, InstitutionEntity, ReferralInstitutionEntity } from '../../../../libs/database/src/entities';

/** The reference data commands refer to: categories, departments, referral institutions. */
@ApiTags('reference')
@Controller()
export class ReferenceController {
  constructor(private readonly dataSource: DataSource) {}

  @Get('categories')
  @ApiOperation({ summary: 'Ticket categories (codes for POST /tickets) with their default department and SLA' })
  async categories() {
    const rows = await this.dataSource.getRepository(CategoryEntity).find({ where: { active: true }, order: { code: 'ASC' } });
    return rows.map((c) => ({
      code: c.code,
      name: c.name,
      nameEn: c.nameEn,
      institutionId: c.institutionId,
      defaultDepartmentId: c.defaultDepartmentId,
      slaHours: Math.round((c.slaSeconds / 3600) * 100) / 100,
    }));
  }

  @Get('departments')
  @ApiOperation({ summary: 'Departments (for assign-department) with their institution and assignment mode' })
  async departments() {
    const [departments, institutions] = await Promise.all([
      this.dataSource.getRepository(DepartmentEntity).find({ order: { id: 'ASC' } }),
      this.dataSource.getRepository(InstitutionEntity).find(),
    ]);
    const names = new Map(institutions.map((i) => [i.id, i.name]));
    return departments.map((d) => ({ id: d.id, name: d.name, nameEn: d.nameEn, institutionId: d.institutionId, institutionName: names.get(d.institutionId) ?? null, assignmentMode: d.assignmentMode }));
  }

  @Get('institutions')
  @ApiOperation({ summary: 'Directory of institutions outside our jurisdiction (for refer)' })
  async institutions() {
    const rows = await this.dataSource.getRepository(ReferralInstitutionEntity).find({ order: { id: 'ASC' } });
    return rows.map((r) => ({ id: r.id, name: r.name, nameEn: r.nameEn, contact: r.contact, description: r.description }));
  }
}
