import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { ATTACHMENT_STORE, DirectoryAttachmentStore, S3AttachmentStore, type AttachmentStore } from '../libs/attachments/src';
import { RETENTION_SCHEDULE_ID } from '../apps/worker/src/retention-schedule';
import { AttachmentSweeper } from '../apps/api/src/attachments/attachment-sweeper.service';
import { startSeaweedFs, type SeaweedFsServer } from './support/seaweedfs';
import { startTestStack, type TestStack } from './support/test-stack';
import { signedIn, STAFF, TicketDriver, type CreatedTicket } from './support/ticket-driver';
import { waitFor } from './support/wait-for';

/*
 * KVKK for attachments (issue 21), against the real API, worker, PostgreSQL and Temporal, once
 * with the directory store and once with the S3 store on a SeaweedFS started here: a ticket's
 * photos follow its retention (the retention schedule's run makes them REMOVED and deletes the
 * stored objects, recorded in the erasure), appear in the data-subject report, and go with a data
 * subject's erasure; a crash between the statement and the deletes is finished by the sweep.
 * Objects are checked through a store of the suite's own (a second client on the same bucket, or
 * the same directory), not the API's.
 */
interface StoreUnderTest {
  env: Record<string, string>;
  /** The suite's own view of the same store. */
  check: AttachmentStore;
  /** The store the API and worker must have built. */
  kind: new (...args: never[]) => AttachmentStore;
  stop(): Promise<void>;
}

const photo = () => sharp({ create: { width: 640, height: 480, channels: 3, background: '#3a6' } }).jpeg({ quality: 80 }).toBuffer();

function describeAttachmentKvkk(name: string, phoneDigit: number, setUp: () => Promise<StoreUnderTest>) {
  describe(`attachments and KVKK: ${name}`, () => {
    let stack: TestStack;
    let t: TicketDriver;
    let under: StoreUnderTest;

    beforeAll(async () => {
      under = await setUp();
      stack = await startTestStack({ env: under.env });
      t = new TicketDriver(stack);
    }, 120_000);
    afterAll(async () => {
      await stack?.close();
      await under?.stop();
    }, 60_000);

    const phone = (n: number) => `0532 47${phoneDigit} 6${n} 2${n}`;
    const e164 = (n: number) => `+90532 47${phoneDigit} 6${n} 2${n}`.replace(/ /g, '');
    const auditor = () => stack.bearer(STAFF.auditor);

    /** A ticket of the phone with the center's intake photo, closed (referred). */
    const closedWithPhoto = async (n: number): Promise<{ ticket: CreatedTicket; attachment: Record<string, any> }> => {
      const ticket = await t.create({ requester: { name: `Foto Sahibi${n}`, phone: phone(n) }, category: 'OTHER' });
      const bytes = await photo();
      const res = await signedIn(stack, STAFF.agent, (http) =>
        http.post(`/tickets/${ticket.number}/attachments`).field('kind', 'INTAKE').attach('file', bytes, { filename: `evim-${n}.jpg`, contentType: 'image/jpeg' }),
      ).expect(201);
      await t.staff(STAFF.coordinator, ticket.number, 'refer', { institutionId: 'toroslar-edas' }).expect(200);
      await stack.client.workflow.getHandle(`ticket-${ticket.number}`).result();
      return { ticket, attachment: res.body };
    };
    const keysOf = async (id: string) => {
      const keys: string[] = [];
      for await (const object of under.check.list(`${id}/`)) keys.push(object.key);
      return keys.sort();
    };
    const rowOf = async (id: string) => (await stack.db.query(`SELECT * FROM attachments WHERE id = $1`, [id]))[0];
    const fetchDisplay = (id: string) => t.read(STAFF.coordinator, `/attachments/${id}/display`);

    it('the API uses the configured store (the worker’s own deletes the objects in the retention test below)', () => {
      expect(stack.api.get(ATTACHMENT_STORE)).toBeInstanceOf(under.kind);
    });

    it('retention removes a ticket’s photos with its personal data: objects deleted, row REMOVED, the erasure recorded; the report listed them before, the audit chain still names them', async () => {
      const { ticket, attachment } = await closedWithPhoto(1);
      const id: string = attachment.id;
      expect(await keysOf(id)).toEqual([`${id}/display.jpg`, `${id}/thumbnail.jpg`]);
      const before = await rowOf(id);
      expect(before).toMatchObject({ state: 'ATTACHED', file_name: 'evim-1.jpg', removed_at: null });

      // A citizen's access request covers the files.
      const report = (await stack.http.get('/audit/subjects').query({ phone: phone(1) }).set('Authorization', await auditor()).expect(200)).body;
      expect(report.tickets).toEqual([
        expect.objectContaining({
          number: ticket.number,
          attachments: [{ id, kind: 'INTAKE', mediaType: 'image/jpeg', size: attachment.size, sha256: attachment.sha256, addedAt: expect.any(String), state: 'ATTACHED', removedAt: null }],
        }),
      ]);

      await stack.db.query(`UPDATE tickets SET closed_at = now() - interval '731 days', resolved_at = NULL WHERE id = $1`, [ticket.id]);
      const triggered = new Date();
      await stack.client.schedule.getHandle(RETENTION_SCHEDULE_ID).trigger();
      await waitFor(async () => ((await rowOf(id)).objects_deleted_at ? true : null), { what: 'the retention run deleting the photo', timeoutMs: 60_000 });

      const [erasure] = await stack.db.query(`SELECT * FROM data_erasures WHERE kind = 'RETENTION' AND at >= $1 AND $2 = ANY(ticket_ids)`, [triggered, ticket.id]);
      expect(erasure.attachment_ids).toContain(id);
      expect(erasure.attachments).toBeGreaterThanOrEqual(1);
      // The objects are gone from the store itself.
      expect(await keysOf(id)).toEqual([]);
      expect(await under.check.get(`${id}/display.jpg`)).toBeNull();
      expect(await under.check.get(`${id}/thumbnail.jpg`)).toBeNull();
      // The row keeps what the audit chain needs, without the sender's file name.
      const after = await rowOf(id);
      expect(after).toMatchObject({ state: 'REMOVED', file_name: null, sha256: before.sha256, kind: 'INTAKE', size: before.size, media_type: 'image/jpeg' });
      expect(after.removed_at).not.toBeNull();
      // Nobody fetches or lists it any more.
      await fetchDisplay(id).expect(404);
      await stack.http.get(attachment.displayUrl).expect(404);
      expect((await t.read(STAFF.coordinator, `/tickets/${ticket.number}/attachments`).expect(200)).body.items).toEqual([]);
      // The ATTACHED audit row (id and hash, never bytes) and its chain are intact.
      const events = await stack.db.query(`SELECT data FROM ticket_events WHERE ticket_id = $1 AND type = 'ATTACHED'`, [ticket.id]);
      expect(events).toEqual([{ data: { attachmentId: id, sha256: attachment.sha256, kind: 'INTAKE' } }]);
      expect((await stack.http.get(`/audit/tickets/${ticket.number}/verify`).set('Authorization', await auditor()).expect(200)).body.intact).toBe(true);
      // The number no longer finds the ticket: nothing about it is held any more, its photos included.
      const later = (await stack.http.get('/audit/subjects').query({ phone: e164(1) }).set('Authorization', await auditor()).expect(200)).body;
      expect(later.tickets).toEqual([]);
    }, 120_000);

    it('a data subject’s erasure removes the photos of the closed tickets now, and names them in its record', async () => {
      const { ticket, attachment } = await closedWithPhoto(2);
      const id: string = attachment.id;
      expect(await keysOf(id)).toHaveLength(2);
      const erased = await stack.http.post('/audit/subjects/erase').send({ phone: phone(2), reason: 'KVKK m.11 başvurusu 2026/31' }).set('Authorization', await auditor()).expect(200);
      expect(erased.body.erasure).toMatchObject({ kind: 'SUBJECT_REQUEST', ticketIds: [ticket.id], tickets: 1, attachments: 1, attachmentIds: [id] });
      expect(await keysOf(id)).toEqual([]);
      expect(await rowOf(id)).toMatchObject({ state: 'REMOVED', file_name: null, objects_deleted_at: expect.any(Date) });
      await fetchDisplay(id).expect(404);
    }, 120_000);

    it('a crash between the erasure’s statement and the deletes is finished by the sweep (and deleting twice is no error)', async () => {
      const { attachment } = await closedWithPhoto(3);
      const id: string = attachment.id;
      await stack.http.post('/audit/subjects/erase').send({ phone: phone(3), reason: 'KVKK m.11 başvurusu 2026/32' }).set('Authorization', await auditor()).expect(200);
      // As if the process died after the statement: the objects still stored, the row not marked.
      await under.check.put(`${id}/display.jpg`, Buffer.from('left behind'), 'image/jpeg');
      await stack.db.query(`UPDATE attachments SET objects_deleted_at = NULL WHERE id = $1`, [id]);
      // The row is REMOVED all along: never shown while its objects are missing or present.
      await fetchDisplay(id).expect(404);
      const swept = await stack.api.get(AttachmentSweeper).sweep();
      expect(swept).toMatchObject({ erasedAttachments: 1 });
      expect(await keysOf(id)).toEqual([]);
      expect((await rowOf(id)).objects_deleted_at).not.toBeNull();
      // A second pass finds nothing more.
      expect(await stack.api.get(AttachmentSweeper).sweep()).toMatchObject({ erasedAttachments: 0 });
    }, 120_000);
  });
}

describeAttachmentKvkk('directory store', 1, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'teksin-attachments-kvkk-'));
  return {
    env: { ATTACHMENT_STORE: 'directory', ATTACHMENT_DIR: dir },
    check: new DirectoryAttachmentStore(dir),
    kind: DirectoryAttachmentStore,
    stop: async () => rmSync(dir, { recursive: true, force: true }),
  };
});

describeAttachmentKvkk('S3 store on SeaweedFS', 2, async () => {
  const bucket = 'teksin-kvkk-attachments';
  const seaweed: SeaweedFsServer = await startSeaweedFs();
  const check = new S3AttachmentStore(seaweed.storeSettings(bucket));
  return {
    env: {
      ATTACHMENT_STORE: 's3',
      ATTACHMENT_S3_ENDPOINT: seaweed.endpoint,
      ATTACHMENT_S3_REGION: seaweed.region,
      ATTACHMENT_S3_BUCKET: bucket,
      ATTACHMENT_S3_ACCESS_KEY_ID: seaweed.accessKeyId,
      ATTACHMENT_S3_SECRET_ACCESS_KEY: seaweed.secretAccessKey,
      // A fresh SeaweedFS has no bucket: the API and the worker make it at start.
      ATTACHMENT_S3_CREATE_BUCKET: 'true',
    },
    check,
    kind: S3AttachmentStore,
    stop: async () => {
      check.destroy();
      await seaweed.stop();
    },
  };
});
