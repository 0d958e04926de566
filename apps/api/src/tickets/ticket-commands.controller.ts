import { Body, Controller, Headers, HttpCode, Param, Post } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../../../../libs/domain/src';
import { unauthorized } from '../common/problem';
import { CurrentIdentity, OptionalStaff, StaffOnly } from '../identity/identity.decorators';
import { toActor, type StaffIdentity } from '../identity/identity';
import {
  AddNoteDto,
  AnswerDto,
  ApproveDto,
  AssignDepartmentDto,
  AssignExpertDto,
  FinalizeDto,
  InfoProvidedDto,
  RejectDto,
  RejectResolutionDto,
  ReferDto,
  ReopenDto,
  RequestInfoDto,
  ResolutionDto,
  WithdrawDto,
} from './dto/ticket-commands.dto';
import { TicketCommandsService } from './ticket-commands.service';
import { TicketQueryService } from './ticket-query.service';

const CitizenToken = () => ApiHeader({ name: 'X-Tracking-Token', required: true, description: 'The citizen’s token from the tracking link' });

/**
 * Every ticket command over HTTP. Each answers 200 with the ticket's new view, 409 in the
 * wrong state, 403 for the wrong actor, 404 for an unknown ticket, 400 for a bad body.
 */
@ApiTags('ticket commands')
@Controller('tickets/:number')
export class TicketCommandsController {
  constructor(
    private readonly commands: TicketCommandsService,
    private readonly query: TicketQueryService,
  ) {}

  private async staffCommand(number: string, identity: StaffIdentity) {
    return { ticket: await this.query.findRow(number), actor: toActor(identity) };
  }

  @Post('assign-department')
  @HttpCode(200)
  @StaffOnly()
  @ApiOperation({ summary: 'Coordinator: send the ticket to a department (optionally re-categorise)' })
  async assignDepartment(@Param('number') number: string, @Body() dto: AssignDepartmentDto, @CurrentIdentity() identity: StaffIdentity) {
    const { ticket, actor } = await this.staffCommand(number, identity);
    await this.commands.requireDepartment(dto.departmentId);
    if (dto.category) await this.commands.requireCategory(dto.category);
    return this.commands.execute(ticket, 'assignDepartment', actor, async (store) => ({
      departmentId: dto.departmentId,
      ...(dto.category ? { category: dto.category } : {}),
      ...(dto.note ? { noteRef: await store('TRIAGE_NOTE', dto.note) } : {}),
    }));
  }

  @Post('refer')
  @HttpCode(200)
  @StaffOnly()
  @ApiOperation({ summary: 'Coordinator: outside our jurisdiction; the citizen is told which institution to contact' })
  async refer(@Param('number') number: string, @Body() dto: ReferDto, @CurrentIdentity() identity: StaffIdentity) {
    const { ticket, actor } = await this.staffCommand(number, identity);
    await this.commands.requireInstitution(dto.institutionId);
    return this.commands.execute(ticket, 'refer', actor, async (store) => ({
      institutionId: dto.institutionId,
      ...(dto.note ? { noteRef: await store('REFERRAL_NOTE', dto.note) } : {}),
    }));
  }

  @Post('reject')
  @HttpCode(200)
  @StaffOnly()
  @ApiOperation({ summary: 'Coordinator: spam, abusive, or a duplicate merged into another ticket' })
  async reject(@Param('number') number: string, @Body() dto: RejectDto, @CurrentIdentity() identity: StaffIdentity) {
    const { ticket, actor } = await this.staffCommand(number, identity);
    if (dto.duplicateOf) await this.commands.requireTicketNumber('duplicateOf', dto.duplicateOf);
    return this.commands.execute(ticket, 'reject', actor, async (store) => ({
      reason: dto.reason,
      ...(dto.duplicateOf ? { duplicateOf: dto.duplicateOf } : {}),
      ...(dto.note ? { noteRef: await store('REJECT_NOTE', dto.note) } : {}),
    }));
  }

  @Post('answer')
  @HttpCode(200)
  @StaffOnly()
  @ApiOperation({ summary: 'Coordinator: answer an information request on the spot' })
  async answer(@Param('number') number: string, @Body() dto: AnswerDto, @CurrentIdentity() identity: StaffIdentity) {
    const { ticket, actor } = await this.staffCommand(number, identity);
    return this.commands.execute(ticket, 'answerDirectly', actor, async (store) => ({ answerRef: await store('ANSWER', dto.answer) }));
  }

  @Post('assign-expert')
  @HttpCode(200)
  @StaffOnly()
  @ApiOperation({ summary: 'Department manager: assign (or reassign) the solution expert' })
  async assignExpert(@Param('number') number: string, @Body() dto: AssignExpertDto, @CurrentIdentity() identity: StaffIdentity) {
    const { ticket, actor } = await this.staffCommand(number, identity);
    const expert = await this.commands.requireExpert(dto.expertId);
    return this.commands.execute(ticket, 'assignExpert', actor, async () => ({
      expertId: expert.id,
      expertDepartmentId: expert.departmentId ?? '',
    }));
  }

  @Post('request-info')
  @HttpCode(200)
  @StaffOnly()
  @ApiOperation({ summary: 'Expert (or coordinator in triage): ask the citizen for information; the SLA pauses' })
  async requestInfo(@Param('number') number: string, @Body() dto: RequestInfoDto, @CurrentIdentity() identity: StaffIdentity) {
    const { ticket, actor } = await this.staffCommand(number, identity);
    return this.commands.execute(ticket, 'requestCitizenInfo', actor, async (store) => ({ questionRef: await store('QUESTION', dto.question) }));
  }

  @Post('info-provided')
  @HttpCode(200)
  @OptionalStaff()
  @ApiHeader({ name: 'X-Tracking-Token', required: false, description: 'The citizen’s token (or a staff identity recording a phone answer)' })
  @ApiOperation({ summary: 'The citizen’s answer (citizen with tracking token, or staff recording it); the SLA resumes' })
  async infoProvided(
    @Param('number') number: string,
    @Body() dto: InfoProvidedDto,
    @CurrentIdentity() identity: StaffIdentity | null,
    @Headers('x-tracking-token') token?: string,
  ) {
    const ticket = identity ? await this.query.findRow(number) : await this.query.findForCitizen(number, token);
    const actor: Actor = identity ? toActor(identity) : { kind: 'CITIZEN' };
    return this.commands.execute(
      ticket,
      'citizenInfoProvided',
      actor,
      async (store) => ({ answerRef: await store('CITIZEN_ANSWER', dto.answer) }),
      identity ? 'STAFF' : 'CITIZEN',
    );
  }

  @Post('notes')
  @HttpCode(200)
  @StaffOnly()
  @ApiOperation({ summary: 'Staff: add an internal or citizen-visible note' })
  async addNote(@Param('number') number: string, @Body() dto: AddNoteDto, @CurrentIdentity() identity: StaffIdentity) {
    const { ticket, actor } = await this.staffCommand(number, identity);
    return this.commands.execute(ticket, 'addNote', actor, async (store) => ({
      textRef: await store(dto.visibility === 'CITIZEN' ? 'NOTE_CITIZEN' : 'NOTE_INTERNAL', dto.text),
      visibility: dto.visibility,
    }));
  }

  @Post('resolution')
  @HttpCode(200)
  @StaffOnly()
  @ApiOperation({ summary: 'Assigned expert: submit the resolution; it climbs the approval chain' })
  async resolution(@Param('number') number: string, @Body() dto: ResolutionDto, @CurrentIdentity() identity: StaffIdentity) {
    const { ticket, actor } = await this.staffCommand(number, identity);
    return this.commands.execute(ticket, 'submitResolution', actor, async (store) => ({ textRef: await store('RESOLUTION', dto.text) }));
  }

  @Post('approve')
  @HttpCode(200)
  @StaffOnly()
  @ApiOperation({ summary: 'Approver of the current level: approve the resolution' })
  async approve(@Param('number') number: string, @Body() dto: ApproveDto, @CurrentIdentity() identity: StaffIdentity) {
    const { ticket, actor } = await this.staffCommand(number, identity);
    return this.commands.execute(ticket, 'approve', actor, async (store) => (dto.note ? { noteRef: await store('APPROVAL_NOTE', dto.note) } : {}));
  }

  @Post('reject-resolution')
  @HttpCode(200)
  @StaffOnly()
  @ApiOperation({ summary: 'Approver of the current level: send the resolution back to the expert with a reason' })
  async rejectResolution(@Param('number') number: string, @Body() dto: RejectResolutionDto, @CurrentIdentity() identity: StaffIdentity) {
    const { ticket, actor } = await this.staffCommand(number, identity);
    return this.commands.execute(ticket, 'rejectResolution', actor, async (store) => ({ reasonRef: await store('REJECTION_REASON', dto.reason) }));
  }

  @Post('finalize')
  @HttpCode(200)
  @StaffOnly()
  @ApiOperation({ summary: 'Coordinator: close the approved ticket with a citizen-facing summary; the citizen is texted' })
  async finalize(@Param('number') number: string, @Body() dto: FinalizeDto, @CurrentIdentity() identity: StaffIdentity) {
    const { ticket, actor } = await this.staffCommand(number, identity);
    return this.commands.execute(ticket, 'finalize', actor, async (store) => ({ summaryRef: await store('SUMMARY', dto.summary) }));
  }

  @Post('reopen')
  @HttpCode(200)
  @CitizenToken()
  @ApiOperation({ summary: 'Citizen: not satisfied, reopen within the window (reason required)' })
  async reopen(@Param('number') number: string, @Body() dto: ReopenDto, @Headers('x-tracking-token') token?: string) {
    const ticket = await this.citizenTicket(number, token);
    return this.commands.execute(ticket, 'reopen', { kind: 'CITIZEN' }, async (store) => ({ reasonRef: await store('REOPEN_REASON', dto.reason) }), 'CITIZEN');
  }

  @Post('withdraw')
  @HttpCode(200)
  @CitizenToken()
  @ApiOperation({ summary: 'Citizen: withdraw the request before it is resolved' })
  async withdraw(@Param('number') number: string, @Body() _dto: WithdrawDto, @Headers('x-tracking-token') token?: string) {
    const ticket = await this.citizenTicket(number, token);
    return this.commands.execute(ticket, 'withdraw', { kind: 'CITIZEN' }, async () => ({}), 'CITIZEN');
  }

  private async citizenTicket(number: string, token: string | undefined) {
    if (!token) throw unauthorized('the citizen’s X-Tracking-Token header is required');
    return this.query.findForCitizen(number, token);
  }
}
