import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import { APP_CONFIG, type AppConfig } from '../../../../../libs/config/src';
import { ANALYSIS_SOURCES, AnalysisFeedRepository, type AnalysisSnapshotReader, type AnalysisSource, type ContactFacts, type PageCursor, type TicketFacts } from '../../../../../libs/database/src/analysis-feed.repository';
import { AnalysisStore, type StoreBatch } from './analysis-store';

const SOURCES = Object.keys(ANALYSIS_SOURCES) as AnalysisSource[];
/** Rows per page of a rebuild. */
export const REBUILD_PAGE = 50_000;

/** Ids up to `upTo` were all handed out to transactions older than `xid`: once a snapshot's xmin is at or past it, they are settled. */
interface Pending {
  upTo: number;
  xid: number;
}

/**
 * Feeds the analysis store from PostgreSQL's logs (ticket_events and analysis_changes, by id):
 * each step reads the new rows' tickets and contacts afresh in one snapshot and writes their facts
 * and the new positions in one store transaction (AnalysisStore.apply).
 *
 * A bigserial id is handed out before its transaction commits, so a row with a lower id can become
 * visible after a higher one. The stored position therefore only moves over ids that are settled:
 * the last id handed out, read before a snapshot together with a transaction id taken right after
 * it (`lastIdsSettledAfter`), is settled once a snapshot's xmin is at or past that transaction id:
 * every transaction that could hold an id up to it has ended. Every step reads
 * every row past the settled position that its snapshot sees and writes their facts: the rows
 * that settle in that step, and the unsettled ones again (a second or two of rows at a big
 * center's pace), so a row that commits after a higher id was read is taken in by the next step
 * all the same (a ticket's facts written twice are the same facts).
 *
 * Each API process feeds its own store; in one process one step runs at a time, and a reader
 * that needs what was committed before it asked (`catchUp`) waits for the next step.
 */
@Injectable()
export class AnalysisFeed implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(AnalysisFeed.name);
  private settled: Partial<Record<AnalysisSource, number>> = {};
  private pending: Partial<Record<AnalysisSource, Pending>> = {};
  private running: Promise<void> | null = null;
  private queued: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  /** True once the store holds every fact up to a settled position: the figures may read it. */
  ready = false;
  /** How long the last rebuild took, in ms (null: the store was fed on from a kept file). */
  lastRebuildMs: number | null = null;

  constructor(
    private readonly repository: AnalysisFeedRepository,
    private readonly store: AnalysisStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Opens the store and starts feeding it in the background: the API answers from PostgreSQL until it is ready. */
  onApplicationBootstrap(): void {
    this.started = this.start().catch((error) => this.logger.error(`analysis store unavailable, figures come from PostgreSQL: ${(error as Error).message}`));
  }

  /** Settles when the first build or catch-up has ended (ready, or failed and logged). */
  started: Promise<void> | null = null;

  async start(): Promise<void> {
    await this.store.open();
    await this.catchUp();
    this.schedule();
  }

  /** Runs a step that starts after this call (joining one queued already): what was committed before it is then in the store. */
  catchUp(): Promise<void> {
    if (!this.running) {
      this.running = this.step().finally(() => (this.running = null));
      return this.running;
    }
    this.queued ??= this.running.catch(() => undefined).then(() => {
      this.queued = null;
      return this.catchUp();
    });
    return this.queued;
  }

  /**
   * What a figure waits for before it reads the store: a step as `catchUp`, unless every log id
   * handed out so far is settled and read (nothing can have committed since the last step): then
   * the store already holds what PostgreSQL committed before this call, at the cost of one
   * statement instead of a step.
   */
  async catchUpForRead(): Promise<void> {
    if (this.ready && !this.running) {
      const lastIds = await this.repository.lastIds();
      if (SOURCES.every((s) => lastIds[s] <= this.settled[s]!)) return;
    }
    return this.catchUp();
  }

  /** Empties the store and loads every fact again from PostgreSQL (also what a new or deleted store gets). */
  async rebuild(): Promise<void> {
    await (this.running?.catch(() => undefined) ?? Promise.resolve());
    this.ready = false;
    this.running = this.load().finally(() => (this.running = null));
    return this.running;
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.started;
    await this.running?.catch(() => undefined);
    await this.queued?.catch(() => undefined);
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.catchUp()
        .catch((error) => this.logger.warn(`analysis feed step failed, retried: ${(error as Error).message}`))
        .finally(() => this.schedule());
    }, this.config.analysis.feedIntervalMs);
    this.timer.unref();
  }

  private async step(): Promise<void> {
    if (this.stopped) return;
    if (!this.ready) {
      const positions = await this.store.positions();
      if (SOURCES.some((s) => positions[s] === undefined)) return this.load();
      this.settled = { ...positions };
      this.pending = {};
      this.ready = true;
    }
    const { ids: lastIds, xid } = await this.repository.lastIdsSettledAfter();
    const batch = await this.repository.inSnapshot(async (reader, horizon) => {
      const tickets = new Set<string>();
      const contacts = new Set<string>();
      const positions: Partial<Record<AnalysisSource, number>> = {};
      for (const source of SOURCES) {
        const settleTo = this.settle(source, lastIds[source], xid, horizon.xmin);
        if (settleTo !== null && settleTo > this.settled[source]!) positions[source] = settleTo;
        // Every row past the old settled position that this snapshot sees: the newly settled ones
        // (some may have committed after a higher id was read) and the unsettled ones, read again
        // each step until they settle, so a row that commits late is never behind a reader.
        const rows = await reader.log(source, this.settled[source]!);
        rows.tickets.forEach((t) => tickets.add(t));
        rows.contacts.forEach((c) => contacts.add(c));
      }
      return { ...(await this.factsOf(reader, [...tickets], [...contacts])), positions };
    });
    if (batch.tickets.length || batch.contacts.length || batch.removedTickets.length || batch.removedContacts.length || Object.keys(batch.positions).length) {
      await this.store.apply(batch);
    }
    Object.assign(this.settled, batch.positions);
  }

  /** The position a log may move to now (null: none yet), keeping one pending bound per log. */
  private settle(source: AnalysisSource, lastId: number, xid: number, xmin: number): number | null {
    // Every transaction older than this step's own bound has ended: even the ids read in this step are settled.
    if (xmin >= xid) {
      delete this.pending[source];
      return lastId;
    }
    const pending = (this.pending[source] ??= { upTo: lastId, xid });
    if (xmin < pending.xid) return null;
    this.pending[source] = { upTo: lastId, xid };
    return pending.upTo;
  }

  private async factsOf(reader: AnalysisSnapshotReader, ticketIds: string[], contactIds: string[]): Promise<Omit<StoreBatch, 'positions'>> {
    const tickets = await reader.ticketFacts(ticketIds);
    const contacts = await reader.contactFacts(contactIds);
    const foundTickets = new Set(tickets.map((t) => t.id));
    const foundContacts = new Set(contacts.map((c) => c.id));
    return {
      tickets,
      contacts,
      removedTickets: ticketIds.filter((id) => !foundTickets.has(id)),
      removedContacts: contactIds.filter((id) => !foundContacts.has(id)),
    };
  }

  /**
   * The rebuild: waits until every id handed out so far is settled, then copies every ticket's
   * and contact's facts in one snapshot (in received order, so DuckDB's row groups follow time and
   * a period skips the others), and stores the settled ids as the positions, in the transaction of
   * the last page. A crash mid-way leaves no positions: the next start rebuilds again.
   */
  private async load(): Promise<void> {
    const started = performance.now();
    this.ready = false;
    const { ids: lastIds, xid } = await this.repository.lastIdsSettledAfter();
    while ((await this.repository.horizon()).xmin < xid) await new Promise((r) => setTimeout(r, 50));
    await this.store.clear();
    await this.repository.inSnapshot(async (reader) => {
      let tickets: PageCursor | null = null;
      let contacts: PageCursor | null = null;
      let ticketsDone = false;
      let contactsDone = false;
      while (!ticketsDone || !contactsDone) {
        const t: { rows: TicketFacts[]; next: PageCursor | null } = ticketsDone ? { rows: [], next: null } : await reader.ticketPage(tickets, REBUILD_PAGE);
        const c: { rows: ContactFacts[]; next: PageCursor | null } = contactsDone ? { rows: [], next: null } : await reader.contactPage(contacts, REBUILD_PAGE);
        ticketsDone ||= t.rows.length < REBUILD_PAGE;
        contactsDone ||= c.rows.length < REBUILD_PAGE;
        tickets = t.next ?? tickets;
        contacts = c.next ?? contacts;
        const last = ticketsDone && contactsDone;
        await this.store.apply({ tickets: t.rows, contacts: c.rows, removedTickets: [], removedContacts: [], positions: last ? lastIds : {}, fresh: true });
      }
    });
    this.settled = { ...lastIds };
    this.pending = {};
    this.ready = true;
    this.lastRebuildMs = performance.now() - started;
    this.logger.log(`analysis store rebuilt from PostgreSQL in ${Math.round(this.lastRebuildMs)} ms`);
  }
}
