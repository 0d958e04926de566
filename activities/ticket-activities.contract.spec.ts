import { createActivities } from './create-activities';

/** The activities' registration table. */
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
