import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Position, StaffRole } from '../../../../libs/domain/src';

/** What sign-in and every authenticated request need of an account. */
export interface StaffAccount {
  id: string;
  name: string;
  roles: StaffRole[];
  departmentId: string | null;
  branchId: string | null;
  approvalLevel: number | null;
  district: string | null;
  neighbourhood: string | null;
  /** The absent colleagues this account stands in for right now (deputies in force). */
  standsInFor: Position[];
}

export interface StaffProfile extends StaffAccount {
  departmentName: string | null;
  branchName: string | null;
}

/** A vekalet in force, seen from one side. */
export interface DeputyInForce {
  id: string;
  principalId: string;
  principalName: string;
  deputyId: string;
  deputyName: string;
  from: string;
  to: string;
  reason: string;
  createdBy: string;
}

/**
 * A deputyship is in force from valid_from (inclusive) to valid_to (exclusive), unless revoked,
 * and only while both work in the same department (the rule the administration route checks
 * when it is made holds every day after too: someone who moved department stands in for no one).
 */
const ACCOUNT_COLUMNS = `s.id, s.name, s.roles, s.department_id AS "departmentId", s.branch_id AS "branchId",
  s.approval_level AS "approvalLevel", s.district, s.neighbourhood,
  (SELECT coalesce(json_agg(json_build_object('id', p.id, 'roles', p.roles, 'departmentId', p.department_id) ORDER BY p.id), '[]')
     FROM deputies x JOIN staff p ON p.id = x.principal_id
    WHERE x.deputy_id = s.id AND x.valid_from <= now() AND x.valid_to > now() AND x.revoked_at IS NULL AND p.active
      AND p.department_id = s.department_id) AS "standsInFor"`;

/**
 * The accounts behind identities (table `staff`): only active rows ever authenticate. One query
 * per authenticated request: the account, joined with its session when the token has one.
 */
@Injectable()
export class StaffAccountsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The account and its password hash, for sign-in; null when there is no such active account. */
  async forSignIn(username: string): Promise<(StaffAccount & { passwordHash: string | null }) | null> {
    const [row] = await this.dataSource.query(`SELECT ${ACCOUNT_COLUMNS}, s.password_hash AS "passwordHash" FROM staff s WHERE s.id = $1 AND s.active`, [username]);
    return row ?? null;
  }

  /** The active account holding a live (not revoked) session. */
  async withLiveSession(staffId: string, sessionId: string): Promise<StaffAccount | null> {
    const [row] = await this.dataSource.query(
      `SELECT ${ACCOUNT_COLUMNS} FROM staff s JOIN sessions x ON x.staff_id = s.id
        WHERE s.id = $1 AND x.id = $2 AND x.revoked_at IS NULL AND s.active`,
      [staffId, sessionId],
    );
    return row ?? null;
  }

  async active(staffId: string): Promise<StaffAccount | null> {
    const [row] = await this.dataSource.query(`SELECT ${ACCOUNT_COLUMNS} FROM staff s WHERE s.id = $1 AND s.active`, [staffId]);
    return row ?? null;
  }

  /** The active account an ADMIN linked to the external issuer's account (iss, sub); null when none is. */
  async activeByOidcSubject(issuer: string, subject: string): Promise<StaffAccount | null> {
    const [row] = await this.dataSource.query(`SELECT ${ACCOUNT_COLUMNS} FROM staff s WHERE s.oidc_issuer = $1 AND s.oidc_subject = $2 AND s.active`, [issuer, subject]);
    return row ?? null;
  }

  async profile(staffId: string): Promise<StaffProfile | null> {
    const [row] = await this.dataSource.query(
      `SELECT ${ACCOUNT_COLUMNS}, d.name AS "departmentName", b.name AS "branchName"
         FROM staff s LEFT JOIN departments d ON d.id = s.department_id LEFT JOIN branches b ON b.id = s.branch_id
        WHERE s.id = $1 AND s.active`,
      [staffId],
    );
    return row ?? null;
  }

  /** Deputies in force at `now` where the staff member is the deputy or the principal. */
  async deputiesInForce(staffId: string, now: Date): Promise<DeputyInForce[]> {
    const rows: (Omit<DeputyInForce, 'from' | 'to'> & { from: Date; to: Date })[] = await this.dataSource.query(
      `SELECT x.id, x.principal_id AS "principalId", p.name AS "principalName", x.deputy_id AS "deputyId", d.name AS "deputyName",
              x.valid_from AS "from", x.valid_to AS "to", x.reason, x.created_by AS "createdBy"
         FROM deputies x JOIN staff p ON p.id = x.principal_id JOIN staff d ON d.id = x.deputy_id
        WHERE (x.deputy_id = $1 OR x.principal_id = $1) AND x.valid_from <= $2 AND x.valid_to > $2 AND x.revoked_at IS NULL
          AND p.active AND d.active AND p.department_id = d.department_id
        ORDER BY x.valid_from, x.id`,
      [staffId, now],
    );
    return rows.map((r) => ({ ...r, from: new Date(r.from).toISOString(), to: new Date(r.to).toISOString() }));
  }
}
