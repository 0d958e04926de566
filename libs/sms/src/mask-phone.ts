/**
 * Hides the middle of a phone number so logs can tell messages apart without holding the
 * citizen's number (PII lives in the ticket row, not in logs): +905321234567 → +90532***4567.
 */
export function maskPhone(phone: string): string {
  const address = phone.replace(/^whatsapp:/, '');
  // Short or odd inputs: reveal less rather than more.
  if (address.length < 10) return `${address.slice(0, 3)}***${address.slice(-2)}`;
  return `${address.slice(0, 6)}***${address.slice(-4)}`;
}

/** What a phone-like run of digits in a provider's error text is replaced with. */
export const REDACTED_PHONE = '[phone]';

/**
 * Replaces every phone-like run of digits in a free text — eight or more digits, with an
 * optional leading `+` and spaces, dots, dashes or brackets between them, as in Twilio's "The
 * 'To' number +905321234567 is not a valid phone number" — so an error text kept for an operator
 * (the outbox row's last_error) never holds a number. Shorter numbers (error codes such as 21211, HTTP
 * statuses) and digits inside words (message SIDs) stay.
 */
export function redactPhoneNumbers(text: string): string {
  return text.replace(/(?<![\w+])\+?\d(?:[ .\-()]*\d){7,}(?!\w)/g, REDACTED_PHONE);
}
