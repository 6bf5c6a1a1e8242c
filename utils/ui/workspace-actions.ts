import type { CategoryDef } from '../categories';
import type { FlaglineDB } from '../db';
import type { Translate } from '../i18n';
import type { SendRaw } from '../messaging';
import type { ReportEdit } from '../reports/edit';
import type { Clock } from '../time';
import type { DeletedBatch } from '../workspace/bulk';
import type { EvidenceSource } from '../workspace/evidence';
import { errorText, type Notice } from './workspace-notice';

// What runs only on a click, and the schema library under it, loads on first use, keeping it
// off the page's start-up path (`workspace.render10kMs`).
export const bulk = () => import('../workspace/bulk');
const editing = () => import('../reports/edit');
const messaging = () => import('../messaging');

/** What every workspace action works with: the database, the evidence, and the status line. */
export interface WorkspaceActionDeps {
  db: FlaglineDB;
  evidence: EvidenceSource;
  send: SendRaw;
  clock: Clock;
  categories: readonly CategoryDef[];
  t: Translate;
  say: (text: string, tone?: Notice['tone'], undo?: DeletedBatch) => void;
  guard: (action: () => Promise<void>) => Promise<void>;
}

/** Asks the background to deliver what is due now; a flush that could not even start is logged. */
export const flush = (send: SendRaw) =>
  messaging()
    .then(({ sendMessage }) => sendMessage(send, 'flushOutbox', { force: false }))
    // The records show each report's delivery; a flush that could not even start is logged.
    .catch((error: unknown) => console.warn('Flagline could not start delivery:', error));

/**
 * The workspace's actions on the selected reports (retry, delete and its undo, change category)
 * and on the one open in the detail view (save an edit). Each reports what it did, or why it
 * failed, on the status line; `onDeleted` hears which reports a delete removed.
 */
export function useBulkActions({ db, evidence, send, clock, categories, t, say, guard }: WorkspaceActionDeps, onDeleted: (ids: readonly string[]) => void) {
  const deps = { clock, categories };
  const retry = (ids: string[]) =>
    guard(async () => {
      const result = await (await bulk()).retryFailed(db, ids, clock);
      if (result.changed === 0) return say(t('workspace_nothingSelected'), 'error');
      say(t('workspace_retrying', result.changed));
      void flush(send);
    });
  const remove = (ids: string[]) =>
    guard(async () => {
      if (ids.length === 0) return say(t('workspace_nothingSelected'), 'error');
      const batch = await (await bulk()).deleteReports(db, evidence, ids);
      onDeleted(batch.items.map((i) => i.record.id));
      say(t('workspace_deleted', batch.items.length), 'ok', batch);
    });
  const undo = (batch: DeletedBatch) =>
    guard(async () => {
      await (await bulk()).restoreReports(db, evidence, batch);
      say(t('workspace_restored', batch.items.length));
    });
  const changeCategory = (ids: string[], category: string, subReason: string) =>
    guard(async () => {
      if (!category || ids.length === 0) return say(t('workspace_nothingSelected'), 'error');
      const result = await (await bulk()).changeCategory(db, ids, { category, subReason: subReason || null }, deps);
      say(t('workspace_changed', [result.changed, result.skipped]));
    });
  /** Resolves with the translated error, or undefined when saved (the detail view shows it). */
  const saveEdit = async (id: string, edit: ReportEdit): Promise<string | undefined> => {
    try {
      await (await editing()).editReport(db, id, edit, deps);
      return undefined;
    } catch (error) {
      return errorText(t, error);
    }
  };
  return { retry, remove, undo, changeCategory, saveEdit };
}
