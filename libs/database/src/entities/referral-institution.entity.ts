import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Directory of institutions outside our jurisdiction that tickets are referred to. */
@Entity('referral_institutions')
export class ReferralInstitutionEntity {
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text', name: 'name_en' })
  nameEn: string;

  /** How the citizen reaches them: a phone line, a web address. Texted to the citizen. */
  @Column({ type: 'text' })
  contact: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;
}
