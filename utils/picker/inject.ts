import { FlaglineError } from '../errors';
import { describeTab, type TabSource } from '../tabs';
import { PICKER_STARTED } from './probe';
import type { InjectionRegistry } from './registry';

/** The part of `browser.scripting` we use. */
export interface Scripting {
  executeScript(injection: {
    target: { tabId: number; frameIds?: number[] };
    files?: string[];
    func?: (...args: string[]) => void;
    args?: string[];
  }): Promise<Array<{ frameId: number; documentId?: string; result?: unknown }>>;
}

export interface InjectDeps {
  scripting: Scripting;
  registry: InjectionRegistry;
  tabs: TabSource;
  newToken: () => string;
  clock: () => number;
}

export const PICKER_FILE = '/picker.js';

/** Runs in the page's isolated world (never the page's own): hands the picker its token. */
function setPickerToken(token: string) {
  (globalThis as { __flaglinePickerToken?: string }).__flaglinePickerToken = token;
}

/**
 * Injects the picker into the tab's top frame — only now, on the user's request, with the
 * `activeTab` grant that request gave. Same-origin frames are reached from there; a
 * cross-origin frame is picked as a whole. The injection is registered before the picker runs,
 * so its one pick can be checked against tab, frame, document and token.
 */
export async function injectPicker(deps: InjectDeps, tabId: number, options: { metadataOnly: boolean }): Promise<void> {
  performance.mark('flagline:ready:received');
  const tab = await describeTab(deps.tabs, tabId);
  performance.mark('flagline:ready:described');
  if (!tab.reportable) throw new FlaglineError('tab_not_reportable', tab.reason);
  const token = deps.newToken();
  const target = { tabId, frameIds: [0] };
  try {
    const [result] = await deps.scripting.executeScript({ target, func: setPickerToken, args: [token] });
    performance.mark('flagline:ready:token-set');
    await deps.registry.put({
      token,
      tabId,
      frameId: 0,
      ...(result?.documentId ? { documentId: result.documentId } : {}),
      startedAt: deps.clock(),
      metadataOnly: options.metadataOnly,
    });
    performance.mark('flagline:ready:registered');
    const [started] = await deps.scripting.executeScript({ target, files: [PICKER_FILE] });
    // A script that threw on start still resolves here (Chromium logs the error in the page):
    // only the picker's own answer says the user has an overlay to pick with.
    if (started?.result !== PICKER_STARTED) throw new FlaglineError('picker_unavailable', 'the picker did not start on this page');
    performance.mark('flagline:ready:injected');
  } catch (error) {
    if (error instanceof FlaglineError) throw error;
    throw new FlaglineError('picker_unavailable', error instanceof Error ? error.message : String(error));
  }
}
