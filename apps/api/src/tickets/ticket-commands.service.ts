import { Inject, Injectable } from '@nestjs/common';
import { Client } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { actorKey, bodyHash, CommandRequestRepository, type RequestBinding } from '../../../../libs/database/src/command-requests.repository';
import type { CommandRequestEntity, CommandResponse, TicketEntity, TicketTextEntity } from '../../../../libs/database/src/entities';
import { TicketTimelineRepository } from '../../../../libs/database/src/ticket-timeline.repository';
import { TicketsRepository } from '../../../../libs/database/src/tickets.repository';
import { APP_CONFIG, type AppConfig } from '../../../../libs/config/src';
import { CHANNELS, type Actor, type TicketState } from '../../../../libs/domain/src';
import { ticketWorkflowId } from '../../../../libs/temporal/src';
import { ticketUpdates } from '../../../../workflows/ticket.messages';
import { ApiProblem, badRequest, unauthorized } from '../common/problem';
import { clientRequestId, currentRequestId } from '../common/request-id.middleware';
import { notReady, ticketClosed, workflowProblem, type WorkflowTarget } from '../common/workflow-problem';
import { identityOf } from '../identity/bearer-identity.resolver';
import { toActor, type StaffIdentity, type VerifiedToken } from '../identity/identity';
import { CommandReplay, recordedAnswer } from './command-replay.service';
import { checkReferences, referencesOf, type ReferenceFacts } from './command-references';
import { CitizenTokens, ticketNotFound } from './citizen-token';
import { COMMAND_ROUTES, DEFAULT_ON_BEHALF_CHANNEL, textKind, type CommandRoute, type CommandRouteName, type RouteDto } from './ticket-command.table';
import { TicketAccess } from './ticket-access.service';
import { TicketQueryService } from './ticket-query.service';
import type { CitizenTicketView, PlatformTicketView, StaffTicketView } from './ticket-views.schema';

/** Who sent a command: a bearer token checked by the route's guard (its account not yet read) and/or the citizen's tracking token. */
export interface CommandCaller {
  token: VerifiedToken | null;
  /** The 401 for a token whose account is not (or no longer) live. */
  notLive: () => Error;
  trackingToken: string | undefined;
}

/** The citizen with the tracking token (the tracking page, a reply by SMS or WhatsApp): no bearer token. */
export const citizenCaller = (trackingToken: string | undefined): CommandCaller => ({
  token: null,
  notLive: () => new Error('the citizen has no bearer token'),
  trackingToken,
});

/** A command's answer: the ticket's new view, as the caller may see it. */
export type CommandAnswer = StaffTicketView | CitizenTicketView | PlatformTicketView;

interface Sending {
  ticket: TicketEntity;
  route: CommandRoute;
  args: Record<string, unknown>;
  /** The signed-in caller, whose view of the ticket is the answer; null for the citizen (tracking token). */
  reader: StaffIdentity | null;
  /** The client's X-Request-Id, when it sent one: the request is then in command_requests. */
  requestId?: string;
}

/**
 * Runs a ticket command from the route table. The hot path is at most 3 SQL statements: the
 * access read (the caller's live account with its deputies in force, the ticket row, whether
 * the caller follows it, the references the body names: tickets.repository.ts), the command's
 * texts (with an X-Request-Id, taken with the request's record), and after the Workflow Update
 * the timeline up to the state it returned, with the personal-data read log and the request's
 * completion (ticket-timeline.repository.ts). The caller is authorised once here (may they open
 * the ticket); the rules themselves are checked by the workflow's validator, whose refusal comes
 * back as a 403/409 without touching history. With an X-Request-Id the request is bound to its
 * actor, command and body (command-requests.repository.ts), and a retry gets the first answer
 * (command-replay.service.ts).
 */
@Injectable()
export class TicketCommandsService {
  constructor(
    private readonly client: Client,
    private readonly tickets: TicketsRepository,
    private readonly timeline: TicketTimelineRepository,
    private readonly query: TicketQueryService,
    private readonly requests: CommandRequestRepository,
    private readonly replay: CommandReplay,
    private readonly access: TicketAccess,
    private readonly tokens: CitizenTokens,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async run<R extends CommandRouteName>(number: string, name: R, dto: RouteDto<R>, caller: CommandCaller): Promise<CommandAnswer> {
    const route: CommandRoute = COMMAND_ROUTES[name];
    const token = route.callers === 'CITIZEN' ? null : caller.token;
    const read = await this.tickets.commandRead(number, token?.key ?? null, referencesOf(route.refs ?? {}, dto));
    // As for any other route, a token that no longer names a live account is refused before anything is judged.
    if (token && !read.account) throw caller.notLive();
    if (!read.ticket) throw ticketNotFound(number);
    const ticket = read.ticket;
    const identity = token && read.account ? identityOf(read.account, token) : null;
    const { actor, reader } = this.identify(route, ticket, dto, identity, read.followerIds, caller.trackingToken);

    const requestId = clientRequestId();
    const binding: RequestBinding | null = requestId
      ? { requestId, ticketId: ticket.id, actorKey: actorKey(actor), command: route.command, bodyHash: bodyHash(dto) }
      : null;
    let sending: ReturnType<TicketCommandsService['build']>;
    try {
      const facts = checkReferences(route.refs ?? {}, dto, read.references);
      if (ticket.status === 'CLOSED') throw ticketClosed(ticket.number);
      if (!ticket.workflowStartedAt) throw notReady(ticket.number);
      sending = this.build(route, dto, facts, actor, ticket);
    } catch (error) {
      // A retry is answered as the first was, whatever is judged now: the first attempt may have
      // closed the ticket. Looked up only here, so a new request costs no statement for it.
      const earlier = binding && (await this.requests.find(binding.requestId));
      if (earlier) return this.answerAgain(earlier, binding, ticket, route, reader);
      throw error;
    }
    const { args, texts } = sending;

    if (binding) {
      if (!(await this.requests.claim(binding, args, texts))) {
        // Seen before: a retry, or a twin that got the id first (same id at the same moment).
        return this.answerAgain((await this.requests.find(binding.requestId))!, binding, ticket, route, reader);
      }
    } else if (texts.length) {
      await this.timeline.insertTexts(texts);
    }
    return this.send({ ticket, route, args, reader, requestId });
  }

  /** The actor and the view it gets; 404 (as for an unknown ticket) for a citizen route without the right token, 400 for a field only staff may send. */
  private identify(route: CommandRoute, ticket: TicketEntity, dto: object, identity: StaffIdentity | null, followerIds: string[], trackingToken: string | undefined): { actor: Actor; reader: StaffIdentity | null } {
    if (route.callers !== 'CITIZEN' && identity) {
      // A ticket the caller does not reach does not exist for them: 404 before anything is judged
      // (one they acted on and may still read is no exception: reading is all it keeps).
      this.access.assertCanReachKnowing(identity, ticket, followerIds);
      return { actor: toActor(identity), reader: identity };
    }
    if (route.callers === 'STAFF') throw unauthorized('this route needs a staff identity');
    this.tokens.assert(ticket, trackingToken);
    if ((dto as { channel?: unknown }).channel !== undefined) {
      throw badRequest('channel', `only staff acting for the citizen name a channel (one of ${CHANNELS.join(', ')})`);
    }
    return { actor: { kind: 'CITIZEN' }, reader: null };
  }

  /** A request id seen before: the replay answers it, finishing a recovered request through this dispatcher. */
  private answerAgain(row: CommandRequestEntity, binding: RequestBinding, ticket: TicketEntity, route: CommandRoute, reader: StaffIdentity | null): Promise<CommandAnswer> {
    return this.replay.answerAgain(row, binding, target(ticket), (found) => {
      const s: Sending = { ticket, route, args: found.args, reader, requestId: found.requestId };
      return { recorded: (response) => this.recorded(s, response), applied: () => this.applied(s), refused: (problem) => this.refuse(s, problem), resend: () => this.send(s) };
    });
  }

  /** The Update's argument from the body: plain fields as they are, texts as ids of rows to store, what the references taught. */
  private build(route: CommandRoute, dto: object, facts: ReferenceFacts, actor: Actor, ticket: TicketEntity) {
    const body = dto as Record<string, unknown>;
    const textFields = (route.texts ?? {}) as Record<string, readonly [string, Parameters<typeof textKind>[0]]>;
    const args: Record<string, unknown> = { ...facts, actor };
    // Staff sending the citizen's own command act on the citizen's behalf, through a channel.
    if (route.callers === 'CITIZEN_OR_STAFF' && actor.kind === 'STAFF') args.via = body.channel ?? DEFAULT_ON_BEHALF_CHANNEL;
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

  /** Sends the Update and answers; a refusal removes the command's texts; the answer is recorded for a retry. */
  private async send(s: Sending): Promise<CommandAnswer> {
    const updateId = `${s.route.command}:${s.requestId ?? currentRequestId() ?? randomUUID()}`;
    let state: TicketState;
    try {
      // Bounded: a worker far behind (overload) or a workflow that cannot take the Update now
      // answers 503 with the outcome unknown in COMMAND_WAIT, not after minutes on a hung request.
      const handle = this.client.workflow.getHandle(ticketWorkflowId(s.ticket.number));
      state = await this.client.withDeadline(Date.now() + this.config.temporal.commandWaitMs, () =>
        handle.executeUpdate(ticketUpdates[s.route.command] as never, { args: [s.args] as never, updateId }),
      ) as TicketState;
    } catch (error) {
      const problem = workflowProblem(error, target(s.ticket), 'command');
      if (problem instanceof ApiProblem && problem.status < 500) return this.refuse(s, problem);
      if (s.requestId) await this.requests.release(s.requestId); // outcome unknown: a retry recovers it
      throw problem;
    }
    return this.applied(s, state);
  }

  /**
   * The answer of an applied command: from the state its Update returned and the row read for the
   * access check, its request's record completed in the same statement; a request recovered from
   * a closed run's history has no state, and reads the ticket.
   */
  private async applied(s: Sending, state?: TicketState): Promise<CommandAnswer> {
    try {
      const route = `command ${s.route.command}`;
      if (state) {
        const { view, standing } = await this.query.commandView(s.ticket, state, s.reader, route, { requestId: s.requestId });
        // Another attempt completed the request first: its answer stands.
        return standing && !sameState(standing, state) ? this.recorded(s, standing) : view;
      }
      const view = s.reader ? await this.query.viewFor(s.reader, s.ticket.number, route, 'COMMAND') : await this.query.view(s.ticket, 'CITIZEN', true);
      return s.requestId ? this.recorded(s, await this.requests.complete(s.requestId, { status: 200, body: view })) : view;
    } catch (error) {
      if (s.requestId) await this.requests.release(s.requestId).catch(() => undefined);
      throw error;
    }
  }

  /** A recorded answer, given again: an applied command's view rebuilt from the state and actions it recorded, else as recorded. */
  private async recorded(s: Sending, response: CommandResponse): Promise<CommandAnswer> {
    if (!('state' in response)) return recordedAnswer(response) as CommandAnswer;
    const state = response.state as unknown as TicketState;
    return (await this.query.commandView(s.ticket, state, s.reader, `command ${s.route.command}`, { actions: response.actions })).view;
  }

  /** A definitive refusal: the command leaves no trace (its texts go too), and a retry gets the same refusal. */
  private async refuse(s: Sending, problem: ApiProblem): Promise<never> {
    const refs = Object.values(s.route.texts ?? {}).flatMap((spec) => {
      const id = s.args[(spec as readonly [string])[0]];
      return typeof id === 'string' ? [id] : [];
    });
    if (refs.length) await this.timeline.deleteTexts(refs);
    if (!s.requestId) throw problem;
    const problemBody = { code: problem.code, detail: problem.message, ...(problem.extra.errors ? { errors: problem.extra.errors } : {}) };
    return this.recorded(s, await this.requests.complete(s.requestId, { status: problem.status, problem: problemBody })) as never;
  }
}

const target = (ticket: TicketEntity): WorkflowTarget => ({ number: ticket.number, workflowStarted: ticket.workflowStartedAt !== null });

/** The standing answer records this very state (our own completion, or a twin's of the same Update). */
const sameState = (response: CommandResponse, state: TicketState): boolean => 'state' in response && (response.state as { seq?: unknown }).seq === state.seq;
