import type { FlaglineDB } from './db';
import type { OutboxCounts } from './schema/messages';
import type { BatchLease, ReportRecord, StatusEntry } from './schema/record';
import { acknowledge, receiptFields, type Acknowledged } from './reports/lifecycle';
import { readStatusBook, withReview } from './status/book';

/**
 * What the lease rows say about delivery (schema/record.ts BatchLease):
 * - `inFlight`: every report a lease names. A request for it is (or may be) in flight, or its
 *   answer is not yet applied. Editors treat these as attempted — the endpoint may already hold
 *   that body — and claims never take them. Leases of a dead worker count too until the next
 *   flush takes them back (and freezes the bodies), because its request may have reached the
 *   endpoint.
 * - `acknowledged`: the reports among them the endpoint acknowledged, with the answer.
 * - `statuses`: for display, what the status book says of each report (utils/status/book.ts);
 *   absent where only delivery matters.
 */
export interface LeaseView {
  inFlight: Set<string>;
  acknowledged: Map<string, Acknowledged>;
  statuses?: Map<string, StatusEntry>;
}

export function leaseView(leases: readonly BatchLease[]): LeaseView {
  const view: LeaseView = { inFlight: new Set(), acknowledged: new Map() };
  for (const lease of leases) {
    lease.reports.forEach(({ id, revision }, i) => {
      view.inFlight.add(id);
      const answer = lease.acknowledged;
      const result = answer?.results[i];
      if (!answer || !result) return;
      view.acknowledged.set(id, {
        revision,
        at: answer.at,
        endpoint: answer.endpoint,
        result: result.result,
        ...receiptFields(result),
      });
    });
  }
  return view;
}

export async function readLeases(db: FlaglineDB): Promise<LeaseView> {
  return leaseView(await db.leases.toArray());
}

/**
 * Everything beside the records that changes what the user sees: the leases and the status book
 * (with `of`, only what the book says of these reports).
 */
export async function readShownState(db: FlaglineDB, of?: ReadonlyArray<Pick<ReportRecord, 'sentAt'>>): Promise<LeaseView> {
  const [view, statuses] = await Promise.all([readLeases(db), readStatusBook(db, of)]);
  return { ...view, statuses };
}

/** Records as the user should see them (see {@link withDeliveryState}), the missing left out. */
async function shown(db: FlaglineDB, records: ReadonlyArray<ReportRecord | undefined>): Promise<ReportRecord[]> {
  const found = records.filter((record): record is ReportRecord => record !== undefined);
  const view = await readShownState(db, found);
  return found.map((record) => withDeliveryState(record, view));
}

/** Reports named by a lease (see {@link LeaseView.inFlight}). */
export async function leasedReportIds(db: FlaglineDB): Promise<Set<string>> {
  return (await readLeases(db)).inFlight;
}

/**
 * The record as the user should see it: with its acknowledgement applied if the endpoint
 * acknowledged it, `sending` if a request for it is in flight, else as stored; with its review
 * when the view has the status book. Never changes the stored record.
 */
export function withDeliveryState(record: ReportRecord, view: LeaseView): ReportRecord {
  const shown = view.statuses ? withReview(record, view.statuses.get(record.id)) : record;
  const ack = view.acknowledged.get(record.id);
  if (ack) {
    // A shallow copy is enough: applying replaces the ledger array rather than pushing to it.
    const copy: ReportRecord = { ...shown };
    if (acknowledge(copy, ack)) return copy;
  }
  return shown.status === 'waiting' && view.inFlight.has(record.id) ? { ...shown, status: 'sending' } : shown;
}

/** Reports as the user should see them (see {@link withDeliveryState}); those deleted are left out. */
export async function readManyWithDeliveryState(db: FlaglineDB, ids: readonly string[]): Promise<ReportRecord[]> {
  return shown(db, await db.reports.bulkGet([...ids]));
}

/** One report as the user should see it (see {@link withDeliveryState}). */
export async function readWithDeliveryState(db: FlaglineDB, id: string): Promise<ReportRecord | undefined> {
  return (await shown(db, [await db.reports.get(id)]))[0];
}

/**
 * Counts by status as the user should see them: reports acknowledged but not yet applied are
 * stored as `waiting` and count as `sent`. (A report revised to a new revision while its batch
 * was in flight would count as sent until the acknowledgement is applied a moment later; the
 * workspace's editors refuse leased reports, so that is the price of not reading every record.)
 */
export function countsWithAcknowledged<T extends { waiting: number; sent?: number }>(counts: T, view: LeaseView): T {
  const acked = view.acknowledged.size;
  if (acked === 0) return counts;
  return { ...counts, waiting: Math.max(0, counts.waiting - acked), ...(counts.sent === undefined ? {} : { sent: counts.sent + acked }) };
}

export async function countOutbox(db: FlaglineDB): Promise<OutboxCounts> {
  // Reports in flight are stored as `waiting`, so they count here; those acknowledged but not
  // yet applied to their records count as sent.
  const [view, waiting, sent, failed, undelivered] = await Promise.all([
    readLeases(db),
    ...(['waiting', 'sent', 'failed', 'undelivered'] as const).map((status) => db.reports.where('status').equals(status).count()),
  ] as const);
  return countsWithAcknowledged({ waiting: waiting ?? 0, sent: sent ?? 0, failed: failed ?? 0, undelivered: undelivered ?? 0 }, view);
}

/** The newest reports, in the delivery state the user sees. */
export async function recentReports(db: FlaglineDB, limit = 10): Promise<ReportRecord[]> {
  return shown(db, await db.reports.orderBy('createdAt').reverse().limit(limit).toArray());
}

/** The error of the most recently updated report still waiting or failed that has one. */
export async function lastDeliveryError(db: FlaglineDB): Promise<ReportRecord['lastError']> {
  return (await db.reports.where('status').anyOf('waiting', 'failed').reverse().sortBy('updatedAt')).find((r) => r.lastError)?.lastError;
}
