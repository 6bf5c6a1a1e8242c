/**
 * The post, not the paragraph: what the picker highlights first is the nearest *post-like*
 * ancestor of the element under the pointer (itself included), since a user pointing at a post
 * means the post — its author, time, text and images — not the line of text under the pointer.
 *
 * Post-like is either
 * - marked up as one: `article`, `[role=article]`, or schema.org microdata for a comment or a
 *   social media posting (`[itemtype*=Comment]`, `[itemtype*=SocialMediaPosting]`); or
 * - a feed item: a block with parts of its own (two or more child elements, or one wrapper of
 *   two or more) whose neighbouring
 *   siblings share its structure (same tag and classes, same first part) — the repeated cards
 *   of a feed, a comment list or a forum thread, which most sites build from plain `div`s.
 * Either must be a sensible size: not a sliver (a row of a table of numbers), not the page
 * itself. Checks look at a few neighbours only, so a list of 20,000 rows costs no more than one
 * of three (the pointer-move budget in scripts/bench/figures/picker.ts).
 */

const MARKED_POST = 'article, [role="article"], [itemtype*="Comment"], [itemtype*="SocialMediaPosting"]';

/** Text-level and control elements: repeated paragraphs or links are never posts by shape alone. */
const NEVER_FEED_ITEM = new Set([
  'p',
  'span',
  'a',
  'b',
  'i',
  'em',
  'strong',
  'small',
  'code',
  'pre',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'label',
  'button',
  'img',
  'svg',
  'br',
  'td',
  'th',
]);

const MIN_WIDTH = 120;
const MIN_HEIGHT = 32;
/** How many siblings on each side are compared. */
const NEIGHBOURS = 2;

/** Parts of its own: two or more child elements, or one wrapper holding two or more (a list item around a card). */
const hasParts = (el: Element) => el.childElementCount >= 2 || (el.childElementCount === 1 && (el.firstElementChild?.childElementCount ?? 0) >= 2);

const shape = (el: Element) => `${el.localName}.${[...el.classList].sort().join('.')}>${el.firstElementChild?.localName ?? ''}`;

function sharesStructure(el: Element): boolean {
  if (NEVER_FEED_ITEM.has(el.localName) || !hasParts(el)) return false;
  const own = shape(el);
  let alike = 0;
  for (const step of ['previousElementSibling', 'nextElementSibling'] as const) {
    let sibling = el[step];
    for (let i = 0; sibling && i < NEIGHBOURS; i++, sibling = sibling[step]) {
      if (hasParts(sibling) && shape(sibling) === own) alike++;
    }
  }
  return alike >= 1;
}

/** Not a sliver, and not (nearly) the whole page. */
function sensibleSize(el: Element, win: Window): boolean {
  const rect = el.getBoundingClientRect();
  if (rect.width < MIN_WIDTH || rect.height < MIN_HEIGHT) return false;
  const page = win.document.documentElement.getBoundingClientRect();
  return !(rect.height >= page.height * 0.9 && rect.width >= page.width * 0.9);
}

/** The nearest post-like ancestor of `el` (itself included), or null when there is none. */
export function postLikeAncestor(el: Element): Element | null {
  const doc = el.ownerDocument;
  const win = doc.defaultView;
  if (!win) return null;
  for (let node: Element | null = el; node && node !== doc.body && node !== doc.documentElement; node = node.parentElement) {
    if ((node.matches(MARKED_POST) || sharesStructure(node)) && sensibleSize(node, win)) return node;
  }
  return null;
}

/** ↓ from a post back towards what the pointer is on: the child of `current` on the way to `pointed`. */
export function childTowards(current: Element, pointed: Element | null): Element | null {
  if (!pointed || pointed === current || !current.contains(pointed)) return null;
  let node: Element = pointed;
  while (node.parentElement && node.parentElement !== current) node = node.parentElement;
  return node.parentElement === current ? node : null;
}
