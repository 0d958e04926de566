import { Global, Module } from '@nestjs/common';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { BearerIdentityResolver } from './bearer-identity.resolver';
import { IdentityResolver } from './identity';
import { IdentityGuard, OptionalTokenGuard, StaffOnlyGuard, StaffTokenGuard } from './identity.decorators';
import { MeController } from './me.controller';
import { MeService } from './me.service';
import { OidcLinksController } from './oidc-links.controller';
import { OidcLinksService } from './oidc-links.service';
import { OidcVerifier } from './oidc-verifier';
import { PasswordHasher } from './password-hasher';
import { TokenService } from './token.service';

/**
 * Sign-in and identity: POST /auth/{login,refresh,logout}, GET /me, an ADMIN's links of identity-provider
 * accounts to staff rows (/admin/staff/:id/oidc-link), and the IdentityResolver
 * every route's @StaffOnly() / @OptionalStaff() uses (bearer tokens: Teksin's or an OIDC issuer's).
 */
@Global()
@Module({
  controllers: [AuthController, MeController, OidcLinksController],
  providers: [
    { provide: IdentityResolver, useClass: BearerIdentityResolver },
    IdentityGuard,
    StaffOnlyGuard,
    StaffTokenGuard,
    OptionalTokenGuard,
    PasswordHasher,
    TokenService,
    OidcVerifier,
    OidcLinksService,
    AuthService,
    MeService,
  ],
  exports: [IdentityResolver, IdentityGuard, StaffOnlyGuard, StaffTokenGuard, OptionalTokenGuard],
})
export class IdentityModule {}
