import { OPEN_STATUSES, type TicketStatus } from '../../../../libs/domain/src';
import { PUBLIC_COORDINATE_DECIMALS, publicCoordinate } from '../common/public-place';
import type { PublicRequestRow } from '../../../../libs/database/src/public-requests.repository';
import type { Open311Request } from './open311-views.schema';

export { PUBLIC_COORDINATE_DECIMALS };

/** What the read queries select for one request: public facts only (no requester, no description, no street address). */
export type { PublicRequestRow };
/** A public time: to the minute (seconds cut off), as `2026-11-05T08:15:00Z`. */
export const publicTime = (at: Date): string => `${new Date(Math.floor(at.getTime() / 60_000) * 60_000).toISOString().slice(0, 16)}:00Z`;

export const open311Status = (status: TicketStatus): 'open' | 'closed' => ((OPEN_STATUSES as readonly string[]).includes(status) ? 'open' : 'closed');

/**
 * A public ticket as anyone may read it through Open311: status, the public answer, the
 * department, the dates to the minute, the neighbourhood and district (not the street address),
 * coordinates rounded to PUBLIC_COORDINATE_DECIMALS, the citizen's photo (a signed URL) or else the media URL
 * its client sent. Never the
 * requester's name or phone, the citizen's description, an answer written to the citizen alone
 * or a staff note: `description` stays null.
 */
export function toOpen311Request(row: PublicRequestRow, photoUrl: (attachmentId: string) => string = () => ''): Open311Request {
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
    requested_datetime: publicTime(row.received_at),
    updated_datetime: publicTime(row.updated_at),
    expected_datetime: row.sla_due_at ? publicTime(row.sla_due_at) : null,
    address: place ? `${place}, Mersin` : null,
    address_id: null,
    zipcode: null,
    lat: publicCoordinate(row.lat),
    long: publicCoordinate(row.lng),
    // The citizen's own photo (a signed URL of its display file) before the link a client sent; never a staff photo.
    media_url: row.citizen_attachment_id ? photoUrl(row.citizen_attachment_id) : row.media_url,
  };
}
