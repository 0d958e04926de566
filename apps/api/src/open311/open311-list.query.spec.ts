import { Open311Error } from './open311.error';
import { readListQuery } from './open311-list.query';

const NOW = new Date('2026-11-29T12:00:00Z');
const DAY = 24 * 3_600_000;
const refusal = (query: Record<string, unknown>) => {
  try {
    readListQuery(query, NOW);
  } catch (error) {
    if (error instanceof Open311Error) return `${error.status} ${error.message}`;
    throw error;
  }
  return 'accepted';
};

describe('GET requests parameters', () => {
  it('without dates: the last 90 days, every status and service, the first page of 1000', () => {
    expect(readListQuery({}, NOW)).toEqual({ kind: 'range', serviceCodes: null, from: new Date(NOW.getTime() - 90 * DAY), to: NOW, statuses: null, page: 1, pageSize: 1000 });
  });

  it('one date sets the other 90 days away; both may span 90 days, not a millisecond more', () => {
    expect(readListQuery({ start_date: '2026-01-01T00:00:00Z' }, NOW)).toMatchObject({ from: new Date('2026-01-01T00:00:00Z'), to: new Date('2026-04-01T00:00:00Z') });
    expect(readListQuery({ end_date: '2026-04-01T03:00:00+03:00' }, NOW)).toMatchObject({ from: new Date('2026-01-01T00:00:00Z'), to: new Date('2026-04-01T00:00:00Z') });
    expect(refusal({ start_date: '2026-01-01T00:00:00Z', end_date: '2026-04-01T00:00:00Z' })).toBe('accepted');
    expect(refusal({ start_date: '2026-01-01T00:00:00Z', end_date: '2026-04-01T00:00:00.001Z' })).toMatch(/^400 .*90 days/);
    expect(refusal({ start_date: '2026-02-01T00:00:00Z', end_date: '2026-01-31T23:59:59Z' })).toMatch(/^400 end_date/);
  });

  it('dates are W3C date-times with a zone, or plain dates', () => {
    expect(refusal({ start_date: '2026-01-01' })).toBe('accepted');
    expect(readListQuery({ start_date: '', end_date: ' ', status: '' }, NOW)).toEqual(readListQuery({}, NOW));
    expect(refusal({ start_date: '2026-01-01T10:00+03:00' })).toBe('accepted');
    for (const bad of ['2026-01-01T10:00:00', '01/01/2026', 'yesterday', '2026-13-01', '2026-01-01T25:00:00Z']) expect(refusal({ start_date: bad })).toMatch(/^400 start_date/);
  });

  it('status and service_code are comma lists; status is open and/or closed', () => {
    expect(readListQuery({ status: 'open', service_code: 'ROAD_REPAIR, PARK_MAINTENANCE' }, NOW)).toMatchObject({ statuses: ['open'], serviceCodes: ['ROAD_REPAIR', 'PARK_MAINTENANCE'] });
    expect(readListQuery({ status: 'Open,closed,open' }, NOW)).toMatchObject({ statuses: ['open', 'closed'] });
    expect(readListQuery({ status: 'open,' }, NOW)).toMatchObject({ statuses: ['open'] });
    for (const bad of ['pending', ',', 'open,archived']) expect(refusal({ status: bad })).toMatch(/^400 status/);
    expect(refusal({ service_code: ' , ' })).toMatch(/^400 service_code/);
  });

  it('service_request_id overrides every other filter; ids that are no ticket number simply match nothing', () => {
    expect(readListQuery({ service_request_id: '2026-000001, 2026-000002,2026-000001,drop table', status: 'bogus' }, NOW)).toEqual({ kind: 'ids', numbers: ['2026-000001', '2026-000002'] });
    expect(refusal({ service_request_id: Array.from({ length: 101 }, (_, i) => `2026-${String(i).padStart(6, '0')}`).join(',') })).toMatch(/^400 service_request_id: at most 100/);
  });

  it('page and page_size are whole numbers within bounds; anything else, or an unknown or repeated parameter, is a 400', () => {
    expect(readListQuery({ page: '3', page_size: '50' }, NOW)).toMatchObject({ page: 3, pageSize: 50 });
    for (const bad of ['0', '-1', '1.5', '1e3', '1001', ' 5']) expect(refusal({ page_size: bad })).toMatch(/^400 page_size/);
    expect(refusal({ page: '1001' })).toMatch(/^400 page/);
    expect(refusal({ sort: 'asc' })).toMatch(/^400 sort: is not a parameter/);
    expect(refusal({ status: ['open', 'closed'] })).toMatch(/^400 status: must be given once/);
    expect(refusal({ service_code: 'A\u0000' })).toMatch(/control characters/);
  });
});
