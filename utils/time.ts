/** A clock is injected wherever time matters, so tests control it without fake timers. */
export type Clock = () => number;

export const systemClock: Clock = () => Date.now();

const pad = (n: number, width = 2) => String(Math.trunc(Math.abs(n))).padStart(width, '0');

/**
 * ISO 8601 with the device's UTC offset (e.g. `2026-11-24T18:05:09.120+08:00`), as DESIGN.md
 * asks for `created`: a receiver sees both the instant and the reporter's local time.
 */
export function isoWithOffset(epochMs: number, offsetMinutes = -new Date(epochMs).getTimezoneOffset()): string {
  const local = new Date(epochMs + offsetMinutes * 60_000);
  const sign = offsetMinutes >= 0 ? '+' : '-';
  return (
    `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}` +
    `T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}` +
    `.${pad(local.getUTCMilliseconds(), 3)}${sign}${pad(offsetMinutes / 60)}:${pad(offsetMinutes % 60)}`
  );
}
