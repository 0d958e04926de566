import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Position, StaffRole } from '../../domain/src';

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

export interface OidcLink {
  issuer: string;
  subject: string;
}

/** One link or unlink, as the append-only log keeps it. */
export interface OidcLinkEvent {
  action: 'LINKED' | 'UNLINKED';
  issuer: string;
  subject: string;
  by: string;
  requestId: string | null;
  at: string;
}

export type LinkResult = { ok: true; changed: boolean } | { ok: false; reason: 'NO_SUCH_STAFF' | 'LINKED_ELSEWHERE' };

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
/** The columns of an account (`StaffAccount`) from alias `s`, its deputyships in force read at the statement's `now()`. */
export const ACCOUNT_COLUMNS = `s.id, s.name, s.roles, s.department_id AS "departmentId", s.branch_id AS "branchId",
  s.approval_level AS "approvalLevel", s.district, s.neighbourhood,
  (SELECT coalesce(json_agg(json_build_object('id', p.id, 'roles', p.roles, 'departmentId', p.department_id) ORDER BY p.id), '[]')
     FROM deputies x JOIN staff p ON p.id = x.principal_id
    WHERE x.deputy_id = s.id AND x.valid_from <= now() AND x.valid_to > now() AND x.revoked_at IS NULL AND p.active
      AND p.department_id = s.department_id) AS "standsInFor"`;

/** What a verified access token names: a Teksin session, or the external issuer's account (iss, sub). */
export type AccountKey = { staffId: string; sessionId: string } | { issuer: string; subject: string };

/**
 * `FROM … WHERE …` of the active account a key names (alias `s`), with its session live when the
 * key has one: the statement behind every authenticated request, and the access read of a
 * command (tickets.repository.ts) folds it into the ticket's. `param` places each value.
 */
export function accountFrom(key: AccountKey, param: (value: unknown) => string): string {
  return 'sessionId' in key
    ? `FROM staff s JOIN sessions x ON x.staff_id = s.id WHERE s.id = ${param(key.staffId)} AND x.id = ${param(key.sessionId)} AND x.revoked_at IS NULL AND s.active`
    : `FROM staff s WHERE s.oidc_issuer = ${param(key.issuer)} AND s.oidc_subject = ${param(key.subject)} AND s.active`;
}

/**
 * The staff aggregate (table `staff`, the deputies as they bear on identity, the OIDC links and
 * their log `staff_oidc_link_events`): the accounts behind identities, where only active rows ever
 * authenticate. One query per authenticated request: the account, joined with its session when
 * the token has one.
 */
@Injectable()
export class StaffRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The account and its password hash, for sign-in; null when there is no such active account. */
  async forSignIn(username: string): Promise<(StaffAccount & { passwordHash: string | null }) | null> {
    const [row] = await this.dataSource.query(`SELECT ${ACCOUNT_COLUMNS}, s.password_hash AS "passwordHash" FROM staff s WHERE s.id = $1 AND s.active`, [username]);
    return row ?? null;
  }

  /** The active account holding a live (not revoked) session. */
  async withLiveSession(staffId: string, sessionId: string): Promise<StaffAccount | null> {
    return this.byKey({ staffId, sessionId });
  }

  /** The active account a verified token names (its session live), or null. */
  async byKey(key: AccountKey): Promise<StaffAccount | null> {
    const params: unknown[] = [];
    const [row] = await this.dataSource.query(`SELECT ${ACCOUNT_COLUMNS} ${accountFrom(key, (v) => `$${params.push(v)}`)}`, params);
    return row ?? null;
  }

  async active(staffId: string): Promise<StaffAccount | null> {
    const [row] = await this.dataSource.query(`SELECT ${ACCOUNT_COLUMNS} FROM staff s WHERE s.id = $1 AND s.active`, [staffId]);
    return row ?? null;
  }

  /** The active account an ADMIN linked to the external issuer's account (iss, sub); null when none is. */
  activeByOidcSubject(issuer: string, subject: string): Promise<StaffAccount | null> {
    return this.byKey({ issuer, subject });
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

  /** The staff member's link (null when none), or undefined when there is no such staff row. */
  async linkOf(staffId: string): Promise<OidcLink | null | undefined> {
    const [row] = await this.dataSource.query(`SELECT oidc_issuer AS issuer, oidc_subject AS subject FROM staff WHERE id = $1`, [staffId]);
    if (!row) return undefined;
    return row.issuer ? { issuer: row.issuer, subject: row.subject } : null;
  }

  async events(staffId: string): Promise<OidcLinkEvent[]> {
    const rows: (Omit<OidcLinkEvent, 'at'> & { at: Date })[] = await this.dataSource.query(
      `SELECT action, issuer, subject, by_staff_id AS by, request_id AS "requestId", at FROM staff_oidc_link_events WHERE staff_id = $1 ORDER BY at, id`,
      [staffId],
    );
    return rows.map((r) => ({ ...r, at: new Date(r.at).toISOString() }));
  }

  /** Links (or re-links) the staff member to the account; a link it replaces is logged as unlinked. */
  async link(staffId: string, link: OidcLink, by: string, requestId: string | null): Promise<LinkResult> {
    try {
      return await this.dataSource.transaction(async (m) => {
        const [row] = await m.query(`SELECT oidc_issuer AS issuer, oidc_subject AS subject FROM staff WHERE id = $1 FOR UPDATE`, [staffId]);
        if (!row) return { ok: false, reason: 'NO_SUCH_STAFF' } as const;
        if (row.issuer === link.issuer && row.subject === link.subject) return { ok: true, changed: false } as const;
        const [taken] = await m.query(`SELECT id FROM staff WHERE oidc_issuer = $1 AND oidc_subject = $2 AND id <> $3`, [link.issuer, link.subject, staffId]);
        if (taken) return { ok: false, reason: 'LINKED_ELSEWHERE' } as const;
        if (row.issuer) await logEvent(m.query.bind(m), staffId, 'UNLINKED', row, by, requestId);
        await m.query(`UPDATE staff SET oidc_issuer = $2, oidc_subject = $3 WHERE id = $1`, [staffId, link.issuer, link.subject]);
        await logEvent(m.query.bind(m), staffId, 'LINKED', link, by, requestId);
        return { ok: true, changed: true } as const;
      });
    } catch (error) {
      // Two admins linking one account to two people at once: the unique index lets one win.
      if ((error as { driverError?: { code?: string } }).driverError?.code === '23505') return { ok: false, reason: 'LINKED_ELSEWHERE' };
      throw error;
    }
  }

  /** Removes the staff member's link, if any (logged); false when there is no such staff row. */
  async unlink(staffId: string, by: string, requestId: string | null): Promise<boolean> {
    return this.dataSource.transaction(async (m) => {
      const [row] = await m.query(`SELECT oidc_issuer AS issuer, oidc_subject AS subject FROM staff WHERE id = $1 FOR UPDATE`, [staffId]);
      if (!row) return false;
      if (!row.issuer) return true;
      await m.query(`UPDATE staff SET oidc_issuer = NULL, oidc_subject = NULL WHERE id = $1`, [staffId]);
      await logEvent(m.query.bind(m), staffId, 'UNLINKED', row, by, requestId);
      return true;
    });
  }
}

function logEvent(query: (sql: string, params: unknown[]) => Promise<unknown>, staffId: string, action: OidcLinkEvent['action'], link: OidcLink, by: string, requestId: string | null) {
  return query(`INSERT INTO staff_oidc_link_events (staff_id, action, issuer, subject, by_staff_id, request_id) VALUES ($1, $2, $3, $4, $5, $6)`, [staffId, action, link.issuer, link.subject, by, requestId]);
}
