import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/client.ts';
import { useI18n, type I18n } from '../i18n/i18n.tsx';
import { useSession } from './session.tsx';

/** What to tell the user about a failed sign-in: the two answers the API gives on purpose, else its message. */
function signInError(t: I18n['t'], e: unknown): string {
  if (e instanceof ApiError && e.status === 401) return t('auth_invalid');
  if (e instanceof ApiError && e.status === 429) {
    return e.retryAfter ? t('auth_tooMany').replace('{s}', String(e.retryAfter)) : t('auth_tooManyLater');
  }
  return `${t('auth_failed')}: ${(e as Error).message}`;
}

/**
 * The header's account control: "Sign in" opens a small form; signed in, the name and role and
 * "Sign out".
 */
export function SignIn() {
  const { t } = useI18n();
  const session = useSession();
  const [open, setOpen] = useState(false);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const user = session.me.user;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await session.signIn(username.trim(), password);
      setOpen(false);
      setUsername('');
    } catch (err) {
      setError(signInError(t, err));
    } finally {
      // A password never outlives its attempt in the page's state.
      setPassword('');
      setBusy(false);
    }
  };

  if (user) {
    return (
      <div className="account" data-testid="account" data-username={user.username} data-role={session.me.role}>
        <span className="who">
          {user.display_name} <small data-testid="account-role">{t(`role_${session.me.role}`)}</small>
        </span>
        <button type="button" data-testid="sign-out" onClick={() => void session.signOut()}>{t('auth_signOut')}</button>
      </div>
    );
  }
  return (
    <div className="account" data-testid="account">
      <button type="button" data-testid="sign-in" aria-expanded={open} disabled={!session.loaded} onClick={() => setOpen(!open)}>
        {t('auth_signIn')}
      </button>
      {open && (
        <form className="sign-in panel" data-testid="sign-in-form" onSubmit={submit}>
          <label className="field">
            <span data-testid="sign-in-username-label">{t('auth_username')}</span>
            <input type="text" name="username" autoComplete="username" required autoFocus maxLength={64} data-testid="sign-in-username"
              value={username} onChange={(e) => setUsername(e.target.value)} />
          </label>
          <label className="field">
            <span data-testid="sign-in-password-label">{t('auth_password')}</span>
            <input type="password" name="password" autoComplete="current-password" required maxLength={1024} data-testid="sign-in-password"
              value={password} onChange={(e) => setPassword(e.target.value)} />
          </label>
          {error && <p className="error" role="alert" data-testid="sign-in-error">{error}</p>}
          <div className="form-actions">
            <button type="submit" disabled={busy} data-testid="sign-in-submit">{t('auth_submit')}</button>
            <button type="button" className="link" onClick={() => { setOpen(false); setError(null); }}>{t('auth_cancel')}</button>
          </div>
        </form>
      )}
    </div>
  );
}
