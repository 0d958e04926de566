import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { CitizenTokens } from '../tickets/citizen-token';
import { TicketQueryService } from '../tickets/ticket-query.service';

/**
 * The tracking token is checked before the multipart body is read: without a working token the
 * upload is the 404 of an unknown ticket, and not one byte of the file is taken into memory.
 */
@Injectable()
export class TrackingTokenGuard implements CanActivate {
  constructor(
    private readonly query: TicketQueryService,
    private readonly tokens: CitizenTokens,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Request>();
    const ticket = await this.query.findRow(String(req.params.number));
    this.tokens.assert(ticket, req.header('x-tracking-token'));
    return true;
  }
}
