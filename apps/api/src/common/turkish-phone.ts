import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

/**
 * Normalises a phone number written in any common Turkish form ("0532 123 45 67",
 * "+90 (532) 123-4567", "532 123 4567", "90532…") to E.164, or returns null if it is not a
 * valid number. Numbers without a country code are read as Turkish.
 */
export function normalizePhone(input: unknown): string | null {
  if (typeof input !== 'string') return null;
  const trimmed = input.trim();
  if (!/^[+\d\s().-]{7,25}$/.test(trimmed)) return null;
  const digits = trimmed.replace(/[^\d+]/g, '');
  // "90532…" without the plus is common on forms; read it as the country code.
  const candidate = /^90\d{10}$/.test(digits) ? `+${digits}` : digits.startsWith('00') ? `+${digits.slice(2)}` : trimmed;
  const parsed = parsePhoneNumberFromString(candidate, 'TR');
  return parsed && parsed.isValid() ? parsed.number : null;
}

/**
 * Whether the citizen behind a normalised (E.164) number can be texted: only Turkish mobile
 * numbers (+90 5xx) can, so a caller from a landline, a 0850 line or abroad gets a ticket but no SMS.
 */
export function canReceiveSms(e164: string): boolean {
  const parsed = parsePhoneNumberFromString(e164);
  return parsed?.country === 'TR' && parsed.getType() === 'MOBILE';
}

/**
 * A phone number as staff without the right to the full number see it: the country code, the
 * first three and the last two digits (`+90532*****67`), enough to recognise a caller.
 */
export function maskPhone(e164: string): string {
  const digits = e164.replace(/^\+/, '');
  if (digits.length < 7) return '*'.repeat(digits.length);
  const head = digits.startsWith('90') ? 5 : 3;
  return `+${digits.slice(0, head)}${'*'.repeat(digits.length - head - 2)}${digits.slice(-2)}`;
}
