import {
  DOMAIN_ERROR_CODES,
  DomainError,
  DomainErrorCode,
  forbidden,
  invalidCommand,
  invalidTransition,
  separationOfDuties,
} from './domain-error';

describe('DomainErrorCode', () => {
  it('uses each code name as its string value', () => {
    for (const [name, value] of Object.entries(DomainErrorCode)) expect(value).toBe(name);
  });

  it('lists every code in DOMAIN_ERROR_CODES', () => {
    expect([...DOMAIN_ERROR_CODES].sort()).toEqual(
      ['FORBIDDEN', 'INVALID_COMMAND', 'INVALID_TRANSITION', 'NOT_FOUND', 'REOPEN_WINDOW_CLOSED', 'SEPARATION_OF_DUTIES'],
    );
  });
});

describe('DomainError', () => {
  it('is an Error carrying a code, a message and details', () => {
    const error = new DomainError(DomainErrorCode.NOT_FOUND, 'no such ticket', { number: 'T-1' });
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(DomainError);
    expect(error.name).toBe('DomainError');
    expect(error.code).toBe(DomainErrorCode.NOT_FOUND);
    expect(error.message).toBe('no such ticket');
    expect(error.details).toEqual({ number: 'T-1' });
  });

  it('defaults details to an empty object', () => {
    expect(new DomainError(DomainErrorCode.FORBIDDEN, 'no').details).toEqual({});
  });
});

describe('error factories', () => {
  it.each([
    [invalidTransition, DomainErrorCode.INVALID_TRANSITION],
    [forbidden, DomainErrorCode.FORBIDDEN],
    [invalidCommand, DomainErrorCode.INVALID_COMMAND],
    [separationOfDuties, DomainErrorCode.SEPARATION_OF_DUTIES],
  ] as const)('%p builds a DomainError with code %s', (factory, code) => {
    const error = factory('because', { field: 'x' });
    expect(error).toBeInstanceOf(DomainError);
    expect(error.code).toBe(code);
    expect(error.message).toBe('because');
    expect(error.details).toEqual({ field: 'x' });
    expect(factory('bare').details).toEqual({});
  });
});
