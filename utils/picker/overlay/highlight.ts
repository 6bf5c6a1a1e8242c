import { isFrame, sameOriginDoc, topRect } from './dom';

/** What a screen reader and the label call an element: tag, role and size. */
function describe(el: Element, rect: DOMRect): { label: string; tag: string; size: string } {
  const role = el.getAttribute('role');
  const tag = el.localName + (role ? `[${role}]` : '');
  return { label: `${tag} · ${Math.round(rect.width)}×${Math.round(rect.height)}`, tag, size: `${Math.round(rect.width)}×${Math.round(rect.height)}` };
}

/**
 * The highlight: an outline around the element under the pointer, a label with its tag and size,
 * and a polite live region that announces it to screen readers.
 */
export function createHighlight(win: Window, t: (key: string, subs?: string[]) => string) {
  const doc = win.document;
  const box = doc.createElement('div');
  box.className = 'box';
  const label = doc.createElement('div');
  label.className = 'label';
  const live = doc.createElement('div');
  live.className = 'sr';
  live.setAttribute('aria-live', 'polite');
  live.setAttribute('role', 'status');

  /** Draws the outline around `current` (hides it when there is none); `announce` tells screen readers. */
  const draw = (current: Element | null, announce = false) => {
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
    if (announce) live.textContent = t('picker_announce', [tag, size]);
  };

  return { elements: [box, label, live] as const, box, draw };
}
