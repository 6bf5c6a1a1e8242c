import en from '../../public/_locales/en/messages.json';
import zh from '../../public/_locales/zh_CN/messages.json';
import { messageFrom, type MessageCatalog } from '@/utils/i18n-catalog';

export type Catalog = MessageCatalog;
export const CATALOGS: Record<'en' | 'zh_CN', Catalog> = { en, zh_CN: zh };

/** `i18n.getMessage` as Chromium implements it (utils/i18n-catalog.ts); the fake browser has no i18n. */
export function createGetMessage(catalog: Catalog) {
  return (key: string, substitutions?: string | string[]): string => messageFrom(catalog, key, substitutions);
}
