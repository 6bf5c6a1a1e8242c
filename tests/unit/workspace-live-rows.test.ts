import { RangeSet } from 'dexie';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { putPages } from '@/utils/status/book';
import { touchedBy, watchAllRows } from '@/utils/workspace/live-rows';
import { toRow, type WorkspaceRow } from '@/utils/workspace/rows';
import { freshDb, testClock } from './helpers';
import { seedReport } from './workspace-support';

describe('what a committed write touched', () => {
  const reports = 'idb://flagline/reports/';

  it('names the reports written or deleted, key by key', () => {
    const touched = touchedBy({ [reports]: new RangeSet().addKeys(['a', 'b']), [`${reports}:dels`]: new RangeSet().addKey('c') }, 'flagline');
    expect(touched).toEqual({ all: false, ids: new Set(['a', 'b', 'c']), leases: false, statuses: false });
  });

  it('reads sets that came from another context, structured-cloned without their prototype', () => {
    const cloned = structuredClone({ [reports]: new RangeSet().addKeys(['x', 'y']) });
    expect(touchedBy(cloned, 'flagline')?.ids).toEqual(new Set(['x', 'y']));
  });

  it('asks for everything when a change covers a range (clear, range delete) or is unspecified', () => {
    expect(touchedBy({ [reports]: new RangeSet('a', 'z') }, 'flagline')?.all).toBe(true);
    expect(touchedBy({ [`${reports}:dels`]: new RangeSet(-Infinity, [[[]]]) }, 'flagline')?.all).toBe(true);
    expect(touchedBy({ all: new RangeSet(-Infinity, [[]]) }, 'flagline')?.all).toBe(true);
  });

  it('notices the lease table and the status book, and ignores other tables and other databases', () => {
    expect(touchedBy({ 'idb://flagline/leases/': new RangeSet().addKey('l1') }, 'flagline')).toEqual({
      all: false,
      ids: new Set(),
      leases: true,
      statuses: false,
    });
    expect(touchedBy({ 'idb://flagline/statusPages/': new RangeSet().addKey('2026-11-24/0001') }, 'flagline')).toEqual({
      all: false,
      ids: new Set(),
      leases: false,
      statuses: true,
    });
    expect(
      touchedBy({ 'idb://flagline/captures/': new RangeSet().addKey('c1'), 'idb://other/reports/': new RangeSet().addKey('r') }, 'flagline'),
    ).toBeUndefined();
  });
});

describe('the workspace list kept current', () => {
  const stops: Array<() => void> = [];
  afterEach(() => stops.splice(0).forEach((stop) => stop()));

  async function watch(count = 3) {
    const db = freshDb();
    const clock = testClock();
    const seeded = [];
    for (let i = 0; i < count; i++) {
      seeded.push(await seedReport(db, clock, { url: `https://a.example/${i}`, explanation: `report ${i}` }));
      clock.advance(60_000);
    }
    const toArray = vi.spyOn(db.reports, 'toArray');
    const bulkGet = vi.spyOn(db.reports, 'bulkGet');
    const updates: WorkspaceRow[][] = [];
    stops.push(
      watchAllRows(
        db,
        (record, leases) => toRow(record, undefined, leases),
        (rows) => updates.push(rows),
        (error) => {
          throw error;
        },
      ),
    );
    await vi.waitFor(() => expect(updates).toHaveLength(1));
    const latest = () => new Map(updates.at(-1)!.map((row) => [row.id, row]));
    return { db, clock, seeded, toArray, bulkGet, updates, latest };
  }

  it('reads every report once, then only the report an edit touched', async () => {
    const { db, seeded, toArray, bulkGet, updates, latest } = await watch();
    expect(updates[0]!.map((row) => row.id).sort()).toEqual(seeded.map((r) => r.id).sort());
    const [first, second] = seeded as [(typeof seeded)[0], (typeof seeded)[0]];
    await db.reports.update(second.id, { status: 'held', 'report.explanation': 'changed' } as never);
    await vi.waitFor(() => expect(latest().get(second.id)?.status).toBe('held'));
    expect(latest().get(second.id)?.explanation).toBe('changed');
    expect(latest().get(first.id)?.status).toBe('waiting');
    expect(latest().size).toBe(seeded.length);
    // The whole table was read once, at the start; the edit read back one report.
    expect(toArray).toHaveBeenCalledTimes(1);
    expect(bulkGet).toHaveBeenLastCalledWith([second.id]);
  });

  it('drops deleted reports and adds new ones', async () => {
    const { db, clock, seeded, toArray, latest } = await watch();
    await db.reports.delete(seeded[0]!.id);
    await vi.waitFor(() => expect(latest().has(seeded[0]!.id)).toBe(false));
    const added = await seedReport(db, clock, { url: 'https://b.example/new' });
    await vi.waitFor(() => expect(latest().get(added.id)?.url).toBe('https://b.example/new'));
    expect(latest().size).toBe(seeded.length);
    expect(toArray).toHaveBeenCalledTimes(1);
  });

  it('shows a report joining a batch as sending, acknowledged as sent, and waiting again when its lease is taken back', async () => {
    const { db, clock, seeded, toArray, latest } = await watch();
    const report = seeded[1]!;
    const lease = {
      id: 'l1',
      owner: 'w',
      until: clock() + 60_000,
      firstCreatedAt: report.createdAt,
      lastCreatedAt: report.createdAt,
      reports: [{ id: report.id, revision: 1 }],
    };
    await db.leases.add(lease);
    await vi.waitFor(() => expect(latest().get(report.id)?.status).toBe('sending'));
    await db.leases.put({ ...lease, acknowledged: { at: clock(), endpoint: 'https://r.example', results: [{ result: 'accepted', receipt: 'R-1' }] } });
    await vi.waitFor(() => expect(latest().get(report.id)).toMatchObject({ status: 'sent', receipt: 'R-1' }));
    await db.leases.delete('l1');
    await vi.waitFor(() => expect(latest().get(report.id)?.status).toBe('waiting'));
    expect(toArray).toHaveBeenCalledTimes(1);
  });

  it('shows what the channel said as the status book learns it, re-reading only that report', async () => {
    const { db, clock, seeded, toArray, bulkGet, latest } = await watch();
    const report = seeded[2]!;
    const entry = { url: 'https://r.example/status', token: 'st_0123456789abcdef', createdAt: report.createdAt };
    await putPages(db.statusPages, [{ key: '2026-11-24/0001', entries: { [report.id]: entry } }]);
    const review = { state: 'closed' as const, outcome: 'removed' as const, updatedAt: '2026-11-24T12:00:00Z', learntAt: clock() };
    const line = { at: clock(), endpoint: entry.url, outcome: 'status' as const, review: { state: 'closed' as const, outcome: 'removed' as const } };
    await putPages(db.statusPages, [{ key: '2026-11-24/0001', entries: { [report.id]: { ...entry, review, lines: [line] } } }]);
    await vi.waitFor(() => expect(latest().get(report.id)?.review).toEqual({ state: 'closed', outcome: 'removed' }));
    expect(latest().get(seeded[0]!.id)?.review).toBeUndefined();
    expect(toArray).toHaveBeenCalledTimes(1);
    expect(bulkGet).toHaveBeenLastCalledWith([report.id]);
    // A delivery's lease writes do not read the book again.
    const pages = vi.spyOn(db.statusPages, 'toArray');
    await db.leases.add({ id: 'l1', owner: 'w', until: clock() + 60_000, firstCreatedAt: 0, lastCreatedAt: 0, reports: [{ id: seeded[0]!.id, revision: 1 }] });
    await vi.waitFor(() => expect(latest().get(seeded[0]!.id)?.status).toBe('sending'));
    expect(pages).not.toHaveBeenCalled();
    expect(latest().get(report.id)?.review).toEqual({ state: 'closed', outcome: 'removed' });
  });

  it('reads the whole list again after a change it cannot pin to reports', async () => {
    const { db, toArray, latest } = await watch();
    await db.reports.clear();
    await vi.waitFor(() => expect(latest().size).toBe(0));
    expect(toArray).toHaveBeenCalledTimes(2);
  });

  it('stops when asked', async () => {
    const { db, seeded, updates } = await watch();
    stops.splice(0).forEach((stop) => stop());
    await db.reports.update(seeded[0]!.id, { status: 'held' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(updates).toHaveLength(1);
  });
});
