import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { api, call } from '../api/client';
import { dateTime } from '../format';
import { useI18n } from '../i18n';

/** An auditor's view of a ticket's legal record: the engine's event history, readable and as JSON to download. */
export function History() {
  const { number = '' } = useParams();
  const { t, lang } = useI18n();
  const history = useQuery({ queryKey: ['history', number], queryFn: () => call(api.GET('/tickets/{number}/history', { params: { path: { number } } })) });

  function download() {
    const blob = new Blob([JSON.stringify(history.data, null, 2)], { type: 'application/json' });
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = `ticket-${number}-history.json`;
    a.click();
    URL.revokeObjectURL(url);
  }

  return (
    <section aria-labelledby="history-title">
      <h1 id="history-title">
        {t('history')}: <Link to={`/tickets/${number}`}>{number}</Link>
      </h1>
      {history.isPending && <p>{t('loading')}</p>}
      {history.error && <p role="alert" className="error">{history.error.message}</p>}
      {history.data && (
        <>
          <p>
            {t('temporal')}: <code>{history.data.workflowId}</code> · <code>{history.data.runId}</code>{' '}
            {history.data.temporalUiUrl && (
              <>
                <a href={history.data.temporalUiUrl} target="_blank" rel="noreferrer">
                  {t('temporalUi')}
                </a>{' '}
              </>
            )}
            <button type="button" onClick={download}>
              {t('downloadJson')}
            </button>
          </p>
          <table>
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">{t('at')}</th>
                <th scope="col">{t('eventType')}</th>
                <th scope="col">{t('eventSummary')}</th>
              </tr>
            </thead>
            <tbody>
              {history.data.timeline.map((line) => (
                <tr key={`${line.runId}-${line.eventId}`}>
                  <td>{line.eventId}</td>
                  <td>{dateTime(line.time, lang)}</td>
                  <td>{line.type}</td>
                  <td>{line.summary}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
