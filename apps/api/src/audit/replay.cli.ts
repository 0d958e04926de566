/**
 * `npm run replay -- <ticket number> | <file> | --since <date>`: replays ticket histories against
 * the current workflow code and says "deterministic" or the first divergence in words.
 *   <number>        every run of the ticket, fetched from Temporal (continue-as-new followed)
 *   <file>          a history downloaded from GET /audit/tickets/:number/history (Temporal's JSON
 *                   format of one run, or the endpoint's whole answer with every run)
 *   --since <date>  every ticket closed since the date (ISO 8601), streamed: a progress bar and
 *                   a summary line; exit code 1 when any diverged or could not be read
 * Reads DATABASE_URL, TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, WORKFLOW_BUNDLE_PATH like the apps.
 */
import 'reflect-metadata';
import { Client, Connection } from '@temporalio/client';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadConfig, type AppConfig } from '../../../../libs/config/src';
import { createDataSource } from '../../../../libs/database/src';
import { TicketsRepository } from '../../../../libs/database/src/tickets.repository';
import { TICKET_NUMBER } from '../common/ticket-number';
import { progressPrinter, summarise, summaryLine, type BatchItem } from './replay/batch-summary';
import { HistoryReplayer, type TicketHistoryInput } from './replay/history-replayer';
import { currentReplayBundle } from './replay/replay-bundle';
import { fetchTicketHistory, replayTickets } from './ticket-auditor';

const USAGE = 'usage: npm run replay -- <ticket number> | <history file> | --since <date>';

/** A downloaded history: Temporal's one-run format ({ events }) or the history endpoint's answer ({ workflowId, runs }). */
export function readHistoryFile(file: string): TicketHistoryInput {
  const json = JSON.parse(fs.readFileSync(file, 'utf8')) as { events?: unknown[]; workflowId?: string; runs?: { runId: string; history: unknown }[] };
  if (Array.isArray(json.runs)) {
    return { workflowId: json.workflowId ?? path.basename(file), runs: json.runs.map((r) => ({ runId: r.runId, history: historyFromJSON(r.history) })) };
  }
  if (Array.isArray(json.events)) return { workflowId: path.basename(file, '.json'), runs: [{ runId: path.basename(file), history: historyFromJSON(json) }] };
  throw new Error(`${file} holds no Temporal history (neither "events" nor "runs")`);
}

export function parseSince(value: string | undefined): Date {
  const since = value ? new Date(value) : new Date(NaN);
  if (Number.isNaN(since.getTime())) throw new Error(`--since needs a date (ISO 8601, e.g. 2026-01-01), got "${value ?? ''}"`);
  return since;
}

async function main(args: string[]): Promise<number> {
  if (args.length === 0 || args[0] === '--help') {
    console.error(USAGE);
    return 2;
  }
  const config = loadConfig();
  const replayer = new HistoryReplayer(await currentReplayBundle(config.workflowBundlePath));

  if (args[0] === '--since') {
    const since = parseSince(args[1]);
    const db = await createDataSource(config.databaseUrl, false, 2).initialize();
    const client = temporalClient(config);
    try {
      const tickets = new TicketsRepository(db);
      const count = await tickets.countClosedSince(since);
      console.error(`replaying ${count} tickets closed since ${since.toISOString()}`);
      const items = async function* (): AsyncGenerator<BatchItem> {
        for await (const r of replayTickets(client, replayer, tickets.since(since, 'closed_at'))) {
          yield 'error' in r ? { label: r.ticket.number, error: r.error } : { label: r.ticket.number, verdict: r.verdict };
        }
      };
      const summary = await summarise(items(), progressPrinter(process.stderr, count));
      if (process.stderr.isTTY) process.stderr.write('\n');
      for (const problem of summary.problems) console.log(problem);
      console.log(summaryLine(summary));
      return summary.diverged + summary.unreadable > 0 ? 1 : 0;
    } finally {
      await client.connection.close();
      await db.destroy();
    }
  }

  let input: TicketHistoryInput;
  if (TICKET_NUMBER.test(args[0])) {
    const client = temporalClient(config);
    try {
      input = await fetchTicketHistory(client, args[0]);
    } finally {
      await client.connection.close();
    }
  } else if (fs.existsSync(args[0])) {
    input = readHistoryFile(args[0]);
  } else {
    console.error(`${args[0]} is neither a ticket number nor a file\n${USAGE}`);
    return 2;
  }
  const verdict = await replayer.replayOne(input);
  console.log(`${input.workflowId} (${verdict.runs} run(s), ${verdict.events} events): ${verdict.deterministic ? 'deterministic' : verdict.divergence!.text}`);
  if (verdict.divergence) console.log(`  engine: ${verdict.divergence.engineMessage}`);
  return verdict.deterministic ? 0 : 1;
}

function temporalClient(config: AppConfig): Client {
  return new Client({ connection: Connection.lazy({ address: config.temporal.address }), namespace: config.temporal.namespace });
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
