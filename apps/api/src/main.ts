import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import type { Server } from 'node:http';
import { loadConfig } from '../../../libs/config/src';
import { migrateOnStart } from '../../../libs/database/src';
import { createApiApp } from './app.factory';
import { LiveHub } from './live/live-hub.service';

/** How long SIGTERM/SIGINT wait for the requests in flight before the process gives up on them. */
export const SHUTDOWN_GRACE_MS = 25_000;

/**
 * The API process: migrate (under the shared advisory lock), then serve. SIGINT/SIGTERM stop
 * accepting connections at once, let the requests in flight finish (idle keep-alive connections
 * are closed), close Nest (database pool, Temporal client) and exit 0; past SHUTDOWN_GRACE_MS,
 * exit 1. (Nest's own shutdown hooks would keep accepting requests while its hooks run, and
 * re-raise the signal, so the process would end by the signal rather than with 0.)
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createApiApp(config);
  await migrateOnStart(config);
  await app.listen(config.port, config.host);
  const logger = new Logger('api');
  const everywhere = config.host === '0.0.0.0' || config.host === '::';
  const shown = everywhere ? 'localhost' : config.host.includes(':') ? `[${config.host}]` : config.host;
  logger.log(`Teksin API on http://${shown}:${config.port} (docs: /docs); listening on ${everywhere ? 'every interface' : `${config.host} only (HOST)`}`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal} received: no new requests; finishing the ones in flight`);
    setTimeout(() => {
      logger.error(`requests still in flight after ${SHUTDOWN_GRACE_MS} ms; exiting`);
      process.exit(1);
    }, SHUTDOWN_GRACE_MS).unref();
    const server = app.getHttpServer() as Server;
    // Live streams never finish by themselves: end them, or the drain would wait for the grace period.
    app.get(LiveHub).closeAll();
    const drained = new Promise<void>((resolve) => server.close(() => resolve()));
    // A keep-alive connection that finishes its request becomes idle: close it then.
    const idle = setInterval(() => server.closeIdleConnections(), 100);
    drained
      .then(() => {
        clearInterval(idle);
        return app.close();
      })
      .then(
        () => {
          logger.log('api stopped');
          process.exit(0);
        },
        (error: unknown) => {
          console.error('api shutdown failed:', error);
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error) => {
  console.error('api failed to start:', error);
  process.exit(1);
});
