import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, Max, Min } from 'class-validator';
import { CONTACT_OUTCOMES, type ContactOutcome } from '../../../../libs/database/src/entities';
import { CHANNELS, TICKET_STATUSES, TICKET_TYPES, type Channel, type TicketStatus, type TicketType } from '../../../../libs/domain/src';
import { PhoneField } from '../common/phone-field';
import { EXPORT_FORMATS, type ExportFormat } from '../analysis/analysis-query.dto';
import { EXPORT_LANGS, LANG_DOC, type ExportLang } from '../common/spreadsheet';
import { OptionalText } from '../common/text-fields';

/** The most entries one download of the contact log carries: a longer period is asked for in parts. */
export const CONTACT_EXPORT_MAX = 10_000;

/** Outcomes of a contact that made no ticket (one that did is logged by POST /tickets itself). */
export const NO_TICKET_OUTCOMES = ['INFORMATION_GIVEN', 'REFERRED_ELSEWHERE', 'HUNG_UP', 'DUPLICATE_OF_OPEN_TICKET'] as const satisfies readonly ContactOutcome[];
export type NoTicketOutcome = (typeof NO_TICKET_OUTCOMES)[number];

/** POST /contacts: a call (or walk-in) that made no ticket. */
export class CreateContactDto {
  @ApiProperty({ enum: NO_TICKET_OUTCOMES })
  @IsIn(NO_TICKET_OUTCOMES)
  outcome: NoTicketOutcome;

  @ApiPropertyOptional({ enum: CHANNELS, default: 'CALL_CENTER' })
  @IsOptional()
  @IsIn(CHANNELS)
  channel?: Channel;

  /** Absent when the caller hung up before giving it, or withheld it. */
  @ApiPropertyOptional({ example: '0532 123 45 67', description: 'Any common Turkish form; stored as E.164. Absent when the caller withheld it or hung up first' })
  @PhoneField()
  @IsOptional()
  phone?: string;

  @OptionalText(20, { example: '2026-000123', description: 'The open ticket this call duplicates (required for DUPLICATE_OF_OPEN_TICKET, refused otherwise)' })
  ticketNumber?: string;

  @OptionalText(1000, { example: 'Su kesintisinin ne zaman biteceğini sordu; MESKİ duyurusu okundu.' })
  note?: string;
}

/** GET /contacts: newest first, keyset-paged; or the whole filtered log as a download (`format`). */
export class ListContactsQueryDto {
  @ApiPropertyOptional({ enum: CONTACT_OUTCOMES })
  @IsOptional()
  @IsIn(CONTACT_OUTCOMES)
  outcome?: ContactOutcome;

  @ApiPropertyOptional({ enum: CHANNELS })
  @IsOptional()
  @IsIn(CHANNELS)
  channel?: Channel;

  @OptionalText(64, { example: 'agent.elif', description: 'The staff member (agent) who recorded it, by id' })
  recordedBy?: string;

  /** A search by number is a read of that number's entries: logged in pii_reads, masked phones or not. */
  @ApiPropertyOptional({ example: '0532 123 45 67', description: 'The caller’s number, any common Turkish form (each entry found is logged as a read of personal data)' })
  @PhoneField()
  @IsOptional()
  phone?: string;

  @ApiPropertyOptional({ description: 'At or after (ISO 8601)', example: '2026-01-01T00:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  from?: string;

  @ApiPropertyOptional({ description: 'Before (ISO 8601); after `from`', example: '2026-02-01T00:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  to?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 50, description: 'Page size (JSON only)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @OptionalText(100, { description: 'nextCursor of the previous page (opaque; JSON only)' })
  cursor?: string;

  @ApiPropertyOptional({ enum: EXPORT_FORMATS, description: `json (default): one page; csv or xlsx: every entry the filters select (at most ${CONTACT_EXPORT_MAX}), as a download; each entry with a phone or note is logged in pii_reads` })
  @IsOptional()
  @IsIn(EXPORT_FORMATS)
  format?: ExportFormat;

  @ApiPropertyOptional({ enum: EXPORT_LANGS, description: LANG_DOC })
  @IsOptional()
  @IsIn(EXPORT_LANGS)
  lang?: ExportLang;
}

/** GET /contacts/caller-tickets: the caller's tickets while the agent is on the phone. */
export class CallerTicketsQueryDto {
  @PhoneField()
  phone: string;
}

export class ContactView {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'date-time' })
  at: string;

  @ApiProperty({ example: 'agent.elif' })
  recordedBy: string;

  @ApiProperty({ type: String, nullable: true, example: 'Elif Yıldız', description: 'The staff member’s name (null if the id names nobody)' })
  recordedByName: string | null;

  @ApiProperty({ enum: CHANNELS })
  channel: Channel;

  @ApiProperty({ type: String, nullable: true, description: 'E.164; masked for roles that do not read full phones' })
  phone: string | null;

  @ApiProperty({ enum: CONTACT_OUTCOMES })
  outcome: ContactOutcome;

  @ApiProperty({ type: String, nullable: true })
  ticketNumber: string | null;

  @ApiProperty({ type: String, nullable: true })
  note: string | null;
}

export class ContactPage {
  @ApiProperty({ type: [ContactView] })
  items: ContactView[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor: string | null;
}

export class CallerTicket {
  @ApiProperty({ example: '2026-000123' })
  number: string;

  @ApiProperty({ enum: TICKET_STATUSES })
  status: TicketStatus;

  @ApiProperty({ enum: TICKET_TYPES })
  type: TicketType;

  @ApiProperty()
  category: string;

  @ApiProperty({ example: 'Sokağımızdaki çukur iki haftadır…', description: 'The first words of the description (at most 80 characters), so the agent recognises the call' })
  subject: string;

  @ApiProperty({ format: 'date-time' })
  receivedAt: string;

  @ApiProperty({ description: 'Not yet resolved, closed or withdrawn: a new call about it is likely a duplicate' })
  open: boolean;
}

export class CallerTickets {
  @ApiProperty({ type: [CallerTicket], description: 'Newest first, at most 20' })
  tickets: CallerTicket[];
}
