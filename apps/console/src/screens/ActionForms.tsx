import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api, ApiError, call, type ActionRoute, type paths, type StaffTicket } from '../api/client';
import { newRequestId } from '../request-id';
import { count, dateTime } from '../format';
import { Field, Select, submitOnCtrlEnter } from '../forms/form-kit';
import { useI18n } from '../i18n';
import { useCategories, useCategoryName, useDepartments, useExperts, useInstitutions } from '../queries';
import { Link } from 'react-router';
import { useAuth } from '../auth';
import { drafts } from '../forms/drafts';
import { useFormDraft } from '../forms/use-form-draft';
import { fieldMessage, problemMessage } from '../api/problem-texts';
import { nextInQueue, useQueueContext } from './queue-context';
import { ResolutionPhotos } from './Attachments';

/** The body of `POST /tickets/{number}/<route>`, from the API's OpenAPI document. */
type Body<R extends ActionRoute> = NonNullable<paths[`/tickets/{number}/${R}`]['post']['requestBody']>['content']['application/json'];
type Fields = Record<string, string>;
const opt = (value: string | undefined) => (value && value.trim() ? value : undefined);
/** An answer's audience: to the citizen only unless staff choose the public answer (published on Open311). */
const audience = (f: Fields): Body<'finalize'>['visibility'] => (f.visibility === 'PUBLIC' ? 'PUBLIC' : 'CITIZEN');

/** Each action's body from its form's fields: a renamed or retyped DTO field breaks this at compile time. */
const BODIES: { [R in ActionRoute]: (f: Fields) => Body<R> } = {
  'assign-department': (f) => ({ departmentId: f.departmentId ?? '', category: opt(f.category), note: opt(f.note) }),
  'reassign-department': (f) => ({ departmentId: f.departmentId ?? '', category: opt(f.category), note: opt(f.note) }),
  'return-to-center': (f) => ({ reason: f.reason ?? '' }),
  refer: (f) => ({ institutionId: f.institutionId ?? '', note: opt(f.note) }),
  reject: (f) => ({ reason: (f.reason ?? 'SPAM') as Body<'reject'>['reason'], duplicateOf: opt(f.duplicateOf), note: opt(f.note) }),
  answer: (f) => ({ answer: f.answer ?? '', visibility: audience(f) }),
  'assign-expert': (f) => ({ expertId: f.expertId ?? '' }),
  'request-info': (f) => ({ question: f.question ?? '' }),
  'info-provided': (f) => ({ answer: f.answer ?? '', channel: 'CALL_CENTER' }),
  notes: (f) => ({ text: f.text ?? '', visibility: (f.visibility ?? 'INTERNAL') as Body<'notes'>['visibility'] }),
  resolution: (f) => ({ text: f.text ?? '' }),
  approve: (f) => ({ note: opt(f.note) }),
  'reject-resolution': (f) => ({ reason: f.reason ?? '' }),
  finalize: (f) => ({ summary: f.summary ?? '', visibility: audience(f) }),
  reopen: (f) => ({ reason: f.reason ?? '', channel: 'CALL_CENTER' }),
  withdraw: () => ({ channel: 'CALL_CENTER' }),
};

function send<R extends ActionRoute>(route: R, number: string, fields: Fields, requestId: string) {
  const body = BODIES[route](fields);
  // One generic call for sixteen routes: the body was typed per route above.
  return call(
    api.POST(`/tickets/{number}/${route}` as '/tickets/{number}/notes', { params: { path: { number }, header: { 'X-Request-Id': requestId } }, body: body as Body<'notes'> }),
  );
}

/** No answer, or 5xx: the command may or may not have been applied (a 503 says so). */
const outcomeUnknown = (error: unknown) => !(error instanceof ApiError) || error.status >= 500;

/** Only the actions the API says the reader may take now (`actions` of the staff view), each a small form. */
export function ActionForms({ view }: { view: StaffTicket }) {
  const { t, action } = useI18n();
  const { user } = useAuth();
  // Back after signing in anew: the action whose text was kept opens again with it.
  const [open, setOpen] = useState<ActionRoute | null>(() => (view.actions ?? []).find((r) => !!user && drafts.has(user.id, draftId(view.number, r))) ?? null);
  const [notice, setNotice] = useState<string | null>(null);
  const [acted, setActed] = useState(false);
  // The ticket after this one in the queue it was opened from, as the list stood before the
  // action took it out of the list.
  const queue = useQueueContext();
  const next = useRef<string | null>(null);
  if (queue && queue.numbers.includes(view.number)) next.current = nextInQueue(queue.numbers, view.number);
  const nextLink = queue && acted && (
    <p className="next-ticket">
      {next.current ? <Link to={`/queues/${queue.queue}/${next.current}`}>{t('nextInQueue')} →</Link> : <span className="muted">{t('queueDone')}</span>}
    </p>
  );
  const [conflict, setConflict] = useState<string | null>(null);
  const actions = view.actions ?? [];
  const conflictAlert = conflict && (
    <p role="alert" className="error">
      {conflict}
    </p>
  );
  if (!actions.length) {
    return (
      <>
        {conflictAlert}
        <p role="status" className="notice">
          {notice}
        </p>
        {nextLink}
        <p className="muted">{t('noActions')}</p>
      </>
    );
  }
  return (
    <div className="actions">
      {conflictAlert}
      <div className="action-buttons">
        {actions.map((route) => (
          <button key={route} type="button" className={open === route ? 'active' : 'secondary'} aria-expanded={open === route} onClick={() => {
              setConflict(null);
              setOpen(open === route ? null : route);
            }}>
            {action(route)}
          </button>
        ))}
      </div>
      <p role="status" className="notice">
        {notice}
      </p>
      {nextLink}
      {open && actions.includes(open) && (
        <ActionForm
          key={`${open}-${view.number}`}
          route={open}
          view={view}
          onDone={(message) => {
            setOpen(null);
            setNotice(message);
            setActed(true);
          }}
          onConflict={(message) => {
            setOpen(null);
            setNotice(null);
            setConflict(message);
          }}
        />
      )}
    </div>
  );
}

const draftId = (number: string, route: ActionRoute) => `ticket.${number}.${route}`;

/** A 409 closes the form: the ticket moved on, its fresh view (and its actions) are reloaded and the reason stays on screen. */
function ActionForm({ route, view, onDone, onConflict }: { route: ActionRoute; view: StaffTicket; onDone(message: string): void; onConflict(message: string): void }) {
  const { t, action, status, event, lang } = useI18n();
  const queryClient = useQueryClient();
  // One X-Request-Id per submission: sending the same form again after an unknown outcome (a
  // 503, a lost answer) reuses it, so the API applies the command once and answers as the first
  // time. Any answer that settles it, or a changed form, takes a new one.
  const attempt = useRef<{ fields: string; id: string } | null>(null);
  const draft = useFormDraft(draftId(view.number, route));
  const mutation = useMutation({
    mutationFn: (fields: Fields) => {
      const key = JSON.stringify(fields);
      if (attempt.current?.fields !== key) attempt.current = { fields: key, id: newRequestId() };
      return send(route, view.number, fields, attempt.current.id);
    },
    onSuccess: async () => {
      attempt.current = null;
      draft.clear();
      await queryClient.invalidateQueries();
      onDone(`${action(route)}: ${t('done')}`);
    },
    onError: async (error) => {
      if (!outcomeUnknown(error)) attempt.current = null;
      if (error instanceof ApiError && error.status === 409) {
        // Say what changed: the ticket's status now and its latest step, by whom and when.
        await queryClient.invalidateQueries();
        await queryClient.refetchQueries({ queryKey: ['ticket', view.number] });
        const fresh = queryClient.getQueryData<StaffTicket>(['ticket', view.number]);
        const last = fresh?.timeline[fresh.timeline.length - 1];
        const what = fresh && last ? ` ${status(fresh.status)} — ${event(last.type)} · ${last.actor.id ?? ''} · ${dateTime(last.at, lang)}.` : '';
        onConflict(`${t('conflict')}${what}`);
      }
    },
  });
  const error = mutation.error instanceof ApiError ? mutation.error : null;
  const formRef = draft.bind.ref;
  // Keyboard first: the opened form takes the focus (its first field, else its button) and scrolls into view.
  useEffect(() => {
    formRef.current?.querySelector<HTMLElement>('input, select, textarea, button[type=submit]')?.focus();
  }, []);
  const fieldError = (field: string) => error?.fieldMessages(field).map((m) => fieldMessage(m, lang)).join('; ') || undefined;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const fields: Fields = {};
    new FormData(event.currentTarget).forEach((value, key) => (fields[key] = String(value)));
    mutation.mutate(fields);
  }

  const general = mutation.error && outcomeUnknown(mutation.error)
    ? t('outcomeUnknown')
    : error && error.status !== 409 ? problemMessage(error.problem, lang) : null;

  return (
    <form className="action-form card" onSubmit={submit} aria-label={action(route)} onKeyDown={(e) => submitOnCtrlEnter(e)} {...draft.bind}>
      <h4>{action(route)}</h4>
      {draft.restored && (
        <p role="status" className="notice">
          {t('draftRestored')}
        </p>
      )}
      <ActionFields route={route} view={view} fieldError={fieldError} />
      {general && (
        <p role="alert" className="error">
          {general}
        </p>
      )}
      <button type="submit" disabled={mutation.isPending}>
        {action(route)}
      </button>
    </form>
  );
}

function ActionFields({ route, view, fieldError }: { route: ActionRoute; view: StaffTicket; fieldError(field: string): string | undefined }) {
  const { t } = useI18n();
  switch (route) {
    case 'assign-department':
    case 'reassign-department':
      return <DepartmentFields view={view} fieldError={fieldError} />;
    case 'return-to-center':
    case 'reopen':
      return <Field name="reason" label="reason" area required error={fieldError('reason')} />;
    case 'reject-resolution':
      return (
        <>
          <ResolutionBox view={view} />
          <Field name="reason" label="reason" area required error={fieldError('reason')} />
        </>
      );
    case 'refer':
      return <ReferFields fieldError={fieldError} />;
    case 'reject':
      return <RejectFields view={view} fieldError={fieldError} />;
    case 'answer':
      return (
        <>
          <Field name="answer" label="answer" area required error={fieldError('answer')} />
          <AudienceField error={fieldError('visibility')} />
        </>
      );
    case 'info-provided':
      return <Field name="answer" label="answer" area required error={fieldError('answer')} />;
    case 'assign-expert':
      return <ExpertField view={view} error={fieldError('expertId')} />;
    case 'request-info':
      return <Field name="question" label="question" area required error={fieldError('question')} />;
    case 'notes':
      return (
        <>
          <Field name="text" label="note" area required error={fieldError('text')} />
          <Select name="visibility" label="visibility" required defaultValue="INTERNAL" error={fieldError('visibility')} options={[['INTERNAL', t('internal')], ['CITIZEN', t('citizenVisible')]]} />
        </>
      );
    case 'resolution':
      return <Field name="text" label="resolution" area required error={fieldError('text')} />;
    case 'approve':
      return (
        <>
          <ResolutionBox view={view} />
          <Field name="note" label="note" area error={fieldError('note')} />
        </>
      );
    case 'finalize':
      return (
        <>
          <Field name="summary" label="summary" area required error={fieldError('summary')} defaultValue={latestResolution(view)} />
          <AudienceField error={fieldError('visibility')} />
        </>
      );
    case 'withdraw':
      return null;
  }
}

/** Who an answer is for, said where it is written: the citizen alone (default) or the public (Open311's status notes). */
function AudienceField({ error }: { error?: string }) {
  const { t } = useI18n();
  return <Select name="visibility" label="audience" required defaultValue="CITIZEN" error={error} options={[['CITIZEN', t('citizenOnlyAnswer')], ['PUBLIC', t('publicAnswer')]]} />;
}

const latestResolution = (view: StaffTicket) => [...view.timeline].reverse().find((e) => e.type === 'RESOLUTION_SUBMITTED')?.texts?.text ?? '';

/** The resolution being decided with the expert's BEFORE/AFTER photos beside it, the chain so far and earlier rejections. */
function ResolutionBox({ view }: { view: StaffTicket }) {
  const { t, event, lang } = useI18n();
  const steps = view.timeline.filter((e) => ['APPROVED_AT_LEVEL', 'RESOLUTION_REJECTED'].includes(e.type));
  return (
    <div className="resolution">
      <div className="resolution-body">
        <p>
          <strong>{t('resolution')}:</strong> {latestResolution(view)}
        </p>
        <ResolutionPhotos view={view} />
      </div>
      {steps.length > 0 && (
        <ul>
          {steps.map((e) => (
            <li key={e.seq}>
              {dateTime(e.at, lang)} · {event(e.type)} · {e.actor.id ? (view.staffNames[e.actor.id] ?? e.actor.id) : ''} {e.texts?.reason ? `— ${e.texts.reason}` : ''}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function DepartmentFields({ view, fieldError }: { view: StaffTicket; fieldError(field: string): string | undefined }) {
  const { lang } = useI18n();
  const departments = useDepartments();
  const categories = useCategories();
  const suggested = categories.data?.find((c) => c.code === view.category)?.defaultDepartmentId ?? '';
  const options = (departments.data ?? []).filter((d) => d.id !== view.departmentId).map((d) => [d.id, lang === 'tr' ? d.name : d.nameEn] as [string, string]);
  return (
    <>
      <Select name="departmentId" label="department" required defaultValue={suggested === view.departmentId ? '' : suggested} options={options} error={fieldError('departmentId')} />
      <Select name="category" label="category" defaultValue="" options={(categories.data ?? []).map((c) => [c.code, lang === 'tr' ? c.name : c.nameEn] as [string, string])} error={fieldError('category')} />
      <Field name="note" label="note" area error={fieldError('note')} />
    </>
  );
}

function ReferFields({ fieldError }: { fieldError(field: string): string | undefined }) {
  const { lang } = useI18n();
  const institutions = useInstitutions();
  return (
    <>
      <Select name="institutionId" label="institution" required options={(institutions.data ?? []).map((i) => [i.id, lang === 'tr' ? i.name : i.nameEn] as [string, string])} error={fieldError('institutionId')} />
      <Field name="note" label="note" area error={fieldError('note')} />
    </>
  );
}

/** Reject, with the likely duplicates: same category, same neighbourhood, received in the last 7 days. */
function RejectFields({ view, fieldError }: { view: StaffTicket; fieldError(field: string): string | undefined }) {
  const { t, status, lang } = useI18n();
  const categoryName = useCategoryName();
  const [duplicateOf, setDuplicateOf] = useState('');
  const since = new Date(Date.now() - 7 * 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z');
  const likely = useQuery({
    queryKey: ['likely-duplicates', view.number],
    queryFn: () =>
      call(
        api.GET('/tickets', {
          params: {
            query: {
              category: view.category,
              district: view.location.district ?? undefined,
              neighbourhood: view.location.neighbourhood ?? undefined,
              from: since,
              limit: 10,
            },
          },
        }),
      ),
  });
  const others = (likely.data?.items ?? []).filter((item) => item.number !== view.number && !['CLOSED', 'REJECTED', 'REFERRED'].includes(item.status));
  return (
    <>
      <Select name="reason" label="reason" required options={[['SPAM', 'SPAM'], ['ABUSIVE', 'ABUSIVE'], ['DUPLICATE', 'DUPLICATE']]} error={fieldError('reason')} />
      <Field name="duplicateOf" label="duplicateOf" value={duplicateOf} onChange={setDuplicateOf} error={fieldError('duplicateOf')} />
      {others.length > 0 && (
        <ul className="duplicates">
          {others.map((item) => (
            <li key={item.number}>
              <button type="button" className="link" onClick={() => setDuplicateOf(item.number)}>
                {item.number}
              </button>{' '}
              {status(item.status)} · {dateTime(item.receivedAt, lang)}
            </li>
          ))}
        </ul>
      )}
      <Field name="note" label="note" area error={fieldError('note')} />
      <span className="muted">{t('category')}: {categoryName(view.category)}</span>
    </>
  );
}

function ExpertField({ view, error }: { view: StaffTicket; error?: string }) {
  const { t, lang } = useI18n();
  const experts = useExperts(view.departmentId);
  return (
    <Select
      name="expertId"
      label="expert"
      required
      defaultValue={view.assigneeId ?? ''}
      options={(experts.data ?? []).map((e) => [e.id, `${e.name} · ${count(e.openTickets, lang)} ${t('openLoad')}`] as [string, string])}
      error={error}
    />
  );
}
