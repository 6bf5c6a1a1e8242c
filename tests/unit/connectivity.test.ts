import { describe, expect, it, vi } from 'vitest';
import { OFFLINE_KEY, noteConnectivity } from '@/utils/connectivity';
import { OUTBOX_ALARM, OUTBOX_LIMITS, createOutboxRunner, type OutboxDeps } from '@/utils/outbox';
import { DEFAULT_SETTINGS } from '@/utils/settings';
import { freshDb, seedSavedReports, testClock } from './helpers';

/**
 * Chromium gives service workers no `online` event, so the outbox runner asks `navigator.onLine`
 * (injected as `isOnline`) at every flush: offline it polls with the alarm; back online it retries
 * at once what failed for lack of network.
 */

const HOUR = 60 * 60_000;

async function setup(reports: number) {
  const db = freshDb();
  const clock = testClock();
  await seedSavedReports(db, clock, reports);
  let online = true;
  let reachable = true;
  const sent: string[] = [];
  const fetch = vi.fn(async (_input: RequestInfo | URL, init?: RequestInit) => {
    if (!online || !reachable) throw new TypeError('Failed to fetch');
    if (init?.method === 'POST') sent.push(...(JSON.parse(String(init.body)) as { reports: { id: string }[] }).reports.map((r) => r.id));
    return new Response(null, { status: 204 });
  }) as unknown as typeof globalThis.fetch;
  const alarms = { create: vi.fn(), clear: vi.fn() };
  const deps: OutboxDeps = {
    db,
    fetch,
    clock,
    random: () => 0.5,
    workerId: 'worker-a',
    getSettings: async () => ({ ...DEFAULT_SETTINGS, endpointUrl: 'https://reports.example.org/v1/reports' }),
  };
  const outbox = createOutboxRunner({ ...deps, alarms, isOnline: () => online });
  // Each step of these tests looks at the state after a whole run: acknowledgements applied, alarm set.
  const runner = {
    flush: async () => {
      const summary = await outbox.flush();
      await outbox.idle();
      return summary;
    },
  };
  return {
    db,
    clock,
    alarms,
    runner,
    sent,
    setOnline: (value: boolean) => (online = value),
    setReachable: (value: boolean) => (reachable = value),
  };
}

const lastAlarm = (alarms: { create: ReturnType<typeof vi.fn> }) => alarms.create.mock.calls.at(-1) as [string, { when: number }];

describe('delivery when the device comes back online', () => {
  it('while offline, looks again every offlinePollMs whatever the backoff, and remembers it was offline', async () => {
    const { db, clock, alarms, runner, setOnline } = await setup(1);
    setOnline(false);
    // Long past the first attempts: the backoff is far beyond the poll interval.
    await db.reports.toCollection().modify({ attempts: 12 });
    await runner.flush();
    const [record] = await db.reports.toArray();
    expect(record).toMatchObject({ status: 'waiting', lastError: { kind: 'network' } });
    expect(record!.nextAttemptAt - clock()).toBeGreaterThan(OUTBOX_LIMITS.offlinePollMs);
    expect(lastAlarm(alarms)).toEqual([OUTBOX_ALARM, { when: clock() + OUTBOX_LIMITS.offlinePollMs }]);
    expect(await db.keyValue.get(OFFLINE_KEY)).toBeDefined();
  });

  it('the first flush back online sends what failed for lack of network at once, not after its backoff', async () => {
    const { db, clock, runner, sent, setOnline } = await setup(2);
    setOnline(false);
    await runner.flush();
    await db.reports.toCollection().modify({ nextAttemptAt: clock() + HOUR });
    clock.advance(OUTBOX_LIMITS.offlinePollMs);
    await runner.flush(); // the poll: still offline, nothing is due
    expect(sent).toEqual([]);

    setOnline(true);
    clock.advance(OUTBOX_LIMITS.offlinePollMs);
    const summary = await runner.flush(); // the poll finds the device online
    expect(summary.sent).toBe(2);
    expect((await db.reports.toArray()).map((r) => r.status)).toEqual(['sent', 'sent']);
    expect(await db.keyValue.get(OFFLINE_KEY)).toBeUndefined();
  });

  it('online all along, a backoff is kept: an unreachable endpoint is not hammered', async () => {
    const { db, clock, alarms, runner, sent, setReachable } = await setup(1);
    setReachable(false);
    await runner.flush();
    await db.reports.toCollection().modify({ nextAttemptAt: clock() + HOUR });
    setReachable(true);
    clock.advance(1000);
    await runner.flush();
    expect(sent).toEqual([]);
    expect(lastAlarm(alarms)).toEqual([OUTBOX_ALARM, { when: clock() - 1000 + HOUR }]);
  });

  it('back online, only reports that failed for lack of network are made due', async () => {
    const { db, clock } = await setup(2);
    const [a, b] = await db.reports.orderBy('createdAt').toArray();
    const later = clock() + HOUR;
    await db.reports.update(a!.id, { nextAttemptAt: later, lastError: { kind: 'network', at: clock() } });
    await db.reports.update(b!.id, { nextAttemptAt: later, lastError: { kind: 'http', status: 503, at: clock() } });
    expect(await noteConnectivity(db, true, clock)).toBe(0); // never offline: nothing to do
    await noteConnectivity(db, false, clock);
    expect(await noteConnectivity(db, true, clock)).toBe(1);
    expect((await db.reports.get(a!.id))?.nextAttemptAt).toBe(clock());
    expect((await db.reports.get(b!.id))?.nextAttemptAt).toBe(later);
  });
});
