import { RangeSet, type IntervalTree, type ObservabilitySet } from 'dexie';
import { dexieMutations, type FlaglineDB, type MutationSource } from '../db';
import { readLeases, readShownState, type LeaseView } from '../leases';
import { readStatusBook } from '../status/book';
import type { ReportRecord } from '../schema/record';

/**
 * The workspace's full list, kept current without reading every report again at each change.
 *
 * A live query over `reports.toArray()` ran again for any write to the table: with 10,000
 * reports, every delivered batch, edit or bulk action in any extension context cost a read of
 * all 10,000 and a rebuild of every row. Dexie's `storagemutated` event (fired in every context
 * after a write commits) names the primary keys a write touched; only those reports are read again. A change it cannot pin to
 * keys (a whole-table clear, a range delete, a page restored from the back-forward cache) reads
 * the whole list again.
 */

/** What committed writes touched, as far as the rows are concerned. */
export interface Touched {
  /** Read the whole list again. */
  all: boolean;
  /** Reports written or deleted. */
  ids: Set<string>;
  /** The lease table changed: rows in or leaving a batch show another delivery state. */
  leases: boolean;
  /** The status book changed: rows whose review changed show another review. */
  statuses: boolean;
}

/** The single keys of a changed range set, or undefined when it covers a range. */
function singleKeys(tree: IntervalTree): string[] | undefined {
  const keys: string[] = [];
  // A set from another context arrives structured-cloned, without RangeSet's prototype.
  for (const node of RangeSet(tree)) {
    if (typeof node.from !== 'string' || node.from !== node.to) return undefined;
    keys.push(node.from);
  }
  return keys;
}

/** Reads Dexie's description of a commit; undefined when nothing the rows show was touched. */
export function touchedBy(parts: ObservabilitySet, dbName: string): Touched | undefined {
  const touched: Touched = { all: false, ids: new Set(), leases: false, statuses: false };
  const db = `idb://${dbName}/`;
  let relevant = false;
  for (const [part, tree] of Object.entries(parts)) {
    if (part === `${db}reports/` || part === `${db}reports/:dels`) {
      relevant = true;
      const keys = singleKeys(tree);
      if (keys) keys.forEach((key) => touched.ids.add(key));
      else touched.all = true;
    } else if (part.startsWith(`${db}leases/`)) {
      relevant = true;
      touched.leases = true;
    } else if (part.startsWith(`${db}statusPages/`)) {
      relevant = true;
      touched.statuses = true;
    } else if (!part.startsWith('idb://')) {
      // Dexie's "everything may have changed" signal (a page back from the bfcache).
      relevant = touched.all = true;
    }
  }
  return relevant ? touched : undefined;
}

/**
 * Calls `onRows` with every report as a row, then again after each change, re-reading only the
 * reports a change touched. Returns a function that stops watching.
 */
export function watchAllRows<Row extends { id: string }>(
  db: FlaglineDB,
  toRow: (record: ReportRecord, leases: LeaseView) => Row,
  onRows: (rows: Row[]) => void,
  onError: (error: unknown) => void,
  onMutation: MutationSource = dexieMutations,
): () => void {
  const rows = new Map<string, Row>();
  let leases: LeaseView | undefined;
  // The first read is queued work like any change; changes committed while it runs queue more.
  let pending: Touched | undefined = { all: true, ids: new Set(), leases: true, statuses: true };
  let running = false;
  let stopped = false;

  const readAll = async () => {
    const [records, view] = await Promise.all([db.reports.toArray(), readShownState(db)]);
    leases = view;
    rows.clear();
    for (const record of records) rows.set(record.id, toRow(record, view));
  };

  const readSome = async (work: Touched, view: LeaseView) => {
    const ids = new Set(work.ids);
    // A delivery writes leases again and again: only a status check reads the book again.
    if (work.leases) {
      const next = await readLeases(db);
      // Rows joining or leaving a batch, or acknowledged meanwhile, change their state.
      for (const id of view.inFlight) ids.add(id);
      for (const id of next.inFlight) ids.add(id);
      leases = view = { ...next, ...(view.statuses ? { statuses: view.statuses } : {}) };
    }
    if (work.statuses) {
      const statuses = await readStatusBook(db);
      // Rows whose review changed (a round of status checks rewrites a whole page).
      for (const [id, entry] of statuses) if (entry.review?.learntAt !== view.statuses?.get(id)?.review?.learntAt) ids.add(id);
      leases = view = { ...view, statuses };
    }
    const wanted = [...ids];
    const records = await db.reports.bulkGet(wanted);
    wanted.forEach((id, i) => {
      const record = records[i];
      if (record) rows.set(id, toRow(record, view));
      else rows.delete(id);
    });
  };

  const run = async () => {
    if (running) return;
    running = true;
    try {
      while (pending && !stopped) {
        const work = pending;
        pending = undefined;
        if (work.all || !leases) await readAll();
        else await readSome(work, leases);
        // Several changes in a row (a batch delivered, say) make one update, not one each.
        if (!pending && !stopped) onRows([...rows.values()]);
      }
    } catch (error) {
      if (!stopped) onError(error);
    } finally {
      running = false;
    }
  };

  const listener = (parts: ObservabilitySet) => {
    const touched = touchedBy(parts, db.name);
    if (!touched) return;
    pending = pending
      ? {
          all: pending.all || touched.all,
          ids: new Set([...pending.ids, ...touched.ids]),
          leases: pending.leases || touched.leases,
          statuses: pending.statuses || touched.statuses,
        }
      : touched;
    void run();
  };
  const unsubscribe = onMutation(listener);
  void run();
  return () => {
    stopped = true;
    unsubscribe();
  };
}
