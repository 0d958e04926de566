import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { createLogger, loadConfig } from '../../../libs/config/src';
import { migrateOnStart } from '../../../libs/database/src';
import { TicketWorker } from './ticket-worker';
import { WorkerModule } from './worker.module';

/**
 * The worker process. This file is the single owner of shutdown: the Temporal runtime is told
 * not to install its own signal handlers, and SIGINT/SIGTERM drain the worker, close Nest and
 * exit 0.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const sdkLevel = ({ debug: 'DEBUG', info: 'WARN', warn: 'WARN', error: 'ERROR' } as const)[config.http.logLevel];
  Runtime.install({ shutdownSignals: [], logger: new DefaultLogger(sdkLevel) });
  const logger = new Logger('worker');
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { logger: createLogger(config, 'worker') });
  await migrateOnStart(config);
  const worker = app.get(TicketWorker);
  await worker.create();

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal} received: draining the worker`);
    worker.shutdown();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));

  await worker.run();
  await app.close();
  logger.log('worker stopped');
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error('worker failed:', error);
    process.exit(1);
  },
);
