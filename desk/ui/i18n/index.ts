/**
 * The Desk interface's languages: the browser's language picks (Chinese → zh-CN, else English),
 * a visible switch overrides and is remembered in localStorage. Category and sub-reason names
 * come from the extension's own catalogues, so reporters and reviewers read the same words.
 */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import extensionEn from '../../../public/_locales/en/messages.json';
import extensionZh from '../../../public/_locales/zh_CN/messages.json';
import { en, type UiKey } from './en';
import { zh } from './zh';

export type { UiKey } from './en';
export const LOCALES = ['en', 'zh-CN'] as const;
export type Locale = (typeof LOCALES)[number];
export const LOCALE_NAMES: Record<Locale, string> = { en: 'English', 'zh-CN': '简体中文' };
export const LOCALE_STORAGE_KEY = 'flagline-desk-locale';

const CATALOGUES: Record<Locale, Record<UiKey, string>> = { en, 'zh-CN': zh };
type ExtensionCatalogue = Record<string, { message: string } | undefined>;
const EXTENSION: Record<Locale, ExtensionCatalogue> = { en: extensionEn, 'zh-CN': extensionZh };

export function pickLocale(stored: string | null, languages: readonly string[]): Locale {
  if (stored && (LOCALES as readonly string[]).includes(stored)) return stored as Locale;
  for (const language of languages) {
    const tag = language.toLowerCase();
    if (tag.startsWith('zh')) return 'zh-CN';
    if (tag.startsWith('en')) return 'en';
  }
  return 'en';
}

export interface Messages {
  locale: Locale;
  t: (key: UiKey, ...substitutions: Array<string | number>) => string;
  /** A category id (`rumor`, `custom:…`) in this language. */
  category: (id: string) => string;
  subReason: (category: string, id: string) => string;
  dateTime: (iso: string) => string;
}

export function messagesFor(locale: Locale): Messages {
  const catalogue = CATALOGUES[locale];
  const extension = EXTENSION[locale];
  const format = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  return {
    locale,
    t: (key, ...substitutions) => catalogue[key].replace(/\{(\d+)\}/g, (whole, index: string) => String(substitutions[Number(index)] ?? whole)),
    category: (id) => extension[`category_${id}`]?.message ?? id.replace(/^custom:/, ''),
    subReason: (category, id) => extension[`reason_${category}_${id}`]?.message ?? id,
    dateTime: (iso) => {
      const date = new Date(iso);
      return Number.isNaN(date.getTime()) ? iso : format.format(date);
    },
  };
}

export const MessagesContext = createContext<Messages>(messagesFor('en'));
export const useMessages = () => useContext(MessagesContext);
