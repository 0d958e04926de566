import { NotificationActivities } from '../activities/notification.activities';
import { ANONYMISED, createDataSource } from '../libs/database/src';
import { OrganisationRepository } from '../libs/database/src/organisation.repository';
import { TwilioSmsGateway } from '../libs/sms/src';
import { startFakeTwilio } from './support/fake-twilio.server';
import { RETENTION_SCHEDULE_ID } from '../apps/worker/src/retention-schedule';
import { STAFF, TicketDriver, type CreatedTicket } from './support/ticket-driver';
import { startTestStack, type TestStack } from './support/test-stack';
import { waitFor } from './support/wait-for';

const DAY = 86_400_000;

/**
 * KVKK (Law 6698): personal data of a closed ticket is kept RETENTION_TICKET_PII (2 years) after
 * it closed, then replaced by a marker by a job that a Temporal schedule runs; statistics stay.
 * The Temporal history never held personal data. A data subject's tickets are listed and erased
 * early on request, with a reason, by an auditor.
 */
describe('personal data retention (KVKK)', () => {
  let stack: TestStack;
  let t: TicketDriver;
  beforeAll(async () => {
    stack = await startTestStack();
    t = new TicketDriver(stack);
  });
  afterAll(async () => {
    await stack?.close();
  });

  const citizen = (n: number) => ({
    requester: { name: `Kişi${n} Gizlisoyad${n}`, phone: `0532 44${n} 7${n} 1${n}` },
    description: `Evimin önündeki çukur ${n} numaralı gizli açıklama.`,
    location: { district: 'Mezitli', neighbourhood: 'Viranşehir', address: `Gizli Sokak No: ${n}${n}`, lat: 36.75, lng: 34.52 },
  });
  const closedWithNote = async (n: number) => {
    const ticket = await t.create({ ...citizen(n), category: 'OTHER' });
    await t.staff(STAFF.coordinator, ticket.number, 'notes', { text: `Vatandaş ${n} telefonda gizli bilgi verdi.`, visibility: 'INTERNAL' }).expect(200);
    await t.staff(STAFF.coordinator, ticket.number, 'refer', { institutionId: 'toroslar-edas' }).expect(200);
    await stack.client.workflow.getHandle(`ticket-${ticket.number}`).result();
    await t.settledOutbox(ticket.number, 2);
    return ticket;
  };
  const closeDaysAgo = (ticket: CreatedTicket, days: number) =>
    stack.db.query(`UPDATE tickets SET closed_at = now() - make_interval(days => $2), resolved_at = NULL WHERE id = $1`, [ticket.id, days]);
  const row = async (ticket: CreatedTicket) => (await stack.db.query(`SELECT * FROM tickets WHERE id = $1`, [ticket.id]))[0];
  const texts = async (ticket: CreatedTicket) => (await stack.db.query(`SELECT body FROM ticket_texts WHERE ticket_id = $1`, [ticket.id])).map((r: { body: string }) => r.body);
  const outbox = async (ticket: CreatedTicket) => stack.db.query(`SELECT body, recipient_phone, status, purpose FROM sms_outbox WHERE ticket_id = $1 ORDER BY id`, [ticket.id]);
  const auditor = () => stack.bearer(STAFF.auditor);

  it('the retention schedule anonymises exactly the expired tickets, keeps their statistics and records what it did; the history never held personal data', async () => {
    const expired = await closedWithNote(1);
    const recent = await closedWithNote(2);
    const open = await t.create({ ...citizen(3), category: 'OTHER' });
    await closeDaysAgo(expired, 731);
    await closeDaysAgo(recent, 729);
    // A photo link sent through Open311, a WhatsApp message and a rating's comment are the citizen's too.
    await stack.db.query(`UPDATE tickets SET media_url = 'https://foto.example/kisi1.jpg' WHERE id = $1`, [expired.id]);
    await stack.db.query(
      `INSERT INTO inbound_messages (message_sid, channel, from_phone, body, media, ticket_id, outcome) VALUES ($1, 'WHATSAPP', '+905324417111', 'gizli mesaj', '["https://api.twilio.example/m.jpg"]', $2, 'ADDED_TO_TICKET')`,
      [`SM${expired.id.replace(/-/g, '')}`, expired.id],
    );
    await stack.db.query(`INSERT INTO ticket_ratings (ticket_id, rating, comment) VALUES ($1, 4, 'gizli yorum')`, [expired.id]);
    // Two calls in the contact log: one a year and a day old (RETENTION_CONTACTS 365d), one a day younger.
    const contact = async (daysAgo: number, note: string) =>
      (
        await stack.db.query(
          `INSERT INTO contacts (id, at, recorded_by, channel, caller_phone, outcome, note)
           VALUES (gen_random_uuid(), now() - $1 * interval '1 day', $2, 'CALL_CENTER', '+905324400999', 'INFORMATION_GIVEN', $3) RETURNING id`,
          [daysAgo, STAFF.agent, note],
        )
      )[0].id as string;
    const oldCall = await contact(366, 'arayan gizli adresini söyledi');
    const newCall = await contact(364, 'arayan yeni bilgi verdi');
    const before = { expired: await row(expired), events: await stack.db.query(`SELECT seq, hash FROM ticket_events WHERE ticket_id = $1 ORDER BY seq`, [expired.id]) };

    // The workflow history (the legal record) holds no personal data: nothing to anonymise there.
    const history = JSON.stringify((await stack.http.get(`/audit/tickets/${expired.number}/history`).set('Authorization', await auditor()).expect(200)).body);
    for (const secret of ['Kişi1', 'Gizlisoyad1', '5324417111', '441 71 11', 'gizli açıklama', 'Gizli Sokak', 'gizli bilgi', '36.75']) expect(history).not.toContain(secret);
    expect(before.expired.requester_name).toBe('Kişi1 Gizlisoyad1');

    // The schedule is visible and durable on the Temporal server; trigger it rather than wait a day.
    const schedule = stack.client.schedule.getHandle(RETENTION_SCHEDULE_ID);
    const described = await schedule.describe();
    expect(described.action).toMatchObject({ type: 'startWorkflow', workflowType: 'retentionWorkflow', taskQueue: stack.config.temporal.taskQueue });
    expect(described.spec.intervals).toMatchObject([{ every: DAY }]);
    const triggered = new Date();
    await schedule.trigger();
    // The run's erasures: ticket batches, then contact batches (the last of each under a full batch).
    // Other suites share the database and leave old tickets and contacts of their own (received in
    // 2018 and 2019): they are expired too, so the run is checked against the rule, not a count.
    const run = await waitFor(
      async () => {
        const rows = await stack.db.query(`SELECT * FROM data_erasures WHERE kind = 'RETENTION' AND at >= $1 ORDER BY id`, [triggered]);
        return rows.some((r: { reason: string }) => r.reason.includes('RETENTION_CONTACTS')) ? rows : null;
      },
      { what: 'the retention run (tickets, then contacts)' },
    );
    const ticketErasures = run.filter((r: { reason: string }) => r.reason.includes('RETENTION_TICKET_PII'));
    const contactErasures = run.filter((r: { reason: string }) => r.reason.includes('RETENTION_CONTACTS'));
    expect(ticketErasures[0].reason).toMatch(/^retention: closed before .+ \(RETENTION_TICKET_PII 730d\)$/);
    expect(contactErasures[0].reason).toMatch(/^retention: contacts before .+ \(RETENTION_CONTACTS 365d\)$/);
    for (const r of run) expect(r.actor_id).toBeNull();
    const anonymisedIds: string[] = ticketErasures.flatMap((r: { ticket_ids: string[] }) => r.ticket_ids);
    expect(anonymisedIds).toContain(expired.id);
    expect(anonymisedIds).not.toContain(recent.id);
    expect(anonymisedIds).not.toContain(open.id);
    // Exactly the expired ones: every ticket it chose closed before the cut-off, none closed before it is left.
    const closedBefore = ticketErasures[0].criteria.closedBefore as string;
    const chosen = await stack.db.query(`SELECT count(*) FILTER (WHERE closed_at >= $2)::int AS young, count(*)::int AS n FROM tickets WHERE id = ANY($1::uuid[])`, [anonymisedIds, closedBefore]);
    expect(chosen).toEqual([{ young: 0, n: anonymisedIds.length }]);
    expect(await stack.db.query(`SELECT count(*)::int AS n FROM tickets WHERE closed_at < $1 AND anonymised_at IS NULL`, [closedBefore])).toEqual([{ n: 0 }]);
    expect(contactErasures.reduce((n: number, r: { contacts: number }) => n + r.contacts, 0)).toBeGreaterThanOrEqual(1);
    const call = async (id: string) => (await stack.db.query(`SELECT caller_phone, note, outcome, channel, anonymised_at FROM contacts WHERE id = $1`, [id]))[0];
    expect(await call(oldCall)).toMatchObject({ caller_phone: ANONYMISED, note: ANONYMISED, outcome: 'INFORMATION_GIVEN', channel: 'CALL_CENTER' });
    expect(await call(newCall)).toMatchObject({ caller_phone: '+905324400999', note: 'arayan yeni bilgi verdi', anonymised_at: null });

    const after = await row(expired);
    expect(after).toMatchObject({ requester_name: ANONYMISED, requester_phone: ANONYMISED, description: ANONYMISED, address: ANONYMISED, lat: null, lng: null, media_url: null });
    expect(after.anonymised_at).not.toBeNull();
    // Text search no longer finds the ticket by its old words (search_text follows the trigger).
    expect(after.search_text).not.toMatch(/gizli/);
    expect((await stack.db.query(`SELECT from_phone, body, media FROM inbound_messages WHERE ticket_id = $1`, [expired.id]))[0]).toEqual({ from_phone: ANONYMISED, body: ANONYMISED, media: [] });
    expect((await stack.db.query(`SELECT rating, comment FROM ticket_ratings WHERE ticket_id = $1`, [expired.id]))[0]).toEqual({ rating: 4, comment: ANONYMISED });
    // Statistics intact.
    for (const field of ['number', 'status', 'outcome', 'type', 'category', 'channel', 'segment', 'district', 'neighbourhood', 'department_id', 'received_at', 'closed_at', 'last_event_seq', 'sla_breached', 'reopen_count']) {
      expect([field, after[field]]).toEqual([field, before.expired[field]]);
    }
    expect(await texts(expired)).toEqual([ANONYMISED]);
    expect((await outbox(expired)).map((o: { body: string; recipient_phone: string; status: string }) => [o.body, o.recipient_phone, o.status])).toEqual([
      [ANONYMISED, ANONYMISED, 'SENT'],
      [ANONYMISED, ANONYMISED, 'SENT'],
    ]);
    // The audit rows and their chain are untouched (they never held personal data).
    expect(await stack.db.query(`SELECT seq, hash FROM ticket_events WHERE ticket_id = $1 ORDER BY seq`, [expired.id])).toEqual(before.events);
    expect((await stack.http.get(`/audit/tickets/${expired.number}/verify`).set('Authorization', await auditor()).expect(200)).body.intact).toBe(true);

    // Not yet expired, and open: untouched.
    expect(await row(recent)).toMatchObject({ requester_name: 'Kişi2 Gizlisoyad2', description: citizen(2).description, anonymised_at: null });
    expect(await texts(recent)).toEqual(['Vatandaş 2 telefonda gizli bilgi verdi.']);
    expect((await outbox(recent)).every((o: { body: string }) => o.body !== ANONYMISED)).toBe(true);
    expect(await row(open)).toMatchObject({ requester_name: 'Kişi3 Gizlisoyad3', anonymised_at: null });

    // A second run finds nothing more, and says so.
    const again = new Date();
    await schedule.trigger();
    const [second] = await waitFor(async () => {
      const rows = await stack.db.query(`SELECT * FROM data_erasures WHERE kind = 'RETENTION' AND at >= $1`, [again]);
      return rows.length ? rows : null;
    }, { what: 'the second retention run' });
    expect(second).toMatchObject({ ticket_ids: [], tickets: 0, contacts: 0 });
  }, 120_000);

  it('a data subject’s tickets are listed for the auditor (read logged, downloadable) and erased early with a reason', async () => {
    const closed = await closedWithNote(5);
    const open = await t.create({ ...citizen(5), category: 'OTHER' });
    const phone = citizen(5).requester.phone;

    await stack.http.get('/audit/subjects').query({ phone }).expect(401);
    await stack.http.get('/audit/subjects').query({ phone }).set('Authorization', await stack.bearer(STAFF.coordinator)).expect(403);
    const bad = await stack.http.get('/audit/subjects').query({ phone: 'abc' }).set('Authorization', await auditor()).expect(400);
    expect(bad.body.errors[0].field).toBe('phone');

    const report = await stack.http.get('/audit/subjects').query({ phone, download: 'true' }).set('Authorization', await auditor()).expect(200);
    expect(report.headers['content-disposition']).toBe('attachment; filename="kvkk-subject-905324457515.json"');
    expect(report.body.phone).toBe('+905324457515');
    expect(report.body.tickets.map((x: { number: string }) => x.number)).toEqual([closed.number, open.number]);
    await stack.db.query(
      `INSERT INTO contacts (id, recorded_by, channel, caller_phone, outcome, note) VALUES (gen_random_uuid(), $1, 'CALL_CENTER', $2, 'HUNG_UP', 'arayan adını söyledi')`,
      [STAFF.agent, '+905324457515'],
    );    const report2 = await stack.http.get('/audit/subjects').query({ phone }).set('Authorization', await auditor()).expect(200);
    expect(report2.body.tickets[0]).toMatchObject({ requesterName: 'Kişi5 Gizlisoyad5', status: 'CLOSED', anonymisedAt: null });
    expect(report2.body.contacts).toEqual([expect.objectContaining({ outcome: 'HUNG_UP', note: 'arayan adını söyledi', anonymisedAt: null })]);

    // The listing is in the personal-data read log, which comes with the ticket's audit export.
    const exported = await stack.http.get(`/audit/tickets/${closed.number}/export`).set('Authorization', await auditor()).expect(200);
    expect(exported.headers['content-disposition']).toBe(`attachment; filename="ticket-${closed.number}-audit.json"`);
    expect(exported.body.piiReads).toContainEqual(expect.objectContaining({ readerId: STAFF.auditor, route: 'GET /audit/subjects' }));
    expect(exported.body.auditRows[0]).toMatchObject({ seq: 1, prevHash: null, hash: expect.stringMatching(/^[0-9a-f]{64}$/) });

    const noReason = await stack.http.post('/audit/subjects/erase').send({ phone }).set('Authorization', await auditor()).expect(400);
    expect(noReason.body.errors[0].field).toBe('reason');
    await stack.http.post('/audit/subjects/erase').send({ phone, reason: 'KVKK m.11 başvurusu 2026/17' }).set('Authorization', await stack.bearer(STAFF.coordinator)).expect(403);
    const erased = await stack.http.post('/audit/subjects/erase').send({ phone, reason: 'KVKK m.11 başvurusu 2026/17' }).set('Authorization', await auditor()).expect(200);
    expect(erased.body).toMatchObject({
      erasure: { kind: 'SUBJECT_REQUEST', actorId: STAFF.auditor, reason: 'KVKK m.11 başvurusu 2026/17', ticketIds: [closed.id], tickets: 1, texts: 1, outboxRows: 2, criteria: { phone: '+90********15' } },
      contactsErasure: { kind: 'SUBJECT_REQUEST', ticketIds: [], contacts: 1 },
      stillOpen: [open.number],
    });
    // Erased, the number no longer finds its calls: they keep only what the figures need.
    const afterReport = await stack.http.get('/audit/subjects').query({ phone }).set('Authorization', await auditor()).expect(200);
    expect(afterReport.body.contacts).toEqual([]);
    expect(await stack.db.query(`SELECT count(*)::int AS n FROM contacts WHERE caller_phone = $1`, ['+905324457515'])).toEqual([{ n: 0 }]);
    expect(await row(closed)).toMatchObject({ requester_name: ANONYMISED, requester_phone: ANONYMISED, status: 'CLOSED', outcome: 'REFERRED' });
    expect(await row(open)).toMatchObject({ requester_name: 'Kişi5 Gizlisoyad5', anonymised_at: null });
    const afterErasure = await stack.http.get(`/audit/tickets/${closed.number}/export`).set('Authorization', await auditor()).expect(200);
    expect(afterErasure.body.erasures).toEqual([{ at: expect.any(String), kind: 'SUBJECT_REQUEST', actorId: STAFF.auditor, reason: 'KVKK m.11 başvurusu 2026/17' }]);
    // The erasure records are append-only: the application role may not delete them (nor may the owner: a trigger).
    await expect(stack.db.query(`DELETE FROM data_erasures`)).rejects.toThrow(/permission denied/);
  }, 120_000);

  describe('security review item 8 — KVKK gaps', () => {
    it('item 8: sms_outbox.last_error never keeps the number a provider quoted, and anonymisation clears it', async () => {
      const ticket = await closedWithNote(6);
      const e164 = '+905324467616';
      // Twilio's own words quote the number ("The 'To' number +90… is not a valid phone number.").
      const twilio = await startFakeTwilio({ authToken: 'kvkk-auth-token', accountSid: `AC${'2'.repeat(32)}` });
      try {
        const gateway = new TwilioSmsGateway({ accountSid: `AC${'2'.repeat(32)}`, authToken: 'kvkk-auth-token', from: '+15005550006', apiBaseUrl: twilio.url, timeoutMs: 2000 });
        const activities = new NotificationActivities(stack.db, new OrganisationRepository(stack.db), gateway, stack.config);
        twilio.script(() => ({ fail: { status: 400, code: 21211, message: `The 'To' number ${e164} is not a valid phone number.` } }));
        const sent = await activities.sendNotification({ ticketId: ticket.id, number: ticket.number, purpose: 'RESOLVED', seq: 9_001, recipient: { kind: 'CITIZEN' }, params: {} });
        expect(sent.status).toBe('FAILED');
      } finally {
        twilio.script(null);
        await twilio.close();
      }
      const lastError = async () => (await stack.db.query(`SELECT last_error FROM sms_outbox WHERE notification_key = $1`, [`ticket-${ticket.number}:RESOLVED:9001`]))[0].last_error as string;
      expect(await lastError()).toContain('21211');
      expect(await lastError()).toContain('[phone]');
      expect(await lastError()).not.toMatch(/5324467616|532 446/);

      // A row written before the redaction (or by another path) may still quote it: the erasure clears every error text.
      await stack.db.query(`UPDATE sms_outbox SET last_error = $2 WHERE ticket_id = $1 AND purpose = 'RECEIVED'`, [ticket.id, `Twilio 21211: ${e164} is not valid`]);
      await stack.http.post('/audit/subjects/erase').send({ phone: e164, reason: 'KVKK m.11 başvurusu 2026/23' }).set('Authorization', await auditor()).expect(200);
      const errors = await stack.db.query(`SELECT last_error FROM sms_outbox WHERE ticket_id = $1 AND last_error IS NOT NULL`, [ticket.id]);
      expect(errors.length).toBeGreaterThanOrEqual(2);
      for (const row of errors) expect(row.last_error).toBe(ANONYMISED);
    }, 120_000);

    it('item 8: the data-subject report holds the citizen’s messages with their media, their own texts and their rating comments', async () => {
      const ticket = await t.create({ ...citizen(7), category: 'OTHER' });
      const e164 = '+905324477717';
      await stack.db.query(`UPDATE tickets SET media_url = 'https://foto.example/kisi7.jpg' WHERE id = $1`, [ticket.id]);
      // A WhatsApp message kept on the ticket, and one from the number that made no ticket (yet).
      await stack.db.query(
        `INSERT INTO inbound_messages (message_sid, channel, from_phone, body, media, ticket_id, outcome, received_at) VALUES
           ($1, 'WHATSAPP', $3, 'çukur hâlâ orada', '[{"url": "https://api.twilio.example/m7.jpg", "contentType": "image/jpeg"}]', $2, 'ADDED_TO_TICKET', now() - interval '1 minute'),
           ($4, 'SMS', $3, 'merhaba', '[]', NULL, 'PROCESSING', now())`,
        [`SM7a${ticket.id.replace(/-/g, '')}`, ticket.id, e164, `SM7b${ticket.id.replace(/-/g, '')}`],
      );
      // The citizen's answer (typed by the citizen), a reopen reason (typed by an agent on the call), and a staff note (not the citizen's).
      await stack.db.query(
        `INSERT INTO ticket_texts (id, ticket_id, kind, body, author_kind, author_id, created_at) VALUES
           (gen_random_uuid(), $1, 'CITIZEN_ANSWER', 'Kapı no 7, arka bahçe', 'CITIZEN', NULL, now() - interval '3 minutes'),
           (gen_random_uuid(), $1, 'REOPEN_REASON', 'Hiçbir şey yapılmadı', 'STAFF', $2, now() - interval '2 minutes'),
           (gen_random_uuid(), $1, 'NOTE_INTERNAL', 'personelin kendi notu', 'STAFF', $2, now() - interval '1 minute')`,
        [ticket.id, STAFF.agent],
      );
      await stack.db.query(`INSERT INTO ticket_ratings (ticket_id, rating, comment) VALUES ($1, 2, 'yavaş çözüldü')`, [ticket.id]);

      const report = (await stack.http.get('/audit/subjects').query({ phone: e164 }).set('Authorization', await auditor()).expect(200)).body;
      expect(report.tickets).toEqual([expect.objectContaining({ number: ticket.number, mediaUrl: 'https://foto.example/kisi7.jpg' })]);
      expect(report.messages).toEqual([
        { at: expect.any(String), channel: 'WHATSAPP', body: 'çukur hâlâ orada', media: [{ url: 'https://api.twilio.example/m7.jpg', contentType: 'image/jpeg' }], ticketNumber: ticket.number },
        { at: expect.any(String), channel: 'SMS', body: 'merhaba', media: [], ticketNumber: null },
      ]);
      expect(report.texts).toEqual([
        { at: expect.any(String), ticketNumber: ticket.number, kind: 'CITIZEN_ANSWER', body: 'Kapı no 7, arka bahçe', onBehalf: false },
        { at: expect.any(String), ticketNumber: ticket.number, kind: 'REOPEN_REASON', body: 'Hiçbir şey yapılmadı', onBehalf: true },
      ]);
      expect(report.ratings).toEqual([{ ratedAt: expect.any(String), ticketNumber: ticket.number, rating: 2, comment: 'yavaş çözüldü' }]);
      expect(JSON.stringify(report)).not.toContain('personelin kendi notu');
    }, 60_000);

    it('item 8: reads of the contact log and caller look-ups are written to the personal-data read log', async () => {
      const ticket = await t.create({ ...citizen(8), category: 'OTHER' });
      const e164 = '+905324487818';
      const since = new Date(Date.now() - 1000).toISOString();
      const logged = await stack.http
        .post('/contacts')
        .send({ outcome: 'INFORMATION_GIVEN', phone: e164, note: 'arayan komşusunun adını verdi' })
        .set('Authorization', await stack.bearer(STAFF.agent))
        .expect(201);
      const contactId: string = logged.body.id;
      const readsOf = (column: 'contact_id' | 'ticket_id', id: string) =>
        stack.db.query(`SELECT reader_id, fields, route, ticket_id, contact_id FROM pii_reads WHERE ${column} = $1 ORDER BY id`, [id]);

      // The coordinator reads the log with the full number, the auditor with it masked: both are reads.
      const list = await stack.http.get(`/contacts?from=${encodeURIComponent(since)}&limit=100`).set('Authorization', await stack.bearer(STAFF.coordinator)).expect(200);
      expect(list.body.items.map((c: { id: string }) => c.id)).toContain(contactId);
      await stack.http.get(`/contacts?from=${encodeURIComponent(since)}&limit=100`).set('Authorization', await auditor()).expect(200);
      expect(await readsOf('contact_id', contactId)).toEqual([
        { reader_id: STAFF.coordinator, fields: ['phone', 'note'], route: 'GET /contacts', ticket_id: null, contact_id: contactId },
        { reader_id: STAFF.auditor, fields: ['note'], route: 'GET /contacts', ticket_id: null, contact_id: contactId },
      ]);

      // The agent's "earlier tickets of this phone": a read of each ticket found, in its audit trail.
      const before = (await readsOf('ticket_id', ticket.id)).length;
      const found = await stack.http.get('/contacts/caller-tickets').query({ phone: e164 }).set('Authorization', await stack.bearer(STAFF.agent)).expect(200);
      expect(found.body.tickets.map((x: { number: string }) => x.number)).toEqual([ticket.number]);
      const reads = await readsOf('ticket_id', ticket.id);
      expect(reads.slice(before)).toEqual([{ reader_id: STAFF.agent, fields: ['phone', 'description'], route: 'GET /contacts/caller-tickets', ticket_id: ticket.id, contact_id: null }]);
      const audit = await stack.http.get('/audit/pii-reads').query({ ticket: ticket.number }).set('Authorization', await auditor()).expect(200);
      expect(audit.body).toContainEqual(expect.objectContaining({ readerId: STAFF.agent, route: 'GET /contacts/caller-tickets', fields: ['phone', 'description'] }));
    }, 60_000);

    it('item 8: pii_reads is append-only: the application role may only read and append, and a trigger refuses changes even to the owner', async () => {
      const ticket = await t.create({ ...citizen(9), category: 'OTHER' });
      await t.read(STAFF.coordinator, `/tickets/${ticket.number}`).expect(200);
      const [read] = await stack.db.query(`SELECT id FROM pii_reads WHERE ticket_id = $1 LIMIT 1`, [ticket.id]);
      expect(read).toBeDefined();
      // The application's role (the API and the worker connect as it).
      await expect(stack.db.query(`UPDATE pii_reads SET reader_id = 'someone.else' WHERE id = $1`, [read.id])).rejects.toThrow(/permission denied/);
      await expect(stack.db.query(`DELETE FROM pii_reads WHERE id = $1`, [read.id])).rejects.toThrow(/permission denied/);
      await expect(stack.db.query(`TRUNCATE pii_reads`)).rejects.toThrow(/permission denied/);
      // The owner (migrations) is refused by the trigger.
      const owner = await createDataSource(process.env.TEKSIN_TEST_OWNER_DATABASE_URL!, false, 1).initialize();
      try {
        await expect(owner.query(`UPDATE pii_reads SET reader_id = 'someone.else' WHERE id = $1`, [read.id])).rejects.toThrow(/append-only \(UPDATE refused\)/);
        await expect(owner.query(`DELETE FROM pii_reads WHERE id = $1`, [read.id])).rejects.toThrow(/append-only \(DELETE refused\)/);
        await expect(owner.query(`TRUNCATE pii_reads`)).rejects.toThrow(/append-only \(TRUNCATE refused\)/);
      } finally {
        await owner.destroy();
      }
      // No job deletes pii_reads: retention anonymises tickets and contacts, and leaves the read log (it holds no citizen data).
      expect(await stack.db.query(`SELECT count(*)::int AS n FROM pii_reads WHERE id = $1 AND reader_id = $2`, [read.id, STAFF.coordinator])).toEqual([{ n: 1 }]);
    });
  });
});
