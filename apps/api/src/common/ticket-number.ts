/** Human-readable, unique, sortable: `<year>-<sequence>` e.g. 2026-000123. */
export const formatTicketNumber = (year: number, sequence: number) => `${year}-${String(sequence).padStart(6, '0')}`;

/**
 * Every string formatTicketNumber can produce: a four-digit year and the sequence, padded to six
 * digits and growing past them after the millionth ticket (the sequence is an int: at most ten).
 */
export const TICKET_NUMBER = /^\d{4}-\d{6,10}$/;

export const TICKET_NUMBER_HINT = 'must be a ticket number like 2026-000123';
