import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The institutions the coordination center serves (Büyükşehir, MESKİ). */
@Entity('institutions')
export class InstitutionEntity {
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text', name: 'name_en' })
  nameEn: string;
}
