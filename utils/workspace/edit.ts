import type { FlaglineDB } from '../db';
import { dsaCodeFor, findCategory, findReason, type CategoryDef } from '../categories';
import { Report } from '../schema/report';
import type { ReportRecord } from '../schema/record';
import type { Clock } from '../time';
import { WorkspaceError } from './errors';

/**
 * The one place where a stored report body may change after it was saved.
 *
 * The protocol promises a receiver never sees two bodies for one id, so a body is editable only
 * while no endpoint can have it: never attempted (held, or waiting before its first try), or
 * refused by the endpoint (`failed`). Once sent — or while a request is in flight, or after an
 * attempt whose outcome is unknown — the record is read-only. (The delivery engine's revisions
 * will later turn edits after an attempt into a new revision; they will hook in here.)
 */
export type Editability = 'editable' | 'sent' | 'sending' | 'attempted';

export function editability(record: Pick<ReportRecord, 'status' | 'attempts'>): Editability {
  if (record.status === 'sent') return 'sent';
  if (record.status === 'sending') return 'sending';
  if (record.status === 'failed' || record.attempts === 0) return 'editable';
  return 'attempted';
}

export const canEdit = (record: Pick<ReportRecord, 'status' | 'attempts'>) => editability(record) === 'editable';

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
  return db.transaction('rw', db.reports, async () => {
    const record = await db.reports.get(id);
    if (!record) throw new WorkspaceError('workspace_error_missing');
    if (!canEdit(record)) throw new WorkspaceError('workspace_error_readOnly');
    const report = applyEdit(record.report, edit, deps.categories);
    const next: ReportRecord = { ...record, report, updatedAt: deps.clock() };
    await db.reports.put(next);
    return next;
  });
}
