import { BUILT_IN_CATEGORIES } from '@/utils/categories';
import { FlaglineDB } from '@/utils/db';
import { readPopupState } from '@/utils/popup-state';
import { buildReport, saveNewReport } from '@/utils/reports';
import type { ReportRecord } from '@/utils/schema/record';

/** A database of its own for each test (fake-indexeddb), so tests never see each other's rows. */
export function freshDb(): FlaglineDB {
  return new FlaglineDB(`test-${crypto.randomUUID()}`);
}

/** A controllable clock: tests move time forward explicitly instead of faking timers. */
export function testClock(start = Date.UTC(2026, 10, 24, 10, 0, 0)) {
  let now = start;
  const clock = () => now;
  clock.advance = (ms: number) => {
    now += ms;
  };
  clock.set = (value: number) => {
    now = value;
  };
  return clock;
}

/**
 * Saves `count` page reports as a user's submit does (ids …0001, …0002, …), `spacingMs` apart on
 * `clock`; answers their ids in order.
 */
export async function seedSavedReports(db: FlaglineDB, clock: ReturnType<typeof testClock>, count: number, spacingMs = 0): Promise<string[]> {
  let n = 0;
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const report = buildReport(
      { tabId: 1, category: 'rumor', explanation: `r${i}`, goodFaith: true },
      { url: `https://x.example/${i}`, title: 't' },
      {
        clock,
        newId: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
        categories: BUILT_IN_CATEGORIES,
        client: { version: '0.0.0', locale: 'en' },
      },
    );
    await saveNewReport(db, report, clock);
    ids.push(report.id);
    clock.advance(spacingMs);
  }
  return ids;
}

/**
 * The background's answer to the popup's `popupState`, read from `db` by the real reader (the
 * popup opens no database): for fake `send`s in popup tests.
 */
export async function popupStateReply(db: FlaglineDB, payload: unknown, readPolicy: () => Promise<unknown> = async () => undefined) {
  const { submittedId } = (payload ?? {}) as { submittedId?: string };
  return { ok: true, data: await readPopupState(db, readPolicy, submittedId) };
}

/** A valid stored report (id …000n, created at `n`), as the popup is shown it; `fields` override the record's. */
export function reportRecord(n: number, fields: Partial<ReportRecord> = {}): ReportRecord {
  const id = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  const report = buildReport(
    { tabId: 1, category: 'rumor', explanation: '', goodFaith: true },
    { url: `https://x.example/${n}`, title: `<i>Post ${n}</i>` },
    {
      clock: () => n,
      newId: () => id,
      categories: BUILT_IN_CATEGORIES,
      client: { version: '0', locale: 'en' },
    },
  );
  return { id, report, status: 'waiting', createdAt: n, updatedAt: n, attempts: 0, nextAttemptAt: n, ...fields };
}
