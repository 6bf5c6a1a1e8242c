import { describe, expect, it } from 'vitest';
import { DeliveryStatus } from '@/utils/schema/record';
import { findDuplicateGroups } from '@/utils/workspace/duplicates';
import { FIRST_SLICE, readFirstSlice, timeFormatter, within } from '@/utils/workspace/open';
import { DELIVERY_STATUSES, REVIEW_STATES, toRow } from '@/utils/workspace/rows';
import { REPORT_STATES } from '@/utils/schema/wire';
import { freshDb, testClock } from './helpers';
import { seedReport } from './workspace-support';

describe('opening the workspace (workspace.render10kMs)', () => {
  it('reads the newest reports first, newest first, at most FIRST_SLICE of them', async () => {
    const db = freshDb();
    const clock = testClock();
    const ids: string[] = [];
    for (let i = 0; i < FIRST_SLICE + 5; i++) {
      ids.push((await seedReport(db, clock, { explanation: `report ${i}` })).id);
      clock.advance(60_000);
    }
    const slice = await readFirstSlice(db);
    expect(slice.map((r) => r.id)).toEqual(ids.slice(-FIRST_SLICE).reverse());
    expect((await readFirstSlice(db, 3)).map((r) => r.id)).toEqual(ids.slice(-3).reverse());
  });

  it('waits for the first rows only so long, and never fails the start-up', async () => {
    await expect(within(Promise.resolve([1]), 50)).resolves.toEqual([1]);
    await expect(within(new Promise(() => undefined), 10)).resolves.toBeUndefined();
    await expect(within(Promise.reject(new Error('blocked')), 50)).resolves.toBeUndefined();
  });

  it('makes the date-time format once per language', () => {
    expect(timeFormatter('en')).toBe(timeFormatter('en'));
    expect(timeFormatter('zh-CN')).not.toBe(timeFormatter('en'));
  });

  it('lists the same delivery states as the schema, in its order', () => {
    expect([...DELIVERY_STATUSES]).toEqual(DeliveryStatus.options);
  });

  it('lists the same review states as the wire schema, in its order', () => {
    expect([...REVIEW_STATES]).toEqual([...REPORT_STATES]);
  });
});

describe('duplicates among workspace rows', () => {
  it('groups rows by the key made from their canonical URL and captured text', async () => {
    const db = freshDb();
    const clock = testClock();
    const url = 'https://news.example/p?id=7';
    const a = await seedReport(db, clock, { url });
    const b = await seedReport(db, clock, { url });
    const c = await seedReport(db, clock, { url });
    const d = await seedReport(db, clock, { url: 'https://m.news.example/p7' });
    const texts: Record<string, string> = { [a.id]: '假消息：某地地震', [b.id]: '另一段文字', [c.id]: '假消息：某地地震', [d.id]: '另一段文字' };
    const rows = [a, b, c, d].map((record) => {
      const withTarget = { ...record, report: { ...record.report, target: { ...record.report.target, ...(record.id === d.id ? { canonicalUrl: url } : {}) } } };
      return toRow(withTarget, texts[record.id]);
    });
    // Same URL, same category, but other captured text: not duplicates. Another URL with the
    // same canonical URL and text: a duplicate.
    const groups = [...findDuplicateGroups(rows, (row) => row.dupKey).values()].map((ids) => [...ids].sort());
    expect(groups.sort()).toEqual([[a.id, c.id].sort(), [b.id, d.id].sort()].sort());
  });
});
