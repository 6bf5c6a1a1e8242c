/**
 * DOM helpers of the picker overlay: frames, coordinates, keyboard navigation, swallowing the
 * page's events. Plain functions over the DOM they are given.
 */

/**
 * Resolves after the browser rendered the document as it is now. Animation-frame callbacks run
 * at the start of the next rendering update; that same update then does style, layout, paint and
 * the commit to the compositor. A task queued from the callback runs once that update is over:
 * the frame is on its way to the screen before the background asks for a screenshot (which takes
 * further IPC hops through the browser process and is served at the display's next frame).
 */
export const afterNextFrame = () => new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));

/** Position of `doc`'s viewport within the top-level viewport (same-origin frames only). */
export function frameOffset(doc: Document): { x: number; y: number } {
  let x = 0;
  let y = 0;
  for (let win: Window | null = doc.defaultView; win && win !== win.top; win = win.parent) {
    const frame = win.frameElement as HTMLElement | null;
    if (!frame) break;
    const rect = frame.getBoundingClientRect();
    x += rect.left + frame.clientLeft;
    y += rect.top + frame.clientTop;
  }
  return { x, y };
}

export function sameOriginDoc(frame: Element): Document | null {
  try {
    return (frame as HTMLIFrameElement).contentDocument;
  } catch {
    return null;
  }
}

export const isFrame = (el: Element) => el.localName === 'iframe' || el.localName === 'frame';

/** Box of an element in top-level viewport coordinates. */
export const topRect = (el: Element) => {
  const rect = el.getBoundingClientRect();
  const offset = frameOffset(el.ownerDocument);
  return new DOMRect(rect.left + offset.x, rect.top + offset.y, rect.width, rect.height);
};

/** Keeps a trusted event from the page: no default action, no page listener. */
export const swallow = (event: Event) => {
  if (!event.isTrusted) return;
  event.preventDefault();
  event.stopImmediatePropagation();
};

const firstVisible = (el: Element | null): Element | null => {
  for (let node = el; node; node = node.nextElementSibling) {
    const rect = node.getBoundingClientRect();
    if (rect.width > 0 && rect.height > 0) return node;
  }
  return el;
};

/**
 * Keyboard navigation: ↑ parent (through shadow roots and same-origin frames), ↓ first visible
 * child (into them), ←/→ siblings. Without a current element, the body.
 */
export function nextElement(current: Element | null, key: string, doc: Document): Element | null {
  if (!current) return doc.body;
  switch (key) {
    case 'ArrowUp': {
      if (current.parentElement && current.parentElement !== current.ownerDocument.documentElement) return current.parentElement;
      const root = current.getRootNode() as Node & { host?: Element };
      if (root.nodeType === 11 && root.host) return root.host;
      return (current.ownerDocument.defaultView?.frameElement as Element | null) ?? null;
    }
    case 'ArrowDown': {
      if (current.shadowRoot?.firstElementChild) return firstVisible(current.shadowRoot.firstElementChild);
      if (isFrame(current)) return sameOriginDoc(current)?.body ?? null;
      return current.firstElementChild ? firstVisible(current.firstElementChild) : null;
    }
    case 'ArrowLeft':
      return current.previousElementSibling;
    case 'ArrowRight':
      return current.nextElementSibling;
  }
  return null;
}

/** Teardown: the key that ended the picker is released after it; its keyup stays ours too. */
export function swallowKeyupOf(win: Window, key: string): void {
  const frames = [...win.document.querySelectorAll('iframe, frame')].map((f) => sameOriginDoc(f)?.defaultView);
  const views = [win, ...(frames.filter(Boolean) as Window[])];
  const stopAt = new AbortController();
  const onUp = (event: KeyboardEvent) => {
    if (event.key !== key) return;
    swallow(event);
    stopAt.abort();
  };
  for (const view of views) view.addEventListener('keyup', onUp, { capture: true, signal: stopAt.signal });
  setTimeout(() => stopAt.abort(), 2000);
}
