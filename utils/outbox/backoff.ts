import { OUTBOX_LIMITS, type OutboxLimits } from './limits';

/** Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"). */
export function backoffDelay(attempts: number, random: () => number, limits: OutboxLimits = OUTBOX_LIMITS): number {
  const ceiling = Math.min(limits.backoffCapMs, limits.backoffBaseMs * 2 ** Math.max(0, attempts - 1));
  return Math.max(limits.backoffFloorMs, Math.floor(random() * ceiling));
}

/** `Retry-After` as seconds or an HTTP date (RFC 9110 §10.2.3), in ms from now. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Network errors aside, what is tried again: 408, 429 and 5xx. */
export const isRetryableStatus = (status: number) => status === 408 || status === 429 || status >= 500;
