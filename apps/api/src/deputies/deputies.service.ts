import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DeputiesRepository, OrganisationRepository, type DeputyRow } from '../../../../libs/database/src';
import { ApiErrorCode } from '../common/api-error-code';
import { ApiProblem, badRequest, forbiddenProblem, notFound } from '../common/problem';
import { currentRequestId } from '../common/request-id.middleware';
import type { StaffIdentity } from '../identity/identity';
import type { CreateDeputyDto } from './dto/create-deputy.dto';
import type { DeputyState, DeputyView } from './deputies-views.schema';

/**
 * The longest deputyship (vekalet): long enough for annual leave or a sick leave, short enough
 * that a forgotten one runs out. A longer absence is a new appointment, not a deputy; the
 * database refuses longer rows too (deputies_at_most_90_days_check).
 */
export const MAX_DEPUTY_DAYS = 90;
const DAY_MS = 86_400_000;
/** How far in the past `from` may lie: the clocks of the console and the API differ a little. */
const CLOCK_SLACK_MS = 5 * 60_000;

const iso = (d: Date | string) => new Date(d).toISOString();

function stateOf(row: DeputyRow, now: Date): DeputyState {
  if (row.revokedAt) return 'REVOKED';
  if (new Date(row.validTo) <= now) return 'ENDED';
  return new Date(row.validFrom) <= now ? 'IN_FORCE' : 'SCHEDULED';
}

const view = (row: DeputyRow, now = new Date()): DeputyView => ({
  id: row.id,
  principalId: row.principalId,
  principalName: row.principalName,
  deputyId: row.deputyId,
  deputyName: row.deputyName,
  departmentId: row.departmentId,
  from: iso(row.validFrom),
  to: iso(row.validTo),
  reason: row.reason,
  state: stateOf(row, now),
  createdBy: row.createdBy,
  createdAt: iso(row.createdAt),
  revokedAt: row.revokedAt ? iso(row.revokedAt) : null,
  revokedBy: row.revokedBy,
});

const assertAdmin = (identity: StaffIdentity) => {
  if (!identity.roles.includes('ADMIN')) throw forbiddenProblem('deputies are managed by an ADMIN');
};

const conflict = (code: ApiErrorCode, message: string, extra: Record<string, unknown> = {}) => new ApiProblem(code, message, extra);

/**
 * Deputies (vekalet) for an ADMIN: bounded dates (from now or later, at most MAX_DEPUTY_DAYS),
 * the principal's own department, no overlap with another deputyship of the principal or an
 * absence of the deputy; revocable. Every creation and revocation is written to admin_audit.
 * What a deputy may then do on a ticket is the domain's rule (and never their own resolution,
 * nor two levels of one approval round: libs/domain/src/ticket.policy.ts).
 */
@Injectable()
export class DeputiesService {
  constructor(
    private readonly deputies: DeputiesRepository,
    private readonly organisation: OrganisationRepository,
  ) {}

  async list(identity: StaffIdentity): Promise<DeputyView[]> {
    assertAdmin(identity);
    const now = new Date();
    return (await this.deputies.list()).map((row) => view(row, now));
  }

  async create(identity: StaffIdentity, dto: CreateDeputyDto): Promise<DeputyView> {
    assertAdmin(identity);
    const now = Date.now();
    const from = dto.from === undefined ? new Date(now) : new Date(dto.from);
    const to = new Date(dto.to);
    if (from.getTime() < now - CLOCK_SLACK_MS) throw badRequest('from', 'must not lie in the past');
    if (to.getTime() <= from.getTime()) throw badRequest('to', 'must be after from');
    if (to.getTime() > from.getTime() + MAX_DEPUTY_DAYS * DAY_MS) throw badRequest('to', `must be at most ${MAX_DEPUTY_DAYS} days after from`);

    const [principalId, deputyId] = [dto.principalId.trim(), dto.deputyId.trim()];
    if (principalId === deputyId) throw conflict(ApiErrorCode.DEPUTY_OF_SELF, 'no one stands in for themself');
    const [principal, deputy] = await Promise.all([this.organisation.findActiveStaff(principalId), this.organisation.findActiveStaff(deputyId)]);
    if (!principal) throw notFound(`staff member ${principalId}`);
    if (!deputy) throw notFound(`staff member ${deputyId}`);
    if (principal.departmentId === null || principal.departmentId !== deputy.departmentId) {
      throw conflict(ApiErrorCode.DEPUTY_OTHER_DEPARTMENT, `a deputy works in the department of the one they stand in for (${principal.departmentId ?? 'none'})`, {
        principalDepartmentId: principal.departmentId,
        deputyDepartmentId: deputy.departmentId,
      });
    }

    const created = await this.deputies.createUnlessOverlapping(
      { id: randomUUID(), principalId, deputyId, validFrom: from, validTo: to, reason: dto.reason.trim(), createdBy: identity.id },
      { actorId: identity.id, requestId: currentRequestId() ?? null },
    );
    if ('overlapping' in created) {
      const o = created.overlapping;
      throw conflict(
        ApiErrorCode.DEPUTY_OVERLAP,
        created.whose === 'PRINCIPAL'
          ? `${principalId} has a deputy from ${iso(o.validFrom)} to ${iso(o.validTo)} already`
          : `${deputyId} is away themself from ${iso(o.validFrom)} to ${iso(o.validTo)} (${o.deputyId} stands in for them)`,
        { overlapping: { id: o.id, principalId: o.principalId, deputyId: o.deputyId, from: iso(o.validFrom), to: iso(o.validTo) } },
      );
    }
    return view(created);
  }

  /** Ends the deputyship now (or cancels it before it begins); revoking twice is fine. */
  async revoke(identity: StaffIdentity, id: string): Promise<void> {
    assertAdmin(identity);
    const row = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)
      ? await this.deputies.revoke(id, { actorId: identity.id, requestId: currentRequestId() ?? null })
      : null;
    if (!row) throw notFound(`deputy ${id}`);
  }
}
