import { notificationKey } from './notification-key';

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
