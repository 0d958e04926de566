import { Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { badRequest } from './problem';
import { CONTROL_CHARACTERS } from './text-fields';
import { TICKET_NUMBER, TICKET_NUMBER_HINT } from './ticket-number';

/**
 * Checks path parameters and query strings before any handler (and so any query) sees them, in
 * one place for every controller: `:number` must look like a ticket number, and any other
 * parameter must be one string without control characters. A refusal is a 400 naming it.
 */
@Injectable()
export class RouteInputPipe implements PipeTransform {
  transform(value: unknown, { type, data }: ArgumentMetadata): unknown {
    if ((type !== 'param' && type !== 'query') || !data || value === undefined) return value;
    if (typeof value !== 'string') throw badRequest(data, `${data} must be given once, as a single value`);
    if (CONTROL_CHARACTERS.test(value)) throw badRequest(data, `${data} must not contain control characters`);
    if (type === 'param' && data === 'number' && !TICKET_NUMBER.test(value)) throw badRequest(data, `${data} ${TICKET_NUMBER_HINT}`);
    return value;
  }
}
