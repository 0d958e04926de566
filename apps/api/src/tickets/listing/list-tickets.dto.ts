import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, Max, Min } from 'class-validator';
import { CHANNELS, SEGMENTS, TICKET_STATUSES, TICKET_TYPES, type Channel, type Segment, type TicketStatus, type TicketType } from '../../../../../libs/domain/src';
import { QUEUES, SORTS, type ListSort, type QueueName } from '../../../../../libs/database/src/ticket-listing.repository';
import { OptionalText } from '../../common/text-fields';

export { QUEUES, SORTS } from '../../../../../libs/database/src/ticket-listing.repository';
export type { ListSort, QueueName } from '../../../../../libs/database/src/ticket-listing.repository';

export const LIST_LIMIT_DEFAULT = 25;
export const LIST_LIMIT_MAX = 100;

/** GET /tickets query: every parameter optional, unknown ones refused (global validation pipe, whitelist). */
export class ListTicketsQueryDto {
  @ApiPropertyOptional({ enum: QUEUES })
  @IsOptional()
  @IsIn(QUEUES)
  queue?: QueueName;

  @ApiPropertyOptional({ enum: TICKET_STATUSES })
  @IsOptional()
  @IsIn(TICKET_STATUSES)
  status?: TicketStatus;

  @OptionalText(64, { example: 'fen-isleri' })
  departmentId?: string;

  @OptionalText(64, { example: 'expert.fen.ali' })
  assigneeId?: string;

  @OptionalText(64, { example: 'ROAD_REPAIR' })
  category?: string;

  @ApiPropertyOptional({ enum: TICKET_TYPES })
  @IsOptional()
  @IsIn(TICKET_TYPES)
  type?: TicketType;

  @ApiPropertyOptional({ enum: CHANNELS })
  @IsOptional()
  @IsIn(CHANNELS)
  channel?: Channel;

  @ApiPropertyOptional({ enum: SEGMENTS })
  @IsOptional()
  @IsIn(SEGMENTS)
  segment?: Segment;

  @OptionalText(100, { example: 'Yenişehir' })
  district?: string;

  @OptionalText(100, { example: 'Menteş' })
  neighbourhood?: string;

  @ApiPropertyOptional({ enum: ['true', 'false'] })
  @IsOptional()
  @IsIn(['true', 'false'])
  slaBreached?: 'true' | 'false';

  @ApiPropertyOptional({ description: 'Received at or after (ISO 8601)', example: '2026-01-01T00:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  from?: string;

  @ApiPropertyOptional({ description: 'Received before (ISO 8601)', example: '2026-02-01T00:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  to?: string;

  @OptionalText(200, { example: 'çukur', description: 'Text search over description, address and resolution (Turkish-aware, diacritics optional); at least one word of 3 letters or digits (400 otherwise)' })
  q?: string;

  @ApiPropertyOptional({ enum: SORTS })
  @IsOptional()
  @IsIn(SORTS)
  sort?: ListSort;

  @ApiPropertyOptional({ minimum: 1, maximum: LIST_LIMIT_MAX, default: LIST_LIMIT_DEFAULT })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(LIST_LIMIT_MAX)
  limit?: number;

  @OptionalText(400, { description: 'nextCursor of the previous page (opaque)' })
  cursor?: string;
}
