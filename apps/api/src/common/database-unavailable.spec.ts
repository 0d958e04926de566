import { QueryFailedError } from 'typeorm';
import { isDatabaseUnavailable, isStatementTimeout } from './database-unavailable';
import { toProblem } from './problem-details.filter';

const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('isDatabaseUnavailable', () => {
  it.each([
    ['connection refused', withCode('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432')],
    ['admin shutdown (57P01)', withCode('57P01', 'terminating connection due to administrator command')],
    ['starting up (57P03)', withCode('57P03', 'the database system is starting up')],
    ['connection exception class 08', withCode('08006')],
    ['pool timeout', new Error('timeout exceeded when trying to connect')],
    ['socket lost', new Error('Connection terminated unexpectedly')],
    ['wrapped by TypeORM', new QueryFailedError('SELECT 1', [], withCode('57P01'))],
  ])('%s: yes', (_, error) => expect(isDatabaseUnavailable(error)).toBe(true));

  it.each([
    ['unique violation', withCode('23505', 'duplicate key value violates unique constraint')],
    ['syntax error', new QueryFailedError('SELEC 1', [], withCode('42601'))],
    ['a bug', new TypeError('x is undefined')],
    ['nothing', undefined],
  ])('%s: no', (_, error) => expect(isDatabaseUnavailable(error)).toBe(false));

  it('makes a 503 DATABASE_UNAVAILABLE problem, not a 500', () => {
    const problem = toProblem(withCode('ECONNREFUSED'), '/tickets');
    expect(problem).toMatchObject({ status: 503, code: 'DATABASE_UNAVAILABLE' });
    expect(problem.detail).toContain('Idempotency-Key');
  });
});

describe('security review item 11 — a statement timeout', () => {
  const timeout = () => new QueryFailedError('SELECT …', [], withCode('57014', 'canceling statement due to statement timeout'));

  it('item 11: a statement stopped by DATABASE_STATEMENT_TIMEOUT is a 503 DATABASE_TIMEOUT (Retry-After), never a 500', () => {
    expect(isStatementTimeout(timeout())).toBe(true);
    expect(isStatementTimeout(withCode('23505'))).toBe(false);
    const problem = toProblem(timeout(), '/analysis/summary');
    expect(problem).toMatchObject({ status: 503, code: 'DATABASE_TIMEOUT' });
    expect(problem.detail).toContain('DATABASE_STATEMENT_TIMEOUT');
  });

  it('item 11: a session ended for idling in a transaction (25P03) is DATABASE_UNAVAILABLE', () => {
    expect(toProblem(withCode('25P03', 'terminating connection due to idle-in-transaction timeout'), '/tickets')).toMatchObject({ status: 503, code: 'DATABASE_UNAVAILABLE' });
  });
});
