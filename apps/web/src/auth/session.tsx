import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { WhoAmI } from '@parkatlas/schema';
import { getJson, sendJson, setCsrfToken } from '../api/client.ts';

/** The answer of GET /api/auth/me and POST /api/auth/login, as the shared schema defines it. */
export type Me = WhoAmI;
export type Role = Me['role'];
export type Permission = Me['permissions'][number];
export type SessionUser = NonNullable<Me['user']>;

/** Nobody signed in: what an API without accounts, or one that cannot be reached, amounts to. */
export const ANONYMOUS: Me = { user: null, role: 'public', key: null, permissions: [], parks: null, csrf_token: null };

export const authApi = {
  me: (signal?: AbortSignal) => getJson<Me>('/api/auth/me', signal),
  login: (username: string, password: string) => sendJson<Me>('POST', '/api/auth/login', { username, password }),
  logout: () => sendJson<void>('POST', '/api/auth/logout'),
};

export interface Session {
  me: Me;
  /** False until /api/auth/me has answered. */
  loaded: boolean;
  can: (permission: Permission) => boolean;
  /** Throws the API's error (401 invalid_credentials, 429 too_many_attempts) for the form to show. */
  signIn: (username: string, password: string) => Promise<void>;
  signOut: () => Promise<void>;
}

const SessionContext = createContext<Session>({
  me: ANONYMOUS,
  loaded: false,
  can: () => false,
  signIn: async () => undefined,
  signOut: async () => undefined,
});

/**
 * Who is using the app, asked once at start and updated by signing in and out. The CSRF token that
 * comes with the answer is handed to the API client, which sends it with every write.
 */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me>(ANONYMOUS);
  const [loaded, setLoaded] = useState(false);
  const adopt = useCallback((next: Me) => {
    setCsrfToken(next.csrf_token);
    setMe(next);
    setLoaded(true);
  }, []);

  useEffect(() => {
    const abort = new AbortController();
    authApi.me(abort.signal).then(adopt, () => !abort.signal.aborted && adopt(ANONYMOUS));
    return () => abort.abort();
  }, [adopt]);

  const signIn = useCallback(async (username: string, password: string) => adopt(await authApi.login(username, password)), [adopt]);
  const signOut = useCallback(async () => {
    try {
      await authApi.logout();
    } finally {
      // Whatever the answer, the session this page knew is over: ask who we are now.
      adopt(await authApi.me().catch(() => ANONYMOUS));
    }
  }, [adopt]);

  const session = useMemo<Session>(
    () => ({ me, loaded, can: (p) => me.permissions.includes(p), signIn, signOut }),
    [me, loaded, signIn, signOut],
  );
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  return useContext(SessionContext);
}
