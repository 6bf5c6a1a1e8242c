import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditPage, SessionInfo } from '../../desk/api/contract';
import { prepareSetup } from '../../desk/auth/setup';
import { createUser } from '../../desk/store/users';
import { ENGINES } from './support/engines';
import { startTestDesk, type TestDesk } from './support/desk';
import { clientFor, PASSWORD, sessionCookieOf, signIn, signInRequest, userSession } from './support/api';

describe.each(ENGINES)('reviewers sign in on %s', (engine) => {
  let t: TestDesk;
  let clock: number;
  beforeEach(async () => {
    clock = Date.parse('2026-12-06T08:00:00.000Z');
    t = await startTestDesk(engine, { now: () => new Date(clock) });
  });
  afterEach(async () => {
    await t.stop();
  });

  it('creates the first admin through the one-time setup link, once', async () => {
    expect(await (await fetch(`${t.desk.url}/api/setup`)).json()).toEqual({ needed: true });
    const token = await prepareSetup(t.db);
    expect(token).toBeDefined();
    const post = (body: unknown) =>
      fetch(`${t.desk.url}/api/setup`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    const wrong = await post({ token: 'x'.repeat(32), email: 'head@school.example', password: PASSWORD });
    expect(wrong.status).toBe(403);
    const ok = await post({ token, email: 'Head@School.example', password: PASSWORD });
    expect(ok.status).toBe(200);
    const session = SessionInfo.parse(await ok.json());
    expect(session.user).toMatchObject({ email: 'head@school.example', role: 'admin' });
    const admin = clientFor(t, sessionCookieOf(ok), session);
    expect((await admin.call('/api/users')).status).toBe(200);
    expect((await post({ token, email: 'other@school.example', password: PASSWORD })).status).toBe(409);
    expect(await (await fetch(`${t.desk.url}/api/setup`)).json()).toEqual({ needed: false });
    expect(await prepareSetup(t.db)).toBeUndefined();
  });

  it('signs in with an HttpOnly SameSite=Strict cookie, answers the session, and signs out only with the CSRF token', async () => {
    await createUser(t.db, { email: 'rev@school.example', role: 'reviewer', password: PASSWORD });
    expect((await signInRequest(t, 'rev@school.example', 'wrong password!')).status).toBe(401);
    const response = await signInRequest(t, 'REV@school.example', PASSWORD);
    expect(response.status).toBe(200);
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^flagline_desk_session=[\w-]{40,};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).toContain('Path=/');
    expect(cookie).not.toContain('Secure');
    const session = SessionInfo.parse(await response.json());
    const client = clientFor(t, sessionCookieOf(response), session);
    expect(await client.json('/api/session')).toEqual(session);

    expect((await fetch(`${t.desk.url}/api/session`)).status).toBe(401);
    const noToken = await fetch(`${t.desk.url}/api/session`, { method: 'DELETE', headers: { Cookie: client.cookie } });
    expect(noToken.status).toBe(403);
    expect(await noToken.json()).toMatchObject({ code: 'csrf' });
    const wrongToken = await fetch(`${t.desk.url}/api/session`, { method: 'DELETE', headers: { Cookie: client.cookie, 'X-CSRF-Token': 'x'.repeat(43) } });
    expect(wrongToken.status).toBe(403);
    expect((await client.call('/api/session')).status).toBe(200);
    const out = await client.call('/api/session', { method: 'DELETE' });
    expect(out.status).toBe(200);
    expect(out.headers.get('set-cookie')).toContain('Max-Age=0');
    expect((await client.call('/api/session')).status).toBe(401);
  });

  it('marks the cookie Secure when the public URL is https', async () => {
    const secure = await startTestDesk(engine, { publicUrl: 'https://desk.school.example' });
    try {
      await createUser(secure.db, { email: 'rev@school.example', role: 'reviewer', password: PASSWORD });
      const response = await signInRequest(secure, 'rev@school.example', PASSWORD);
      expect(response.headers.get('set-cookie')).toContain('; Secure');
    } finally {
      await secure.stop();
    }
  });

  it('gives a new session id at every sign-in, and ends the one the browser came with (fixation)', async () => {
    const first = await userSession(t, 'rev@school.example', 'reviewer');
    // Sign in again from a browser that carries the first cookie (as a planted one would be).
    const again = await signInRequest(t, 'rev@school.example', PASSWORD, { Cookie: first.cookie });
    expect(again.status).toBe(200);
    const second = sessionCookieOf(again);
    expect(second).not.toBe(first.cookie);
    expect((await first.call('/api/session')).status).toBe(401);
    expect((await fetch(`${t.desk.url}/api/session`, { headers: { Cookie: second } })).status).toBe(200);
    // A made-up cookie is never turned into a session.
    const planted = await signInRequest(t, 'rev@school.example', PASSWORD, { Cookie: 'flagline_desk_session=planted-by-attacker' });
    expect(sessionCookieOf(planted)).not.toContain('planted-by-attacker');
    // Only hashes are stored.
    const stored = await t.db.selectFrom('sessions').select('id_hash').execute();
    expect(stored.map((row) => row.id_hash)).not.toContain(second.split('=')[1]);
  });

  it('slows down wrong passwords: after 5 failures 429 with Retry-After, growing, even for the right password', async () => {
    await createUser(t.db, { email: 'rev@school.example', role: 'reviewer', password: PASSWORD });
    const statuses: number[] = [];
    let retryAfter = '';
    for (let i = 0; i < 10; i++) {
      const response = await signInRequest(t, 'rev@school.example', `wrong password ${i}`);
      statuses.push(response.status);
      if (response.status === 429) retryAfter = response.headers.get('retry-after') ?? '';
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual([429, 429, 429, 429, 429]);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    expect((await signInRequest(t, 'rev@school.example', PASSWORD)).status).toBe(429);
    // Once the wait is over a sixth failure doubles it.
    clock += 2_000;
    expect((await signInRequest(t, 'rev@school.example', 'wrong again!')).status).toBe(401);
    const slowed = await signInRequest(t, 'rev@school.example', PASSWORD);
    expect(slowed.status).toBe(429);
    expect(Number(slowed.headers.get('retry-after'))).toBe(2);
    clock += 3_000;
    expect((await signInRequest(t, 'rev@school.example', PASSWORD)).status).toBe(200);
    // Success clears the count.
    expect((await signInRequest(t, 'rev@school.example', 'wrong once more')).status).toBe(401);
    expect((await signInRequest(t, 'rev@school.example', PASSWORD)).status).toBe(200);
    // Failures a day old are forgotten.
    for (let i = 0; i < 5; i++) await signInRequest(t, 'rev@school.example', `wrong ${i}!`);
    expect((await signInRequest(t, 'rev@school.example', PASSWORD)).status).toBe(429);
    clock += 25 * 60 * 60 * 1000;
    expect((await signInRequest(t, 'rev@school.example', 'wrong after a day')).status).toBe(401);
    expect((await signInRequest(t, 'rev@school.example', PASSWORD)).status).toBe(200);
  });

  it('refuses a disabled user and ends their sessions', async () => {
    const admin = await userSession(t, 'admin@school.example', 'admin');
    const reviewer = await userSession(t, 'rev@school.example', 'reviewer');
    await admin.json(`/api/users/${reviewer.session.user.id}`, { method: 'PATCH', body: { disabled: true } });
    expect((await reviewer.call('/api/session')).status).toBe(401);
    expect((await signInRequest(t, 'rev@school.example', PASSWORD)).status).toBe(401);
  });

  it('audits sign-ins, failures and sign-outs', async () => {
    const admin = await userSession(t, 'admin@school.example', 'admin');
    await signInRequest(t, 'admin@school.example', 'not the password');
    await signInRequest(t, 'nobody@school.example', 'not the password');
    const page = AuditPage.parse(await admin.json('/api/audit'));
    expect(page.entries.map((entry) => entry.action)).toEqual(['sign_in_failed', 'sign_in_failed', 'sign_in']);
    expect(page.entries[0]?.detail).toMatchObject({ email: 'nobody@school.example' });
    expect(page.entries[2]?.actor).toEqual({ id: admin.session.user.id, email: 'admin@school.example' });
    const again = await signIn(t, 'admin@school.example');
    await again.call('/api/session', { method: 'DELETE' });
    const after = AuditPage.parse(await admin.json('/api/audit'));
    expect(after.entries[0]?.action).toBe('sign_out');
  });

  it('answers 401 to every reviewer route without a session, and never sends CORS headers on /api', async () => {
    for (const path of ['/api/reports', '/api/reports/x', '/api/channels', '/api/users', '/api/audit', '/api/export.csv', '/api/assignees']) {
      const response = await fetch(`${t.desk.url}${path}`, { headers: { Origin: 'chrome-extension://abcdefghijklmnopabcdefghijklmnop' } });
      expect(response.status, path).toBe(401);
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    }
    const preflight = await fetch(`${t.desk.url}/api/session`, {
      method: 'OPTIONS',
      headers: { Origin: 'chrome-extension://abcdefghijklmnopabcdefghijklmnop' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    expect((await fetch(`${t.desk.url}/api/nothing-here`)).status).toBe(404);
  });
});
