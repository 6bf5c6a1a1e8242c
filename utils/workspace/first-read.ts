import type { ReportRecord } from '../schema/record';

/**
 * The workspace's very first read (bench figure `workspace.render10kMs`), made with IndexedDB itself
 * so that it can start in the page's first, tiny script — before Dexie, Preact and the workspace
 * code have even loaded — and run in the browser while they load. It reads exactly what
 * `readFirstSlice` (open.ts) reads through Dexie: the newest reports by the `createdAt` index,
 * newest first. Dexie stays the one owner of the schema: this read never creates, upgrades or
 * writes the database, and it lets go of its connection as soon as it has its rows.
 */

/** The database `FlaglineDB` opens by default (tests/unit/workspace-first-read.test.ts checks they agree). */
export const DATABASE_NAME = 'flagline';

/** `IDBIndex.getAllRecords` (Chromium 141+): one request for the whole slice instead of a cursor step per row. */
interface RecordsIndex {
  getAllRecords?: (options: { direction: IDBCursorDirection; count: number }) => IDBRequest<{ value: ReportRecord }[]>;
}

/**
 * The newest `count` reports, newest first; `[]` when the database does not exist yet. Rejects on
 * anything unexpected (no `reports` store or `createdAt` index, a blocked or failed request): the
 * caller then reads through Dexie instead.
 */
export function readNewestReports(factory: IDBFactory, count: number, name = DATABASE_NAME): Promise<ReportRecord[]> {
  return new Promise((resolve, reject) => {
    let open: IDBOpenDBRequest;
    try {
      open = factory.open(name);
    } catch (error) {
      reject(error);
      return;
    }
    let created = false;
    // No such database: opening it without a version would create an empty one at version 1,
    // under Dexie's feet. Abort that creation instead; there are no reports to show.
    open.onupgradeneeded = () => {
      created = true;
      open.transaction?.abort();
    };
    open.onerror = (event) => {
      event.preventDefault();
      if (created) resolve([]);
      else reject(open.error ?? new Error('the database could not be opened'));
    };
    open.onblocked = () => reject(new Error('the database is being upgraded'));
    open.onsuccess = () => {
      const db = open.result;
      // A Dexie upgrade elsewhere (or in this page) must never wait for this connection.
      db.onversionchange = () => db.close();
      try {
        const tx = db.transaction('reports', 'readonly');
        const index = tx.objectStore('reports').index('createdAt');
        const records: ReportRecord[] = [];
        tx.oncomplete = () => {
          db.close();
          resolve(records);
        };
        tx.onabort = tx.onerror = () => {
          db.close();
          reject(tx.error ?? new Error('the first read was aborted'));
        };
        const bulk = (index as unknown as RecordsIndex).getAllRecords;
        if (typeof bulk === 'function' && count > 0) {
          const request = bulk.call(index, { direction: 'prev', count });
          request.onsuccess = () => {
            for (const record of request.result) records.push(record.value);
          };
          return;
        }
        if (count <= 0) return;
        const cursor = index.openCursor(null, 'prev');
        cursor.onsuccess = () => {
          const at = cursor.result;
          if (!at) return;
          records.push(at.value as ReportRecord);
          if (records.length < count) at.continue();
        };
      } catch (error) {
        db.close();
        reject(error);
      }
    };
  });
}
