/**
 * A refusal of the Open311 API, in GeoReport's terms: an HTTP status and a description (the
 * error list `[{code, description}]`). `retryAfter` (seconds) goes out as `Retry-After` on a 429.
 */
export class Open311Error extends Error {
  constructor(
    readonly status: 400 | 403 | 404 | 415 | 429,
    description: string,
    readonly retryAfter?: number,
  ) {
    super(description);
    this.name = 'Open311Error';
  }
}

export const open311BadRequest = (field: string, message: string) => new Open311Error(400, `${field}: ${message}`);
