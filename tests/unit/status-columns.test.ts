import { describe, expect, it } from 'vitest';
import type { StatusPage } from '@/utils/schema/record';
import { pageRows, pagesFromRows, stateKeyOf, stateRow } from '@/utils/status/columns';

const url = 'https://desk.example/v1/reports/status';

const page: StatusPage = {
  key: '2026-12-06/0001',
  entries: {
    a: { url, token: 'st_0123456789abcdef', createdAt: 1, check: { step: 0, nextAt: 600_001 } },
    b: {
      url,
      token: 'st_0123456789abcdeg',
      createdAt: 2,
      check: { step: 3, nextAt: 9 },
      review: { state: 'new', updatedAt: '2026-12-06T10:00:00Z', learntAt: 3 },
    },
    c: {
      url: 'https://other.example/status',
      token: 'st_0123456789abcdeh',
      createdAt: 3,
      review: { state: 'closed', outcome: 'no_violation', publicNote: '', updatedAt: 'x', learntAt: 4 },
      lines: [{ at: 2, endpoint: url, outcome: 'status', review: { state: 'in_review' } }],
    },
    d: {
      url,
      token: 'st_0123456789abcdei',
      createdAt: 4,
      review: { state: 'closed', outcome: 'duplicate', publicNote: '<b>重复</b>', updatedAt: '', learntAt: 0 },
    },
  },
};

describe('a status page in columns', () => {
  it('reads back exactly the page it was made of, whatever each entry holds', () => {
    const rows = pageRows(page);
    expect(rows.map((row) => row.key)).toEqual([page.key, stateKeyOf(page.key)]);
    expect(rows[0]).toMatchObject({ ids: ['a', 'b', 'c', 'd'], urls: [url, 'https://other.example/status'], url: [0, 0, 1, 0] });
    expect(structuredClone(pagesFromRows(rows))).toStrictEqual([page]);
    // Read in any order, as a key range or a bulkGet gives them.
    expect(pagesFromRows([...rows].reverse())).toStrictEqual([page]);
  });

  it('pairs each page with its own state row: a state row written alone replaces what rounds change', () => {
    const other: StatusPage = { key: '2026-12-06/0002', entries: { e: { url, token: 'st_0123456789abcdej', createdAt: 5, check: { step: 1, nextAt: 7 } } } };
    const asked = structuredClone(page);
    asked.entries.a = { ...asked.entries.a!, check: { step: 1, nextAt: 3_600_001 }, review: { state: 'in_review', updatedAt: 'y', learntAt: 5 } };
    const rows = [...pageRows(page), ...pageRows(other)];
    rows[1] = stateRow(asked);
    expect(pagesFromRows(rows)).toStrictEqual([asked, other]);
  });

  it('keeps the revision page as one row without entries', () => {
    const revision: StatusPage = { key: '!revision', rev: 4, entries: {} };
    expect(pageRows(revision)).toHaveLength(1);
    expect(pagesFromRows(pageRows(revision))).toStrictEqual([revision]);
  });

  it('an entry whose state row is missing is due now, as if just delivered', () => {
    const [row] = pageRows(page);
    expect(pagesFromRows([row])[0]!.entries.b).toEqual({ url, token: 'st_0123456789abcdeg', createdAt: 2, check: { step: 0, nextAt: 0 } });
  });
});
