/** Every key of the English catalogue; zh_CN must have exactly the same (tests/unit/i18n.test.ts). */
export type MessageKey = keyof typeof import('../public/_locales/en/messages.json');

export type Translate = (key: MessageKey, substitutions?: string | number | Array<string | number>) => string;

/**
 * A translator over the browser's `i18n.getMessage` (a missing message shows its key). Kept apart
 * from utils/i18n.ts, which binds it to the browser polyfill, so the popup's first-screen script
 * can use it with the browser's own `chrome.i18n` and stay free of the polyfill.
 */
export const translatorOver =
  (getMessage: (key: MessageKey, substitutions?: string[]) => string): Translate =>
  (key, substitutions) =>
    getMessage(key, substitutions === undefined ? undefined : [substitutions].flat().map(String)) || key;
