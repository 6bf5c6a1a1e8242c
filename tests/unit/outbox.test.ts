import { describe, expect, it, vi } from 'vitest';
import type { FlaglineDB } from '@/utils/db';
import {
  OUTBOX_ALARM,
  OUTBOX_LIMITS,
  applyAcknowledged,
  backoffDelay,
  createOutboxRunner,
  deliverOutbox,
  flushOutbox,
  parseRetryAfter,
  type OutboxDeps,
} from '@/utils/outbox';
import type { BatchLease, ReportRecord } from '@/utils/schema/record';
import { countForBadge } from '@/utils/badge';
import { reviseReport } from './revise-support';
import { freshDb, seedSavedReports, testClock } from './helpers';
import { leasedReportIds, readLeases, withDeliveryState } from '@/utils/leases';
import { DEFAULT_SETTINGS } from '@/utils/settings';

const ENDPOINT = 'https://reports.example.org/v1/reports';

type Call = { url: string; init: RequestInit; ids: string[] };

/** A fetch that records calls and answers from a script. */
function scriptedFetch(answer: (call: Call) => Response | Promise<Response>) {
  const calls: Call[] = [];
  const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const body = JSON.parse(String(init?.body)) as { reports: Array<{ id: string }> };
    const call = { url: String(input), init: init ?? {}, ids: body.reports.map((r) => r.id) };
    calls.push(call);
    return answer(call);
  });
  return { fetch: fetch as unknown as typeof globalThis.fetch, calls };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });

async function setup(count = 1, fetchImpl = scriptedFetch(() => new Response(null, { status: 204 })), token = '') {
  const db = freshDb();
  const clock = testClock();
  const ids = await seedSavedReports(db, clock, count, 1);
  const deps: OutboxDeps = {
    db,
    fetch: fetchImpl.fetch,
    clock,
    random: () => 0.5,
    workerId: 'worker-a',
    getSettings: async () => ({ ...DEFAULT_SETTINGS, endpointUrl: ENDPOINT, accessToken: token }),
  };
  return { db, clock, deps, ids, calls: fetchImpl.calls };
}

const statuses = async (db: FlaglineDB) => (await db.reports.orderBy('createdAt').toArray()).map((r) => r.status);

describe('flushOutbox', () => {
  it('posts the stored report bodies as JSON and marks them sent on a bare 2xx', async () => {
    const { db, deps, ids, calls } = await setup(2);
    const summary = await flushOutbox(deps);
    expect(summary).toEqual({ attempted: 2, sent: 2, failed: 0, retrying: 0 });
    expect(calls).toHaveLength(1);
    expect(calls[0]?.url).toBe(ENDPOINT);
    expect(calls[0]?.init.method).toBe('POST');
    expect(calls[0]?.init.headers).toEqual({ 'Content-Type': 'application/json' });
    const stored = await db.reports.get(ids[0]!);
    expect(JSON.parse(String(calls[0]?.init.body))).toEqual({ reports: [stored?.report, (await db.reports.get(ids[1]!))?.report] });
    expect(await statuses(db)).toEqual(['sent', 'sent']);
    expect(stored).toMatchObject({ attempts: 1, endpoint: ENDPOINT });
    expect(stored?.lease).toBeUndefined();
    expect(stored?.ledger).toMatchObject([{ outcome: 'accepted', endpoint: ENDPOINT }]);
  });

  it('sends the access token as a Bearer token', async () => {
    const { deps, calls } = await setup(1, undefined, 's3cret');
    await flushOutbox(deps);
    expect(calls[0]?.init.headers).toMatchObject({ Authorization: 'Bearer s3cret' });
  });

  it('does not follow redirects and does not send cookies', async () => {
    const { deps, calls } = await setup(1);
    await flushOutbox(deps);
    expect(calls[0]?.init).toMatchObject({ redirect: 'manual', credentials: 'omit' });
  });

  it('applies per-report results: accepted and duplicate are sent, rejected fails with the reason, missing is retried', async () => {
    const { db, deps, ids } = await setup(
      4,
      scriptedFetch(({ ids }) =>
        json(200, {
          results: [
            { id: ids[0], status: 'accepted', receipt: 'R-1' },
            { id: ids[1], status: 'duplicate', receipt: 'R-0' },
            { id: ids[2], status: 'rejected', reason: 'URL is not on our platform' },
          ],
        }),
      ),
    );
    const summary = await flushOutbox(deps);
    expect(summary).toEqual({ attempted: 4, sent: 2, failed: 1, retrying: 1 });
    expect(await statuses(db)).toEqual(['sent', 'sent', 'failed', 'waiting']);
    expect((await db.reports.get(ids[0]!))?.receipt).toBe('R-1');
    expect((await db.reports.get(ids[2]!))?.lastError).toMatchObject({ kind: 'rejected', detail: 'URL is not on our platform' });
    expect((await db.reports.get(ids[3]!))?.lastError).toMatchObject({ kind: 'unconfirmed' });
  });

  it.each([500, 502, 503, 408, 429])('keeps reports waiting with the error and backs off on HTTP %i', async (status) => {
    const { db, deps, ids, clock } = await setup(
      1,
      scriptedFetch(() => json(status, { error: 'busy' })),
    );
    const summary = await flushOutbox(deps);
    expect(summary.retrying).toBe(1);
    const record = (await db.reports.get(ids[0]!)) as ReportRecord;
    expect(record.status).toBe('waiting');
    expect(record.lastError).toMatchObject({ kind: 'http', status, detail: 'busy' });
    expect(record.nextAttemptAt).toBe(clock() + backoffDelay(1, () => 0.5));
    expect(record.nextAttemptAt).toBeGreaterThan(clock());
  });

  it('keeps reports waiting on network errors and timeouts', async () => {
    const { db, deps, ids } = await setup(
      2,
      scriptedFetch(({ ids: sent }) => {
        throw sent.length ? new TypeError('Failed to fetch') : new Error();
      }),
    );
    await flushOutbox(deps);
    expect((await db.reports.get(ids[0]!))?.lastError).toMatchObject({ kind: 'network' });
    const timeout = await setup(
      1,
      scriptedFetch(() => Promise.reject(new DOMException('signal timed out', 'TimeoutError'))),
    );
    await flushOutbox(timeout.deps);
    expect((await timeout.db.reports.get(timeout.ids[0]!))?.lastError).toMatchObject({ kind: 'timeout' });
    expect(await statuses(timeout.db)).toEqual(['waiting']);
  });

  it('gives each request a timeout well under the 30 s worker limit', async () => {
    const { deps, calls } = await setup(1);
    await flushOutbox(deps);
    expect(calls[0]?.init.signal).toBeInstanceOf(AbortSignal);
    expect(OUTBOX_LIMITS.requestTimeoutMs).toBeLessThanOrEqual(20_000);
  });

  it('honours Retry-After in seconds and as a date', async () => {
    const secs = await setup(
      1,
      scriptedFetch(() => json(429, {}, { 'Retry-After': '3600' })),
    );
    await flushOutbox(secs.deps);
    expect((await secs.db.reports.get(secs.ids[0]!))?.nextAttemptAt).toBe(secs.clock() + 3_600_000);

    const date = await setup(
      1,
      scriptedFetch(() => json(503, {}, { 'Retry-After': new Date(Date.UTC(2026, 10, 24, 12, 0, 0)).toUTCString() })),
    );
    await flushOutbox(date.deps);
    expect((await date.db.reports.get(date.ids[0]!))?.nextAttemptAt).toBe(Date.UTC(2026, 10, 24, 12, 0, 0));
  });

  it('marks other 4xx answers failed with the endpoint reason, and keeps them', async () => {
    const { db, deps, ids } = await setup(
      1,
      scriptedFetch(() => json(401, { error: 'missing or wrong access token' })),
    );
    expect((await flushOutbox(deps)).failed).toBe(1);
    expect(await db.reports.get(ids[0]!)).toMatchObject({
      status: 'failed',
      lastError: { kind: 'http', status: 401, detail: 'missing or wrong access token' },
    });
    // Not retried on its own…
    await flushOutbox(deps);
    expect(deps.fetch).toHaveBeenCalledTimes(1);
    expect(await db.reports.count()).toBe(1);
  });

  it('retries failed and backing-off reports at once when forced', async () => {
    let fail = true;
    const { db, deps } = await setup(
      2,
      scriptedFetch(({ ids }) => (fail ? json(ids.length > 1 ? 400 : 503, {}) : new Response(null, { status: 200 }))),
    );
    await flushOutbox(deps);
    expect(await statuses(db)).toEqual(['failed', 'failed']);
    fail = false;
    expect((await flushOutbox(deps)).attempted).toBe(0);
    expect(await flushOutbox(deps, { force: true })).toMatchObject({ attempted: 2, sent: 2 });
  });

  it('does not send a report before its backoff is over, and sends it after', async () => {
    let down = true;
    const { db, deps, clock } = await setup(
      1,
      scriptedFetch(() => (down ? Promise.reject(new TypeError('Failed to fetch')) : new Response(null))),
    );
    await flushOutbox(deps);
    down = false;
    expect((await flushOutbox(deps)).attempted).toBe(0);
    clock.advance(OUTBOX_LIMITS.backoffCapMs);
    expect((await flushOutbox(deps)).sent).toBe(1);
    expect(await statuses(db)).toEqual(['sent']);
  });

  it('batches by the batch size, oldest first', async () => {
    const { deps, calls, ids } = await setup(5);
    await flushOutbox({ ...deps, limits: { batchSize: 2 } });
    expect(calls.map((c) => c.ids)).toEqual([ids.slice(0, 2), ids.slice(2, 4), ids.slice(4)]);
  });

  /** A batch lease row as a worker writes it when it claims (schema/record.ts BatchLease). */
  const leaseOn = async (db: FlaglineDB, ids: string[], owner: string, until: number) => {
    const records = (await db.reports.bulkGet(ids)) as ReportRecord[];
    await db.leases.add({
      id: `lease-${owner}-${until}`,
      owner,
      until,
      reports: records.map((r) => ({ id: r.id, revision: r.report.revision ?? 1 })),
      firstCreatedAt: Math.min(...records.map((r) => r.createdAt)),
      lastCreatedAt: Math.max(...records.map((r) => r.createdAt)),
    });
  };

  it('claims a batch with one lease row: the reports stay waiting, shown as sending, and the lease ends when settled', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { db, deps, ids, calls } = await setup(
      3,
      scriptedFetch(async () => (await gate, new Response(null))),
    );
    const flushing = flushOutbox(deps);
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    const leases = await db.leases.toArray();
    expect(leases).toHaveLength(1);
    expect(leases[0]).toMatchObject({ owner: 'worker-a', until: deps.clock() + OUTBOX_LIMITS.leaseMs, reports: ids.map((id) => ({ id, revision: 1 })) });
    expect(await statuses(db)).toEqual(['waiting', 'waiting', 'waiting']);
    const view = await readLeases(db);
    expect((await db.reports.toArray()).map((r) => withDeliveryState(r, view).status)).toEqual(['sending', 'sending', 'sending']);
    release();
    await flushing;
    expect(await db.leases.count()).toBe(0);
    expect(await statuses(db)).toEqual(['sent', 'sent', 'sent']);
  });

  it('takes back a dead worker’s lease, freezes the bodies it may have sent, and resends the same body', async () => {
    const { db, deps, ids, calls } = await setup(
      1,
      scriptedFetch(() => json(503, {})),
    );
    const before = await db.reports.get(ids[0]!);
    await leaseOn(db, ids, 'dead-worker', deps.clock() + 60_000);
    await flushOutbox(deps);
    expect(await db.leases.count()).toBe(0);
    const after = await db.reports.get(ids[0]!);
    // The dead worker's request may have reached the endpoint: the body is frozen as it was.
    expect(after?.wireBody).toBe(JSON.stringify(before?.report));
    expect(JSON.parse(String(calls[0]?.init.body)).reports[0]).toEqual(before?.report);
    expect(String(calls[0]?.init.body)).toBe(`{"reports":[${JSON.stringify(before?.report)}]}`);
  });

  it('takes back its own expired leases but leaves its live ones alone', async () => {
    const { db, deps, ids, clock } = await setup(1);
    await leaseOn(db, ids, 'worker-a', clock() + 1000);
    expect((await flushOutbox(deps)).attempted).toBe(0);
    clock.advance(1001);
    expect((await flushOutbox(deps)).sent).toBe(1);
    expect(await statuses(db)).toEqual(['sent']);
  });

  it('never claims a report another live lease names, whatever worker holds it', async () => {
    const { db, deps, ids } = await setup(2);
    await leaseOn(db, [ids[0]!], 'worker-a', deps.clock() + 60_000);
    expect(await flushOutbox(deps)).toMatchObject({ attempted: 1, sent: 1 });
    expect((await db.reports.get(ids[0]!))?.status).toBe('waiting');
  });

  it('reports past the age limit in a claim window do not end the flush early: every due report after them is sent', async () => {
    const { db, deps, ids, calls } = await setup(7);
    // The 2nd–4th are past the age limit; the rest are due.
    for (const id of ids.slice(1, 4)) await db.reports.update(id, { retriedAt: deps.clock() - 30 * 24 * 60 * 60_000 });
    const summary = await flushOutbox({ ...deps, limits: { batchSize: 2, concurrency: 1 } });
    expect(summary).toMatchObject({ attempted: 4, sent: 4 });
    expect(calls.flatMap((call) => call.ids).sort()).toEqual([ids[0], ...ids.slice(4)].sort());
    expect((await db.reports.bulkGet(ids.slice(1, 4))).map((r) => r?.status)).toEqual(['undelivered', 'undelivered', 'undelivered']);
  });

  it('a claim that takes the last due reports while every sender finishes still gets them sent in the same flush', async () => {
    // The first requests are answered just as the claim of the rest has written its leases and
    // is committing: the senders must wait for those batches, not end the flush without them.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const { db, deps, ids, calls } = await setup(
      5,
      scriptedFetch(async () => {
        await held;
        return new Response(null);
      }),
    );
    const bulkAdd = db.leases.bulkAdd.bind(db.leases) as (rows: BatchLease[]) => Promise<unknown>;
    let claims = 0;
    vi.spyOn(db.leases, 'bulkAdd').mockImplementation((async (rows: BatchLease[]) => {
      const result = await bulkAdd(rows);
      if (++claims === 2) release();
      return result;
    }) as never);
    const summary = await flushOutbox({ ...deps, limits: { batchSize: 1, concurrency: 2 } });
    expect(claims).toBe(2);
    expect(summary).toMatchObject({ attempted: 5, sent: 5 });
    expect(calls.flatMap((call) => call.ids).sort()).toEqual([...ids].sort());
    expect(await statuses(db)).toEqual(Array(5).fill('sent'));
  });

  it('when recording an answer fails, only reports that went on the wire stay leased; batches claimed ahead are released', async () => {
    // Answers take a moment, so the failed write is known before everything was sent.
    const { db, deps, calls } = await setup(
      6,
      scriptedFetch(() => new Promise((resolve) => setTimeout(() => resolve(new Response(null)), 30))),
    );
    // Recording an acknowledgement is the write to its lease row.
    const bulkPut = db.leases.bulkPut.bind(db.leases) as (rows: BatchLease[]) => Promise<unknown>;
    const spy = vi.spyOn(db.leases, 'bulkPut').mockImplementation((async (rows: BatchLease[]) => {
      if (rows.some((lease) => lease.acknowledged)) throw new Error('disk full');
      return bulkPut(rows);
    }) as never);
    await expect(flushOutbox({ ...deps, limits: { batchSize: 1, concurrency: 1 } })).rejects.toThrow('disk full');
    spy.mockRestore();
    const onTheWire = new Set(calls.flatMap((call) => call.ids));
    const leased = await leasedReportIds(db);
    expect(onTheWire.size).toBeLessThan(6);
    expect(leased.size).toBeGreaterThan(0);
    for (const id of leased) expect(onTheWire.has(id)).toBe(true);
    expect(await statuses(db)).not.toContain('sent');
  });

  it('never loses a report when the database write after sending fails: it stays claimable', async () => {
    const { db, deps, ids, clock, calls } = await setup(
      1,
      scriptedFetch(() => new Response(null)),
    );
    // The settle step records the acknowledgement in the lease row; that write fails once, as if the worker died there.
    const bulkPut = db.leases.bulkPut.bind(db.leases) as (rows: BatchLease[]) => Promise<unknown>;
    let failed = false;
    const spy = vi.spyOn(db.leases, 'bulkPut').mockImplementation((async (rows: BatchLease[]) => {
      if (!failed && rows.some((lease) => lease.acknowledged)) {
        failed = true;
        throw new Error('worker died');
      }
      return bulkPut(rows);
    }) as never);
    await expect(flushOutbox(deps)).rejects.toThrow('worker died');
    spy.mockRestore();
    // The settle transaction rolled back whole: still waiting, and still under the lease.
    expect((await db.reports.get(ids[0]!))?.status).toBe('waiting');
    expect(await leasedReportIds(db)).toEqual(new Set(ids));
    expect(await db.leases.toArray()).toEqual([expect.not.objectContaining({ acknowledged: expect.anything() })]);
    clock.advance(OUTBOX_LIMITS.leaseMs + 1);
    await flushOutbox(deps);
    // Nothing recorded the answer, so the report went again (same id and body: the endpoint's idempotency).
    expect(calls).toHaveLength(2);
    expect(await statuses(db)).toEqual(['sent']);
  });

  it('records a fully acknowledged batch as one write to its lease row, shown as sent before the records are updated', async () => {
    const { db, deps, ids } = await setup(
      3,
      scriptedFetch((call) => json(200, { results: call.ids.map((id) => ({ id, status: 'accepted', receipt: `R-${id.slice(-2)}` })) })),
    );
    const reportWrites = vi.spyOn(db.reports, 'bulkPut');
    const summary = await deliverOutbox({ ...deps, limits: { batchSize: 3 } });
    expect(summary).toMatchObject({ attempted: 3, sent: 3 });
    // Not one report written while delivering…
    expect(reportWrites).not.toHaveBeenCalled();
    expect(await statuses(db)).toEqual(['waiting', 'waiting', 'waiting']);
    // …the answer is in the lease row, and every reader shows it.
    const [lease] = await db.leases.toArray();
    expect(lease?.acknowledged).toMatchObject({
      endpoint: ENDPOINT,
      results: [{ result: 'accepted', receipt: 'R-01' }, { result: 'accepted' }, { result: 'accepted' }],
    });
    const view = await readLeases(db);
    const shown = (await db.reports.orderBy('createdAt').toArray()).map((record) => withDeliveryState(record, view));
    expect(shown.map((r) => [r.status, r.receipt, r.attempts, r.ledger?.map((line) => line.outcome)])).toEqual(
      ids.map((id) => ['sent', `R-${id.slice(-2)}`, 1, ['accepted']]),
    );
    expect(await countForBadge(db)).toEqual({ pending: 0, needsAttention: 0 });
    // An acknowledged report is never claimed again, nor taken back as abandoned.
    deps.workerId = 'worker-b';
    expect(await deliverOutbox(deps)).toMatchObject({ attempted: 0 });
    reportWrites.mockRestore();

    // Applying stores exactly what readers showed, and ends the lease.
    expect(await applyAcknowledged(deps)).toBe(3);
    expect(await db.leases.count()).toBe(0);
    expect(await db.reports.orderBy('createdAt').toArray()).toEqual(shown);
  });

  it('a worker that dies after recording acknowledgements leaves them to the next flush, which applies them without resending', async () => {
    const { db, deps, calls } = await setup(2);
    const spy = vi.spyOn(db.reports, 'bulkPut').mockRejectedValueOnce(new Error('worker died'));
    await expect(flushOutbox(deps)).rejects.toThrow('worker died');
    spy.mockRestore();
    expect(await statuses(db)).toEqual(['waiting', 'waiting']);
    expect((await db.leases.toArray()).every((lease) => lease.acknowledged)).toBe(true);
    // A new worker, long after the lease ran out.
    deps.workerId = 'worker-b';
    deps.clock = (
      (t) => () =>
        t
    )(deps.clock() + OUTBOX_LIMITS.leaseMs * 10);
    expect(await flushOutbox(deps)).toMatchObject({ attempted: 0 });
    expect(calls).toHaveLength(1);
    expect(await statuses(db)).toEqual(['sent', 'sent']);
    expect((await db.reports.toArray()).map((r) => r.ledger?.length)).toEqual([1, 1]);
  });

  it('an acknowledgement never applies to a later revision of the report', async () => {
    const { db, deps, ids } = await setup(1);
    await deliverOutbox(deps);
    // Revised while the answer was recorded but not applied: the new revision waits for its own attempt.
    await reviseReport(db, ids[0]!, { explanation: 'corrected' }, deps.clock);
    const view = await readLeases(db);
    const revised = (await db.reports.get(ids[0]!))!;
    expect(withDeliveryState(revised, view).status).toBe('sending');
    expect(await applyAcknowledged(deps)).toBe(0);
    expect(await db.reports.get(ids[0]!)).toMatchObject({ status: 'waiting', report: { revision: 2 } });
    expect(await db.leases.count()).toBe(0);
  });
});

describe('backoff and Retry-After', () => {
  it('grows exponentially with full jitter, within [1 s, cap]', () => {
    expect(backoffDelay(1, () => 0.999)).toBeLessThan(OUTBOX_LIMITS.backoffBaseMs);
    expect(backoffDelay(3, () => 0.999)).toBeGreaterThan(2 * OUTBOX_LIMITS.backoffBaseMs);
    expect(backoffDelay(3, () => 0.999)).toBeLessThan(4 * OUTBOX_LIMITS.backoffBaseMs);
    expect(backoffDelay(50, () => 0.999)).toBeLessThanOrEqual(OUTBOX_LIMITS.backoffCapMs);
    expect(backoffDelay(5, () => 0)).toBe(1000);
  });

  it('parses Retry-After', () => {
    expect(parseRetryAfter('120', 0)).toBe(120_000);
    expect(parseRetryAfter(null, 0)).toBeUndefined();
    expect(parseRetryAfter('soon', 0)).toBeUndefined();
    expect(parseRetryAfter('Thu, 01 Jan 1970 00:01:00 GMT', 0)).toBe(60_000);
  });
});

describe('createOutboxRunner', () => {
  it('runs one flush at a time and coalesces requests made meanwhile into one follow-up', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { deps, calls } = await setup(
      1,
      scriptedFetch(async () => (await gate, new Response(null))),
    );
    const alarms = { create: vi.fn(), clear: vi.fn() };
    const runner = createOutboxRunner({ ...deps, alarms });
    const first = runner.flush();
    const second = runner.flush();
    const third = runner.flush();
    expect(second).toBe(third);
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    release();
    expect((await first).sent).toBe(1);
    expect((await second).attempted).toBe(0);
    expect(calls).toHaveLength(1);
  });

  it('sets the alarm for the next due retry, and clears it when nothing waits', async () => {
    const { deps } = await setup(
      1,
      scriptedFetch(() => json(503, {})),
    );
    const alarms = { create: vi.fn(), clear: vi.fn() };
    const runner = createOutboxRunner({ ...deps, alarms });
    await runner.flush();
    // The caller hears once every answer is recorded; the alarm is set when the run is over.
    await runner.idle();
    const due = (await deps.db.reports.toArray())[0]?.nextAttemptAt;
    expect(alarms.create).toHaveBeenCalledWith(OUTBOX_ALARM, { when: due });

    const ok = await setup(1);
    const okAlarms = { create: vi.fn(), clear: vi.fn() };
    const okRunner = createOutboxRunner({ ...ok.deps, alarms: okAlarms });
    await okRunner.flush();
    await okRunner.idle();
    expect(okAlarms.clear).toHaveBeenCalledWith(OUTBOX_ALARM);
    expect(okAlarms.create).toHaveBeenCalledTimes(1);
  });

  it('arms a watchdog alarm before sending, so a worker that dies mid-flush is replaced', async () => {
    const { deps, clock } = await setup(
      1,
      scriptedFetch(() => Promise.reject(new Error('worker killed'))),
    );
    const alarms = { create: vi.fn(), clear: vi.fn() };
    let alarmBeforeSend: unknown;
    const fetch = deps.fetch;
    deps.fetch = async (...args: Parameters<typeof fetch>) => {
      alarmBeforeSend = alarms.create.mock.calls[0];
      return fetch(...args);
    };
    await createOutboxRunner({ ...deps, alarms }).flush();
    expect(alarmBeforeSend).toEqual([OUTBOX_ALARM, { when: clock() + 30_000 }]);
  });
});

describe('with no endpoint (issue 16)', () => {
  it('tries nothing: a waiting report is neither sent, failed nor given a retry time', async () => {
    const db = freshDb();
    const clock = testClock();
    const [id] = await seedSavedReports(db, clock, 1);
    const before = await db.reports.get(id as string);
    const fetch = vi.fn(async () => new Response(null, { status: 204 }));
    const summary = await flushOutbox({
      db,
      fetch: fetch,
      clock,
      random: () => 0.5,
      workerId: 'w',
      getSettings: async () => ({ ...DEFAULT_SETTINGS, endpointUrl: '' }),
    });
    expect(summary).toMatchObject({ attempted: 0, sent: 0, failed: 0, retrying: 0 });
    expect(fetch).not.toHaveBeenCalled();
    expect(await db.reports.get(id as string)).toEqual(before);
  });
});
