import type { FlaglineDB } from './db';
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
