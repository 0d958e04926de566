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
