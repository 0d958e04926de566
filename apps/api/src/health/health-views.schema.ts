import { bool, described, e, int, nullable, obj, str, type ViewOf } from '../common/view-schema';

const check = obj({ status: e(['up', 'down']), latencyMs: int, error: str }, ['error']);
export type Check = ViewOf<typeof check>;

/** The hourly SMS budget of the whole system (SMS_HOURLY_BUDGET), as counted in PostgreSQL now: exceeded = acknowledgements are held. */
const smsBudget = obj({ perHour: int, usedThisHour: int, exceeded: bool });
export type SmsBudget = ViewOf<typeof smsBudget>;

/** GET /health: up or degraded for anyone; the checks and the SMS budget for an ADMIN only. */
export const HEALTH = obj(
  {
    status: e(['ok', 'degraded']),
    checks: described(obj({ postgres: check, temporal: check }), 'ADMIN only'),
    smsBudget: described(nullable(smsBudget), 'ADMIN only; null when PostgreSQL is down'),
  },
  ['checks', 'smsBudget'],
);
export type Health = ViewOf<typeof HEALTH>;
