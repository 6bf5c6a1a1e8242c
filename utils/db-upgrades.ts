import type { InsertType, Transaction } from 'dexie';
import { z } from 'zod';
import { fromLegacySending } from './reports/lifecycle';
import { LedgerLine, ReportRecord, StatusCheck, StatusEntry, type StoredStatusRow } from './schema/record';
import { pageRows } from './status/columns';
import { addEntries, type NewEntry } from './status/book';
import { statusUrlOf } from './status/schedule';

/**
 * The row transforms of database upgrades (utils/db.ts), with the rows they read checked by the
 * same zod schemas as every other boundary. Loaded only when an upgrade runs, so the schema
 * library stays off the pages' start-up path (`workspace.render10kMs`).
 *
 * A row that fails its schema is never lost and never half-transformed: a report row is left
 * exactly as it was, and a ledger line that cannot be moved (it fails `LedgerLine`, or its report
 * failed) is set aside, raw, in the `keyValue` row {@link SET_ASIDE_KEY}; each is logged.
 */
export const SET_ASIDE_KEY = 'upgrade.4.setAside';

/** Where version 6 sets aside a status entry it cannot read (see {@link upgradeToV6}). */
export const STATUS_SET_ASIDE_KEY = 'upgrade.6.setAside';

/** What version 4 reads of a report: the fields it transforms. Older rows lack later fields. */
const UpgradedReport = ReportRecord.pick({ id: true, status: true, ledger: true });

/** A line of the version-1 to -3 `ledger` table. */
const StoredLine = LedgerLine.extend({ seq: z.number(), reportId: z.string() });

interface SetAside {
  /** The ledger rows as they were stored, with why they were not moved. */
  ledger: Array<{ row: unknown; reason: string }>;
}

/**
 * Version 4: reports a version-3 worker left `sending` go back to `waiting`, and every ledger line
 * moves into its report's record, in the order it was written.
 */
export async function upgradeToV4(tx: Transaction): Promise<void> {
  const lines = new Map<string, Array<{ row: unknown; line: LedgerLine }>>();
  const setAside: SetAside = { ledger: [] };
  const rows = await tx.table<unknown, number>('ledger').orderBy('seq').toArray();
  for (const row of rows) {
    const parsed = StoredLine.safeParse(row);
    if (!parsed.success) {
      setAside.ledger.push({ row, reason: parsed.error.message });
      continue;
    }
    const { seq: _seq, reportId, ...line } = parsed.data;
    lines.set(reportId, [...(lines.get(reportId) ?? []), { row, line }]);
  }
  const refused: string[] = [];
  await tx
    .table<ReportRecord, string>('reports')
    .toCollection()
    .modify((record: ReportRecord) => {
      const checked = UpgradedReport.safeParse(record);
      if (!checked.success) {
        refused.push(String((record as { id?: unknown }).id));
        for (const { row } of lines.get(record.id) ?? []) setAside.ledger.push({ row, reason: `its report is unreadable: ${checked.error.message}` });
        return;
      }
      if (record.status === 'sending') fromLegacySending(record);
      const moved = lines.get(record.id);
      if (moved) record.ledger = [...(record.ledger ?? []), ...moved.map((m) => m.line)];
    });
  if (refused.length) console.warn(`Flagline database upgrade: ${refused.length} unreadable report(s) left as they were:`, refused);
  if (setAside.ledger.length) {
    console.warn(`Flagline database upgrade: ${setAside.ledger.length} ledger line(s) set aside under keyValue "${SET_ASIDE_KEY}".`);
    await tx.table('keyValue').put({ key: SET_ASIDE_KEY, value: setAside });
  }
}

/** What version 5 reads of a report that has a status token: the fields it moves. */
const TrackedReport = ReportRecord.pick({ id: true, createdAt: true, updatedAt: true, sentAt: true, endpoint: true, review: true }).extend({
  statusToken: StatusEntry.shape.token,
  statusUrl: z.string().optional(),
  statusCheck: StatusCheck.optional(),
});

/**
 * Version 5: a report's status token, schedule and review move from its record into the status
 * book (utils/status/book.ts), on the page of the day it was sent. Its ledger lines stay in the
 * record. A record that fails the schema keeps its fields (and is no longer asked about).
 */
export async function upgradeToV5(tx: Transaction): Promise<void> {
  const added: NewEntry[] = [];
  const refused: string[] = [];
  await tx
    .table<Record<string, unknown>, string>('reports')
    .filter((row) => row.statusToken !== undefined)
    .modify((row: Record<string, unknown>) => {
      const parsed = TrackedReport.safeParse(row);
      const url = parsed.success ? statusUrlOf(parsed.data) : undefined;
      if (!parsed.success || !url) {
        refused.push(String(row.id));
        return;
      }
      const record = parsed.data;
      added.push({
        id: record.id,
        at: record.sentAt ?? record.updatedAt,
        entry: {
          url,
          token: record.statusToken,
          createdAt: record.createdAt,
          ...(record.statusCheck ? { check: record.statusCheck } : {}),
          ...(record.review ? { review: record.review } : {}),
        },
      });
      for (const field of ['statusToken', 'statusUrl', 'statusCheck', 'review']) delete row[field];
    });
  await addEntries(tx.table<StoredStatusRow, string, InsertType<StoredStatusRow, 'key'>>('statusPages'), added);
  if (refused.length) console.warn(`Flagline database upgrade: ${refused.length} report(s) with an unreadable status left as they were:`, refused);
}

/** A page as version 5 stored it; its entries are checked one by one. */
const V5Page = z.object({ key: z.string(), rev: z.number().int().nonnegative().optional(), entries: z.record(z.string(), z.unknown()) });

/**
 * Version 6: the status book's pages are stored in columns, in two rows each (utils/status/columns.ts).
 * A page in version 5's form becomes the same page in rows; an entry that fails {@link StatusEntry}
 * is set aside, raw, in the `keyValue` row {@link STATUS_SET_ASIDE_KEY}, and a row that is no page
 * at all is left as it was; each is logged. Rows already in columns (written by this run's
 * version-5 upgrade, which uses today's writer) are left alone.
 */
export async function upgradeToV6(tx: Transaction): Promise<void> {
  const setAside: Array<{ page: string; id: string; entry: unknown; reason: string }> = [];
  const refused: unknown[] = [];
  const states: StoredStatusRow[] = [];
  await tx
    .table<Record<string, unknown>, string>('statusPages')
    .filter((row) => !Array.isArray(row.ids) && !Array.isArray(row.step))
    .modify((row, ref) => {
      const parsed = V5Page.safeParse(row);
      if (!parsed.success) {
        refused.push(row.key);
        return;
      }
      const entries: Record<string, StatusEntry> = {};
      for (const [id, raw] of Object.entries(parsed.data.entries)) {
        const entry = StatusEntry.safeParse(raw);
        if (entry.success) entries[id] = entry.data;
        else setAside.push({ page: parsed.data.key, id, entry: raw, reason: entry.error.message });
      }
      const [rewritten, ...rest] = pageRows({ ...parsed.data, entries });
      ref.value = rewritten!;
      states.push(...rest);
    });
  await tx.table<StoredStatusRow, string>('statusPages').bulkPut(states);
  if (refused.length) console.warn(`Flagline database upgrade: ${refused.length} unreadable status page(s) left as they were:`, refused);
  if (setAside.length) {
    console.warn(`Flagline database upgrade: ${setAside.length} status entr(y/ies) set aside under keyValue "${STATUS_SET_ASIDE_KEY}".`);
    await tx.table('keyValue').put({ key: STATUS_SET_ASIDE_KEY, value: setAside });
  }
}
