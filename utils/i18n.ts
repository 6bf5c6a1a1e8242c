import { browser } from 'wxt/browser';

/** Every key of the English catalogue; zh_CN must have exactly the same (tests/unit/i18n.test.ts). */
export type MessageKey = keyof typeof import('../public/_locales/en/messages.json');

export type Translate = (key: MessageKey, substitutions?: string | number | Array<string | number>) => string;

/**
 * The browser picks the catalogue from its UI language (zh_CN when the browser speaks Chinese),
 * so pages and the background agree without a setting of our own.
 */
export const translate: Translate = (key, substitutions) => {
  const subs = substitutions === undefined ? undefined : [substitutions].flat().map(String);
  return browser.i18n.getMessage(key, subs) || key;
};

/** BCP 47 tag of the catalogue in use, for `<html lang>`. */
export const uiLanguageTag = (t: Translate = translate) => t('localeTag');
