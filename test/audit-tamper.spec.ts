import { spawn } from 'node:child_process';
import * as path from 'node:path';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../libs/database/src';
import { STAFF, TicketDriver, type CreatedTicket } from './support/ticket-driver';
import { startTestStack, type TestStack } from './support/test-stack';

/**
 * Tamper evidence: the audit rows (ticket_events) are hash-chained per ticket and compared with
 * the ticket's Temporal history. A row edited, inserted or deleted with SQL — by someone able to
 * bypass the append-only triggers, as the test's owner connection is — is reported with its seq.
 */
describe('tamper evidence of the audit table', () => {
  let stack: TestStack;
  let t: TicketDriver;
  const suiteStarted = new Date();
  /** The owner role (migrations): the only one that can switch the table's triggers off. */
  let owner: DataSource;
  beforeAll(async () => {
    stack = await startTestStack();
    t = new TicketDriver(stack);
    owner = await createDataSource(process.env.TEKSIN_TEST_OWNER_DATABASE_URL!, false, 1).initialize();
  });
  afterAll(async () => {
    await owner?.destroy();
    await stack?.close();
  });

  const closedReferral = async () => {
    const ticket = await t.create({ category: 'OTHER', description: 'Sokak lambası yanmıyor.' });
    await t.staff(STAFF.coordinator, ticket.number, 'refer', { institutionId: 'toroslar-edas' }).expect(200);
    await stack.client.workflow.getHandle(`ticket-${ticket.number}`).result();
    return ticket;
  };
  const verify = async (ticket: CreatedTicket) =>
    (await stack.http.get(`/audit/tickets/${ticket.number}/verify`).set('Authorization', await stack.bearer(STAFF.auditor)).expect(200)).body;
  /** What only the table's owner can do: switch the append-only trigger off for one statement. */
  const asOwnerBypassingTriggers = (sql: string, params: unknown[]) =>
    owner.transaction(async (m) => {
      await m.query('ALTER TABLE ticket_events DISABLE TRIGGER ticket_events_no_update_delete');
      await m.query(sql, params);
      await m.query('ALTER TABLE ticket_events ENABLE TRIGGER ticket_events_no_update_delete');
    });

  it('every row is chained to the previous row of its ticket when it is written', async () => {
    const ticket = await closedReferral();
    const rows = await stack.db.query(`SELECT seq, prev_hash, hash FROM ticket_events WHERE ticket_id = $1 ORDER BY seq`, [ticket.id]);
    expect(rows.length).toBeGreaterThanOrEqual(3);
    expect(rows[0].prev_hash).toBeNull();
    for (let i = 1; i < rows.length; i++) expect(rows[i].prev_hash).toEqual(rows[i - 1].hash);
    expect(new Set(rows.map((r: { hash: Buffer }) => r.hash.toString('hex'))).size).toBe(rows.length);
  });

  it('an untouched ticket verifies: chain intact, rows equal to the Temporal history (auditor only)', async () => {
    const ticket = await closedReferral();
    await stack.http.get(`/audit/tickets/${ticket.number}/verify`).set('Authorization', await stack.bearer(STAFF.coordinator)).expect(403);
    const result = await verify(ticket);
    expect(result).toMatchObject({ number: ticket.number, intact: true, findings: [], replay: { deterministic: true } });
    expect(result.rows).toBeGreaterThanOrEqual(3);
  });

  it('UPDATE, DELETE and TRUNCATE are refused, even to the owner (triggers)', async () => {
    const ticket = await closedReferral();
    await expect(owner.query(`UPDATE ticket_events SET status = 'X' WHERE ticket_id = $1`, [ticket.id])).rejects.toThrow(/append-only \(UPDATE refused\)/);
    await expect(owner.query(`DELETE FROM ticket_events WHERE ticket_id = $1`, [ticket.id])).rejects.toThrow(/append-only \(DELETE refused\)/);
    await expect(owner.query(`TRUNCATE ticket_events CASCADE`)).rejects.toThrow(/append-only \(TRUNCATE refused\)/);
    expect((await stack.db.query(`SELECT count(*)::int AS n FROM ticket_events WHERE ticket_id = $1`, [ticket.id]))[0].n).toBeGreaterThanOrEqual(3);
  });

  it('the application’s role may only read and append: no UPDATE, DELETE, TRUNCATE, no trigger or table changes', async () => {
    const ticket = await closedReferral();
    const [{ role }] = await stack.db.query(`SELECT current_user AS role`);
    expect(role).toBe('teksin_app');
    for (const sql of [
      `UPDATE ticket_events SET status = 'X' WHERE ticket_id = '${ticket.id}'`,
      `DELETE FROM ticket_events WHERE ticket_id = '${ticket.id}'`,
      `TRUNCATE ticket_events`,
      `ALTER TABLE ticket_events DISABLE TRIGGER ticket_events_no_update_delete`,
      `DROP TRIGGER ticket_events_hash_chain ON ticket_events`,
      `ALTER TABLE ticket_events DROP COLUMN hash`,
      `DROP FUNCTION ticket_event_hash(bytea, ticket_events)`,
      `CREATE OR REPLACE FUNCTION ticket_events_chain() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$`,
      `DELETE FROM data_erasures`,
    ]) {
      await expect(stack.db.query(sql)).rejects.toThrow(/permission denied|must be owner/);
    }
    expect((await stack.db.query(`SELECT count(*)::int AS n FROM ticket_events WHERE ticket_id = $1`, [ticket.id]))[0].n).toBeGreaterThanOrEqual(3);
  });

  it('a row edited with SQL is reported with its seq', async () => {
    const ticket = await closedReferral();
    await asOwnerBypassingTriggers(`UPDATE ticket_events SET actor_id = 'coord.mehmet' WHERE ticket_id = $1 AND seq = 2`, [ticket.id]);
    const result = await verify(ticket);
    expect(result.intact).toBe(false);
    expect(result.findings).toEqual([
      { seq: 2, kind: 'EDITED', text: 'row seq 2 does not match its hash: its content was changed after it was written' },
      { seq: 2, kind: 'DIFFERS_FROM_HISTORY', text: 'row seq 2 differs from the Temporal history in actor' },
    ]);
  });

  it('a row edited with its hash recomputed still breaks the chain at the next row, and differs from the history', async () => {
    const ticket = await closedReferral();
    await asOwnerBypassingTriggers(
      `UPDATE ticket_events e SET status = 'RESOLVED', hash = ticket_event_hash(e.prev_hash, (e.id, e.ticket_id, e.seq, e.type, e.at, e.actor_kind, e.actor_id, 'RESOLVED', e.data, e.recorded_at, e.prev_hash, e.hash)::ticket_events)
        WHERE ticket_id = $1 AND seq = 2`,
      [ticket.id],
    );
    const kinds = (await verify(ticket)).findings.map((f: { seq: number; kind: string }) => `${f.seq} ${f.kind}`);
    expect(kinds).toEqual(['2 DIFFERS_FROM_HISTORY', '3 CHAIN_BROKEN']);
  });

  it('a row deleted with SQL is reported with its seq', async () => {
    const ticket = await closedReferral();
    await asOwnerBypassingTriggers(`DELETE FROM ticket_events WHERE ticket_id = $1 AND seq = 2`, [ticket.id]);
    const result = await verify(ticket);
    expect(result.findings.map((f: { seq: number; kind: string }) => `${f.seq} ${f.kind}`)).toEqual(['2 SEQ_GAP', '2 MISSING', '3 CHAIN_BROKEN']);
    expect(result.findings[1].text).toMatch(/^event seq 2 \(\w+\) is in the Temporal history but not in the audit table: its row was deleted$/);
  });

  it('a row inserted with SQL (correctly chained by the trigger, as the application role may) is not in the history, and is reported with its seq', async () => {
    const ticket = await closedReferral();
    const [{ max }] = await stack.db.query(`SELECT max(seq) AS max FROM ticket_events WHERE ticket_id = $1`, [ticket.id]);
    await stack.db.query(
      `INSERT INTO ticket_events (ticket_id, seq, type, at, actor_kind, actor_id, status, data) VALUES ($1, $2, 'NOTE_ADDED', now(), 'STAFF', 'coord.ayse', 'CLOSED', '{}')`,
      [ticket.id, max + 1],
    );
    const result = await verify(ticket);
    expect(result.findings).toEqual([{ seq: max + 1, kind: 'NOT_IN_HISTORY', text: `row seq ${max + 1} (NOTE_ADDED) is not in the ticket's Temporal history: it was inserted` }]);
  });

  it('npm run audit:verify -- --since <date> reports every tampered row of every ticket, and a summary line', async () => {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', 'apps/api/src/audit/verify.cli.ts', '--since', suiteStarted.toISOString()], {
      cwd: path.join(__dirname, '..'),
      env: {
        ...process.env,
        NODE_ENV: 'test',
        DATABASE_URL: stack.config.databaseUrl,
        TEMPORAL_ADDRESS: stack.config.temporal.address,
        TEMPORAL_NAMESPACE: stack.config.temporal.namespace,
        WORKFLOW_BUNDLE_PATH: '',
      },
    });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => process.stderr.write(d));
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    const lines = stdout.trim().split('\n');
    expect(lines.filter((l) => / row seq 2 does not match its hash/.test(l))).toHaveLength(1);
    expect(lines.filter((l) => /event seq 2 .* its row was deleted$/.test(l))).toHaveLength(1);
    expect(lines.filter((l) => /is not in the ticket's Temporal history: it was inserted$/.test(l))).toHaveLength(1);
    expect(lines[lines.length - 1]).toMatch(/^8 tickets \(\d+ audit rows\) verified in [\d.]+ s, [\d.]+ tickets\/s: 4 intact, 4 with findings, 0 unreadable$/);
    console.log(`[verify throughput] ${lines[lines.length - 1]}`);
  }, 120_000);
});
