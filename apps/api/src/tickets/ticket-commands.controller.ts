import { Body, Controller, Param } from '@nestjs/common';
import { ApiHeader, ApiTags } from '@nestjs/swagger';
import {
  AddNoteDto,
  AnswerDto,
  ApproveDto,
  AssignDepartmentDto,
  AssignExpertDto,
  FinalizeDto,
  InfoProvidedDto,
  ReassignDepartmentDto,
  ReferDto,
  RejectDto,
  RejectResolutionDto,
  ReopenDto,
  RequestInfoDto,
  ResolutionDto,
  ReturnToCenterDto,
  WithdrawDto,
} from './dto/ticket-commands.dto';
import { Caller, CommandRoute } from './ticket-command.decorators';
import { TicketCommandsService, type CommandCaller } from './ticket-commands.service';

/**
 * Every ticket command over HTTP, one line each (the route table in ticket-command.table.ts
 * maps a route to its command, texts and references). Each answers 200 with the ticket's new
 * view; 400 for a bad body or an unknown reference (naming the field), 401 without the
 * identity or token the route needs, 403 for a caller who may never do it, 404 for an unknown
 * ticket, 409 in the wrong state, 503 when the outcome is unknown. With `X-Request-Id`, a
 * retry gets the first answer and another request with the same id is 409 REQUEST_ID_REUSED.
 */
@ApiTags('ticket commands')
@ApiHeader({ name: 'X-Request-Id', required: false, description: 'Makes a retry safe: the same request with the same id is applied once and answered as the first was' })
@Controller('tickets/:number')
export class TicketCommandsController {
  constructor(private readonly commands: TicketCommandsService) {}

  @CommandRoute('assign-department', 'Coordinator: send the ticket to a department (optionally re-categorise)')
  assignDepartment(@Param('number') number: string, @Body() dto: AssignDepartmentDto, @Caller() caller: CommandCaller) {
    return this.commands.run(number, 'assign-department', dto, caller);
  }

  @CommandRoute('reassign-department', 'Coordinator: move a ticket that is in a department to another department (optionally re-categorise)')
  reassignDepartment(@Param('number') number: string, @Body() dto: ReassignDepartmentDto, @Caller() caller: CommandCaller) {
    return this.commands.run(number, 'reassign-department', dto, caller);
  }

  @CommandRoute('return-to-center', 'Department manager or head, or the assigned expert: send a misrouted ticket back to the coordination center (the SLA keeps running)')
  returnToCenter(@Param('number') number: string, @Body() dto: ReturnToCenterDto, @Caller() caller: CommandCaller) {
    return this.commands.run(number, 'return-to-center', dto, caller);
  }

  @CommandRoute('refer', 'Coordinator: outside our jurisdiction; the citizen is told which institution to contact')
  refer(@Param('number') number: string, @Body() dto: ReferDto, @Caller() caller: CommandCaller) {
    return this.commands.run(number, 'refer', dto, caller);
  }

  @CommandRoute('reject', 'Coordinator: spam, abusive, or a duplicate merged into another ticket')
  reject(@Param('number') number: string, @Body() dto: RejectDto, @Caller() caller: CommandCaller) {
    return this.commands.run(number, 'reject', dto, caller);
  }

  @CommandRoute('answer', 'Coordinator: answer an information request on the spot')
  answer(@Param('number') number: string, @Body() dto: AnswerDto, @Caller() caller: CommandCaller) {
    return this.commands.run(number, 'answer', dto, caller);
  }

  @CommandRoute('assign-expert', 'Department manager: assign (or reassign) the solution expert')
  assignExpert(@Param('number') number: string, @Body() dto: AssignExpertDto, @Caller() caller: CommandCaller) {
    return this.commands.run(number, 'assign-expert', dto, caller);
  }

  @CommandRoute('request-info', 'Expert (or coordinator in triage): ask the citizen for information; the SLA pauses')
  requestInfo(@Param('number') number: string, @Body() dto: RequestInfoDto, @Caller() caller: CommandCaller) {
    return this.commands.run(number, 'request-info', dto, caller);
  }

  @CommandRoute('info-provided', 'The citizen’s answer (citizen with tracking token, or staff recording it for the citizen, with the channel); the SLA resumes')
  infoProvided(@Param('number') number: string, @Body() dto: InfoProvidedDto, @Caller() caller: CommandCaller) {
    return this.commands.run(number, 'info-provided', dto, caller);
  }

  @CommandRoute('notes', 'Staff: add an internal or citizen-visible note')
  addNote(@Param('number') number: string, @Body() dto: AddNoteDto, @Caller() caller: CommandCaller) {
    return this.commands.run(number, 'notes', dto, caller);
  }

  @CommandRoute('resolution', 'Assigned expert: submit the resolution; it climbs the approval chain')
  resolution(@Param('number') number: string, @Body() dto: ResolutionDto, @Caller() caller: CommandCaller) {
    return this.commands.run(number, 'resolution', dto, caller);
  }

  @CommandRoute('approve', 'Approver of the current level: approve the resolution')
  approve(@Param('number') number: string, @Body() dto: ApproveDto, @Caller() caller: CommandCaller) {
    return this.commands.run(number, 'approve', dto, caller);
  }

  @CommandRoute('reject-resolution', 'Approver of the current level: send the resolution back to the expert with a reason')
  rejectResolution(@Param('number') number: string, @Body() dto: RejectResolutionDto, @Caller() caller: CommandCaller) {
    return this.commands.run(number, 'reject-resolution', dto, caller);
  }

  @CommandRoute('finalize', 'Coordinator: close the approved ticket with a citizen-facing summary; the citizen is texted')
  finalize(@Param('number') number: string, @Body() dto: FinalizeDto, @Caller() caller: CommandCaller) {
    return this.commands.run(number, 'finalize', dto, caller);
  }

  @CommandRoute('reopen', 'Citizen (or the center for a citizen, with the channel): not satisfied, reopen within the window (reason required)')
  reopen(@Param('number') number: string, @Body() dto: ReopenDto, @Caller() caller: CommandCaller) {
    return this.commands.run(number, 'reopen', dto, caller);
  }

  @CommandRoute('withdraw', 'Citizen (or the center for a citizen, with the channel): withdraw the request before it is resolved')
  withdraw(@Param('number') number: string, @Body() dto: WithdrawDto, @Caller() caller: CommandCaller) {
    return this.commands.run(number, 'withdraw', dto, caller);
  }
}
