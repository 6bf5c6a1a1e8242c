import type { FlaglineDB } from '../db';
import { dsaCodeFor, findCategory, findReason, type CategoryDef } from '../categories';
import { Report } from '../schema/report';
import type { ReportRecord } from '../schema/record';
import type { Clock } from '../time';
import { leasedReportIds } from '../leases';
import { WorkspaceError } from '../workspace/errors';

/**
 * The one place where the workspace changes a stored report body.
 *
 * The protocol promises a receiver never sees two bodies for one (id, revision)
 * (docs/protocol.md "Revisions"). So:
 * - never attempted (held, or waiting before its first try): edited in place;
 * - attempted before (an endpoint may have it: failed, undelivered, waiting for a retry, or
 *   held after an import): the edit becomes the next revision — same id, `revision` + 1, the
 *   frozen body dropped so the next attempt freezes the new one. Its state is kept: a held
 *   report stays held, a failed one waits for the user's Retry;
 * - sent, or in flight: read-only.
 */
export type Editability = 'editable' | 'revision' | 'sent' | 'sending';

/** `inFlight`: a batch lease names the report (utils/leases.ts); the stored status says `waiting`. */
export function editability(record: Pick<ReportRecord, 'status' | 'attempts'> & { wireBody?: string }, inFlight = false): Editability {
  if (record.status === 'sent') return 'sent';
  if (record.status === 'sending' || inFlight) return 'sending';
  return record.attempts > 0 || record.wireBody !== undefined ? 'revision' : 'editable';
}

export const canEdit = (record: Pick<ReportRecord, 'status' | 'attempts'>, inFlight = false) => {
  const state = editability(record, inFlight);
  return state === 'editable' || state === 'revision';
};

export interface ReportEdit {
  explanation?: string;
  category?: string;
  /** `null` clears the sub-reason. */
  subReason?: string | null;
}

/** The edited body, validated; throws {@link WorkspaceError} for an unknown category or too long text. */
export function applyEdit(report: Report, edit: ReportEdit, categories: readonly CategoryDef[]): Report {
  const categoryId = edit.category ?? report.category;
  const category = findCategory(categories, categoryId);
  if (!category) throw new WorkspaceError('workspace_error_category', categoryId);
  let subReason = edit.subReason === null ? undefined : (edit.subReason ?? (edit.category === undefined ? report.subReason : undefined));
  if (subReason !== undefined && !findReason(category, subReason)) {
    if (edit.subReason) throw new WorkspaceError('workspace_error_category', subReason);
    subReason = undefined;
  }
  const { subReason: _old, dsaCategory: _oldDsa, ...rest } = report;
  const next = {
    ...rest,
    category: category.id,
    ...(subReason === undefined ? {} : { subReason }),
    dsaCategory: dsaCodeFor(category, subReason),
    explanation: edit.explanation === undefined ? report.explanation : edit.explanation.trim(),
  };
  const parsed = Report.safeParse(next);
  if (!parsed.success) throw new WorkspaceError('workspace_error_tooLong');
  return parsed.data;
}

export interface EditDeps {
  clock: Clock;
  categories: readonly CategoryDef[];
}

/** Edits one stored report, checking in the same transaction that it is still editable. */
export async function editReport(db: FlaglineDB, id: string, edit: ReportEdit, deps: EditDeps): Promise<ReportRecord> {
  return db.transaction('rw', db.reports, db.leases, async () => {
    const record = await db.reports.get(id);
    if (!record) throw new WorkspaceError('workspace_error_missing');
    // Checked against the leases in the same transaction: a claim cannot slip in between.
    if (!canEdit(record, (await leasedReportIds(db)).has(id))) throw new WorkspaceError('workspace_error_readOnly');
    const edited = applyEdit(record.report, edit, deps.categories);
    if (editability(record) === 'editable') {
      const next: ReportRecord = { ...record, report: edited, updatedAt: deps.clock() };
      await db.reports.put(next);
      return next;
    }
    const report = Report.parse({ ...edited, revision: (record.report.revision ?? 1) + 1 });
    const next: ReportRecord = { ...record, report, updatedAt: deps.clock() };
    delete next.wireBody;
    delete next.lease;
    await db.reports.put(next);
    return next;
  });
}
