import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../../../libs/config/src';
import { AttachmentsRepository } from '../../../../libs/database/src/attachments.repository';
import { TicketTimelineRepository } from '../../../../libs/database/src/ticket-timeline.repository';
import type { TicketEntity } from '../../../../libs/database/src/entities';
import type { AttachmentKind, TicketEventType, TicketStatus } from '../../../../libs/domain/src';
import { ATTACHMENT_MEDIA_TYPES } from '../attachments/attachment-views.schema';
import { AttachmentUrls } from '../attachments/attachment-urls';
import { arr, described, dt, e, nullable, obj, str, type ViewOf } from '../common/view-schema';
import type { PageLanguage } from './tracking-page.texts';

/**
 * The photos the citizen's tracking page shows (issue 21): the citizen's own (kind CITIZEN),
 * and the expert's AFTER photos once the resolution was approved — never the center's INTAKE
 * photos, never the expert's BEFORE photos, never who added a file. Each with URLs signed for a
 * few minutes (attachments/attachment-urls.ts), so the page needs no sign-in.
 */

/** One photo (or PDF) as the citizen sees it: no staff name, no hash, no file name. */
export const TRACKING_PHOTO = obj({
  id: str,
  kind: described(e(['CITIZEN', 'AFTER'] as const), 'CITIZEN: the citizen’s own; AFTER: the work done, once the resolution was approved'),
  mediaType: e(ATTACHMENT_MEDIA_TYPES),
  addedAt: dt,
  displayUrl: described(str, 'The image (or PDF), signed for a few minutes: an <img src> works'),
  thumbnailUrl: described(nullable(str), 'A small image, signed like displayUrl; null for a PDF'),
  urlsExpireAt: described(dt, 'When the signed URLs stop working: ask again for new ones'),
});

/** GET /t/:number/photos. */
export const TRACKING_PHOTOS = obj({ number: str, items: described(arr(TRACKING_PHOTO), 'Oldest first') });

export type TrackingPhoto = ViewOf<typeof TRACKING_PHOTO>;
export type TrackingPhotos = ViewOf<typeof TRACKING_PHOTOS>;

/** The steps that decide a resolution's fate, newest last. */
const RESOLUTION_STEPS: readonly TicketEventType[] = ['RESOLUTION_SUBMITTED', 'RESOLUTION_APPROVED', 'RESOLUTION_REJECTED', 'REOPENED'];

/**
 * Whether the citizen may see the expert's AFTER photos: the ticket is resolved (RESOLVED, or
 * CLOSED as resolved) and its latest resolution step is an approval — not while it is in
 * approval, not after a rejection, not after a reopening until a new resolution is approved.
 */
export function afterPhotosPublic(status: TicketStatus, outcome: string | null, events: readonly { type: string }[]): boolean {
  const resolved = status === 'RESOLVED' || (status === 'CLOSED' && outcome === 'RESOLVED');
  if (!resolved) return false;
  const last = [...events].reverse().find((event) => (RESOLUTION_STEPS as readonly string[]).includes(event.type));
  return last?.type === 'RESOLUTION_APPROVED';
}

/** Whether an attachment of `kind` is the citizen's to see. */
export const citizenMaySee = (kind: AttachmentKind, afterPublic: boolean): kind is 'CITIZEN' | 'AFTER' => kind === 'CITIZEN' || (kind === 'AFTER' && afterPublic);

@Injectable()
export class TrackingPhotoService {
  private readonly urls: AttachmentUrls;

  constructor(
    private readonly attachments: AttachmentsRepository,
    private readonly timeline: TicketTimelineRepository,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.urls = new AttachmentUrls(config.tracking.tokenSecret);
  }

  /** The ticket's photos the citizen may see, with fresh signed URLs. */
  async of(ticket: Pick<TicketEntity, 'id' | 'status' | 'outcome'>): Promise<TrackingPhoto[]> {
    const [events, rows] = await Promise.all([this.timeline.steps(ticket.id), this.attachments.listAttached(ticket.id)]);
    const afterPublic = afterPhotosPublic(ticket.status, ticket.outcome, events);
    return rows.flatMap((row) => {
      const kind = row.kind;
      if (!citizenMaySee(kind, afterPublic)) return [];
      const display = this.urls.signed(row.id, 'display');
      return [
        {
          id: row.id,
          kind,
          mediaType: row.mediaType,
          addedAt: (row.attachedAt ?? row.createdAt).toISOString(),
          displayUrl: display.url,
          thumbnailUrl: row.thumbnailKey ? this.urls.signed(row.id, 'thumbnail').url : null,
          urlsExpireAt: display.expiresAt.toISOString(),
        },
      ];
    });
  }
}

const TEXTS: Record<PageLanguage, { heading: string; CITIZEN: string; AFTER: string; alt: (n: number, kind: string) => string; open: string; pdf: string }> = {
  tr: {
    heading: 'Fotoğraflar',
    CITIZEN: 'Gönderdiğiniz fotoğraflar',
    AFTER: 'Yapılan iş (çözüm sonrası)',
    alt: (n, kind) => `${kind}: fotoğraf ${n}`,
    open: 'büyük hâlini aç',
    pdf: 'PDF belge',
  },
  en: {
    heading: 'Photos',
    CITIZEN: 'The photos you sent',
    AFTER: 'The work done (after the resolution)',
    alt: (n, kind) => `${kind}: photo ${n}`,
    open: 'open full size',
    pdf: 'PDF document',
  },
};

const escape = (value: unknown) =>
  String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The page's photo section (empty when there is none): thumbnails by kind, each a link to the full image. */
export function renderTrackingPhotos(photos: readonly TrackingPhoto[] | undefined, language: PageLanguage): string {
  if (!photos?.length) return '';
  const t = TEXTS[language];
  const groups = (['CITIZEN', 'AFTER'] as const)
    .map((kind) => {
      const items = photos.filter((p) => p.kind === kind);
      if (!items.length) return '';
      const cells = items
        .map((p, i) => {
          const label = t.alt(i + 1, t[kind]);
          const inner = p.thumbnailUrl ? `<img src="${escape(p.thumbnailUrl)}" alt="${escape(label)}" loading="lazy" width="160" height="120">` : `<span class="pdf">${escape(t.pdf)} ${i + 1}</span>`;
          return `<li><a href="${escape(p.displayUrl)}" target="_blank" rel="noopener" data-photo="${escape(p.id)}" aria-label="${escape(`${label} — ${t.open}`)}">${inner}</a></li>`;
        })
        .join('');
      return `<h3>${escape(t[kind])}</h3><ul class="photos" data-kind="${kind}">${cells}</ul>`;
    })
    .join('');
  return `<section aria-labelledby="photos-h" class="photos-section"><h2 id="photos-h">${escape(t.heading)}</h2>${groups}</section>`;
}

/** The texts of the citizen's upload form, and of its outcomes by the API's problem code. */
export interface PhotoUploadTexts {
  heading: string;
  label: string;
  hint: string;
  button: string;
  pending: string;
  done: string;
  failed: string;
  errors: Record<string, string>;
}

export const UPLOAD_TEXTS: Record<PageLanguage, PhotoUploadTexts> = {
  tr: {
    heading: 'Fotoğraf ekleyin',
    label: 'Fotoğraf (veya PDF belge)',
    hint: 'Fotoğraftaki konum bilgisi kaydedilmeden silinir.',
    button: 'Fotoğrafı gönder',
    pending: 'Fotoğraf gönderiliyor…',
    done: 'Fotoğrafınız eklendi.',
    failed: 'Fotoğraf gönderilemedi, lütfen tekrar deneyin',
    errors: {
      ATTACHMENT_TOO_LARGE: 'Dosya çok büyük. Daha küçük bir fotoğraf seçin.',
      ATTACHMENT_TOO_MANY_PIXELS: 'Fotoğraf çok büyük. Daha küçük bir fotoğraf seçin.',
      ATTACHMENT_TYPE_UNSUPPORTED: 'Bu dosya türü kabul edilmiyor: JPEG, PNG, WebP, HEIC fotoğraf veya PDF seçin.',
      ATTACHMENT_UNREADABLE: 'Dosya okunamadı; bozuk olabilir.',
      ATTACHMENT_ACTIVE_CONTENT: 'Bu dosya kabul edilmiyor.',
      ATTACHMENT_LIMIT_REACHED: 'Bu başvuruya daha fazla dosya eklenemez.',
      TICKET_CLOSED: 'Başvuru kapatıldığı için fotoğraf eklenemez.',
      NOT_FOUND: 'Bağlantı geçerli değil.',
      TOO_MANY_REQUESTS: 'Çok fazla deneme yapıldı; biraz sonra tekrar deneyin.',
    },
  },
  en: {
    heading: 'Add a photo',
    label: 'Photo (or PDF document)',
    hint: 'The location stored in the photo is removed before it is kept.',
    button: 'Send the photo',
    pending: 'Sending the photo…',
    done: 'Your photo was added.',
    failed: 'The photo could not be sent, please try again',
    errors: {
      ATTACHMENT_TOO_LARGE: 'The file is too large. Choose a smaller photo.',
      ATTACHMENT_TOO_MANY_PIXELS: 'The photo is too large. Choose a smaller photo.',
      ATTACHMENT_TYPE_UNSUPPORTED: 'This type of file is not accepted: choose a JPEG, PNG, WebP or HEIC photo, or a PDF.',
      ATTACHMENT_UNREADABLE: 'The file cannot be read; it may be damaged.',
      ATTACHMENT_ACTIVE_CONTENT: 'This file is not accepted.',
      ATTACHMENT_LIMIT_REACHED: 'No more files can be added to this request.',
      TICKET_CLOSED: 'The request is closed: no photo can be added.',
      NOT_FOUND: 'The link is not valid.',
      TOO_MANY_REQUESTS: 'Too many attempts; please try again a little later.',
    },
  },
};

/**
 * The citizen's upload form (POST /t/:number/attachments, sent by the page's script with the
 * token): a file input that opens the phone's camera, and a status line for its outcome.
 */
export function renderPhotoUpload(language: PageLanguage): string {
  const t = UPLOAD_TEXTS[language];
  return (
    `<section aria-labelledby="upload-h" class="upload-section"><h2 id="upload-h">${escape(t.heading)}</h2>` +
    `<form data-upload><label for="photo-file">${escape(t.label)}</label><input id="photo-file" name="file" type="file" accept="image/*,application/pdf" capture="environment" required aria-describedby="photo-hint">` +
    `<p id="photo-hint" class="hint">${escape(t.hint)}</p><button>${escape(t.button)}</button><p class="result" role="status" aria-live="polite"></p></form></section>`
  );
}

/** The section's style, appended to the page's one style sheet. */
export const TRACKING_PHOTOS_STYLE =
  'ul.photos{list-style:none;padding:0;margin:0 0 .5rem;display:grid;grid-template-columns:repeat(auto-fill,minmax(7.5rem,1fr));gap:.5rem}ul.photos a{display:block;min-height:2.75rem}' +
  'ul.photos img{display:block;width:100%;height:auto;aspect-ratio:4/3;object-fit:cover;border-radius:.25rem;border:1px solid var(--line)}ul.photos .pdf{display:block;padding:1rem .5rem;border:1px solid var(--line);border-radius:.25rem;text-align:center}' +
  '.photos-section h3{font-size:1rem;margin:.5rem 0 .25rem}.upload-section input[type=file]{display:block;margin:.25rem 0;min-height:2.75rem;max-width:100%}.upload-section .hint{color:var(--muted);font-size:.9rem;margin:.25rem 0}' +
  'form[aria-busy=true] button{opacity:.6}';
