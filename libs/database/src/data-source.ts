import { DataSource, DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

/** The one data source definition, shared by the apps (via TypeOrmModule) and the migrate CLI. */
export function dataSourceOptions(databaseUrl: string, logging = false, poolSize = 10): DataSourceOptions {
  return {
    type: 'postgres',
    url: databaseUrl,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsRun: false,
    synchronize: false,
    logging,
    extra: { max: poolSize },
  };
}

export function createDataSource(databaseUrl: string, logging = false, poolSize = 10): DataSource {
  return new DataSource(dataSourceOptions(databaseUrl, logging, poolSize));
}
