import type { FlaglineDB } from '../db';
import type { HandlerMap } from '../messaging';
import { retryReport, type FlushOptions } from '../outbox';
import type { FlushSummary } from '../schema/messages';
import { FlaglineError } from '../errors';
import { buildReport, saveNewReport, type ReportFactory } from '../reports';
import { describeTab, type TabSource } from '../tabs';
import { reporterMissing, type SubmitContext } from '../policy';

export interface BackgroundDeps {
  db: FlaglineDB;
  tabs: TabSource;
  reportFactory: ReportFactory;
  flush: (options?: FlushOptions) => Promise<FlushSummary>;
  /**
   * Categories offered and reporter identity under the current policy (school policy may
   * restrict categories, add its own, and require identity). Without it: the factory's
   * categories, no identity.
   */
  submitContext?: () => Promise<SubmitContext>;
  /** settings.reviewBeforeSend: new reports are held for review in the workspace. */
  holdForReview?: () => Promise<boolean>;
}

/** The background's one handler map: every message type in the contract, and nothing else. */
export function createHandlers(deps: BackgroundDeps): HandlerMap {
  return {
    describeTab: ({ tabId }) => describeTab(deps.tabs, tabId),

    submitReport: async (request) => {
      // URL and title are read from the browser's tab record at submit time, not from the page
      // and not from what the popup saw when it opened.
      const tab = await describeTab(deps.tabs, request.tabId);
      if (!tab.reportable) throw new FlaglineError('tab_not_reportable', tab.reason);
      const context = await deps.submitContext?.();
      // The popup checks these too; here they are enforced whatever a page of ours sent.
      if (context && reporterMissing(context)) throw new FlaglineError('invalid_message', 'reporter identity required by policy');
      const factory = context ? { ...deps.reportFactory, categories: context.categories } : deps.reportFactory;
      const report = buildReport(request, tab, factory, context?.reporter ? { reporter: context.reporter } : {});
      const hold = (await deps.holdForReview?.()) ?? false;
      const record = await saveNewReport(deps.db, report, deps.reportFactory.clock, { hold });
      // Saved first; delivery starts afterwards and reports progress through the database.
      if (!hold) void deps.flush().catch(() => undefined);
      return { id: record.id, status: record.status };
    },

    flushOutbox: ({ force }) => deps.flush({ force }),

    retryReport: async ({ id }) => {
      const record = await retryReport(deps.db, id, deps.reportFactory.clock);
      if (!record) throw new FlaglineError('invalid_message', `no report ${id}`);
      // A user's retry also resumes a channel paused by 410.
      void deps.flush({ resume: true }).catch(() => undefined);
      return { id: record.id, status: record.status };
    },
  };
}
