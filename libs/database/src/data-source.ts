import { DataSource, DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

/** Limits PostgreSQL applies to every connection of a pool, in ms (0 = none): set per connection at its start. */
export interface ConnectionTimeouts {
  statementTimeoutMs: number;
  idleInTransactionTimeoutMs: number;
}

/**
 * The one data source definition, shared by the apps (via TypeOrmModule) and the migrate CLI.
 * `timeouts`: the application's pool (API, worker) passes DATABASE_STATEMENT_TIMEOUT and
 * DATABASE_IDLE_IN_TRANSACTION_TIMEOUT, so no request can hold a pooled connection for long;
 * migrations and the CLIs run without (their statements may rightly take long).
 */
export function dataSourceOptions(databaseUrl: string, logging = false, poolSize = 10, timeouts?: ConnectionTimeouts): DataSourceOptions {
  return {
    type: 'postgres',
    url: databaseUrl,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsRun: false,
    synchronize: false,
    logging,
    extra: {
      max: poolSize,
      // node-postgres sends these as the connection's start-up parameters (0 = not sent: no limit).
      ...(timeouts ? { statement_timeout: timeouts.statementTimeoutMs, idle_in_transaction_session_timeout: timeouts.idleInTransactionTimeoutMs } : {}),
    },
  };
}

export function createDataSource(databaseUrl: string, logging = false, poolSize = 10): DataSource {
  return new DataSource(dataSourceOptions(databaseUrl, logging, poolSize));
}
