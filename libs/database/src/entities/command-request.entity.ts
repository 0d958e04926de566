import { Column, Entity, PrimaryColumn } from 'typeorm';

export type CommandRequestStatus = 'PENDING' | 'DONE';

/**
 * The answer a command request got, replayed to a retry: the state the Update returned and the
 * actions it offered (the view is rebuilt from them, the ticket's row and its timeline up to that
 * state: no personal data is kept here); the ticket's view itself (a request recovered from a
 * closed run's history); or a problem.
 */
export type CommandResponse =
  | { status: 200; state: Record<string, unknown>; actions: string[] }
  | { status: 200; body: unknown }
  | { status: number; problem: { code: string; detail: string; errors?: { field: string; messages: string[] }[] } };

/**
 * One command sent with a client's X-Request-Id, bound to who sent what: the ticket, the
 * actor, the command and a hash of the body. Written (PENDING, with the command's arguments)
 * before the Workflow Update is sent, completed (DONE, with the answer) after, so a retry with
 * the same id gets the same answer — also after the ticket closed or continued as new — and a
 * different request with the same id is refused.
 */
@Entity('command_requests')
export class CommandRequestEntity {
  @PrimaryColumn({ type: 'text', name: 'request_id' })
  requestId: string;

  @Column({ type: 'uuid', name: 'ticket_id' })
  ticketId: string;

  /** `STAFF:<id>` or `CITIZEN` (the ticket binds the citizen). */
  @Column({ type: 'text', name: 'actor_key' })
  actorKey: string;

  /** The Workflow Update's name (assignDepartment, refer…). */
  @Column({ type: 'text' })
  command: string;

  /** SHA-256 of the validated body in canonical JSON (sorted keys). */
  @Column({ type: 'text', name: 'body_hash' })
  bodyHash: string;

  /** The Update's argument as first sent (with its text ids): a recovery resends exactly this. */
  @Column({ type: 'jsonb' })
  args: Record<string, unknown>;

  @Column({ type: 'text' })
  status: CommandRequestStatus;

  @Column({ type: 'jsonb', nullable: true })
  response: CommandResponse | null;

  /** Until when the attempt holding the row is presumed alive; afterwards another may recover it. */
  @Column({ type: 'timestamptz', name: 'lease_until' })
  leaseUntil: Date;

  @Column({ type: 'timestamptz', name: 'created_at', default: () => 'now()' })
  createdAt: Date;

  @Column({ type: 'timestamptz', name: 'completed_at', nullable: true })
  completedAt: Date | null;
}
