import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { NOTE_VISIBILITIES, REJECT_REASONS, type NoteVisibility, type RejectReason } from '../../../../../libs/domain/src';

/** Free text limits: long enough for a real answer, short enough to keep rows and SMS sane. */
const TEXT_MAX = 4000;
const NOTE_MAX = 2000;

export class AssignDepartmentDto {
  @ApiProperty({ example: 'fen-isleri', description: 'An id from GET /departments' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  departmentId: string;

  @ApiPropertyOptional({ example: 'ROAD_REPAIR', description: 'Overrides the ticket’s category' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  category?: string;

  @ApiPropertyOptional({ maxLength: NOTE_MAX })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(NOTE_MAX)
  note?: string;
}

export class ReferDto {
  @ApiProperty({ example: 'toroslar-edas', description: 'An id from GET /institutions' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  institutionId: string;

  @ApiPropertyOptional({ maxLength: NOTE_MAX })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(NOTE_MAX)
  note?: string;
}

export class RejectDto {
  @ApiProperty({ enum: REJECT_REASONS })
  @IsIn(REJECT_REASONS)
  reason: RejectReason;

  @ApiPropertyOptional({ example: '2026-000042', description: 'The surviving ticket, for DUPLICATE' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(32)
  duplicateOf?: string;

  @ApiPropertyOptional({ maxLength: NOTE_MAX })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(NOTE_MAX)
  note?: string;
}

export class AnswerDto {
  @ApiProperty({ maxLength: TEXT_MAX })
  @IsString()
  @IsNotEmpty()
  @MaxLength(TEXT_MAX)
  answer: string;
}

export class AssignExpertDto {
  @ApiProperty({ example: 'expert.fen.ali' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  expertId: string;
}

export class RequestInfoDto {
  @ApiProperty({ maxLength: NOTE_MAX })
  @IsString()
  @IsNotEmpty()
  @MaxLength(NOTE_MAX)
  question: string;
}

export class InfoProvidedDto {
  @ApiProperty({ maxLength: TEXT_MAX })
  @IsString()
  @IsNotEmpty()
  @MaxLength(TEXT_MAX)
  answer: string;
}

export class AddNoteDto {
  @ApiProperty({ maxLength: NOTE_MAX })
  @IsString()
  @IsNotEmpty()
  @MaxLength(NOTE_MAX)
  text: string;

  @ApiProperty({ enum: NOTE_VISIBILITIES })
  @IsIn(NOTE_VISIBILITIES)
  visibility: NoteVisibility;
}

export class ResolutionDto {
  @ApiProperty({ maxLength: TEXT_MAX })
  @IsString()
  @IsNotEmpty()
  @MaxLength(TEXT_MAX)
  text: string;
}

export class ApproveDto {
  @ApiPropertyOptional({ maxLength: NOTE_MAX })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(NOTE_MAX)
  note?: string;
}

export class RejectResolutionDto {
  @ApiProperty({ maxLength: NOTE_MAX })
  @IsString()
  @IsNotEmpty()
  @MaxLength(NOTE_MAX)
  reason: string;
}

export class FinalizeDto {
  @ApiProperty({ maxLength: TEXT_MAX, description: 'Citizen-facing summary of what was done' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(TEXT_MAX)
  summary: string;
}

export class ReopenDto {
  @ApiProperty({ maxLength: NOTE_MAX })
  @IsString()
  @IsNotEmpty()
  @MaxLength(NOTE_MAX)
  reason: string;
}

export class WithdrawDto {}
