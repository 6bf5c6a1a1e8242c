import type { FlaglineDB } from './db';
import type { DeliveryStatus, ReportRecord } from './schema/record';

/**
 * Reports named by a batch lease: a request for them is (or may be) in flight. Editors treat
 * them as attempted — the endpoint may already hold that body — and the user sees them as
 * `sending`. Leases of a dead worker count too until the next flush takes them back (and
 * freezes the bodies), because its request may have reached the endpoint.
 */
export async function leasedReportIds(db: FlaglineDB): Promise<Set<string>> {
  const leases = await db.leases.toArray();
  return new Set(leases.flatMap((lease) => lease.reports.map((r) => r.id)));
}

/** The state to show: `sending` is not stored, it is a `waiting` report named by a lease. */
export function displayStatus(record: Pick<ReportRecord, 'id' | 'status'>, leased: ReadonlySet<string>): DeliveryStatus {
  return record.status === 'waiting' && leased.has(record.id) ? 'sending' : record.status;
}
