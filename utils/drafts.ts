import { EMPTY_DRAFT } from './draft-defaults';
import { loadChecks } from './lazy-checks';
import type { ReportDraft } from './report-form';

/** The part of `storage.session` we use. Session storage is not readable by content scripts. */
export interface SessionArea {
  get(key: string): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(key: string): Promise<void>;
}

/**
 * Keeps the report form's contents per tab while the browser runs, so a popup closed by a stray
 * click reopens with everything the user had entered. A stored draft is checked with the schema
 * before the form shows it (loaded on demand: the popup's first screen imports no schemas).
 */
export function createDraftStore(area: SessionArea) {
  const key = (tabId: number) => `draft:${tabId}`;
  return {
    async load(tabId: number): Promise<ReportDraft> {
      const stored = (await area.get(key(tabId)))[key(tabId)];
      // Nothing stored (the usual first open): nothing to check, so the form waits for no schemas.
      if (stored === undefined) return EMPTY_DRAFT;
      return (await loadChecks()).parseDraft(stored) ?? EMPTY_DRAFT;
    },
    save: (tabId: number, draft: ReportDraft) => area.set({ [key(tabId)]: draft }),
    clear: (tabId: number) => area.remove(key(tabId)),
  };
}
export type DraftStore = ReturnType<typeof createDraftStore>;
