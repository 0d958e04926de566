import { Open311Error } from './open311.error';
import { readSubmission } from './open311-request.form';

const base = { api_key: 'k', service_code: 'ROAD_REPAIR', lat: '36.7871', long: '34.5834', description: 'Çukur var.', first_name: 'Deniz', last_name: 'Ak', phone: '0532 123 45 67' };
const refusal = async (body: unknown) => {
  try {
    await readSubmission(body);
    return 'accepted';
  } catch (error) {
    if (error instanceof Open311Error) return `${error.status} ${error.message}`;
    throw error;
  }
};

describe('POST requests form', () => {
  it('becomes the intake contract: WEB, REQUEST, the service as category, one name, the phone in E.164', async () => {
    const { dto, serviceCode, mediaUrl } = await readSubmission({ ...base, media_url: 'https://x.example/a.jpg', email: 'd@example.org', device_id: 'abc', account_id: '7', jurisdiction_id: 'j' });
    expect(serviceCode).toBe('ROAD_REPAIR');
    expect(mediaUrl).toBe('https://x.example/a.jpg');
    expect(dto).toMatchObject({ channel: 'WEB', type: 'REQUEST', category: 'ROAD_REPAIR', requester: { name: 'Deniz Ak', phone: '+905321234567' }, description: 'Çukur var.', location: { lat: 36.7871, lng: 34.5834 } });
    expect(JSON.stringify(dto)).not.toContain('d@example.org');
  });

  it('a location is lat with long, or address_string', async () => {
    const { dto } = await readSubmission({ ...base, lat: undefined, long: undefined, address_string: ' 1234. Sokak ' });
    expect(dto.location).toEqual({ address: '1234. Sokak' });
    expect(await refusal({ ...base, lat: undefined, long: undefined })).toMatch(/^400 location: lat and long, or address_string/);
    expect(await refusal({ ...base, lat: '', long: '' })).toMatch(/^400 location/);
    expect(await refusal({ ...base, long: undefined })).toMatch(/^400 long: lat and long go together/);
    for (const bad of ['1e2', 'NaN', '36,78', '--3', 'Infinity']) expect(await refusal({ ...base, lat: bad })).toMatch(/^400 lat: must be a decimal number/);
    expect(await refusal({ ...base, lat: '90.0001' })).toMatch(/^400 lat: lat must not be greater than 90/);
    expect(await refusal({ ...base, long: '-180.5' })).toMatch(/^400 long: long must not be less than -180/);
  });

  it('what Teksin needs that GeoReport leaves optional: a name, a phone, a description', async () => {
    expect(await refusal({ ...base, first_name: ' ', last_name: undefined })).toMatch(/^400 first_name\/last_name/);
    expect((await readSubmission({ ...base, first_name: undefined })).dto.requester.name).toBe('Ak');
    expect(await refusal({ ...base, phone: undefined })).toMatch(/^400 phone: is required/);
    expect(await refusal({ ...base, phone: '0212 12' })).toMatch(/^400 phone: phone must be a valid phone number/);
    expect(await refusal({ ...base, description: undefined })).toMatch(/^400 description: is required/);
    expect(await refusal({ ...base, first_name: 'x'.repeat(201) })).toMatch(/^400 first_name\/last_name/);
  });

  it('refuses rather than drops: unknown parameters, attributes, repeated names, control characters, bad e-mail or media URL', async () => {
    expect(await refusal({ ...base, colour: 'red' })).toBe('400 colour: is not a parameter of POST requests');
    expect(await refusal({ ...base, 'attribute[DEPTH]': '3' })).toMatch(/^400 attribute\[DEPTH\]: this service defines no attributes/);
    expect(await refusal({ ...base, phone: ['0532 123 45 67', '0532 123 45 68'] })).toBe('400 phone: must be given once');
    expect(await refusal({ ...base, description: 'a\u0000b' })).toMatch(/^400 description: must not contain control characters/);
    expect(await refusal({ ...base, email: 'nope' })).toMatch(/^400 email/);
    for (const url of ['ftp://x.example/a', 'javascript:alert(1)', 'not a url', `https://x.example/${'a'.repeat(2000)}`]) expect(await refusal({ ...base, media_url: url })).toMatch(/^400 media_url/);
    expect(await refusal(undefined)).toMatch(/^400 the request must be form-encoded/);
    expect(await refusal({ ...base, service_code: undefined })).toMatch(/^400 service_code: is required/);
  });
});
