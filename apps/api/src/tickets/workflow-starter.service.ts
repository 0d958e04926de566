import { Inject, Injectable, Logger } from '@nestjs/common';
import { Client, WorkflowExecutionAlreadyStartedError, type WorkflowStartOptions } from '@temporalio/client';
import { WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from '@temporalio/common';
import type { ticketWorkflow } from '../../../../workflows/ticket.workflow';
import { openingState, type TicketOpening } from '../../../../libs/domain/src';
import { APP_CONFIG, type AppConfig } from '../../../../libs/config/src';
import type { CategoryEntity, TicketEntity } from '../../../../libs/database/src/entities';
import { OrganisationRepository } from '../../../../libs/database/src/organisation.repository';
import { TicketsRepository } from '../../../../libs/database/src/tickets.repository';
import { ticketSearchAttributes, ticketWorkflowId } from '../../../../libs/temporal/src';

const START_DEADLINE_MS = 3000;

/**
 * Starts a ticket's workflow exactly once. The workflow ID is `ticket-<number>`; a duplicate
 * start (a retry, or the sweeper racing intake) is refused by Temporal and treated as done.
 * Only non-personal fields go into the input: ids, channel, type, category, timings.
 */
@Injectable()
export class WorkflowStarter {
  private readonly logger = new Logger('WorkflowStarter');

  constructor(
    private readonly client: Client,
    private readonly tickets: TicketsRepository,
    private readonly organisation: OrganisationRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async start(ticket: TicketEntity, knownCategory?: Pick<CategoryEntity, 'slaSeconds'>): Promise<void> {
    const category = knownCategory ?? (await this.organisation.findCategory(ticket.category));
    if (!category) throw new Error(`ticket ${ticket.number} names category ${ticket.category}, which does not exist`);
    try {
      // Bounded: when Temporal is down the caller (a call-center agent) gets the ticket number
      // in seconds, and the intake sweeper starts the workflow once Temporal is back.
      const options = this.startOptions(ticket, category);
      await this.client.withDeadline(Date.now() + START_DEADLINE_MS, () => this.client.workflow.start<typeof ticketWorkflow>('ticketWorkflow', options));
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
      this.logger.log(`workflow of ticket ${ticket.number} was already started`);
    }
    // Committed without waiting for the WAL flush: a lost mark only makes the sweeper start it again (refused as a duplicate above).
    await this.tickets.markWorkflowStarted(ticket.id);
  }

  /** How a ticket's workflow is started (public for the benchmark, which starts one the same way). */
  startOptions(ticket: TicketEntity, category: Pick<CategoryEntity, 'slaSeconds'>): WorkflowStartOptions<typeof ticketWorkflow> {
    const { ticket: t } = this.config;
    const opening: TicketOpening = {
      ticketId: ticket.id,
      number: ticket.number,
      channel: ticket.channel,
      type: ticket.type,
      segment: ticket.segment,
      category: ticket.category,
      receivedAt: ticket.receivedAt.toISOString(),
      timings: {
        slaMs: category.slaSeconds * 1000,
        slaThresholds: t.slaThresholds,
        approvalLevelSlaMs: t.approvalLevelSlaMs,
        legalDeadlineMs: t.legalDeadlineMs,
        legalWarningMs: t.legalWarningMs,
        reopenWindowMs: t.reopenWindowMs,
      },
    };
    return {
      workflowId: ticketWorkflowId(ticket.number),
      taskQueue: this.config.temporal.taskQueue,
      args: [{ opening, historyLimit: t.historyLimit, searchAttributes: this.config.temporal.searchAttributes }],
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.FAIL,
      // Off: no custom attribute at all, so none shows a stale value in the Temporal UI.
      ...(this.config.temporal.searchAttributes === 'live' ? { typedSearchAttributes: ticketSearchAttributes(openingState(opening)) } : {}),
    };
  }
}
