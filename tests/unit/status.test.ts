import { describe, expect, it, vi } from 'vitest';
import type { FlaglineDB } from '@/utils/db';
import { readManyWithDeliveryState, readWithDeliveryState } from '@/utils/leases';
import { flushOutbox, type OutboxDeps } from '@/utils/outbox';
import { learnStatus, pageDay, putPages, readStatusBook, trackStatuses, withReview } from '@/utils/status/book';
import { pagesFromRows } from '@/utils/status/columns';
import { deleteReports, restoreReports } from '@/utils/workspace/bulk';
import type { LedgerLine, ReportRecord, StatusEntry } from '@/utils/schema/record';
import { DEFAULT_SETTINGS } from '@/utils/settings';
import { checkStatuses, nextStatusCheckAt } from '@/utils/status/check';
import { createStatusRunner, STATUS_ALARM } from '@/utils/status/runner';
import { STATUS_STEPS_MS, statusUrlOf } from '@/utils/status/schedule';
import { notePreview, reviewStatusText } from '@/utils/status/words';
import { notifyClosed } from '@/utils/status/notify';
import { freshDb, seedSavedReports, testClock } from './helpers';
import { memoryEvidence } from './workspace-support';
import { translatorFor } from './chrome-i18n';

const ENDPOINT = 'https://desk.example.org/v1/reports';
const STATUS_URL = 'https://desk.example.org/v1/reports/status';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const tokenFor = (id: string) => `tok_${id.replace(/-/g, '')}`;

type StatusCall = { url: string; init: RequestInit; reports: Array<{ id: string; token: string }> };

/** A channel that answers status requests from a map id → status (or a scripted response). */
function statusChannel(answer: (call: StatusCall) => Response | undefined = () => undefined) {
  const states = new Map<string, { state: string; outcome?: string; publicNote?: string; updatedAt: string }>();
  const calls: StatusCall[] = [];
  const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const body = JSON.parse(String(init?.body)) as { reports: Array<{ id: string; token: string }> };
    const call = { url: String(input), init: init ?? {}, reports: body.reports };
    calls.push(call);
    const scripted = answer(call);
    if (scripted) return scripted;
    const results = body.reports
      .filter((r) => r.token === tokenFor(r.id))
      .map((r) => ({ id: r.id, ...(states.get(r.id) ?? { state: 'new', updatedAt: '2026-11-24T10:00:00.000Z' }) }));
    return Response.json({ results });
  });
  return { fetch: fetch as unknown as typeof globalThis.fetch, calls, states };
}

/** Reports delivered to ENDPOINT, acknowledged with a status token each (as the Desk answers). */
async function delivered(count: number, options: { withToken?: boolean; statusUrl?: string } = {}) {
  const db = freshDb();
  const clock = testClock();
  const ids = await seedSavedReports(db, clock, count, 1);
  const deps: OutboxDeps = {
    db,
    clock,
    random: () => 0.5,
    workerId: 'worker-a',
    getSettings: async () => ({ ...DEFAULT_SETTINGS, endpointUrl: ENDPOINT }),
    fetch: async (_input: RequestInfo | URL, init?: RequestInit) => {
      const body = JSON.parse(String(init?.body)) as { reports: Array<{ id: string }> };
      return Response.json({
        results: body.reports.map((r) => ({
          id: r.id,
          status: 'accepted',
          receipt: `FL-${r.id.slice(-4)}`,
          ...(options.withToken === false ? {} : { statusToken: tokenFor(r.id) }),
          ...(options.statusUrl ? { statusUrl: options.statusUrl } : {}),
        })),
      });
    },
  };
  await flushOutbox(deps);
  return { db, clock, ids };
}

/** A report as the user sees it (its review joined from the status book). */
const record = async (db: FlaglineDB, id: string) => (await readWithDeliveryState(db, id)) as ReportRecord;
/** A report's entry in the status book: its token, schedule and review. */
const entry = async (db: FlaglineDB, id: string) => (await readStatusBook(db)).get(id);

describe('status tokens from the endpoint', () => {
  it('are stored with the delivered report, with its first check 10 minutes later', async () => {
    const { db, clock, ids } = await delivered(2);
    const stored = await record(db, ids[0]!);
    expect(stored.status).toBe('sent');
    // Kept in the status book, not in the record (schema version 5).
    expect(stored).not.toHaveProperty('statusToken');
    expect(await entry(db, ids[0]!)).toEqual({
      url: STATUS_URL,
      token: tokenFor(ids[0]!),
      createdAt: stored.createdAt,
      check: { step: 0, nextAt: clock() + 10 * MINUTE },
    });
    expect(statusUrlOf(stored)).toBe(STATUS_URL);
  });

  it('a channel without tokens has no live status: nothing is tracked or asked', async () => {
    const { db, clock } = await delivered(3, { withToken: false });
    const channel = statusChannel();
    clock.advance(DAY);
    expect(await checkStatuses({ db, clock, fetch: channel.fetch })).toEqual({ asked: 0, changed: [], closed: [] });
    expect(channel.calls).toHaveLength(0);
    expect(await nextStatusCheckAt(db, clock())).toBeUndefined();
  });

  it('a status address on another origin than the endpoint is ignored', async () => {
    const { db, ids } = await delivered(1, { statusUrl: 'https://elsewhere.example/status' });
    expect((await entry(db, ids[0]!))?.url).toBe(STATUS_URL);
    const same = await delivered(1, { statusUrl: 'https://desk.example.org/other/status' });
    expect((await entry(same.db, same.ids[0]!))?.url).toBe('https://desk.example.org/other/status');
  });
});

describe('the status book', () => {
  it('keeps a day of deliveries in pages of 100, one status request each', async () => {
    const { db, clock, ids } = await delivered(250);
    const pages = pagesFromRows(
      await db.statusPages
        .where('key')
        .startsWith(`${pageDay(clock())}/`)
        .toArray(),
    );
    expect(pages.map((page) => [page.key, Object.keys(page.entries).length])).toEqual([
      [`${pageDay(clock())}/0001`, 100],
      [`${pageDay(clock())}/0002`, 100],
      [`${pageDay(clock())}/0003`, 50],
    ]);
    expect(new Set(pages.flatMap((page) => Object.keys(page.entries)))).toEqual(new Set(ids));
  });

  it('for a few reports shown, reads only the pages of the days they were sent', async () => {
    const db = freshDb();
    const entry = { url: STATUS_URL, token: 'st_0123456789abcdef', createdAt: 1 };
    await putPages(db.statusPages, [
      { key: '2026-11-01/0001', entries: { a: entry } },
      { key: '2026-11-24/0001', entries: { b: entry } },
      { key: '2026-11-24/0002', entries: { c: entry } },
    ]);
    const toArray = vi.spyOn(db.statusPages, 'toArray');
    expect([...(await readStatusBook(db, [{ sentAt: Date.UTC(2026, 10, 24, 9) }, {}])).keys()]).toEqual(['b', 'c']);
    expect(toArray).not.toHaveBeenCalled();
    expect([...(await readStatusBook(db)).keys()]).toEqual(['a', 'b', 'c']);
  });

  it('forgets a deleted report (it is asked about no more) and an undo brings its entry back', async () => {
    const { db, clock, ids } = await delivered(2);
    const before = await entry(db, ids[0]!);
    const deleted = await deleteReports(db, memoryEvidence(), [ids[0]!]);
    expect(await entry(db, ids[0]!)).toBeUndefined();
    const channel = statusChannel();
    clock.advance(10 * MINUTE);
    await checkStatuses({ db, clock, fetch: channel.fetch });
    expect(channel.calls.flatMap((call) => call.reports.map((r) => r.id))).toEqual([ids[1]]);
    await restoreReports(db, memoryEvidence(), deleted);
    expect(await entry(db, ids[0]!)).toEqual(before);
  });
});

describe('checkStatuses', () => {
  it('asks nothing before the first step is due, then sends only ids and tokens, without credentials', async () => {
    const { db, clock, ids } = await delivered(2);
    const channel = statusChannel();
    clock.advance(9 * MINUTE);
    expect((await checkStatuses({ db, clock, fetch: channel.fetch })).asked).toBe(0);
    clock.advance(MINUTE);
    expect((await checkStatuses({ db, clock, fetch: channel.fetch })).asked).toBe(2);
    expect(channel.calls).toHaveLength(1);
    const [call] = channel.calls;
    expect(call!.url).toBe(STATUS_URL);
    expect(call!.reports).toEqual(ids.map((id) => ({ id, token: tokenFor(id) })));
    expect(call!.init).toMatchObject({ method: 'POST', credentials: 'omit', redirect: 'error' });
    expect(new Headers(call!.init.headers).get('Authorization')).toBeNull();
    expect(Object.keys(JSON.parse(String(call!.init.body)) as object)).toEqual(['reports']);
  });

  it('backs off: 10 minutes, 1 hour, 6 hours, 24 hours, then daily', async () => {
    const { db, clock, ids } = await delivered(1);
    const channel = statusChannel();
    const sentAt = clock();
    const gaps: number[] = [];
    let last = sentAt;
    for (let round = 0; round < 6; round++) {
      const next = (await entry(db, ids[0]!))!.check!.nextAt;
      gaps.push(next - last);
      clock.set(next);
      last = next;
      await checkStatuses({ db, clock, fetch: channel.fetch });
    }
    expect(gaps).toEqual([10 * MINUTE, HOUR, 6 * HOUR, DAY, DAY, DAY]);
    expect(STATUS_STEPS_MS).toEqual([10 * MINUTE, HOUR, 6 * HOUR, DAY]);
    expect(channel.calls).toHaveLength(6);
  });

  it('stores a change with a ledger line and the time it was learnt, and stops once closed', async () => {
    const { db, clock, ids } = await delivered(1);
    const id = ids[0]!;
    const channel = statusChannel();
    clock.advance(10 * MINUTE);
    channel.states.set(id, { state: 'in_review', updatedAt: '2026-11-24T10:05:00.000Z' });
    const first = await checkStatuses({ db, clock, fetch: channel.fetch });
    expect(first.changed).toEqual([id]);
    expect(first.closed).toEqual([]);
    let stored = await record(db, id);
    expect(stored.review).toEqual({ state: 'in_review', updatedAt: '2026-11-24T10:05:00.000Z', learntAt: clock() });
    expect(stored.ledger!.at(-1)).toEqual({ at: clock(), endpoint: STATUS_URL, outcome: 'status', review: { state: 'in_review' } });

    clock.set((await entry(db, id))!.check!.nextAt);
    channel.states.set(id, { state: 'closed', outcome: 'removed', publicNote: 'Taken down.', updatedAt: '2026-11-24T11:00:00.000Z' });
    const second = await checkStatuses({ db, clock, fetch: channel.fetch });
    expect(second.closed).toEqual([id]);
    stored = await record(db, id);
    expect(stored.review).toMatchObject({ state: 'closed', outcome: 'removed', publicNote: 'Taken down.' });
    expect((await entry(db, id))!.check).toBeUndefined();
    expect(stored.ledger!.filter((line) => line.outcome === 'status')).toHaveLength(2);

    // Closed: never asked again, whatever the time.
    clock.advance(10 * DAY);
    expect((await checkStatuses({ db, clock, fetch: channel.fetch })).asked).toBe(0);
    expect(await nextStatusCheckAt(db, clock())).toBeUndefined();
  });

  it('keeps the current review as its own ledger line: no stored copy, and each change shown once wherever it was kept', async () => {
    const { db, ids } = await delivered(1);
    const id = ids[0]!;
    const sent = (await db.reports.get(id))!;
    const statusLines = (record: ReportRecord) => record.ledger!.filter((line) => line.outcome === 'status');
    const line = (at: number, review: { state: 'in_review' } | { state: 'closed'; outcome: 'removed' }): LedgerLine => ({
      at,
      endpoint: STATUS_URL,
      outcome: 'status',
      review,
    });
    const inReview = { state: 'in_review' as const, updatedAt: '2026-11-24T10:05:00.000Z' };
    const removed = { state: 'closed' as const, outcome: 'removed' as const, updatedAt: '2026-11-24T11:00:00.000Z' };
    const fresh = (): StatusEntry => ({ url: STATUS_URL, token: tokenFor(id), createdAt: sent.createdAt });

    const entry = fresh();
    learnStatus(entry, { id, ...inReview }, 100);
    expect(entry.lines).toBeUndefined();
    expect(statusLines(withReview(sent, entry))).toEqual([line(100, { state: 'in_review' })]);
    learnStatus(entry, { id, ...removed }, 200);
    expect(entry.lines).toEqual([line(100, { state: 'in_review' })]);
    expect(statusLines(withReview(sent, entry))).toEqual([line(100, { state: 'in_review' }), line(200, { state: 'closed', outcome: 'removed' })]);

    // Written before: the entry holds the current review's line too — shown once, not stored twice.
    const before: StatusEntry = { ...fresh(), review: { ...inReview, learntAt: 100 }, lines: [line(100, { state: 'in_review' })] };
    expect(statusLines(withReview(sent, before))).toEqual([line(100, { state: 'in_review' })]);
    learnStatus(before, { id, ...removed }, 200);
    expect(before.lines).toEqual([line(100, { state: 'in_review' })]);
    // Upgraded from schema version 4: the record's own ledger holds the review's line.
    const upgraded: StatusEntry = { ...fresh(), review: { ...inReview, learntAt: 100 } };
    const kept = { ...sent, ledger: [...(sent.ledger ?? []), line(100, { state: 'in_review' })] };
    expect(statusLines(withReview(kept, upgraded))).toEqual([line(100, { state: 'in_review' })]);
    learnStatus(upgraded, { id, ...removed }, 200);
    expect(statusLines(withReview(kept, upgraded))).toEqual([line(100, { state: 'in_review' }), line(200, { state: 'closed', outcome: 'removed' })]);
  });

  it('an unchanged answer adds no ledger line', async () => {
    const { db, clock, ids } = await delivered(1);
    const channel = statusChannel();
    clock.advance(10 * MINUTE);
    await checkStatuses({ db, clock, fetch: channel.fetch });
    clock.advance(HOUR);
    const again = await checkStatuses({ db, clock, fetch: channel.fetch });
    expect(again).toMatchObject({ asked: 1, changed: [] });
    expect((await record(db, ids[0]!)).ledger!.filter((line) => line.outcome === 'status')).toHaveLength(1);
  });

  it('stops asking about a report 30 days old', async () => {
    const { db, clock } = await delivered(1);
    const channel = statusChannel();
    for (let day = 0; day < 40; day++) {
      clock.advance(DAY);
      await checkStatuses({ db, clock, fetch: channel.fetch });
    }
    // 10 min, 1 h, 6 h, 24 h steps then daily, all within 30 days of creation; none after.
    const askedAt = channel.calls.length;
    expect(askedAt).toBeGreaterThan(20);
    expect(askedAt).toBeLessThanOrEqual(30);
    expect(await nextStatusCheckAt(db, clock())).toBeUndefined();
  });

  it('batches 100 reports per request, one channel at a time', async () => {
    const { db, clock } = await delivered(250);
    const channel = statusChannel();
    clock.advance(10 * MINUTE);
    expect((await checkStatuses({ db, clock, fetch: channel.fetch })).asked).toBe(250);
    expect(channel.calls.map((call) => call.reports.length)).toEqual([100, 100, 50]);
  });

  it('stores all answers in one write after the last, reading no page again when nobody wrote the book meanwhile', async () => {
    const { db, clock, ids } = await delivered(250);
    const channel = statusChannel();
    const bulkPut = vi.spyOn(db.statusPages, 'bulkPut');
    const bulkGet = vi.spyOn(db.statusPages, 'bulkGet');
    clock.advance(10 * MINUTE);
    expect((await checkStatuses({ db, clock, fetch: channel.fetch })).changed).toHaveLength(250);
    expect(bulkPut).toHaveBeenCalledTimes(1);
    expect(bulkGet).not.toHaveBeenCalled();
    expect([...(await readStatusBook(db)).values()].filter((e) => e.review)).toHaveLength(ids.length);
  });

  it('a report deleted while its status is asked stays deleted, and one delivered meanwhile keeps its entry', async () => {
    const { db, clock, ids } = await delivered(150);
    const channel = statusChannel();
    const later = { id: '99999999-9999-4999-8999-999999999999', createdAt: clock(), endpoint: ENDPOINT };
    // While the first request (a page of 100) is on the wire, the round has read the book: a
    // report of that page is deleted and a new delivery lands on the other page.
    const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
      if (channel.calls.length === 0) {
        await deleteReports(db, memoryEvidence(), [ids[0]!]);
        await db.transaction('rw', db.statusPages, () => trackStatuses(db, [{ record: later, at: clock(), statusToken: tokenFor(later.id) }]));
      }
      return channel.fetch(input, init);
    }) as typeof globalThis.fetch;
    clock.advance(10 * MINUTE);
    const result = await checkStatuses({ db, clock, fetch });
    expect(result.changed).toHaveLength(149);
    const book = await readStatusBook(db);
    expect(book.has(ids[0]!)).toBe(false);
    expect(book.get(later.id)).toEqual({
      url: STATUS_URL,
      token: tokenFor(later.id),
      createdAt: later.createdAt,
      check: { step: 0, nextAt: clock() + 10 * MINUTE },
    });
    expect([...book.values()].filter((e) => e.review)).toHaveLength(149);
  });

  it('honours 429 Retry-After: the channel is left alone until then, and the alarm waits for it', async () => {
    const { db, clock } = await delivered(3);
    let limited = true;
    const channel = statusChannel(() => (limited ? new Response('slow down', { status: 429, headers: { 'Retry-After': '7200' } }) : undefined));
    clock.advance(10 * MINUTE);
    expect((await checkStatuses({ db, clock, fetch: channel.fetch })).asked).toBe(0);
    expect(await nextStatusCheckAt(db, clock())).toBe(clock() + 7200_000);
    clock.advance(HOUR);
    limited = false;
    await checkStatuses({ db, clock, fetch: channel.fetch });
    expect(channel.calls).toHaveLength(1);
    clock.advance(HOUR);
    expect((await checkStatuses({ db, clock, fetch: channel.fetch })).asked).toBe(3);
  });

  it('a receiver without the batch route (404/405) is asked one report at a time, with each token as a bearer token', async () => {
    const { db, clock, ids } = await delivered(2);
    const calls: Array<{ url: string; method: string; auth: string | null }> = [];
    const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = String(input);
      calls.push({ url, method: init?.method ?? 'GET', auth: new Headers(init?.headers).get('Authorization') });
      if (url === STATUS_URL) return new Response('no such route', { status: 404 });
      const id = url.split('/').at(-2)!;
      if (new Headers(init?.headers).get('Authorization') !== `Bearer ${tokenFor(id)}`) return new Response(null, { status: 401 });
      return Response.json({ id, state: 'forwarded', updatedAt: '2026-11-24T11:00:00.000Z' });
    }) as unknown as typeof globalThis.fetch;
    clock.advance(10 * MINUTE);
    const result = await checkStatuses({ db, clock, fetch });
    expect(result.changed).toEqual(ids);
    expect(calls).toEqual([
      { url: STATUS_URL, method: 'POST', auth: null },
      ...ids.map((id) => ({ url: `${ENDPOINT}/${id}/status`, method: 'GET', auth: `Bearer ${tokenFor(id)}` })),
    ]);
    expect((await record(db, ids[0]!)).review?.state).toBe('forwarded');
  });

  it('a failed request moves the report to its next step instead of hammering the channel', async () => {
    const { db, clock, ids } = await delivered(1);
    const channel = statusChannel(() => new Response('oops', { status: 500 }));
    clock.advance(10 * MINUTE);
    await checkStatuses({ db, clock, fetch: channel.fetch });
    expect((await entry(db, ids[0]!))!.check).toEqual({ step: 1, nextAt: clock() + HOUR });
    expect((await record(db, ids[0]!)).review).toBeUndefined();
  });

  it('refreshing the reports a page shows asks at once, but at most once a minute per channel', async () => {
    const { db, clock, ids } = await delivered(3);
    const channel = statusChannel();
    const refresh = await checkStatuses({ db, clock, fetch: channel.fetch }, { ids: ids.slice(0, 2) });
    expect(refresh.asked).toBe(2);
    // The first answer about a report is news (received).
    expect(refresh.changed).toEqual(ids.slice(0, 2));
    const schedule = (await entry(db, ids[0]!))!.check;
    channel.states.set(ids[1]!, { state: 'forwarded', updatedAt: '2026-11-24T10:01:00.000Z' });
    clock.advance(30_000);
    expect((await checkStatuses({ db, clock, fetch: channel.fetch }, { ids })).asked).toBe(0);
    clock.advance(31_000);
    const again = await checkStatuses({ db, clock, fetch: channel.fetch }, { ids });
    expect(again.asked).toBe(3);
    expect(again.changed).toEqual(ids.slice(1));
    // Not due and nothing new: its schedule stays as it was.
    expect((await entry(db, ids[0]!))!.check).toEqual(schedule);
    // The workspace shows every report: it asks about all tracked ones (still once a minute).
    clock.advance(61_000);
    expect((await checkStatuses({ db, clock, fetch: channel.fetch }, { ids: 'all' })).asked).toBe(3);
    // A build may ask for a shorter gap (the e2e builds: a second).
    clock.advance(1500);
    expect((await checkStatuses({ db, clock, fetch: channel.fetch }, { ids: 'all' })).asked).toBe(0);
    expect((await checkStatuses({ db, clock, fetch: channel.fetch }, { ids: 'all', refreshMinMs: 1000 })).asked).toBe(3);
  });
});

describe('the status runner', () => {
  it('sets the alarm at the next due check, checks nothing when turned off, and reports closed ones', async () => {
    const { db, clock, ids } = await delivered(1);
    const channel = statusChannel();
    const alarms = { create: vi.fn(async () => undefined), clear: vi.fn(async () => true) };
    let enabled = true;
    const closed: string[] = [];
    const runner = createStatusRunner({
      db,
      clock,
      fetch: channel.fetch,
      alarms,
      enabled: async () => enabled,
      onClosed: async (records) => void closed.push(...records.map((r) => r.id)),
    });
    await runner.reschedule();
    expect(alarms.create).toHaveBeenLastCalledWith(STATUS_ALARM, { when: clock() + 10 * MINUTE });
    // After a round, at the report's next step (set once the round has answered).
    clock.advance(10 * MINUTE);
    expect((await runner.check()).asked).toBe(1);
    await vi.waitFor(() => expect(alarms.create).toHaveBeenLastCalledWith(STATUS_ALARM, { when: clock() + HOUR }));

    enabled = false;
    clock.advance(HOUR);
    expect((await runner.check()).asked).toBe(0);
    expect(channel.calls).toHaveLength(1);
    expect(alarms.clear).toHaveBeenCalledWith(STATUS_ALARM);

    enabled = true;
    channel.states.set(ids[0]!, { state: 'closed', outcome: 'no_violation', updatedAt: '2026-11-24T12:00:00.000Z' });
    expect((await runner.check()).closed).toHaveLength(1);
    expect(closed).toEqual(ids);
  });
});

describe('status in words', () => {
  it('names every state and outcome in English and Chinese', () => {
    const cases = [
      [{ state: 'new' }, 'Received', '已收到'],
      [{ state: 'in_review' }, 'Being reviewed', '审核中'],
      [{ state: 'forwarded' }, 'Forwarded', '已转交'],
      [{ state: 'closed', outcome: 'removed' }, 'Closed: removed', '已办结：内容已删除'],
      [{ state: 'closed', outcome: 'no_violation' }, 'Closed: no violation found', '已办结：未发现违规'],
      [{ state: 'closed', outcome: 'referred' }, 'Closed: referred to the authorities', '已办结：已移交有关部门'],
      [{ state: 'closed', outcome: 'duplicate' }, 'Closed: duplicate', '已办结：重复举报'],
      [{ state: 'closed' }, 'Closed', '已办结'],
    ] as const;
    const en = translatorFor('en');
    const zh = translatorFor('zh_CN');
    for (const [review, english, chinese] of cases) {
      expect(reviewStatusText(en, review)).toBe(english);
      expect(reviewStatusText(zh, review)).toBe(chinese);
    }
  });

  it('cuts a long public note on a character boundary', () => {
    expect(notePreview('短'.repeat(10), 5)).toBe('短短短短…');
    expect(notePreview('😀'.repeat(6), 5)).toBe('😀😀😀😀…');
    expect(notePreview('ok', 5)).toBe('ok');
  });

  it('notifies each closed report once, only while the permission is granted', async () => {
    const { db, clock, ids } = await delivered(1);
    const channel = statusChannel();
    channel.states.set(ids[0]!, { state: 'closed', outcome: 'removed', publicNote: 'Removed by the platform.', updatedAt: '2026-11-24T12:00:00.000Z' });
    clock.advance(10 * MINUTE);
    const closed = await readManyWithDeliveryState(db, (await checkStatuses({ db, clock, fetch: channel.fetch })).closed);
    const create = vi.fn(async (id: string) => id);
    let granted = false;
    const apis = { permissions: { contains: async () => granted }, notifications: { create } };
    await notifyClosed(apis, translatorFor('en'), 'icon.png', closed);
    expect(create).not.toHaveBeenCalled();
    granted = true;
    await notifyClosed(apis, translatorFor('en'), 'icon.png', closed);
    expect(create).toHaveBeenCalledWith(`flagline-closed-${ids[0]}`, {
      type: 'basic',
      iconUrl: 'icon.png',
      title: 'Flagline: Closed: removed',
      message: 'Removed by the platform.',
      contextMessage: `FL-${ids[0]!.slice(-4)}`,
    });
  });
});
