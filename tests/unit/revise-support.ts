import type { FlaglineDB } from '@/utils/db';
import { FlaglineError } from '@/utils/errors';
import { Report } from '@/utils/schema/report';
import type { ReportRecord } from '@/utils/schema/record';
import type { Clock } from '@/utils/time';
import { leasedReportIds } from '@/utils/leases';

/** What an edit may change; the id, creation time, client and schema version never change. */
export type ReportChanges = Partial<Omit<Report, 'id' | 'schemaVersion' | 'createdAt' | 'client' | 'revision'>>;

/**
 * A TEST TOOL, not product code. The product's one editor is utils/reports/edit.ts
 * (`editReport`), which refuses sent and in-flight reports. This writer revises any report —
 * sent or in flight included — so the outbox tests show that its guarantees hold against any
 * writer, not just against the editors the product has today.
 *
 * Edits a stored report without ever giving the endpoint two bodies for one (id, revision)
 * (docs/protocol.md "Revisions"):
 * - before any delivery attempt (no frozen `wireBody`), the report is edited in place;
 * - after one, it becomes the next revision — same id, `revision` + 1, a fresh frozen body on
 *   its next attempt — and waits to be sent again, whatever its state was (sent included).
 *
 * Safe while a worker is sending the previous revision: that worker only settles reports still
 * at the revision its lease names, so its answer cannot mark the new revision as delivered.
 * Throws `invalid_message` when the report does not exist or the edit makes it invalid.
 */
export async function reviseReport(db: FlaglineDB, id: string, changes: ReportChanges, clock: Clock): Promise<ReportRecord> {
  return db.transaction('rw', db.reports, db.leases, async () => {
    const record = await db.reports.get(id);
    if (!record) throw new FlaglineError('invalid_message', `no report ${id}`);
    // Records written before bodies were frozen count as sent once they have had an attempt; a
    // report in flight (named by a lease) may already be at the endpoint.
    const frozen = record.wireBody !== undefined || record.attempts > 0 || record.status !== 'waiting' || (await leasedReportIds(db)).has(id);
    const { id: _id, schemaVersion: _v, createdAt: _c, client: _cl, revision: _r, ...allowed } = changes as Partial<Report>;
    const candidate: Record<string, unknown> = { ...record.report, ...allowed };
    for (const [key, value] of Object.entries(candidate)) if (value === undefined) delete candidate[key];
    if (frozen) candidate.revision = (record.report.revision ?? 1) + 1;
    const parsed = Report.safeParse(candidate);
    if (!parsed.success) throw new FlaglineError('invalid_message', parsed.error.issues[0]?.path.join('.') ?? 'report');
    const now = clock();
    const next: ReportRecord = { ...record, report: parsed.data, updatedAt: now };
    if (frozen) {
      next.status = 'waiting';
      next.attempts = 0;
      next.nextAttemptAt = now;
      next.retriedAt = now;
      for (const key of ['wireBody', 'lease', 'lastError', 'sentAt', 'receipt'] as const) delete next[key];
    }
    await db.reports.put(next);
    return next;
  });
}
