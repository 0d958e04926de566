import type { ArgumentMetadata } from '@nestjs/common';
import { ApiProblem } from './problem';
import { RouteInputPipe } from './route-input.pipe';
import { normalizePhone } from './turkish-phone';

/**
 * Almost-right input at the API's edge guards, found by mutation testing (docs/testing.md): the
 * route pipe checks exactly the `:number` path parameter as a ticket number, and the phone
 * normaliser reads every common Turkish form and nothing that merely looks like one.
 */
describe('RouteInputPipe checks exactly the :number path parameter as a ticket number', () => {
  const pipe = new RouteInputPipe();
  const refusal = (run: () => unknown) => {
    try {
      run();
    } catch (error) {
      expect(error).toBeInstanceOf(ApiProblem);
      return (error as ApiProblem).extra.errors;
    }
    throw new Error('expected a refusal');
  };

  it('names the parameter and the expected form', () => {
    expect(refusal(() => pipe.transform('2026-12', { type: 'param', data: 'number' }))).toEqual([
      { field: 'number', messages: ['number must be a ticket number like 2026-000123'] },
    ]);
  });

  it('another path parameter, or a query string called number, need not be a ticket number', () => {
    expect(pipe.transform('fen-isleri', { type: 'param', data: 'departmentId' })).toBe('fen-isleri');
    expect(pipe.transform('12', { type: 'query', data: 'number' })).toBe('12');
  });

  it.each<ArgumentMetadata>([
    { type: 'body', data: 'text' },
    { type: 'custom', data: 'identity' },
  ])('leaves a named $type argument ($data) to its own pipe', (metadata) => {
    const value = { text: 'a\u0000b' };
    expect(pipe.transform(value, metadata)).toBe(value);
    expect(pipe.transform('x\u0000', metadata)).toBe('x\u0000');
  });
});

describe('normalizePhone: every common Turkish form, and nothing that only looks like one', () => {
  it.each([
    ['  0532 123 45 67  ', '+905321234567'], // surrounding spaces
    ['90 532 123 45 67', '+905321234567'], // country code without the plus
    ['905321234567', '+905321234567'],
    ['0090 532 123 45 67', '+905321234567'], // international prefix 00
    ['+90 (532) 123-4567', '+905321234567'],
    ['532.123.45.67', '+905321234567'],
  ])('reads %j as %j', (input, expected) => {
    expect(normalizePhone(input)).toBe(expected);
  });

  it.each([
    '0532 123 45 67 x', // trailing junk
    'x 0532 123 45 67', // leading junk
    '0532 123 45 67 ext 5',
    '123456', // too short
    '0532 123 45 67 0532 123 45 67', // too long
    '9053212345678', // 90 and eleven digits
    '4905321234567', // 90 not at the start
    '0532 123 45 6',
  ])('refuses %j', (input) => {
    expect(normalizePhone(input)).toBeNull();
  });
});
