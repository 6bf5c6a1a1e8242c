import { finder } from '@medv/finder';
import type { CssSelectorValue, TextPositionSelectorValue, TextQuoteSelectorValue } from '../schema/capture';

/**
 * What the picker records about a picked element or selection, computed from the live DOM the
 * moment the user picks (feeds unmount posts as you scroll). Plain DOM, no zod and no UI
 * framework: this module is bundled into the injected picker script, which has a 12 KB budget.
 * The background validates everything it receives with zod (utils/schema/capture.ts).
 */
export const TEXT_MAX = 10_000;
export const URLS_MAX = 50;
export const CONTEXT_CHARS = 32;
/** The capture schema's SELECTOR_MAX and SELECTOR_DEPTH_MAX: a longer or deeper selector is refused there. */
export const SELECTOR_CHARS = 4000;
export const SELECTOR_DEPTH = 8;
/** Longest id or class name a selector uses: a page can give an element a 5,000-character id. */
const NAME_CHARS = 64;

/** The selectors' shapes come from the capture schema, the one definition the background checks. */
export type CssSel = CssSelectorValue;
export type QuoteSel = TextQuoteSelectorValue;
export type PositionSel = TextPositionSelectorValue;

export const isWebUrl = (url: string) => /^(https?|file):/i.test(url);

/** Realm-independent (same-origin frames have their own `ShadowRoot` constructor). */
const isShadowRoot = (node: Node): node is ShadowRoot => node.nodeType === 11 && 'host' in node;

/**
 * A selector that finds exactly `element` again; through open shadow roots via `refinedBy`. A
 * page can make the usual one unusable (a 5,000-character id, a DOM thousands deep, shadow roots
 * nested deeper than the schema takes): it then degrades — a structural path, cut to the cap; the
 * outermost {@link SELECTOR_DEPTH} shadow hosts — rather than making the element unpickable.
 */
export function cssSelectorFor(element: Element): CssSel {
  const chain: CssSel[] = [];
  for (let el: Element | undefined = element; el;) {
    const root = el.getRootNode();
    chain.unshift({ type: 'CssSelector', value: selectorInRoot(el, root) });
    el = isShadowRoot(root) ? root.host : undefined;
  }
  const kept = chain.slice(0, SELECTOR_DEPTH);
  for (let i = kept.length - 1; i > 0; i--) kept[i - 1]!.refinedBy = kept[i];
  return kept[0]!;
}

function selectorInRoot(element: Element, root: Node): string {
  let value: string | undefined;
  try {
    value = finder(element, {
      root: isShadowRoot(root) ? (root as unknown as Element) : element.ownerDocument.documentElement,
      // Generated class names (css-1x2y3z, sc-…) change between builds; skip them.
      className: (name) => name.length <= NAME_CHARS && !/^(css|sc|jsx|svelte|emotion)-|\d{3,}|[A-Z].*\d|__/.test(name),
      idName: (name) => name.length <= NAME_CHARS && !/\d{4,}|^[a-f0-9-]{16,}$/i.test(name),
      timeoutMs: 200,
    });
  } catch {
    // finder gives up on some pages (timeouts, odd names): the structural path still works.
  }
  return value && value.length <= SELECTOR_CHARS ? value : structuralPath(element, root);
}

/** `:nth-child` steps from the root down; past the cap, only the steps nearest the element. */
function structuralPath(element: Element, root: Node): string {
  const steps: string[] = [];
  for (let el: Element | null = element; el; el = el.parentElement) {
    const parent = el.parentElement;
    // At the top of a shadow root there is no parent element: count among the root's children.
    const siblings = parent ? parent.children : isShadowRoot(root) ? root.children : null;
    steps.unshift(siblings ? `:nth-child(${[...siblings].indexOf(el) + 1})` : ':root');
  }
  let path = steps.join('>');
  while (path.length > SELECTOR_CHARS) {
    steps.shift();
    path = steps.join('>');
  }
  return path;
}

/** Resolves a CssSelector (with `refinedBy` through shadow roots) to every element it matches. */
export function resolveCssSelector(doc: Document, selector: CssSel): Element[] {
  let scopes: Array<Document | ShadowRoot> = [doc];
  let current: CssSel | undefined = selector;
  let found: Element[] = [];
  while (current) {
    const value: string = current.value;
    found = scopes.flatMap((scope) => [...scope.querySelectorAll(value)]);
    current = current.refinedBy;
    if (current) scopes = found.map((el) => el.shadowRoot).filter((r): r is ShadowRoot => !!r);
  }
  return found;
}

/** Text nodes of `root` in document order, as the W3C TextPositionSelector counts them. */
function textNodes(root: Node): Text[] {
  const walker = root.ownerDocument!.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const nodes: Text[] = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) nodes.push(node as Text);
  return nodes;
}

/** Character offset of the boundary point (node, offset) within `scope`'s textContent. */
export function textOffset(scope: Node, node: Node, offset: number): number {
  const boundary = scope.ownerDocument!.createRange();
  boundary.setStart(node, offset);
  let total = 0;
  for (const text of textNodes(scope)) {
    if (text === node) return total + offset;
    // Every text node that ends at or before the boundary counts in full.
    if (boundary.comparePoint(text, text.data.length) > 0) return total;
    total += text.data.length;
  }
  return total;
}

/** TextQuote + TextPosition for a range of `scope`'s text (default scope: the body). */
export function describeRange(range: Range, scope: Node = range.commonAncestorContainer.ownerDocument!.body): [QuoteSel, PositionSel] {
  const all = scope.textContent ?? '';
  const start = textOffset(scope, range.startContainer, range.startOffset);
  const end = Math.max(start, textOffset(scope, range.endContainer, range.endOffset));
  return describeSpan(all, start, end);
}

export function describeSpan(all: string, start: number, end: number): [QuoteSel, PositionSel] {
  const exact = all.slice(start, Math.min(end, start + TEXT_MAX));
  return [
    { type: 'TextQuoteSelector', exact, prefix: all.slice(Math.max(0, start - CONTEXT_CHARS), start), suffix: all.slice(end, end + CONTEXT_CHARS) },
    { type: 'TextPositionSelector', start, end },
  ];
}

/** TextQuote + TextPosition for an element's whole text. */
export function describeElementText(element: Element): [QuoteSel, PositionSel] | undefined {
  const doc = element.ownerDocument;
  // Inside a shadow root the body's textContent does not include it: scope to the shadow root.
  const root = element.getRootNode();
  const scope: Node = isShadowRoot(root) ? root : (doc.body ?? doc.documentElement);
  if (!scope.contains(element) || !(element.textContent ?? '').trim()) return undefined;
  const range = doc.createRange();
  range.selectNodeContents(element);
  return describeRange(range, scope);
}

/** Finds a quote again: the position of exact with its prefix/suffix in `all`, or -1. */
export function anchorQuote(all: string, quote: Omit<QuoteSel, 'type'>): number {
  const at = all.indexOf(quote.prefix + quote.exact + quote.suffix);
  return at < 0 ? -1 : at + quote.prefix.length;
}

export function capText(text: string): { text: string; truncated: boolean } {
  return text.length > TEXT_MAX ? { text: text.slice(0, TEXT_MAX), truncated: true } : { text, truncated: false };
}

const unique = <T>(items: T[]) => [...new Set(items)];

/** Absolute http(s) link targets inside (or of) the element, capped. */
export function linksIn(element: Element): string[] {
  const anchors = [...(element.matches('a[href]') ? [element] : []), ...element.querySelectorAll('a[href], area[href]')];
  return unique(anchors.map((a) => (a as HTMLAnchorElement).href).filter(isWebUrl)).slice(0, URLS_MAX);
}

/** Image and video addresses inside (or of) the element, capped. */
export function mediaIn(element: Element): Array<{ type: 'image' | 'video'; url: string }> {
  const found: Array<{ type: 'image' | 'video'; url: string }> = [];
  const nodes = [...(element.matches('img, video') ? [element] : []), ...element.querySelectorAll('img, video, video source')];
  for (const node of nodes) {
    if (node.localName === 'img') found.push({ type: 'image', url: (node as HTMLImageElement).currentSrc || (node as HTMLImageElement).src });
    else if (node.localName === 'video') {
      found.push({ type: 'video', url: (node as HTMLVideoElement).currentSrc || (node as HTMLVideoElement).src });
      const poster = node.getAttribute('poster');
      if (poster && URL.canParse(poster, node.baseURI)) found.push({ type: 'image', url: new URL(poster, node.baseURI).href });
    } else if (node.localName === 'source') found.push({ type: 'video', url: (node as HTMLSourceElement).src });
  }
  const seen = new Set<string>();
  return found.filter((m) => isWebUrl(m.url) && !seen.has(m.url) && seen.add(m.url)).slice(0, URLS_MAX);
}

const POST_PATH =
  /\/(status|statuses|post|posts|p|comment|comments|thread|threads|article|articles|video|videos|note|notes|answer|question|t|s|weibo|detail)\/[\w-]{2,}|[?&](p|post|id|tid|pid)=\w+|#(post|comment|reply)-?\w+/i;

/**
 * A likely permalink of a post: a link inside it that points at the post itself. Best is the
 * link wrapping (or next to) a <time> element — how most feeds link a post's date to the post —
 * then a link whose address looks like a post's (`/status/…`, `/post/…`, `/p/…`, `#post-…`).
 */
export function likelyPermalink(element: Element): string | undefined {
  const anchors = [...(element.matches('a[href]') ? [element] : []), ...element.querySelectorAll('a[href]')] as HTMLAnchorElement[];
  const candidates = anchors.filter((a) => isWebUrl(a.href));
  const byTime = candidates.find((a) => a.querySelector('time') || a.closest('time') || a.parentElement?.querySelector(':scope > time'));
  if (byTime) return byTime.href;
  const here = element.ownerDocument.location?.href;
  return candidates.find((a) => POST_PATH.test(new URL(a.href).pathname + new URL(a.href).search + new URL(a.href).hash) && a.href !== here)?.href;
}

/** The page's own claims (not trusted for URL/title; kept as extra context). */
export function pageFacts(doc: Document): { canonicalUrl?: string; lang?: string } {
  const canonical = doc.querySelector<HTMLLinkElement>('link[rel~="canonical" i][href]')?.href;
  const lang = doc.documentElement.lang.trim().slice(0, 35);
  return { ...(canonical && isWebUrl(canonical) ? { canonicalUrl: canonical } : {}), ...(lang ? { lang } : {}) };
}
