import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AttachmentEntity } from './entities';

/** Advisory lock class of a ticket's attachment count (the ticket id's hash is the second key). */
const COUNT_LOCK = 185185724;
/** Advisory lock of the orphan sweep: one API process sweeps at a time. */
const SWEEP_LOCK = 185185725;

/** An attachment as the lists and the file routes show it: the row, and the name of the staff member who added it. */
export interface AttachmentRow extends AttachmentEntity {
  addedByName: string | null;
}

/** The store keys of a row taken away (its objects are deleted after). */
export interface AttachmentKeys {
  id: string;
  displayKey: string;
  thumbnailKey: string | null;
}

/** An attachment as a data subject's report lists it (no file name, no keys). */
export interface SubjectAttachmentRow {
  id: string;
  ticketId: string;
  kind: AttachmentEntity['kind'];
  mediaType: AttachmentEntity['mediaType'];
  size: number;
  sha256: string;
  addedAt: Date;
  state: 'ATTACHED' | 'REMOVED';
  removedAt: Date | null;
}

const COLUMNS = `a.id, a.ticket_id AS "ticketId", a.kind, a.source, a.media_type AS "mediaType", a.sha256, a.size, a.width, a.height,
  a.display_key AS "displayKey", a.thumbnail_key AS "thumbnailKey", a.file_name AS "fileName", a.added_by_kind AS "addedByKind",
  a.added_by AS "addedBy", a.state, a.created_at AS "createdAt", a.attached_at AS "attachedAt"`;

/**
 * The attachments of tickets (table `attachments`): the only reader and writer of it. A row is
 * inserted PENDING before the ticket's workflow is asked to record the file, becomes ATTACHED
 * once it did, and is taken away again when the workflow refused it or the upload never finished
 * (the sweep). Only ATTACHED rows are ever shown. The KVKK anonymisation of the ticket
 * (personal-data.repository.ts) makes them REMOVED; their objects are deleted after.
 */
@Injectable()
export class AttachmentsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Inserts a PENDING row unless the ticket has `maxPerTicket` attachments already (pending ones
   * count: two uploads at once cannot both take the last place; under a lock per ticket).
   * False when the limit is reached.
   */
  async insertPending(row: Omit<AttachmentEntity, 'state' | 'createdAt' | 'attachedAt'>, maxPerTicket: number): Promise<boolean> {
    return this.dataSource.transaction(async (m) => {
      await m.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [COUNT_LOCK, row.ticketId]);
      const inserted: unknown[] = await m.query(
        `INSERT INTO attachments (id, ticket_id, kind, source, media_type, sha256, size, width, height, display_key, thumbnail_key, file_name, added_by_kind, added_by)
         SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14
          WHERE (SELECT count(*) FROM attachments WHERE ticket_id = $2 AND state <> 'REMOVED') < $15
         RETURNING id`,
        [row.id, row.ticketId, row.kind, row.source, row.mediaType, row.sha256, row.size, row.width, row.height, row.displayKey, row.thumbnailKey, row.fileName, row.addedByKind, row.addedBy, maxPerTicket],
      );
      return inserted.length === 1;
    });
  }

  /** How many attachments the ticket has, pending ones included (a quick refusal before the bytes are processed). */
  async countOf(ticketId: string): Promise<number> {
    const [{ n }] = await this.dataSource.query(`SELECT count(*)::int AS n FROM attachments WHERE ticket_id = $1 AND state <> 'REMOVED'`, [ticketId]);
    return n;
  }

  /** The workflow recorded it: shown from now on. Idempotent (a second call changes nothing). */
  async markAttached(id: string): Promise<void> {
    await this.dataSource.query(`UPDATE attachments SET state = 'ATTACHED', attached_at = now() WHERE id = $1 AND state = 'PENDING'`, [id]);
  }

  /** Takes a PENDING row away (the workflow refused it); its keys, for deleting the objects, or null when there was none. */
  async discardPending(id: string): Promise<AttachmentKeys | null> {
    const [row] = returned<AttachmentKeys>(
      await this.dataSource.query(`DELETE FROM attachments WHERE id = $1 AND state = 'PENDING' RETURNING id, display_key AS "displayKey", thumbnail_key AS "thumbnailKey"`, [id]),
    );
    return row ?? null;
  }

  /** The ticket's ATTACHED attachments, oldest first, with the names of the staff who added them, in one statement. */
  listAttached(ticketId: string): Promise<AttachmentRow[]> {
    return this.dataSource.query(
      `SELECT ${COLUMNS}, s.name AS "addedByName"
         FROM attachments a LEFT JOIN staff s ON a.added_by_kind = 'STAFF' AND s.id = a.added_by
        WHERE a.ticket_id = $1 AND a.state = 'ATTACHED'
        ORDER BY a.created_at, a.id`,
      [ticketId],
    );
  }

  /** One ATTACHED attachment by id (null when there is none, or it is not attached: pending and removed ones do not exist for anyone). */
  async findAttached(id: string): Promise<AttachmentEntity | null> {
    if (!UUID.test(id)) return null;
    const [row] = await this.dataSource.query(`SELECT ${COLUMNS} FROM attachments a WHERE a.id = $1 AND a.state = 'ATTACHED'`, [id]);
    return row ?? null;
  }

  /**
   * The sweep's part in the database, under an advisory lock (null when another process holds it):
   * PENDING rows older than `before` whose ATTACHED audit row exists after all (the API died
   * between the workflow's answer and marking the row) become ATTACHED; the rest are taken away,
   * and their keys returned for the objects to be deleted.
   */
  async sweepPending(before: Date, limit = 500): Promise<{ attached: number; removed: AttachmentKeys[] } | null> {
    return this.dataSource.transaction(async (m) => {
      const [{ locked }] = await m.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [SWEEP_LOCK]);
      if (!locked) return null;
      const attached = returned(
        await m.query(
        `UPDATE attachments a SET state = 'ATTACHED', attached_at = e.at
           FROM ticket_events e
          WHERE a.state = 'PENDING' AND a.created_at < $1
            AND e.ticket_id = a.ticket_id AND e.type = 'ATTACHED' AND e.data->>'attachmentId' = a.id::text
         RETURNING a.id`,
          [before],
        ),
      );
      const removed = returned<AttachmentKeys>(
        await m.query(
          `DELETE FROM attachments WHERE id IN (SELECT id FROM attachments WHERE state = 'PENDING' AND created_at < $1 ORDER BY created_at LIMIT $2)
           RETURNING id, display_key AS "displayKey", thumbnail_key AS "thumbnailKey"`,
          [before, limit],
        ),
      );
      return { attached: attached.length, removed };
    });
  }

  /**
   * REMOVED attachments (the KVKK anonymisation of their ticket) whose stored objects are still to
   * be deleted, oldest removal first: deleteRemovedAttachmentObjects (libs/attachments) deletes
   * them and then calls markObjectsDeleted, so a run that died in between is simply repeated.
   */
  removedWithObjects(limit = 500): Promise<AttachmentKeys[]> {
    return this.dataSource.query(
      `SELECT id, display_key AS "displayKey", thumbnail_key AS "thumbnailKey" FROM attachments
        WHERE state = 'REMOVED' AND objects_deleted_at IS NULL ORDER BY removed_at, id LIMIT $1`,
      [limit],
    );
  }

  /** The stored objects of these REMOVED attachments are gone (idempotent). */
  async markObjectsDeleted(ids: string[]): Promise<void> {
    if (!ids.length) return;
    await this.dataSource.query(`UPDATE attachments SET objects_deleted_at = now() WHERE id = ANY($1::uuid[]) AND state = 'REMOVED' AND objects_deleted_at IS NULL`, [ids]);
  }

  /**
   * The attachments of these tickets for a data subject's report: the ATTACHED ones and the
   * REMOVED ones (with when), oldest first; pending uploads were never shown and are not listed.
   */
  ofTickets(ticketIds: string[]): Promise<SubjectAttachmentRow[]> {
    if (!ticketIds.length) return Promise.resolve([]);
    return this.dataSource.query(
      `SELECT a.id, a.ticket_id AS "ticketId", a.kind, a.media_type AS "mediaType", a.size, a.sha256,
              COALESCE(a.attached_at, a.created_at) AS "addedAt", a.state, a.removed_at AS "removedAt"
         FROM attachments a
        WHERE a.ticket_id = ANY($1::uuid[]) AND a.state <> 'PENDING'
        ORDER BY a.created_at, a.id`,
      [ticketIds],
    );
  }

  /** Which of these ids have a row that is not removed (the sweep deletes stored objects of any other id). */
  async knownIds(ids: string[]): Promise<Set<string>> {
    const valid = ids.filter((id) => UUID.test(id));
    if (!valid.length) return new Set();
    const rows: { id: string }[] = await this.dataSource.query(`SELECT id FROM attachments WHERE id = ANY($1::uuid[]) AND state <> 'REMOVED'`, [valid]);
    return new Set(rows.map((r) => r.id));
  }
}

/** The rows of a RETURNING clause: TypeORM answers an UPDATE or DELETE with [rows, count], an INSERT or SELECT with the rows. */
function returned<T = unknown>(result: unknown): T[] {
  return (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number' ? result[0] : result) as T[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
