import { describe, expect, it, vi } from 'vitest';
import { FlaglineDB } from '@/utils/db';
import { SET_ASIDE_KEY, STATUS_SET_ASIDE_KEY } from '@/utils/db-upgrades';
import type { StatusPage } from '@/utils/schema/record';
import { bookRevision, readStatusBook } from '@/utils/status/book';
import { pagesFromRows } from '@/utils/status/columns';

/**
 * A database exactly as each earlier released schema version wrote it, created with the raw
 * IndexedDB API (Dexie stores version N as IndexedDB version N × 10). When a version is added to
 * utils/db.ts, add the previous one here: every row must survive the upgrade.
 */
const RELEASED_SCHEMAS: Record<number, Record<string, { keyPath: string | string[] | null; autoIncrement?: boolean; indexes: string[] }>> = {
  1: {
    reports: { keyPath: 'id', indexes: ['status', 'createdAt', 'nextAttemptAt'] },
    ledger: { keyPath: 'seq', autoIncrement: true, indexes: ['reportId', 'at'] },
    keyValue: { keyPath: 'key', indexes: [] },
  },
  // Issue 3: picks waiting for their form, and their evidence bytes.
  2: {
    reports: { keyPath: 'id', indexes: ['status', 'createdAt', 'nextAttemptAt'] },
    ledger: { keyPath: 'seq', autoIncrement: true, indexes: ['reportId', 'at'] },
    keyValue: { keyPath: 'key', indexes: [] },
    captures: { keyPath: 'id', indexes: ['tabId', 'createdAt'] },
    artifacts: { keyPath: ['captureId', 'name'], indexes: ['captureId'] },
  },
  // Issue 4: the outbox claims from a [status+createdAt] index.
  3: {
    reports: { keyPath: 'id', indexes: ['status', 'createdAt', 'nextAttemptAt', '[status+createdAt]'] },
    ledger: { keyPath: 'seq', autoIncrement: true, indexes: ['reportId', 'at'] },
    keyValue: { keyPath: 'key', indexes: [] },
    captures: { keyPath: 'id', indexes: ['tabId', 'createdAt'] },
    artifacts: { keyPath: ['captureId', 'name'], indexes: ['captureId'] },
  },
  // Issue 5: ledger lines inside their report, a lease row per batch in flight.
  4: {
    reports: { keyPath: 'id', indexes: ['createdAt', '[status+createdAt]'] },
    keyValue: { keyPath: 'key', indexes: [] },
    captures: { keyPath: 'id', indexes: ['tabId', 'createdAt'] },
    artifacts: { keyPath: ['captureId', 'name'], indexes: ['captureId'] },
    leases: { keyPath: 'id', indexes: [] },
  },
  // Issue 18: the status book, a page per 100 entries with an object per entry.
  5: {
    reports: { keyPath: 'id', indexes: ['createdAt', '[status+createdAt]'] },
    keyValue: { keyPath: 'key', indexes: [] },
    captures: { keyPath: 'id', indexes: ['tabId', 'createdAt'] },
    artifacts: { keyPath: ['captureId', 'name'], indexes: ['captureId'] },
    leases: { keyPath: 'id', indexes: [] },
    statusPages: { keyPath: 'key', indexes: [] },
  },
};

/** The sample as each version stores it: since version 4 the ledger lines are in their report. */
const sampleRows = (version: number): Record<string, object[]> =>
  version < 4
    ? SAMPLE_ROWS
    : {
        reports: SAMPLE_ROWS.reports.map((r) => ({ ...r, ledger: SAMPLE_ROWS.ledger.map(({ reportId: _id, ...line }) => line) })),
        keyValue: SAMPLE_ROWS.keyValue,
      };

const SAMPLE_ROWS = {
  reports: [{ id: '11111111-1111-4111-8111-111111111111', status: 'waiting', createdAt: 1, nextAttemptAt: 1, report: { explanation: '保留' } }],
  ledger: [
    { reportId: '11111111-1111-4111-8111-111111111111', at: 2, outcome: 'retry', endpoint: 'https://r.example/' },
    { reportId: '11111111-1111-4111-8111-111111111111', at: 3, outcome: 'accepted', endpoint: 'https://r.example/', receipt: 'R-1' },
  ],
  keyValue: [{ key: 'settings.user', value: { endpointUrl: 'https://r.example/' } }],
};

function createReleasedDatabase(name: string, version: number, rows: Record<string, object[]> = sampleRows(version)): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(name, version * 10);
    request.onupgradeneeded = () => {
      const db = request.result;
      for (const [store, def] of Object.entries(RELEASED_SCHEMAS[version]!)) {
        const objectStore = db.createObjectStore(store, { keyPath: def.keyPath, autoIncrement: def.autoIncrement ?? false });
        // Dexie names a compound index `[a+b]` and keys it on ['a', 'b'].
        for (const index of def.indexes) objectStore.createIndex(index, index.startsWith('[') ? index.slice(1, -1).split('+') : index);
      }
    };
    request.onsuccess = () => {
      const db = request.result;
      const tx = db.transaction(Object.keys(rows), 'readwrite');
      for (const [store, list] of Object.entries(rows)) for (const row of list) tx.objectStore(store).add(row);
      tx.oncomplete = () => {
        db.close();
        resolve();
      };
      tx.onerror = () => reject(tx.error ?? new Error('IndexedDB request failed'));
    };
    request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
  });
}

describe('database upgrades', () => {
  for (const version of Object.keys(RELEASED_SCHEMAS).map(Number)) {
    it(`keeps every row written by schema version ${version}`, async () => {
      const name = `upgrade-from-${version}-${crypto.randomUUID()}`;
      await createReleasedDatabase(name, version);
      const db = new FlaglineDB(name);
      // Since version 4 each report carries its own ledger lines, in the order they were written.
      const lines = SAMPLE_ROWS.ledger.map(({ reportId: _id, ...line }) => line);
      expect(await db.reports.toArray()).toEqual(SAMPLE_ROWS.reports.map((r) => ({ ...r, ledger: lines })));
      expect(await db.keyValue.toArray()).toEqual(SAMPLE_ROWS.keyValue);
      expect(db.verno).toBeGreaterThanOrEqual(version);
      db.close();
    });
  }

  it('puts reports a version-3 worker left sending back to waiting, with their frozen body', async () => {
    const name = `upgrade-sending-${crypto.randomUUID()}`;
    const sending = { ...SAMPLE_ROWS.reports[0]!, status: 'sending', lease: { owner: 'old-worker', until: 9 }, wireBody: '{"frozen":1}' };
    await createReleasedDatabase(name, 3, { reports: [sending], ledger: [], keyValue: [] });
    const db = new FlaglineDB(name);
    const { lease: _lease, ...rest } = sending;
    expect(await db.reports.toArray()).toEqual([{ ...rest, status: 'waiting' }]);
    expect(await db.leases.count()).toBe(0);
    db.close();
  });

  it('declares no version below the newest released one', () => {
    const db = new FlaglineDB(`verno-${crypto.randomUUID()}`);
    expect(db.verno).toBeGreaterThanOrEqual(Math.max(...Object.keys(RELEASED_SCHEMAS).map(Number)));
  });
});

describe('the version 4 upgrade checks the rows it reads with the schemas', () => {
  const id = SAMPLE_ROWS.reports[0]!.id;

  it('sets a ledger line that fails its schema aside, raw, in keyValue instead of moving it into the record (nothing is lost)', async () => {
    const name = `upgrade-bad-line-${crypto.randomUUID()}`;
    const bad = { reportId: id, at: 'yesterday', outcome: 'retry', endpoint: 'https://r.example/' };
    await createReleasedDatabase(name, 3, { ...SAMPLE_ROWS, ledger: [SAMPLE_ROWS.ledger[0]!, bad] });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const db = new FlaglineDB(name);
    const { reportId: _id, ...good } = SAMPLE_ROWS.ledger[0]!;
    expect((await db.reports.get(id))?.ledger).toEqual([good]);
    const setAside = (await db.keyValue.get(SET_ASIDE_KEY))?.value as { ledger: Array<{ row: Record<string, unknown>; reason: string }> };
    expect(setAside.ledger).toHaveLength(1);
    expect(setAside.ledger[0]!.row).toMatchObject(bad);
    expect(setAside.ledger[0]!.reason).toMatch(/at/);
    expect(warn).toHaveBeenCalled();
    db.close();
  });

  it('leaves a report whose status is not a delivery state exactly as it was, and sets its ledger lines aside', async () => {
    const name = `upgrade-bad-report-${crypto.randomUUID()}`;
    const odd = { ...SAMPLE_ROWS.reports[0]!, status: 'lost-in-transit' };
    await createReleasedDatabase(name, 3, { ...SAMPLE_ROWS, reports: [odd] });
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const db = new FlaglineDB(name);
    expect(await db.reports.toArray()).toEqual([odd]);
    const setAside = (await db.keyValue.get(SET_ASIDE_KEY))?.value as { ledger: Array<{ row: Record<string, unknown> }> };
    expect(setAside.ledger.map((l) => l.row.at)).toEqual([2, 3]);
    db.close();
  });

  it('writes nothing aside when every row is readable', async () => {
    const name = `upgrade-clean-${crypto.randomUUID()}`;
    await createReleasedDatabase(name, 3);
    const db = new FlaglineDB(name);
    expect(await db.keyValue.get(SET_ASIDE_KEY)).toBeUndefined();
    db.close();
  });
});

describe('the version 5 upgrade moves status tokens, schedules and reviews into the status book', () => {
  const id = SAMPLE_ROWS.reports[0]!.id;
  const sentAt = Date.UTC(2026, 11, 1, 9);
  const tracked = {
    ...SAMPLE_ROWS.reports[0]!,
    status: 'sent',
    updatedAt: sentAt,
    attempts: 1,
    sentAt,
    endpoint: 'https://r.example/v1/reports',
    ledger: [{ at: sentAt, endpoint: 'https://r.example/v1/reports', outcome: 'accepted' }],
    statusToken: 'st_0123456789abcdef0123',
    statusCheck: { step: 2, nextAt: sentAt + 6 * 3600_000 },
    review: { state: 'in_review', updatedAt: '2026-12-01T10:00:00.000Z', learntAt: sentAt + 600_000 },
  };

  it('on the page of the day the report was sent; the record keeps its ledger, and shows the same review', async () => {
    const name = `upgrade-status-${crypto.randomUUID()}`;
    // Reviewed by a device that exported it: an imported review has no token and stays in its record.
    const imported = { ...SAMPLE_ROWS.reports[0]!, id: '22222222-2222-4222-8222-222222222222', status: 'sent', review: tracked.review };
    await createReleasedDatabase(name, 4, { reports: [tracked, imported], keyValue: [] });
    const db = new FlaglineDB(name);
    const { statusToken, statusCheck, review, ...rest } = tracked;
    expect(await db.reports.get(id)).toEqual(rest);
    expect(await db.reports.get(imported.id)).toEqual(imported);
    expect(pagesFromRows(await db.statusPages.where('key').startsWith('2026-12-01/').toArray())).toEqual([
      {
        key: '2026-12-01/0001',
        entries: { [id]: { url: 'https://r.example/v1/reports/status', token: statusToken, createdAt: 1, check: statusCheck, review } },
      },
    ]);
    expect((await readStatusBook(db)).get(id)?.review).toEqual(review);
    db.close();
  });

  it('leaves a report whose status fields fail the schema exactly as it was', async () => {
    const name = `upgrade-status-bad-${crypto.randomUUID()}`;
    const odd = { ...tracked, statusToken: 'short' };
    await createReleasedDatabase(name, 4, { reports: [odd], keyValue: [] });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const db = new FlaglineDB(name);
    expect(await db.reports.toArray()).toEqual([odd]);
    expect(await db.statusPages.count()).toBe(0);
    expect(warn).toHaveBeenCalled();
    db.close();
  });
});

describe('the version 6 upgrade stores the status book in columns', () => {
  const url = 'https://r.example/v1/reports/status';
  const review = { state: 'closed', outcome: 'removed', publicNote: '已删除 <b>', updatedAt: '2026-12-01T10:00:00.000Z', learntAt: 5 } as const;
  const line = { at: 4, endpoint: url, outcome: 'status', review: { state: 'in_review' } } as const;
  const pages: StatusPage[] = [
    { key: '!revision', rev: 7, entries: {} },
    {
      key: '2026-12-01/0001',
      entries: {
        '11111111-1111-4111-8111-111111111111': { url, token: 'st_0123456789abcdef0123', createdAt: 1, check: { step: 2, nextAt: 9 } },
        '22222222-2222-4222-8222-222222222222': { url: 'https://other.example/status', token: 'st_0123456789abcdef0456', createdAt: 2, review, lines: [line] },
      },
    },
  ];

  it('keeps every entry of version 5, and the revision, read back as they were', async () => {
    const name = `upgrade-columns-${crypto.randomUUID()}`;
    await createReleasedDatabase(name, 5, { ...sampleRows(5), statusPages: pages });
    const db = new FlaglineDB(name);
    // Both rows of the page; the revision page has one.
    expect((await db.statusPages.toArray()).map((row) => row.key)).toEqual(['!revision', '2026-12-01/0001', '2026-12-01/0001:state']);
    expect(Object.fromEntries(await readStatusBook(db))).toEqual(pages[1]!.entries);
    expect(await bookRevision(db.statusPages)).toBe(7);
    expect(await db.keyValue.get(STATUS_SET_ASIDE_KEY)).toBeUndefined();
    db.close();
  });

  it('sets an entry that fails its schema aside, raw, in keyValue, and keeps the rest of its page', async () => {
    const name = `upgrade-columns-bad-${crypto.randomUUID()}`;
    const odd = { url, token: 'short', createdAt: 3 };
    const page = { ...pages[1]!, entries: { ...pages[1]!.entries, '33333333-3333-4333-8333-333333333333': odd } };
    await createReleasedDatabase(name, 5, { ...sampleRows(5), statusPages: [page] });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const db = new FlaglineDB(name);
    expect(Object.fromEntries(await readStatusBook(db))).toEqual(pages[1]!.entries);
    expect(await db.keyValue.get(STATUS_SET_ASIDE_KEY)).toEqual({
      key: STATUS_SET_ASIDE_KEY,
      value: [{ page: page.key, id: '33333333-3333-4333-8333-333333333333', entry: odd, reason: expect.any(String) }],
    });
    expect(warn).toHaveBeenCalled();
    db.close();
  });
});
