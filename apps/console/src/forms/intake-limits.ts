/**
 * The API's length limits of the intake and contact forms (apps/api's CreateTicketDto and
 * CreateContactDto), shown as counters before the API refuses; apps/api's problem-texts.spec.ts
 * checks they are the DTOs' own.
 */
export const INTAKE_LIMITS = {
  description: 4000,
  'requester.name': 200,
  'location.address': 500,
  note: 1000,
} as const;
