/**
 * Duplicate detection without the schema library, so the workspace's first screen can load it
 * (utils/workspace/duplicates.ts re-exports all of it, with merging).
 */

/** What grouping needs besides the key. */
type Grouped = Pick<DuplicateInput, 'id' | 'duplicateAck'>;

/** What duplicate detection looks at for one report. */
export interface DuplicateInput {
  id: string;
  url: string;
  canonicalUrl?: string;
  /** Text captured from the page, when there is any. */
  text?: string;
  category: string;
  duplicateAck?: boolean;
}

/**
 * A URL reduced to what identifies the content: no fragment, no `utm_*` tracking parameters,
 * no trailing slash, remaining parameters sorted. Unparseable input is returned trimmed.
 */
export function normalizeUrl(url: string): string {
  if (!URL.canParse(url)) return url.trim();
  const parsed = new URL(url);
  parsed.hash = '';
  const kept = [...parsed.searchParams].filter(([key]) => !key.toLowerCase().startsWith('utm_'));
  kept.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  parsed.search = new URLSearchParams(kept).toString();
  if (parsed.pathname.length > 1 && parsed.pathname.endsWith('/')) parsed.pathname = parsed.pathname.replace(/\/+$/, '');
  let text = parsed.toString();
  if (text.endsWith('/') && parsed.search === '') text = text.slice(0, -1);
  return text;
}

export const normalizeText = (text: string) => text.normalize('NFC').replace(/\s+/g, ' ').trim();

/**
 * Two reports are duplicates when they point at the same canonical URL and captured the same
 * text; without captured text, when they point at the same URL with the same category.
 */
export function duplicateKey(input: DuplicateInput): string {
  const url = normalizeUrl(input.canonicalUrl ?? input.url);
  const text = input.text === undefined ? '' : normalizeText(input.text);
  return text ? `${url}\u0000text\u0000${text}` : `${url}\u0000category\u0000${input.category}`;
}

/**
 * Groups of two or more duplicates, by key. A group the user has already acknowledged
 * ("send both on purpose": every member has `duplicateAck`) is not flagged again. `keyOf` lets
 * the workspace pass keys it computed once per row (`WorkspaceRow.dupKey`, which saw the
 * captured text and canonical URL) instead of computing them again.
 */
export function findDuplicateGroups(inputs: readonly DuplicateInput[]): Map<string, string[]>;
export function findDuplicateGroups<T extends Grouped>(inputs: readonly T[], keyOf: (input: T) => string): Map<string, string[]>;
export function findDuplicateGroups(inputs: readonly Grouped[], keyOf: (input: never) => string = duplicateKey): Map<string, string[]> {
  const key$ = keyOf as (input: Grouped) => string;
  const byKey = new Map<string, Grouped[]>();
  for (const input of inputs) {
    const key = key$(input);
    const group = byKey.get(key);
    if (group) group.push(input);
    else byKey.set(key, [input]);
  }
  const flagged = new Map<string, string[]>();
  for (const [key, group] of byKey) {
    if (group.length > 1 && !group.every((member) => member.duplicateAck))
      flagged.set(
        key,
        group.map((member) => member.id),
      );
  }
  return flagged;
}

/** Report id → the ids of its duplicates (itself included), for every flagged report. */
export function duplicateIndex(groups: Map<string, string[]>): Map<string, string[]> {
  const index = new Map<string, string[]>();
  for (const ids of groups.values()) for (const id of ids) index.set(id, ids);
  return index;
}
