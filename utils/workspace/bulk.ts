import type { FlaglineDB } from '../db';
import { leasedReportIds } from '../leases';
import type { CategoryDef } from '../categories';
import type { ReportRecord } from '../schema/record';
import { forgetStatuses, restoreStatuses, type ForgottenStatus } from '../status/book';
import type { Clock } from '../time';
import { release, retry } from '../reports/lifecycle';
import { canEdit, editReport, type ReportEdit } from '../reports/edit';
import type { EvidenceArtifact, EvidenceSource } from './evidence';
import { WorkspaceError } from './errors';
import { mergeExplanations } from './duplicates';

export interface BulkResult {
  changed: number;
  skipped: number;
}

/** Held reports → `waiting`, due now. The caller then asks the background to flush. */
export async function submitHeld(db: FlaglineDB, ids: readonly string[], clock: Clock): Promise<BulkResult> {
  return changeEach(db, ids, clock, release);
}

/** "Retry failed" for a selection: the same `retry` as a single report's Retry button. */
export async function retryFailed(db: FlaglineDB, ids: readonly string[], clock: Clock): Promise<BulkResult> {
  return changeEach(db, ids, clock, retry);
}

async function changeEach(db: FlaglineDB, ids: readonly string[], clock: Clock, change: (record: ReportRecord, now: number) => boolean): Promise<BulkResult> {
  return db.transaction('rw', db.reports, async () => {
    const now = clock();
    const records = (await db.reports.bulkGet([...ids])).filter((r): r is ReportRecord => !!r && change(r, now));
    await db.reports.bulkPut(records);
    return { changed: records.length, skipped: ids.length - records.length };
  });
}

/** Category (and sub-reason) for every editable report of a selection; read-only ones are skipped. */
export async function changeCategory(
  db: FlaglineDB,
  ids: readonly string[],
  edit: Pick<ReportEdit, 'category' | 'subReason'>,
  deps: { clock: Clock; categories: readonly CategoryDef[] },
): Promise<BulkResult> {
  return db.transaction('rw', db.reports, db.leases, async () => {
    let changed = 0;
    const inFlight = await leasedReportIds(db);
    for (const record of await db.reports.bulkGet([...ids])) {
      if (!record || !canEdit(record, inFlight.has(record.id))) continue;
      await editReport(db, record.id, edit, deps);
      changed++;
    }
    return { changed, skipped: ids.length - changed };
  });
}

/** What a delete took away, kept by the page until its Undo expires. */
export interface DeletedBatch {
  /** Each record carries its own ledger. */
  items: Array<{ record: ReportRecord; artifacts: EvidenceArtifact[] }>;
  /** Their status book entries (token, schedule, review). */
  statuses: ForgottenStatus[];
  /** Reports not deleted because a request for them was in flight. */
  skipped: number;
}

/** Deletes reports (their ledger is part of the record) and evidence, returning everything needed to undo it. */
export async function deleteReports(db: FlaglineDB, evidence: EvidenceSource, ids: readonly string[]): Promise<DeletedBatch> {
  return db.transaction('rw', [db.reports, db.leases, db.statusPages, ...evidence.tables()], async () => {
    const items: DeletedBatch['items'] = [];
    const inFlight = await leasedReportIds(db);
    for (const record of await db.reports.bulkGet([...ids])) {
      if (!record || record.status === 'sending' || inFlight.has(record.id)) continue;
      const artifacts = await evidence.listArtifacts(record.id);
      items.push({ record, artifacts });
      await evidence.removeArtifacts(record.id);
      await db.reports.delete(record.id);
    }
    const statuses = await forgetStatuses(
      db,
      items.map(({ record }) => record),
    );
    return { items, statuses, skipped: ids.length - items.length };
  });
}

/** Undo: puts every deleted record (with its ledger) and artifact back as it was. */
export async function restoreReports(db: FlaglineDB, evidence: EvidenceSource, batch: DeletedBatch): Promise<void> {
  await db.transaction('rw', [db.reports, db.statusPages, ...evidence.tables()], async () => {
    for (const { record, artifacts } of batch.items) {
      await db.reports.put(record);
      if (artifacts.length) await evidence.storeArtifacts(record.id, artifacts);
    }
    await restoreStatuses(db, batch.statuses);
  });
}

/** "Send both on purpose": the duplicates stay and are no longer flagged. */
export async function acknowledgeDuplicates(db: FlaglineDB, ids: readonly string[], clock: Clock): Promise<void> {
  await db.reports
    .where('id')
    .anyOf([...ids])
    .modify({ duplicateAck: true, updatedAt: clock() });
}

/**
 * Keeps one report of a duplicate group; with `merge`, its explanation gains the others'
 * explanations first. The others are deleted (undo-able through the returned batch).
 */
export async function keepOneDuplicate(
  db: FlaglineDB,
  evidence: EvidenceSource,
  keepId: string,
  otherIds: readonly string[],
  options: { merge: boolean; clock: Clock; categories: readonly CategoryDef[] },
): Promise<{ deleted: DeletedBatch; before?: ReportRecord }> {
  return db.transaction('rw', [db.reports, db.leases, db.statusPages, ...evidence.tables()], async () => {
    const kept = await db.reports.get(keepId);
    if (!kept) throw new WorkspaceError('workspace_error_missing');
    const others = (await db.reports.bulkGet(otherIds.filter((id) => id !== keepId))).filter((r): r is ReportRecord => !!r);
    let before: ReportRecord | undefined;
    if (options.merge) {
      const merged = mergeExplanations([kept.report.explanation, ...others.map((o) => o.report.explanation)]);
      if (merged === undefined) throw new WorkspaceError('workspace_error_tooLong');
      if (merged !== kept.report.explanation) {
        before = kept;
        await editReport(db, keepId, { explanation: merged }, options);
      }
    }
    const deleted = await deleteReports(
      db,
      evidence,
      others.map((o) => o.id),
    );
    return { deleted, ...(before ? { before } : {}) };
  });
}
