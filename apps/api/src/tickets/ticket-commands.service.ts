import { Injectable } from '@nestjs/common';
import { Client } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { DataSource, In } from 'typeorm';
import { TicketEntity, TicketTextEntity } from '../../../../libs/database/src/entities';
import { CHANNELS, type Actor } from '../../../../libs/domain/src';
import { ticketWorkflowId } from '../../../../libs/temporal/src';
import { ticketUpdates } from '../../../../workflows/ticket.messages';
import { ApiErrorCode } from '../common/api-error-code';
import { ApiProblem, badRequest, unauthorized } from '../common/problem';
import { currentRequestId } from '../common/request-id.middleware';
import { notReady, workflowProblem, type WorkflowTarget } from '../common/workflow-problem';
import { toActor, type StaffIdentity } from '../identity/identity';
import { CommandReferences, type ReferenceFacts } from './command-references.service';
import { assertCitizenToken } from './citizen-token';
import { COMMAND_ROUTES, textKind, type CommandRoute, type CommandRouteName, type RouteDto } from './ticket-command.table';
import { TicketQueryService } from './ticket-query.service';
import type { CitizenTicketView, StaffTicketView } from './ticket-view.mapper';

/** Who sent a command: a staff identity (X-Staff-Id in development) and/or the citizen's tracking token. */
export interface CommandCaller {
  identity: StaffIdentity | null;
  trackingToken: string | undefined;
}

/** A command's answer: the ticket's new view, as the caller may see it. */
export type CommandAnswer = StaffTicketView | CitizenTicketView;

interface Sending {
  ticket: TicketEntity;
  route: CommandRoute;
  args: Record<string, unknown>;
  viewer: 'STAFF' | 'CITIZEN';
}

/**
 * Runs a ticket command from the route table: checks the caller and the references, stores
 * the free text, sends the Workflow Update and answers with the ticket's fresh view. The
 * rules themselves are checked by the workflow's validator, whose refusal comes back as a
 * 403/409 without touching history.
 */
@Injectable()
export class TicketCommandsService {
  constructor(
    private readonly client: Client,
    private readonly dataSource: DataSource,
    private readonly query: TicketQueryService,
    private readonly references: CommandReferences,
  ) {}

  async run<R extends CommandRouteName>(number: string, name: R, dto: RouteDto<R>, caller: CommandCaller): Promise<CommandAnswer> {
    const route: CommandRoute = COMMAND_ROUTES[name];
    const ticket = await this.query.findRow(number);
    const { actor, viewer } = this.identify(route, ticket, dto, caller);
    const facts = await this.references.check(route.refs ?? {}, dto);
    if (ticket.status === 'CLOSED') throw closed(ticket.number);
    if (!ticket.workflowStartedAt) throw notReady(ticket.number);
    const { args, texts } = this.build(route, dto, facts, actor, ticket);
    if (texts.length) await this.dataSource.getRepository(TicketTextEntity).insert(texts);
    return this.send({ ticket, route, args, viewer });
  }

  /** The actor and the view it gets; 401 for a citizen route without the right token, 400 for a field only staff may send. */
  private identify(route: CommandRoute, ticket: TicketEntity, dto: object, caller: CommandCaller): { actor: Actor; viewer: 'STAFF' | 'CITIZEN' } {
    if (route.callers !== 'CITIZEN' && caller.identity) return { actor: toActor(caller.identity), viewer: 'STAFF' };
    if (route.callers === 'STAFF') throw unauthorized('this route needs a staff identity');
    assertCitizenToken(ticket, caller.trackingToken);
    if ((dto as { channel?: unknown }).channel !== undefined) {
      throw badRequest('channel', `only staff acting for the citizen name a channel (one of ${CHANNELS.join(', ')})`);
    }
    return { actor: { kind: 'CITIZEN' }, viewer: 'CITIZEN' };
  }

  /** The Update's argument from the body: plain fields as they are, texts as ids of rows to store, what the references taught. */
  private build(route: CommandRoute, dto: object, facts: ReferenceFacts, actor: Actor, ticket: TicketEntity) {
    const body = dto as Record<string, unknown>;
    const textFields = (route.texts ?? {}) as Record<string, readonly [string, Parameters<typeof textKind>[0]]>;
    const args: Record<string, unknown> = { ...facts, actor };
    const texts: Partial<TicketTextEntity>[] = [];
    for (const [field, value] of Object.entries(body)) {
      if (value === undefined || field === 'channel') continue;
      const text = textFields[field];
      if (!text) {
        args[field] = value;
        continue;
      }
      const id = randomUUID();
      texts.push({
        id,
        ticketId: ticket.id,
        kind: textKind(text[1], body),
        body: String(value).trim(),
        authorKind: actor.kind === 'STAFF' ? 'STAFF' : 'CITIZEN',
        authorId: actor.kind === 'STAFF' ? actor.id : null,
      });
      args[text[0]] = id;
    }
    return { args, texts };
  }

  /** Sends the Update and answers; a refusal removes the command's texts. */
  private async send(s: Sending): Promise<CommandAnswer> {
    // The update id makes a retry with the same X-Request-Id apply the command at most once.
    const updateId = `${s.route.command}:${currentRequestId() ?? randomUUID()}`;
    try {
      await this.client.workflow
        .getHandle(ticketWorkflowId(s.ticket.number))
        .executeUpdate(ticketUpdates[s.route.command] as never, { args: [s.args] as never, updateId });
    } catch (error) {
      const problem = workflowProblem(error, target(s.ticket), 'command');
      if (problem instanceof ApiProblem && problem.status < 500) return this.refuse(s, problem);
      throw problem;
    }
    return this.query.view(s.ticket, s.viewer, true);
  }

  /** A definitive refusal: the command leaves no trace (its texts go too). */
  private async refuse(s: Sending, problem: ApiProblem): Promise<never> {
    const refs = Object.values(s.route.texts ?? {}).flatMap((spec) => {
      const id = s.args[(spec as readonly [string])[0]];
      return typeof id === 'string' ? [id] : [];
    });
    if (refs.length) await this.dataSource.getRepository(TicketTextEntity).delete({ id: In(refs) });
    throw problem;
  }
}

const target = (ticket: TicketEntity): WorkflowTarget => ({ number: ticket.number, workflowStarted: ticket.workflowStartedAt !== null });
const closed = (number: string) => new ApiProblem(ApiErrorCode.TICKET_CLOSED, `ticket ${number} is closed`);
