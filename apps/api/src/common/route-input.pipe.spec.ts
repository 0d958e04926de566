import { ApiProblem } from './problem';
import { RouteInputPipe } from './route-input.pipe';

describe('RouteInputPipe', () => {
  const pipe = new RouteInputPipe();
  const param = (data: string) => ({ type: 'param' as const, data });
  const query = (data: string) => ({ type: 'query' as const, data });
  const refusal = (run: () => unknown) => {
    try {
      run();
    } catch (error) {
      expect(error).toBeInstanceOf(ApiProblem);
      return { status: (error as ApiProblem).status, errors: (error as ApiProblem).extra.errors };
    }
    throw new Error('expected a refusal');
  };

  it.each(['2026-000123', '2026-1000000'])('lets the ticket number %s through', (number) => {
    expect(pipe.transform(number, param('number'))).toBe(number);
  });

  it.each(['2026-00000\u0000', '2026-12345', 'abc', '', '2026-000123\n'])(':number %j is a 400 naming number', (number) => {
    expect(refusal(() => pipe.transform(number, param('number')))).toEqual({ status: 400, errors: [{ field: 'number', messages: [expect.any(String)] }] });
  });

  it('query strings: one string without control characters; absent is fine', () => {
    expect(pipe.transform('tr', query('lang'))).toBe('tr');
    expect(pipe.transform(undefined, query('k'))).toBeUndefined();
    expect(refusal(() => pipe.transform('a\u0000', query('k'))).errors).toEqual([{ field: 'k', messages: [expect.stringMatching(/control/)] }]);
    expect(refusal(() => pipe.transform(['a', 'b'], query('k'))).errors).toEqual([{ field: 'k', messages: [expect.stringMatching(/once/)] }]);
  });

  it('leaves bodies and custom parameters to their own pipes', () => {
    const body = { text: 'a\u0000b' };
    expect(pipe.transform(body, { type: 'body' })).toBe(body);
    expect(pipe.transform('x\u0000', { type: 'custom' })).toBe('x\u0000');
  });
});
