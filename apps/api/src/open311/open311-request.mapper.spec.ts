import { toOpen311Request, type PublicRequestRow } from './open311-request.mapper';

const row = (overrides: Partial<PublicRequestRow> = {}): PublicRequestRow => ({
  number: '2026-000042',
  status: 'IN_PROGRESS',
  service_code: 'ROAD_REPAIR',
  service_name: 'Yol, kaldırım ve asfalt onarımı',
  department_name: 'Fen İşleri Dairesi Başkanlığı',
  institution_name: 'Mersin Büyükşehir Belediyesi',
  received_at: new Date('2026-11-01T08:00:00Z'),
  updated_at: new Date('2026-11-02T08:00:00Z'),
  sla_due_at: new Date('2026-11-04T08:00:00Z'),
  district: 'Yenişehir',
  neighbourhood: 'Menteş',
  lat: '36.787149',
  lng: '34.583651',
  media_url: null,
  citizen_attachment_id: null,
  answer: null,
  referred_to: null,
  ...overrides,
});

describe('a ticket as Open311 shows it', () => {
  it('open while in the process, closed once resolved, referred, rejected or closed', () => {
    for (const status of ['RECEIVED', 'TRIAGE', 'IN_DEPARTMENT', 'IN_PROGRESS', 'WAITING_FOR_CITIZEN', 'IN_APPROVAL', 'APPROVED'] as const) expect(toOpen311Request(row({ status })).status).toBe('open');
    for (const status of ['RESOLVED', 'REFERRED', 'REJECTED', 'CLOSED'] as const) expect(toOpen311Request(row({ status })).status).toBe('closed');
  });

  it('coordinates rounded to 3 decimals, the place as neighbourhood and district only, never a description', () => {
    const r = toOpen311Request(row());
    expect(r).toMatchObject({ lat: 36.787, long: 34.584, address: 'Menteş, Yenişehir, Mersin', description: null });
    expect(toOpen311Request(row({ lat: '-0.0004', lng: '179.9996' }))).toMatchObject({ lat: -0, long: 180 });
    expect(toOpen311Request(row({ lat: null, lng: null, district: null, neighbourhood: null }))).toMatchObject({ lat: null, long: null, address: null });
    expect(toOpen311Request(row({ neighbourhood: null })).address).toBe('Yenişehir, Mersin');
  });

  it('agency: the department, or the institution before one is assigned; notes: the answer, else the referral', () => {
    expect(toOpen311Request(row({ department_name: null })).agency_responsible).toBe('Mersin Büyükşehir Belediyesi');
    expect(toOpen311Request(row({ answer: 'Onarıldı.', referred_to: 'Karayolları' })).status_notes).toBe('Onarıldı.');
    expect(toOpen311Request(row({ referred_to: 'Karayolları 5. Bölge' })).status_notes).toContain('Karayolları 5. Bölge');
    expect(toOpen311Request(row()).status_notes).toBeNull();
  });

  it('dates in ISO 8601 with their zone, to the minute; expected_datetime from the running SLA, null while paused', () => {
    expect(toOpen311Request(row())).toMatchObject({ requested_datetime: '2026-11-01T08:00:00Z', updated_datetime: '2026-11-02T08:00:00Z', expected_datetime: '2026-11-04T08:00:00Z' });
    const precise = toOpen311Request(row({ received_at: new Date('2026-11-01T08:14:59.987Z'), updated_at: new Date('2026-11-02T23:59:30.001Z'), sla_due_at: new Date('2026-11-04T08:00:00.999Z') }));
    expect(precise).toMatchObject({ requested_datetime: '2026-11-01T08:14:00Z', updated_datetime: '2026-11-02T23:59:00Z', expected_datetime: '2026-11-04T08:00:00Z' });
    expect(toOpen311Request(row({ sla_due_at: null })).expected_datetime).toBeNull();
  });
});

describe('media_url: the citizen’s own photo before the client’s link', () => {
  it('is a signed URL of the citizen’s attachment when there is one, else the link the client sent', () => {
    const url = (id: string) => `https://teksin.example/attachments/${id}/display?sig=x`;
    expect(toOpen311Request(row({ media_url: 'https://client.example/p.jpg', citizen_attachment_id: 'a-1' }), url).media_url).toBe('https://teksin.example/attachments/a-1/display?sig=x');
    expect(toOpen311Request(row({ media_url: 'https://client.example/p.jpg', citizen_attachment_id: null }), url).media_url).toBe('https://client.example/p.jpg');
  });
});
