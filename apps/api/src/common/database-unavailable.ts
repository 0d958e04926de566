/** How long a 503 asks the caller to wait before retrying (`Retry-After`, seconds). */
export const RETRY_AFTER_SECONDS = 5;

/** Node's socket errors when PostgreSQL is not there. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTCONN']);

/** node-postgres's own messages for a lost or unobtainable connection. */
const PG_MESSAGES = [/connection terminated/i, /timeout exceeded when trying to connect/i, /connection (?:is )?closed/i, /Client has encountered a connection error/i];

/**
 * Whether an error means PostgreSQL is unreachable (down, restarting, refusing connections)
 * rather than a bug: SQLSTATE class 08 (connection exception), 57P01-57P03 (shutting down,
 * cannot connect now), 25P03 (idle-in-transaction timeout), socket errors, node-postgres's connection messages. TypeORM wraps the
 * driver's error in `driverError`.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e = error as { code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 4; depth++) {
    const code = typeof e.code === 'string' ? e.code : '';
    // 25P03: the server ended a session left idle in a transaction (DATABASE_IDLE_IN_TRANSACTION_TIMEOUT).
    if (code.startsWith('08') || ['57P01', '57P02', '57P03', '25P03'].includes(code) || SOCKET_CODES.has(code)) return true;
    if (typeof e.message === 'string' && PG_MESSAGES.some((re) => re.test(e!.message as string))) return true;
    e = (e.driverError ?? e.cause) as typeof e;
  }
  return false;
}

/**
 * Whether PostgreSQL cancelled a statement (SQLSTATE 57014, query_canceled): it ran past
 * DATABASE_STATEMENT_TIMEOUT (or an operator cancelled it). The request asked too much of the
 * database right now; it is not a bug, and the connection is fine.
 */
export function isStatementTimeout(error: unknown): boolean {
  for (let e = error as { code?: unknown; driverError?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 4; depth++) {
    if (e.code === '57014') return true;
    e = (e.driverError ?? e.cause) as typeof e;
  }
  return false;
}
