import type { MigrationInterface, QueryRunner } from 'typeorm';
import { CATALOGUE_REFERRAL_INSTITUTIONS, CATEGORY_CATALOGUE_V2, CATEGORY_CATALOGUE_VERSION } from '../data/category-catalogue.v2';

/**
 * The category catalogue as versioned data (issue 20): each category gets search keywords, the
 * referral institution it usually goes to, and the catalogue version that last wrote it; a
 * `category_catalogue_versions` row records each version applied. Version 2 (the frozen list in
 * data/category-catalogue.v2.ts) adds the everyday categories (street lighting, stray animals,
 * waste, noise, zabıta…) and keywords for the first eight, whose names, departments and SLAs
 * stay as they were: a ticket keeps its category code, and its SLA was fixed in its workflow
 * history when it was routed.
 *
 * Data rows go in only where the organisation they name exists: a category of an institution
 * the database does not have is skipped (a fresh database gets them from the seed or the
 * operator), and a department the organisation lacks leaves the category for the coordinator
 * to route at triage.
 */
export class CategoryCatalogue1765820000000 implements MigrationInterface {
  name = 'CategoryCatalogue1765820000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE category_catalogue_versions (
        version int PRIMARY KEY,
        note text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      );
      INSERT INTO category_catalogue_versions (version, note) VALUES (1, 'the first eight categories');
      ALTER TABLE categories
        ADD COLUMN keywords text[] NOT NULL DEFAULT '{}',
        ADD COLUMN referral_institution_id text REFERENCES referral_institutions(id),
        ADD COLUMN catalogue_version int NOT NULL DEFAULT 1 REFERENCES category_catalogue_versions(version);
    `);
    await q.query(`INSERT INTO category_catalogue_versions (version, note) VALUES ($1, $2)`, [
      CATEGORY_CATALOGUE_VERSION,
      'everyday categories with their department or referral institution, SLA and keywords',
    ]);
    for (const r of CATALOGUE_REFERRAL_INSTITUTIONS) {
      await q.query(
        `INSERT INTO referral_institutions (id, name, name_en, contact, description) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING`,
        [r.id, r.name, r.name_en, r.contact, r.description],
      );
    }
    for (const c of CATEGORY_CATALOGUE_V2) {
      await q.query(
        `INSERT INTO categories (code, name, name_en, institution_id, default_department_id, referral_institution_id, sla_seconds, keywords, catalogue_version)
         SELECT $1, $2, $3, i.id, (SELECT d.id FROM departments d WHERE d.id = $4), $5, $6, $7, $8
           FROM institutions i WHERE i.id = $9
         ON CONFLICT (code) DO UPDATE SET keywords = EXCLUDED.keywords, catalogue_version = EXCLUDED.catalogue_version`,
        [c.code, c.name, c.nameEn, c.defaultDepartmentId, c.referralInstitutionId, c.slaHours * 3600, c.keywords, CATEGORY_CATALOGUE_VERSION, c.institutionId],
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DELETE FROM categories c WHERE c.catalogue_version > 1 AND NOT EXISTS (SELECT 1 FROM tickets t WHERE t.category = c.code)
        AND c.code NOT IN ('ROAD_REPAIR','INFRASTRUCTURE','PARK_MAINTENANCE','PUBLIC_TRANSPORT','WATER_OUTAGE','SEWERAGE','GENERAL_INFO','OTHER');
      ALTER TABLE categories DROP COLUMN catalogue_version, DROP COLUMN referral_institution_id, DROP COLUMN keywords;
      DROP TABLE category_catalogue_versions;
    `);
  }
}
