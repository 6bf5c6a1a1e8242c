import type { EntityTable } from 'dexie';
import type { FlaglineDB } from '../db';
import type { LedgerLine, ReportRecord, ReviewStatus, StatusEntry, StatusPage, StoredStatusPage, StoredStatusRow } from '../schema/record';
import { STATUS_BATCH_MAX, type ReportStatus } from '../schema/wire';
import { entriesFromRows, pageRow, pageRows, pagesFromRows, stateKeyOf, stateRow } from './columns';
import { firstStatusCheck, STATUS_MAX_AGE_MS, statusUrlOf } from './schedule';

/**
 * The status book (schema version 5): what this device may ask channels about delivered reports
 * and what it learnt, in pages of up to 100 entries keyed by report id — the reports one status
 * request asks about.
 *
 * Why pages, not a field of each record: a round of status checks changes the schedule of every
 * report it asks about. Written into the records that was a put per report — for 1,000 reports
 * about 250 ms in Chromium against 60 ms for the requests themselves. A round writes only the
 * pages it touched, about one per request (utils/status/check.ts). A page holds
 * reports acknowledged on one UTC day; asking stops 30 days after a report was made, so a round
 * reads only the pages of the last 31 days, and older pages are read only for display.
 *
 * Since schema version 6 a page is stored in columns, in two rows: what is written once and what
 * each round rewrites (utils/status/columns.ts). The functions here are the only ones that read or
 * write the table; they hand out pages.
 */

/** The table of the book, as stored: two rows per page. */
export type StatusPageTable = EntityTable<StoredStatusRow, 'key'>;

/** Entries per page: one status request's worth. */
const STATUS_PAGE_SIZE = STATUS_BATCH_MAX;

/** The day (UTC) of the pages of reports acknowledged at `at`. */
export const pageDay = (at: number) => new Date(at).toISOString().slice(0, 10);

/** `2026-12-06` and 1 → `2026-12-06/0001`: keys sort by day, then number. */
const pageKey = (day: string, number: number) => `${day}/${String(number).padStart(4, '0')}`;

/** The rows of the pages of reports acknowledged on `day`, in order. */
const rowsOfDay = (table: StatusPageTable, day: string) => table.where('key').startsWith(`${day}/`).toArray();

/** The pages of reports acknowledged on `day`, in order. */
const pagesOfDay = async (table: StatusPageTable, day: string) => pagesFromRows(await rowsOfDay(table, day));

/** The days whose pages can hold these reports' entries: those they were sent. */
const sentDays = (records: ReadonlyArray<Pick<ReportRecord, 'sentAt'>>) => [
  ...new Set(records.flatMap((record) => (record.sentAt === undefined ? [] : [pageDay(record.sentAt)]))),
];

/** The pages that can hold a report still asked about at `now`. */
export async function askablePages(db: FlaglineDB, now: number): Promise<StatusPage[]> {
  // One request for both rows of every page: they are read as one, never one written after the other.
  const rows = await db.statusPages
    .where('key')
    .aboveOrEqual(pageDay(now - STATUS_MAX_AGE_MS))
    .toArray();
  return pagesFromRows(rows);
}

/** The pages under these keys, in their order (undefined: no such page). */
export async function readPages(table: StatusPageTable, keys: readonly string[]): Promise<Array<StatusPage | undefined>> {
  const pages = new Map(pagesFromRows(await table.bulkGet(keys.flatMap((key) => [key, stateKeyOf(key)]))).map((page) => [page.key, page]));
  return keys.map((key) => pages.get(key));
}

/**
 * The entries of the book by report id, for display: every entry, or with `of` only the pages
 * that can hold these reports' entries (those of the days they were sent), so showing ten
 * reports never reads a year of pages.
 */
export async function readStatusBook(db: FlaglineDB, of?: ReadonlyArray<Pick<ReportRecord, 'sentAt'>>): Promise<Map<string, StatusEntry>> {
  const rows = of ? (await Promise.all(sentDays(of).map((day) => rowsOfDay(db.statusPages, day)))).flat() : await db.statusPages.toArray();
  return entriesFromRows(rows);
}

/** A report the endpoint just acknowledged, with what it gave for asking later. */
export interface Trackable {
  record: Pick<ReportRecord, 'id' | 'createdAt' | 'endpoint'>;
  at: number;
  statusToken?: string;
  statusUrl?: string;
}

/**
 * Starts asking about reports just acknowledged with a status token: first check 10 minutes
 * later. The one place an entry is made; runs inside the caller's transaction (which includes
 * `statusPages`), the one that marks the reports sent.
 */
export async function trackStatuses(db: FlaglineDB, acknowledged: readonly Trackable[]): Promise<void> {
  const added: NewEntry[] = [];
  for (const { record, at, statusToken, statusUrl } of acknowledged) {
    // A channel that gives no token simply has no live status.
    const url = statusToken ? statusUrlOf({ statusUrl, endpoint: record.endpoint }) : undefined;
    if (statusToken && url) added.push({ id: record.id, at, entry: { url, token: statusToken, createdAt: record.createdAt, check: firstStatusCheck(at) } });
  }
  await addEntries(db.statusPages, added);
}

/** An entry for the page of the day its report was acknowledged (`at`). */
export interface NewEntry {
  id: string;
  at: number;
  entry: StatusEntry;
}

/**
 * Adds entries to the last page of their day while it has room, then to new pages. Also used by
 * the version-5 upgrade (utils/db-upgrades.ts), hence the table rather than the database.
 */
export async function addEntries(table: StatusPageTable, added: readonly NewEntry[]): Promise<void> {
  const byDay = new Map<string, NewEntry[]>();
  for (const item of added) {
    const group = byDay.get(pageDay(item.at)) ?? [];
    group.push(item);
    byDay.set(pageDay(item.at), group);
  }
  const written: StatusPage[] = [];
  for (const [day, items] of byDay) {
    const pages = await pagesOfDay(table, day);
    let page = pages.at(-1);
    let number = pages.length;
    for (const { id, entry } of items) {
      if (!page || Object.keys(page.entries).length >= STATUS_PAGE_SIZE) {
        page = { key: pageKey(day, ++number), entries: {} };
        written.push(page);
      } else if (!written.includes(page)) written.push(page);
      page.entries[id] = entry;
    }
  }
  await putPages(table, written);
}

/**
 * The book's revision, one up with every write of pages: in a page without entries under a key
 * that sorts before every day, so no query of days or of the last 31 days reads it. A round of
 * status checks reads it with the pages at its start and, storing its answers, reads the pages
 * again only when it moved meanwhile (a report delivered or deleted) — not every time.
 */
const REVISION_KEY = '!revision';

/** The book's revision (0 before the first write). */
export async function bookRevision(table: StatusPageTable): Promise<number> {
  return ((await table.get(REVISION_KEY)) as StoredStatusPage | undefined)?.rev ?? 0;
}

/** The book's revision page, at `rev`. */
const revisionRow = (rev: number) => pageRow({ key: REVISION_KEY, rev, entries: {} });

/**
 * Writes pages of the book and moves its revision one up. The one place pages are written. Runs
 * inside the caller's transaction (which includes `statusPages`).
 */
export async function putPages(table: StatusPageTable, pages: readonly StatusPage[]): Promise<void> {
  if (pages.length === 0) return;
  await table.bulkPut([...pages.flatMap(pageRows), revisionRow((await bookRevision(table)) + 1)]);
}

/**
 * {@link putPages} for pages of which only what a round of status checks changes changed (schedules,
 * reviews, ledger lines), not which reports they hold: writes only their state rows. The caller
 * read the pages at book revision `revision` and knows it still stands — read in this transaction,
 * or checked in it (utils/status/check.ts) — so the pages' other rows are as it read them.
 */
export async function putPageStates(table: StatusPageTable, pages: readonly StatusPage[], revision: number): Promise<void> {
  if (pages.length === 0) return;
  await table.bulkPut([...pages.map(stateRow), revisionRow(revision + 1)]);
}

/** A deleted report's entry, kept by the page until its Undo expires. */
export interface ForgottenStatus {
  page: string;
  id: string;
  entry: StatusEntry;
}

/**
 * Removes the entries of deleted reports (no more asking about them) and returns them for an
 * undo. Runs inside the caller's transaction. An entry is on a page of its report's `sentAt` day.
 */
export async function forgetStatuses(db: FlaglineDB, records: ReadonlyArray<Pick<ReportRecord, 'id' | 'sentAt'>>): Promise<ForgottenStatus[]> {
  const forgotten: ForgottenStatus[] = [];
  const changed: StatusPage[] = [];
  for (const day of sentDays(records)) {
    for (const page of await pagesOfDay(db.statusPages, day)) {
      for (const { id } of records) {
        const entry = page.entries[id];
        if (!entry) continue;
        forgotten.push({ page: page.key, id, entry });
        delete page.entries[id];
        if (!changed.includes(page)) changed.push(page);
      }
    }
  }
  await putPages(db.statusPages, changed);
  return forgotten;
}

/** Undo of {@link forgetStatuses}. Runs inside the caller's transaction. */
export async function restoreStatuses(db: FlaglineDB, forgotten: readonly ForgottenStatus[]): Promise<void> {
  const keys = [...new Set(forgotten.map((item) => item.page))];
  if (keys.length === 0) return;
  const pages = await readPages(db.statusPages, keys);
  const byKey = new Map(keys.map((key, i) => [key, pages[i] ?? { key, entries: {} }]));
  for (const { page, id, entry } of forgotten) byKey.get(page)!.entries[id] = entry;
  await putPages(db.statusPages, [...byKey.values()]);
}

/** The ledger line of a review change: what the channel said, at the time it was learnt. */
const reviewLine = (url: string, review: ReviewStatus): LedgerLine => ({
  at: review.learntAt,
  endpoint: url,
  outcome: 'status',
  review: { state: review.state, ...(review.outcome ? { outcome: review.outcome } : {}) },
});

/**
 * Records what the channel said about a report: the review status with the time it was learnt,
 * when anything changed. The one place a review status is written. Returns whether it changed.
 *
 * Each change is a ledger line. The current review's line is not stored: it is the review itself
 * ({@link withReview} shows it), which keeps a round's pages about 30% smaller — most reports see
 * one or two changes. The review it replaces becomes a stored line (entries written before this
 * may hold it already).
 */
export function learnStatus(entry: StatusEntry, status: ReportStatus, at: number): boolean {
  const before = entry.review;
  const same =
    before?.state === status.state && before.outcome === status.outcome && before.publicNote === status.publicNote && before.updatedAt === status.updatedAt;
  if (same) return false;
  if (before && !entry.lines?.some((line) => line.at === before.learntAt)) entry.lines = [...(entry.lines ?? []), reviewLine(entry.url, before)];
  const review: ReviewStatus = { state: status.state, updatedAt: status.updatedAt, learntAt: at };
  if (status.outcome) review.outcome = status.outcome;
  if (status.publicNote) review.publicNote = status.publicNote;
  entry.review = review;
  return true;
}

/**
 * The report as the user should see it with what its channel said: the review status and the
 * ledger lines of its changes among the others, in time order — each change once, wherever it is
 * kept (a record upgraded from schema version 4 has its earlier ones). Never changes the stored record.
 */
export function withReview(record: ReportRecord, entry: StatusEntry | undefined): ReportRecord {
  if (!entry?.review && !entry?.lines?.length) return record;
  const shown = new Set(record.ledger?.flatMap((line) => (line.outcome === 'status' ? [line.at] : [])));
  const changes = [...(entry.lines ?? []), ...(entry.review ? [reviewLine(entry.url, entry.review)] : [])].filter(
    (line) => !shown.has(line.at) && shown.add(line.at),
  );
  const ledger = changes.length ? [...(record.ledger ?? []), ...changes].sort((a, b) => a.at - b.at) : record.ledger;
  return { ...record, ...(entry.review ? { review: entry.review } : {}), ...(ledger ? { ledger } : {}) };
}
