import type { FlaglineDB } from '../db';
import { dsaCodeFor, findCategory, findReason, type CategoryDef } from '../categories';
import { FlaglineError } from '../errors';
import { REPORT_SCHEMA_VERSION, Report, type Reporter } from '../schema/report';
import type { ReportRecord } from '../schema/record';
import type { SubmitReportRequest } from '../schema/messages';
import { isoWithOffset, type Clock } from '../time';
import { newRecord } from './lifecycle';

export interface ReportFactory {
  clock: Clock;
  newId: () => string;
  categories: readonly CategoryDef[];
  client: { version: string; locale: string };
}

/**
 * Builds the immutable report body from what the user chose and what the browser's tab record
 * says. The page contributes nothing here: URL and title come from `tabs.get`.
 */
export function buildReport(
  request: SubmitReportRequest,
  tab: { url: string; title: string },
  factory: ReportFactory,
  extra: { reporter?: Reporter } = {},
): Report {
  const category = findCategory(factory.categories, request.category);
  if (!category) throw new FlaglineError('invalid_message', `unknown category ${request.category}`);
  if (request.subReason !== undefined && !findReason(category, request.subReason)) {
    throw new FlaglineError('invalid_message', `unknown sub-reason ${request.subReason}`);
  }
  const now = isoWithOffset(factory.clock());
  return Report.parse({
    schemaVersion: REPORT_SCHEMA_VERSION,
    id: factory.newId(),
    createdAt: now,
    category: category.id,
    subReason: request.subReason,
    dsaCategory: dsaCodeFor(category, request.subReason),
    explanation: request.explanation.trim(),
    goodFaith: { accepted: true, at: now },
    target: { kind: 'page', url: tab.url, title: tab.title },
    ...(extra.reporter ? { reporter: extra.reporter } : {}),
    client: { name: 'flagline', ...factory.client },
  });
}

/**
 * Writes a new report to IndexedDB as `waiting` — or `held` for review when the user (or a school
 * policy) wants reports reviewed in the workspace before sending. This happens before any
 * delivery attempt: once this resolves, the report survives a dead worker and a closed browser.
 */
export async function saveNewReport(db: FlaglineDB, report: Report, clock: Clock, options: { hold?: boolean } = {}): Promise<ReportRecord> {
  const record = newRecord(report, clock(), options);
  await db.reports.add(record);
  return record;
}
