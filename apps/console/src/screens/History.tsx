import { useQuery } from '@tanstack/react-query';
import { Fragment, useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { api, call } from '../api/client';
import { dateTime } from '../format';
import { useI18n } from '../i18n';
import { auditTexts, type HistoryLine } from './audit-texts';

type RawEvent = { eventId?: string | number } & Record<string, unknown>;

/**
 * An auditor's view of a ticket's legal record: the engine's event history as a timeline (who did
 * what, when, in the console's language), each event's raw JSON one click away, and the whole
 * history as JSON to download. The API types each line (kind, command, actor with name…); this
 * screen only words it.
 */
export function History() {
  const { number = '' } = useParams();
  const { t, lang } = useI18n();
  const { a, who, sentence } = auditTexts(lang);
  const [engineSteps, setEngineSteps] = useState(false);
  const [open, setOpen] = useState<string | null>(null);
  const history = useQuery({ queryKey: ['history', number], queryFn: () => call(api.GET('/tickets/{number}/history', { params: { path: { number } } })) });

  // Each run's raw events by id, for the line whose raw JSON is opened.
  const raw = useMemo(() => {
    const byRun = new Map<string, Map<string, RawEvent>>();
    for (const run of history.data?.runs ?? []) {
      const events = ((run.history as { events?: RawEvent[] }).events ?? []).map((e) => [String(e.eventId), e] as const);
      byRun.set(run.runId, new Map(events));
    }
    return byRun;
  }, [history.data]);

  function download() {
    const blob = new Blob([JSON.stringify(history.data, null, 2)], { type: 'application/json' });
    const url = URL.createObjectURL(blob);
    const link = document.createElement('a');
    link.href = url;
    link.download = `ticket-${number}-history.json`;
    link.click();
    URL.revokeObjectURL(url);
  }

  const lines = (history.data?.timeline ?? []).filter((line) => engineSteps || line.kind !== 'ENGINE_STEP');
  const several = (history.data?.runs.length ?? 0) > 1;
  const key = (line: HistoryLine) => `${line.runId}-${line.eventId}`;

  return (
    <section aria-labelledby="history-title">
      <h1 id="history-title">
        {t('history')}: <Link to={`/tickets/${number}`}>{number}</Link>
      </h1>
      {history.isPending && <p>{t('loading')}</p>}
      {history.error && (
        <p role="alert" className="error">
          {history.error.message}
        </p>
      )}
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
          <p>
            <label>
              <input type="checkbox" checked={engineSteps} onChange={(e) => setEngineSteps(e.target.checked)} /> {a('engineSteps')}
            </label>
          </p>
          <div className="table-scroll">
            <table className="history-timeline">
              <thead>
                <tr>
                  <th scope="col">#</th>
                  <th scope="col">{t('at')}</th>
                  <th scope="col">{a('who')}</th>
                  <th scope="col">{a('whatHappened')}</th>
                  <th scope="col">{a('rawEvent')}</th>
                </tr>
              </thead>
              <tbody>
                {lines.map((line) => {
                  const id = key(line);
                  const shown = open === id;
                  return (
                    <Fragment key={id}>
                      <tr data-kind={line.kind}>
                        <td>
                          {several && <span className="muted">{`${a('run')} ${history.data.runs.findIndex((r) => r.runId === line.runId) + 1} · `}</span>}
                          {line.eventId}
                        </td>
                        <td>{dateTime(line.time, lang)}</td>
                        <td>{who(line)}</td>
                        <td>{sentence(line)}</td>
                        <td>
                          <button type="button" className="secondary" aria-expanded={shown} aria-controls={`raw-${id}`} onClick={() => setOpen(shown ? null : id)}>
                            {shown ? a('hideRawEvent') : a('rawEvent')}
                            <span className="sr-only">{` #${line.eventId}`}</span>
                          </button>
                        </td>
                      </tr>
                      {shown && (
                        <tr id={`raw-${id}`}>
                          <td colSpan={5}>
                            <pre className="raw-event" tabIndex={0} aria-label={`${a('rawEvent')} #${line.eventId}`}>
                              {JSON.stringify(raw.get(line.runId)?.get(String(line.eventId)) ?? null, null, 2)}
                            </pre>
                          </td>
                        </tr>
                      )}
                    </Fragment>
                  );
                })}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
