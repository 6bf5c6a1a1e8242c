import type { FlaglineDB, MutationSource } from './db';
import { countsWithAcknowledged, readLeases } from './leases';

export interface BadgeCounts {
  /** Waiting or being sent. */
  pending: number;
  /** Not accepted, or undelivered after the age limit: they need the user. */
  needsAttention: number;
}

export interface BadgeApi {
  setBadgeText(details: { text: string }): Promise<void> | void;
  setBadgeBackgroundColor(details: { color: string }): Promise<void> | void;
}

export const BADGE_COLORS = { pending: '#1a73e8', attention: '#c5221f' } as const;

export async function countForBadge(db: FlaglineDB): Promise<BadgeCounts> {
  // Reports in flight are stored as `waiting` (utils/leases.ts), so they count as pending; those
  // acknowledged but not yet applied to their records do not.
  const [view, waiting, failed, undelivered] = await Promise.all([
    readLeases(db),
    ...(['waiting', 'failed', 'undelivered'] as const).map((status) => db.reports.where('status').equals(status).count()),
  ] as const);
  const { waiting: pending } = countsWithAcknowledged({ waiting: waiting ?? 0 }, view);
  return { pending, needsAttention: (failed ?? 0) + (undelivered ?? 0) };
}

/**
 * The toolbar badge: the number of reports that need the user (failed or undelivered) in a
 * warning colour; otherwise the number still waiting; nothing when all are delivered.
 */
export function badgeFor(counts: BadgeCounts): { text: string; color: string } {
  const format = (n: number) => (n > 999 ? '999+' : String(n));
  if (counts.needsAttention > 0) return { text: format(counts.needsAttention), color: BADGE_COLORS.attention };
  if (counts.pending > 0) return { text: format(counts.pending), color: BADGE_COLORS.pending };
  return { text: '', color: BADGE_COLORS.pending };
}

export async function applyBadge(action: BadgeApi, counts: BadgeCounts): Promise<void> {
  const { text, color } = badgeFor(counts);
  await action.setBadgeBackgroundColor({ color });
  await action.setBadgeText({ text });
}

export interface BadgeFollowerDeps {
  db: FlaglineDB;
  action: BadgeApi;
  onMutation: MutationSource;
  clock: () => number;
  setTimer: (callback: () => void, ms: number) => void;
  /** The badge is recounted at most this often. */
  minIntervalMs?: number;
}

export const BADGE_MIN_INTERVAL_MS = 1000;

/**
 * Keeps the toolbar badge in step with the outbox, whichever context changed it. A flush commits
 * a claim or an answer every few milliseconds, and every recount reads IndexedDB (counting 1,000
 * waiting reports walks 1,000 index entries, in the same processes that send them), so the badge
 * is recounted at most once per `minIntervalMs`: a lone change shows at once, a burst at its
 * start and again at most `minIntervalMs` later. A change made during a recount is never missed:
 * another recount follows. Counts once at the start; returns a stop function.
 */
export function followBadge({ db, action, onMutation, clock, setTimer, minIntervalMs = BADGE_MIN_INTERVAL_MS }: BadgeFollowerDeps): () => void {
  const tables = [`idb://${db.name}/reports/`, `idb://${db.name}/leases/`];
  let running = false;
  let waiting = false;
  let dirty = false;
  let stopped = false;
  let lastStart = -Infinity;
  const recount = async () => {
    waiting = false;
    if (stopped) return;
    running = true;
    dirty = false;
    lastStart = clock();
    try {
      await applyBadge(action, await countForBadge(db));
    } catch (error) {
      console.warn('Flagline badge:', error);
    } finally {
      running = false;
      if (dirty) schedule();
    }
  };
  function schedule() {
    if (stopped) return;
    if (running) {
      dirty = true;
      return;
    }
    if (waiting) return;
    const wait = lastStart + minIntervalMs - clock();
    if (wait <= 0) {
      void recount();
      return;
    }
    waiting = true;
    setTimer(() => void recount(), wait);
  }
  const unsubscribe = onMutation((parts) => {
    if (Object.keys(parts).some((part) => part === 'all' || tables.some((table) => part.startsWith(table)))) schedule();
  });
  schedule();
  return () => {
    stopped = true;
    unsubscribe();
  };
}
