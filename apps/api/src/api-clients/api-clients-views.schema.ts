import { described, dt, int, ndt, nstr, obj, str, type ViewOf } from '../common/view-schema';

const client = {
  id: str,
  name: str,
  contact: str,
  requestsPerMinute: int,
  keyPrefix: described(str, 'The key’s public part (o311_<keyPrefix>.…), to tell keys apart'),
  createdBy: str,
  createdAt: dt,
  revokedAt: ndt,
  revokedBy: nstr,
};

/** An API client as the ADMIN sees it: never its key or the key's hash. */
export const API_CLIENT_VIEW = obj(client);
export type ApiClientView = ViewOf<typeof API_CLIENT_VIEW>;

/** POST /admin/api-clients: the client with its key, in this answer only. */
export const NEW_API_CLIENT = obj({ ...client, apiKey: described(str, 'The whole key (o311_<prefix>.<secret>): shown once, stored hashed') });
export type NewApiClient = ViewOf<typeof NEW_API_CLIENT>;
