import { BadRequestException } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';
import { INTAKE_LIMITS } from '../../../console/src/forms/intake-limits';
import { DomainErrorCode } from '../../../../libs/domain/src';
import { CODE_TEXTS, FIELD_TEXTS, failureKind, fieldMessage, fieldName } from '../../../console/src/api/problem-texts';
import { CreateContactDto } from '../contacts/contact.dto';
import { canonicalLocation } from '../reference/locations';
import { CreateTicketDto, DESCRIPTION_MAX, LocationDto, RequesterDto } from '../tickets/dto/create-ticket.dto';
import { ApiErrorCode } from './api-error-code';
import { ApiProblem } from './problem';
import { createValidationPipe } from './validation.pipe';

/*
 * The console says the API's refusals in Turkish and English (apps/console/src/api/problem-texts.ts).
 * This keeps its tables whole: every code has both texts, and every validation failure the
 * intake and contact forms can get — produced here by the API's own validation pipe and
 * reference checks, not written out by hand — is recognised, for a field the table names.
 */

type FieldErrors = { field: string; messages: string[] }[];

async function refusalsOf(metatype: new () => object, body: unknown): Promise<FieldErrors> {
  try {
    await createValidationPipe().transform(body, { type: 'body', metatype });
  } catch (error) {
    if (error instanceof BadRequestException) return (error.getResponse() as { errors: FieldErrors }).errors;
    throw error;
  }
  throw new Error(`accepted: ${JSON.stringify(body)}`);
}

function refusalOf(check: () => unknown): FieldErrors {
  try {
    check();
  } catch (error) {
    if (error instanceof ApiProblem) return error.extra.errors ?? [];
    throw error;
  }
  throw new Error('accepted');
}

const valid = { channel: 'CALL_CENTER', type: 'COMPLAINT', category: 'ROAD_REPAIR', requester: { name: 'Ahmet', phone: '0532 123 45 67' }, description: 'Çukur' };

describe('the console’s texts for the API’s refusals', () => {
  it.each([...Object.values(ApiErrorCode), ...Object.values(DomainErrorCode)])('%s has a Turkish and an English text', (code) => {
    const [tr, en] = CODE_TEXTS[code] ?? ['', ''];
    expect(tr.trim()).not.toBe('');
    expect(en.trim()).not.toBe('');
    expect(tr).not.toBe(en);
  });

  const intakeFailures: [string, () => Promise<FieldErrors> | FieldErrors][] = [
    ['an empty body', () => refusalsOf(CreateTicketDto, {})],
    ['blank and wrong-typed fields', () => refusalsOf(CreateTicketDto, { ...valid, channel: 'FAX', type: 'X', category: ' ', requester: { name: '\u0001', phone: '123' }, description: 5 })],
    ['a description over the limit', () => refusalsOf(CreateTicketDto, { ...valid, description: 'x'.repeat(DESCRIPTION_MAX + 1) })],
    ['a long address and name', () => refusalsOf(CreateTicketDto, { ...valid, requester: { name: 'x'.repeat(201), phone: '05321234567' }, location: { address: 'x'.repeat(501), district: '' } })],
    ['an unknown district', () => refusalOf(() => canonicalLocation('Gotham', undefined))],
    ['a neighbourhood of another district', () => refusalOf(() => canonicalLocation('Yenişehir', 'Nowhere'))],
    ['a neighbourhood without district', () => refusalOf(() => canonicalLocation(undefined, 'Menteş'))],
    ['a contact with a bad outcome, phone and note', () => refusalsOf(CreateContactDto, { outcome: 'TICKET_CREATED', phone: 'abc', note: 'x'.repeat(1001), ticketNumber: '' })],
  ];

  it.each(intakeFailures)('%s: every message is recognised, for a named field, in both languages', async (_, produce) => {
    const errors = await produce();
    expect(errors.length).toBeGreaterThan(0);
    for (const { field, messages } of errors) {
      expect(FIELD_TEXTS[field]).toBeDefined();
      expect(fieldName(field, 'tr')).not.toBe(fieldName(field, 'en'));
      for (const message of messages) {
        expect({ field, message, kind: failureKind(message) }).toEqual({ field, message, kind: expect.any(String) });
        expect(fieldMessage(message, 'tr')).not.toBe(message);
        expect(fieldMessage(message, 'en')).not.toBe(fieldMessage(message, 'tr'));
      }
    }
  });

  it('the services’ own 400s on intake and the contact log are recognised too', () => {
    for (const message of [
      'unknown category "NOPE" (see GET /categories)',
      'a duplicate call names the open ticket it duplicates',
      'only a DUPLICATE_OF_OPEN_TICKET contact names a ticket',
      'ticket 2026-000001 does not exist',
      'ticket 2026-000001 is not open (CLOSED)',
    ]) {
      expect({ message, kind: failureKind(message) }).toEqual({ message, kind: expect.any(String) });
    }
    expect(fieldMessage('must be shorter than or equal to 4000 characters', 'tr')).toBe('En fazla 4000 karakter olabilir.');
    expect(fieldMessage('ticket 2026-000001 does not exist', 'en')).toBe('Ticket 2026-000001 does not exist.');
  });

  it('the console’s counters count to the DTOs’ own limits', () => {
    const maxLength = (target: new () => object, property: string) =>
      getMetadataStorage()
        .getTargetValidationMetadatas(target, '', true, false)
        .find((m) => m.propertyName === property && m.name === 'maxLength')?.constraints?.[0];
    expect(INTAKE_LIMITS).toEqual({
      description: maxLength(CreateTicketDto, 'description'),
      'requester.name': maxLength(RequesterDto, 'name'),
      'location.address': maxLength(LocationDto, 'address'),
      note: maxLength(CreateContactDto, 'note'),
    });
    expect(INTAKE_LIMITS.description).toBe(DESCRIPTION_MAX);
  });

  it('an unknown message keeps the API’s own words', () => {
    expect(fieldMessage('something new', 'tr')).toBe('something new');
  });
});
