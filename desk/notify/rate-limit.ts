/**
 * Per-notifier send limits, so the Desk never sends faster than a platform allows
 * (desk/notify/platforms.ts `limits`), and waits out the platform's penalty when it says we did.
 *
 * A sliding window of send times rather than a token bucket: a bucket of 20 refilled at 20 a
 * minute lets a full burst of 20 be followed by one more every 3 s — 21 in a minute, which is
 * exactly what DingTalk punishes with a 10-minute block (the loopback fake robot in
 * tests/desk/notify.test.ts refuses it the same way). A window of the last `capacity` send times
 * guarantees at most `capacity` in any `perMs`.
 *
 * In memory: a restart forgets recent sends, which is at most one burst more than allowed; the
 * platform's own answer (130101 / 45009 / 11232) then pauses the robot again.
 */
import type { SendLimit } from './platforms';

export class NotifierRateLimiter {
  private readonly sent = new Map<string, number[]>();
  private readonly pausedUntil = new Map<string, number>();

  /** Counts one send for the notifier if every limit has room for it; false means wait. */
  tryTake(notifierId: string, limits: readonly SendLimit[], nowMs: number): boolean {
    if ((this.pausedUntil.get(notifierId) ?? 0) > nowMs) return false;
    const longest = Math.max(...limits.map((limit) => limit.perMs));
    const recent = (this.sent.get(notifierId) ?? []).filter((at) => nowMs - at < longest);
    const full = limits.some((limit) => recent.filter((at) => nowMs - at < limit.perMs).length >= limit.capacity);
    if (!full) recent.push(nowMs);
    this.sent.set(notifierId, recent);
    return !full;
  }

  /** The platform said "too fast": send nothing to this notifier until `untilMs`. */
  pause(notifierId: string, untilMs: number): void {
    this.pausedUntil.set(notifierId, untilMs);
  }

  forget(notifierId: string): void {
    this.sent.delete(notifierId);
    this.pausedUntil.delete(notifierId);
  }
}

/** The Desk process's one limiter: the scheduler and test sends share it, as they share the robots. */
export const deskRateLimiter = new NotifierRateLimiter();
