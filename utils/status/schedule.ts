import type { StatusEntry } from '../schema/record';

/**
 * When to ask a channel what became of a report (issue 18): 10 minutes after delivery, then after
 * 1 hour, 6 hours, 24 hours, and daily after that; never again once the report is closed or 30
 * days old. Reviewers take hours to days, so asking more often only costs the channel.
 */
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
export const STATUS_STEPS_MS: readonly number[] = [10 * MINUTE, HOUR, 6 * HOUR, DAY];
export const STATUS_MAX_AGE_MS = 30 * DAY;
/** Opening the popup or the workspace asks again, but not more than once a minute per channel. */
export const STATUS_REFRESH_MIN_MS = MINUTE;

const stepDelay = (step: number) => STATUS_STEPS_MS[Math.min(step, STATUS_STEPS_MS.length - 1)]!;

/** The schedule of a report just acknowledged with a status token. */
export const firstStatusCheck = (at: number) => ({ step: 0, nextAt: at + stepDelay(0) });

/** The schedule after an answer (or a failed request) at `now`; undefined: stop asking. */
export function nextStatusCheck(entry: Pick<StatusEntry, 'createdAt' | 'review' | 'check'>, now: number): StatusEntry['check'] {
  if (entry.review?.state === 'closed') return undefined;
  const step = (entry.check?.step ?? 0) + 1;
  const nextAt = now + stepDelay(step);
  return nextAt - entry.createdAt > STATUS_MAX_AGE_MS ? undefined : { step, nextAt };
}

/** Whether the channel is still worth asking about this report at all. */
export function statusTracked(entry: StatusEntry, now: number): entry is StatusEntry & { check: NonNullable<StatusEntry['check']> } {
  return entry.check !== undefined && entry.review?.state !== 'closed' && now - entry.createdAt <= STATUS_MAX_AGE_MS;
}

/** Where a report's status is asked: the address its endpoint gave, else `<endpoint>/status`. */
export function statusUrlOf(delivery: { statusUrl?: string | undefined; endpoint?: string | undefined }): string | undefined {
  if (delivery.statusUrl) return delivery.statusUrl;
  if (!delivery.endpoint) return undefined;
  const url = new URL(delivery.endpoint);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/status`;
  url.search = '';
  return url.href;
}
