import { canReceiveSms, maskPhone, normalizePhone } from './turkish-phone';

describe('phone numbers', () => {
  it.each([
    ['0532 123 45 67', '+905321234567'],
    ['(0324) 123 45 67', '+903241234567'],
    ['+49 1512 3456789', '+4915123456789'],
    ['+999123456789', null],
    ['0532 123 45 678', null],
    ['tel:05321234567', null],
    [905321234567, null],
  ])('normalizePhone(%j) → %j', (input, expected) => {
    expect(normalizePhone(input)).toBe(expected);
  });

  it.each([
    ['+905321234567', true], // Turkish mobile
    ['+905011234567', true],
    ['+903241234567', false], // Turkish landline
    ['+908502221234', false], // 0850 (VoIP)
    ['+908001234567', false], // toll-free
    ['+4915123456789', false], // a mobile, but not Turkish
  ])('canReceiveSms(%s) → %s', (e164, expected) => {
    expect(canReceiveSms(e164)).toBe(expected);
  });

  it.each([
    ['+905321234567', '+90532*****67'],
    ['+4915123456789', '+491********89'],
    ['+12345', '*****'],
  ])('maskPhone(%s) → %s: recognisable, never the whole number', (input, expected) => {
    expect(maskPhone(input)).toBe(expected);
    expect(maskPhone(input)).not.toContain(input.slice(-7));
  });
});
