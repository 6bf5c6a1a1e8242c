import { defineUnlistedScript } from 'wxt/utils/define-unlisted-script';
import { translatorOver } from '@/utils/translator';
import { startFirstScreen } from '@/utils/ui/first-screen';

/**
 * popup.html's first script, a classic async one at the end of its body: it runs as soon as it is
 * loaded, usually before the popup's modules, and makes the first screen the build put there
 * readable and usable (utils/ui/first-screen.ts). Uses `chrome` directly: the browser polyfill
 * would be most of its size and load time; `i18n.getMessage` is the same in every browser.
 */
declare const chrome: { i18n: { getMessage: (key: string, substitutions?: string[]) => string } };

export default defineUnlistedScript(() => {
  startFirstScreen(
    window,
    translatorOver((key, substitutions) => chrome.i18n.getMessage(key, substitutions)),
  );
});
