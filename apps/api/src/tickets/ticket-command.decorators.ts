import { applyDecorators, createParamDecorator, HttpCode, Post, type ExecutionContext } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiResponse } from '@nestjs/swagger';
import { TICKET_VIEW } from './ticket-views.schema';
import { OptionalStaffCommand, StaffOnlyCommand, type WithVerifiedToken } from '../identity/identity.decorators';
import { COMMAND_ROUTES, type CommandRouteName, type RouteCallers } from './ticket-command.table';
import type { CommandCaller } from './ticket-commands.service';

const TRACKING_HEADER = 'x-tracking-token';
const tokenHeader = (required: boolean, description: string) => ApiHeader({ name: 'X-Tracking-Token', required, description });

/** The guard and documented headers for who may call a route (the route table says who). */
const CALLERS: Record<RouteCallers, () => MethodDecorator & ClassDecorator> = {
  STAFF: () => StaffOnlyCommand(),
  CITIZEN: () => tokenHeader(true, 'The citizen’s token from the tracking link'),
  CITIZEN_OR_STAFF: () => applyDecorators(OptionalStaffCommand(), tokenHeader(false, 'The citizen’s token from the tracking link; or a staff identity acting for the citizen')),
};

/** What a command's 503 means, for every command route. */
const UNKNOWN_OUTCOME =
  'WORKFLOW_UNAVAILABLE: the ticket’s workflow did not answer within COMMAND_WAIT, or Temporal was too busy to take the command; the outcome is unknown. ' +
  'Resend the same request with the same X-Request-Id after Retry-After seconds: it is applied at most once and answered as the first was. ' +
  'DATABASE_UNAVAILABLE: nothing was recorded; retry after Retry-After seconds.';

/**
 * `POST /tickets/:number/<route>`: answers 200 with the ticket's new view; who may call it is
 * the route table's `callers`.
 */
export const CommandRoute = (name: CommandRouteName, summary: string) =>
  applyDecorators(
    Post(name),
    HttpCode(200),
    CALLERS[COMMAND_ROUTES[name].callers](),
    ApiOperation({ summary }),
    ApiOkResponse({ description: 'The ticket’s new view, as the caller may see it', schema: TICKET_VIEW }),
    ApiResponse({ status: 503, description: UNKNOWN_OUTCOME }),
  );

/** The caller of a command: the bearer token the guard checked (if any; its account is read with the ticket) and the tracking token header. */
export const Caller = createParamDecorator((_: unknown, ctx: ExecutionContext): CommandCaller => {
  const req = ctx.switchToHttp().getRequest<WithVerifiedToken>();
  const token = req.header(TRACKING_HEADER);
  return { token: req.verifiedToken ?? null, notLive: req.notLive ?? (() => new Error('no bearer token was checked')), trackingToken: token || undefined };
});
