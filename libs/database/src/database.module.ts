import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/src';
import { dataSourceOptions } from './data-source';

/** TypeORM on the shared data source definition; the DataSource is injectable everywhere. */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => dataSourceOptions(config.databaseUrl, config.databaseLogging, config.databasePoolSize),
    }),
  ],
  exports: [TypeOrmModule],
})
export class DatabaseModule {}
