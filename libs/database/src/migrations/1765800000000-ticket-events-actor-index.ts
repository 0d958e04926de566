import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createIndexesConcurrently, dropIndexesConcurrently } from './concurrent-index';

/**
 * Staff keep reading the tickets they acted on (libs/domain `canOpen`, `actorIds`): the lists'
 * scope asks "which tickets did this person act on" (ticket-scope.sql.ts), and GET /tickets/:number
 * "did they act on this one". An index by actor answers both without reading the whole audit
 * trail; built CONCURRENTLY (the audit trail is the largest table). Only staff and platform users
 * have an actor id (the system and citizens do not).
 */
export class TicketEventsActorIndex1765800000000 implements MigrationInterface {
  name = 'TicketEventsActorIndex1765800000000';
  /** CREATE INDEX CONCURRENTLY cannot run inside a transaction. */
  transaction = false as const;

  async up(q: QueryRunner): Promise<void> {
    await createIndexesConcurrently(q, 'ticket_events', { ticket_events_actor_idx: '(actor_id, ticket_id) WHERE actor_id IS NOT NULL' });
  }

  async down(q: QueryRunner): Promise<void> {
    await dropIndexesConcurrently(q, ['ticket_events_actor_idx']);
  }
}
