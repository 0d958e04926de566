import { plainToInstance } from 'class-transformer';
import { isEmail, validate, type ValidationError } from 'class-validator';
import { CONTROL_CHARACTERS } from '../common/text-fields';
import { CreateTicketDto } from '../tickets/dto/create-ticket.dto';
import { Open311Error, open311BadRequest } from './open311.error';

/** The parameters of GeoReport v2's POST Service Request, besides `attribute[code]`. */
export const POST_PARAMETERS = [
  'api_key',
  'jurisdiction_id',
  'service_code',
  'lat',
  'long',
  'address_string',
  'address_id',
  'email',
  'device_id',
  'account_id',
  'first_name',
  'last_name',
  'phone',
  'description',
  'media_url',
] as const;
type PostParameter = (typeof POST_PARAMETERS)[number];

export const MEDIA_URL_MAX = 2000;

/** A POST Service Request read into Teksin's intake contract, with what the intake does not carry. */
export interface Open311Submission {
  serviceCode: string;
  dto: CreateTicketDto;
  mediaUrl?: string;
}

/** Where each field of the intake contract comes from in the form: errors name the form's field. */
const FORM_FIELD: Record<string, string> = {
  category: 'service_code',
  'requester.name': 'first_name/last_name',
  'requester.phone': 'phone',
  description: 'description',
  'location.address': 'address_string',
  'location.lat': 'lat',
  'location.lng': 'long',
};

const COORDINATE = /^[-+]?(\d+(\.\d*)?|\.\d+)$/;

function flatten(errors: ValidationError[], parent = ''): { field: string; messages: string[] }[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    return [...(e.constraints ? [{ field, messages: Object.values(e.constraints) }] : []), ...flatten(e.children ?? [], field)];
  });
}

/**
 * Reads a form-encoded POST Service Request (values as body-parser gives them: a string, or a
 * list when a name is repeated) into the intake contract, and checks it with the intake's own
 * DTO rules. Teksin needs what GeoReport leaves optional: a description, a name and a phone
 * (the citizen is texted the tracking link), and a location (lat/long or address_string).
 * Every refusal is a 400 naming the form's field; `email`, `device_id`, `account_id` are read
 * and checked but not kept, `address_id` is not supported. No service defines attributes, so
 * any `attribute[…]` is refused rather than dropped.
 */
export async function readSubmission(body: unknown): Promise<Open311Submission> {
  if (typeof body !== 'object' || body === null) throw new Open311Error(400, 'the request must be form-encoded (application/x-www-form-urlencoded)');
  const form = body as Record<string, unknown>;
  const values: Partial<Record<PostParameter, string>> = {};
  for (const [name, value] of Object.entries(form)) {
    if (value === undefined) continue;
    if (/^attribute\[.*\]$/.test(name)) throw open311BadRequest(name, 'this service defines no attributes (metadata is false in services.json)');
    if (!(POST_PARAMETERS as readonly string[]).includes(name)) throw open311BadRequest(name, 'is not a parameter of POST requests');
    if (typeof value !== 'string') throw open311BadRequest(name, 'must be given once');
    if (CONTROL_CHARACTERS.test(value)) throw open311BadRequest(name, 'must not contain control characters');
    values[name as PostParameter] = value;
  }
  const given = (name: PostParameter) => (values[name]?.trim() ? values[name]!.trim() : undefined);

  const serviceCode = given('service_code');
  if (!serviceCode) throw open311BadRequest('service_code', 'is required (see services.json)');

  const lat = given('lat');
  const long = given('long');
  const address = given('address_string');
  if ((lat === undefined) !== (long === undefined)) throw open311BadRequest(lat === undefined ? 'lat' : 'long', 'lat and long go together');
  for (const [name, value] of [['lat', lat], ['long', long]] as const) {
    if (value !== undefined && !COORDINATE.test(value)) throw open311BadRequest(name, 'must be a decimal number (WGS84)');
  }
  if (lat === undefined && address === undefined) {
    throw open311BadRequest('location', given('address_id') ? 'address_id is not supported: send lat and long, or address_string' : 'lat and long, or address_string, are required');
  }

  const email = given('email');
  if (email !== undefined && (email.length > 254 || !isEmail(email))) throw open311BadRequest('email', 'must be an e-mail address');

  const mediaUrl = given('media_url');
  if (mediaUrl !== undefined) {
    let url: URL | null = null;
    try {
      url = new URL(mediaUrl);
    } catch {
      url = null;
    }
    if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || mediaUrl.length > MEDIA_URL_MAX) {
      throw open311BadRequest('media_url', `must be an http(s) URL of at most ${MEDIA_URL_MAX} characters`);
    }
  }

  const name = [given('first_name'), given('last_name')].filter(Boolean).join(' ');
  if (!name) throw open311BadRequest('first_name/last_name', 'a name is required');
  if (!given('phone')) throw open311BadRequest('phone', 'is required: the citizen is texted the tracking link');
  if (!given('description')) throw open311BadRequest('description', 'is required');

  const dto = plainToInstance(CreateTicketDto, {
    channel: 'WEB',
    type: 'REQUEST',
    category: serviceCode,
    requester: { name, phone: given('phone') },
    description: given('description'),
    location: {
      ...(address !== undefined ? { address } : {}),
      ...(lat !== undefined ? { lat: Number(lat), lng: Number(long) } : {}),
    },
  });
  const errors = flatten(await validate(dto, { whitelist: true, forbidNonWhitelisted: true }));
  if (errors.length > 0) {
    const description = errors
      .map(({ field, messages }) => {
        const formField = FORM_FIELD[field] ?? field;
        const property = field.split('.').pop()!;
        return `${formField}: ${messages.map((m) => m.replace(new RegExp(`^${property}\\b`), formField)).join('; ')}`;
      })
      .join('; ');
    throw new Open311Error(400, description);
  }
  return { serviceCode, dto, ...(mediaUrl !== undefined ? { mediaUrl } : {}) };
}
