import { startTestStack, type TestStack } from './support/test-stack';

/** Mersin's districts and neighbourhoods as reference data (GET /districts), and intake checking them. */
describe('districts and neighbourhoods', () => {
  let stack: TestStack;
  const ticket = (location: Record<string, unknown>) =>
    stack.http.post('/tickets').send({
      channel: 'CALL_CENTER',
      type: 'COMPLAINT',
      category: 'ROAD_REPAIR',
      requester: { name: 'Fatma Şen', phone: '0532 765 43 21' },
      description: 'Kaldırım taşları yerinden çıkmış.',
      location,
    });

  beforeAll(async () => {
    stack = await startTestStack({ worker: false });
  });
  afterAll(() => stack?.close());

  it('GET /districts: the 13 districts of Mersin, each with its neighbourhoods', async () => {
    const res = await stack.http.get('/districts').expect(200);
    expect(res.body.map((d: { name: string }) => d.name)).toEqual([
      'Akdeniz', 'Anamur', 'Aydıncık', 'Bozyazı', 'Çamlıyayla', 'Erdemli', 'Gülnar', 'Mezitli', 'Mut', 'Silifke', 'Tarsus', 'Toroslar', 'Yenişehir',
    ]);
    const byName = Object.fromEntries(res.body.map((d: { name: string; neighbourhoods: string[] }) => [d.name, d.neighbourhoods]));
    expect(byName['Yenişehir']).toContain('Menteş');
    expect(byName['Mezitli']).toContain('Viranşehir');
    for (const names of Object.values(byName) as string[][]) expect(names.length).toBeGreaterThan(10);
  });

  it('intake takes a listed place, spelled as the list spells it whatever the case and diacritics', async () => {
    const res = await ticket({ district: 'yenisehir', neighbourhood: 'MENTES', address: 'serbest adres, 1234. Sokak' }).expect(201);
    const [row] = await stack.db.query('SELECT district, neighbourhood, address FROM tickets WHERE number = $1', [res.body.number]);
    expect(row).toEqual({ district: 'Yenişehir', neighbourhood: 'Menteş', address: 'serbest adres, 1234. Sokak' });
    await ticket({ district: 'Mezitli', neighbourhood: 'Viranşehir' }).expect(201);
    await ticket({ district: 'Tarsus' }).expect(201);
    await ticket({ address: 'Adres yalnız' }).expect(201);
  });

  it.each([
    [{ district: 'Çankaya' }, 'location.district'],
    [{ district: 'Yenişehir', neighbourhood: 'Viranşehir' }, 'location.neighbourhood'],
    [{ neighbourhood: 'Menteş' }, 'location.district'],
  ])('400 naming the field for %j', async (location, field) => {
    const res = await ticket(location).expect(400);
    expect(res.body.errors).toEqual([{ field, messages: [expect.stringContaining('GET /districts')] }]);
  });
});
