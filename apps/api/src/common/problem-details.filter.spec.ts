import { BadRequestException, HttpException, NotFoundException } from '@nestjs/common';
import { DomainError, DomainErrorCode } from '../../../../libs/domain/src';
import { ApiProblem, badRequest, conflict, forbiddenProblem, notFound, unauthorized } from './problem';
import { domainErrorStatus, toProblem } from './problem-details.filter';

/** The one mapping from anything thrown to RFC 9457 problem details (docs/architecture.md, error model). */
describe('domainErrorStatus', () => {
  it.each([
    [DomainErrorCode.INVALID_TRANSITION, 409],
    [DomainErrorCode.REOPEN_WINDOW_CLOSED, 409],
    [DomainErrorCode.FORBIDDEN, 403],
    [DomainErrorCode.INVALID_COMMAND, 400],
    [DomainErrorCode.NOT_FOUND, 404],
  ])('maps %s to %i', (code, status) => {
    expect(domainErrorStatus(code)).toBe(status);
  });

  it.each(['forbidden', 'FORBIDDEN ', 'INVALID', 'TICKET_CLOSED', '', 'toString', 'constructor'])(
    'knows nothing of the almost-right or foreign code %j (the caller keeps the original error)',
    (code) => {
      expect(domainErrorStatus(code)).toBeUndefined();
    },
  );
});

describe('toProblem', () => {
  const path = '/tickets/2026-000001/approve';

  it('an ApiProblem keeps its status, code, message and extra fields', () => {
    expect(toProblem(badRequest('departmentId', 'unknown department "x"'), path)).toEqual({
      type: 'https://teksin.dev/problems/validation-failed',
      title: 'bad request',
      status: 400,
      detail: 'departmentId: unknown department "x"',
      code: 'VALIDATION_FAILED',
      instance: path,
      errors: [{ field: 'departmentId', messages: ['unknown department "x"'] }],
    });
    expect(toProblem(unauthorized('no token'), path)).toMatchObject({ status: 401, code: 'UNAUTHENTICATED', title: 'unauthorized', detail: 'no token' });
    expect(toProblem(forbiddenProblem('auditors only'), path)).toMatchObject({ status: 403, code: 'FORBIDDEN', title: 'forbidden' });
    expect(toProblem(notFound('ticket 2026-000009'), path)).toMatchObject({ status: 404, code: 'NOT_FOUND', detail: 'ticket 2026-000009 was not found' });
    expect(toProblem(conflict('TICKET_CLOSED', 'closed'), path)).toMatchObject({
      status: 409,
      code: 'TICKET_CLOSED',
      type: 'https://teksin.dev/problems/ticket-closed',
      title: 'conflict',
    });
  });

  it('a DomainError gets the status of its code and carries its details', () => {
    const problem = toProblem(new DomainError(DomainErrorCode.INVALID_TRANSITION, 'level 2 must decide now', { level: 2 }), path);
    expect(problem).toEqual({
      type: 'https://teksin.dev/problems/invalid-transition',
      title: 'conflict',
      status: 409,
      detail: 'level 2 must decide now',
      code: 'INVALID_TRANSITION',
      instance: path,
      level: 2,
    });
    expect(toProblem(new DomainError(DomainErrorCode.FORBIDDEN, 'no'), path)).toMatchObject({ status: 403, title: 'forbidden' });
    expect(toProblem(new DomainError(DomainErrorCode.REOPEN_WINDOW_CLOSED, 'late'), path)).toMatchObject({ status: 409, code: 'REOPEN_WINDOW_CLOSED' });
  });

  it('a Nest HttpException keeps its status; its code is the body’s code or the status name', () => {
    expect(toProblem(new NotFoundException('Cannot GET /nope'), '/nope')).toMatchObject({
      status: 404,
      code: 'NOT_FOUND',
      detail: 'Cannot GET /nope',
      type: 'https://teksin.dev/problems/not-found',
    });
    const validation = new BadRequestException({ code: 'VALIDATION_FAILED', message: ['a is bad', 'b is bad'], errors: [{ field: 'a', messages: ['a is bad'] }] });
    expect(toProblem(validation, path)).toEqual({
      type: 'https://teksin.dev/problems/validation-failed',
      title: 'bad request',
      status: 400,
      detail: 'a is bad; b is bad',
      code: 'VALIDATION_FAILED',
      instance: path,
      errors: [{ field: 'a', messages: ['a is bad'] }],
    });
    expect(toProblem(new HttpException('plain text', 418), path)).toMatchObject({ status: 418, detail: 'plain text' });
  });

  it('body-parser errors keep their 4xx status: too large, malformed JSON, others by their type', () => {
    const bodyError = (status: number, type: string) => Object.assign(new Error(`${type} happened`), { status, type });
    expect(toProblem(bodyError(413, 'entity.too.large'), '/tickets')).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE', title: 'payload too large' });
    expect(toProblem(bodyError(400, 'entity.parse.failed'), '/tickets')).toMatchObject({ status: 400, code: 'MALFORMED_JSON' });
    expect(toProblem(bodyError(415, 'charset.unsupported'), '/tickets')).toMatchObject({ status: 415, code: 'CHARSET_UNSUPPORTED' });
    expect(toProblem(Object.assign(new Error('x'), { statusCode: 400, type: 'encoding.unsupported' }), '/tickets')).toMatchObject({ status: 400 });
  });

  it.each([
    ['a plain Error', new Error('boom')],
    ['a string', 'boom'],
    ['undefined', undefined],
    ['an error with a 5xx status', Object.assign(new Error('x'), { status: 502, type: 'upstream' })],
    ['an error with a 4xx status but no type', Object.assign(new Error('x'), { status: 400 })],
    ['an error with a 3xx status', Object.assign(new Error('x'), { status: 399, type: 'redirect' })],
    ['an error with status 500 and a type', Object.assign(new Error('x'), { status: 500, type: 'entity.parse.failed' })],
  ])('anything else (%s) is a 500 INTERNAL_ERROR that reveals nothing', (_what, error) => {
    expect(toProblem(error, path)).toEqual({
      type: 'https://teksin.dev/problems/internal-error',
      title: 'internal server error',
      status: 500,
      detail: 'Unexpected error; quote the errorId when reporting it.',
      code: 'INTERNAL_ERROR',
      instance: path,
    });
  });

  it('an ApiProblem is recognised by class, not by look-alike fields', () => {
    const lookAlike = { status: 409, code: 'TICKET_CLOSED', message: 'closed' };
    expect(toProblem(lookAlike, path)).toMatchObject({ status: 500 });
    expect(toProblem(new ApiProblem(409, 'TICKET_CLOSED', 'closed'), path)).toMatchObject({ status: 409 });
  });
});
