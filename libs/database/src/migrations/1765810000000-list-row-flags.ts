import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What a list row flags (issue 20), as plain columns of the projection row so a list reads no
 * JSON and runs no query per row:
 * - `rejected_back`: an approver sent the resolution back to the expert (listingFacts, written by
 *   the projection with the rest of the row);
 * - `duplicate_contacts`: how often the ticket was called about again: a contact logged as a
 *   duplicate of it (ContactsRepository.insert, in the same transaction) or a ticket merged into
 *   it (a DUPLICATE_MERGED event, counted by the projection as it appends the event).
 * Existing rows are filled from their workflow view, the contact log and the audit trail.
 */
export class ListRowFlags1765810000000 implements MigrationInterface {
  name = 'ListRowFlags1765810000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE tickets
        ADD COLUMN rejected_back boolean NOT NULL DEFAULT false,
        ADD COLUMN duplicate_contacts int NOT NULL DEFAULT 0;

      UPDATE tickets SET rejected_back = true
       WHERE status IN ('IN_PROGRESS', 'WAITING_FOR_CITIZEN')
         AND jsonb_typeof(workflow_view->'approval') IS DISTINCT FROM 'object'
         AND workflow_view->>'resolutionRef' IS NOT NULL;

      UPDATE tickets t SET duplicate_contacts = d.n
        FROM (SELECT number, sum(n)::int AS n FROM (
                SELECT c.ticket_number AS number, count(*) AS n FROM contacts c
                 WHERE c.outcome = 'DUPLICATE_OF_OPEN_TICKET' GROUP BY c.ticket_number
                UNION ALL
                SELECT tk.number, count(*) FROM ticket_events e JOIN tickets tk ON tk.id = e.ticket_id
                 WHERE e.type = 'DUPLICATE_MERGED' GROUP BY tk.number) u GROUP BY number) d
       WHERE t.number = d.number;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tickets DROP COLUMN duplicate_contacts, DROP COLUMN rejected_back`);
  }
}
