import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, call } from '../api/client';
import { dateTime } from '../format';
import { useI18n } from '../i18n';
import { REFRESH_MS } from '../queries';

/** The contact log (GET /contacts): every call, with or without a ticket; auditors see phones masked. */
export function Contacts() {
  const { t, lang, outcome } = useI18n();
  const log = useQuery({ queryKey: ['contacts'], queryFn: () => call(api.GET('/contacts', { params: { query: { limit: 50 } } })), refetchInterval: REFRESH_MS });
  return (
    <section aria-labelledby="contacts-title">
      <h1 id="contacts-title">{t('contacts')}</h1>
      {log.isPending && <p>{t('loading')}</p>}
      {log.error && <p role="alert" className="error">{log.error.message}</p>}
      {log.data && (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('at')}</th>
              <th scope="col">{t('outcome')}</th>
              <th scope="col">{t('number')}</th>
              <th scope="col">{t('phone')}</th>
              <th scope="col">{t('by')}</th>
              <th scope="col">{t('note')}</th>
            </tr>
          </thead>
          <tbody>
            {log.data.items.map((c) => (
              <tr key={c.id}>
                <td>{dateTime(c.at, lang)}</td>
                <td>{outcome(c.outcome)}</td>
                <td>{c.ticketNumber ? <Link to={`/tickets/${c.ticketNumber}`}>{c.ticketNumber}</Link> : '—'}</td>
                <td>{c.phone ?? '—'}</td>
                <td>{c.recordedBy}</td>
                <td>{c.note ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
