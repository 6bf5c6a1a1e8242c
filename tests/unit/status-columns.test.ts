import { describe, expect, it } from 'vitest';
import type { StatusPage } from '@/utils/schema/record';
import { pageFromColumns, pageToColumns } from '@/utils/status/columns';

const url = 'https://desk.example/v1/reports/status';

describe('a status page in columns', () => {
  it('reads back exactly the page it was made of, whatever each entry holds', () => {
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
    const stored = pageToColumns(page);
    expect(stored.ids).toEqual(['a', 'b', 'c', 'd']);
    expect(stored.urls).toEqual([url, 'https://other.example/status']);
    expect(structuredClone(pageFromColumns(stored))).toStrictEqual(page);
  });

  it('keeps a revision page as one without entries', () => {
    const page: StatusPage = { key: '!revision', rev: 4, entries: {} };
    expect(pageFromColumns(pageToColumns(page))).toStrictEqual(page);
  });
});
