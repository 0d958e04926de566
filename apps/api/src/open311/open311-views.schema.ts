import { ApiResponse } from '@nestjs/swagger';
import { arr, bool, described, dt, e, ndt, nnum, nstr, obj, str, type Schema, type ViewOf } from '../common/view-schema';

/**
 * GeoReport v2's answers in JSON, for the OpenAPI document; the `.xml` form carries the same
 * fields as elements under the spec's root (`<services><service>…`).
 */
const alwaysNull = (why: string) => described(nstr, `Always null: ${why}`);

export const OPEN311_DISCOVERY = obj({
  changeset: str,
  contact: str,
  key_service: str,
  endpoints: arr(obj({ specification: str, url: str, changeset: str, type: e(['production']), formats: arr(str) })),
});

export type Open311Discovery = ViewOf<typeof OPEN311_DISCOVERY>;

export const OPEN311_SERVICES = arr(obj({ service_code: str, service_name: str, description: str, metadata: bool, type: e(['realtime']), keywords: str, group: str }));

export type Open311ServiceView = ViewOf<typeof OPEN311_SERVICES>[number];

export const OPEN311_SERVICE_DEFINITION = obj({ service_code: str, attributes: described(arr(obj({})), 'No category asks for extra fields: always empty') });

export type Open311ServiceDefinition = ViewOf<typeof OPEN311_SERVICE_DEFINITION>;

export const OPEN311_CREATED = arr(obj({ service_request_id: described(str, 'The ticket number'), service_notice: alwaysNull('no notice'), account_id: alwaysNull('no accounts') }));

export type Open311Created = ViewOf<typeof OPEN311_CREATED>[number];

/** One service request as anyone may read it (toOpen311Request, open311-request.mapper.ts): public fields only. */
export const OPEN311_REQUEST = obj({
  service_request_id: str,
  status: e(['open', 'closed']),
  status_notes: described(nstr, 'The public answer, or where a referred ticket went'),
  service_name: str,
  service_code: str,
  description: alwaysNull('the citizen’s own words are not published'),
  agency_responsible: str,
  service_notice: alwaysNull('no notice'),
  requested_datetime: described(dt, 'To the minute'),
  updated_datetime: described(dt, 'To the minute'),
  expected_datetime: ndt,
  address: described(nstr, 'Neighbourhood and district, never the street address'),
  address_id: alwaysNull('no address ids'),
  zipcode: alwaysNull('no zip codes'),
  lat: described(nnum, 'Rounded to 3 decimals (~100 m)'),
  long: nnum,
  media_url: nstr,
});
export type Open311Request = ViewOf<typeof OPEN311_REQUEST>;
export const OPEN311_REQUESTS = arr(OPEN311_REQUEST);

/** The answer in both formats: JSON with its schema, XML as text. */
export const Open311Answer = <T>(status: number, schema: Schema<T>, description?: string) =>
  ApiResponse({ status, description, content: { 'application/json': { schema }, 'text/xml': { schema: { type: 'string' } } } });
