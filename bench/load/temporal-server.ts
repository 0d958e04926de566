import type { TemporalStarter } from '../../test/faults/support/fault-stack';

/** Which Temporal server bench/load runs against (LOAD_TEMPORAL). */
export type LoadTemporal = 'dev' | 'postgres';

export function loadTemporalKind(env: NodeJS.ProcessEnv = process.env): LoadTemporal {
  const kind = env.LOAD_TEMPORAL ?? 'dev';
  if (kind !== 'dev' && kind !== 'postgres') throw new Error(`LOAD_TEMPORAL must be "dev" or "postgres", got "${kind}"`);
  return kind;
}

/**
 * The one switch between the two servers, read before anything starts. `dev`: undefined, i.e.
 * the fault stack's own default, the CLI's dev server (SQLite file in the stack's work
 * directory). `postgres`: the full Temporal server (go.temporal.io/server) with its persistence
 * and visibility in the stack's embedded PostgreSQL; the stack calls the starter on its Temporal
 * port once PostgreSQL is up (`at.postgresUrl`), and again after a stop.
 */
export function temporalStarterFor(kind: LoadTemporal): TemporalStarter | undefined {
  if (kind === 'dev') return undefined;
  // To connect at merge: return (at) => <scripts/lib/temporal-server.ts's starter>({ port: at.port, PostgreSQL at at.postgresUrl, … }).
  throw new Error(
    'LOAD_TEMPORAL=postgres is not available on this branch: the full Temporal server on PostgreSQL (scripts/lib/temporal-server.ts) is not merged yet. Run with LOAD_TEMPORAL=dev (the default).',
  );
}
