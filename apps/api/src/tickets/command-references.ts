import type { CommandRead, ReferenceKind } from '../../../../libs/database/src/tickets.repository';
import { ApiErrorCode } from '../common/api-error-code';
import { ApiProblem, type FieldError } from '../common/problem';

/** What a command learns from the references it names (today: the expert's department). */
export interface ReferenceFacts {
  expertDepartmentId?: string;
}

/** The references a body names, by field, for the command's access read to look up with the ticket (no statement of their own). */
export function referencesOf(refs: Partial<Record<string, ReferenceKind>>, body: object): Record<string, { kind: ReferenceKind; value: string }> {
  const wanted: Record<string, { kind: ReferenceKind; value: string }> = {};
  for (const [field, kind] of Object.entries(refs)) {
    const value = (body as Record<string, unknown>)[field];
    if (typeof value === 'string' && kind) wanted[field] = { kind, value }; // absent optional field; validation checked the type
  }
  return wanted;
}

/**
 * Judges the references a command's body names, as the access read found them, before the
 * command is sent: a typo is the caller's mistake, a 400 naming each wrong field (the workflow
 * would only say "not found").
 */
export function checkReferences(refs: Partial<Record<string, ReferenceKind>>, body: object, found: CommandRead['references']): ReferenceFacts {
  const facts: ReferenceFacts = {};
  const errors: FieldError[] = [];
  for (const [field, { kind, value }] of Object.entries(referencesOf(refs, body))) {
    const row = found[field] ?? null;
    if (row === null) {
      errors.push({ field, messages: [UNKNOWN[kind](value)] });
      continue;
    }
    if (kind === 'expert') facts.expertDepartmentId = (row.departmentId as string | null) ?? '';
  }
  if (errors.length) {
    throw new ApiProblem(ApiErrorCode.VALIDATION_FAILED, errors.map((e) => `${e.field}: ${e.messages[0]}`).join('; '), { errors });
  }
  return facts;
}

/** What is wrong with a reference the organisation (or the tickets) know nothing by. */
const UNKNOWN: Record<ReferenceKind, (value: string) => string> = {
  department: (value) => `unknown department "${value}" (see GET /departments)`,
  category: (value) => `unknown category "${value}" (see GET /categories)`,
  institution: (value) => `unknown institution "${value}" (see GET /institutions)`,
  expert: (value) => `"${value}" is not an active expert`,
  ticket: (value) => `ticket ${value} does not exist`,
};
