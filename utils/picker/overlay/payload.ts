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

/** Text the user had selected before starting the picker. */
export function selectionPayload(selection: Selection, { token, win }: PickContext): PickPayload {
  const pickedAt = Date.now();
  const doc = win.document;
  const range = selection.getRangeAt(0);
  const [quote, position] = describeRange(range, doc.body);
  const container = range.commonAncestorContainer;
  const element = container instanceof Element ? container : (container.parentElement ?? doc.body);
  const rect = range.getBoundingClientRect();
  return {
    token,
    kind: 'selection',
    selectors: [cssSelectorFor(element), quote, position],
    ...capText(selection.toString()),
    links: linksIn(element),
    media: [],
    box: { x: rect.x, y: rect.y, width: rect.width, height: rect.height },
    ...pageFacts(doc),
    viewport: { width: win.innerWidth, height: win.innerHeight },
    devicePixelRatio: win.devicePixelRatio || 1,
    pickedAt,
  };
}
