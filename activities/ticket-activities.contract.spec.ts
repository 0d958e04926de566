import { createActivities } from './create-activities';
import { trackingUrl } from './tracking-link';
import { notificationKey } from './ticket-activities.contract';

/** The activities' pure parts: the outbox key, the tracking link, the registration table. */
describe('notificationKey', () => {
  it('is ticket-<number>:<purpose>:<seq>', () => {
    expect(notificationKey('2026-000123', 'RESOLVED', 17)).toBe('ticket-2026-000123:RESOLVED:17');
  });

  it('differs for every part: another ticket, purpose or event is another notification', () => {
    const keys = new Set([
      notificationKey('2026-000123', 'RESOLVED', 17),
      notificationKey('2026-000124', 'RESOLVED', 17),
      notificationKey('2026-000123', 'CLOSED', 17),
      notificationKey('2026-000123', 'RESOLVED', 18),
      notificationKey('2026-000123', 'RESOLVED', 1),
    ]);
    expect(keys.size).toBe(5);
  });
});

describe('trackingUrl', () => {
  it('is <base>/t/<number>?k=<token>', () => {
    expect(trackingUrl('https://teksin.example', '2026-000123', 'AbC-_9')).toBe('https://teksin.example/t/2026-000123?k=AbC-_9');
  });

  it('encodes what is not URL-safe, so the link always carries the whole token', () => {
    const url = new URL(trackingUrl('https://teksin.example', '2026-000123', 'a+b/c=&d'));
    expect(url.searchParams.get('k')).toBe('a+b/c=&d');
    expect(url.pathname).toBe('/t/2026-000123');
  });
});

describe('createActivities', () => {
  it('routes every activity to its owner, with the input unchanged', async () => {
    const calls: [string, unknown][] = [];
    const record = (name: string, result: unknown) => async (input: unknown) => {
      calls.push([name, input]);
      return result;
    };
    const activities = createActivities({
      projection: { recordTicketEvents: record('recordTicketEvents', undefined) } as never,
      notifications: { sendNotification: record('sendNotification', { key: 'k', status: 'SENT' }) } as never,
      organisation: {
        computeApprovalChain: record('computeApprovalChain', [{ level: 1, approverId: 'a' }]),
        getDepartmentRouting: record('getDepartmentRouting', { assignmentMode: 'MANUAL', categorySlaMs: 1 }),
        pickLeastLoadedExpert: record('pickLeastLoadedExpert', 'expert-1'),
      } as never,
    });
    const inputs = {
      recordTicketEvents: { ticketId: 't', events: [], view: {} },
      sendNotification: { ticketId: 't', number: 'n', purpose: 'RESOLVED', seq: 1, recipient: { kind: 'CITIZEN' }, params: {} },
      computeApprovalChain: { departmentId: 'd', expertId: 'e' },
      getDepartmentRouting: { departmentId: 'd', category: 'c' },
      pickLeastLoadedExpert: { departmentId: 'd' },
    };
    await expect(activities.recordTicketEvents(inputs.recordTicketEvents as never)).resolves.toBeUndefined();
    await expect(activities.sendNotification(inputs.sendNotification as never)).resolves.toEqual({ key: 'k', status: 'SENT' });
    await expect(activities.computeApprovalChain(inputs.computeApprovalChain)).resolves.toEqual([{ level: 1, approverId: 'a' }]);
    await expect(activities.getDepartmentRouting(inputs.getDepartmentRouting)).resolves.toEqual({ assignmentMode: 'MANUAL', categorySlaMs: 1 });
    await expect(activities.pickLeastLoadedExpert(inputs.pickLeastLoadedExpert)).resolves.toBe('expert-1');
    expect(calls).toEqual(Object.entries(inputs));
  });
});
