import { useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, call, sessionEnded, tokenStore, type SignedInUser } from './api/client';
import { drafts } from './forms/drafts';

interface Auth {
  user: SignedInUser | null;
  signIn(username: string, password: string): Promise<void>;
  signOut(): Promise<void>;
  has(...roles: SignedInUser['roles']): boolean;
  /** The session ended by itself (expired, revoked): sign-in says why, and that the text was kept. */
  expired: boolean;
}

const Ctx = createContext<Auth | null>(null);

/** The session: POST /auth/login's access and refresh tokens (refreshed by the client on a 401), the user it names. */
export function AuthProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<SignedInUser | null>(() => tokenStore.read()?.user ?? null);
  const [expired, setExpired] = useState(false);
  const queryClient = useQueryClient();

  useEffect(() => {
    // The drafts stay (forms/drafts.ts): the same person signing in again gets their text back.
    const ended = () => {
      queryClient.clear();
      setExpired(true);
      setUser(null);
    };
    sessionEnded.addEventListener('ended', ended);
    return () => sessionEnded.removeEventListener('ended', ended);
  }, [queryClient]);

  const signIn = useCallback(async (username: string, password: string) => {
    const answer = await call(api.POST('/auth/login', { body: { username, password } }));
    tokenStore.write({ accessToken: answer.accessToken, refreshToken: answer.refreshToken, user: answer.user });
    // Someone else's drafts on this tab are not theirs to see.
    drafts.clearAll(answer.user.id);
    queryClient.clear();
    setExpired(false);
    setUser(answer.user);
  }, [queryClient]);

  const signOut = useCallback(async () => {
    // The refresh token names the session even when the access token has expired meanwhile
    // (the API ends both; an expired access token is no reason to leave the session alive).
    const refreshToken = tokenStore.read()?.refreshToken;
    await api.POST('/auth/logout', { body: refreshToken ? { refreshToken } : {} }).catch(() => undefined);
    tokenStore.clear();
    drafts.clearAll();
    queryClient.clear();
    setExpired(false);
    setUser(null);
  }, [queryClient]);

  const value = useMemo<Auth>(
    () => ({ user, signIn, signOut, expired, has: (...roles) => !!user && user.roles.some((r) => roles.includes(r)) }),
    [user, signIn, signOut, expired],
  );
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useAuth(): Auth {
  const value = useContext(Ctx);
  if (!value) throw new Error('useAuth outside AuthProvider');
  return value;
}
