import { Global, Module } from '@nestjs/common';
import { DevHeaderIdentityResolver } from './dev-header-identity.resolver';
import { IdentityResolver } from './identity';
import { IdentityGuard, StaffOnlyGuard } from './identity.decorators';

/** Binds the identity source. Swap `useClass` for real authentication; routes stay as they are. */
@Global()
@Module({
  providers: [{ provide: IdentityResolver, useClass: DevHeaderIdentityResolver }, IdentityGuard, StaffOnlyGuard],
  exports: [IdentityResolver, IdentityGuard, StaffOnlyGuard],
})
export class IdentityModule {}
