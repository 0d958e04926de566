import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A şube müdürlüğü inside a department; its manager is usually the first approval level. */
@Entity('branches')
export class BranchEntity {
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ type: 'text', name: 'department_id' })
  departmentId: string;

  @Column({ type: 'text' })
  name: string;
}
