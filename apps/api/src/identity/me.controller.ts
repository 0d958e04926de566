import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { StaffIdentity } from './identity';
import { ME } from './identity-views.schema';
import { CurrentIdentity, StaffOnly } from './identity.decorators';
import { MeService } from './me.service';

@ApiTags('auth')
@Controller('me')
export class MeController {
  constructor(private readonly service: MeService) {}

  @Get()
  @StaffOnly()
  @ApiOperation({ summary: 'Who the caller is: identity, roles, department/branch/approval level, scope, deputies in force, how they signed in' })
  @ApiOkResponse({ schema: ME })
  me(@CurrentIdentity() identity: StaffIdentity) {
    return this.service.me(identity);
  }
}
