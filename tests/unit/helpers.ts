import { FlaglineDB } from '@/utils/db';

/** A database of its own for each test (fake-indexeddb), so tests never see each other's rows. */
export function freshDb(): FlaglineDB {
  return new FlaglineDB(`test-${crypto.randomUUID()}`);
}

/** A controllable clock: tests move time forward explicitly instead of faking timers. */
export function testClock(start = Date.UTC(2026, 10, 24, 10, 0, 0)) {
  let now = start;
  const clock = () => now;
  clock.advance = (ms: number) => {
    now += ms;
  };
  clock.set = (value: number) => {
    now = value;
  };
  return clock;
}
