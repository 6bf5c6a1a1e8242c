import type { FlaglineDB } from '../db';
import type { HandlerMap } from '../messaging';
import { retryReport, type FlushOptions } from '../outbox';
import type { FlushSummary } from '../schema/messages';
import { FlaglineError } from '../errors';
import { buildReport, saveNewReport, type ReportFactory } from '../reports';
import { describeTab, type TabSource } from '../tabs';
import { explanationMissing, reporterMissing, type ReadManagedStorage, type SubmitContext } from '../policy';
import { readPopupState } from '../popup-state';
import { rememberGoodFaith } from '../settings';
import { isoWithOffset } from '../time';
import { pickToCaptureInput, submitCapturedReport, type CaptureDeps } from '../evidence/capture';
import { createCaptureRecorder, type CaptureRecorder } from '../evidence/recorder';
import { injectPicker, type Scripting } from '../picker/inject';
import type { InjectionRegistry } from '../picker/registry';
import type { StatusRunner } from '../status/runner';

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
  /** The managed policy (cached in the worker); none in tests that don't need one. */
  readPolicy?: ReadManagedStorage;
  /** settings.reviewBeforeSend: new reports are held for review in the workspace. */
  holdForReview?: () => Promise<boolean>;
  /** Status checks (what became of delivered reports); absent in tests that don't need them. */
  status?: Pick<StatusRunner, 'check'>;
  /** Picker and evidence; absent in tests that don't need it. */
  picker?: {
    scripting: Scripting;
    registry: InjectionRegistry;
    capture: CaptureDeps;
    /** Opens the report form for a capture in an extension window. */
    openForm: (captureId: string) => Promise<void>;
    /** The one recorder of picks (shared with the context menu); made from `capture` and `openForm` when absent. */
    recorder?: CaptureRecorder;
  };
}

/** The background's one handler map: every message type in the contract, and nothing else. */
export function createHandlers(deps: BackgroundDeps): HandlerMap {
  const pickerDeps = () => {
    if (!deps.picker) throw new FlaglineError('picker_unavailable', 'not configured');
    return deps.picker;
  };
  let madeRecorder: CaptureRecorder | undefined;
  const recorder = () => (madeRecorder ??= pickerDeps().recorder ?? createCaptureRecorder(pickerDeps().capture, pickerDeps().openForm));
  return {
    describeTab: ({ tabId }) => describeTab(deps.tabs, tabId),

    popupState: ({ submittedId }) => readPopupState(deps.db, deps.readPolicy ?? (async () => undefined), submittedId),

    submitReport: async (request) => {
      const context = await deps.submitContext?.();
      // The popup checks these too; here they are enforced whatever a page of ours sent.
      if (context && reporterMissing(context)) throw new FlaglineError('invalid_message', 'reporter identity required by policy');
      if (context && explanationMissing(context, request.explanation)) throw new FlaglineError('invalid_message', 'explanation required by policy');
      const factory = context ? { ...deps.reportFactory, categories: context.categories } : deps.reportFactory;
      const extra = context?.reporter ? { reporter: context.reporter } : {};
      const hold = (await deps.holdForReview?.()) ?? false;
      let record;
      if (request.captureId) {
        // A picked target: everything was captured at pick time; the tab is re-read for SPAs.
        // Its screenshot may still wait in memory for the policy's answer.
        if (deps.picker) await recorder().settled(request.captureId);
        record = await submitCapturedReport(deps.db, deps.tabs, { ...request, captureId: request.captureId }, factory, { hold, ...extra });
      } else {
        // URL and title are read from the browser's tab record at submit time, not from the page
        // and not from what the popup saw when it opened.
        const tab = await describeTab(deps.tabs, request.tabId);
        if (!tab.reportable) throw new FlaglineError('tab_not_reportable', tab.reason);
        record = await saveNewReport(deps.db, buildReport(request, tab, factory, extra), deps.reportFactory.clock, { hold });
      }
      // The statement was affirmed with this report (ticked, or standing): it stands for the next
      // ones on this device until withdrawn in Settings.
      await rememberGoodFaith(deps.db, isoWithOffset(deps.reportFactory.clock()));
      // Saved first; delivery starts afterwards and reports progress through the database.
      if (!hold) void deps.flush().catch((error: unknown) => console.warn('Flagline could not deliver:', error));
      return { id: record.id, status: record.status };
    },

    flushOutbox: ({ force }) => deps.flush({ force }),

    refreshStatus: async ({ ids }) => {
      if (!deps.status) return { asked: 0, changed: 0 };
      const result = await deps.status.check({ ids });
      return { asked: result.asked, changed: result.changed.length };
    },

    retryReport: async ({ id }) => {
      const record = await retryReport(deps.db, id, deps.reportFactory.clock);
      if (!record) throw new FlaglineError('invalid_message', `no report ${id}`);
      // A user's retry also resumes a channel paused by 410.
      void deps.flush({ resume: true }).catch((error: unknown) => console.warn('Flagline could not deliver:', error));
      return { id: record.id, status: record.status };
    },

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
      performance.mark('flagline:capture:received');
      const picker = pickerDeps();
      // Only the injected picker, in its tab, frame and document, with its token — once. The
      // check runs while the tab record and settings are read; recordCapture captures and saves
      // nothing before it passed.
      const tabId = sender.tab?.id;
      if (typeof tabId !== 'number') throw new FlaglineError('forbidden_sender', 'no tab');
      const injection = picker.registry.claim(sender, pick.token, true);
      const metadataOnly = injection.then((claimed) => (performance.mark('flagline:capture:claimed'), claimed.metadataOnly));
      const capture = await recorder().record(tabId, pickToCaptureInput(pick, picker.capture.clock), { metadataOnly, windowId: sender.tab?.windowId });
      return { captureId: capture.id };
    },

    pickerCancelled: async ({ token }, sender) => {
      await pickerDeps().registry.claim(sender, token, true);
      return {};
    },
  };
}
