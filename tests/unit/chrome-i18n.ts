import type { Translate } from '@/utils/i18n';
import en from '../../public/_locales/en/messages.json';
import zh from '../../public/_locales/zh_CN/messages.json';

export type Catalog = Record<string, { message: string; placeholders?: Record<string, { content: string }> }>;
export const CATALOGS: Record<'en' | 'zh_CN', Catalog> = { en, zh_CN: zh };

/**
 * `i18n.getMessage` as Chromium implements it: `$NAME$` placeholders expand to their content,
 * whose `$1`…`$9` take the substitutions; `$$` is a literal dollar. The fake browser has no i18n.
 */
export function createGetMessage(catalog: Catalog) {
  return (key: string, substitutions?: string | string[]): string => {
    const entry = catalog[key];
    if (!entry) return '';
    const subs = substitutions === undefined ? [] : [substitutions].flat();
    const fill = (text: string) => text.replace(/\$(\d)/g, (_, n: string) => subs[Number(n) - 1] ?? '');
    return entry.message
      .replace(/\$([A-Za-z0-9_@]+)\$/g, (match, name: string) => {
        const placeholder = entry.placeholders?.[name.toLowerCase()];
        return placeholder ? fill(placeholder.content) : match;
      })
      .replace(/\$\$/g, '$');
  };
}

/** A `Translate` for one locale's catalogue, for modules that take the translator as a parameter. */
export const translatorFor = (locale: keyof typeof CATALOGS): Translate => {
  const getMessage = createGetMessage(CATALOGS[locale]);
  return (key, substitutions) => getMessage(key, substitutions === undefined ? undefined : [substitutions].flat().map(String));
};
