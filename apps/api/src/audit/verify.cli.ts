/**
 * `npm run audit:verify -- [--since <date>]`: checks the audit rows of every ticket received since
 * the date (default: all) — the hash chain, and the rows against the ticket's Temporal history —
 * streamed, one line per ticket with a finding, and a summary line. Exit code 1 on any finding.
 */
import 'reflect-metadata';
import { Client, Connection } from '@temporalio/client';
import { loadConfig } from '../../../../libs/config/src';
import { createDataSource } from '../../../../libs/database/src';
import { TicketTimelineRepository } from '../../../../libs/database/src/ticket-timeline.repository';
import { TicketsRepository } from '../../../../libs/database/src/tickets.repository';
import { HistoryReplayer } from './replay/history-replayer';
import { currentReplayBundle } from './replay/replay-bundle';
import { parseSince } from './replay.cli';
import { replayTickets, verifyTicket } from './ticket-auditor';

async function main(args: string[]): Promise<number> {
  const since = args[0] === '--since' ? parseSince(args[1]) : new Date(0);
  const config = loadConfig();
  const replayer = new HistoryReplayer(await currentReplayBundle(config.workflowBundlePath));
  const db = await createDataSource(config.databaseUrl, false, 2).initialize();
  const timeline = new TicketTimelineRepository(db);
  const client = new Client({ connection: Connection.lazy({ address: config.temporal.address }), namespace: config.temporal.namespace });
  const started = Date.now();
  let tickets = 0;
  let intact = 0;
  let unreadable = 0;
  let rows = 0;
  try {
    for await (const r of replayTickets(client, replayer, new TicketsRepository(db).since(since, 'received_at'))) {
      tickets++;
      if ('error' in r) {
        unreadable++;
        console.log(`${r.ticket.number}: history not readable: ${r.error}`);
        continue;
      }
      const result = await verifyTicket(timeline, r.ticket, r.verdict);
      rows += result.rows;
      if (result.intact) intact++;
      for (const finding of result.findings) console.log(`${r.ticket.number}: ${finding.text}`);
      for (const note of result.retriedTasks) console.log(`${r.ticket.number}: (not tampering) ${note.text}`);
      if (!result.replay.deterministic) console.log(`${r.ticket.number}: ${result.replay.divergence?.text}`);
      if (tickets % 100 === 0) console.error(`${tickets} tickets verified`);
    }
  } finally {
    await client.connection.close();
    await db.destroy();
  }
  const seconds = (Date.now() - started) / 1000;
  console.log(
    `${tickets} tickets (${rows} audit rows) verified in ${seconds.toFixed(1)} s, ${(tickets / Math.max(seconds, 0.001)).toFixed(1)} tickets/s: ` +
      `${intact} intact, ${tickets - intact - unreadable} with findings, ${unreadable} unreadable`,
  );
  return intact === tickets ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
