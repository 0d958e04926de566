import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentIdentity, StaffOnly } from '../identity/identity.decorators';
import type { StaffIdentity } from '../identity/identity';
import { CallerTickets, CallerTicketsQueryDto, ContactPage, ContactView, CreateContactDto, ListContactsQueryDto } from './contact.dto';
import { ContactsService } from './contacts.service';

/** The contact log of the coordination center (calls, walk-ins), and the caller look-up of intake. */
@ApiTags('contacts')
@Controller('contacts')
export class ContactsController {
  constructor(private readonly contacts: ContactsService) {}

  @Post()
  @HttpCode(201)
  @StaffOnly()
  @ApiOperation({ summary: 'Agent or coordinator: log a contact that made no ticket, with its outcome (a duplicate names the open ticket)' })
  @ApiCreatedResponse({ type: ContactView })
  @ApiForbiddenResponse({ description: 'Not a role that takes calls' })
  create(@Body() dto: CreateContactDto, @CurrentIdentity() identity: StaffIdentity) {
    return this.contacts.create(identity, dto);
  }

  @Get()
  @StaffOnly()
  @ApiOperation({ summary: 'The contact log, newest first (agents, coordinators; auditors read it with phones masked)' })
  @ApiOkResponse({ type: ContactPage })
  list(@Query() query: ListContactsQueryDto, @CurrentIdentity() identity: StaffIdentity) {
    return this.contacts.list(identity, query);
  }

  @Get('caller-tickets')
  @StaffOnly()
  @ApiOperation({ summary: 'Agent or coordinator: the tickets of the phone number on the line, newest first' })
  @ApiOkResponse({ type: CallerTickets })
  callerTickets(@Query() query: CallerTicketsQueryDto, @CurrentIdentity() identity: StaffIdentity) {
    return this.contacts.callerTickets(identity, query.phone);
  }
}
