import { capText, cssSelectorFor, describeElementText, describeRange, likelyPermalink, linksIn, mediaIn, pageFacts } from './describe';
import { OVERLAY_PROBE_HEX } from './probe';
import type { PickerCapture } from '../schema/capture';

/**
 * The picker overlay, injected into a page only when the user asks (scripting.executeScript).
 * Plain DOM in a closed shadow root, styled with a constructed stylesheet (no
 * web_accessible_resources, not subject to the page's style-src CSP). Nothing typeable is ever
 * injected: the report form lives in extension UI.
 *
 * Budget: ≤ 12 KB gzipped (scripts/bench/figures/picker.ts) — no zod, no Preact here.
 *
 * Over 300 lines in one module for now: highlight, keyboard navigation, the hint and teardown
 * share the overlay's state (the current target, the shadow root, the listeners to remove) in
 * one closure; splitting them into modules that take that state as a parameter is the next step.
 */

export interface PickerEnv {
  token: string;
  /** `chrome.runtime.sendMessage`; throws "Extension context invalidated" after a reload. */
  send: (message: unknown) => Promise<unknown>;
  /** False once the extension was reloaded or removed (`chrome.runtime.id` is gone). */
  alive: () => boolean;
  t: (key: string, subs?: string[]) => string;
}

/** What a pick sends: the capture schema's type, so the background's check and this agree. */
export type PickPayload = PickerCapture;

const CSS = `
:host{all:initial}
.box{position:fixed;pointer-events:none;box-sizing:border-box;border:2px solid #0b57d0;background:rgba(11,87,208,.12);outline:1px solid #fff;border-radius:2px;display:none;z-index:1}
.box.click{pointer-events:auto;cursor:pointer}
.label{position:fixed;pointer-events:none;font:12px/1.4 system-ui,sans-serif;background:#0b57d0;color:#fff;padding:1px 6px;border-radius:3px;white-space:nowrap;display:none;z-index:2}
.hint{position:fixed;left:50%;top:12px;transform:translateX(-50%);pointer-events:none;font:13px/1.4 system-ui,'PingFang SC','Microsoft YaHei',sans-serif;background:${OVERLAY_PROBE_HEX};color:#fff;padding:6px 12px;border-radius:6px;box-shadow:0 2px 8px rgba(0,0,0,.3);z-index:3}
.sr{position:fixed;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
`;

const MAX_MEASURES = 2000;

/**
 * Resolves after the browser rendered the document as it is now. Animation-frame callbacks run
 * at the start of the next rendering update; that same update then does style, layout, paint and
 * the commit to the compositor. A task queued from the callback runs once that update is over:
 * the frame is on its way to the screen before the background asks for a screenshot (which takes
 * further IPC hops through the browser process and is served at the display's next frame).
 */
const afterNextFrame = () => new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
type Active = { stop: () => void };
const GLOBAL_KEY = '__flaglinePickerActive';

/** Position of `doc`'s viewport within the top-level viewport (same-origin frames only). */
function frameOffset(doc: Document): { x: number; y: number } {
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

function sameOriginDoc(frame: Element): Document | null {
  try {
    return (frame as HTMLIFrameElement).contentDocument;
  } catch {
    return null;
  }
}

const isFrame = (el: Element) => el.localName === 'iframe' || el.localName === 'frame';

/** What a screen reader and the label call an element: tag, role and size. */
function describe(el: Element, rect: DOMRect): { label: string; tag: string; size: string } {
  const role = el.getAttribute('role');
  const tag = el.localName + (role ? `[${role}]` : '');
  return { label: `${tag} · ${Math.round(rect.width)}×${Math.round(rect.height)}`, tag, size: `${Math.round(rect.width)}×${Math.round(rect.height)}` };
}

export function startPicker(env: PickerEnv, win: Window = window): Active {
  const holder = win as unknown as Record<string, Active | undefined>;
  holder[GLOBAL_KEY]?.stop();
  const doc = win.document;
  const controller = new AbortController();
  const { signal } = controller;
  let current: Element | null = null;
  let pending: { target: Element; x: number; y: number } | null = null;
  let frameRequested = 0;
  let done = false;
  let measures = 0;

  const host = doc.createElement('flagline-picker');
  host.style.setProperty('all', 'initial');
  host.style.setProperty('position', 'fixed');
  host.style.setProperty('inset', '0');
  host.style.setProperty('pointer-events', 'none');
  host.style.setProperty('z-index', '2147483647');
  const shadow = host.attachShadow({ mode: 'closed' });
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(CSS);
  shadow.adoptedStyleSheets = [sheet];
  const box = doc.createElement('div');
  box.className = 'box';
  const label = doc.createElement('div');
  label.className = 'label';
  const hint = doc.createElement('div');
  hint.className = 'hint';
  hint.textContent = env.t('picker_hint');
  const live = doc.createElement('div');
  live.className = 'sr';
  live.setAttribute('aria-live', 'polite');
  live.setAttribute('role', 'status');
  shadow.append(box, label, hint, live);

  /** Stops listening; the overlay leaves the page too unless `keepHost` (see `deliver`). */
  const stop = (keepHost = false) => {
    if (done) return;
    done = true;
    controller.abort();
    cancelAnimationFrame(frameRequested);
    if (!keepHost) host.remove();
    if (holder[GLOBAL_KEY] === active) delete holder[GLOBAL_KEY];
  };
  const active: Active = { stop: () => stop() };
  holder[GLOBAL_KEY] = active;

  /**
   * Takes the overlay off the screen and resolves once a frame without it has been rendered.
   * Called on the press that starts a pick (pointerdown, Enter, Space), so for a mouse pick the
   * frame is usually long rendered when the click arrives. `opacity: 0` paints nothing yet
   * keeps the outline hit-testable: over a cross-origin frame the click must still land on it.
   */
  let overlayGone: Promise<void> | null = null;
  const hideOverlay = (): Promise<void> => {
    if (!overlayGone) {
      host.style.setProperty('opacity', '0');
      overlayGone = afterNextFrame();
    }
    return overlayGone;
  };
  /** A press that did not end in a pick (dragged off, say): the outline comes back. */
  const showOverlay = () => {
    if (done || !overlayGone) return;
    overlayGone = null;
    host.style.removeProperty('opacity');
  };

  const checkAlive = () => {
    if (!env.alive()) stop();
    return !done;
  };

  /** Box of an element in top-level viewport coordinates. */
  const topRect = (el: Element) => {
    const rect = el.getBoundingClientRect();
    const offset = frameOffset(el.ownerDocument);
    return new DOMRect(rect.left + offset.x, rect.top + offset.y, rect.width, rect.height);
  };

  const draw = (announce = false) => {
    if (!current || !current.isConnected) {
      box.style.display = label.style.display = 'none';
      return;
    }
    const rect = topRect(current);
    const { label: text, tag, size } = describe(current, rect);
    box.style.display = label.style.display = 'block';
    box.style.left = `${rect.left}px`;
    box.style.top = `${rect.top}px`;
    box.style.width = `${rect.width}px`;
    box.style.height = `${rect.height}px`;
    // A cross-origin frame swallows clicks: let the outline itself take the click.
    box.classList.toggle('click', isFrame(current) && !sameOriginDoc(current));
    label.textContent = text;
    label.style.left = `${Math.max(0, rect.left)}px`;
    label.style.top = `${rect.top >= 20 ? rect.top - 20 : Math.min(win.innerHeight - 20, rect.bottom)}px`;
    if (announce) live.textContent = env.t('picker_announce', [tag, size]);
  };

  const setCurrent = (el: Element | null, announce = false) => {
    if (el === host || !el) return;
    if (el !== current) {
      current = el;
      draw(true);
    } else if (announce) draw(true);
  };

  const onFrame = () => {
    frameRequested = 0;
    if (!pending || !checkAlive()) return;
    const started = performance.now();
    const { target, x, y } = pending;
    pending = null;
    let el: Element | null = target;
    if (el === host) {
      // Over our own clickable outline (a cross-origin frame): keep it while inside.
      const r = current ? topRect(current) : null;
      if (r && x >= r.left && x <= r.right && y >= r.top && y <= r.bottom) return;
      box.classList.remove('click');
      el = doc.elementFromPoint(x, y);
    }
    setCurrent(el);
    if (measures < MAX_MEASURES) {
      measures++;
      performance.measure('flagline:picker-move', { start: started, end: performance.now() });
    }
  };

  const onPointer = (event: PointerEvent | MouseEvent) => {
    if (!event.isTrusted) return;
    // composedPath()[0] is the innermost element, through open shadow roots.
    const target = event.composedPath()[0] as Node | undefined;
    if (target?.nodeType !== 1) return;
    const offset = frameOffset((target as Element).ownerDocument);
    pending = { target: target as Element, x: event.clientX + offset.x, y: event.clientY + offset.y };
    if (!frameRequested) frameRequested = requestAnimationFrame(onFrame);
  };

  const swallow = (event: Event) => {
    if (!event.isTrusted) return;
    event.preventDefault();
    event.stopImmediatePropagation();
  };

  const onPress = (event: PointerEvent) => {
    if (!event.isTrusted) return;
    swallow(event);
    if (event.button === 0 && checkAlive()) void hideOverlay();
  };
  // The click (and so the pick) is dispatched in the same task as pointerup: a task queued now
  // runs after it, and finds the picker still open only if there was no pick.
  const onRelease = (event: PointerEvent) => {
    if (!event.isTrusted) return;
    swallow(event);
    setTimeout(showOverlay, 0);
  };

  const onClick = (event: MouseEvent) => {
    if (!event.isTrusted) return;
    swallow(event);
    // A click on our own outline (over a cross-origin frame) picks what it outlines.
    const target = event.composedPath()[0] as Node | undefined;
    if (target?.nodeType === 1 && event.target !== host) setCurrent(target as Element);
    if (current) void pick(current);
  };

  const move = (key: string): Element | null => {
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
  };

  const firstVisible = (el: Element | null): Element | null => {
    for (let node = el; node; node = node.nextElementSibling) {
      const rect = node.getBoundingClientRect();
      if (rect.width > 0 && rect.height > 0) return node;
    }
    return el;
  };

  /** The key that ended the picker is released after teardown: its keyup stays ours too. */
  const swallowKeyupOf = (key: string) => {
    const frames = [...doc.querySelectorAll('iframe, frame')].map((f) => sameOriginDoc(f)?.defaultView);
    const views = [win, ...(frames.filter(Boolean) as Window[])];
    const stopAt = new AbortController();
    const onUp = (event: KeyboardEvent) => {
      if (event.key !== key) return;
      swallow(event);
      stopAt.abort();
    };
    for (const view of views) view.addEventListener('keyup', onUp, { capture: true, signal: stopAt.signal });
    setTimeout(() => stopAt.abort(), 2000);
  };

  const onKey = (event: KeyboardEvent) => {
    if (!event.isTrusted || !checkAlive()) return;
    const { key } = event;
    if (key === 'Escape' || key === 'Enter' || key === ' ') swallowKeyupOf(key);
    if (key === 'Escape') {
      swallow(event);
      stop();
      // The overlay is gone either way; a failure means the extension was reloaded or removed.
      void env.send({ type: 'pickerCancelled', payload: { token: env.token } }).catch(() => undefined);
    } else if (key === 'Enter' || key === ' ') {
      swallow(event);
      if (current) void pick(current);
    } else if (key.startsWith('Arrow')) {
      swallow(event);
      const next = move(key);
      if (next) {
        setCurrent(next, true);
        next.scrollIntoView?.({ block: 'nearest' });
        draw();
      }
    } else if (key === 'Tab') {
      swallow(event);
    }
  };
  // Keys the picker handles never reach the page's own listeners (keyup/keypress included).
  const onKeyOther = (event: KeyboardEvent) => {
    if (/^(Arrow|Enter|Escape|Tab| )/.test(event.key)) swallow(event);
  };

  const capture = (el: Element): PickPayload => {
    // The pick is the click or key press: taken before the selector and text are worked out.
    const pickedAt = Date.now();
    const ownerDoc = el.ownerDocument;
    const rect = topRect(el);
    const facts = pageFacts(doc);
    const iframeSrc = isFrame(el) && !sameOriginDoc(el) ? (el as HTMLIFrameElement).src : undefined;
    const textSource = (el as HTMLElement).innerText ?? el.textContent ?? '';
    const quote = describeElementText(el);
    return {
      token: env.token,
      kind: 'element',
      selectors: [cssSelectorFor(el), ...(quote ?? [])],
      ...capText(textSource),
      tagName: el.localName.slice(0, 64),
      links: linksIn(el),
      media: mediaIn(el),
      box: { x: rect.x, y: rect.y, width: rect.width, height: rect.height },
      ...(ownerDoc !== doc ? { frameUrl: ownerDoc.URL } : {}),
      ...(iframeSrc && /^https?:/.test(iframeSrc) ? { iframeSrc } : {}),
      ...facts,
      ...(likelyPermalink(el) ? { permalink: likelyPermalink(el) } : {}),
      viewport: { width: win.innerWidth, height: win.innerHeight },
      devicePixelRatio: win.devicePixelRatio || 1,
      pickedAt,
      overlayProbe: overlayProbe(),
    };
  };

  /**
   * Rows 1–5 of the hint's 6-pixel top padding, clear of its rounded corners: only the hint's
   * background colour is drawn there while the overlay is on screen.
   */
  const overlayProbe = () => {
    const r = hint.getBoundingClientRect();
    return { x: r.x + 12, y: r.y + 1, width: Math.max(0, r.width - 24), height: 4 };
  };

  const captureSelection = (selection: Selection): PickPayload => {
    const pickedAt = Date.now();
    const range = selection.getRangeAt(0);
    const [quote, position] = describeRange(range, doc.body);
    const container = range.commonAncestorContainer;
    const element = container instanceof Element ? container : (container.parentElement ?? doc.body);
    const rect = range.getBoundingClientRect();
    return {
      token: env.token,
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
  };

  const deliver = async (payload: PickPayload, overlayGone: Promise<void>) => {
    // The picker stops listening at once. Its (transparent) host stays in the page until the
    // background has answered: taking it out now would make the page render yet another frame
    // just as the screenshot is taken, and Chromium serves `captureVisibleTab` markedly later
    // while the page is producing frames (scripts/bench/figures/picker.ts, capture.savedMs).
    stop(true);
    // The background screenshots the tab as soon as this message arrives: send it only once a
    // frame without the overlay has been rendered.
    await overlayGone;
    performance.mark('flagline:capture:sent');
    try {
      await env.send({ type: 'pickerCapture', payload });
    } catch {
      // "Extension context invalidated": the extension was reloaded; nothing more to do here.
    } finally {
      host.remove();
    }
  };

  const pick = (el: Element) => {
    const overlayGone = hideOverlay();
    return deliver(capture(el), overlayGone);
  };

  // If the user already selected text, that text is the pick.
  const selection = win.getSelection();
  if (selection && !selection.isCollapsed && selection.rangeCount > 0 && selection.toString().trim()) {
    // The overlay was never shown: nothing to wait for.
    void deliver(captureSelection(selection), Promise.resolve());
    return active;
  }

  const listen = (target: Window) => {
    const opts = { capture: true, signal };
    target.addEventListener('pointermove', onPointer, opts);
    target.addEventListener('pointerover', onPointer, opts);
    for (const type of ['mousedown', 'mouseup', 'auxclick', 'dblclick', 'contextmenu']) target.addEventListener(type, swallow, opts);
    target.addEventListener('pointerdown', onPress, opts);
    target.addEventListener('pointerup', onRelease, opts);
    target.addEventListener('click', onClick, opts);
    target.addEventListener('keydown', onKey, opts);
    target.addEventListener('keyup', onKeyOther, opts);
    target.addEventListener('keypress', onKeyOther, opts);
    target.addEventListener('pagehide', () => stop(), opts);
    target.addEventListener('scroll', () => draw(), { capture: true, passive: true, signal });
    target.addEventListener('resize', () => draw(), { passive: true, signal });
    // Same-origin frames get the same listeners; cross-origin ones are picked as a whole.
    for (const frame of target.document.querySelectorAll('iframe, frame')) {
      const inner = sameOriginDoc(frame)?.defaultView;
      if (inner) listen(inner);
    }
  };
  listen(win);
  // The outline itself is clickable over a cross-origin frame.
  box.addEventListener('click', onClick, { signal });
  win.navigation?.addEventListener?.('navigate', () => stop(), { signal });
  doc.documentElement.append(host);
  win.focus();
  performance.mark('flagline:picker-ready');
  return active;
}

declare global {
  interface Window {
    navigation?: EventTarget;
  }
}
