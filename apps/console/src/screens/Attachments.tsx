import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useRef, useState, type ChangeEvent } from 'react';
import { api, ApiError, call, postFormWithSession, type Attachment, type AttachmentKind, type AttachmentList, type StaffTicket } from '../api/client';
import { problemMessage } from '../api/problem-texts';
import { dateTime } from '../format';
import { useI18n, type TextKey } from '../i18n';
import { SAFETY_REFETCH_MS } from '../queries';

/*
 * A ticket's photos and documents (issue 21): the gallery by kind, the upload ("Fotoğraf ekle",
 * the phone's camera), and the expert's BEFORE/AFTER photos beside the resolution an approver
 * decides on. The files come with URLs signed for a few minutes (GET
 * /tickets/:number/attachments): the list is fetched again before they expire, so a page left
 * open never shows a broken image.
 */

const KINDS: readonly AttachmentKind[] = ['CITIZEN', 'INTAKE', 'BEFORE', 'AFTER'];
/** What staff add (the citizen's own come from the citizen). */
type StaffKind = Exclude<AttachmentKind, 'CITIZEN'>;
/** Fetched again this long before the signed URLs stop working. */
const MARGIN_MS = 60_000;

/** How long the list's URLs stay good (less the margin); the safety refetch when it has none. */
export function freshFor(list: AttachmentList | undefined, now = Date.now()): number {
  if (!list?.items.length) return SAFETY_REFETCH_MS;
  const first = Math.min(...list.items.map((item) => Date.parse(item.urlsExpireAt)));
  return Math.max(5_000, first - MARGIN_MS - now);
}

/**
 * The ticket's attachments. Keyed on how many the ticket's view lists, so a file recorded
 * meanwhile (the live feed refreshes the view) is fetched at once; fetched again before the
 * signed URLs expire.
 */
export function useAttachments(number: string, recorded: number) {
  return useQuery({
    queryKey: ['attachments', number, recorded],
    queryFn: () => call(api.GET('/tickets/{number}/attachments', { params: { path: { number } } })),
    staleTime: (query) => freshFor(query.state.data),
    refetchInterval: (query) => freshFor(query.state.data),
    refetchIntervalInBackground: true,
    // A new count keeps the photos on screen while the longer list comes (no blank gallery in between).
    placeholderData: keepPreviousData,
  });
}

/** The ticket's photos and documents, by kind, and the upload when the reader may add some. */
export function TicketAttachments({ view }: { view: StaffTicket }) {
  const { t } = useI18n();
  const list = useAttachments(view.number, view.attachments.length);
  const kinds = view.attachKinds ?? [];
  const items = list.data?.items ?? [];
  return (
    <section className="attachments" aria-labelledby="attachments-title">
      <h3 id="attachments-title">{t('photos')}</h3>
      {kinds.length > 0 && <PhotoUpload number={view.number} kinds={kinds} />}
      {list.error && (
        <p role="alert" className="error">
          {list.error instanceof ApiError ? list.error.message : String(list.error)}
        </p>
      )}
      {list.isPending ? null : items.length === 0 ? (
        <p className="muted">{t('noAttachments')}</p>
      ) : (
        KINDS.map((kind) => <KindGroup key={kind} kind={kind} items={items.filter((item) => item.kind === kind)} />)
      )}
    </section>
  );
}

function KindGroup({ kind, items, compact = false }: { kind: AttachmentKind; items: Attachment[]; compact?: boolean }) {
  const { t } = useI18n();
  if (!items.length) return null;
  const Heading = compact ? 'h5' : 'h4';
  return (
    <>
      <Heading className="gallery-kind">{t(`kind${kind}` as TextKey)}</Heading>
      <ul className={compact ? 'gallery compact' : 'gallery'} data-kind={kind}>
        {items.map((item, i) => (
          <Thumbnail key={item.id} item={item} index={i + 1} compact={compact} />
        ))}
      </ul>
    </>
  );
}

/** A thumbnail that opens the full image in a new tab (its signed URL); a PDF as a labelled download link. */
function Thumbnail({ item, index, compact }: { item: Attachment; index: number; compact: boolean }) {
  const { t, lang } = useI18n();
  const who = item.addedBy.kind === 'STAFF' ? (item.addedBy.name ?? item.addedBy.id ?? '') : t(item.addedBy.kind === 'CITIZEN' ? 'kindCITIZEN' : 'kindINTAKE');
  const label = `${t(`kind${item.kind}` as TextKey)} — ${t('photo')} ${index}`;
  const caption = `${who} · ${dateTime(item.addedAt, lang)}`;
  return (
    <li data-attachment={item.id}>
      {item.thumbnailUrl ? (
        <a href={item.displayUrl} target="_blank" rel="noopener noreferrer" aria-label={`${label}, ${caption} — ${t('openFullSize')}`}>
          <img src={item.thumbnailUrl} alt={label} width={item.width && item.height ? 160 : undefined} height={item.width && item.height ? Math.round((160 * item.height) / item.width) : undefined} loading="lazy" />
        </a>
      ) : (
        <a href={item.displayUrl} download={item.fileName ?? undefined} className="pdf-link">
          <span className="tag">PDF</span> {item.fileName ?? `${t('pdfDocument')} ${index}`}
        </a>
      )}
      {!compact && <span className="caption muted">{caption}</span>}
    </li>
  );
}

/** The expert's BEFORE and AFTER photos, small, for beside the resolution text. */
export function ResolutionPhotos({ view }: { view: StaffTicket }) {
  const { t } = useI18n();
  const list = useAttachments(view.number, view.attachments.length);
  const items = (list.data?.items ?? []).filter((item) => item.kind === 'BEFORE' || item.kind === 'AFTER');
  return (
    <div className="resolution-photos" aria-label={t('resolutionPhotos')} role="group">
      {list.isPending ? null : items.length === 0 ? (
        <p className="muted">{t('noResolutionPhotos')}</p>
      ) : (
        (['BEFORE', 'AFTER'] as const).map((kind) => <KindGroup key={kind} kind={kind} items={items.filter((item) => item.kind === kind)} compact />)
      )}
    </div>
  );
}

/**
 * "Fotoğraf ekle": the kind (among those the API says the reader may add now), then the file —
 * on a phone the camera opens (capture="environment"), on a desk a file picker. The upload starts
 * once a file is chosen, with its progress; a refusal is said in the console's language and the
 * ticket stays as it was; on success the list is fetched again.
 */
export function PhotoUpload({ number, kinds }: { number: string; kinds: readonly AttachmentKind[] }) {
  const { t, lang } = useI18n();
  const queryClient = useQueryClient();
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const choosable = kinds.filter((kind): kind is StaffKind => kind !== 'CITIZEN');
  const [kind, setKind] = useState<StaffKind>(choosable.includes('AFTER') ? 'AFTER' : (choosable[0] ?? 'INTAKE'));
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const chosen: StaffKind | undefined = choosable.includes(kind) ? kind : choosable[0];
  if (!chosen) return null;

  async function upload(event: ChangeEvent<HTMLInputElement>) {
    const file = event.currentTarget.files?.[0];
    const as = chosen;
    if (!file || !as) return;
    setError(null);
    setDone(null);
    setProgress(0);
    const form = new FormData();
    form.append('kind', as);
    form.append('file', file, file.name);
    try {
      await postFormWithSession<Attachment>(`/tickets/${encodeURIComponent(number)}/attachments`, form, setProgress);
      setDone(`${t('uploaded')}: ${t(`kind${as}` as TextKey)}`);
      await queryClient.invalidateQueries({ queryKey: ['attachments', number] });
      await queryClient.invalidateQueries({ queryKey: ['ticket', number] });
    } catch (failure) {
      setError(failure instanceof ApiError ? problemMessage(failure.problem, lang) : t('outcomeUnknown'));
    } finally {
      setProgress(null);
      if (input.current) input.current.value = '';
    }
  }

  const pending = progress !== null;
  return (
    <div className="photo-upload card">
      {choosable.length > 1 && (
        <fieldset className="kind-choice">
          <legend>{t('photoKind')}</legend>
          {choosable.map((k) => (
            <label key={k} className="choice">
              <input type="radio" name={`${id}-kind`} value={k} checked={chosen === k} onChange={() => setKind(k)} disabled={pending} /> {t(`kindShort${k}` as TextKey)}
            </label>
          ))}
        </fieldset>
      )}
      <input
        ref={input}
        id={`${id}-file`}
        className="file-input"
        type="file"
        name="file"
        accept="image/*,application/pdf"
        capture="environment"
        disabled={pending}
        aria-describedby={`${id}-help`}
        onChange={(e) => void upload(e)}
      />
      <label htmlFor={`${id}-file`} className={pending ? 'file-button disabled' : 'file-button'}>
        {t('addPhoto')}
        {choosable.length === 1 ? ` (${t(`kindShort${chosen}` as TextKey)})` : ''}
      </label>
      <span id={`${id}-help`} className="muted small">
        {t('addPhotoHelp')}
      </span>
      {pending && (
        <p className="upload-progress" role="status">
          {t('uploading')}… <progress max={1} value={progress ?? 0} aria-label={t('uploading')} /> {Math.round((progress ?? 0) * 100)}%
        </p>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <p role="status" className="notice">
        {done}
      </p>
    </div>
  );
}
