import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { api, ApiError, call, type paths } from '../api/client';
import { newRequestId } from '../request-id';
import { dateTime } from '../format';
import { useI18n } from '../i18n';
import { useCategories, useDepartments, useDistricts } from '../queries';
import { CategoryPicker } from '../forms/CategoryPicker';
import { Field, FieldError, Select, submitOnCtrlEnter } from '../forms/form-kit';
import { INTAKE_LIMITS } from '../forms/intake-limits';
import { useFormDraft } from '../forms/use-form-draft';
import { fieldMessage, problemMessage } from '../api/problem-texts';
import { coordinate, PlacePicker } from '../map';

type NewTicket = paths['/tickets']['post']['requestBody']['content']['application/json'];
type NewContact = paths['/contacts']['post']['requestBody']['content']['application/json'];
const TYPES: NewTicket['type'][] = ['REQUEST', 'COMPLAINT', 'SUGGESTION', 'INFORMATION', 'REPORT', 'THANKS'];
const OUTCOMES: NewContact['outcome'][] = ['INFORMATION_GIVEN', 'REFERRED_ELSEWHERE', 'HUNG_UP', 'DUPLICATE_OF_OPEN_TICKET'];

/** Digits enough for a Turkish number (0 5xx xxx xx xx, +90…): then the caller's tickets are looked up. */
const lookupable = (phone: string) => phone.replace(/\D/g, '').replace(/^(90|0)/, '').length === 10;

/** The agent's screen on a live call: phone first, the caller's tickets as they type, one keystroke to record. */
export function Intake() {
  const { t, lang, status, type: typeLabel, outcome: outcomeLabel } = useI18n();
  const queryClient = useQueryClient();
  const [phone, setPhone] = useState('');
  const [category, setCategory] = useState('');
  // Saving without a category is refused here, named beside the picker, before any request.
  const [categoryMissing, setCategoryMissing] = useState(false);
  const [district, setDistrict] = useState('');
  const [neighbourhood, setNeighbourhood] = useState('');
  // The place as the agent confirms it on the map: fields first (typed, or read out by the
  // caller), the map's pin follows them and sets them.
  const [lat, setLat] = useState('');
  const [lng, setLng] = useState('');
  const [duplicateOf, setDuplicateOf] = useState('');
  const [formKey, setFormKey] = useState(0);
  // One Idempotency-Key per call being recorded: a double submit or a retry after a lost answer
  // gets the same ticket back instead of a second one. A new key once the form is reset.
  const [intakeKey, setIntakeKey] = useState(() => newRequestId());
  const categories = useCategories();
  const departments = useDepartments();
  const districts = useDistricts();
  // The call's text outlives an expired session (forms/drafts.ts); a recorded call clears it.
  const ticketDraft = useFormDraft('intake', !!categories.data && !!districts.data, (draft) => setCategory(draft.category ?? ''));
  const contactDraft = useFormDraft('intake-contact');

  const caller = useQuery({
    queryKey: ['caller', phone],
    enabled: lookupable(phone),
    queryFn: () => call(api.GET('/contacts/caller-tickets', { params: { query: { phone } } })),
  });

  const create = useMutation({
    mutationFn: (body: NewTicket) => call(api.POST('/tickets', { body, params: { header: { 'idempotency-key': intakeKey } } })),
    onSuccess: () => {
      ticketDraft.clear();
      void queryClient.invalidateQueries();
      reset();
    },
  });
  const logContact = useMutation({
    mutationFn: (body: NewContact) => call(api.POST('/contacts', { body })),
    onSuccess: () => {
      contactDraft.clear();
      ticketDraft.clear();
      void queryClient.invalidateQueries({ queryKey: ['contacts'] });
      reset();
    },
  });

  function reset() {
    setPhone('');
    setCategory('');
    setCategoryMissing(false);
    setDistrict('');
    setNeighbourhood('');
    setLat('');
    setLng('');
    setDuplicateOf('');
    setFormKey((k) => k + 1);
    setIntakeKey(newRequestId());
  }

  const departmentName = (id: string | null) => {
    const d = departments.data?.find((x) => x.id === id);
    return d ? (lang === 'tr' ? d.name : d.nameEn) : '—';
  };
  const chosen = categories.data?.find((c) => c.code === category);
  const categoryChoices = (categories.data ?? []).map((c) => ({
    code: c.code,
    label: `${lang === 'tr' ? c.name : c.nameEn} — ${departmentName(c.defaultDepartmentId)} · ${c.slaHours} ${t('hours')}`,
    // Everyday words find their category ("çukur", "lamba", "kaldirim"): forms/category-search.ts.
    name: c.name,
    nameEn: c.nameEn,
    keywords: c.keywords,
  }));
  const neighbourhoods = districts.data?.find((d) => d.name === district)?.neighbourhoods ?? [];

  const ticketError = create.error instanceof ApiError ? create.error : null;
  const contactError = logContact.error instanceof ApiError ? logContact.error : null;
  // The API's English refusals in the console's language (api/problem-texts.ts).
  const err = (e: ApiError | null, field: string) => e?.fieldMessages(field).map((m) => fieldMessage(m, lang)).join('; ') || undefined;
  const categoryName = (code: string) => {
    const c = categories.data?.find((x) => x.code === code);
    return c ? (lang === 'tr' ? c.name : c.nameEn) : code;
  };

  function submitTicket(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!category) {
      setCategoryMissing(true);
      document.getElementById('category-search')?.focus();
      return;
    }
    const f = new FormData(event.currentTarget);
    const pinLat = coordinate(lat, 90);
    const pinLng = coordinate(lng, 180);
    const text = (key: string) => {
      const v = String(f.get(key) ?? '').trim();
      return v ? v : undefined;
    };
    create.mutate({
      channel: 'CALL_CENTER',
      type: (text('type') ?? 'REQUEST') as NewTicket['type'],
      category,
      requester: { name: text('name') ?? '', phone },
      description: text('description') ?? '',
      location: {
        district: text('district'),
        neighbourhood: text('neighbourhood'),
        address: text('address'),
        // Both or neither: a half position means nothing (the fields say which is wrong).
        ...(pinLat !== null && pinLng !== null ? { lat: pinLat, lng: pinLng } : {}),
      },
      language: lang,
    });
  }

  function submitContact(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const f = new FormData(event.currentTarget);
    const note = String(f.get('note') ?? '').trim();
    const outcome = String(f.get('outcome')) as NewContact['outcome'];
    logContact.mutate({
      outcome,
      phone: phone.trim() ? phone : undefined,
      ticketNumber: outcome === 'DUPLICATE_OF_OPEN_TICKET' ? duplicateOf.trim() || undefined : undefined,
      note: note || undefined,
    });
  }

  return (
    <div className="intake" key={formKey}>
      <h1>{t('intake')}</h1>
      <p role="status" className="notice">
        {create.data && (
          <>
            {t('created')}: <Link to={`/tickets/${create.data.number}`}>{create.data.number}</Link> — {t('linkSentBySms')}
          </>
        )}
        {logContact.data && `${t('contactLogged')}: ${outcomeLabel(logContact.data.outcome)}`}
        {(ticketDraft.restored || contactDraft.restored) && t('draftRestored')}
      </p>
      <div className="intake-grid">
        <form className="card" id="intake-form" onSubmit={submitTicket} onKeyDown={submitOnCtrlEnter} aria-label={t('intake')} {...ticketDraft.bind}>
          <div className="field">
            <label htmlFor="phone">{t('phone')}</label>
            <input id="phone" name="phone" type="tel" inputMode="tel" autoComplete="off" autoFocus required value={phone} onChange={(e) => {
                setPhone(e.target.value);
                // An answer about the old number no longer applies.
                if (create.error) create.reset();
                if (logContact.error) logContact.reset();
              }} aria-invalid={err(ticketError, 'requester.phone') ? true : undefined} aria-describedby="phone-error" />
            <FieldError id="phone-error" error={err(ticketError, 'requester.phone') ?? err(contactError, 'phone')} />
          </div>
          <div className="row">
            <Field name="name" label="callerName" required error={err(ticketError, 'requester.name')} maxLength={INTAKE_LIMITS['requester.name']} />
            <Select name="type" label="type" required defaultValue="COMPLAINT" options={TYPES.map((ty) => [ty, typeLabel(ty)])} error={err(ticketError, 'type')} />
          </div>
          <CategoryPicker
            choices={categoryChoices}
            value={category}
            onChange={(code) => {
              setCategory(code);
              setCategoryMissing(false);
              // The picker's choice is no input event: the draft is kept once the hidden field has it.
              requestAnimationFrame(ticketDraft.save);
            }}
            info={chosen ? `${t('department')}: ${departmentName(chosen.defaultDepartmentId)} · ${t('sla')}: ${chosen.slaHours} ${t('hours')}` : undefined}
            error={err(ticketError, 'category') ?? (categoryMissing ? t('chooseCategory') : undefined)}
          />
          <div className="row">
            <div className="field">
              <label htmlFor="district">{t('district')}</label>
              <select
                id="district"
                name="district"
                value={district}
                onChange={(e) => {
                  setDistrict(e.target.value);
                  setNeighbourhood('');
                }}
              >
                <option value="">{t('choose')}</option>
                {districts.data?.map((d) => (
                  <option key={d.name}>{d.name}</option>
                ))}
              </select>
              <FieldError id="district-error" error={err(ticketError, 'location.district')} />
            </div>
            <div className="field">
              <label htmlFor="neighbourhood">{t('neighbourhood')}</label>
              <select id="neighbourhood" name="neighbourhood" disabled={!neighbourhoods.length} value={neighbourhood} onChange={(e) => setNeighbourhood(e.target.value)}>
                <option value="">{t('choose')}</option>
                {neighbourhoods.map((n) => (
                  <option key={n}>{n}</option>
                ))}
              </select>
              <FieldError id="neighbourhood-error" error={err(ticketError, 'location.neighbourhood')} />
            </div>
          </div>
          <Field name="address" label="address" error={err(ticketError, 'location.address')} maxLength={INTAKE_LIMITS['location.address']} />
          <fieldset className="place">
            <legend>{t('location')}</legend>
            <p className="muted small" id="place-help">
              {t('placeMapHelp')}
            </p>
            <PlacePicker
              lat={coordinate(lat, 90) !== null && coordinate(lng, 180) !== null ? coordinate(lat, 90) : null}
              lng={coordinate(lat, 90) !== null && coordinate(lng, 180) !== null ? coordinate(lng, 180) : null}
              label={t('placeMap')}
              onPick={(pickedLat, pickedLng) => {
                setLat(String(pickedLat));
                setLng(String(pickedLng));
                // No input event tells the form: the draft is kept once the fields have it.
                requestAnimationFrame(ticketDraft.save);
              }}
            />
            <p className="muted small" role="status" data-testid="pin-neighbourhood">
              {neighbourhood ? `${t('pinAgainst')}: ${neighbourhood}, ${district}. ${t('noBoundaries')}` : ''}
            </p>
            <div className="row">
              <div className="field">
                <label htmlFor="lat">{t('latitude')}</label>
                <input id="lat" name="lat" inputMode="decimal" autoComplete="off" value={lat} onChange={(e) => setLat(e.target.value)} aria-describedby="place-help lat-error" aria-invalid={err(ticketError, 'location.lat') ? true : undefined} />
                <FieldError id="lat-error" error={err(ticketError, 'location.lat')} />
              </div>
              <div className="field">
                <label htmlFor="lng">{t('longitude')}</label>
                <input id="lng" name="lng" inputMode="decimal" autoComplete="off" value={lng} onChange={(e) => setLng(e.target.value)} aria-describedby="place-help lng-error" aria-invalid={err(ticketError, 'location.lng') ? true : undefined} />
                <FieldError id="lng-error" error={err(ticketError, 'location.lng')} />
              </div>
            </div>
          </fieldset>
          <Field name="description" label="description" area rows={2} required error={err(ticketError, 'description')} maxLength={INTAKE_LIMITS.description} />
          {ticketError && (
            <p role="alert" className="error">
              {problemMessage(ticketError.problem, lang)}
            </p>
          )}
          <button type="submit" disabled={create.isPending}>
            {t('submitTicket')}
          </button>
        </form>

        <aside className="side">
          <section className="card" aria-labelledby="caller-title">
            <h2 id="caller-title">{t('callerTickets')}</h2>
            {!lookupable(phone) && <p className="muted">—</p>}
            {caller.data && caller.data.tickets.length === 0 && <p>{t('noCallerTickets')}</p>}
            {caller.data && caller.data.tickets.length > 0 && (
              <ul className="caller-tickets">
                {caller.data.tickets.map((ticket) => (
                  <li key={ticket.number}>
                    <Link to={`/tickets/${ticket.number}`}>{ticket.number}</Link> <span className="caller-subject">{ticket.subject}</span>
                    <br />
                    <span className="muted">
                      {categoryName(ticket.category)} · {typeLabel(ticket.type)} · {status(ticket.status)} · {dateTime(ticket.receivedAt, lang)}
                    </span>{' '}
                    {ticket.open && (
                      <button type="button" className="link" onClick={() => setDuplicateOf(ticket.number)}>
                        {t('duplicateOf')}
                      </button>
                    )}
                  </li>
                ))}
              </ul>
            )}
          </section>

          <form className="card" onSubmit={submitContact} onKeyDown={submitOnCtrlEnter} aria-labelledby="contact-title" {...contactDraft.bind}>
            <h2 id="contact-title">{t('noTicket')}</h2>
            <Select name="outcome" label="outcome" required defaultValue={duplicateOf ? 'DUPLICATE_OF_OPEN_TICKET' : ''} options={OUTCOMES.map((o) => [o, outcomeLabel(o)])} error={err(contactError, 'outcome')} />
            <Field name="ticketNumber" label="duplicateOf" value={duplicateOf} onChange={setDuplicateOf} error={err(contactError, 'ticketNumber')} />
            <Field name="note" label="note" area error={err(contactError, 'note')} maxLength={INTAKE_LIMITS.note} />
            {contactError && (
              <p role="alert" className="error">
                {problemMessage(contactError.problem, lang)}
              </p>
            )}
            <button type="submit" className="secondary" disabled={logContact.isPending}>
              {t('logContact')}
            </button>
          </form>
        </aside>
      </div>
    </div>
  );
}
