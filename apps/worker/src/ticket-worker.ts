import { Inject, Injectable, Logger } from '@nestjs/common';
import { NativeConnection, Worker } from '@temporalio/worker';
import {
  createActivities,
  InboundMediaActivityImpl,
  type InboundMediaItem,
  NotificationActivities,
  OrganisationActivities,
  RetentionJobActivities,
  TicketProjectionActivities,
} from '../../../activities';
import { APP_CONFIG, type AppConfig } from '../../../libs/config/src';
import { ensureRetentionSchedule } from './retention-schedule';

/** Where the workflow code comes from: a prebuilt bundle in production, the source in dev. */
export function workflowSource(config: AppConfig): { workflowBundle: { codePath: string } } | { workflowsPath: string } {
  return config.workflowBundlePath
    ? { workflowBundle: { codePath: config.workflowBundlePath } }
    : { workflowsPath: require.resolve('../../../workflows') };
}

/**
 * Owns the Temporal Worker: activities come from Nest DI, workflows from the bundle.
 * `run()` resolves once `shutdown()` has drained in-flight tasks.
 */
@Injectable()
export class TicketWorker {
  private readonly logger = new Logger('TicketWorker');
  private worker: Worker | null = null;
  private connection: NativeConnection | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly projection: TicketProjectionActivities,
    private readonly notifications: NotificationActivities,
    private readonly organisation: OrganisationActivities,
    private readonly retention: RetentionJobActivities,
    private readonly media: InboundMediaActivityImpl,
  ) {}

  async create(): Promise<Worker> {
    const { temporal } = this.config;
    this.connection = await NativeConnection.connect({ address: temporal.address });
    this.worker = await Worker.create({
      connection: this.connection,
      namespace: temporal.namespace,
      taskQueue: temporal.taskQueue,
      activities: {
        ...createActivities({ projection: this.projection, notifications: this.notifications, organisation: this.organisation }),
        anonymiseExpiredTickets: (input: { now: string }) => this.retention.anonymiseExpiredTickets(input),
        // The inbound-media workflow's (workflows/inbound-media.workflow.ts).
        addInboundMedia: (input: InboundMediaItem) => this.media.addInboundMedia(input),
        recordMediaFailure: (input: InboundMediaItem & { reason: string }) => this.media.recordMediaFailure(input),
      },
      ...workflowSource(this.config),
      ...(this.config.workerMaxCachedWorkflows === null ? {} : { maxCachedWorkflows: this.config.workerMaxCachedWorkflows }),
      shutdownGraceTime: '20 seconds',
    });
    const schedule = await ensureRetentionSchedule(this.config).catch((error: unknown) => {
      this.logger.warn(`KVKK retention schedule not set up: ${error instanceof Error ? error.message : String(error)}`);
      return 'failed';
    });
    this.logger.log(`KVKK retention schedule: ${schedule}`);
    this.logger.log(`worker ready on task queue ${temporal.taskQueue} (${temporal.address}, namespace ${temporal.namespace}, workflow cache ${this.worker.options.maxCachedWorkflows})`);
    return this.worker;
  }

  async run(): Promise<void> {
    const worker = this.worker ?? (await this.create());
    try {
      await worker.run();
    } finally {
      await this.connection?.close();
      this.connection = null;
    }
  }

  /** Stop polling, let running activities and workflow tasks finish, then let run() resolve. */
  shutdown(): void {
    if (this.worker && this.worker.getState() === 'RUNNING') this.worker.shutdown();
  }
}
