import { NavLink, Outlet } from 'react-router';
import { useAuth } from '../auth';
import { count } from '../format';
import { useI18n } from '../i18n';
import { useQueues } from '../queries';
import { LanguageSwitch } from './LanguageSwitch';

/** The frame of every signed-in screen: navigation with the queues' badges (GET /queues, refreshed by itself). */
export function Layout() {
  const { user, signOut, has } = useAuth();
  const { t, queue, lang } = useI18n();
  const queues = useQueues();

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
          </ul>
        </nav>
        <span className="who">
          {t('signedInAs')}: <strong>{user?.name}</strong>
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
