import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

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

/**
 * The external identity provider's account linked to a staff row (`staff.oidc_issuer`,
 * `staff.oidc_subject`) and the log of every change (`staff_oidc_link_events`, append-only for
 * the application role): the change and its log row are written in one transaction.
 */
@Injectable()
export class OidcLinksRepository {
  constructor(private readonly dataSource: DataSource) {}

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
