/**
 * The hint at the top of the viewport ("click what you want to report…"). Its background colour
 * doubles as the probe the background looks for in the screenshot (utils/picker/probe.ts).
 */
export function createHint(doc: Document, text: string) {
  const element = doc.createElement('div');
  element.className = 'hint';
  element.textContent = text;
  /**
   * Rows 1–5 of the hint's 6-pixel top padding, clear of its rounded corners: only the hint's
   * background colour is drawn there while the overlay is on screen.
   */
  const probe = () => {
    const r = element.getBoundingClientRect();
    return { x: r.x + 12, y: r.y + 1, width: Math.max(0, r.width - 24), height: 4 };
  };
  return { element, probe };
}
