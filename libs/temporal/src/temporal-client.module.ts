import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { Client, Connection, defaultGrpcRetryOptions, makeGrpcRetryInterceptor } from '@temporalio/client';
import { APP_CONFIG, type AppConfig } from '../../config/src';

/**
 * The SDK's gRPC retry interceptor schedules retries on timers; a retry that fires after the
 * connection was closed throws "Channel has been shut down" from a timer and kills the
 * process. This wrapper stops retrying once shutdown begins and lets scheduled retries
 * fire before the connection is closed.
 */
export class DrainingRetries {
  private closing = false;
  private scheduled = 0;
  readonly interceptor;

  constructor() {
    const defaults = defaultGrpcRetryOptions();
    this.interceptor = makeGrpcRetryInterceptor({
      retryableDecider: (attempt, status) => !this.closing && defaults.retryableDecider(attempt, status),
      delayFunction: (attempt, status) => {
        const delay = defaults.delayFunction(attempt, status);
        this.scheduled++;
        setTimeout(() => this.scheduled--, delay + 5).unref();
        return delay;
      },
    });
  }

  async drain(maxWaitMs = 15_000): Promise<void> {
    this.closing = true;
    const deadline = Date.now() + maxWaitMs;
    while (this.scheduled > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * One Temporal client per process. The connection is lazy (it dials on first use), so the
 * API can boot, answer /health as degraded and accept tickets while Temporal is down.
 */
@Global()
@Module({
  providers: [
    DrainingRetries,
    {
      provide: Client,
      inject: [APP_CONFIG, DrainingRetries],
      useFactory: (config: AppConfig, retries: DrainingRetries) =>
        new Client({
          // Fail fast when Temporal is down: intake still accepts the ticket and the sweeper starts it later.
          connection: Connection.lazy({ address: config.temporal.address, connectTimeout: '3 seconds', interceptors: [retries.interceptor] }),
          namespace: config.temporal.namespace,
        }),
    },
  ],
  exports: [Client],
})
export class TemporalClientModule implements OnApplicationShutdown {
  constructor(
    @Inject(Client) private readonly client: Client,
    private readonly retries: DrainingRetries,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.retries.drain();
    await this.client.connection.close();
  }
}
