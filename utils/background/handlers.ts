import type { FlaglineDB } from '../db';
import type { HandlerMap } from '../messaging';
import type { FlushOptions } from '../outbox';
import type { FlushSummary } from '../schema/messages';
import { FlaglineError } from '../errors';
import { buildReport, saveNewReport, type ReportFactory } from '../reports';
import { describeTab, type TabSource } from '../tabs';
import { pickToCaptureInput, recordCapture, submitCapturedReport, type CaptureDeps } from '../evidence/capture';
import { injectPicker, type Scripting } from '../picker/inject';
import type { InjectionRegistry } from '../picker/registry';

export interface BackgroundDeps {
  db: FlaglineDB;
  tabs: TabSource;
  reportFactory: ReportFactory;
  flush: (options?: FlushOptions) => Promise<FlushSummary>;
  /** Picker and evidence (issue 3); absent in tests that don't need it. */
  picker?: {
    scripting: Scripting;
    registry: InjectionRegistry;
    capture: CaptureDeps;
    /** Opens the report form for a capture in an extension window. */
    openForm: (captureId: string) => Promise<void>;
  };
}

/** The background's one handler map: every message type in the contract, and nothing else. */
export function createHandlers(deps: BackgroundDeps): HandlerMap {
  const pickerDeps = () => {
    if (!deps.picker) throw new FlaglineError('picker_unavailable', 'not configured');
    return deps.picker;
  };
  return {
    describeTab: ({ tabId }) => describeTab(deps.tabs, tabId),

    submitReport: async (request) => {
      if (request.captureId) {
        // A picked target: everything was captured at pick time; the tab is re-read for SPAs.
        const record = await submitCapturedReport(deps.db, deps.tabs, { ...request, captureId: request.captureId }, deps.reportFactory);
        void deps.flush().catch(() => undefined);
        return { id: record.id, status: record.status };
      }
      // URL and title are read from the browser's tab record at submit time, not from the page
      // and not from what the popup saw when it opened.
      const tab = await describeTab(deps.tabs, request.tabId);
      if (!tab.reportable) throw new FlaglineError('tab_not_reportable', tab.reason);
      const report = buildReport(request, tab, deps.reportFactory);
      const record = await saveNewReport(deps.db, report, deps.reportFactory.clock);
      // Saved first; delivery starts afterwards and reports progress through the database.
      void deps.flush().catch(() => undefined);
      return { id: record.id, status: record.status };
    },

    flushOutbox: ({ force }) => deps.flush({ force }),

    startPicker: async ({ tabId, metadataOnly }) => {
      const picker = pickerDeps();
      await injectPicker(
        { scripting: picker.scripting, registry: picker.registry, tabs: deps.tabs, newToken: picker.capture.newId, clock: picker.capture.clock },
        tabId,
        { metadataOnly },
      );
      return { started: true as const };
    },

    pickerCapture: async (pick, sender) => {
      // Only the injected picker, in its tab, frame and document, with its token — once.
      const picker = pickerDeps();
      const injection = await picker.registry.claim(sender, pick.token, true);
      const capture = await recordCapture(picker.capture, injection.tabId, pickToCaptureInput(pick, picker.capture.clock), {
        metadataOnly: injection.metadataOnly,
      });
      await picker.openForm(capture.id);
      return { captureId: capture.id };
    },

    pickerCancelled: async ({ token }, sender) => {
      await pickerDeps().registry.claim(sender, token, true);
      return {};
    },
  };
}
