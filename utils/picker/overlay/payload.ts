import type { PickerCapture } from '../../schema/capture';
import { capText, cssSelectorFor, describeElementText, describeRange, isWebUrl, likelyPermalink, linksIn, mediaIn, pageFacts } from '../describe';
import { isFrame, sameOriginDoc, topRect } from './dom';

/** What a pick sends: the capture schema's type, so the background's check and this agree. */
export type PickPayload = PickerCapture;

interface PickContext {
  token: string;
  /** The top-level window the picker runs in. */
  win: Window;
}

/** A picked element, described the moment it is picked. */
export function elementPayload(el: Element, { token, win }: PickContext, overlayProbe: () => PickPayload['overlayProbe']): PickPayload {
  // The pick is the click or key press: taken before the selector and text are worked out.
  const pickedAt = Date.now();
  const doc = win.document;
  const ownerDoc = el.ownerDocument;
  const rect = topRect(el);
  const facts = pageFacts(doc);
  const iframeSrc = isFrame(el) && !sameOriginDoc(el) ? (el as HTMLIFrameElement).src : undefined;
  const textSource = (el as HTMLElement).innerText ?? el.textContent ?? '';
  const quote = describeElementText(el);
  return {
    token,
    kind: 'element',
    selectors: [cssSelectorFor(el), ...(quote ?? [])],
    ...capText(textSource),
    tagName: el.localName.slice(0, 64),
    links: linksIn(el),
    media: mediaIn(el),
    box: { x: rect.x, y: rect.y, width: rect.width, height: rect.height },
    // A srcdoc, about:blank or blob: frame has no address of its own to report: its content is
    // the page's (the tab's URL stands for it), so no frameUrl rather than a refused pick.
    ...(ownerDoc !== doc && isWebUrl(ownerDoc.URL) ? { frameUrl: ownerDoc.URL } : {}),
    ...(iframeSrc && /^https?:/.test(iframeSrc) ? { iframeSrc } : {}),
    ...facts,
    ...(likelyPermalink(el) ? { permalink: likelyPermalink(el) } : {}),
    viewport: { width: win.innerWidth, height: win.innerHeight },
    devicePixelRatio: win.devicePixelRatio || 1,
    pickedAt,
    overlayProbe: overlayProbe(),
  };
}

/** Text that was selected when the picker started, confirmed by the user (see `visibleSelection`). */
export function selectionPayload(range: Range, { token, win }: PickContext): PickPayload {
  const pickedAt = Date.now();
  const doc = win.document;
  const [quote, position] = describeRange(range, doc.body);
  const element = rangeElement(range) ?? doc.body;
  const rect = range.getBoundingClientRect();
  return {
    token,
    kind: 'selection',
    selectors: [cssSelectorFor(element), quote, position],
    ...capText(range.toString()),
    links: linksIn(element),
    media: [],
    box: { x: rect.x, y: rect.y, width: rect.width, height: rect.height },
    ...pageFacts(doc),
    viewport: { width: win.innerWidth, height: win.innerHeight },
    devicePixelRatio: win.devicePixelRatio || 1,
    pickedAt,
  };
}

const rangeElement = (range: Range): Element | null => {
  const container = range.commonAncestorContainer;
  return container.nodeType === 1 ? (container as Element) : container.parentElement;
};

/**
 * The page's selection, if the user can see it: on screen, with a size, in an element that is
 * rendered, visible and not transparent. A page can select text by script, hidden or off screen;
 * such a selection is not offered. A copy: the page cannot change it afterwards.
 */
export function visibleSelection(win: Window): { range: Range; element: Element } | null {
  const selection = win.getSelection();
  if (!selection || selection.isCollapsed || selection.rangeCount === 0 || !selection.toString().trim()) return null;
  const range = selection.getRangeAt(0).cloneRange();
  const element = rangeElement(range);
  const rect = range.getBoundingClientRect();
  const onScreen = rect.width > 0 && rect.height > 0 && rect.bottom > 0 && rect.right > 0 && rect.top < win.innerHeight && rect.left < win.innerWidth;
  const shown =
    (element as Element & { checkVisibility?: (o: object) => boolean })?.checkVisibility?.({ opacityProperty: true, visibilityProperty: true }) ?? true;
  return element && onScreen && shown ? { range, element } : null;
}
