import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { DeputyEntity } from './entities';

/** A deputyship (vekalet) with the names of both people, as the administration lists it. */
export interface DeputyRow {
  id: string;
  principalId: string;
  principalName: string;
  deputyId: string;
  deputyName: string;
  departmentId: string | null;
  validFrom: Date;
  validTo: Date;
  reason: string;
  createdBy: string;
  createdAt: Date;
  revokedAt: Date | null;
  revokedBy: string | null;
}

/** Who asked for an administration action, for its `admin_audit` row. */
export interface AdminActor {
  actorId: string;
  requestId: string | null;
}

/** The deputyships that would overlap a new one: the principal's own, and any of the deputy's as an absent principal. */
export type DeputyOverlap = { overlapping: DeputyRow; whose: 'PRINCIPAL' | 'DEPUTY' };

const ROW_SQL = `SELECT x.id, x.principal_id AS "principalId", p.name AS "principalName", x.deputy_id AS "deputyId", d.name AS "deputyName",
    p.department_id AS "departmentId", x.valid_from AS "validFrom", x.valid_to AS "validTo", x.reason, x.created_by AS "createdBy",
    x.created_at AS "createdAt", x.revoked_at AS "revokedAt", x.revoked_by AS "revokedBy"
  FROM deputies x JOIN staff p ON p.id = x.principal_id JOIN staff d ON d.id = x.deputy_id`;

/** Deputy writes take turns (a handful a day): the overlap check and the insert are one step. */
const DEPUTIES_LOCK_SQL = `SELECT pg_advisory_xact_lock(hashtext('teksin:deputies'))`;

/**
 * The deputies table (vekalet) for the administration routes: list, create unless it overlaps,
 * revoke. Each change and its `admin_audit` row are written in one transaction. (Who stands in
 * for whom *now* is read with the account, in libs/database/src/staff.repository.ts.)
 */
@Injectable()
export class DeputiesRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Every deputyship, newest first (revoked and ended ones too). */
  list(): Promise<DeputyRow[]> {
    return this.dataSource.query(`${ROW_SQL} ORDER BY x.created_at DESC, x.id`);
  }

  async find(id: string, m: EntityManager = this.dataSource.manager): Promise<DeputyRow | null> {
    const [row] = await m.query(`${ROW_SQL} WHERE x.id = $1`, [id]);
    return row ?? null;
  }

  /**
   * Inserts the deputyship and its DEPUTY_CREATED audit row, unless a live (not revoked)
   * deputyship of the principal overlaps its dates, or the deputy is away themself then (has a
   * deputy of their own): then nothing is written and the overlapping row is returned.
   */
  async createUnlessOverlapping(row: Omit<DeputyEntity, 'createdAt' | 'revokedAt' | 'revokedBy'>, by: AdminActor): Promise<DeputyRow | DeputyOverlap> {
    return this.dataSource.transaction(async (m) => {
      await m.query(DEPUTIES_LOCK_SQL);
      const [overlapping] = await m.query(
        `${ROW_SQL} WHERE x.principal_id IN ($1, $2) AND x.revoked_at IS NULL AND x.valid_from < $4 AND x.valid_to > $3
          ORDER BY (x.principal_id = $1) DESC, x.valid_from LIMIT 1`,
        [row.principalId, row.deputyId, row.validFrom, row.validTo],
      );
      if (overlapping) return { overlapping, whose: overlapping.principalId === row.principalId ? 'PRINCIPAL' : 'DEPUTY' } satisfies DeputyOverlap;
      await m.getRepository(DeputyEntity).insert({ ...row, revokedAt: null, revokedBy: null });
      await this.audit(m, by, 'DEPUTY_CREATED', row.id, {
        principalId: row.principalId,
        deputyId: row.deputyId,
        validFrom: row.validFrom.toISOString(),
        validTo: row.validTo.toISOString(),
      });
      return (await this.find(row.id, m))!;
    });
  }

  /** Revokes a live deputyship with its DEPUTY_REVOKED audit row; null when there is no such row, unchanged when it was revoked already. */
  async revoke(id: string, by: AdminActor): Promise<DeputyRow | null> {
    return this.dataSource.transaction(async (m) => {
      await m.query(DEPUTIES_LOCK_SQL);
      const row = await this.find(id, m);
      if (!row || row.revokedAt) return row;
      await m.query(`UPDATE deputies SET revoked_at = now(), revoked_by = $2 WHERE id = $1`, [id, by.actorId]);
      await this.audit(m, by, 'DEPUTY_REVOKED', id, { principalId: row.principalId, deputyId: row.deputyId });
      return this.find(id, m);
    });
  }

  private async audit(m: EntityManager, by: AdminActor, action: string, subjectId: string, details: Record<string, unknown>): Promise<void> {
    await m.query(`INSERT INTO admin_audit (actor_id, action, subject_type, subject_id, details, request_id) VALUES ($1, $2, 'deputy', $3, $4, $5)`, [
      by.actorId,
      action,
      subjectId,
      JSON.stringify(details),
      by.requestId,
    ]);
  }
}
