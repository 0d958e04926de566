import { Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { sendProblem } from './problem-details.filter';

describe('sendProblem', () => {
  it('logs a 500 with the path only: no query string (it can carry a tracking token)', () => {
    const logger = { error: jest.fn() } as unknown as Logger;
    const sent: { status?: number; body?: string } = {};
    const res = {
      headersSent: false,
      status(code: number) { sent.status = code; return this; },
      type() { return this; },
      send(body: string) { sent.body = body; return this; },
    } as unknown as Response;
    const req = { method: 'GET', originalUrl: '/t/2026-000001?k=SECRET-TOKEN&lang=tr', url: '/t/2026-000001?k=SECRET-TOKEN&lang=tr', id: 'req-1' } as unknown as Request;

    sendProblem(new Error('boom'), req, res, logger);

    expect(sent.status).toBe(500);
    const line = String((logger.error as jest.Mock).mock.calls[0][0]);
    expect(line).toContain('GET /t/2026-000001:');
    expect(line).not.toContain('SECRET-TOKEN');
    expect(JSON.parse(sent.body!)).toMatchObject({ instance: '/t/2026-000001', requestId: 'req-1' });
  });
});
