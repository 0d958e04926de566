import { CanActivate, createParamDecorator, ExecutionContext, Injectable, UseGuards, applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiSecurity, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Request } from 'express';
import { unauthorized } from '../common/problem';
import { IdentityResolver, type StaffIdentity, type VerifiedToken } from './identity';

type WithIdentity = Request & { identity?: StaffIdentity | null };

/** A request whose bearer token was checked, its account not yet read (a command reads it with the ticket). */
export type WithVerifiedToken = Request & { verifiedToken?: VerifiedToken | null; notLive?: () => Error };

/** Resolves the caller once per request; routes read it with @CurrentIdentity(). */
@Injectable()
export class IdentityGuard implements CanActivate {
  constructor(private readonly resolver: IdentityResolver) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<WithIdentity>();
    req.identity = await this.resolver.resolve(req);
    return true;
  }
}

/** The staff identity, or null for anonymous/citizen requests. */
export const CurrentIdentity = createParamDecorator((_: unknown, ctx: ExecutionContext) => ctx.switchToHttp().getRequest<WithIdentity>().identity ?? null);

/** Staff-only routes: 401 without an identity. */
@Injectable()
export class StaffOnlyGuard implements CanActivate {
  constructor(private readonly resolver: IdentityResolver) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<WithIdentity>();
    req.identity = await this.resolver.resolve(req);
    if (!req.identity) {
      req.res?.setHeader('WWW-Authenticate', 'Bearer');
      throw unauthorized('this route needs a signed-in caller: Authorization: Bearer <access token> (POST /auth/login)');
    }
    return true;
  }
}

/**
 * Ticket command routes: the bearer token is checked here without the database, and the command
 * reads its account with the ticket, in one statement (a revoked session, a deactivated account
 * or an ended deputyship still shows on the very next command). `required`: 401 without one.
 */
abstract class VerifiedTokenGuard implements CanActivate {
  protected abstract readonly required: boolean;
  protected abstract readonly resolver: IdentityResolver;

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<WithVerifiedToken>();
    const token = await this.resolver.verify(req);
    if (!token && this.required) {
      req.res?.setHeader('WWW-Authenticate', 'Bearer');
      throw unauthorized('this route needs a signed-in caller: Authorization: Bearer <access token> (POST /auth/login)');
    }
    req.verifiedToken = token;
    req.notLive = () => this.resolver.notLive(req, token!);
    return true;
  }
}

@Injectable()
export class StaffTokenGuard extends VerifiedTokenGuard {
  protected readonly required = true;
  constructor(protected readonly resolver: IdentityResolver) {
    super();
  }
}

@Injectable()
export class OptionalTokenGuard extends VerifiedTokenGuard {
  protected readonly required = false;
  constructor(protected readonly resolver: IdentityResolver) {
    super();
  }
}

/** The OpenAPI name of the bearer scheme (app.factory.ts registers it). */
export const BEARER_SCHEME = 'bearer';

export const StaffOnly = () =>
  applyDecorators(UseGuards(StaffOnlyGuard), ApiBearerAuth(BEARER_SCHEME), ApiUnauthorizedResponse({ description: 'No, an invalid, an expired or a revoked access token' }));
export const OptionalStaff = () =>
  // Two security alternatives in OpenAPI: the bearer token, or none ({}).
  applyDecorators(UseGuards(IdentityGuard), ApiBearerAuth(BEARER_SCHEME), ApiSecurity({}), ApiUnauthorizedResponse({ description: 'An invalid, an expired or a revoked access token (none at all is fine)' }));

/** `StaffOnly` for a command route: the same contract, the account read by the command with the ticket. */
export const StaffOnlyCommand = () =>
  applyDecorators(UseGuards(StaffTokenGuard), ApiBearerAuth(BEARER_SCHEME), ApiUnauthorizedResponse({ description: 'No, an invalid, an expired or a revoked access token' }));
/** `OptionalStaff` for a command route: the same contract, the account read by the command with the ticket. */
export const OptionalStaffCommand = () =>
  applyDecorators(UseGuards(OptionalTokenGuard), ApiBearerAuth(BEARER_SCHEME), ApiSecurity({}), ApiUnauthorizedResponse({ description: 'An invalid, an expired or a revoked access token (none at all is fine)' }));
