import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional } from 'class-validator';
import { Text } from '../../common/text-fields';

export class CreateDeputyDto {
  @Text(64, { example: 'head.fen.fatma', description: 'The absent staff member (asıl)' })
  principalId: string;

  @Text(64, { example: 'mgr.fen.seda', description: 'Who stands in for them (vekil): same department' })
  deputyId: string;

  @ApiPropertyOptional({ description: 'In force from (ISO 8601, inclusive); default now; not in the past', example: '2026-07-01T06:00:00+03:00' })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  from?: string;

  @ApiProperty({ description: 'Until (ISO 8601, exclusive): after `from`, at most 90 days later', example: '2026-07-15T06:00:00+03:00' })
  @IsISO8601({ strict: true, strictSeparator: true })
  to: string;

  @Text(300, { example: 'Yıllık izin', description: 'Why (kept on the deputyship only, not in the audit log)' })
  reason: string;
}
