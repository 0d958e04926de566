import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import { APP_CONFIG, type AppConfig } from '../../config/src';

/**
 * One Temporal client per process. The connection is lazy (it dials on first use), so the
 * API can boot, answer /health as degraded and accept tickets while Temporal is down.
 */
@Global()
@Module({
  providers: [
    {
      provide: Client,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        new Client({
          // Fail fast when Temporal is down: intake still accepts the ticket and the sweeper starts it later.
          connection: Connection.lazy({ address: config.temporal.address, connectTimeout: '3 seconds' }),
          namespace: config.temporal.namespace,
        }),
    },
  ],
  exports: [Client],
})
export class TemporalClientModule implements OnApplicationShutdown {
  constructor(@Inject(Client) private readonly client: Client) {}

  async onApplicationShutdown(): Promise<void> {
    await this.client.connection.close();
  }
}
