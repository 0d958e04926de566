import type { paths } from '../api/client';
import { dateTime } from '../format';
import { useI18n } from '../i18n';
import { useCategories, useDepartments } from '../queries';

type TicketAnswer = paths['/tickets/{number}']['get']['responses'][200]['content']['application/json'];
/**
 * What a platform user (muhtar, tradesperson, council member) reads: the public view of a ticket of
 * their neighbourhood or one they follow (no personal data, with the department), or the citizen's
 * view of one they submitted (their own words). Neither has the staff view's `id`.
 */
export type ReadOnlyTicket = Exclude<TicketAnswer, { id: string }>;

/** A platform user's ticket screen: read-only, what the citizen may see (status, steps, dates, place, department, public answers). */
export function PublicTicketView({ view, heading: Heading }: { view: ReadOnlyTicket; heading: 'h1' | 'h2' }) {
  const { t, status, lang, event, type } = useI18n();
  const categories = useCategories();
  const departments = useDepartments();
  const category = categories.data?.find((c) => c.code === view.category);
  const departmentId = 'departmentId' in view ? view.departmentId : null;
  const department = departments.data?.find((d) => d.id === departmentId);
  const name = (item: { name: string; nameEn: string } | undefined, fallback: string) => (item ? (lang === 'tr' ? item.name : item.nameEn) : fallback);
  // The steps the citizen sees, newest first; an answer staff published (or, on one's own ticket, wrote to the citizen) has its text.
  const steps = [...view.timeline].reverse();
  const answers = steps.filter((entry) => entry.texts && Object.keys(entry.texts).length > 0);

  return (
    <section className="ticket read-only" aria-labelledby="ticket-title">
      <Heading id="ticket-title">
        {view.number} <span className={`status status-${view.status}`}>{status(view.status)}</span>
      </Heading>
      <p className="muted">{t('readOnlyTicket')}</p>
      <dl className="facts">
        <dt>{t('type')}</dt>
        <dd>{type(view.type)}</dd>
        <dt>{t('category')}</dt>
        <dd>{name(category, view.category)}</dd>
        <dt>{t('department')}</dt>
        <dd>{departmentId ? name(department, departmentId) : '—'}</dd>
        <dt>{t('location')}</dt>
        <dd>{[view.location.district, view.location.neighbourhood].filter(Boolean).join(' / ') || '—'}</dd>
        <dt>{t('received')}</dt>
        <dd>{dateTime(view.receivedAt, lang)}</dd>
        <dt>{t('resolvedAt')}</dt>
        <dd>{dateTime(view.resolvedAt, lang)}</dd>
        <dt>{t('closedAt')}</dt>
        <dd>{dateTime(view.closedAt, lang)}</dd>
        <dt>{t('reopenUntil')}</dt>
        <dd>{dateTime(view.reopenUntil, lang)}</dd>
        <dt>{t('reopenCount')}</dt>
        <dd>{view.reopenCount}</dd>
      </dl>
      {'description' in view && <p className="description">{view.description}</p>}

      <h3>{t('publicAnswers')}</h3>
      {answers.length === 0 && <p>{t('noPublicAnswer')}</p>}
      {answers.map((entry) => (
        <div key={entry.seq} className="resolution">
          <time dateTime={entry.at}>{dateTime(entry.at, lang)}</time> <strong>{event(entry.type)}</strong>
          {Object.entries(entry.texts ?? {}).map(([key, text]) => (
            <p key={key} className="entry-text">
              {text}
            </p>
          ))}
        </div>
      ))}

      <h3>{t('steps')}</h3>
      <ol className="timeline">
        {steps.map((entry) => (
          <li key={entry.seq}>
            <time dateTime={entry.at}>{dateTime(entry.at, lang)}</time> <strong>{event(entry.type)}</strong> <span className="muted">· {status(entry.status)}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}
