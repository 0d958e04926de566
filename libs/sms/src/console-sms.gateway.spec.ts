import { Logger } from '@nestjs/common';
import { ConsoleSmsGateway } from './console-sms.gateway';
import { maskPhone } from './mask-phone';

describe('ConsoleSmsGateway', () => {
  let log: jest.SpyInstance;

  beforeEach(() => {
    log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  });
  afterEach(() => log.mockRestore());

  it('logs one line with a masked phone and records the message', async () => {
    const gateway = new ConsoleSmsGateway();
    const message = { to: '+905321234567', body: 'Başvurunuz alındı', channel: 'SMS' as const, reference: 'ticket-2025-000001:RECEIVED:1' };

    const sent = await gateway.send(message);

    expect(sent.providerMessageId).toMatch(/^console-/);
    expect(log).toHaveBeenCalledTimes(1);
    const line = String(log.mock.calls[0][0]);
    expect(line).toContain('+90532***4567');
    expect(line).not.toContain('+905321234567');
    expect(line).toContain('channel=SMS');
    expect(line).toContain('ref=ticket-2025-000001:RECEIVED:1');
    expect(line).toContain('Başvurunuz alındı');
    expect(line).not.toContain('\n');
    expect(gateway.sent).toEqual([expect.objectContaining({ ...message, providerMessageId: sent.providerMessageId })]);
  });

  it('logs the tracking link with its token masked (the message itself keeps it)', async () => {
    const gateway = new ConsoleSmsGateway();
    const body = 'Takip: https://teksin.test/t/2026-000001?k=AbC_def-123 - Teksin';
    await gateway.send({ to: '+905321234567', body, channel: 'SMS', reference: 'r' });
    const line = String(log.mock.calls[0][0]);
    expect(line).toContain('/t/2026-000001?k=***');
    expect(line).not.toContain('AbC_def-123');
    expect(gateway.sent[0].body).toBe(body);
  });

  it('gives every message its own id and keeps only the most recent ones', async () => {
    const gateway = new ConsoleSmsGateway({ capacity: 2 });
    const ids: string[] = [];
    for (const n of [1, 2, 3]) {
      ids.push((await gateway.send({ to: '+905321234567', body: `m${n}`, channel: 'WHATSAPP', reference: `r${n}` })).providerMessageId);
    }

    expect(new Set(ids).size).toBe(3);
    expect(gateway.sent.map((m) => m.body)).toEqual(['m2', 'm3']);
  });
});

describe('maskPhone', () => {
  it.each([
    ['+905321234567', '+90532***4567'],
    ['whatsapp:+905321234567', '+90532***4567'],
    ['+4915112345678', '+49151***5678'],
    ['+123456', '+12***56'],
  ])('%s → %s', (input, masked) => {
    expect(maskPhone(input)).toBe(masked);
  });
});
