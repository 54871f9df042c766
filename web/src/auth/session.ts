/**
 * The login session in the browser: the access token (15 min) and the single-use refresh token, kept in
 * localStorage so a reload or a second tab stays logged in. A refresh is single-flight: concurrent 401s share
 * one POST /auth/refresh (the server revokes the whole login if a refresh token is used twice).
 */
const KEY = 'duban.session';

interface Tokens {
  accessToken: string;
  refreshToken: string;
}

type Listener = (reason: 'login' | 'logout' | 'expired') => void;

let inflight: Promise<boolean> | null = null;
const listeners = new Set<Listener>();

function read(): Tokens | null {
  try {
    const raw = localStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as Tokens) : null;
  } catch {
    return null;
  }
}

function emit(reason: 'login' | 'logout' | 'expired'): void {
  for (const l of listeners) l(reason);
}

export const session = {
  accessToken(): string | null {
    return read()?.accessToken ?? null;
  },
  isLoggedIn(): boolean {
    return read() !== null;
  },
  store(tokens: Tokens): void {
    localStorage.setItem(
      KEY,
      JSON.stringify({ accessToken: tokens.accessToken, refreshToken: tokens.refreshToken }),
    );
    emit('login');
  },
  clear(): void {
    localStorage.removeItem(KEY);
  },
  /** Ends the session because it can no longer be refreshed: the app sends the user to log in again. */
  expire(): void {
    if (!read()) return;
    localStorage.removeItem(KEY);
    emit('expired');
  },
  logout(): void {
    localStorage.removeItem(KEY);
    emit('logout');
  },
  refresh(): Promise<boolean> {
    inflight ??= (async () => {
      const tokens = read();
      if (!tokens) return false;
      try {
        const res = await fetch('/api/v1/auth/refresh', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ refreshToken: tokens.refreshToken }),
        });
        if (!res.ok) return false;
        const next = (await res.json()) as Tokens;
        localStorage.setItem(
          KEY,
          JSON.stringify({ accessToken: next.accessToken, refreshToken: next.refreshToken }),
        );
        return true;
      } catch {
        return false;
      }
    })().finally(() => {
      inflight = null;
    });
    return inflight;
  },
  subscribe(listener: Listener): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};
