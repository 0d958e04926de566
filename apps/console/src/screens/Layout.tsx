import { type FormEvent } from 'react';
import { NavLink, Outlet, useNavigate } from 'react-router';
import { useAuth } from '../auth';
import { count } from '../format';
import { useI18n } from '../i18n';
import { useLiveFeed } from '../live';
import { useQueues } from '../queries';
import { analysisText } from './analysis/texts';
import { LanguageSwitch } from './LanguageSwitch';

/** The frame of every signed-in screen: navigation with the queues' badges (GET /queues, refreshed by the live feed). */
export function Layout() {
  const { user, signOut, has } = useAuth();
  const { t, queue, lang } = useI18n();
  const queues = useQueues();
  const live = useLiveFeed();
  const navigate = useNavigate();

  /** Any ticket by its number (an auditor's way in; the API answers 404 for one the reader may not open). */
  function openTicket(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const number = String(new FormData(event.currentTarget).get('number') ?? '').trim();
    if (number) navigate(`/tickets/${encodeURIComponent(number)}`);
  }

  return (
    <>
      <a className="skip" href="#main">
        {t('skip')}
      </a>
      <header className="top">
        <span className="brand">Teksin</span>
        <nav aria-label={t('queues')}>
          <ul>
            {has('AGENT', 'COORDINATOR') && (
              <li>
                <NavLink to="/intake">{t('intake')}</NavLink>
              </li>
            )}
            {queues.data?.queues.map((q) => (
              <li key={q.queue}>
                <NavLink to={`/queues/${q.queue}`}>
                  {queue(q.queue)}{' '}
                  <span className="badge" aria-label={`${count(q.count, lang)}${q.more ? '+' : ''}`}>
                    {count(q.count, lang)}
                    {q.more ? '+' : ''}
                  </span>
                </NavLink>
              </li>
            ))}
            {has('COORDINATOR') && (
              <li>
                <NavLink to="/queues/finalize">{t('toFinalize')}</NavLink>
              </li>
            )}
            {has('AGENT', 'COORDINATOR', 'AUDITOR') && (
              <li>
                <NavLink to="/contacts">{t('contacts')}</NavLink>
              </li>
            )}
            {has('COORDINATOR', 'DEPARTMENT_HEAD', 'AUDITOR', 'ADMIN') && (
              <li>
                <NavLink to="/analysis">{analysisText(lang)('analysis')}</NavLink>
              </li>
            )}
          </ul>
        </nav>
        <form className="quick-open" role="search" onSubmit={openTicket}>
          <label htmlFor="quick-open" className="sr-only">{t('openTicket')}</label>
          <input id="quick-open" name="number" placeholder={t('number')} pattern="\d{4}-\d{6}" size={11} />
          <button type="submit" className="secondary">
            {t('go')}
          </button>
        </form>
        <span className="live-state" role="status" data-live={live}>
          {live === 'reconnecting' ? t('liveReconnecting') : live === 'offline' ? t('liveOffline') : ''}
        </span>
        <span className="who">
          <span className="sr-only">{t('signedInAs')}: </span>
          <strong>{user?.name}</strong>
        </span>
        <LanguageSwitch />
        <button type="button" className="secondary" onClick={() => void signOut()}>
          {t('signOut')}
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </>
  );
}
