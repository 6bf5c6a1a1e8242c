import { ReportDraft, EMPTY_DRAFT } from './report-form';

/** The part of `storage.session` we use. Session storage is not readable by content scripts. */
export interface SessionArea {
  get(key: string): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(key: string): Promise<void>;
}

/**
 * Keeps the report form's contents per tab while the browser runs, so a popup closed by a stray
 * click reopens with everything the user had entered.
 */
export function createDraftStore(area: SessionArea) {
  const key = (tabId: number) => `draft:${tabId}`;
  return {
    async load(tabId: number): Promise<ReportDraft> {
      const stored = (await area.get(key(tabId)))[key(tabId)];
      const parsed = ReportDraft.safeParse(stored);
      return parsed.success ? parsed.data : EMPTY_DRAFT;
    },
    save: (tabId: number, draft: ReportDraft) => area.set({ [key(tabId)]: draft }),
    clear: (tabId: number) => area.remove(key(tabId)),
  };
}
export type DraftStore = ReturnType<typeof createDraftStore>;
