import { applyDecorators, createParamDecorator, HttpCode, Post, type ExecutionContext } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { TICKET_VIEW } from '../common/openapi-views';
import type { Request } from 'express';
import { OptionalStaff, StaffOnly } from '../identity/identity.decorators';
import type { StaffIdentity } from '../identity/identity';
import { COMMAND_ROUTES, type CommandRouteName, type RouteCallers } from './ticket-command.table';
import type { CommandCaller } from './ticket-commands.service';

const TRACKING_HEADER = 'x-tracking-token';
const tokenHeader = (required: boolean, description: string) => ApiHeader({ name: 'X-Tracking-Token', required, description });

/** The guard and documented headers for who may call a route (the route table says who). */
const CALLERS: Record<RouteCallers, () => MethodDecorator & ClassDecorator> = {
  STAFF: () => StaffOnly(),
  CITIZEN: () => tokenHeader(true, 'The citizen’s token from the tracking link'),
  CITIZEN_OR_STAFF: () => applyDecorators(OptionalStaff(), tokenHeader(false, 'The citizen’s token from the tracking link; or a staff identity acting for the citizen')),
};

/**
 * `POST /tickets/:number/<route>`: answers 200 with the ticket's new view; who may call it is
 * the route table's `callers`.
 */
export const CommandRoute = (name: CommandRouteName, summary: string) =>
  applyDecorators(Post(name), HttpCode(200), CALLERS[COMMAND_ROUTES[name].callers](), ApiOperation({ summary }), ApiOkResponse({ description: 'The ticket’s new view, as the caller may see it', schema: TICKET_VIEW }));

/** The caller of a command: the identity the guard resolved (if any) and the tracking token header. */
export const Caller = createParamDecorator((_: unknown, ctx: ExecutionContext): CommandCaller => {
  const req = ctx.switchToHttp().getRequest<Request & { identity?: StaffIdentity | null }>();
  const token = req.header(TRACKING_HEADER);
  return { identity: req.identity ?? null, trackingToken: token || undefined };
});
