import { browser } from 'wxt/browser';

import { translatorOver, type Translate } from './translator';

export type { MessageKey, Translate } from './translator';

/**
 * The browser picks the catalogue from its UI language (zh_CN when the browser speaks Chinese),
 * so pages and the background agree without a setting of our own.
 */
export const translate: Translate = translatorOver((key, substitutions) => browser.i18n.getMessage(key, substitutions));

/** BCP 47 tag of the catalogue in use, for `<html lang>`. */
export const uiLanguageTag = (t: Translate = translate) => t('localeTag');
