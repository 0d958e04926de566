import { PLATFORM_ROLES, type Position, type StaffRole } from './ticket.types';

/**
 * Who may open which ticket, and how much of the citizen's personal data they see. Pure, like the
 * command policy: the API applies it to every read and every list, so a ticket one may not open
 * is a 404 and never appears in a list.
 */

/** A signed-in reader: staff or a platform user, with the positions they stand in for. */
export interface Reader extends Position {
  standsInFor?: Position[];
  /** A muhtar's neighbourhood. */
  neighbourhood?: { district: string; neighbourhood: string } | null;
}

/** What the rules need to know of a ticket (from its projection row). */
export interface TicketAccessFacts {
  departmentId: string | null;
  assigneeId: string | null;
  /** Approvers of the current approval round, every level. */
  approverIds: string[];
  district: string | null;
  neighbourhood: string | null;
  /** The platform user who submitted it, if one did. */
  submittedBy: string | null;
  /** Platform users following it. */
  followerIds: string[];
  /**
   * Staff who issued a command recorded in its history (resolved, approved, rejected, assigned…).
   * They keep reading it after it leaves their department or queue (a reopen sends it back to
   * triage): their own work stays theirs to see. Reading only: commands follow the command policy.
   */
  actorIds: string[];
}

/** The coordination center and the auditors see every ticket. */
const SEES_ALL: readonly StaffRole[] = ['AGENT', 'COORDINATOR', 'AUDITOR', 'ADMIN'];
/** Department roles see the tickets of their department. */
const DEPARTMENT_ROLES: readonly StaffRole[] = ['EXPERT', 'MANAGER', 'APPROVER', 'DEPARTMENT_HEAD'];
/** The coordination center's call takers: they log calls, look callers up and act for a caller. */
const TAKE_CALLS: readonly StaffRole[] = ['AGENT', 'COORDINATOR'];
/** Who reads the requester's full phone number (others see it masked). */
const FULL_PHONE: readonly StaffRole[] = TAKE_CALLS;

const has = (position: Position, roles: readonly StaffRole[]) => position.roles.some((role) => roles.includes(role));
const positionsOf = (reader: Reader): Position[] => [reader, ...(reader.standsInFor ?? [])];

export const isPlatformUser = (reader: Position): boolean => has(reader, PLATFORM_ROLES);

/** The coordination center's call takers (AGENT, COORDINATOR): they speak for a caller. */
export const takesCalls = (position: Pick<Position, 'roles'>): boolean => has(position as Position, TAKE_CALLS);

/** Who may read the ticket: whoever reaches it (below), and the staff who acted on it. */
export function canOpen(reader: Reader, ticket: TicketAccessFacts): boolean {
  return ticket.actorIds.includes(reader.id) || canReach(reader, ticket);
}

/**
 * Who reaches the ticket by role, place, position or following: the gate of every command (the
 * command policy then judges the command itself), and of reading. Acting on a ticket once does not
 * let one command it again after it left one's reach; it only keeps it readable (canOpen).
 */
export function canReach(reader: Reader, ticket: Omit<TicketAccessFacts, 'actorIds'>): boolean {
  if (has(reader, SEES_ALL)) return true;
  if (ticket.submittedBy === reader.id || ticket.followerIds.includes(reader.id)) return true;
  if (reader.roles.includes('MUHTAR') && reader.neighbourhood) {
    const { district, neighbourhood } = reader.neighbourhood;
    if (ticket.district === district && ticket.neighbourhood === neighbourhood) return true;
  }
  const positions = positionsOf(reader);
  if (ticket.assigneeId !== null && positions.some((p) => p.id === ticket.assigneeId)) return true;
  if (positions.some((p) => ticket.approverIds.includes(p.id))) return true;
  return positions.some((p) => has(p, DEPARTMENT_ROLES) && p.departmentId !== null && p.departmentId === ticket.departmentId);
}

/** The requester's full phone: the coordination center and the expert solving the ticket. */
export const seesFullPhone = (reader: Reader, ticket: Pick<TicketAccessFacts, 'assigneeId'>): boolean =>
  has(reader, FULL_PHONE) || (ticket.assigneeId !== null && ticket.assigneeId === reader.id);

/** Internal notes and staff ids stay with staff: never shown to platform users (or citizens). */
export const seesInternalNotes = (reader: Reader): boolean => !isPlatformUser(reader) || has(reader, [...SEES_ALL, ...DEPARTMENT_ROLES]);

/** The requester's name, description and address: staff who may open it, and the submitter. */
export const seesRequester = (reader: Reader, ticket: Pick<TicketAccessFacts, 'submittedBy'>): boolean =>
  !isPlatformUser(reader) || ticket.submittedBy === reader.id;

/** The coordination center and the auditors: every ticket (lists need no scope for them). */
export const seesEveryTicket = (reader: Reader): boolean => has(reader, SEES_ALL);

/** The reader and the colleagues they stand in for today. */
export const positionsOfReader = (reader: Reader): Position[] => positionsOf(reader);

/** Departments whose tickets the reader opens by role (their own, and those of whom they stand in for). */
export const departmentsOfReader = (reader: Reader, roles: readonly StaffRole[] = DEPARTMENT_ROLES): string[] => [
  ...new Set(positionsOf(reader).flatMap((p) => (has(p, roles) && p.departmentId !== null ? [p.departmentId] : []))),
];
