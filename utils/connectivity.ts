import type { FlaglineDB } from './db';
import type { Clock } from './time';

/**
 * Back online → deliver what waited, in a Chromium service worker.
 *
 * Chromium dispatches no `online`/`offline` events to worker global scopes, service workers
 * included (crbug.com/114475; MDN browser-compat-data lists `WorkerGlobalScope` `online_event`
 * as unsupported in Chrome; tests/e2e/delivery-triggers.spec.ts checks it). `navigator.onLine`
 * does follow the network there. So the outbox runner asks `navigator.onLine` at every flush:
 * while the device is offline it marks that in the database and polls with the alarm every
 * `offlinePollMs`; the first flush that finds the device online again makes every report that
 * waits because the network was unreachable due at once, however long its backoff had grown.
 * Where the event exists (Firefox's background page) the `online` listener starts that flush
 * immediately.
 */

/** keyValue row: a flush found the device offline, and no flush has run online since. */
export const OFFLINE_KEY = 'delivery.offline';

export async function markOffline(db: FlaglineDB, clock: Clock): Promise<void> {
  if (!(await db.keyValue.get(OFFLINE_KEY))) await db.keyValue.put({ key: OFFLINE_KEY, value: { since: clock() } });
}

/**
 * Called at the start of every flush. Offline: remember it. Online after being offline: the
 * reports that failed for lack of network are due now. Returns how many were made due.
 */
export async function noteConnectivity(db: FlaglineDB, online: boolean, clock: Clock): Promise<number> {
  if (!online) {
    await markOffline(db, clock);
    return 0;
  }
  // The common case (online, never offline) reads one row and touches no report.
  if (!(await db.keyValue.get(OFFLINE_KEY))) return 0;
  return db.transaction('rw', db.keyValue, db.reports, async () => {
    if (!(await db.keyValue.get(OFFLINE_KEY))) return 0;
    const now = clock();
    const made = await db.reports
      .where('status')
      .equals('waiting')
      .filter((r) => r.lastError?.kind === 'network' && r.nextAttemptAt > now)
      .modify({ nextAttemptAt: now });
    await db.keyValue.delete(OFFLINE_KEY);
    return made;
  });
}
