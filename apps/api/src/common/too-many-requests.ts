import type { ExecutionContext } from '@nestjs/common';
import type { ThrottlerLimitDetail } from '@nestjs/throttler';
import { ApiErrorCode } from './api-error-code';
import { ApiProblem } from './problem';

/**
 * The answer of every rate limit: `Retry-After` (seconds) on the response and a 429 problem
 * saying what was limited, with `retryAfter` in the body too.
 */
export function tooManyRequests(
  context: ExecutionContext,
  detail: Pick<ThrottlerLimitDetail, 'timeToBlockExpire'>,
  code: ApiErrorCode.TOO_MANY_REQUESTS | ApiErrorCode.TOO_MANY_SIGN_IN_ATTEMPTS,
  what: string,
): ApiProblem {
  const retryAfter = Math.max(1, detail.timeToBlockExpire);
  context.switchToHttp().getResponse().setHeader('Retry-After', String(retryAfter));
  return new ApiProblem(code, `too many ${what}; try again in ${retryAfter} s`, { retryAfter });
}
