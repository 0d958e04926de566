import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A daire başkanlığı: owns tickets of its categories and has its own approval hierarchy. */
@Entity('departments')
export class DepartmentEntity {
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ type: 'text', name: 'institution_id' })
  institutionId: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text', name: 'name_en' })
  nameEn: string;

  /** MANUAL: the manager picks the expert; LEAST_LOADED: the workflow assigns automatically. */
  @Column({ type: 'text', name: 'assignment_mode', default: 'MANUAL' })
  assignmentMode: 'MANUAL' | 'LEAST_LOADED';
}
