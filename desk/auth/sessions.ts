/**
 * Sessions: a random id in an `HttpOnly; SameSite=Strict` cookie; the database holds only its
 * SHA-256, with the session's CSRF token and its expiry. Every sign-in makes a new id (a
 * session id planted before sign-in is never promoted).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { DeskDb } from '../store/engine';
import type { User } from '../store/tables';
import { userChannelIds } from '../store/users';

export const SESSION_COOKIE = 'flagline_desk_session';
/** Idle time after which a session ends. */
export const SESSION_IDLE_MS = 8 * 60 * 60 * 1000;
/** A session ends this long after sign-in however busy it is. */
const SESSION_MAX_MS = 7 * 24 * 60 * 60 * 1000;
/** Last-seen is written at most this often, so reads do not all write. */
const TOUCH_MS = 60 * 1000;

const hashId = (id: string) => createHash('sha256').update(id, 'utf8').digest('hex');

export interface Session {
  idHash: string;
  user: User;
  csrfToken: string;
  /** Empty: every channel. */
  channelIds: string[];
}

export async function createSession(db: DeskDb, userId: string, now: Date): Promise<{ id: string; csrfToken: string }> {
  const id = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(32).toString('base64url');
  const at = now.toISOString();
  await db
    .insertInto('sessions')
    .values({
      id_hash: hashId(id),
      user_id: userId,
      csrf_token: csrfToken,
      created_at: at,
      last_seen_at: at,
      expires_at: new Date(now.getTime() + SESSION_IDLE_MS).toISOString(),
    })
    .execute();
  return { id, csrfToken };
}

export function sessionCookieValue(request: IncomingMessage): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === SESSION_COOKIE) return value.join('=');
  }
  return undefined;
}

/** The signed-in user behind a cookie value, or undefined (unknown, expired, or the user disabled). */
export async function readSession(db: DeskDb, cookieValue: string | undefined, now: Date): Promise<Session | undefined> {
  if (!cookieValue || cookieValue.length > 100) return undefined;
  const idHash = hashId(cookieValue);
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .selectAll('users')
    .select(['sessions.csrf_token', 'sessions.created_at as session_created_at', 'sessions.last_seen_at', 'sessions.expires_at'])
    .where('sessions.id_hash', '=', idHash)
    .executeTakeFirst();
  if (!row) return undefined;
  const at = now.getTime();
  if (row.disabled === 1 || Date.parse(row.expires_at) <= at || Date.parse(row.session_created_at) + SESSION_MAX_MS <= at) {
    await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
    return undefined;
  }
  if (at - Date.parse(row.last_seen_at) > TOUCH_MS) {
    await db
      .updateTable('sessions')
      .set({ last_seen_at: now.toISOString(), expires_at: new Date(at + SESSION_IDLE_MS).toISOString() })
      .where('id_hash', '=', idHash)
      .execute();
  }
  const { csrf_token, session_created_at: _created, last_seen_at: _seen, expires_at: _expires, ...user } = row;
  // Admins see every channel whatever they are assigned: no need to read their assignments.
  return { idHash, user, csrfToken: csrf_token, channelIds: user.role === 'admin' ? [] : await userChannelIds(db, user.id) };
}

export async function endSession(db: DeskDb, idHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
}

export function sessionCookie(id: string, secure: boolean): string {
  return `${SESSION_COOKIE}=${id}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${SESSION_MAX_MS / 1000}${secure ? '; Secure' : ''}`;
}

export function clearedSessionCookie(secure: boolean): string {
  return `${SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0${secure ? '; Secure' : ''}`;
}
