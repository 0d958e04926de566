import { ticketWorkflowId } from '../libs/temporal/src/task-queue';
import { STAFF_PURPOSES } from '../libs/sms/src';
import { startTestStack, type TestStack } from './support/test-stack';
import { signedIn, STAFF, TicketDriver, type CreatedTicket } from './support/ticket-driver';
import { waitFor } from './support/wait-for';

/**
 * What the API and the database give away: tracking tokens kept only as keyed hashes and masked
 * in the outbox, staff SMS without a citizen's link, a 404 for anyone who may not see a ticket,
 * and tracking links that stop working after the ticket has been closed long enough.
 */
describe('exposure: tracking tokens, staff links, 404s', () => {
  let stack: TestStack;
  let t: TicketDriver;
  beforeAll(async () => {
    // Approval reminders (to staff) come after 2 s; a re-sent tracking link answers for the next ones for 3 s.
    stack = await startTestStack({ env: { APPROVAL_LEVEL_SLA: '4s', LINK_RESEND_WINDOW: '3s' } });
    t = new TicketDriver(stack);
  });
  afterAll(async () => {
    await stack?.close();
  });

  /** How many rows of the tables that hold a ticket's data contain `text` anywhere. */
  const rowsContaining = async (text: string) => {
    const [counts] = await stack.db.query(
      `SELECT (SELECT count(*) FROM tickets x WHERE x::text LIKE $1)::int AS tickets,
              (SELECT count(*) FROM sms_outbox x WHERE x::text LIKE $1)::int AS outbox,
              (SELECT count(*) FROM ticket_events x WHERE x::text LIKE $1)::int AS events,
              (SELECT count(*) FROM ticket_texts x WHERE x::text LIKE $1)::int AS texts,
              (SELECT count(*) FROM command_requests x WHERE x::text LIKE $1)::int AS requests`,
      [`%${text}%`],
    );
    return counts;
  };
  const nothing = { tickets: 0, outbox: 0, events: 0, texts: 0, requests: 0 };

  describe('tracking tokens', () => {
    it('are stored as a keyed hash, and neither the ticket, the outbox body, the audit trail nor the history holds the token', async () => {
      const ticket = await t.toInProgress();
      await t.staff(STAFF.fenExpert, ticket.number, 'request-info', { question: 'Kapı numaranız?' }).expect(200);
      await t.citizen(ticket, 'info-provided', { answer: 'No: 12' }).expect(200);
      const outbox = await t.settledOutbox(ticket.number, 2);
      expect(outbox.map((o) => o.purpose)).toEqual(['RECEIVED', 'INFO_REQUESTED']);

      // The citizen got the link with the token…
      for (const row of outbox) {
        expect(row.status).toBe('SENT');
        expect(stack.sms.sent.find((m) => m.reference === row.notification_key)!.body).toContain(ticket.trackingUrl);
        // …and the stored body says k=***.
        expect(row.body).toContain(`/t/${ticket.number}?k=***`);
      }
      expect(await rowsContaining(ticket.token)).toEqual(nothing);

      const [row] = await stack.db.query('SELECT tracking_token_nonce, tracking_token_hash FROM tickets WHERE number = $1', [ticket.number]);
      expect(row.tracking_token_nonce).toMatch(/^[\w-]{22}$/);
      expect(row.tracking_token_hash).toBeInstanceOf(Buffer);
      expect(row.tracking_token_hash).toHaveLength(32);
      const columns = await stack.db.query(`SELECT column_name FROM information_schema.columns WHERE table_name = 'tickets' AND column_name LIKE 'tracking%' ORDER BY 1`);
      expect(columns.map((c: { column_name: string }) => c.column_name)).toEqual(['tracking_token_hash', 'tracking_token_nonce']);

      const history = JSON.stringify(await stack.client.workflow.getHandle(ticketWorkflowId(ticket.number)).fetchHistory());
      expect(history).not.toContain(ticket.token);
    });

    it('are masked in the body of a SKIPPED row too (a landline caller)', async () => {
      const ticket = await t.create({ requester: { name: 'Sabit Hat', phone: '(0324) 222 33 44' } });
      const [row] = await t.settledOutbox(ticket.number, 1);
      expect(row).toMatchObject({ status: 'SKIPPED', recipient_phone: null });
      expect(row.body).toContain('k=***');
      expect(await rowsContaining(ticket.token)).toEqual(nothing);
    });

    it('stop working the configured time after the ticket closed (default 90 days): the page says it is closed, nothing more', async () => {
      const ticket = await t.create();
      await t.citizen(ticket, 'withdraw').expect(200);
      await t.closedOutbox(ticket.number);
      const page = () => stack.http.get(`/t/${ticket.number}?k=${ticket.token}`);

      // 89 days after closing: still the citizen's page.
      await stack.db.query(`UPDATE tickets SET closed_at = now() - interval '89 days' WHERE number = $1`, [ticket.number]);
      expect((await page().expect(200)).text).toContain('Geri çekildi'); // its timeline
      await stack.http.get(`/tickets/${ticket.number}`).set('X-Tracking-Token', ticket.token).expect(200);

      // 91 days: the ticket is closed, and that is all the page says.
      await stack.db.query(`UPDATE tickets SET closed_at = now() - interval '91 days' WHERE number = $1`, [ticket.number]);
      const closed = await page().expect(200);
      expect(closed.text).toContain('Bu başvuru kapatılmıştır');
      expect(closed.text).not.toContain('Geri çekildi'); // no timeline
      expect(closed.text).not.toContain('Durum'); // no status
      expect(closed.text).not.toContain('<script');
      expect((await stack.http.get(`/t/${ticket.number}?k=${ticket.token}&lang=en`).expect(200)).text).toContain('This request is closed.');
      // The API no longer takes the token at all; a wrong token is still a 404 on the page.
      await stack.http.get(`/tickets/${ticket.number}`).set('X-Tracking-Token', ticket.token).expect(404);
      await t.citizen(ticket, 'reopen', { reason: 'x' }).expect(404);
      await stack.http.get(`/t/${ticket.number}?k=wrong`).expect(404);
    });
  });

  it('staff SMS link to the ticket in the staff console and never hold a citizen’s tracking link', async () => {
    const ticket = await t.toInProgress();
    await t.staff(STAFF.fenExpert, ticket.number, 'resolution', { text: 'Kaldırım onarıldı.' }).expect(200);
    // The approval reminder (half of APPROVAL_LEVEL_SLA) goes to the level-1 approver.
    const staffRows = await waitFor(async () => {
      const rows = (await t.outbox(ticket.number)).filter((o) => (STAFF_PURPOSES as readonly string[]).includes(o.purpose) && o.status === 'SENT');
      return rows.length ? rows : null;
    }, { what: 'a staff notification' });
    expect(staffRows[0]).toMatchObject({ purpose: 'APPROVAL_REMINDER', recipient_phone: '+905550000013' });
    for (const row of staffRows) {
      const sent = stack.sms.sent.find((m) => m.reference === row.notification_key)!;
      for (const body of [row.body, sent.body]) {
        expect(body).toContain(`http://teksin.test/console/tickets/${ticket.number}`);
        expect(body).not.toContain('/t/');
        expect(body).not.toContain('k=');
        expect(body).not.toContain(ticket.token);
      }
    }
  });

  describe('a ticket only for those who may see it: anyone else gets the 404 of an unknown ticket', () => {
    let a: CreatedTicket;
    let b: CreatedTicket;
    let unknown: Record<string, unknown>;
    beforeAll(async () => {
      a = await t.create({ description: 'Birinci başvurunun metni' });
      b = await t.create();
      unknown = (await stack.http.get('/tickets/2026-999999').expect(404)).body;
    });

    /** The same problem as for an unknown ticket, with nothing of the ticket in it. */
    const expectUnknownTicket = (body: Record<string, unknown>, path: string) => {
      const { detail, instance, requestId: _, ...rest } = body;
      const { detail: unknownDetail, instance: _i, requestId: _r, ...unknownRest } = unknown;
      expect(rest).toEqual(unknownRest);
      expect(detail).toBe((unknownDetail as string).replace('2026-999999', a.number));
      expect(instance).toBe(path);
      expect(JSON.stringify(body)).not.toMatch(/TRIAGE|ROAD_REPAIR|CALL_CENTER|Birinci/);
    };

    it.each([
      ['no token', undefined],
      ['a wrong token', 'wrong-token'],
      ['another ticket’s token', 'B'],
    ])('GET /tickets/:number, a citizen command and the tracking page with %s → 404', async (_label, given) => {
      const token = given === 'B' ? b.token : given;
      const read = stack.http.get(`/tickets/${a.number}`);
      expectUnknownTicket((await (token ? read.set('X-Tracking-Token', token) : read).expect(404)).body, `/tickets/${a.number}`);
      const command = stack.http.post(`/tickets/${a.number}/withdraw`);
      expectUnknownTicket((await (token ? command.set('X-Tracking-Token', token) : command).send({}).expect(404)).body, `/tickets/${a.number}/withdraw`);
      const page = await stack.http.get(`/t/${a.number}${token ? `?k=${token}` : ''}`).expect(404);
      expectUnknownTicket(page.body, `/t/${a.number}`);
      // Nothing happened to the ticket.
      expect((await t.view(a.number)).status).toBe('TRIAGE');
    });

    it('the ticket’s own token and staff still read it', async () => {
      const citizen = await stack.http.get(`/tickets/${a.number}`).set('X-Tracking-Token', a.token).expect(200);
      expect(citizen.body).toMatchObject({ number: a.number, description: 'Birinci başvurunun metni' });
      expect(citizen.body.requester).toBeUndefined();
      expect((await t.view(a.number)).requester).toMatchObject({ name: 'Fatma Şen' });
    });
  });

  describe('security headers', () => {
    const csp = (res: { headers: Record<string, string> }) =>
      Object.fromEntries(res.headers['content-security-policy'].split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));

    it('the tracking page: its inline script and style carry this response’s nonce, no framing', async () => {
      const ticket = await t.create();
      const first = await stack.http.get(`/t/${ticket.number}?k=${ticket.token}`).expect(200);
      const policy = csp(first);
      const nonce = /<script nonce="([^"]+)">/.exec(first.text)![1];
      expect(policy['frame-ancestors']).toEqual(["'none'"]);
      expect(policy['script-src']).toEqual(["'self'", `'nonce-${nonce}'`]);
      expect(policy['style-src']).toEqual(["'self'", `'nonce-${nonce}'`]);
      expect(policy['object-src']).toEqual(["'none'"]);
      expect(first.headers['x-frame-options']).toBe('DENY');
      expect(first.headers['referrer-policy']).toBe('no-referrer');
      // Every inline element has the nonce; no event-handler attributes.
      expect(first.text.match(/<script[^>]*>/g)).toEqual([`<script nonce="${nonce}">`]);
      expect(first.text.match(/<style[^>]*>/g)).toEqual([`<style nonce="${nonce}">`]);
      expect(first.text).not.toMatch(/\son\w+=/);
      // A new nonce for every response.
      const second = await stack.http.get(`/t/${ticket.number}?k=${ticket.token}`).expect(200);
      expect(/<script nonce="([^"]+)">/.exec(second.text)![1]).not.toBe(nonce);
    });

    it('every other response has the policy too', async () => {
      for (const res of [await stack.http.get('/categories').expect(200), await stack.http.get('/tickets/2026-999999').expect(404)]) {
        expect(csp(res)['frame-ancestors']).toEqual(["'none'"]);
        expect(csp(res)['script-src']).toEqual(["'self'", expect.stringMatching(/^'nonce-/)]);
      }
    });

    it('Swagger UI at /docs still loads under its policy: scripts from files only, every asset served', async () => {
      const page = await stack.http.get('/docs').redirects(1).expect(200);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      const policy = csp(page);
      expect(policy['frame-ancestors']).toEqual(["'none'"]);
      expect(policy['script-src']).not.toContain("'unsafe-inline'");
      expect(policy['style-src']).toEqual(["'self'", "'unsafe-inline'"]); // Swagger UI's own inline styles
      const scripts = [...page.text.matchAll(/<script([^>]*)>/g)].map((m) => m[1]);
      expect(scripts.length).toBeGreaterThanOrEqual(3);
      for (const attributes of scripts) expect(attributes).toMatch(/src=["'][^"':]+["']/); // same origin, no inline script
      const assets = [...page.text.matchAll(/(?:src|href)=["']([^"']+\.(?:js|css|png))["']/g)].map((m) => m[1]);
      for (const asset of assets) {
        // Resolved as the browser does, against the page's URL (/docs).
        const res = await stack.http.get(new URL(asset, 'http://api.test/docs').pathname).expect(200);
        expect(res.headers['content-type']).toMatch(asset.endsWith('.js') ? /javascript/ : asset.endsWith('.css') ? /css/ : /png/);
      }
      // The init script fetches the document from the same origin (connect-src 'self').
      expect(policy['connect-src']).toEqual(["'self'"]);
      await stack.http.get('/docs/json').expect(200);
    });
  });

  describe('security review item 7 — the citizen’s tracking token goes to the citizen only, by SMS', () => {
    const intake = (phone: string) => ({
      channel: 'CALL_CENTER',
      type: 'COMPLAINT',
      category: 'ROAD_REPAIR',
      requester: { name: 'Nihal Arslan', phone },
      description: 'Sokak lambası yanmıyor.',
      location: { district: 'Mezitli', neighbourhood: 'Viranşehir' },
    });

    it('item 7: a signed-in intake answer carries no tracking token (staff, platform users, idempotent replays); the SMS does, and the anonymous web form keeps its link', async () => {
      for (const who of [STAFF.agent, STAFF.coordinator, 'meclis.hakan']) {
        const post = () => signedIn(stack, who, (http) => http.post('/tickets').set('Idempotency-Key', `item7-${who}`).send(intake('0532 700 70 01')));
        const first = await post().expect(201);
        const replay = await post().expect(201);
        for (const answer of [first.body, replay.body]) {
          expect(Object.keys(answer).sort()).toEqual(['number', 'receivedAt', 'status', 'workflowId']);
          expect(JSON.stringify(answer)).not.toMatch(/k=|\/t\//);
        }
        // The citizen's acknowledgement still carries the link, to the number on file.
        const [ack] = await t.settledOutbox(first.body.number, 1);
        const sms = stack.sms.sent.find((m) => m.reference === ack.notification_key)!;
        expect(sms.to).toBe('+905327007001');
        expect(sms.body).toMatch(new RegExp(`/t/${first.body.number}\\?k=[\\w-]{32}`));
      }
      const anonymous = await stack.http.post('/tickets').send(intake('0532 700 70 02')).expect(201);
      expect(new URL(anonymous.body.trackingUrl).searchParams.get('k')).toMatch(/^[\w-]{32}$/);
    });

    it('item 7: the center re-sends the link to the number on file: once per window however often it is asked, recorded, never in the answer', async () => {
      const ticket = await t.create();
      await t.settledOutbox(ticket.number, 1);
      const resend = (who: string) => signedIn(stack, who, (http) => http.post(`/tickets/${ticket.number}/resend-link`).send());

      const [{ name: agentName }] = await stack.db.query(`SELECT name FROM staff WHERE id = $1`, [STAFF.agent]);
      // A double click: one SMS.
      const [a, b] = await Promise.all([resend(STAFF.agent), resend(STAFF.agent)]);
      expect([a.status, b.status]).toEqual([202, 202]);
      expect([a.body.status, b.body.status].sort()).toEqual(['ALREADY_REQUESTED', 'SENDING']);
      expect(a.body.notificationKey).toBe(b.body.notificationKey);
      expect(a.body).toMatchObject({ number: ticket.number, to: '+90532*****21', requestedBy: STAFF.agent, requestedByName: agentName, notificationKey: expect.stringMatching(new RegExp(`^ticket-${ticket.number}:LINK_RESENT:\\d+$`)) });
      for (const res of [a, b]) expect(JSON.stringify(res.body)).not.toContain(ticket.token);
      // A coordinator asking within the window is told about the same one, and by whom (the name the console shows).
      const c = await resend(STAFF.coordinator).expect(202);
      expect(c.body).toMatchObject({ status: 'ALREADY_REQUESTED', notificationKey: a.body.notificationKey, requestedBy: STAFF.agent, requestedByName: agentName });

      const row = await waitFor(async () => {
        const [r] = await stack.db.query(`SELECT status, recipient_phone, body FROM sms_outbox WHERE notification_key = $1`, [a.body.notificationKey]);
        return r?.status === 'SENT' ? r : null;
      }, { what: 'the re-sent link' });
      expect(row.recipient_phone).toBe('+905327654321');
      expect(row.body).toContain(`/t/${ticket.number}?k=***`);
      const sent = stack.sms.sent.filter((m) => m.reference.startsWith(`ticket-${ticket.number}:LINK_RESENT:`));
      expect(sent).toHaveLength(1);
      expect(sent[0].to).toBe('+905327654321');
      expect(sent[0].body).toContain(ticket.trackingUrl);
      // Its workflow (not the ticket's) carries ids only: no token, no phone.
      const seq = a.body.notificationKey.split(':').at(-1);
      const history = JSON.stringify(await stack.client.workflow.getHandle(`link-resend-${ticket.number}-${seq}`).fetchHistory());
      expect(history).not.toContain(ticket.token);
      expect(history).not.toContain('5327654321');

      // Recorded, append-only.
      const audit = await stack.db.query(`SELECT requested_by FROM tracking_link_resends r JOIN tickets t ON t.id = r.ticket_id WHERE t.number = $1`, [ticket.number]);
      expect(audit).toEqual([{ requested_by: STAFF.agent }]);
      await expect(stack.db.query(`DELETE FROM tracking_link_resends`)).rejects.toThrow(/permission denied/);

      // After the window, asking again texts again.
      await new Promise((resolve) => setTimeout(resolve, 3_200));
      const later = await resend(STAFF.coordinator).expect(202);
      expect(later.body).toMatchObject({ status: 'SENDING', requestedBy: STAFF.coordinator });
      expect(later.body.notificationKey).not.toBe(a.body.notificationKey);
      await waitFor(async () => (stack.sms.sent.filter((m) => m.reference.startsWith(`ticket-${ticket.number}:LINK_RESENT:`)).length === 2 ? true : null), { what: 'the second re-send' });
    });

    it('item 7: only the center re-sends, only to a number that can be texted', async () => {
      const ticket = await t.create();
      await stack.http.post(`/tickets/${ticket.number}/resend-link`).expect(401);
      await stack.http.post(`/tickets/${ticket.number}/resend-link`).set('X-Tracking-Token', ticket.token).expect(401);
      for (const who of [STAFF.fenExpert, STAFF.fenHead, STAFF.auditor, 'muhtar.mentes', 'meclis.hakan']) {
        const res = await signedIn(stack, who, (http) => http.post(`/tickets/${ticket.number}/resend-link`).send()).expect(403);
        expect(res.body.code).toBe('FORBIDDEN');
      }
      await signedIn(stack, STAFF.agent, (http) => http.post('/tickets/2026-999999/resend-link').send()).expect(404);
      const landline = await t.create({ requester: { name: 'Sabit Hat', phone: '(0324) 222 33 45' } });
      const refused = await signedIn(stack, STAFF.agent, (http) => http.post(`/tickets/${landline.number}/resend-link`).send()).expect(409);
      expect(refused.body.code).toBe('CITIZEN_NOT_TEXTABLE');
      expect(await stack.db.query(`SELECT count(*)::int AS n FROM tracking_link_resends WHERE ticket_id = ANY($1::uuid[])`, [[ticket.id, landline.id]])).toEqual([{ n: 0 }]);
    });
  });
});
