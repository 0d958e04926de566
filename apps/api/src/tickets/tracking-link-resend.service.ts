import { Inject, Injectable, Logger } from '@nestjs/common';
import { Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from '@temporalio/common';
import type { linkResendWorkflow } from '../../../../workflows/link-resend.workflow';
import { APP_CONFIG, type AppConfig } from '../../../../libs/config/src';
import { notificationKey } from '../../../../libs/sms/src/notification-key';
import type { TicketEntity } from '../../../../libs/database/src/entities';
import { TicketsRepository } from '../../../../libs/database/src/tickets.repository';
import { ApiErrorCode } from '../common/api-error-code';
import { ApiProblem, forbiddenProblem } from '../common/problem';
import { currentRequestId } from '../common/request-id.middleware';
import { maskPhone } from '../common/turkish-phone';
import { workflowProblem } from '../common/workflow-problem';
import { takesCalls } from '../contacts/contacts.service';
import type { StaffIdentity } from '../identity/identity';
import { TicketQueryService } from './ticket-query.service';
import type { LinkResent } from './ticket-views.schema';

const START_DEADLINE_MS = 3000;

/** The re-send workflow's input (the notification activity's), named through the workflow so the API needs nothing from activities/. */
type SendNotificationInput = Parameters<typeof linkResendWorkflow>[0];

/**
 * The center re-sends a citizen's tracking link to the number on file (the intake answer
 * carries no token for staff: the link reaches the citizen only by SMS). Every re-send is
 * recorded (tracking_link_resends, append-only: who, when, request id); within
 * LINK_RESEND_WINDOW of the last one a request answers with it instead of texting again, so a
 * double click texts once. The SMS goes through the outbox like every other
 * (`linkResendWorkflow` runs the same notification activity), under a key of its own.
 */
@Injectable()
export class TrackingLinkResendService {
  private readonly logger = new Logger('LinkResend');

  constructor(
    private readonly tickets: TicketsRepository,
    private readonly client: Client,
    private readonly query: TicketQueryService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async resend(number: string, identity: StaffIdentity): Promise<LinkResent> {
    if (!takesCalls(identity)) throw forbiddenProblem('the tracking link is re-sent by the coordination center (AGENT, COORDINATOR)');
    const ticket = await this.query.findFor(identity, number);
    this.assertLinkWorks(ticket);

    const resend = await this.tickets.recordLinkResend(ticket.id, identity.id, currentRequestId() ?? null, this.config.tracking.linkResendWindowMs / 1000);

    const input: SendNotificationInput = { ticketId: ticket.id, number: ticket.number, purpose: 'LINK_RESENT', seq: Number(resend.id), recipient: { kind: 'CITIZEN' }, params: {} };
    // Started also for a repeated request: one whose first start failed (Temporal down) is sent now;
    // otherwise Temporal refuses the duplicate id and nothing more happens.
    await this.start(input);
    return {
      number: ticket.number,
      status: resend.repeated ? 'ALREADY_REQUESTED' : 'SENDING',
      to: maskPhone(ticket.requesterPhone),
      requestedAt: resend.at.toISOString(),
      requestedBy: resend.requestedBy,
      requestedByName: resend.requestedByName,
      notificationKey: notificationKey(ticket.number, 'LINK_RESENT', input.seq),
    };
  }

  /** 409 when there is no link to send: a number that cannot be texted, or a token that no longer works. */
  private assertLinkWorks(ticket: TicketEntity): void {
    if (!ticket.requesterTextable) {
      throw new ApiProblem(ApiErrorCode.CITIZEN_NOT_TEXTABLE, `ticket ${ticket.number}: the requester's number is not a Turkish mobile number; nothing can be texted to it`);
    }
    const expired = ticket.closedAt !== null && Date.now() - ticket.closedAt.getTime() > this.config.tracking.ttlAfterCloseMs;
    if (!ticket.trackingTokenNonce || ticket.anonymisedAt || expired) {
      throw new ApiProblem(ApiErrorCode.TRACKING_LINK_UNAVAILABLE, `ticket ${ticket.number} has no working tracking link to send (closed too long ago, anonymised, or recorded before tracking tokens were hashed)`);
    }
  }

  private async start(input: SendNotificationInput): Promise<void> {
    try {
      await this.client.withDeadline(Date.now() + START_DEADLINE_MS, () =>
        this.client.workflow.start<typeof linkResendWorkflow>('linkResendWorkflow', {
          workflowId: `link-resend-${input.number}-${input.seq}`,
          taskQueue: this.config.temporal.taskQueue,
          args: [input],
          workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
          workflowIdConflictPolicy: WorkflowIdConflictPolicy.FAIL,
        }),
      );
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) return;
      this.logger.warn(`re-send of the tracking link of ticket ${input.number} not started: ${String(error)}`);
      throw workflowProblem(error, { number: input.number, workflowStarted: true }, 'read');
    }
  }
}
