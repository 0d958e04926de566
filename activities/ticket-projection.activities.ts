import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { TicketEventEntity } from '../libs/database/src/entities';
import type { RecordTicketEventsInput } from './ticket-activities.contract';

/**
 * Writes the workflow's events to the append-only audit table and moves the ticket's read
 * model. Both are idempotent: events by (ticket, seq), the row by `last_event_seq`, so a
 * retried or replayed activity changes nothing the second time.
 */
@Injectable()
export class TicketProjectionActivities {
  constructor(private readonly dataSource: DataSource) {}

  async recordTicketEvents({ ticketId, events, view }: RecordTicketEventsInput): Promise<void> {
    if (events.length === 0) return;
    const lastSeq = Math.max(...events.map((e) => e.seq));
    await this.dataSource.transaction(async (manager) => {
      await manager
        .createQueryBuilder()
        .insert()
        .into(TicketEventEntity)
        .values(
          events.map((e) => ({
            ticketId,
            seq: e.seq,
            type: e.type,
            at: new Date(e.at),
            actorKind: e.actor.kind,
            actorId: e.actor.kind === 'STAFF' ? e.actor.id : null,
            status: e.status,
            data: e.data as Record<string, unknown>,
          })) as QueryDeepPartialEntity<TicketEventEntity>[],
        )
        .orIgnore()
        .execute();

      await manager.query(
        `UPDATE tickets SET
           status = $3, outcome = $4, department_id = $5, assignee_id = $6, approval_level = $7,
           sla_breached = $8, reopen_count = $9, last_event_seq = $2, workflow_view = $10,
           resolved_at = $11, closed_at = $12, category = $13, updated_at = now()
         WHERE id = $1 AND last_event_seq < $2`,
        [
          ticketId,
          lastSeq,
          view.status,
          view.outcome,
          view.departmentId,
          view.assigneeId,
          view.status === 'IN_APPROVAL' && view.approval ? view.approval.level : null,
          view.sla.breached,
          view.reopenCount,
          JSON.stringify(view),
          view.resolvedAt,
          view.closedAt,
          view.category,
        ],
      );
    });
  }
}
