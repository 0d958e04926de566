import { ticketWorkflowId } from '../../libs/temporal/src/task-queue';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Response, Test } from 'supertest';
import type { TestStack } from './test-stack';
import { waitFor } from './wait-for';

/**
 * The folder under test/histories that `npm run histories:record` writes (one per workflow
 * generation): v1, the first, upserted search attributes at every change; v2 runs with the
 * default TEMPORAL_SEARCH_ATTRIBUTES=off (no upserts). Both keep replaying.
 */
export const HISTORY_GENERATION = 'v2';

/** Seeded staff (libs/database/src/seed.ts) the scenarios act as. */
export const STAFF = {
  coordinator: 'coord.ayse',
  coordinator2: 'coord.mehmet',
  agent: 'agent.elif',
  auditor: 'auditor.nur',
  fenManager: 'mgr.fen.hasan', // branch fen-yol-bakim manager, approval level 1 for expert.fen.ali
  fenHead: 'head.fen.fatma', // department head, approval level 2
  fenExpert: 'expert.fen.ali',
  fenExpert2: 'expert.fen.zeynep',
  parkHead: 'head.park.murat',
  ulasimHead: 'head.ulasim.gul',
  ulasimExpert: 'expert.ulasim.burak',
} as const;

/** A staff command on its way: await it for the response, or `.expect(status)` like supertest. */
export type StaffRequest = Promise<Response> & { expect(status: number): Promise<Response> };

/**
 * A request signed in as `staffId` (one sign-in per staff member per stack): `build` makes it
 * from the stack's supertest agent, and the result resolves to the response or `.expect`s a status.
 */
export function signedIn(stack: TestStack, staffId: string, build: (http: TestStack['http']) => Test): StaffRequest {
  // Wrapped in an object: a bare supertest Test is thenable and would be sent by the first await.
  const prepared = stack.bearer(staffId).then((authorization) => ({ test: build(stack.http).set('Authorization', authorization) }));
  const sent = prepared.then(({ test }) => test as PromiseLike<Response>);
  return Object.assign(sent, { expect: (status: number) => prepared.then(({ test }) => test.expect(status) as PromiseLike<Response>) });
}

export interface CreatedTicket {
  number: string;
  token: string;
  id: string;
  trackingUrl: string;
}

/** Drives tickets through the public HTTP API, as the staff and citizens would. */
export class TicketDriver {
  constructor(private readonly stack: TestStack) {}

  async create(overrides: Record<string, unknown> = {}): Promise<CreatedTicket> {
    const res = await this.stack.http
      .post('/tickets')
      .send({
        channel: 'CALL_CENTER',
        type: 'COMPLAINT',
        category: 'ROAD_REPAIR',
        requester: { name: 'Fatma Şen', phone: '0532 765 43 21' },
        description: 'Kaldırım taşları yerinden çıkmış.',
        location: { district: 'Mezitli', neighbourhood: 'Viranşehir' },
        ...overrides,
      })
      .expect(201);
    const token = new URL(res.body.trackingUrl).searchParams.get('k')!;
    const [row] = await this.stack.db.query('SELECT id FROM tickets WHERE number = $1', [res.body.number]);
    await this.waitForStatus(res.body.number, 'TRIAGE');
    return { number: res.body.number, token, id: row.id, trackingUrl: res.body.trackingUrl };
  }

  /**
   * A staff command, signed in as `staffId` (one sign-in per staff member per stack); resolves
   * to the raw response so tests can check the status code.
   */
  staff(staffId: string, number: string, route: string, body: Record<string, unknown> = {}): StaffRequest {
    return signedIn(this.stack, staffId, (http) => http.post(`/tickets/${number}/${route}`).send(body));
  }

  /** A read as `staffId` (GET), with `.expect(status)` like staff(). */
  read(staffId: string, path: string): StaffRequest {
    return signedIn(this.stack, staffId, (http) => http.get(path));
  }

  citizen(ticket: CreatedTicket, route: string, body: Record<string, unknown> = {}) {
    return this.stack.http.post(`/tickets/${ticket.number}/${route}`).set('X-Tracking-Token', ticket.token).send(body);
  }

  async view(number: string): Promise<Record<string, any>> {
    const res = await this.stack.http.get(`/tickets/${number}`).set('Authorization', await this.stack.bearer(STAFF.coordinator)).expect(200);
    return res.body;
  }

  async waitForStatus(number: string, status: string, timeoutMs = 20_000): Promise<Record<string, any>> {
    return waitFor(
      async () => {
        const [row] = await this.stack.db.query('SELECT status FROM tickets WHERE number = $1', [number]);
        return row?.status === status ? this.view(number) : null;
      },
      { timeoutMs, what: `ticket ${number} to reach ${status}` },
    );
  }

  async eventTypes(number: string): Promise<string[]> {
    const rows = await this.stack.db.query(
      'SELECT e.type FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id WHERE t.number = $1 ORDER BY e.seq',
      [number],
    );
    return rows.map((r: { type: string }) => r.type);
  }

  async waitForEvent(number: string, type: string, timeoutMs = 20_000): Promise<string[]> {
    return waitFor(async () => {
      const types = await this.eventTypes(number);
      return types.includes(type) ? types : null;
    }, { timeoutMs, what: `event ${type} on ticket ${number}` });
  }

  /** Outbox rows of a ticket: [purpose, status, key]. */
  async outbox(number: string): Promise<{ purpose: string; status: string; notification_key: string; recipient_phone: string | null; body: string }[]> {
    return this.stack.db.query(
      `SELECT o.purpose, o.status, o.notification_key, o.recipient_phone, o.body FROM sms_outbox o
         JOIN tickets t ON t.id = o.ticket_id WHERE t.number = $1 ORDER BY o.id`,
      [number],
    );
  }

  /**
   * With RECORD_HISTORIES=1 (`npm run histories:record`), saves the ticket's event history
   * under test/histories/<generation>/<name>.json for the replay suite; otherwise does nothing.
   * A workflow change that alters what running tickets emit goes behind patched() and records a
   * new generation (bump HISTORY_GENERATION), so the histories of the old code keep replaying.
   */
  async recordHistory(name: string, number: string, runId?: string): Promise<void> {
    if (process.env.RECORD_HISTORIES !== '1') return;
    const history = await this.stack.client.workflow.getHandle(ticketWorkflowId(number), runId).fetchHistory();
    const dir = path.join(__dirname, '..', 'histories', HISTORY_GENERATION);
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `${name}.json`);
    fs.writeFileSync(file, JSON.stringify(JSON.parse(historyToJSON(history)), null, 1) + '\n');
  }

  /**
   * The outbox once `count` notifications have been handled. The workflow sends them beside
   * the command that caused them, so a test must not read the outbox the moment a command
   * answers. (For a closed ticket, `closedOutbox` is exact: completion waits for every SMS.)
   */
  async settledOutbox(number: string, count: number) {
    return waitFor(async () => {
      const rows = await this.outbox(number);
      return rows.length >= count && rows.every((r) => r.status !== 'SENDING') ? rows : null;
    }, { what: `${count} notifications of ticket ${number} to be handled` });
  }

  /** The outbox of a closed ticket, read after its workflow completed (all SMS handled). */
  async closedOutbox(number: string) {
    await this.stack.client.workflow.getHandle(ticketWorkflowId(number)).result();
    return this.outbox(number);
  }

  async historyLength(number: string): Promise<number> {
    const history = await this.stack.client.workflow.getHandle(ticketWorkflowId(number)).fetchHistory();
    return history.events?.length ?? 0;
  }

  /** How many Workflow Update events (accepted or completed) the ticket's history holds. */
  async updateEventCount(number: string): Promise<number> {
    const history = await this.stack.client.workflow.getHandle(ticketWorkflowId(number)).fetchHistory();
    return (history.events ?? []).filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes || e.workflowExecutionUpdateCompletedEventAttributes).length;
  }


  /** Walks a fresh ROAD_REPAIR ticket to IN_PROGRESS with expert.fen.ali. */
  async toInProgress(overrides: Record<string, unknown> = {}): Promise<CreatedTicket> {
    const ticket = await this.create(overrides);
    await this.staff(STAFF.coordinator, ticket.number, 'assign-department', { departmentId: 'fen-isleri' }).expect(200);
    await this.staff(STAFF.fenManager, ticket.number, 'assign-expert', { expertId: STAFF.fenExpert }).expect(200);
    return ticket;
  }

  /** …and on to APPROVED through both levels. */
  async toApproved(overrides: Record<string, unknown> = {}): Promise<CreatedTicket> {
    const ticket = await this.toInProgress(overrides);
    await this.staff(STAFF.fenExpert, ticket.number, 'resolution', { text: 'Kaldırım onarıldı.' }).expect(200);
    await this.staff(STAFF.fenManager, ticket.number, 'approve').expect(200);
    await this.staff(STAFF.fenHead, ticket.number, 'approve').expect(200);
    return ticket;
  }
}
