import { randomUUID } from 'node:crypto';
import { STAFF, TicketDriver, type CreatedTicket } from './support/ticket-driver';
import { startTestStack, type TestStack } from './support/test-stack';

/**
 * The tracking token is the citizen's only key: whoever holds it reads their request and may
 * withdraw, reopen or answer it. These tests send almost-right tokens — a prefix, the token
 * with one character changed or one appended, another ticket's token, nothing — to every route
 * that takes one, black-box through HTTP, and check that none of them opens anything or changes
 * the ticket. The real token, sent last, proves each route would have worked.
 *
 * Refusal statuses: 401 today for the commands and the tracking page; a later change may answer
 * 404 instead (not revealing that the ticket exists), so both are accepted. GET /tickets/:number
 * answers the public view (status only, no personal data) to a wrong token today.
 */

/** Replaces the character at `index` with another character of the token alphabet (base64url). */
const changeAt = (token: string, index: number): string => {
  const i = index < 0 ? token.length + index : index;
  const replacement = token[i] === 'A' ? 'B' : 'A';
  return token.slice(0, i) + replacement + token.slice(i + 1);
};

/** Every almost-right variant of a ticket's token, named for the failure message. */
export function almostRightTokens(token: string, otherTicketsToken: string): [string, string][] {
  const half = Math.floor(token.length / 2);
  return [
    ['a one-character prefix', token.slice(0, 1)],
    ['the first half', token.slice(0, half)],
    ['all but the last character', token.slice(0, -1)],
    ['the first character changed', changeAt(token, 0)],
    ['a middle character changed', changeAt(token, half)],
    ['the last character changed', changeAt(token, -1)],
    ['one character appended', `${token}A`],
    ['the token repeated', token + token],
    ['another ticket’s token', otherTicketsToken],
    ['an empty token', ''],
  ];
}

describe('almost-right tracking tokens open nothing and change nothing', () => {
  let stack: TestStack;
  let t: TicketDriver;
  /** Unique text the ticket's personal data contains, to search response bodies for. */
  const secret = `gizli-${randomUUID().slice(0, 8)}`;
  const requesterName = `Nermin ${secret}`;
  const description = `Evimin önündeki rögar kapağı kırık (${secret}).`;

  let inTriage: CreatedTicket;
  let waiting: CreatedTicket;
  let resolved: CreatedTicket;
  let other: CreatedTicket;

  beforeAll(async () => {
    stack = await startTestStack();
    t = new TicketDriver(stack);
    const personal = { requester: { name: requesterName, phone: '0532 111 22 33' }, description };
    other = await t.create();
    inTriage = await t.create(personal);

    waiting = await t.toInProgress(personal);
    await t.staff(STAFF.fenExpert, waiting.number, 'request-info', { question: 'Kapı numaranız nedir?' }).expect(200);

    resolved = await t.toApproved(personal);
    await t.staff(STAFF.coordinator, resolved.number, 'finalize', { summary: 'Rögar kapağı değiştirildi.' }).expect(200);
  });
  afterAll(async () => {
    await stack?.close();
  });

  /** Everything a refused request must leave as it was: the row, the audit trail, the stored texts, the workflow history. */
  const snapshot = async (ticket: CreatedTicket) => {
    const [row] = await stack.db.query(
      `SELECT status, outcome, last_event_seq, reopen_count,
              (SELECT count(*)::int FROM ticket_events e WHERE e.ticket_id = t.id) AS events,
              (SELECT count(*)::int FROM ticket_texts x WHERE x.ticket_id = t.id) AS texts
         FROM tickets t WHERE t.number = $1`,
      [ticket.number],
    );
    return { ...row, updates: await t.updateEventCount(ticket.number) };
  };

  const expectNoPersonalData = (body: unknown, text = '') => {
    const serialized = `${JSON.stringify(body ?? {})}${text}`;
    expect(serialized).not.toContain(secret);
    expect(serialized).not.toContain('5321112233');
  };

  const expectRefused = (res: { status: number; body: unknown; text: string }, what: string) => {
    if (![401, 404].includes(res.status)) {
      throw new Error(`${what}: expected 401 or 404, got ${res.status} ${res.text.slice(0, 300)}`);
    }
    expectNoPersonalData(res.body, res.text);
  };

  describe('GET /tickets/:number with X-Tracking-Token', () => {
    it('the real token opens the citizen’s view (control)', async () => {
      const res = await stack.http.get(`/tickets/${inTriage.number}`).set('X-Tracking-Token', inTriage.token).expect(200);
      expect(res.body.description).toBe(description);
      expect(res.body.timeline.map((e: { type: string }) => e.type)).toContain('RECEIVED');
    });

    it('an almost-right token gets at most the public view: no description, requester, location or timeline', async () => {
      for (const [what, token] of almostRightTokens(inTriage.token, other.token)) {
        const res = await stack.http.get(`/tickets/${inTriage.number}`).set('X-Tracking-Token', token);
        if (res.status === 200) {
          expect({ what, keys: Object.keys(res.body).sort() }).toEqual({
            what,
            keys: expect.not.arrayContaining(['description', 'requester', 'location', 'timeline', 'reopenUntil']),
          });
          expect(res.body).toMatchObject({ number: inTriage.number, status: 'TRIAGE' });
          expectNoPersonalData(res.body);
        } else {
          expectRefused(res, what);
        }
      }
    });
  });

  describe('GET /t/:number?k= (the tracking page)', () => {
    it('the real token opens the page (control)', async () => {
      const res = await stack.http.get(`/t/${inTriage.number}?k=${encodeURIComponent(inTriage.token)}`).expect(200);
      expect(res.text).toContain(inTriage.number);
      expect(res.text).toContain('Koordinasyon merkezinde');
    });

    it('an almost-right token does not open it', async () => {
      for (const [what, token] of almostRightTokens(inTriage.token, other.token)) {
        const res = await stack.http.get(`/t/${inTriage.number}?k=${encodeURIComponent(token)}`);
        expectRefused(res, what);
        expect(res.text).not.toContain('Koordinasyon merkezinde');
      }
    });

    it('no token at all does not open it', async () => {
      expectRefused(await stack.http.get(`/t/${inTriage.number}`), 'no k parameter');
    });
  });

  describe.each([
    ['info-provided', () => waiting, { answer: 'Kapı numaram 12.' }, 'IN_PROGRESS'],
    ['withdraw', () => inTriage, {}, 'CLOSED'],
    ['reopen', () => resolved, { reason: 'Kapak yine kırıldı.' }, 'TRIAGE'],
  ] as const)('POST /tickets/:number/%s with X-Tracking-Token', (route, ticketOf, body, after) => {
    it('an almost-right token is refused and changes nothing: status, audit trail, texts, workflow history', async () => {
      const ticket = ticketOf();
      const before = await snapshot(ticket);
      for (const [what, token] of almostRightTokens(ticket.token, other.token)) {
        const res = await stack.http.post(`/tickets/${ticket.number}/${route}`).set('X-Tracking-Token', token).send(body);
        expectRefused(res, what);
      }
      expectRefused(await stack.http.post(`/tickets/${ticket.number}/${route}`).send(body), 'no header');
      expect(await snapshot(ticket)).toEqual(before);
    });

    it(`the real token works (control): the ticket moves to ${after}`, async () => {
      const ticket = ticketOf();
      const res = await t.citizen(ticket, route, body).expect(200);
      expect(res.body.status).toBe(after);
    });
  });
});
