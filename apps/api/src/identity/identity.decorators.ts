import { CanActivate, createParamDecorator, ExecutionContext, Injectable, UseGuards, applyDecorators } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import type { Request } from 'express';
import { unauthorized } from '../common/problem';
import { IdentityResolver, type StaffIdentity } from './identity';
import { STAFF_HEADER } from './dev-header-identity.resolver';

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
    if (!req.identity) throw unauthorized(`this route needs a staff identity (${STAFF_HEADER} header in development)`);
    return true;
  }
}

export const StaffOnly = () =>
  applyDecorators(UseGuards(StaffOnlyGuard), ApiHeader({ name: 'X-Staff-Id', required: true, description: 'Development identity: a seeded staff id' }));
export const OptionalStaff = () =>
  applyDecorators(UseGuards(IdentityGuard), ApiHeader({ name: 'X-Staff-Id', required: false, description: 'Development identity: a seeded staff id' }));
