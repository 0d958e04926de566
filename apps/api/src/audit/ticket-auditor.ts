import type { Client } from '@temporalio/client';
import { isDeepStrictEqual } from 'node:util';
import type { AuditChainRow, TicketTimelineRepository } from '../../../../libs/database/src/ticket-timeline.repository';
import type { TicketKey } from '../../../../libs/database/src/tickets.repository';
import { ticketWorkflowId } from '../../../../libs/temporal/src';
import { workflowRuns } from '../tickets/workflow-runs';
import type { VerifyResult } from './audit-views.schema';
import type { HistoryReplayer, ReplayVerdict, TicketHistoryInput, TracedEvent } from './replay/history-replayer';

export type TicketReplay = { ticket: AuditedTicket; verdict: ReplayVerdict } | { ticket: AuditedTicket; error: string };

export type AuditedTicket = TicketKey;

/** Every run of the ticket's workflow, oldest first (continue-as-new followed back from the latest run). */
export async function fetchTicketHistory(client: Client, number: string): Promise<TicketHistoryInput> {
  const workflowId = ticketWorkflowId(number);
  const latest = (await client.workflow.getHandle(workflowId).describe()).runId;
  const runs: TicketHistoryInput['runs'] = [];
  for await (const run of workflowRuns(client, workflowId, latest)) runs.unshift({ runId: run.runId, history: run.history });
  return { workflowId, runs };
}

/** A finding of the tamper check: its type is its schema's (audit-views.schema.ts). */
export type Finding = VerifyResult['findings'][number];

/**
 * Tamper evidence for one ticket: the hash chain of its audit rows (an edited row fails its own
 * hash, a deleted one breaks the link of the next) and the rows against what the Temporal
 * history says they are (replayed against the current code: the rows it would write). An
 * inserted row is not in the history; a deleted one is in the history but not in the table.
 */
export async function verifyTicket(timeline: TicketTimelineRepository, ticket: AuditedTicket, verdict: ReplayVerdict): Promise<VerifyResult> {
  const rows = await timeline.auditChain(ticket.id);
  const findings: Finding[] = [];
  const retriedTasks: Finding[] = [];
  let expectedSeq = rows[0]?.seq ?? 1;
  for (const row of rows) {
    if (row.seq > expectedSeq) {
      const missing = row.seq - 1 === expectedSeq ? `seq ${expectedSeq} is` : `seq ${expectedSeq}–${row.seq - 1} are`;
      findings.push({ seq: expectedSeq, kind: 'SEQ_GAP', text: `row ${missing} missing from the audit table (deleted)` });
    }
    expectedSeq = row.seq + 1;
    if (!row.content_intact) findings.push({ seq: row.seq, kind: 'EDITED', text: `row seq ${row.seq} does not match its hash: its content was changed after it was written` });
    if (!row.linked) findings.push({ seq: row.seq, kind: 'CHAIN_BROKEN', text: `row seq ${row.seq} does not follow the row before it: a row before it was deleted, inserted or rewritten` });
  }

  if (verdict.deterministic) {
    const fromHistory = new Map(verdict.auditRows.map((e) => [e.seq, e]));
    const inTable = new Set(rows.map((r) => r.seq));
    for (const row of rows) {
      const expected = fromHistory.get(row.seq);
      if (!expected) {
        findings.push({ seq: row.seq, kind: 'NOT_IN_HISTORY', text: `row seq ${row.seq} (${row.type}) is not in the ticket's Temporal history: it was inserted` });
        continue;
      }
      const fields = differingFields(row, expected);
      if (fields.length === 1 && fields[0] === 'at' && startedLostTask(row.at, verdict.lostTaskStarts)) {
        retriedTasks.push({
          seq: row.seq,
          kind: 'DIFFERS_FROM_HISTORY',
          text: `row seq ${row.seq} was written at ${row.at.toISOString()} by a workflow task attempt that was lost (a worker stopped mid-task); the retry recorded it at ${expected.at}`,
        });
      } else if (fields.length) {
        findings.push({ seq: row.seq, kind: 'DIFFERS_FROM_HISTORY', text: `row seq ${row.seq} differs from the Temporal history in ${fields.join(', ')}` });
      }
    }
    for (const event of verdict.auditRows) {
      if (!inTable.has(event.seq)) {
        findings.push({ seq: event.seq, kind: 'MISSING', text: `event seq ${event.seq} (${event.type}) is in the Temporal history but not in the audit table: its row was deleted` });
      }
    }
  }
  findings.sort((a, b) => a.seq - b.seq);
  return {
    number: ticket.number,
    intact: findings.length === 0 && verdict.deterministic,
    rows: rows.length,
    historyEvents: verdict.events,
    findings,
    retriedTasks,
    replay: { deterministic: verdict.deterministic, divergence: verdict.divergence },
  };
}

/** The row's time is the start of a lost workflow task attempt (to the millisecond the row keeps). */
function startedLostTask(at: Date, lostTaskStarts: number[]): boolean {
  return lostTaskStarts.some((start) => Math.abs(start - at.getTime()) <= 1);
}

function differingFields(row: AuditChainRow, e: TracedEvent): string[] {
  const out: string[] = [];
  if (row.type !== e.type) out.push('type');
  if (row.at.getTime() !== Date.parse(e.at)) out.push('at');
  if (row.actor_kind !== e.actor.kind) out.push('actor');
  else if ((row.actor_id ?? null) !== (e.actor.kind === 'STAFF' ? (e.actor.id ?? null) : null)) out.push('actor');
  if (row.status !== e.status) out.push('status');
  // Both sides as JSON (jsonb drops undefined and normalises numbers; key order does not count).
  if (!isDeepStrictEqual(row.data, JSON.parse(JSON.stringify(e.data ?? {})))) out.push('data');
  return out;
}

/** Replays tickets one after another, fetching each history only when the replayer asks for it. */
export async function* replayTickets(
  client: Client,
  replayer: HistoryReplayer,
  tickets: AsyncIterable<AuditedTicket>,
): AsyncGenerator<TicketReplay> {
  const order: AuditedTicket[] = [];
  const failed: { ticket: AuditedTicket; error: string }[] = [];
  async function* histories(): AsyncGenerator<TicketHistoryInput> {
    for await (const ticket of tickets) {
      try {
        const history = await fetchTicketHistory(client, ticket.number);
        order.push(ticket);
        yield history;
      } catch (error) {
        failed.push({ ticket, error: error instanceof Error ? error.message : String(error) });
      }
    }
  }
  for await (const verdict of replayer.replay(histories())) {
    while (failed.length) yield failed.shift()!;
    yield { ticket: order.shift()!, verdict };
  }
  while (failed.length) yield failed.shift()!;
}
