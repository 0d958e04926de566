import { CanActivate, ExecutionContext, Injectable, createParamDecorator } from '@nestjs/common';
import type { Request } from 'express';
import { ApiClientsService, type ApiClientKeyHolder } from '../api-clients/api-clients.service';
import { Open311Limits } from './open311-limits.service';

type Open311Request = Request & { open311Client?: ApiClientKeyHolder | null };

/** `api_key` from the form (POST) or the query string; a value given twice is no key. */
const apiKeyOf = (req: Request): string | null => {
  const fromBody = (req.body as Record<string, unknown> | undefined)?.api_key;
  const key = fromBody ?? (req.query as Record<string, unknown>).api_key;
  return typeof key === 'string' ? key : null;
};

/**
 * Who calls the Open311 API: the client whose valid key the request carries, or nobody (an
 * unknown, malformed or revoked key reads as no key: reading needs none, creating refuses it
 * with 403). Then the rate limit of that client, or of the caller's network. Checking a key against
 * its hash (a key not verified in the last minute) counts against the caller's network first.
 */
@Injectable()
export class Open311CallerGuard implements CanActivate {
  constructor(
    private readonly clients: ApiClientsService,
    private readonly limits: Open311Limits,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Open311Request>();
    const key = apiKeyOf(req);
    const ip = req.ip;
    req.open311Client = key ? await this.clients.authenticate(key, () => this.limits.countKeyCheck(ip)) : null;
    await this.limits.countRequest(req.open311Client, ip);
    return true;
  }
}

/** The calling client (null without a valid key), as the guard found it. */
export const Open311Client = createParamDecorator((_: unknown, ctx: ExecutionContext) => ctx.switchToHttp().getRequest<Open311Request>().open311Client ?? null);
