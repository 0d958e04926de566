import { DataSource, DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

/** The one data source definition, shared by the apps (via TypeOrmModule) and the migrate CLI. */
export function dataSourceOptions(databaseUrl: string, logging = false): DataSourceOptions {
  return {
    type: 'postgres',
    url: databaseUrl,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsRun: false,
    synchronize: false,
    logging,
    extra: { max: Number(process.env.DATABASE_POOL_SIZE ?? 10) },
  };
}

export function createDataSource(databaseUrl: string, logging = false): DataSource {
  return new DataSource(dataSourceOptions(databaseUrl, logging));
}
