/**
 * The console's sign-in: asks the server who is signed in (GET /auth/me); without a session it
 * shows a login form (POST /auth/login, which sets the HttpOnly session cookie and gives the CSRF
 * token api.ts sends on every change), then renders the console. When any API call later answers
 * 401 (the session expired or was ended), the form shows again. The console signs out through
 * the session it is given (POST /auth/logout: the server deletes the session and clears the
 * cookie). Strings in i18n.ts (EN/JA).
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, auth, type Me, UNAUTHENTICATED_EVENT } from './api.js';
import { initialLanguage, type MessageKey, translate } from './i18n.js';

/** The signed-in console's session: who, and how to end it. */
export interface ConsoleSession {
  readonly me: Me;
  /** Ends the session on the server, then shows the sign-in form. */
  readonly signOut: () => void;
}

export function LoginGate(props: { readonly children: (session: ConsoleSession) => ComponentChildren }) {
  const t = (key: MessageKey, params?: Readonly<Record<string, string | number>>) =>
    translate(initialLanguage(), key, params);
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    auth.me().then(setMe, (e: unknown) => {
      setMe(null);
      setError(t('loginError', { message: e instanceof Error ? e.message : String(e) }));
    });
    const ended = () => setMe(null);
    globalThis.addEventListener(UNAUTHENTICATED_EVENT, ended);
    return () => globalThis.removeEventListener(UNAUTHENTICATED_EVENT, ended);
  }, []);

  if (me === undefined) return <p class="login-note">{t('loginChecking')}</p>;
  if (me !== null) {
    const signOut = () => {
      setError(null);
      auth.logout().then(
        () => setMe(null),
        (err: unknown) => {
          // 401: the session had already ended. Otherwise it may still be open: stay, and say so.
          if (err instanceof ApiError && err.status === 401) setMe(null);
          else setError(t('logoutError', { message: err instanceof Error ? err.message : String(err) }));
        },
      );
    };
    return (
      <>
        {error === null ? null : (
          <p class="login-error" role="alert" data-testid="logout-error">
            {error}
          </p>
        )}
        {props.children({ me, signOut })}
      </>
    );
  }

  const submit = (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    auth.login(username.trim(), password).then(
      (m) => {
        setPassword('');
        setBusy(false);
        setMe(m);
      },
      (err: unknown) => {
        setBusy(false);
        if (err instanceof ApiError && err.status === 401) setError(t('loginFailed'));
        else if (err instanceof ApiError && err.status === 429) setError(t('loginRateLimited'));
        else setError(t('loginError', { message: err instanceof Error ? err.message : String(err) }));
      },
    );
  };
  return (
    <form class="login" data-testid="login-form" onSubmit={submit}>
      <h1>{t('loginTitle')}</h1>
      <label>
        {t('loginUsername')}
        <input
          data-testid="login-username"
          autocomplete="username"
          value={username}
          onInput={(e) => setUsername((e.currentTarget as HTMLInputElement).value)}
        />
      </label>
      <label>
        {t('loginPassword')}
        <input
          data-testid="login-password"
          type="password"
          autocomplete="current-password"
          value={password}
          onInput={(e) => setPassword((e.currentTarget as HTMLInputElement).value)}
        />
      </label>
      <button
        type="submit"
        data-testid="login-submit"
        disabled={busy || username.trim() === '' || password === ''}
      >
        {t('loginButton')}
      </button>
      {error === null ? null : (
        <p class="login-error" role="alert" data-testid="login-error">
          {error}
        </p>
      )}
    </form>
  );
}
