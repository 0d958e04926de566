import { redactPhoneNumbers } from './mask-phone';

describe('redactPhoneNumbers (security review item 8: no number in sms_outbox.last_error)', () => {
  it('redacts phone-like digits in any common form, and keeps codes, statuses and ids', () => {
    expect(redactPhoneNumbers("HTTP 400 (Twilio 21211): The 'To' number +905321234567 is not a valid phone number.")).toBe(
      "HTTP 400 (Twilio 21211): The 'To' number [phone] is not a valid phone number.",
    );
    expect(redactPhoneNumbers('to whatsapp:+905321234567, 0532 123 45 67, +90 (532) 123-45-67')).toBe('to whatsapp:[phone], [phone], [phone]');
    for (const kept of ['Twilio 30003 status 429', 'https://www.twilio.com/docs/errors/21211', 'SM1234567890abcdef', 'timeout after 15000 ms']) {
      expect(redactPhoneNumbers(kept)).toBe(kept);
    }
  });
});
