/** Which channels a signed-in user may see: admins all; a reviewer with assignments only those. */
import type { Session } from '../auth/sessions';
import { notFound, type SignedIn } from './http';
import { visibleReport } from '../store/review';
import type { ApiContext } from './http';

export const scopeOf = (session: Session): string[] => (session.user.role === 'admin' ? [] : session.channelIds);

export const actorOf = (request: SignedIn) => ({ id: request.session.user.id, email: request.session.user.email });

/** The report named in the path, or 404 — the same answer whether it does not exist or lies outside the caller's channels. */
export async function reportInScope(context: ApiContext, request: SignedIn) {
  const report = await visibleReport(context.db, request.params[0] ?? '', scopeOf(request.session));
  if (!report) throw notFound();
  return report;
}
