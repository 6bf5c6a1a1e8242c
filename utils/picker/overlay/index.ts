import { OVERLAY_PROBE_HEX } from '../probe';
import { afterNextFrame, frameOffset, isFrame, nextElement, sameOriginDoc, swallow, swallowKeyupOf, topRect } from './dom';
import { createHighlight } from './highlight';
import { createHint } from './hint';
import { elementPayload, selectionPayload, visibleSelection, type PickPayload } from './payload';
import { childTowards, postLikeAncestor } from './post';

/**
 * The picker overlay, injected into a page only when the user asks (scripting.executeScript).
 * Plain DOM in a closed shadow root, styled with a constructed stylesheet (no
 * web_accessible_resources, not subject to the page's style-src CSP). Nothing typeable is ever
 * injected: the report form lives in extension UI.
 *
 * Budget: ≤ 12 KB gzipped (scripts/bench/figures/picker.ts) — no zod, no Preact here.
 *
 * This module holds the picker's state (the current element, the press in progress, teardown)
 * and wires the page's events to its parts: the highlight (`highlight.ts`), the hint
 * (`hint.ts`), keyboard navigation and teardown helpers (`dom.ts`) and the pick's payload
 * (`payload.ts`).
 */

export interface PickerEnv {
  token: string;
  /** `chrome.runtime.sendMessage`; throws "Extension context invalidated" after a reload. */
  send: (message: unknown) => Promise<unknown>;
  /** False once the extension was reloaded or removed (`chrome.runtime.id` is gone). */
  alive: () => boolean;
  t: (key: string, subs?: string[]) => string;
}

const CSS = `
:host{all:initial}
.box{position:fixed;pointer-events:none;box-sizing:border-box;border:2px solid #0b57d0;background:rgba(11,87,208,.12);outline:1px solid #fff;border-radius:2px;display:none;z-index:1}
.box.click{pointer-events:auto;cursor:pointer}
.label{position:fixed;pointer-events:none;font:12px/1.4 system-ui,sans-serif;background:#0b57d0;color:#fff;padding:1px 6px;border-radius:3px;white-space:nowrap;display:none;z-index:2}
.hint{position:fixed;left:50%;top:12px;transform:translateX(-50%);pointer-events:none;font:13px/1.4 system-ui,'PingFang SC','Microsoft YaHei',sans-serif;background:${OVERLAY_PROBE_HEX};color:#fff;padding:6px 12px;border-radius:6px;box-shadow:0 2px 8px rgba(0,0,0,.3);z-index:3}
.sr{position:fixed;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
`;

const MAX_MEASURES = 2000;
const MAX_REASSERTS = 500;

const HOST_STYLE: ReadonlyArray<[string, string]> = [
  ['all', 'initial'],
  ['display', 'block'],
  ['visibility', 'visible'],
  ['position', 'fixed'],
  ['inset', '0'],
  ['width', 'auto'],
  ['height', 'auto'],
  ['margin', '0'],
  ['transform', 'none'],
  ['pointer-events', 'none'],
  ['z-index', '2147483647'],
];

type Active = { stop: () => void };
/**
 * Where the running picker is kept on the page's window (in the extension's isolated world). A
 * symbol, not a name: an element with `id="__flaglinePickerActive"` shows up as a window property
 * of that name (named access), and a string key let any page clobber it and stop the picker.
 */
const ACTIVE_KEY: unique symbol = Symbol.for('flagline.picker.active');

export function startPicker(env: PickerEnv, win: Window = window): Active {
  const holder = win as unknown as { [ACTIVE_KEY]?: Active };
  holder[ACTIVE_KEY]?.stop();
  const doc = win.document;
  const controller = new AbortController();
  const { signal } = controller;
  let current: Element | null = null;
  /** What the pointer is on; `current` starts as its post (post.ts), and ↓ walks back towards it. */
  let pointed: Element | null = null;
  let pending: { target: Element; x: number; y: number } | null = null;
  let frameRequested = 0;
  let done = false;
  let measures = 0;

  const host = doc.createElement('flagline-picker');
  /** `opacity: 0` while a pick is being taken (see `hideOverlay`). */
  let transparent = false;
  let assertedStyle: string | null = null;
  /**
   * The host's styles, `!important` in its style attribute: that beats every page rule, even an
   * `!important` one, so page CSS can neither hide nor move the overlay. A page script that edits
   * the attribute or takes the host out is undone by the watch below.
   */
  const assertHost = () => {
    host.removeAttribute('style');
    for (const [name, value] of HOST_STYLE) host.style.setProperty(name, value, 'important');
    if (transparent) host.style.setProperty('opacity', '0', 'important');
    assertedStyle = host.getAttribute('style');
  };
  assertHost();
  // Only a changed attribute is rewritten (rewriting it is itself a mutation), and a host the
  // page took out goes back; both only while the picker runs.
  let reasserted = 0;
  const watch = new MutationObserver(() => {
    // A page that fights back for ever would loop with us: past a bound, the page wins its own page.
    if (done || ++reasserted > MAX_REASSERTS) return;
    if (host.getAttribute('style') !== assertedStyle) assertHost();
    if (host.parentNode !== doc.documentElement) doc.documentElement.append(host);
  });
  const shadow = host.attachShadow({ mode: 'closed' });
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(CSS);
  shadow.adoptedStyleSheets = [sheet];
  const highlight = createHighlight(win, env.t);
  const { box } = highlight;
  const hint = createHint(doc, env.t('picker_hint'));
  const [, label, live] = highlight.elements;
  shadow.append(box, label, hint.element, live);

  /** Stops listening; the overlay leaves the page too unless `keepHost` (see `deliver`). */
  const stop = (keepHost = false) => {
    if (done) return;
    done = true;
    controller.abort();
    cancelAnimationFrame(frameRequested);
    watch.disconnect();
    if (!keepHost) host.remove();
    if (holder[ACTIVE_KEY] === active) delete holder[ACTIVE_KEY];
  };
  const active: Active = { stop: () => stop() };
  holder[ACTIVE_KEY] = active;

  /**
   * Takes the overlay off the screen and resolves once a frame without it has been rendered.
   * Called on the press that starts a pick (pointerdown, Enter, Space), so for a mouse pick the
   * frame is usually long rendered when the click arrives. `opacity: 0` paints nothing yet
   * keeps the outline hit-testable: over a cross-origin frame the click must still land on it.
   */
  let overlayGone: Promise<void> | null = null;
  const hideOverlay = (): Promise<void> => {
    if (!overlayGone) {
      transparent = true;
      assertHost();
      overlayGone = afterNextFrame();
    }
    return overlayGone;
  };
  /** A press that did not end in a pick (dragged off, say): the outline comes back. */
  const showOverlay = () => {
    if (done || !overlayGone) return;
    overlayGone = null;
    transparent = false;
    assertHost();
  };

  const checkAlive = () => {
    if (!env.alive()) stop();
    return !done;
  };

  const draw = (announce = false) => highlight.draw(current, announce);

  const setCurrent = (el: Element | null, announce = false) => {
    if (el === host || !el) return;
    if (el !== current) {
      // Moving on from a proposed selection: the picker is the ordinary one again.
      if (proposal) {
        proposal = null;
        hint.element.textContent = env.t('picker_hint');
      }
      current = el;
      draw(true);
    } else if (announce) draw(true);
  };

  /** The pointer is on `el`: highlight its post (once per element, so a choice made with the keys stays while it does not move on). */
  const point = (el: Element | null) => {
    if (!el || el === host || el === pointed) return;
    pointed = el;
    // A cross-origin frame stays the target: only its own outline can be clicked over it.
    setCurrent(isFrame(el) ? el : (postLikeAncestor(el) ?? el));
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
    point(el);
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
    // The same post the pointer highlights (or what the keys chose within it, if the pointer has not moved on).
    if (target?.nodeType === 1 && event.target !== host) point(target as Element);
    if (current) void pick(current);
  };

  const onKey = (event: KeyboardEvent) => {
    if (!event.isTrusted || !checkAlive()) return;
    const { key } = event;
    if (key === 'Escape' || key === 'Enter' || key === ' ') swallowKeyupOf(win, key);
    if (key === 'Escape') {
      swallow(event);
      stop();
      // The overlay is gone either way; a failure means the extension was reloaded or removed.
      void env.send({ type: 'pickerCancelled', payload: { token: env.token } }).catch(() => undefined);
    } else if (key === 'Enter' || key === ' ') {
      swallow(event);
      if (proposal) void deliver(selectionPayload(proposal.range, { token: env.token, win }), hideOverlay());
      else if (current) void pick(current);
    } else if (key.startsWith('Arrow')) {
      swallow(event);
      const next = (key === 'ArrowDown' && current && childTowards(current, pointed)) || nextElement(current, key, doc);
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
    let refused = false;
    try {
      // The background answers with its reply envelope: `ok: false` when it refused the pick.
      refused = ((await env.send({ type: 'pickerCapture', payload })) as { ok?: boolean } | undefined)?.ok === false;
    } catch {
      // "Extension context invalidated": the extension was reloaded; nothing more to do here.
    }
    if (refused) showRefusal();
    else host.remove();
  };

  /** A refused pick is said in the page, where the user is looking (the popup is closed by now). */
  const showRefusal = () => {
    hint.element.textContent = env.t('picker_refused');
    hint.element.setAttribute('role', 'alert');
    shadow.replaceChildren(hint.element);
    transparent = false;
    assertHost();
    const leave = () => host.remove();
    for (const type of ['keydown', 'pointerdown']) win.addEventListener(type, leave, { capture: true, once: true });
    setTimeout(leave, 10_000);
  };

  const pick = (el: Element) => {
    const overlayGone = hideOverlay();
    return deliver(elementPayload(el, { token: env.token, win }, hint.probe), overlayGone);
  };

  // Text selected when the picker starts is offered, never taken: only if the user can see it,
  // and only when they confirm it with Enter (a page can select text by script). Any other pick
  // (a click, the arrow keys) drops the offer.
  let proposal = visibleSelection(win);
  if (proposal) {
    hint.element.textContent = env.t('picker_selectionHint');
    current = proposal.element;
    draw(true);
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
  watch.observe(host, { attributes: true });
  watch.observe(doc.documentElement, { childList: true });
  win.focus();
  performance.mark('flagline:picker-ready');
  return active;
}

declare global {
  interface Window {
    navigation?: EventTarget;
  }
}
