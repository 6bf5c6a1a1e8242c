import type { FlaglineDB } from '../db';
import { retry } from '../reports/lifecycle';
import type { ReportRecord } from '../schema/record';
import type { Clock } from '../time';
import type { OutboxDeps } from './limits';

/** Retry now (a forced flush): every failed and undelivered report waits again, due now. */
export async function requeueFailed({ db, clock }: OutboxDeps): Promise<void> {
  const now = clock();
  await db.reports
    .where('status')
    .anyOf('failed', 'undelivered')
    .modify((record: ReportRecord) => {
      retry(record, now);
    });
}

/** One-click retry of one report (see `retry` in utils/reports/lifecycle.ts). A sent report is left alone. */
export async function retryReport(db: FlaglineDB, id: string, clock: Clock): Promise<ReportRecord | undefined> {
  return db.transaction('rw', db.reports, async () => {
    const record = await db.reports.get(id);
    if (!record) return undefined;
    if (retry(record, clock())) await db.reports.put(record);
    return record;
  });
}
