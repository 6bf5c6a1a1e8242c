/** Signing in and out, and the first admin's setup (`/api/session`, `/api/setup`). */
import type { SessionInfo } from './contract';
import { SetupRequest, SetupState, SignInRequest } from './contract';
import { ANSWERED, ApiFailure, publicRoute, readJson, reviewerRoute, sendApiJson, type ApiContext, type ApiRequest } from './http';
import { DUMMY_HASH, verifyPassword } from '../auth/password';
import { clearedSessionCookie, createSession, endSession, sessionCookie, type Session } from '../auth/sessions';
import { consumeSetupToken, setupNeeded } from '../auth/setup';
import { clearFailures, recordFailure, retryAfterSeconds, throttleKeys } from '../auth/throttle';
import { appendAudit } from '../store/audit';
import { createUser, findUserByEmail, UserExistsError } from '../store/users';

const info = (session: Session): SessionInfo => ({
  user: { id: session.user.id, email: session.user.email, role: session.user.role as SessionInfo['user']['role'] },
  csrfToken: session.csrfToken,
});

/** Starts a new session (a new id every time) and answers SessionInfo with its cookie; ends the caller's old one. */
async function startSession(
  context: ApiContext,
  request: ApiRequest & { session?: Session },
  user: { id: string; email: string; role: string },
): Promise<typeof ANSWERED> {
  if (request.session) await endSession(context.db, request.session.idHash);
  const now = context.now();
  const created = await createSession(context.db, user.id, now);
  await context.db.updateTable('users').set({ last_sign_in_at: now.toISOString() }).where('id', '=', user.id).execute();
  const body: SessionInfo = { user: { id: user.id, email: user.email, role: user.role as SessionInfo['user']['role'] }, csrfToken: created.csrfToken };
  sendApiJson(request.response, 200, body, { 'Set-Cookie': sessionCookie(created.id, context.secureCookies) });
  return ANSWERED;
}

export const sessionRoutes = [
  publicRoute('GET', /^\/api\/session$/, async (_context, request) => {
    if (!request.session) throw new ApiFailure(401, 'unauthenticated', 'not signed in');
    return info(request.session);
  }),

  publicRoute('POST', /^\/api\/session$/, async (context, request) => {
    const { email, password } = await readJson(request, SignInRequest);
    const keys = throttleKeys(email, request.address);
    const now = context.now();
    const wait = await retryAfterSeconds(context.db, keys, now);
    if (wait > 0) throw new ApiFailure(429, 'rate_limited', 'too many failed sign-ins; wait and try again', { 'Retry-After': String(wait) });
    const user = await findUserByEmail(context.db, email);
    // An unknown email costs one scrypt too, so timing does not tell which emails exist.
    const ok = await verifyPassword(password, user?.password_hash ?? DUMMY_HASH);
    if (!user || !ok || user.disabled === 1) {
      await recordFailure(context.db, keys, now);
      await appendAudit(context.db, { actor: null, action: 'sign_in_failed', subject: user?.id ?? null, detail: { email, address: request.address }, at: now });
      throw new ApiFailure(401, 'unauthenticated', 'wrong email or password');
    }
    await clearFailures(context.db, keys);
    await appendAudit(context.db, {
      actor: { id: user.id, email: user.email },
      action: 'sign_in',
      subject: user.id,
      detail: { address: request.address },
      at: now,
    });
    return startSession(context, request, user);
  }),

  reviewerRoute('DELETE', /^\/api\/session$/, async (context, request) => {
    await endSession(context.db, request.session.idHash);
    await appendAudit(context.db, {
      actor: { id: request.session.user.id, email: request.session.user.email },
      action: 'sign_out',
      subject: request.session.user.id,
      at: context.now(),
    });
    sendApiJson(request.response, 200, { ok: true }, { 'Set-Cookie': clearedSessionCookie(context.secureCookies) });
    return ANSWERED;
  }),

  publicRoute('GET', /^\/api\/setup$/, async (context) => SetupState.parse({ needed: await setupNeeded(context.db) })),

  publicRoute('POST', /^\/api\/setup$/, async (context, request) => {
    const input = await readJson(request, SetupRequest);
    if (!(await setupNeeded(context.db))) throw new ApiFailure(409, 'setup_done', 'this Desk has an admin already; sign in');
    const user = await context.db.transaction().execute(async (trx) => {
      if (!(await consumeSetupToken(trx, input.token)))
        throw new ApiFailure(403, 'forbidden', 'this setup link is wrong or was used already; restart the Desk for a new one');
      try {
        return await createUser(trx, { email: input.email, role: 'admin', password: input.password }, context.now());
      } catch (error) {
        if (error instanceof UserExistsError) throw new ApiFailure(409, 'conflict', error.message);
        throw error;
      }
    });
    await appendAudit(context.db, { actor: { id: user.id, email: user.email }, action: 'setup', subject: user.id, at: context.now() });
    return startSession(context, request, user);
  }),
];
