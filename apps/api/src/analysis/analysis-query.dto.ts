import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional } from 'class-validator';
import { CHANNELS, SEGMENTS, TICKET_TYPES, type Channel, type Segment, type TicketType } from '../../../../libs/domain/src';
import { OptionalText } from '../common/text-fields';
import { EXPORT_LANGUAGES, type ExportLanguage } from './analysis-labels';

/** The filters every figure takes (each optional; all given ones must hold). */
export class AnalysisFiltersDto {
  @OptionalText(64, { example: 'MUNICIPALITY' })
  institution?: string;

  @OptionalText(64, { example: 'fen-isleri' })
  department?: string;

  @OptionalText(64, { example: 'ROAD_REPAIR' })
  category?: string;

  @OptionalText(100, { example: 'Yenişehir' })
  district?: string;

  @OptionalText(100, { example: 'Menteş' })
  neighbourhood?: string;

  @ApiPropertyOptional({ enum: CHANNELS })
  @IsOptional()
  @IsIn(CHANNELS)
  channel?: Channel;

  @ApiPropertyOptional({ enum: SEGMENTS })
  @IsOptional()
  @IsIn(SEGMENTS)
  segment?: Segment;

  @ApiPropertyOptional({ enum: TICKET_TYPES })
  @IsOptional()
  @IsIn(TICKET_TYPES)
  type?: TicketType;
}

export const EXPORT_FORMATS = ['json', 'csv', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** A period [from, to) and the filters: GET /analysis/summary and /analysis/departments/:id/report. */
export class AnalysisQueryDto extends AnalysisFiltersDto {
  @ApiPropertyOptional({ description: 'Start of the period, inclusive (ISO 8601); default: 30 days before `to`', example: '2026-01-01T00:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  from?: string;

  @ApiPropertyOptional({ description: 'End of the period, exclusive (ISO 8601); default: now', example: '2026-03-01T00:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  to?: string;

  @ApiPropertyOptional({ enum: EXPORT_FORMATS, description: 'json (default); csv = the table named by `table`; xlsx = every table, one sheet each' })
  @IsOptional()
  @IsIn(EXPORT_FORMATS)
  format?: ExportFormat;

  @OptionalText(64, { description: 'For format=csv: the table to export (its name as the tables list gives it)', example: 'tickets-by-channel' })
  table?: string;

  @ApiPropertyOptional({ enum: EXPORT_LANGUAGES, default: 'tr', description: 'For csv and xlsx: the language of the values (channels, types, segments, statuses, outcomes, categories and departments by their labels); json keeps the codes' })
  @IsOptional()
  @IsIn(EXPORT_LANGUAGES)
  lang?: ExportLanguage;
}

/** GET /analysis/hot-spots: the week (any instant in it) and the filters. */
export class HotSpotsQueryDto extends AnalysisFiltersDto {
  @ApiPropertyOptional({ description: 'An instant in the week to look at (weeks start Monday 00:00, Europe/Istanbul); default: now', example: '2026-03-02T00:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  week?: string;

  @ApiPropertyOptional({ enum: EXPORT_FORMATS })
  @IsOptional()
  @IsIn(EXPORT_FORMATS)
  format?: ExportFormat;

  @OptionalText(64, { example: 'surges' })
  table?: string;

  @ApiPropertyOptional({ enum: EXPORT_LANGUAGES, default: 'tr', description: 'For csv and xlsx: the language of the values (channels, types, segments, statuses, outcomes, categories and departments by their labels); json keeps the codes' })
  @IsOptional()
  @IsIn(EXPORT_LANGUAGES)
  lang?: ExportLanguage;
}
