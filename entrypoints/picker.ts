import { defineUnlistedScript } from 'wxt/utils/define-unlisted-script';
import { startPicker } from '@/utils/picker/overlay';
import { PICKER_STARTED } from '@/utils/picker/probe';

/**
 * The picker, injected by the background into the tab's top frame with
 * `scripting.executeScript({ files: ['/picker.js'] })` only when the user asks. The background
 * first sets this injection's one-time token in the content script's isolated world (pages
 * cannot read it). Uses `chrome` directly: the browser polyfill would cost most of the budget.
 */
declare const chrome: {
  runtime: { id?: string; sendMessage: (message: unknown) => Promise<unknown> };
  i18n: { getMessage: (key: string, subs?: string[]) => string };
};

export default defineUnlistedScript(() => {
  performance.mark('flagline:ready:script');
  const token = (globalThis as { __flaglinePickerToken?: string }).__flaglinePickerToken;
  if (!token) return undefined;
  startPicker({
    token,
    send: (message) => chrome.runtime.sendMessage(message),
    alive: () => {
      try {
        return !!chrome.runtime?.id;
      } catch {
        return false;
      }
    },
    t: (key, subs) => chrome.i18n.getMessage(key, subs) || key,
  });
  // executeScript hands this to the background: the picker is on screen.
  return PICKER_STARTED;
});
