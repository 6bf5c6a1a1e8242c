/** A `messages.json` catalogue as shipped in `public/_locales/<lang>/`. */
export type MessageCatalog = Record<string, { message: string; placeholders?: Record<string, { content: string }> }>;

/**
 * `i18n.getMessage` as Chromium implements it, over a given catalogue: `$NAME$` placeholders
 * expand to their content, whose `$1`…`$9` take the substitutions; `$$` is a literal dollar.
 * Text written *to* an official channel is in the channel's language, not the browser's, and the
 * Desk has no `browser.i18n`: both read a catalogue through this. Unit tests fake the browser's
 * i18n with it too.
 */
export function messageFrom(catalog: MessageCatalog, key: string, substitutions?: string | number | Array<string | number>): string {
  const entry = catalog[key];
  if (!entry) return '';
  const subs = substitutions === undefined ? [] : [substitutions].flat().map(String);
  const fill = (text: string) => text.replace(/\$(\d)/g, (_, n: string) => subs[Number(n) - 1] ?? '');
  return entry.message
    .replace(/\$([A-Za-z0-9_@]+)\$/g, (match, name: string) => {
      const placeholder = entry.placeholders?.[name.toLowerCase()];
      return placeholder ? fill(placeholder.content) : match;
    })
    .replace(/\$\$/g, '$');
}
