import type { ReviewStatus, StatusEntry, StatusPage, StoredStatusPage, StoredStatusRow, StoredStatusState } from '../schema/record';
import { REPORT_OUTCOMES, REPORT_STATES } from '../schema/wire';

/**
 * The stored form of a status book page (schema version 6): columns, not an object per entry, in
 * two rows — what is written once (ids, tokens, addresses) and what each round of status checks
 * rewrites (schedules, reviews). The one place pages are turned into and out of that form
 * (utils/status/book.ts reads and writes only through these).
 *
 * Why: IndexedDB clones each object it writes or reads, and a round of status checks reads and
 * writes back what it learnt about up to 1,000 reports (`status.poll1000Ms`). Measured in a
 * Chromium service worker for 10 pages of 100 entries: writing 5.7 → 2.9 ms and reading
 * 3.4 → 1.5 ms in columns — an entry was three objects — and writing only the rewritten row,
 * 1.4–1.8 ms: the ids and tokens are most of a page's bytes.
 */

/** The key of a page's state row: it sorts right after the page's own key, before the next page's. */
export const STATE_KEY_SUFFIX = ':state';
export const stateKeyOf = (pageKey: string) => `${pageKey}${STATE_KEY_SUFFIX}`;
const isStateRow = (row: StoredStatusRow): row is StoredStatusState => String(row.key).endsWith(STATE_KEY_SUFFIX);

/** A page's written-once row. */
export function pageRow(page: StatusPage): StoredStatusPage {
  const row: StoredStatusPage = { key: page.key, ...(page.rev === undefined ? {} : { rev: page.rev }), ids: [], urls: [], url: [], token: [], createdAt: [] };
  const urlIndex = new Map<string, number>();
  for (const [id, entry] of Object.entries(page.entries)) {
    let url = urlIndex.get(entry.url);
    if (url === undefined) {
      url = row.urls.push(entry.url) - 1;
      urlIndex.set(entry.url, url);
    }
    row.ids.push(id);
    row.url.push(url);
    row.token.push(entry.token);
    row.createdAt.push(entry.createdAt);
  }
  return row;
}

/**
 * A page's state row, its entries in the order of {@link pageRow}'s (both follow the page's own
 * order, which reading a page keeps).
 */
export function stateRow(page: StatusPage): StoredStatusState {
  const row: StoredStatusState = { key: stateKeyOf(page.key), step: [], nextAt: [], state: [], outcome: [], updatedAt: [], learntAt: [], notes: {}, lines: {} };
  const { entries } = page;
  for (const id in entries) {
    const { check, review, lines } = entries[id]!;
    row.step.push(check ? check.step : -1);
    row.nextAt.push(check ? check.nextAt : 0);
    if (review) {
      row.state.push(REPORT_STATE_INDEX[review.state]);
      row.outcome.push(review.outcome ? REPORT_OUTCOME_INDEX[review.outcome] : -1);
      row.updatedAt.push(review.updatedAt);
      row.learntAt.push(review.learntAt);
      if (review.publicNote !== undefined) row.notes[id] = review.publicNote;
    } else {
      row.state.push(-1);
      row.outcome.push(-1);
      row.updatedAt.push('');
      row.learntAt.push(0);
    }
    if (lines) row.lines[id] = lines;
  }
  return row;
}

/** Each value's position in `values`: the index stored for it (a lookup, not an `indexOf` per entry). */
const positions = <T extends string>(values: readonly T[]) => Object.fromEntries(values.map((value, i) => [value, i])) as Record<T, number>;
const REPORT_STATE_INDEX = positions(REPORT_STATES);
const REPORT_OUTCOME_INDEX = positions(REPORT_OUTCOMES);

/** The rows of a page: both, but for the book's revision page (the one with `rev`, without entries). */
export const pageRows = (page: StatusPage): StoredStatusRow[] => (page.rev === undefined ? [pageRow(page), stateRow(page)] : [pageRow(page)]);

/**
 * The pages these rows hold, in the order of their written-once rows. An entry whose state row is
 * missing (never written so; a damaged database) is due for a check now, as if just delivered.
 */
export function pagesFromRows(rows: ReadonlyArray<StoredStatusRow | undefined>): StatusPage[] {
  const states = new Map<string, StoredStatusState>();
  for (const row of rows) if (row && isStateRow(row)) states.set(row.key, row);
  const pages: StatusPage[] = [];
  // A row in neither form (one the version-6 upgrade could not read, and left as it was) holds no page.
  for (const row of rows) if (row && !isStateRow(row) && Array.isArray(row.ids)) pages.push(pageFromRows(row, states.get(stateKeyOf(row.key))));
  return pages;
}

/** Every entry these rows hold, by report id. */
export function entriesFromRows(rows: ReadonlyArray<StoredStatusRow | undefined>): Map<string, StatusEntry> {
  const entries = new Map<string, StatusEntry>();
  for (const page of pagesFromRows(rows)) for (const [id, entry] of Object.entries(page.entries)) entries.set(id, entry);
  return entries;
}

function pageFromRows(page: StoredStatusPage, state: StoredStatusState | undefined): StatusPage {
  const entries: Record<string, StatusEntry> = {};
  const { ids, urls, url, token, createdAt } = page;
  // Every column is as long as `ids` (pageRow and stateRow write them together), hence the assertions.
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    const entry: StatusEntry = { url: urls[url[i]!]!, token: token[i]!, createdAt: createdAt[i]! };
    if (!state) entry.check = { step: 0, nextAt: 0 };
    else {
      const step = state.step[i]!;
      if (step >= 0) entry.check = { step, nextAt: state.nextAt[i]! };
      const reviewState = REPORT_STATES[state.state[i]!];
      if (reviewState) {
        const review: ReviewStatus = { state: reviewState, updatedAt: state.updatedAt[i]!, learntAt: state.learntAt[i]! };
        const reviewOutcome = REPORT_OUTCOMES[state.outcome[i]!];
        if (reviewOutcome) review.outcome = reviewOutcome;
        const note = state.notes[id];
        if (note !== undefined) review.publicNote = note;
        entry.review = review;
      }
      const earlier = state.lines[id];
      if (earlier) entry.lines = earlier;
    }
    entries[id] = entry;
  }
  const read: StatusPage = { key: page.key, entries };
  if (page.rev !== undefined) read.rev = page.rev;
  return read;
}
