import { Injectable, Logger } from '@nestjs/common';
import {
  Client,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  isGrpcServiceError,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ticketUpdates, type CommandArgs } from '../../../../workflows/ticket.messages';
import type { Actor, ExternalCommandType } from '../../../../libs/domain/src';
import { CategoryEntity, DepartmentEntity, ReferralInstitutionEntity, StaffEntity, TicketEntity, TicketTextEntity } from '../../../../libs/database/src/entities';
import { OrganisationRepository } from '../../../../libs/database/src/organisation.repository';
import { isTemporalUnreachable, ticketWorkflowId } from '../../../../libs/temporal/src';
import { ApiProblem, badRequest, conflict } from '../common/problem';
import { currentRequestId } from '../common/request-id.middleware';
import { domainErrorStatus } from '../common/problem-details.filter';
import { TicketQueryService, type Viewer } from './ticket-query.service';

/** Kinds of stored text; the tracking page shows citizens only the citizen-facing ones. */
export type TextKind =
  | 'TRIAGE_NOTE'
  | 'REFERRAL_NOTE'
  | 'REJECT_NOTE'
  | 'ANSWER'
  | 'QUESTION'
  | 'CITIZEN_ANSWER'
  | 'NOTE_INTERNAL'
  | 'NOTE_CITIZEN'
  | 'RESOLUTION'
  | 'APPROVAL_NOTE'
  | 'REJECTION_REASON'
  | 'SUMMARY'
  | 'REOPEN_REASON';

/** Stores a command's free text and hands back its id, the only thing the workflow sees. */
export type TextStore = (kind: TextKind, body: string) => Promise<string>;

/**
 * Sends staff and citizen commands to a ticket's workflow as Workflow Updates and answers
 * with the ticket's fresh view. Reference data (departments, experts, institutions) is checked
 * here, so a typo is a 400 naming the field; the rules themselves are checked by the
 * workflow's validator, and its refusal comes back as 403/409 without touching history.
 */
@Injectable()
export class TicketCommandsService {
  private readonly logger = new Logger('TicketCommands');

  constructor(
    private readonly client: Client,
    private readonly dataSource: DataSource,
    private readonly organisation: OrganisationRepository,
    private readonly query: TicketQueryService,
  ) {}

  async execute<K extends ExternalCommandType>(
    ticket: TicketEntity,
    name: K,
    actor: Actor,
    payload: (store: TextStore) => Promise<Omit<CommandArgs<K>, 'actor'>>,
    viewer: Viewer = 'STAFF',
  ): Promise<Record<string, unknown>> {
    if (ticket.status === 'CLOSED') throw conflict('TICKET_CLOSED', `ticket ${ticket.number} is closed`);
    if (!ticket.workflowStartedAt) {
      throw conflict('TICKET_NOT_READY', `ticket ${ticket.number} is still being registered; try again in a moment`);
    }
    const stored: string[] = [];
    const store: TextStore = async (kind, body) => {
      const id = randomUUID();
      stored.push(id);
      const authorKind = actor.kind === 'STAFF' ? 'STAFF' : 'CITIZEN';
      await this.dataSource.getRepository(TicketTextEntity).insert({ id, ticketId: ticket.id, kind, body: body.trim(), authorKind, authorId: actor.kind === 'STAFF' ? actor.id : null });
      return id;
    };
    const args = { ...(await payload(store)), actor } as unknown as CommandArgs<K>;
    const handle = this.client.workflow.getHandle(ticketWorkflowId(ticket.number));
    // The update id makes a retry with the same X-Request-Id apply the command at most once.
    const requestId = currentRequestId();
    try {
      await handle.executeUpdate(ticketUpdates[name] as never, { args: [args] as never, ...(requestId ? { updateId: `${name}:${requestId}` } : {}) });
    } catch (error) {
      const translated = this.translate(error, ticket.number);
      // A refused command leaves no trace: its free text goes too. (Not when the outcome is unknown.)
      if (stored.length && translated instanceof ApiProblem && translated.status < 500) {
        await this.dataSource.getRepository(TicketTextEntity).delete(stored).catch(() => undefined);
      }
      throw translated;
    }
    return this.query.view(ticket.number, viewer);
  }

  /** Temporal's answer → the HTTP problem the caller should see. */
  private translate(error: unknown, number: string): unknown {
    if (error instanceof WorkflowUpdateFailedError) {
      const cause = error.cause;
      if (cause instanceof ApplicationFailure && cause.type) {
        const status = domainErrorStatus(cause.type);
        if (status) {
          const details = (cause.details?.[0] ?? {}) as Record<string, unknown>;
          const field = typeof details.field === 'string' ? details.field : undefined;
          return new ApiProblem(status, cause.type, cause.message, field ? { errors: [{ field, messages: [cause.message] }] } : {});
        }
      }
      return error;
    }
    if (error instanceof WorkflowNotFoundError || (isGrpcServiceError(error) && /already completed/i.test(error.message))) {
      return conflict('TICKET_CLOSED', `ticket ${number} is closed`);
    }
    if (isTemporalUnreachable(error)) {
      this.logger.warn(`workflow service unavailable for ticket ${number}: ${error instanceof Error ? error.message : String(error)}`);
      return new ApiProblem(
        503,
        'WORKFLOW_UNAVAILABLE',
        'the workflow service did not answer; the command may or may not have been applied: read the ticket, or resend with the same X-Request-Id (applied at most once)',
      );
    }
    return error;
  }

  // Reference checks: a wrong id is the caller's mistake (400 naming the field), not a 500.

  async requireDepartment(id: string): Promise<DepartmentEntity> {
    const department = await this.organisation.findDepartment(id);
    if (!department) throw badRequest('departmentId', `unknown department "${id}" (see GET /departments)`);
    return department;
  }

  async requireCategory(code: string): Promise<CategoryEntity> {
    const category = await this.organisation.findActiveCategory(code);
    if (!category) throw badRequest('category', `unknown category "${code}" (see GET /categories)`);
    return category;
  }

  async requireInstitution(id: string): Promise<ReferralInstitutionEntity> {
    const institution = await this.organisation.findReferralInstitution(id);
    if (!institution) throw badRequest('institutionId', `unknown institution "${id}" (see GET /institutions)`);
    return institution;
  }

  async requireExpert(id: string): Promise<StaffEntity> {
    const expert = await this.organisation.findActiveWithRole(id, 'EXPERT');
    if (!expert) throw badRequest('expertId', `"${id}" is not an active expert`);
    return expert;
  }

  async requireTicketNumber(field: string, number: string): Promise<void> {
    const exists = await this.dataSource.getRepository(TicketEntity).existsBy({ number });
    if (!exists) throw badRequest(field, `ticket ${number} does not exist`);
  }
}
