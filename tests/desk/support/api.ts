/** A reviewer's browser, as far as the API sees it: a cookie jar of one session cookie and the CSRF token. */
import { SessionInfo } from '../../../desk/api/contract';
import { createUser } from '../../../desk/store/users';
import type { TestDesk } from './desk';

/** A Desk the API helpers can reach: an in-process test Desk, or a child process (`serveDesk`). */
export interface ReachableDesk {
  desk: { url: string };
}

export const PASSWORD = 'correct horse battery';

export interface ApiClient {
  cookie: string;
  csrf: string;
  session: SessionInfo;
  /** A request with the session cookie and (for anything but GET) the CSRF token. */
  call(path: string, init?: { method?: string; body?: unknown; headers?: Record<string, string> }): Promise<Response>;
  json<T = unknown>(path: string, init?: { method?: string; body?: unknown }): Promise<T>;
}

export function sessionCookieOf(response: Response): string {
  const header = response.headers.get('set-cookie') ?? '';
  const match = /flagline_desk_session=([^;]*)/.exec(header);
  if (!match) throw new Error(`no session cookie in ${header}`);
  return `flagline_desk_session=${match[1]}`;
}

export function signInRequest(t: ReachableDesk, email: string, password: string, headers: Record<string, string> = {}) {
  return fetch(`${t.desk.url}/api/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify({ email, password }),
  });
}

export function clientFor(t: ReachableDesk, cookie: string, session: SessionInfo): ApiClient {
  const call: ApiClient['call'] = (path, init = {}) => {
    const method = init.method ?? 'GET';
    return fetch(`${t.desk.url}${path}`, {
      method,
      headers: {
        Cookie: cookie,
        ...(method === 'GET' ? {} : { 'X-CSRF-Token': session.csrfToken }),
        ...(init.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        ...init.headers,
      },
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    });
  };
  return {
    cookie,
    csrf: session.csrfToken,
    session,
    call,
    async json(path, init) {
      const response = await call(path, init);
      const text = await response.text();
      if (response.status !== 200) throw new Error(`${init?.method ?? 'GET'} ${path}: ${response.status} ${text}`);
      return JSON.parse(text);
    },
  };
}

export async function signIn(t: ReachableDesk, email: string, password = PASSWORD): Promise<ApiClient> {
  const response = await signInRequest(t, email, password);
  if (response.status !== 200) throw new Error(`sign-in failed: ${response.status} ${await response.text()}`);
  return clientFor(t, sessionCookieOf(response), SessionInfo.parse(await response.json()));
}

/** Creates a user with PASSWORD and signs them in. */
export async function userSession(t: TestDesk, email: string, role: 'admin' | 'reviewer'): Promise<ApiClient> {
  await createUser(t.db, { email, role, password: PASSWORD });
  return signIn(t, email);
}
