import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { APP_CONFIG, type AppConfig } from '../../../../../libs/config/src';
import type { AnalysisSource, ContactFacts, TicketFacts } from '../../../../../libs/database/src/analysis-feed.repository';
import { CONTACT_FACT_COLUMNS, CONTACT_LABELLED, CREATE_READERS, CREATE_STORE, DROP_STORE, jsonRowsType, STORE_TABLES, STORE_VERSION, TICKET_FACT_COLUMNS, TICKET_LABELLED } from './analysis-store.schema';

export type StoreRow = Record<string, unknown>;
/** DuckDB's integers arrive as bigint: plain numbers for the figures (counts stay far below 2^53). */
const plain = (row: StoreRow): StoreRow => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v]));

/** What one feed step writes: facts to put (replacing a row with the same id) or remove, and the new positions. */
export interface StoreBatch {
  tickets: TicketFacts[];
  removedTickets: string[];
  contacts: ContactFacts[];
  removedContacts: string[];
  positions: Partial<Record<AnalysisSource, number>>;
  /** Rows of a rebuild, new to the store: nothing to replace. */
  fresh?: boolean;
}

/**
 * The analysis store: an embedded DuckDB in this API process (ANALYSIS_STORE_PATH, a file or
 * `:memory:`). DuckDB lets one process open a file for writing, so each API process has its own
 * store and its own feed (AnalysisFeed); a second process pointed at a file another one holds
 * keeps its store in memory instead (built from PostgreSQL, like any new store) and says so in
 * its log. Reads run on their own connections, in parallel with the feed's writes (DuckDB's
 * MVCC: a reader sees the last committed batch).
 */
@Injectable()
export class AnalysisStore implements OnApplicationShutdown {
  private readonly logger = new Logger(AnalysisStore.name);
  private instance: DuckDBInstance | null = null;
  private writer: DuckDBConnection | null = null;
  private readonly idle: DuckDBConnection[] = [];
  /** Every label's code (the `labels` table, with the codes of a batch being written). */
  private codes = new Map<string, number>();
  /** Where the store is: the configured file, or `:memory:` (configured, or the file is held by another process). */
  path: string;
  private readonly options: Record<string, string> | undefined;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.path = config.analysis.storePath;
    this.options = config.analysis.threads ? { threads: String(config.analysis.threads) } : undefined;
  }

  /** Opens (or creates) the store; a store of another version is dropped and created empty, so the feed rebuilds it. */
  async open(): Promise<void> {
    if (this.instance) return;
    this.instance = await this.create();
    this.writer = await this.instance.connect();
    for (const ddl of CREATE_STORE) await this.writer.run(ddl);
    const [meta] = await this.read(`SELECT max(version) AS version FROM store_meta`);
    if (meta.version !== STORE_VERSION && meta.version !== null) {
      this.logger.warn(`analysis store version ${meta.version}, expected ${STORE_VERSION}: dropped, to be rebuilt`);
      for (const ddl of [...DROP_STORE, ...CREATE_STORE]) await this.writer.run(ddl);
    }
    for (const ddl of CREATE_READERS) await this.writer.run(ddl);
    if (meta.version !== STORE_VERSION) await this.clear();
    else await this.loadCodes();
  }

  private async loadCodes(): Promise<void> {
    const rows = await this.read(`SELECT code, label FROM labels`);
    this.codes = new Map(rows.map((r) => [String(r.label), Number(r.code)]));
  }

  /** A label's code for a figure's filter; -1 (no row has it) for a label the store has never seen. */
  codeOf(label: string): number {
    return this.codes.get(label) ?? -1;
  }

  private async create(): Promise<DuckDBInstance> {
    if (this.path === ':memory:') return DuckDBInstance.create(this.path, this.options);
    mkdirSync(dirname(this.path), { recursive: true });
    try {
      return await DuckDBInstance.create(this.path, this.options);
    } catch (error) {
      if (!/lock/i.test((error as Error).message)) throw error;
      this.logger.warn(`analysis store ${this.path} is held by another process: this process keeps its own store in memory, built from PostgreSQL`);
      this.path = ':memory:';
      return DuckDBInstance.create(this.path, this.options);
    }
  }

  /** Runs a read on a connection of its own; integers come back as numbers. */
  async read(sql: string, params: unknown[] = []): Promise<StoreRow[]> {
    if (!this.instance) throw new Error('the analysis store is not open');
    const connection = this.idle.pop() ?? (await this.instance.connect());
    try {
      const reader = await connection.runAndReadAll(sql, params as never);
      return reader.getRowObjectsJS().map((r) => plain(r as StoreRow));
    } finally {
      this.idle.push(connection);
    }
  }

  /** Where the feed stands in each log; empty for a store that has not been built. */
  async positions(): Promise<Partial<Record<AnalysisSource, number>>> {
    const rows = await this.read(`SELECT source, position FROM feed_position`);
    return Object.fromEntries(rows.map((r) => [r.source as string, Number(r.position)]));
  }

  /**
   * Writes a batch and the positions it brings the feed to in one transaction: a crash before
   * COMMIT leaves neither, so the next step reads the same rows again; a row written twice
   * replaces itself.
   */
  async apply(batch: StoreBatch): Promise<void> {
    const w = this.writer!;
    const added: [string, number][] = [];
    const tickets = this.encode(batch.tickets, TICKET_LABELLED, added);
    const contacts = this.encode(batch.contacts, CONTACT_LABELLED, added);
    try {
      // Inside the try: whatever fails, the batch's new codes are taken back with it.
      await w.run('BEGIN TRANSACTION');
      if (added.length) {
        await w.run(`INSERT INTO labels SELECT unnest(from_json($1::VARCHAR, '[{"code":"INTEGER","label":"VARCHAR"}]'), recursive := true)`, [
          JSON.stringify(added.map(([label, code]) => ({ code, label }))),
        ] as never);
      }
      await this.put(w, 'ticket_facts', TICKET_FACT_COLUMNS, tickets, batch.removedTickets, batch.fresh);
      await this.put(w, 'contact_facts', CONTACT_FACT_COLUMNS, contacts, batch.removedContacts, batch.fresh);
      for (const [source, position] of Object.entries(batch.positions)) {
        await w.run(`INSERT OR REPLACE INTO feed_position VALUES ($1, $2)`, [source, position] as never);
      }
      this.beforeCommit?.(batch);
      await w.run('COMMIT');
    } catch (error) {
      await w.run('ROLLBACK').catch(() => undefined);
      for (const [label] of added) this.codes.delete(label);
      throw error;
    }
  }

  /** The rows with their labelled columns as codes; a label seen for the first time gets the next code, listed in `added`. */
  private encode(rows: readonly object[], labelled: readonly string[], added: [string, number][]): StoreRow[] {
    return rows.map((row) => {
      const coded: StoreRow = { ...(row as StoreRow) };
      for (const column of labelled) {
        const label = coded[column];
        if (label === null || label === undefined) continue;
        let code = this.codes.get(String(label));
        if (code === undefined) {
          code = this.codes.size + 1;
          this.codes.set(String(label), code);
          added.push([String(label), code]);
        }
        coded[column] = code;
      }
      return coded;
    });
  }

  /** A test's seam: called inside the transaction, after the facts and before COMMIT (test/analysis-store.spec.ts kills the process here). */
  beforeCommit?: (batch: StoreBatch) => void;

  /** Empties the store (a rebuild, or a store of another version). */
  async clear(): Promise<void> {
    const w = this.writer!;
    await w.run('BEGIN TRANSACTION');
    for (const table of STORE_TABLES) await w.run(`DELETE FROM ${table}`);
    await w.run(`INSERT INTO store_meta VALUES (${STORE_VERSION})`);
    await w.run('COMMIT');
    this.codes = new Map();
  }

  /** Closed after every module's destroy hook, so the feed (AnalysisFeed.onModuleDestroy) has finished its step. */
  onApplicationShutdown(): void {
    this.close();
  }

  close(): void {
    for (const c of this.idle.splice(0)) c.closeSync();
    this.writer?.closeSync();
    this.writer = null;
    this.instance?.closeSync();
    this.instance = null;
  }

  private async put(w: DuckDBConnection, table: string, columns: Record<string, string>, rows: StoreRow[], removed: string[], fresh = false): Promise<void> {
    const ids = [...(fresh ? [] : rows.map((r) => String(r.id))), ...removed];
    if (ids.length > 0)
      await w.run(`DELETE FROM ${table} WHERE id IN (SELECT unnest(from_json($1::VARCHAR, '["VARCHAR"]')))`, [JSON.stringify(ids)] as never);
    if (rows.length === 0) return;
    await w.run(
      `INSERT INTO ${table} (${Object.keys(columns).join(', ')})
       SELECT ${Object.keys(columns).map((c) => `r.${c}`).join(', ')} FROM (SELECT unnest(from_json($1::VARCHAR, '${jsonRowsType(columns)}')) AS r)`,
      [JSON.stringify(rows)] as never,
    );
  }
}
