import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiForbiddenResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { arr } from '../common/view-schema';
import { API_CLIENT_VIEW, NEW_API_CLIENT } from './api-clients-views.schema';
import { CurrentIdentity, StaffOnly } from '../identity/identity.decorators';
import type { StaffIdentity } from '../identity/identity';
import { ApiClientsService } from './api-clients.service';
import { CreateApiClientDto } from './dto/create-api-client.dto';

/** Open311 API clients and their keys: for an ADMIN. */
@ApiTags('admin')
@Controller('admin/api-clients')
@StaffOnly()
@ApiForbiddenResponse({ description: 'The caller is not an ADMIN' })
export class ApiClientsController {
  constructor(private readonly clients: ApiClientsService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Issue an Open311 API key to a client (name, contact, requests a minute); the key is in this answer only (apiKey), stored hashed' })
  @ApiCreatedResponse({ schema: NEW_API_CLIENT })
  create(@Body() dto: CreateApiClientDto, @CurrentIdentity() identity: StaffIdentity) {
    return this.clients.create(identity, dto);
  }

  @Get()
  @ApiOperation({ summary: 'Every API client, newest first, revoked ones too (never a key)' })
  @ApiOkResponse({ schema: arr(API_CLIENT_VIEW) })
  list(@CurrentIdentity() identity: StaffIdentity) {
    return this.clients.list(identity);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke a client’s key for good (its tickets keep naming it)' })
  @ApiNoContentResponse({ description: 'Revoked' })
  revoke(@Param('id') id: string, @CurrentIdentity() identity: StaffIdentity) {
    return this.clients.revoke(identity, id);
  }
}
