import { describe, expect, it } from 'vitest';
import { FlaglineDB } from '@/utils/db';
import { DATABASE_NAME, readNewestReports } from '@/utils/workspace/first-read';
import { FIRST_SLICE, readFirstSlice } from '@/utils/workspace/open';
import { freshDb, testClock } from './helpers';
import { seedReport } from './workspace-support';

/** Seeds `count` reports a minute apart (two of them at the same instant) and closes Dexie's connection. */
async function seeded(count: number) {
  const db = freshDb();
  const clock = testClock();
  for (let i = 0; i < count; i++) {
    await seedReport(db, clock, { explanation: `report ${i}` });
    if (i !== 3) clock.advance(60_000);
  }
  return db;
}

/** The same factory without `getAllRecords`, as in browsers before Chromium 141 and in Firefox. */
function withoutGetAllRecords(): IDBFactory {
  const proto = IDBIndex.prototype as unknown as { getAllRecords?: unknown };
  const original = proto.getAllRecords;
  return {
    open: (name: string) => {
      delete proto.getAllRecords;
      const request = indexedDB.open(name);
      const restore = () => {
        if (original) proto.getAllRecords = original;
      };
      request.addEventListener('success', () => setTimeout(restore, 50));
      request.addEventListener('error', restore);
      return request;
    },
  } as unknown as IDBFactory;
}

describe('the workspace first read, with IndexedDB itself (workspace.render10kMs)', () => {
  it('opens the database Dexie opens', () => {
    expect(new FlaglineDB().name).toBe(DATABASE_NAME);
  });

  it('reads the same rows as the Dexie read, in the same order, with and without getAllRecords', async () => {
    const db = await seeded(FIRST_SLICE + 7);
    const expected = (await readFirstSlice(db)).map((r) => r.id);
    expect(expected).toHaveLength(FIRST_SLICE);
    expect((await readNewestReports(indexedDB, FIRST_SLICE, db.name)).map((r) => r.id)).toEqual(expected);
    expect((await readNewestReports(withoutGetAllRecords(), FIRST_SLICE, db.name)).map((r) => r.id)).toEqual(expected);
    expect((await readNewestReports(indexedDB, 5, db.name)).map((r) => r.id)).toEqual(expected.slice(0, 5));
    expect((await readNewestReports(withoutGetAllRecords(), 5, db.name)).map((r) => r.id)).toEqual(expected.slice(0, 5));
    // Whole records, as stored.
    expect(await readNewestReports(indexedDB, 1, db.name)).toEqual([await db.reports.get(expected[0] as string)]);
  });

  it('finds nothing, and creates nothing, when the database does not exist yet', async () => {
    const name = `absent-${crypto.randomUUID()}`;
    await expect(readNewestReports(indexedDB, FIRST_SLICE, name)).resolves.toEqual([]);
    const names = (await indexedDB.databases()).map((d) => d.name);
    expect(names).not.toContain(name);
    // Dexie then creates it as usual, at its own version, with every table.
    const db = new FlaglineDB(name);
    await db.open();
    expect(db.tables.map((t) => t.name).sort()).toEqual(['artifacts', 'captures', 'keyValue', 'leases', 'reports', 'statusPages']);
    db.close();
  });

  it('lets go of its connection, so a Dexie upgrade never waits for it', async () => {
    const db = await seeded(3);
    db.close();
    await readNewestReports(indexedDB, FIRST_SLICE, db.name);
    const upgrade = await new Promise<string>((resolve) => {
      const request = indexedDB.open(db.name, 1000);
      request.onblocked = () => resolve('blocked');
      request.onsuccess = () => {
        request.result.close();
        resolve('opened');
      };
    });
    expect(upgrade).toBe('opened');
  });

  it('fails, for the Dexie read to take over, when the database lacks what it reads', async () => {
    const name = `other-${crypto.randomUUID()}`;
    await new Promise<void>((resolve) => {
      const request = indexedDB.open(name, 1);
      request.onupgradeneeded = () => request.result.createObjectStore('something-else');
      request.onsuccess = () => {
        request.result.close();
        resolve();
      };
    });
    await expect(readNewestReports(indexedDB, FIRST_SLICE, name)).rejects.toThrow();
  });
});
