/**
 * A ticket's whole process over HTTP against the fault stack, with the retries a careful client
 * makes (same Idempotency-Key / X-Request-Id, Retry-After honoured), and the checks every fault
 * test ends with: counted, not just "no exception".
 */
import { randomUUID } from 'node:crypto';
import { maskTrackingTokens } from '../../../libs/sms/src/mask-tracking-token';
import { ticketWorkflowId } from '../../../libs/temporal/src/task-queue';
import { settlesWithin, sleep, type FaultStack, type HttpAnswer } from './fault-stack';

export const STAFF = {
  coordinator: 'coord.ayse',
  auditor: 'auditor.nur',
  head: 'head.ulasim.gul', // ulaşım: one approval level, the head
  expert: 'expert.ulasim.burak',
} as const;

/** A distinct Turkish mobile per ticket of a run, so each provider message names its ticket. */
export const phoneOf = (series: number, i: number) => `+90532${String(series).padStart(3, '0')}${String(i).padStart(4, '0')}`;

export const intakeBody = (phone: string) => ({
  channel: 'CALL_CENTER',
  type: 'COMPLAINT',
  category: 'ROAD_REPAIR',
  requester: { name: 'Deniz Kaya', phone },
  description: 'Otobüs durağının camı kırık.',
  location: { district: 'Mezitli', neighbourhood: 'Viranşehir' },
});

/** Whether the API's answer (or no answer) means "try the same request again shortly". */
const retryable = (res: HttpAnswer | null) =>
  res === null || res.status === 503 || (res.status === 409 && ['REQUEST_IN_PROGRESS', 'TICKET_NOT_READY'].includes(res.body?.code));

const waitOf = (res: HttpAnswer | null) => (res ? Math.min(Number(res.headers.get('retry-after') ?? 1), 2) * 1000 : 500);

/**
 * Sends the request until it gets a final answer (bounded): every answer is kept, so a test can
 * count the 503s it saw on the way. Connection errors count as "no answer" (null).
 */
export async function persist(send: () => Promise<HttpAnswer>, timeoutMs = 120_000): Promise<{ final: HttpAnswer; seen: (HttpAnswer | null)[] }> {
  const seen: (HttpAnswer | null)[] = [];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await send().catch(() => null);
    seen.push(res);
    if (!retryable(res)) return { final: res!, seen };
    if (Date.now() > deadline) throw new Error(`no final answer within ${timeoutMs} ms; last: ${res ? `${res.status} ${JSON.stringify(res.body)}` : 'no connection'}`);
    await sleep(waitOf(res));
  }
}

export async function intake(stack: FaultStack, phone: string, key = randomUUID()) {
  const { final, seen } = await persist(() => stack.request('POST', '/tickets', intakeBody(phone), { 'Idempotency-Key': key }));
  if (final.status !== 201) throw new Error(`intake answered ${final.status} ${JSON.stringify(final.body)}`);
  return { number: final.body.number as string, seen };
}

/** A staff command with its own X-Request-Id, resent as is until it gets a final answer; expects 200. */
export async function command(stack: FaultStack, staffId: string, number: string, route: string, body: Record<string, unknown> = {}, requestId: string = randomUUID()) {
  const auth = await persistBearer(stack, staffId);
  const { final, seen } = await persist(() => stack.request('POST', `/tickets/${number}/${route}`, body, { ...auth, 'X-Request-Id': requestId }));
  if (final.status !== 200) throw new Error(`${route} on ${number} answered ${final.status} ${JSON.stringify(final.body)}`);
  return { view: final.body, seen };
}

async function persistBearer(stack: FaultStack, staffId: string) {
  for (let i = 0; ; i++) {
    try {
      return await stack.bearer(staffId);
    } catch (error) {
      if (i > 60) throw error;
      await sleep(1000);
    }
  }
}

/** The ulaşım process up to the approval the head has to give. */
export async function toApproval(stack: FaultStack, number: string) {
  await command(stack, STAFF.coordinator, number, 'assign-department', { departmentId: 'ulasim' });
  await command(stack, STAFF.head, number, 'assign-expert', { expertId: STAFF.expert });
  await command(stack, STAFF.expert, number, 'resolution', { text: 'Cam değiştirildi.' });
}

export const approve = (stack: FaultStack, number: string, requestId?: string) => command(stack, STAFF.head, number, 'approve', {}, requestId);
export const finalize = (stack: FaultStack, number: string, requestId?: string) =>
  command(stack, STAFF.coordinator, number, 'finalize', { summary: 'Durağın camı yenilendi.' }, requestId);

/** Waits for the ticket's workflow to complete (the reopen window of the fault stack is a few seconds). */
export async function completed(stack: FaultStack, number: string, timeoutMs = 120_000): Promise<{ outcome: string }> {
  const result = stack.client.workflow.getHandle(ticketWorkflowId(number)).result() as Promise<{ outcome: string }>;
  if (!(await settlesWithin(result, timeoutMs))) throw new Error(`workflow of ${number} did not complete within ${timeoutMs} ms`);
  return result;
}

/**
 * The projection equals the workflow: the row's status, outcome and last event number are what
 * the workflow says (a Query through GET /tickets/:number/live), and its audit rows are numbered
 * 1..last_event_seq with neither a gap nor a duplicate.
 */
export async function projectionMatchesWorkflow(stack: FaultStack, number: string) {
  const auth = await stack.bearer(STAFF.coordinator);
  const live = (await persist(() => stack.request('GET', `/tickets/${number}/live`, undefined, auth))).final;
  expect(live.status).toBe(200);
  const { rows } = await stack.db.query('SELECT id, status, outcome, last_event_seq FROM tickets WHERE number = $1', [number]);
  expect(rows).toHaveLength(1);
  expect({ number, status: rows[0].status, outcome: rows[0].outcome, seq: Number(rows[0].last_event_seq) }).toEqual({
    number,
    status: live.body.status,
    outcome: live.body.outcome,
    seq: live.body.seq,
  });
  const events = await stack.db.query('SELECT seq FROM ticket_events WHERE ticket_id = $1 ORDER BY seq', [rows[0].id]);
  expect(events.rows.map((r: { seq: number }) => Number(r.seq))).toEqual(Array.from({ length: Number(rows[0].last_event_seq) }, (_, i) => i + 1));
}

/**
 * GET /audit/tickets/:number/verify as the auditor: the hash chain holds (no row edited, deleted
 * or inserted), and every row is in the Temporal history, none missing, none duplicated.
 *
 * Known defect, reported and not yet fixed (issue 13 note): when a worker dies after a workflow
 * task wrote its audit rows (local activity) but before the task completed, the task is run again
 * with a later workflow time; the row written first stays (append-only, ON CONFLICT DO NOTHING)
 * and differs from the history in `at` only. Those findings are returned, not failed on here.
 */
export async function auditIntact(stack: FaultStack, number: string): Promise<{ retried: number }> {
  const auth = await stack.bearer(STAFF.auditor);
  const res = (await persist(() => stack.request('GET', `/audit/tickets/${number}/verify`, undefined, auth))).final;
  expect(res.status).toBe(200);
  expect(res.body.number).toBe(number);
  // No tampering finding at all; rows written by a lost workflow task attempt (a killed worker)
  // are reported apart, each named by the lost attempt the history records.
  expect(res.body.findings).toEqual([]);
  expect(res.body.intact).toBe(true);
  for (const r of res.body.retriedTasks as { text: string }[]) expect(r.text).toMatch(/by a workflow task attempt that was lost/);
  return { retried: res.body.retriedTasks.length };
}

export interface OutboxRow {
  notification_key: string;
  status: string;
  recipient_phone: string | null;
  body: string;
}

/**
 * Exactly one provider message per notification key: every SENT or UNCERTAIN row was received by
 * the (fake) Twilio once, never twice, and nothing reached it that no row accounts for. Returns
 * the rows, for the caller's own counts.
 */
export async function oneMessagePerKey(stack: FaultStack, phones: string[]): Promise<OutboxRow[]> {
  const { rows } = await stack.db.query<OutboxRow>(
    `SELECT notification_key, status, recipient_phone, body FROM sms_outbox WHERE recipient_phone = ANY($1) ORDER BY id`,
    [phones],
  );
  const received = stack.twilio.messages.filter((m) => phones.includes(m.to));
  const perRow = rows.map((row) => ({
    key: row.notification_key,
    status: row.status,
    messages: received.filter((m) => m.to === row.recipient_phone && maskTrackingTokens(m.body) === row.body).length,
  }));
  for (const r of perRow) expect({ key: r.key, status: r.status, messages: r.messages }).toEqual({ key: r.key, status: r.status, messages: ['SENT', 'UNCERTAIN'].includes(r.status) ? 1 : 0 });
  expect(received).toHaveLength(perRow.reduce((n, r) => n + r.messages, 0));
  // One row per key (the outbox's unique key, checked here all the same).
  expect(new Set(rows.map((r) => r.notification_key)).size).toBe(rows.length);
  return rows;
}
