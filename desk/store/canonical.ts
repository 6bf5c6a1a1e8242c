/**
 * What makes two reports "about the same thing" (issue 17, Clusters): the same page once the
 * address's noise is taken out, or the same captured text once spacing and case are. Pure
 * functions; desk/store/clusters.ts turns them into cluster keys.
 */
import { createHash } from 'node:crypto';

/** Query parameters that say how a link was shared, not what it points at. */
const TRACKING_EXACT = new Set([
  'spm',
  'from',
  'fbclid',
  'gclid',
  'dclid',
  'msclkid',
  'yclid',
  'igshid',
  'mc_cid',
  'mc_eid',
  'ref',
  'ref_src',
  'scm',
  'sharer',
  'share_token',
  'timestamp',
  'vd_source',
  'wfr',
  'xhsshare',
  'xsec_source',
  'isappinstalled',
]);
const TRACKING_PREFIX = ['utm_', 'share_', 'wt.', 'pk_', 'hmsr', 'hmpl', 'hmcu', 'hmkw', 'hmci'];

function isTracking(name: string): boolean {
  const lower = name.toLowerCase();
  return TRACKING_EXACT.has(lower) || TRACKING_PREFIX.some((prefix) => lower.startsWith(prefix));
}

/**
 * The canonical form of a page address: scheme and host lower-case (the URL parser does it), the
 * default port, the fragment and tracking parameters dropped, the remaining parameters sorted, a
 * trailing slash on a non-root path dropped. An address that does not parse is returned trimmed.
 */
export function canonicalUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return raw.trim();
  }
  url.hash = '';
  url.username = '';
  url.password = '';
  // The parser already drops a port equal to the scheme's default; "www." stays (it can be another site).
  const kept = [...url.searchParams.entries()].filter(([name]) => !isTracking(name));
  kept.sort(([a, av], [b, bv]) => (a === b ? (av < bv ? -1 : av > bv ? 1 : 0) : a < b ? -1 : 1));
  url.search = '';
  for (const [name, value] of kept) url.searchParams.append(name, value);
  if (url.pathname.length > 1 && url.pathname.endsWith('/')) url.pathname = url.pathname.replace(/\/+$/, '');
  return url.toString();
}

/** Captured text shorter than this (after normalising) is too generic to group reports by. */
export const TEXT_KEY_MIN_CHARS = 8;

/** SHA-256 of the captured text with case folded and runs of white space made one space; undefined when too short. */
export function capturedTextHash(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const normalised = text.normalize('NFKC').toLowerCase().replace(/\s+/gu, ' ').trim();
  if ([...normalised].length < TEXT_KEY_MIN_CHARS) return undefined;
  return createHash('sha256').update(normalised, 'utf8').digest('hex');
}
