import type { FlaglineDB } from '../db';
import type { ReportRecord } from '../schema/record';

/**
 * Opening the workspace fast (bench figure `workspace.render10kMs`): the newest reports are read
 * first, straight from the createdAt index, and shown at once; the full list follows.
 */

/** Rows shown before the full list has loaded: more than a screenful, so the page is usable at once. */
export const FIRST_SLICE = 60;

/** The newest `count` reports, newest first. */
export const readFirstSlice = (db: FlaglineDB, count = FIRST_SLICE): Promise<ReportRecord[]> =>
  db.reports.orderBy('createdAt').reverse().limit(count).toArray();

/**
 * The promise's value if it settles within `ms`, else undefined (also on failure): the page
 * waits that long at most for its first rows before it renders without them.
 */
export function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      () => {
        clearTimeout(timer);
        resolve(undefined);
      },
    );
  });
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * The list's date-time format for a language, made once: the first `Intl.DateTimeFormat` of a
 * page loads locale data (tens of ms), so the workspace makes it while its first read is in flight.
 */
export function timeFormatter(lang: string): Intl.DateTimeFormat {
  let formatter = formatters.get(lang);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' });
    formatters.set(lang, formatter);
  }
  return formatter;
}
