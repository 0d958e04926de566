import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiCreatedResponse, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { CSV_TYPE, downloadOf, XLSX_TYPE } from '../common/spreadsheet';
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
  @ApiOperation({
    summary: 'The contact log, newest first, filtered (agents, coordinators; auditors read it with phones masked); with format=csv or xlsx, every entry the filters select as a download',
  })
  @ApiProduces('application/json', CSV_TYPE, XLSX_TYPE)
  @ApiOkResponse({ type: ContactPage })
  @ApiBadRequestResponse({ description: 'A filter is invalid (named), `to` is not after `from`, or a download would hold more than 10,000 entries' })
  async list(@Query() query: ListContactsQueryDto, @CurrentIdentity() identity: StaffIdentity) {
    if (!query.format || query.format === 'json') return this.contacts.list(identity, query);
    const table = await this.contacts.export(identity, query);
    return downloadOf(table, query.format, query.lang, 'contacts');
  }

  @Get('caller-tickets')
  @StaffOnly()
  @ApiOperation({ summary: 'Agent or coordinator: the tickets of the phone number on the line, newest first' })
  @ApiOkResponse({ type: CallerTickets })
  callerTickets(@Query() query: CallerTicketsQueryDto, @CurrentIdentity() identity: StaffIdentity) {
    return this.contacts.callerTickets(identity, query.phone);
  }
}
