import { Column, Entity, PrimaryColumn } from 'typeorm';

/** What a ticket is about; suggests the department and sets the SLA. */
@Entity('categories')
export class CategoryEntity {
  @PrimaryColumn({ type: 'text' })
  code: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text', name: 'name_en' })
  nameEn: string;

  @Column({ type: 'text', name: 'institution_id' })
  institutionId: string;

  @Column({ type: 'text', name: 'default_department_id', nullable: true })
  defaultDepartmentId: string | null;

  @Column({ type: 'int', name: 'sla_seconds' })
  slaSeconds: number;

  @Column({ type: 'boolean', default: true })
  active: boolean;

  /** Everyday words callers use (Turkish and English), for the console's category search. */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  keywords: string[];

  /** Outside our jurisdiction: the institution this is usually referred to. */
  @Column({ type: 'text', name: 'referral_institution_id', nullable: true })
  referralInstitutionId: string | null;

  /** The catalogue version that last wrote this row (category_catalogue_versions). */
  @Column({ type: 'int', name: 'catalogue_version', default: 1 })
  catalogueVersion: number;
}
