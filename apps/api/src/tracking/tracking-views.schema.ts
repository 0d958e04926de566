import { described, e, int, nstr, obj, str, type ViewOf } from '../common/view-schema';

/** POST /t/:number/rating: the rating as recorded. */
export const RATING_ANSWER = obj({ number: str, rating: described(int, '1 worst, 5 best'), comment: nstr });
export type RatingAnswer = ViewOf<typeof RATING_ANSWER>;

/** POST /t/:number/closure-check: the answer as recorded (NOT_FIXED reopens the ticket). */
export const CLOSURE_CHECK_ANSWER = obj({ number: str, answer: e(['FIXED', 'NOT_FIXED']) });
export type ClosureCheckAnswer = ViewOf<typeof CLOSURE_CHECK_ANSWER>;

/** The tracking page and the privacy notice: HTML for a browser. */
export const HTML_PAGE = { 'text/html': { schema: { type: 'string' } } };
