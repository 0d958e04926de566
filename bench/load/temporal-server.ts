/** Which Temporal server bench/load runs against (LOAD_TEMPORAL). */
export type LoadTemporal = 'dev' | 'postgres';

export function loadTemporalKind(env: NodeJS.ProcessEnv = process.env): LoadTemporal {
  const kind = env.LOAD_TEMPORAL ?? 'dev';
  if (kind !== 'dev' && kind !== 'postgres') throw new Error(`LOAD_TEMPORAL must be "dev" or "postgres", got "${kind}"`);
  return kind;
}

/**
 * The one switch between the two servers, read before anything starts. `dev`: the CLI's dev
 * server (one SQLite connection). `postgres`: the full Temporal server (go.temporal.io/server,
 * scripts/lib/temporal-server.ts) with its persistence and visibility in the stack's embedded
 * PostgreSQL, docker-compose.yml's topology without Docker.
 */
export const fullServerFor = (kind: LoadTemporal): boolean => kind === 'postgres';
