import type { ExternalCommandType } from '../../../../libs/domain/src';
import type { CommandArgs } from '../../../../workflows/ticket.messages';
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
import type { TextKind } from './ticket-text.kinds';

/** A reference a body field names; looked up with the ticket and checked before the command is sent (400 naming the field when unknown). */
export type { ReferenceKind } from '../../../../libs/database/src/tickets.repository';
import type { ReferenceKind } from '../../../../libs/database/src/tickets.repository';

/**
 * Who may call a route at all (the workflow then decides who may do what in which state):
 * staff, the citizen with the ticket's tracking token, or either — the citizen's own command,
 * which staff send on the citizen's behalf with the body's `channel` as the command's `via`
 * (default CALL_CENTER: a caller on ALO 185).
 */
export type RouteCallers = 'STAFF' | 'CITIZEN' | 'CITIZEN_OR_STAFF';

/** The channel staff record when the body names none: the citizen called the center. */
export const DEFAULT_ON_BEHALF_CHANNEL = 'CALL_CENTER' as const;

/** The command's argument that carries a stored text's id. */
type RefArg<K extends ExternalCommandType> = Extract<keyof CommandArgs<K>, `${string}Ref`>;

/** A text's kind: fixed, or chosen by another body field's value (a note's visibility), with the kind when that field is left out. */
export type KindSpec<D> = TextKind | { by: keyof D & string; kinds: Record<string, TextKind>; absent?: TextKind };

/** An answer to the citizen is for the citizen alone unless staff make it PUBLIC (then Open311 publishes it). */
const answerKinds = <D>(by: keyof D & string, citizen: TextKind, published: TextKind): KindSpec<D> => ({ by, kinds: { CITIZEN: citizen, PUBLIC: published }, absent: citizen });

/** Body field → [command argument holding the stored text's id, kind of text]. */
export type TextMap<K extends ExternalCommandType, D> = { [F in keyof D]?: readonly [RefArg<K>, KindSpec<D>] };

export interface CommandRoute<K extends ExternalCommandType = ExternalCommandType, D extends object = object, T extends TextMap<K, D> = TextMap<K, D>> {
  command: K;
  /** The body's class: validation, OpenAPI, and the type `run` accepts for this route. */
  dto: new () => D;
  callers: RouteCallers;
  /** Free-text fields: stored in ticket_texts; the command carries only their ids. */
  texts?: T;
  /** Fields naming something that must exist. An expert also gives the command its `expertDepartmentId`. */
  refs?: { [F in keyof D]?: ReferenceKind };
}

/** Body fields that are neither texts nor `channel` go to the command as they are, so they must be its arguments. */
type PlainFields<D, T> = Omit<D, keyof T | 'channel'>;
type FieldsAreArgs<K extends ExternalCommandType, D, T> = PlainFields<D, T> extends Partial<CommandArgs<K>> ? unknown : { error: 'a body field that is not a text must be an argument of the command' };

/** A route staff may call for the citizen sends `via`, so its command must take it. */
type OnBehalfTakesVia<K extends ExternalCommandType, C> = C extends 'CITIZEN_OR_STAFF'
  ? 'via' extends keyof CommandArgs<K> ? unknown : { error: 'a route staff call on the citizen’s behalf needs a command that takes via' }
  : unknown;

/** Declares one route, checked against the command's arguments at compile time. */
const route = <K extends ExternalCommandType, D extends object, C extends RouteCallers, T extends TextMap<K, D> = {}>(
  spec: CommandRoute<K, D, T> & { callers: C } & FieldsAreArgs<K, D, T> & OnBehalfTakesVia<K, C>,
) => spec as CommandRoute<K, D, T>;

/**
 * Every ticket command over HTTP: `POST /tickets/:number/<route>` → the Workflow Update
 * `command`. Route names are the command's name in kebab-case, except where said.
 */
export const COMMAND_ROUTES = {
  'assign-department': route({
    command: 'assignDepartment',
    dto: AssignDepartmentDto,
    callers: 'STAFF',
    texts: { note: ['noteRef', 'TRIAGE_NOTE'] },
    refs: { departmentId: 'department', category: 'category' },
  }),
  // Moves a ticket that is already in a department; same fields and checks as assigning it.
  'reassign-department': route({
    command: 'reassignDepartment',
    dto: ReassignDepartmentDto,
    callers: 'STAFF',
    texts: { note: ['noteRef', 'TRIAGE_NOTE'] },
    refs: { departmentId: 'department', category: 'category' },
  }),
  'return-to-center': route({ command: 'returnToCenter', dto: ReturnToCenterDto, callers: 'STAFF', texts: { reason: ['reasonRef', 'RETURN_REASON'] } }),
  refer: route({ command: 'refer', dto: ReferDto, callers: 'STAFF', texts: { note: ['noteRef', 'REFERRAL_NOTE'] }, refs: { institutionId: 'institution' } }),
  reject: route({ command: 'reject', dto: RejectDto, callers: 'STAFF', texts: { note: ['noteRef', 'REJECT_NOTE'] }, refs: { duplicateOf: 'ticket' } }),
  // The citizen-facing word: staff "answer" a request; the rules call it answering directly (from triage).
  answer: route({ command: 'answerDirectly', dto: AnswerDto, callers: 'STAFF', texts: { answer: ['answerRef', answerKinds<AnswerDto>('visibility', 'ANSWER', 'ANSWER_PUBLIC')] } }),
  'assign-expert': route({ command: 'assignExpert', dto: AssignExpertDto, callers: 'STAFF', refs: { expertId: 'expert' } }),
  // Short route for requestCitizenInfo: the citizen is implied.
  'request-info': route({ command: 'requestCitizenInfo', dto: RequestInfoDto, callers: 'STAFF', texts: { question: ['questionRef', 'QUESTION'] } }),
  // The citizen's answer (or staff recording it from a phone call).
  'info-provided': route({ command: 'citizenInfoProvided', dto: InfoProvidedDto, callers: 'CITIZEN_OR_STAFF', texts: { answer: ['answerRef', 'CITIZEN_ANSWER'] } }),
  // A collection-style route: POST adds one note.
  notes: route({
    command: 'addNote',
    dto: AddNoteDto,
    callers: 'STAFF',
    texts: { text: ['textRef', { by: 'visibility', kinds: { CITIZEN: 'NOTE_CITIZEN', INTERNAL: 'NOTE_INTERNAL' } }] },
  }),
  // The thing submitted, not the verb: POST .../resolution submits it.
  resolution: route({ command: 'submitResolution', dto: ResolutionDto, callers: 'STAFF', texts: { text: ['textRef', 'RESOLUTION'] } }),
  approve: route({ command: 'approve', dto: ApproveDto, callers: 'STAFF', texts: { note: ['noteRef', 'APPROVAL_NOTE'] } }),
  'reject-resolution': route({ command: 'rejectResolution', dto: RejectResolutionDto, callers: 'STAFF', texts: { reason: ['reasonRef', 'REJECTION_REASON'] } }),
  finalize: route({ command: 'finalize', dto: FinalizeDto, callers: 'STAFF', texts: { summary: ['summaryRef', answerKinds<FinalizeDto>('visibility', 'SUMMARY', 'SUMMARY_PUBLIC')] } }),
  reopen: route({ command: 'reopen', dto: ReopenDto, callers: 'CITIZEN_OR_STAFF', texts: { reason: ['reasonRef', 'REOPEN_REASON'] } }),
  withdraw: route({ command: 'withdraw', dto: WithdrawDto, callers: 'CITIZEN_OR_STAFF' }),
} as const;

export type CommandRouteName = keyof typeof COMMAND_ROUTES;
export type RouteDto<R extends CommandRouteName> = InstanceType<(typeof COMMAND_ROUTES)[R]['dto']>;
export type RouteCommand<R extends CommandRouteName> = (typeof COMMAND_ROUTES)[R]['command'];

/** The kind of a text field's row, given the body (a note's kind follows its visibility). */
export function textKind<D>(spec: KindSpec<D>, dto: D): TextKind {
  if (typeof spec === 'string') return spec;
  if (dto[spec.by] === undefined && spec.absent) return spec.absent;
  const kind = spec.kinds[String(dto[spec.by])];
  if (!kind) throw new Error(`no text kind for ${spec.by}=${String(dto[spec.by])}`);
  return kind;
}
