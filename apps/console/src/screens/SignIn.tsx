import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/client';
import { useAuth } from '../auth';
import { useI18n } from '../i18n';
import { LanguageSwitch } from './LanguageSwitch';

export function SignIn() {
  const { signIn, expired } = useAuth();
  const { t } = useI18n();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    try {
      await signIn(String(form.get('username')), String(form.get('password')));
    } catch (e) {
      setError(e instanceof ApiError && e.status === 401 ? t('badCredentials') : e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="signin">
      <form onSubmit={submit} className="card" aria-labelledby="signin-title">
        <h1 id="signin-title">{t('appName')}</h1>
        {expired && (
          <p role="status" className="notice">
            {t('sessionExpiredTextKept')}
          </p>
        )}
        <label>
          {t('username')}
          <input name="username" autoComplete="username" required autoFocus />
        </label>
        <label>
          {t('password')}
          <input name="password" type="password" autoComplete="current-password" required />
        </label>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {t('signIn')}
        </button>
        <LanguageSwitch />
      </form>
    </main>
  );
}
