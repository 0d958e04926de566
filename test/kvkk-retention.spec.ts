import { ANONYMISED } from '../libs/database/src';
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
});
