import Dexie, { type EntityTable, type ObservabilitySet } from 'dexie';
import type { BatchLease, ReportRecord, StoredStatusRow } from './schema/record';
import type { ArtifactRow, CaptureRecord } from './evidence/store';

/** A stored key/value row (user settings and small internal state). */
export interface KeyValueRow {
  key: string;
  value: unknown;
}

/**
 * The extension's IndexedDB database. Content scripts run in the page's origin and cannot open
 * it, which is why secrets (the access token) live here and not in `storage.local`.
 *
 * Schema history: every version ever shipped stays declared, in order, and an upgrade only adds
 * or transforms — it never drops a table with data (tests/unit/db.test.ts opens a database
 * written by each earlier version and checks that every row survives).
 */
export class FlaglineDB extends Dexie {
  reports!: EntityTable<ReportRecord, 'id'>;
  keyValue!: EntityTable<KeyValueRow, 'key'>;
  /** Picks and context-menu captures waiting for their report form. */
  captures!: EntityTable<CaptureRecord, 'id'>;
  /** Evidence bytes of a capture (screenshots, crop, text), one row per artifact. */
  artifacts!: Dexie.Table<ArtifactRow, [string, string]>;
  /** Requests in flight, one row per batch (schema/record.ts BatchLease). */
  leases!: EntityTable<BatchLease, 'id'>;
  /** What this device may ask channels about delivered reports, in pages of 100 (utils/status/book.ts). */
  statusPages!: EntityTable<StoredStatusRow, 'key'>;

  constructor(name = 'flagline') {
    super(name);
    this.version(1).stores({
      reports: 'id, status, createdAt, nextAttemptAt',
      ledger: '++seq, reportId, at',
      keyValue: 'key',
    });
    // 2 (picker and evidence): picks waiting for their form, and evidence bytes.
    this.version(2).stores({
      captures: 'id, tabId, createdAt',
      artifacts: '[captureId+name], captureId',
    });
    // 3 (delivery engine): the outbox claims waiting reports oldest first straight from an index.
    this.version(3).stores({
      reports: 'id, status, createdAt, nextAttemptAt, [status+createdAt]',
    });
    // 4 (delivery speed): every index is written on every put, and the outbox puts each report
    // once per attempt. `status` is served by `[status+createdAt]` (Dexie queries a compound
    // index's first part as a virtual index) and `nextAttemptAt` was never queried: both go.
    // A batch in flight is one `leases` row instead of a `sending` write per report, so reports
    // a version-3 worker left `sending` go back to `waiting` (their bodies were frozen then).
    // Ledger lines move into their report's record (`ReportRecord.ledger`): recording an answer
    // is then one write per report, not two. Every line moves (or, unreadable, is set aside) before
    // the table goes.
    this.version(4)
      .stores({
        reports: 'id, createdAt, [status+createdAt]',
        leases: 'id',
        ledger: null,
      })
      // The transform checks the rows it reads with the zod schemas (utils/db-upgrades.ts); it
      // loads only when an upgrade runs, with the transaction kept open meanwhile.
      .upgrade(async (tx) => (await Dexie.waitFor(import('./db-upgrades'))).upgradeToV4(tx));
    // 5 (reporter feedback): status tokens, schedules and reviews move out of the report records
    // into the status book, so a round of status checks writes a page per 100 reports, not a
    // record per report (utils/status/book.ts).
    this.version(5)
      .stores({ statusPages: 'key' })
      .upgrade(async (tx) => (await Dexie.waitFor(import('./db-upgrades'))).upgradeToV5(tx));
    // 6 (status speed): the status book's pages are stored in columns, not an object per entry, in
    // two rows — what is written once and what each round of status checks rewrites; a round
    // reads them in half the time and writes only the second row, about a third of a page's bytes
    // (utils/status/columns.ts).
    this.version(6)
      .stores({})
      .upgrade(async (tx) => (await Dexie.waitFor(import('./db-upgrades'))).upgradeToV6(tx));
  }
}

export function openDatabase(name?: string): FlaglineDB {
  return new FlaglineDB(name);
}

/**
 * Committed writes, in this context or another: Dexie's global `storagemutated` event, which
 * names the tables and primary keys each commit touched. Returns a function that stops listening.
 */
export type MutationSource = (listener: (parts: ObservabilitySet) => void) => () => void;

export const dexieMutations: MutationSource = (listener) => {
  Dexie.on('storagemutated', listener);
  return () => Dexie.on('storagemutated').unsubscribe(listener);
};
