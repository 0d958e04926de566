import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { ANSWER_VISIBILITIES, CHANNELS, NOTE_VISIBILITIES, REJECT_REASONS, type AnswerVisibility, type Channel, type NoteVisibility, type RejectReason } from '../../../../../libs/domain/src';
import { OptionalText, Text } from '../../common/text-fields';
import { TICKET_NUMBER, TICKET_NUMBER_HINT } from '../../common/ticket-number';

/** Free text limits: long enough for a real answer, short enough to keep rows and SMS sane. */
const TEXT_MAX = 4000;
const NOTE_MAX = 2000;
const ID_MAX = 64;

export class AssignDepartmentDto {
  @Text(ID_MAX, { example: 'fen-isleri', description: 'An id from GET /departments' })
  departmentId: string;

  @OptionalText(ID_MAX, { example: 'ROAD_REPAIR', description: 'Overrides the ticket’s category' })
  category?: string;

  @OptionalText(NOTE_MAX)
  note?: string;
}

/** Coordinator: move a ticket that is in a department to another one (same fields as assigning it). */
export class ReassignDepartmentDto extends AssignDepartmentDto {}

/** Department (manager, head or the assigned expert): send a misrouted ticket back to the center. */
export class ReturnToCenterDto {
  @Text(NOTE_MAX, { description: 'Why the ticket is not this department’s (internal)' })
  reason: string;
}

/** Who a staff answer is written for: the citizen alone (default), or PUBLIC (Open311 publishes it as the request's status notes). */
const AnswerVisibilityField = (field: string) =>
  applyDecorators(
    ApiPropertyOptional({
      enum: ANSWER_VISIBILITIES,
      default: 'CITIZEN',
      description: `CITIZEN: the ${field} is for the citizen alone; PUBLIC: a public answer, shown on Open311 (status_notes) and to the ticket's followers`,
    }),
    IsOptional(),
    IsIn(ANSWER_VISIBILITIES),
  );

/** Staff acting for a citizen who called (or wrote): the channel the citizen used. A citizen does not send it. */
const OnBehalfChannel = () =>
  applyDecorators(
    ApiPropertyOptional({ enum: CHANNELS, default: 'CALL_CENTER', description: 'Staff acting for the citizen: the channel the citizen used (refused from the citizen)' }),
    IsOptional(),
    IsIn(CHANNELS),
  );

export class ReferDto {
  @Text(ID_MAX, { example: 'toroslar-edas', description: 'An id from GET /institutions' })
  institutionId: string;

  @OptionalText(NOTE_MAX)
  note?: string;
}

export class RejectDto {
  @ApiProperty({ enum: REJECT_REASONS })
  @IsIn(REJECT_REASONS)
  reason: RejectReason;

  @OptionalText(32, { example: '2026-000042', description: 'The surviving ticket, for DUPLICATE' })
  @Matches(TICKET_NUMBER, { message: `duplicateOf ${TICKET_NUMBER_HINT}` })
  duplicateOf?: string;

  @OptionalText(NOTE_MAX)
  note?: string;
}

export class AnswerDto {
  @Text(TEXT_MAX)
  answer: string;

  @AnswerVisibilityField('answer')
  visibility?: AnswerVisibility;
}

export class AssignExpertDto {
  @Text(ID_MAX, { example: 'expert.fen.ali' })
  expertId: string;
}

export class RequestInfoDto {
  @Text(NOTE_MAX)
  question: string;
}

export class InfoProvidedDto {
  @Text(TEXT_MAX)
  answer: string;

  @OnBehalfChannel()
  channel?: Channel;
}

export class AddNoteDto {
  @Text(NOTE_MAX)
  text: string;

  @ApiProperty({ enum: NOTE_VISIBILITIES })
  @IsIn(NOTE_VISIBILITIES)
  visibility: NoteVisibility;
}

export class ResolutionDto {
  @Text(TEXT_MAX)
  text: string;
}

export class ApproveDto {
  @OptionalText(NOTE_MAX)
  note?: string;
}

export class RejectResolutionDto {
  @Text(NOTE_MAX)
  reason: string;
}

export class FinalizeDto {
  @Text(TEXT_MAX, { description: 'Citizen-facing summary of what was done' })
  summary: string;

  @AnswerVisibilityField('summary')
  visibility?: AnswerVisibility;
}

export class ReopenDto {
  @Text(NOTE_MAX)
  reason: string;

  @OnBehalfChannel()
  channel?: Channel;
}

export class WithdrawDto {
  @OnBehalfChannel()
  channel?: Channel;
}
