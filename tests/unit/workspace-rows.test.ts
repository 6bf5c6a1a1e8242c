import { describe, expect, it } from 'vitest';
import { dayEnd, dayStart, distinctSites, filterRows, toRow } from '@/utils/workspace/rows';
import { freshDb, testClock } from './helpers';
import { leaseView } from '@/utils/leases';
import { reportEvidence } from '@/utils/workspace/evidence';
import { loadExportItems } from '@/utils/workspace/export';
import { seedReport } from './workspace-support';

describe('workspace rows', () => {
  async function rows() {
    const db = freshDb();
    const clock = testClock();
    const a = await seedReport(db, clock, { url: 'https://b.example/1', title: '天气', explanation: '地震谣言', patch: { status: 'held' } });
    clock.advance(86_400_000);
    const b = await seedReport(db, clock, { url: 'https://a.example/2', category: 'minors', explanation: 'gambling ad', patch: { status: 'failed' } });
    clock.advance(86_400_000);
    const c = await seedReport(db, clock, { url: 'https://b.example/3?q=Target', explanation: '', patch: { status: 'sent' } });
    return { a: toRow(a), b: toRow(b), c: toRow(c), start: testClock()() };
  }

  it('filters by state, category, site, date and text (explanation, title, URL)', async () => {
    const { a, b, c, start } = await rows();
    const all = [a, b, c];
    const ids = (list: Array<{ id: string }>) => list.map((r) => r.id);
    expect(ids(filterRows(all, { status: 'held', sort: 'newest' }))).toEqual([a.id]);
    expect(ids(filterRows(all, { category: 'minors', sort: 'newest' }))).toEqual([b.id]);
    expect(ids(filterRows(all, { site: 'b.example', sort: 'newest' }))).toEqual([c.id, a.id]);
    expect(ids(filterRows(all, { from: start + 86_400_000, sort: 'oldest' }))).toEqual([b.id, c.id]);
    expect(ids(filterRows(all, { to: start + 1, sort: 'oldest' }))).toEqual([a.id]);
    expect(ids(filterRows(all, { query: '谣言', sort: 'newest' }))).toEqual([a.id]);
    expect(ids(filterRows(all, { query: '天气', sort: 'newest' }))).toEqual([a.id]);
    expect(ids(filterRows(all, { query: 'TARGET', sort: 'newest' }))).toEqual([c.id]);
  });

  it('filters and sorts by what the channel said (review status), reports without news last', async () => {
    const db = freshDb();
    const clock = testClock();
    const review = (state: 'in_review' | 'closed', outcome?: 'removed') => ({
      status: 'sent' as const,
      review: { state, ...(outcome ? { outcome } : {}), updatedAt: '2026-11-24T12:00:00.000Z', learntAt: clock() },
    });
    const closed = toRow(await seedReport(db, clock, { url: 'https://a.example/1', patch: review('closed', 'removed') }));
    clock.advance(1000);
    const quiet = toRow(await seedReport(db, clock, { url: 'https://a.example/2', patch: { status: 'sent' } }));
    clock.advance(1000);
    const reviewing = toRow(await seedReport(db, clock, { url: 'https://a.example/3', patch: review('in_review') }));
    const all = [closed, quiet, reviewing];
    const ids = (list: Array<{ id: string }>) => list.map((r) => r.id);
    expect(closed.review).toEqual({ state: 'closed', outcome: 'removed' });
    expect(ids(filterRows(all, { review: 'closed', sort: 'newest' }))).toEqual([closed.id]);
    expect(ids(filterRows(all, { review: 'none', sort: 'newest' }))).toEqual([quiet.id]);
    expect(ids(filterRows(all, { review: '', sort: 'newest' }))).toEqual([reviewing.id, quiet.id, closed.id]);
    expect(ids(filterRows(all, { sort: 'review' }))).toEqual([reviewing.id, closed.id, quiet.id]);
  });

  it('shows reports in flight as sending and reports acknowledged but not yet applied as sent, in the list and in exports', async () => {
    const db = freshDb();
    const clock = testClock();
    const flying = await seedReport(db, clock, { url: 'https://a.example/1' });
    const answered = await seedReport(db, clock, { url: 'https://a.example/2' });
    const lease = { owner: 'w', until: clock() + 60_000, firstCreatedAt: flying.createdAt, lastCreatedAt: answered.createdAt };
    await db.leases.bulkAdd([
      { ...lease, id: 'l1', reports: [{ id: flying.id, revision: 1 }] },
      {
        ...lease,
        id: 'l2',
        reports: [{ id: answered.id, revision: 1 }],
        acknowledged: { at: clock(), endpoint: 'https://r.example', results: [{ result: 'duplicate', receipt: 'R-9' }] },
      },
    ]);
    const view = leaseView(await db.leases.toArray());
    expect([toRow(flying, undefined, view).status, toRow(answered, undefined, view)]).toEqual([
      'sending',
      expect.objectContaining({ status: 'sent', receipt: 'R-9', attempts: 1 }),
    ]);
    const [item] = await loadExportItems(db, reportEvidence(db), [answered.id]);
    expect(item?.record.status).toBe('sent');
    expect(item?.ledger).toEqual([{ at: clock(), endpoint: 'https://r.example', outcome: 'duplicate', receipt: 'R-9' }]);
  });

  it('sorts by newest, oldest, site and state', async () => {
    const { a, b, c } = await rows();
    const ids = (list: Array<{ id: string }>) => list.map((r) => r.id);
    expect(ids(filterRows([a, b, c], { sort: 'newest' }))).toEqual([c.id, b.id, a.id]);
    expect(ids(filterRows([c, b, a], { sort: 'oldest' }))).toEqual([a.id, b.id, c.id]);
    expect(ids(filterRows([a, b, c], { sort: 'site' }))).toEqual([b.id, c.id, a.id]);
    expect(ids(filterRows([a, b, c], { sort: 'state' }))).toEqual([b.id, a.id, c.id]);
    expect(distinctSites([a, b, c])).toEqual(['a.example', 'b.example']);
  });

  it('turns date inputs into local day bounds', () => {
    expect(dayStart('2026-11-24')).toBe(new Date(2026, 10, 24).getTime());
    expect(dayEnd('2026-11-24')).toBe(new Date(2026, 10, 25).getTime());
    expect(dayStart('')).toBeUndefined();
  });
});
