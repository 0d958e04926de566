import { OPEN_STATUSES, type TicketStatus } from '../../../../libs/domain/src';

/** Decimal places the public coordinates keep: 3 is a cell of about 110 m × 90 m at Mersin's latitude, never one home. */
export const PUBLIC_COORDINATE_DECIMALS = 3;

/** What the read queries select for one request: public facts only (no requester, no description, no street address). */
export interface PublicRequestRow {
  number: string;
  status: TicketStatus;
  service_code: string;
  service_name: string;
  department_name: string | null;
  institution_name: string;
  received_at: Date;
  updated_at: Date;
  sla_due_at: Date | null;
  district: string | null;
  neighbourhood: string | null;
  lat: string | number | null;
  lng: string | number | null;
  media_url: string | null;
  /** The citizen-facing answer (the finalize summary or a direct answer) since the last reopening. */
  answer: string | null;
  /** For a referred ticket: the institution it was referred to. */
  referred_to: string | null;
}

/** One GeoReport v2 service request, as GET requests answers it. */
export interface Open311Request {
  service_request_id: string;
  status: 'open' | 'closed';
  status_notes: string | null;
  service_name: string;
  service_code: string;
  description: null;
  agency_responsible: string;
  service_notice: null;
  requested_datetime: string;
  updated_datetime: string;
  expected_datetime: string | null;
  address: string | null;
  address_id: null;
  zipcode: null;
  lat: number | null;
  long: number | null;
  media_url: string | null;
}

const round = (value: string | number | null): number | null => {
  if (value === null) return null;
  const factor = 10 ** PUBLIC_COORDINATE_DECIMALS;
  return Math.round(Number(value) * factor) / factor;
};

export const open311Status = (status: TicketStatus): 'open' | 'closed' => ((OPEN_STATUSES as readonly string[]).includes(status) ? 'open' : 'closed');

/**
 * A ticket as anyone may read it through Open311: status, the citizen-facing answer, the
 * department, the dates, the neighbourhood and district (not the street address), coordinates
 * rounded to PUBLIC_COORDINATE_DECIMALS, the media URL its client sent. Never the requester's
 * name or phone, the citizen's description or a staff note: `description` stays null.
 */
export function toOpen311Request(row: PublicRequestRow): Open311Request {
  const place = [row.neighbourhood, row.district].filter(Boolean).join(', ');
  const notes = row.answer ?? (row.referred_to ? `Yetki alanımız dışında: ${row.referred_to} kurumuna yönlendirildi.` : null);
  return {
    service_request_id: row.number,
    status: open311Status(row.status),
    status_notes: notes,
    service_name: row.service_name,
    service_code: row.service_code,
    description: null,
    agency_responsible: row.department_name ?? row.institution_name,
    service_notice: null,
    requested_datetime: row.received_at.toISOString(),
    updated_datetime: row.updated_at.toISOString(),
    expected_datetime: row.sla_due_at?.toISOString() ?? null,
    address: place ? `${place}, Mersin` : null,
    address_id: null,
    zipcode: null,
    lat: round(row.lat),
    long: round(row.lng),
    media_url: row.media_url,
  };
}
