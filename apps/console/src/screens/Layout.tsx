import { useEffect, useState, type FormEvent } from 'react';
import { NavLink, Outlet, useLocation, useNavigate } from 'react-router';
import { useAuth } from '../auth';
import { count } from '../format';
import { useI18n } from '../i18n';
import { useLiveFeed } from '../live';
import { useQueues } from '../queries';
import { analysisText } from './analysis/texts';
import { LanguageSwitch } from './LanguageSwitch';

/** A ticket number as the API writes them (2026-000123). */
const TICKET_NUMBER = /^\d{4}-\d{6}$/;

/** The frame of every signed-in screen: navigation with the queues' badges (GET /queues, refreshed by the live feed). */
export function Layout() {
  const { user, signOut, has } = useAuth();
  const { t, queue, lang } = useI18n();
  const queues = useQueues();
  const live = useLiveFeed();
  const navigate = useNavigate();
  // At phone width the navigation and the account controls fold behind a menu button (styles.css); closed again on every move.
  const [menuOpen, setMenuOpen] = useState(false);
  const { pathname } = useLocation();
  useEffect(() => setMenuOpen(false), [pathname]);
  const isPlatform = has('MUHTAR', 'TRADESPERSON', 'COUNCIL_MEMBER') && !has('AGENT', 'COORDINATOR', 'EXPERT', 'MANAGER', 'APPROVER', 'DEPARTMENT_HEAD', 'AUDITOR', 'ADMIN');

  /**
   * One box for any ticket: a ticket number opens it (the API answers 404 for one the reader may
   * not open), anything else is a text search.
   */
  function find(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const text = String(new FormData(event.currentTarget).get('find') ?? '').trim();
    if (!text) return;
    if (TICKET_NUMBER.test(text)) navigate(`/tickets/${encodeURIComponent(text)}`);
    else navigate(`/search?${new URLSearchParams({ q: text })}`);
    event.currentTarget.reset();
  }

  return (
    <>
      <a className="skip" href="#main">
        {t('skip')}
      </a>
      <header className="top">
        <span className="brand">Teksin</span>
        <button type="button" className="menu-toggle secondary" aria-expanded={menuOpen} aria-controls="top-menu" onClick={() => setMenuOpen((open) => !open)}>
          {t('menu')}
        </button>
        <span className="live-state" role="status" data-live={live}>
          {live === 'reconnecting' ? t('liveReconnecting') : live === 'offline' ? t('liveOffline') : ''}
        </span>
        <div id="top-menu" className={menuOpen ? 'top-menu open' : 'top-menu'}>
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
              {!isPlatform && (
                <li>
                  <NavLink to="/search">{t('search')}</NavLink>
                </li>
              )}
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
          <form className="quick-open" role="search" onSubmit={find}>
            <label htmlFor="quick-open" className="sr-only">{t('find')}</label>
            <input id="quick-open" name="find" type="search" placeholder={t('find')} size={18} />
            <button type="submit" className="secondary">
              {t('go')}
            </button>
          </form>
          <span className="who">
            <span className="sr-only">{t('signedInAs')}: </span>
            <strong>{user?.name}</strong>
          </span>
          <LanguageSwitch />
          <button type="button" className="secondary" onClick={() => void signOut()}>
            {t('signOut')}
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </>
  );
}
