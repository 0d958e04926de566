import { CanActivate, createParamDecorator, ExecutionContext, Injectable, UseGuards, applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiSecurity, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Request } from 'express';
import { unauthorized } from '../common/problem';
import { IdentityResolver, type StaffIdentity } from './identity';

type WithIdentity = Request & { identity?: StaffIdentity | null };

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

/** The OpenAPI name of the bearer scheme (app.factory.ts registers it). */
export const BEARER_SCHEME = 'bearer';

export const StaffOnly = () =>
  applyDecorators(UseGuards(StaffOnlyGuard), ApiBearerAuth(BEARER_SCHEME), ApiUnauthorizedResponse({ description: 'No, an invalid, an expired or a revoked access token' }));
export const OptionalStaff = () =>
  // Two security alternatives in OpenAPI: the bearer token, or none ({}).
  applyDecorators(UseGuards(IdentityGuard), ApiBearerAuth(BEARER_SCHEME), ApiSecurity({}), ApiUnauthorizedResponse({ description: 'An invalid, an expired or a revoked access token (none at all is fine)' }));
